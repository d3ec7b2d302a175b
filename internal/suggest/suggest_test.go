package suggest

import (
	"fmt"
	"strings"
	"testing"
)

// units is a sample of unit names, as units.Names lists them.
var units = []string{"A", "C", "F", "Hz", "K", "M", "S", "V", "cm", "cm2", "kHz", "m", "mA", "mM",
	"mS", "mV", "mol", "ms", "nA", "nS", "ohm", "s", "uA", "uF", "uM", "umol", "us", "µM", "µs"}

func TestClosest(t *testing.T) {
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		// Case differences cost nothing, and break ties.
		{"mv", units, "mV"},
		{"MV", units, "mV"},
		{"MS", units, "mS"},
		{"Ms", units, "ms"},
		{"mOL", units, "mol"},
		{"MOL", units, "mol"},
		{"hz", units, "Hz"},
		{"khz", units, "kHz"},
		{"I_EXT", []string{"I_ext", "V"}, "I_ext"},
		{"Na.M", []string{"Na.h", "Na.m"}, "Na.m"},
		// Typos: one insertion, deletion or substitution.
		{"ohms", units, "ohm"},
		{"umoll", units, "umol"},
		{"membrain", []string{"model", "membrane", "method"}, "membrane"},
		{"chanels", []string{"channels", "params"}, "channels"},
		{"K.nn", []string{"K.n", "V"}, "K.n"},
		// Transpositions of adjacent characters cost 1.
		{"g_na", []string{"gna", "g_an"}, "gna"},
		{"gmax", []string{"gamx"}, "gamx"},
		{"tua_m", []string{"tau_m", "tau_h"}, "tau_m"},
		{"alhpa", []string{"beta", "alpha", "inf", "tau"}, "alpha"},
		// Too far: the limit is max(1, n/3) edits, and fewer than n.
		{"abc", []string{"abd"}, "abd"},
		{"abc", []string{"axy"}, ""},
		{"abcdef", []string{"abcxyf"}, "abcxyf"},
		{"abcdef", []string{"axyzef"}, ""},
		{"uA/cm2", units, ""},
		{"siemens", units, ""},
		{"parameters", []string{"params"}, ""},
		{"zzzzzz", []string{"V", "m", "h", "n"}, ""},
		// A name of one letter matches only itself in the other case.
		{"x", []string{"b", "a"}, ""},
		{"x", []string{"b", "X"}, "X"},
		{"v", []string{"V", "m"}, "V"},
		// An exact match is returned; nothing suggests nothing.
		{"mV", units, "mV"},
		{"", units, ""},
		{"x", nil, ""},
		// Ties: case-sensitive distance, then candidate order.
		{"GNA", []string{"gna", "GNa"}, "GNa"},
		{"Gna", []string{"GNa", "gna"}, "GNa"},
		{"alpha_n", []string{"alpha_m", "alpha_h", "beta_n"}, "alpha_m"},
		{"ab", []string{"ax", "ay"}, "ax"},
		// Runes, not bytes.
		{"µM", units, "µM"},
		{"τ_m", []string{"tau_m", "t_m"}, "t_m"},
		{"µs", []string{"us"}, "us"},
	}
	for _, tc := range tests {
		if got := Closest(tc.name, tc.candidates); got != tc.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

// TestClosestMany checks that a search among many candidates, most of them far in length, finds
// the near one wherever it is in the list.
func TestClosestMany(t *testing.T) {
	var cands []string
	for i := range 5000 {
		cands = append(cands, fmt.Sprintf("p%d_%s", i, strings.Repeat("x", i%40)))
	}
	cands[3777] = "gating_variable"
	if got := Closest("gating_varaible", cands); got != "gating_variable" {
		t.Errorf("Closest among %d = %q, want gating_variable", len(cands), got)
	}
	if got := Closest("unrelated_name", cands); got != "" {
		t.Errorf("Closest(unrelated_name) = %q, want none", got)
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
		{"Abc", "abc", 1}, // case counts here; Closest folds it
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

// FuzzClosest checks properties of Closest and distance on any input: the answer is one of
// the candidates or none, a name among the candidates is its own answer, the answer is within
// the limit, and a bounded distance agrees with the unbounded one up to the bound.
func FuzzClosest(f *testing.F) {
	f.Add("membrain", "membrane", "method")
	f.Add("µM", "uM", "mM")
	f.Add("x", "X", "y")
	f.Add("", "a", "")
	f.Fuzz(func(t *testing.T, name, c1, c2 string) {
		cands := []string{c1, c2}
		got := Closest(name, cands)
		if got != "" && got != c1 && got != c2 {
			t.Fatalf("Closest(%q, %q) = %q, not a candidate", name, cands, got)
		}
		if name != "" && (name == c1 || name == c2) && got != name {
			t.Fatalf("Closest(%q, %q) = %q, want the name itself", name, cands, got)
		}
		n := len([]rune(name))
		if got != "" {
			d := distance([]rune(strings.ToLower(name)), []rune(strings.ToLower(got)), -1)
			if d > max(1, n/3) || d >= n {
				t.Fatalf("Closest(%q, %q) = %q at distance %d, beyond the limit", name, cands, got, d)
			}
		}
		a, b := []rune(name), []rune(c1)
		full := distance(a, b, -1)
		for bound := range 4 {
			if got := distance(a, b, bound); (full > bound) != (got > bound) || (full <= bound && got != full) {
				t.Fatalf("distance(%q, %q, %d) = %d, unbounded %d", name, c1, bound, got, full)
			}
		}
	})
}
