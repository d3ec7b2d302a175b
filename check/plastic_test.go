package check_test

import (
	"math"
	"testing"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// TestPlasticRule checks plasticity written as expressions: parameters in internal units,
// states at rest, the relaxations, the weight's factor and the updates evaluated against values
// computed by hand, and a `deriv` solved exactly.
func TestPlasticRule(t *testing.T) {
	net, err := loadNetwork(t, "testdata/networks/rule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tm, floor := net.Projections[0].Plasticity, net.Projections[1].Plasticity
	if tm == nil || tm.Rule == nil || tm.Model != "" || !tm.PerPresynaptic || floor == nil || floor.Rule == nil || floor.PerPresynaptic {
		t.Fatalf("plasticity %+v, %+v: want two rules, the first per presynaptic neuron", tm, floor)
	}
	r := tm.Rule
	if len(r.Params) != 3 || r.Params[1].Name != "tau_rec" || r.Params[1].Value != 800 || r.Params[2].Value != 1500 {
		t.Errorf("parameters %+v: want U, tau_rec 800 ms, tau_facil 1500 ms", r.Params)
	}
	if len(r.States) != 2 || r.States[0].Name != "x" || r.States[0].Init != 1 || r.States[1].Init != 0.5 || r.States[1].Unit != "1" {
		t.Fatalf("states %+v %+v", r.States[0], r.States[1])
	}
	env := func(m map[string]float64) func(string) float64 { return symbolic.MapEnv(m) }
	at := map[string]float64{"x": 0.3, "u": 0.7, ir.PlasticDelta: 120}
	if got, want := symbolic.Eval(r.States[0].Relax, env(at)), 1-0.7*math.Exp(-120.0/800); !near(got, want) {
		t.Errorf("relax of x: %g, want %g", got, want)
	}
	if got, want := symbolic.Eval(r.States[1].Relax, env(at)), 0.5+0.2*math.Exp(-120.0/1500); !near(got, want) {
		t.Errorf("relax of u: %g, want %g", got, want)
	}
	if got := symbolic.Eval(r.Factor, env(at)); !near(got, 0.21) {
		t.Errorf("factor: %g, want u·x = 0.21", got)
	}
	if len(r.Updates) != 2 || r.Updates[0].State != r.States[0] || r.Updates[1].State != r.States[1] {
		t.Fatalf("updates %+v", r.Updates)
	}
	if got := symbolic.Eval(r.Updates[0].Expr, env(at)); !near(got, 0.3-0.21) {
		t.Errorf("update of x: %g, want x − u·x = 0.09", got)
	}
	if got := symbolic.Eval(r.Updates[1].Expr, env(at)); !near(got, 0.7+0.5*0.3) {
		t.Errorf("update of u: %g, want u + U(1 − u) = 0.85", got)
	}

	// deriv: dx/dt = (1 − x)/τ gives 1 − (1 − x)e^(−Δ/τ); dc/dt = r0 gives c + r0·Δ (r0 in 1/ms).
	f := floor.Rule
	if !f.States[0].Deriv || f.States[1].Unit != "mV" || f.States[1].Init != 0 {
		t.Fatalf("states %+v %+v", f.States[0], f.States[1])
	}
	at = map[string]float64{"x": 0.3, "c": 4, ir.PlasticDelta: 7}
	if got, want := symbolic.Eval(f.States[0].Relax, env(at)), 1-0.7*math.Exp(-7.0/20); !near(got, want) {
		t.Errorf("relax of x from deriv: %g, want %g", got, want)
	}
	if got, want := symbolic.Eval(f.States[1].Relax, env(at)), 4+0.002*7; !near(got, want) {
		t.Errorf("relax of c from deriv: %g, want %g", got, want)
	}
	// One text of three updates: x *= 0.6, then the floor, then c += 1 mV.
	if len(f.Updates) != 3 {
		t.Fatalf("updates %+v", f.Updates)
	}
	if got := symbolic.Eval(f.Updates[0].Expr, env(at)); !near(got, 0.18) {
		t.Errorf("x *= 0.6: %g", got)
	}
	at["x"] = 0.18
	if got := symbolic.Eval(f.Updates[1].Expr, env(at)); got != 0.2 {
		t.Errorf("x = max(x, 0.2): %g", got)
	}
	if got := symbolic.Eval(f.Updates[2].Expr, env(at)); !near(got, 5) {
		t.Errorf("c += 1 mV: %g", got)
	}
}
