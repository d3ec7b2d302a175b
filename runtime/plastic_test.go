package runtime_test

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// tmRule is Tsodyks–Markram plasticity written as a PlasticRule, with states x and u, with the
// operations of the stock model in its order, so that it gives the stock model's bits.
func tmRule(tm runtime.TsodyksMarkram) runtime.PlasticRule {
	return runtime.PlasticRule{Name: "tm", States: []string{"x", "u"}, Rest: []float64{1, tm.U}, PerPresynaptic: tm.PerPresynaptic,
		Event: func(s []float64, delta float64, relax bool) float64 {
			x, u := s[0], s[1]
			if relax {
				x = 1 - (1-x)*runtime.Exp(-delta/tm.TauRec)
				if tm.TauFacil > 0 {
					u = tm.U + (u-tm.U)*runtime.Exp(-delta/tm.TauFacil)
				} else {
					u = tm.U
				}
			}
			r := u * x
			s[0], s[1] = x-r, u+tm.U*(1-u)
			return r
		}}
}

// ruleRun is stpRun with the rule r in place of the stock model.
func ruleRun(t *testing.T, r runtime.PlasticRule, w float64, d int, dt float64, spikeSteps []int, steps int) []float64 {
	t.Helper()
	return plasticRun(t, func(sim *runtime.Sim) error { return sim.SetPlasticRule("p", r) }, w, d, dt, spikeSteps, steps)
}

// TestPlasticRuleTsodyksMarkram checks that the stock model written as a rule delivers the
// stock model's weights, bit for bit, over an irregular train, depressing and facilitating, per
// connection and per presynaptic neuron.
func TestPlasticRuleTsodyksMarkram(t *testing.T) {
	const dt, w, d = 0.1, 2.5, 3
	train := []int{2, 3, 40, 41, 42, 900, 1500, 1510, 1530, 4000, 4001, 4300}
	for _, tm := range []runtime.TsodyksMarkram{tmDepressing, tmFacilitaing} {
		for _, per := range []bool{false, true} {
			tm.PerPresynaptic = per
			want := stpRun(t, tm, w, d, dt, train, 4310)
			got := ruleRun(t, tmRule(tm), w, d, dt, train, 4310)
			if !slices.Equal(got, want) {
				t.Errorf("%+v: the rule's deliveries are not the stock model's", tm)
			}
		}
	}
}

// TestPlasticRuleFloor checks a rule of another kind, depression towards a floor, against values
// computed here: each event delivers w·x and then x ← max(x·0.6, 0.2), and between events x
// recovers as 1 − (1 − x)e^(−Δ/τ) with τ = 20 ms.
func TestPlasticRuleFloor(t *testing.T) {
	const dt, w, tau = 0.5, 3.0, 20.0
	r := runtime.PlasticRule{Name: "floor", States: []string{"x"}, Rest: []float64{1},
		Event: func(s []float64, delta float64, relax bool) float64 {
			x := s[0]
			if relax {
				x = 1 - (1-x)*math.Exp(-delta/tau)
			}
			s[0] = max(x*0.6, 0.2)
			return x
		}}
	train := []int{1, 2, 3, 4, 5, 6, 100, 101, 300}
	got := ruleRun(t, r, w, 0, dt, train, 310)
	// By hand: x = 1, 0.6 (twice Δ = 0.5 ms: recovers a little), … computed step by step.
	x, prev := 1.0, -1
	for _, k := range train {
		if prev >= 0 {
			x = 1 - (1-x)*math.Exp(-float64(k-prev)*dt/tau)
		}
		if g := got[k]; math.Abs(g-w*x) > 1e-12*w*x {
			t.Errorf("step %d: %.17g, want %.17g", k, g, w*x)
		}
		x = math.Max(0.6*x, 0.2)
		prev = k
	}
	if got[6] > 0.7*w || got[6] < 0.2*w {
		t.Errorf("step 6: %g: want the floor to hold x near its bound", got[6])
	}
}

// TestPlasticRuleErrors checks what SetPlasticRule refuses, and what PlasticRule returns.
func TestPlasticRuleErrors(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	p, _ := runtime.AllToAll(2, 2, runtime.ConnectOptions{})
	if err := errors.Join(sim.Add("a", newScripted(2, nil)), sim.Connect("p", "a", "a", "g", p)); err != nil {
		t.Fatal(err)
	}
	good := tmRule(tmDepressing)
	edit := func(f func(r *runtime.PlasticRule)) runtime.PlasticRule {
		r := good
		r.States, r.Rest = slices.Clone(r.States), slices.Clone(r.Rest)
		f(&r)
		return r
	}
	for _, c := range []struct {
		name string
		r    runtime.PlasticRule
		want string
	}{
		{"q", good, "no such projection"},
		{"p", edit(func(r *runtime.PlasticRule) { r.Name = "" }), "no Name"},
		{"p", edit(func(r *runtime.PlasticRule) { r.Event = nil }), "no Event"},
		{"p", edit(func(r *runtime.PlasticRule) { r.Rest = r.Rest[:1] }), "1 values at rest for 2 states"},
		{"p", edit(func(r *runtime.PlasticRule) { r.States[1] = "last" }), `"last" is not`},
		{"p", edit(func(r *runtime.PlasticRule) { r.States[1] = "x" }), "state x is named twice"},
		{"p", edit(func(r *runtime.PlasticRule) { r.Rest[0] = math.Inf(1) }), "not a finite number"},
	} {
		if err := sim.SetPlasticRule(c.name, c.r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetPlasticRule(%s, %v): %v, want %q", c.name, c.r.States, err, c.want)
		}
	}
	if _, ok := sim.PlasticRule("p"); ok {
		t.Error("a refused SetPlasticRule set a rule")
	}
	if err := sim.SetPlasticRule("p", good); err != nil {
		t.Fatal(err)
	}
	if r, ok := sim.PlasticRule("p"); !ok || r.Name != "tm" || !slices.Equal(r.States, []string{"x", "u"}) {
		t.Errorf("PlasticRule(p) = %+v, %v", r, ok)
	}
	if _, ok := sim.Plasticity("p"); ok {
		t.Error("Plasticity(p) reports the stock model for a rule")
	}
}

// newRuleCoupled is newPlasticCoupled with the stock model written as rules (tmRule).
func newRuleCoupled(t testing.TB, nExc, nInh, workers int, seed uint64) *coupled {
	c := newCoupled(t, nExc, nInh, workers, seed)
	dep := tmDepressing
	dep.TauRec = 50
	pre := dep
	pre.PerPresynaptic = true
	if err := errors.Join(c.sim.SetPlasticRule("e2i", tmRule(tmFacilitaing)), c.sim.SetPlasticRule("i2e", tmRule(dep)),
		c.sim.SetPlasticRule("e2e", tmRule(pre))); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPlasticRuleWorkersAndResume checks that a spiking network with rules on every projection
// gives, with 1 and 3 workers (its rule updates split between them), the spikes of the stock
// model's network, bit for bit; that a run saved half-way and resumed in a fresh Sim continues
// bit for bit; that the file holds the rule's states and is refused by a sim with the stock
// model; and that a step allocates nothing.
func TestPlasticRuleWorkersAndResume(t *testing.T) {
	const nExc, nInh, steps = 1600, 1100, 200
	ref := newPlasticCoupled(t, nExc, nInh, 1, 1)
	if err := ref.sim.Run(steps); err != nil {
		t.Fatal(err)
	}
	ref.sim.Close()
	for _, w := range []int{1, 3} {
		c := newRuleCoupled(t, nExc, nInh, w, 1)
		if err := c.sim.Run(steps); err != nil {
			t.Fatal(err)
		}
		c.quiet = true
		if n := testing.AllocsPerRun(3, func() { c.sim.Step() }); n != 0 {
			t.Errorf("%d workers: %g allocations per step", w, n)
		}
		c.sim.Close()
		if len(ref.spikes) < 100 || !slices.Equal(c.spikes, ref.spikes) {
			t.Errorf("%d workers: %d spikes, the stock model's %d, or others", w, len(c.spikes), len(ref.spikes))
		}
	}

	const half = 100
	a := newRuleCoupled(t, 300, 200, 1, 1)
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	mid := a.state(t)
	a.spikes = nil
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	end := a.state(t)
	b := newRuleCoupled(t, 300, 200, 2, 1)
	if err := b.sim.ReadState(bytes.NewReader(mid), int64(len(mid))); err != nil {
		t.Fatal(err)
	}
	if err := b.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	b.sim.Close()
	if len(a.spikes) == 0 || !slices.Equal(a.spikes, b.spikes) {
		t.Errorf("resumed: %d spikes, the straight run %d, or others", len(b.spikes), len(a.spikes))
	}
	if !bytes.Equal(b.state(t), end) {
		t.Error("resumed: the final state differs from the straight run's")
	}
	arrays := parseNPZ(t, mid)
	if u := arrays["e2i.stp.u"]; u == nil || !slices.ContainsFunc(u.F64, func(v float64) bool { return v > tmFacilitaing.U }) {
		t.Error("e2i.stp.u: missing from the file, or no synapse facilitated")
	}
	if x := arrays["e2e.stp.x"]; x == nil || len(x.F64) != 300 {
		t.Error("e2e.stp.x: want one value per presynaptic neuron")
	}
	stock := newPlasticCoupled(t, 300, 200, 1, 1)
	var se *runtime.StateError
	if err := stock.sim.ReadState(bytes.NewReader(mid), int64(len(mid))); !errors.As(err, &se) || se.Code != runtime.SimMismatch || !strings.Contains(err.Error(), "rule tm per=connection") {
		t.Errorf("a file with rules into a sim with the stock model: %v", err)
	}
}

// TestPlasticRuleNonFinite: a rule that turns a state NaN is named in the Sim's check, before
// the target group that its NaN factor reaches in the same step.
func TestPlasticRuleNonFinite(t *testing.T) {
	events := 0
	r := runtime.PlasticRule{Name: "bad", States: []string{"x", "y"}, Rest: []float64{1, 1},
		Event: func(s []float64, delta float64, relax bool) float64 {
			events++
			if events == 3 { // the second spike's event at the first synapse
				s[1] = math.NaN()
			}
			return s[0] * s[1]
		}}
	sim, _ := runtime.NewSim(0.5)
	pre, post := newScripted(1, map[int][]int{2: {0}, 4: {0}}), newScripted(2, nil)
	p, err := runtime.FromPairs(1, 2, []int32{0, 0}, []int32{0, 1}, nil, runtime.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(p.SetWeight(1), sim.Add("pre", pre), sim.Add("post", post),
		sim.Connect("p", "pre", "post", "g", p), sim.SetPlasticRule("p", r)); err != nil {
		t.Fatal(err)
	}
	sim.SetFiniteCheck(1)
	err = sim.Run(10)
	var nf *runtime.NonFiniteError
	if !errors.As(err, &nf) || nf.Projection != "p" || nf.State != "y" || nf.Neuron != 0 || nf.Step != 5 || !math.IsNaN(nf.Value) {
		t.Fatalf("Run: %v (%+v), want projection p's state y of synapse 0 NaN at step 5", err, nf)
	}
	if want := `projection "p": plasticity state y of synapse 0 is NaN at t = 2.5 ms (step 5)`; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
}
