package middle_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
)

// couplingSpec has receptor states that drive others linearly and some that look alike but
// must not be integrated together: C's g reads V in its coupling coefficient, and D is a chain
// (z is driven by y, which is itself driven by x).
const couplingSpec = `neurogen: 1
model: Coupling
membrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -60 mV, V_th: 0 mV}
channels:
  L: {g_max: 0.05 mS/cm2, E: -60 mV, current: g_max*(E - V)}
receptors:
  Al: {use: AlphaCond}
  S: {use: Exp2Cond}
  B: {use: GABAB}
  C:
    tau: 2 ms
    states:
      x: {deriv: -x/tau, unit: nS}
      g: {deriv: (x*(1 + V/(100*mV)) - g)/tau, unit: nS}
    current: g*(0*mV - V)
    event: x += w
  D:
    tau: 2 ms
    states:
      x: {deriv: -x/tau, unit: nS}
      y: {deriv: (x - y)/tau, unit: nS}
      z: {deriv: (y - z)/(2*tau), unit: nS}
    current: z*(0*mV - V)
    event: x += w
`

// TestLinearizeCoupling: which states Linearize integrates exactly together with the states
// that drive them (ir.Coupling), under exp_auto and staggered, and none under rk4.
func TestLinearizeCoupling(t *testing.T) {
	want := map[string]string{"Al.g": "Al.x", "B.G": "B.R_on B.R_off", "D.y": "D.x"}
	for _, method := range []string{"exp_auto", "staggered", "rk4"} {
		m, err := check.Load("coupling.yaml", []byte(couplingSpec), check.Options{Method: method})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, st := range m.States {
			var from []string
			for _, c := range st.Coupled {
				from = append(from, c.From.Name)
				if c.Coef == nil || !slices.Contains(m.Body, c.Coef) && !slices.Contains(m.Pre, c.Coef) {
					t.Errorf("%s: %s's coupling to %s has no statement of the model", method, st.Name, c.From.Name)
				}
			}
			if len(from) > 0 {
				got[st.Name] = strings.Join(from, " ")
			}
		}
		if method == "rk4" {
			if len(got) > 0 {
				t.Errorf("rk4: coupled states %v, want none", got)
			}
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: coupled states %v, want %v", method, got, want)
		}
		for x, ys := range want {
			if got[x] != ys {
				t.Errorf("%s: %s is driven by %q, want %q", method, x, got[x], ys)
			}
		}
	}
}
