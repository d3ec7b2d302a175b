package units

import "testing"

func TestSuggest(t *testing.T) {
	names := Names()
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"mv", names, "mV"},
		{"MV", names, "mV"},
		{"MS", names, "mS"},
		{"Ms", names, "ms"},
		{"mOL", names, "mol"},
		{"MOL", names, "mol"}, // case differences are always close
		{"ohms", names, "ohm"},
		{"Ohm", names, "ohm"},
		{"hz", names, "Hz"},
		{"khz", names, "kHz"},
		{"umoll", names, "umol"},
		{"uA/cm2", names, ""},
		{"siemens", names, ""},
		{"", names, ""},
		{"mV", names, "mV"}, // an exact match is returned
		// Distance limit max(1, n/3).
		{"abc", []string{"abd"}, "abd"},
		{"abc", []string{"axy"}, ""},
		{"abcdef", []string{"abcxyf"}, "abcxyf"},
		{"abcdef", []string{"axyzef"}, ""},
		// Transpositions cost 1.
		{"g_na", []string{"gna", "g_an"}, "gna"},
		{"gmax", []string{"gamx"}, "gamx"},
		{"tua_m", []string{"tau_m", "tau_h"}, "tau_m"},
		// Ties: case-sensitive distance, then candidate order.
		{"GNA", []string{"gna", "GNa"}, "GNa"},
		{"Gna", []string{"GNa", "gna"}, "GNa"},
		{"x", []string{"b", "a"}, "b"},
		{"alpha_n", []string{"alpha_m", "alpha_h", "beta_n"}, "alpha_m"},
		// Runes, not bytes.
		{"µM", names, "µM"},
		{"τ_m", []string{"tau_m", "t_m"}, "t_m"},
		{"x", nil, ""},
	}
	for _, tc := range tests {
		if got := Suggest(tc.name, tc.candidates); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"abc", "abd", 1},
		{"abc", "acb", 1},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau (2)
		{"kitten", "sitting", 3},
		{"µm", "um", 1},
	}
	for _, tc := range tests {
		if got := distance([]rune(tc.a), []rune(tc.b), -1); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := distance([]rune(tc.b), []rune(tc.a), -1); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
		// A bound below the distance gives a value above the bound.
		for bound := 0; bound < tc.want; bound++ {
			if got := distance([]rune(tc.a), []rune(tc.b), bound); got <= bound {
				t.Errorf("distance(%q, %q, %d) = %d", tc.a, tc.b, bound, got)
			}
		}
		if got := distance([]rune(tc.a), []rune(tc.b), tc.want); got != tc.want {
			t.Errorf("distance(%q, %q, %d) = %d", tc.a, tc.b, tc.want, got)
		}
	}
}
