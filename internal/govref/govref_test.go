package govref

import "testing"

// TestLiterals: numbers that govaluate's lexer does not read (exponents, leading dots) evaluate
// to their values, also after a unary minus and inside parentheses.
func TestLiterals(t *testing.T) {
	for text, want := range map[string]float64{
		"1e-3 * 2": 0.002, "(-5e-6) * 2": -1e-5, "2 * -5e-6": -1e-5, ".5 * 3": 1.5, "2.5E+2 - 1": 249,
		"1e-3 * mV": 1e-3, "(-(2)) * 3": -6,
	} {
		got, err := Eval(text, NewScope(nil), 0)
		if err != nil || got != want {
			t.Errorf("%s = %v (%v), want %v", text, got, err, want)
		}
	}
}
