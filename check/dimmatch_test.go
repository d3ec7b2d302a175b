package check_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/spec"
)

// dimSpec is a spec whose leak current is multiplied by a dimensionless factor (the first %s)
// that holds the expression under test; T is a group parameter (the second %s).
const dimSpec = `neurogen: 1
model: Dims
membrane:
  C: 1 uF/cm2
  V_init: -65 mV
params:
  T: %s
channels:
  L:
    g_max: 0.3 mS/cm2
    E: -54 mV
    current: |
      g_max * (E - V) * %s
`

// checkFactor checks dimSpec with the factor and T, and returns its errors (nil if it checks).
func checkFactor(t *testing.T, factor, T string) (src string, list spec.ErrorList) {
	t.Helper()
	src = fmt.Sprintf(dimSpec, T, factor)
	_, err := check.Load("dims.yaml", []byte(src), check.Options{})
	if err == nil {
		return src, nil
	}
	if !errors.As(err, &list) {
		t.Fatalf("%s: the error is a %T, not a spec.ErrorList: %v", factor, err, err)
	}
	return src, list
}

// TestMismatchedDimensions: `+`, `-` and every comparison take operands of one dimension. For
// each of the seven base dimensions, pairs of operands whose dimensions differ in that base
// dimension's exponent only (and agree in all six others) are refused, with the error
// "mismatched dimensions in `OP`" at the operator; the same pairs with the exponents made
// equal, in the same or different units, are accepted. A checker that ignored one base
// dimension's exponent (the kelvin, say: `q10**((T - 36)/(10*K))` with T in kelvin would
// then pass) fails here.
func TestMismatchedDimensions(t *testing.T) {
	// Per base dimension: a unit of it, and another unit of the same dimension.
	bases := []struct{ name, unit, other string }{
		{"length", "um", "cm"},
		{"mass", "kg", "g"},
		{"time", "ms", "s"},
		{"current", "uA", "nA"},
		{"temperature", "K", "mK"},
		{"amount", "umol", "mol"},
		{"luminous intensity", "cd", "mcd"},
	}
	// Operand pairs that differ in the exponent of one base dimension U only: by 1 from zero,
	// by 1 beside other dimensions, by 1 from 1 and by 2 (U⁻¹ against U).
	differ := []struct{ x, y string }{
		{"2", "3*U"},
		{"2*mV", "3*mV*U"},
		{"2*U/ms", "3*U*U/ms"},
		{"2/U", "3*U"},
	}
	// Operand pairs of one dimension.
	agree := []struct{ x, y string }{
		{"2*U", "3*U"},
		{"2*mV*U", "3*mV*O"}, // O: another unit of the same dimension
		{"2/(U*ms)", "3/(O*ms)"},
	}
	ops := []string{"+", "-", "<", "<=", ">", ">=", "==", "!="}
	// factor puts x OP y into a dimensionless factor.
	factor := func(x, op, y string) string {
		if op == "+" || op == "-" {
			return fmt.Sprintf("((%s) %s (%s))/(%s)", x, op, y, x)
		}
		return fmt.Sprintf("((%s) %s (%s) ? 1 : 2)", x, op, y)
	}
	refused := 0
	for _, b := range bases {
		unit := strings.NewReplacer("U", b.unit, "O", b.other)
		for _, op := range ops {
			for _, p := range differ {
				x, y := unit.Replace(p.x), unit.Replace(p.y)
				for _, pair := range [][2]string{{x, y}, {y, x}} {
					f := factor(pair[0], op, pair[1])
					src, list := checkFactor(t, f, "300 K")
					if len(list) != 1 || list[0].Code != spec.DimensionMismatch {
						t.Errorf("%s: %s: errors %v, want 1 %s", b.name, f, list, spec.DimensionMismatch)
						continue
					}
					refused++
					e := list[0]
					line := strings.Split(src, "\n")[e.Pos.Line()-1]
					want := fmt.Sprintf("mismatched dimensions in `%s`: `(%s)` is ", op, pair[0])
					if !strings.Contains(e.Msg, want) || !strings.Contains(e.Msg, "but `("+pair[1]+")` is ") {
						t.Errorf("%s: %s: error %q, want one containing %q and `(%s)`", b.name, f, e.Msg, want, pair[1])
					}
					if at := strings.Index(line, ") "+op+" ("); e.Pos.Col() != at+3 {
						t.Errorf("%s: %s: error at %d:%d, want it at the operator, column %d", b.name, f, e.Pos.Line(), e.Pos.Col(), at+3)
					}
				}
			}
			for _, p := range agree {
				f := factor(unit.Replace(p.x), op, unit.Replace(p.y))
				if _, list := checkFactor(t, f, "300 K"); list != nil {
					t.Errorf("%s: %s: refused: %v", b.name, f, list)
				}
			}
		}
	}
	if want := len(bases) * len(ops) * len(differ) * 2; refused != want {
		t.Errorf("%d of %d mismatched pairs refused", refused, want)
	}

	// The mistake that motivates the test: a temperature less a bare number, in kelvin or in
	// degrees Celsius (a temperature too), against the same with a unit.
	for _, T := range []string{"279.15 K", "6.3 degC"} {
		bad := "3**((T - 36)/(10*K))"
		src, list := checkFactor(t, bad, T)
		if len(list) != 1 || list[0].Code != spec.DimensionMismatch {
			t.Errorf("T = %s: %s: errors %v, want one %s", T, bad, list, spec.DimensionMismatch)
		} else if line := strings.Split(src, "\n")[list[0].Pos.Line()-1]; list[0].Pos.Col() != strings.Index(line, "T - 36")+3 {
			t.Errorf("T = %s: %s: error at %v, want it at the `-` of `T - 36`", T, bad, list[0].Pos)
		}
		good := "3**((T - 309.15*K)/(10*K))"
		if _, list := checkFactor(t, good, T); list != nil {
			t.Errorf("T = %s: %s: refused: %v", T, good, list)
		}
	}
}
