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

// tmReference is an independent implementation of Tsodyks–Markram short-term plasticity from
// the published recurrence (Markram, Wang & Tsodyks 1998, eqs. for u_n and R_n; NEST's
// tsodyks2_synapse): for events at times ts, the amplitudes w·u_n·R_n with u_1 = U, R_1 = 1,
// u_(n+1) = U + u_n(1−U)e^(−Δ/τ_facil), R_(n+1) = 1 + (R_n − R_n·u_n − 1)e^(−Δ/τ_rec).
func tmReference(tm runtime.TsodyksMarkram, w float64, ts []float64) []float64 {
	var out []float64
	u, R := tm.U, 1.0
	for n, t := range ts {
		if n > 0 {
			delta := t - ts[n-1]
			ef := 0.0
			if tm.TauFacil > 0 {
				ef = math.Exp(-delta / tm.TauFacil)
			}
			er := math.Exp(-delta / tm.TauRec)
			u, R = tm.U+u*(1-tm.U)*ef, 1+(R-R*u-1)*er
		}
		out = append(out, w*u*R)
	}
	return out
}

var (
	tmDepressing  = runtime.TsodyksMarkram{U: 0.5, TauRec: 800}
	tmFacilitaing = runtime.TsodyksMarkram{U: 0.1, TauRec: 100, TauFacil: 1000}
)

// stpRun runs one presynaptic neuron spiking at the given steps onto postsynaptic neuron 0 of a
// group whose g keeps only what arrives at each step, through a projection of weight w and
// delay d steps with plasticity tm, and returns g after every step.
func stpRun(t *testing.T, tm runtime.TsodyksMarkram, w float64, d int, dt float64, spikeSteps []int, steps int) []float64 {
	t.Helper()
	return plasticRun(t, func(sim *runtime.Sim) error { return sim.SetPlasticity("p", tm) }, w, d, dt, spikeSteps, steps)
}

// plasticRun is stpRun with the plasticity that set gives projection p of the Sim.
func plasticRun(t *testing.T, set func(*runtime.Sim) error, w float64, d int, dt float64, spikeSteps []int, steps int) []float64 {
	t.Helper()
	script := map[int][]int{}
	for _, k := range spikeSteps {
		script[k] = []int{0}
	}
	sim, _ := runtime.NewSim(dt)
	pre, post := newScripted(1, script), newScripted(2, nil)
	post.decay = 0
	// Two synapses, onto neurons 0 and 1: per connection, each keeps its own state.
	p, err := runtime.FromPairs(1, 2, []int32{0, 0}, []int32{0, 1}, nil, runtime.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(p.SetWeight(w), p.SetDelay(d), sim.Add("pre", pre), sim.Add("post", post),
		sim.Connect("p", "pre", "post", "g", p), set(sim)); err != nil {
		t.Fatal(err)
	}
	rec := &gTrace{g: post.g}
	sim.AddRecorder(rec)
	if err := sim.Run(steps); err != nil {
		t.Fatal(err)
	}
	var out []float64
	for k, g := range rec.trace {
		if g[0] != g[1] {
			t.Errorf("step %d: the two synapses of one neuron deliver %g and %g", k, g[0], g[1])
		}
		out = append(out, g[0])
	}
	return out
}

// TestSTPAgainstReference checks the delivered weights of a train of events, regular and not,
// against the independent implementation, to 1e-12 relative, for depressing and facilitating
// parameters, per connection and per presynaptic neuron, and that each arrives d steps after
// its spike and nothing else arrives.
func TestSTPAgainstReference(t *testing.T) {
	const dt, w, d = 0.1, 2.5, 3
	regular := []int{5}
	for len(regular) < 30 {
		regular = append(regular, regular[len(regular)-1]+250) // 40 Hz
	}
	irregular := []int{2, 3, 40, 41, 42, 900, 1500, 1510, 1530, 4000, 4001, 4300}
	for _, c := range []struct {
		name string
		tm   runtime.TsodyksMarkram
	}{{"depressing", tmDepressing}, {"facilitating", tmFacilitaing}} {
		for _, per := range []bool{false, true} {
			tm := c.tm
			tm.PerPresynaptic = per
			for _, train := range [][]int{regular, irregular} {
				last := train[len(train)-1]
				got := stpRun(t, tm, w, d, dt, train, last+d+5)
				var ts []float64
				for _, k := range train {
					ts = append(ts, float64(k)*dt)
				}
				want := tmReference(tm, w, ts)
				for k, g := range got {
					n := slices.Index(train, k-d)
					if n < 0 {
						if g != 0 {
							t.Errorf("%s per-presynaptic=%v: step %d: %g arrives, want nothing", c.name, per, k, g)
						}
						continue
					}
					if math.Abs(g-want[n]) > 1e-12*want[n] {
						t.Errorf("%s per-presynaptic=%v: event %d (step %d): %.17g, want %.17g", c.name, per, n, k, g, want[n])
					}
				}
			}
		}
	}
	// The parameter sets do what their names say over the regular train: depression makes the
	// second event weaker than the first, facilitation stronger.
	dep := stpRun(t, tmDepressing, 1, 0, dt, regular[:2], regular[1]+1)
	fac := stpRun(t, tmFacilitaing, 1, 0, dt, regular[:2], regular[1]+1)
	if a, b := dep[regular[0]], dep[regular[1]]; !(a == 0.5 && b < a) {
		t.Errorf("depressing: first two events %g, %g: want 0.5 (U), then less", a, b)
	}
	if a, b := fac[regular[0]], fac[regular[1]]; !(a == 0.1 && b > a) {
		t.Errorf("facilitating: first two events %g, %g: want 0.1 (U), then more", a, b)
	}
}

// TestSTPSteadyState checks the release of a long periodic train at rate r against the analytic
// fixed point: u_∞ = U/(1 − (1−U)e^(−T/τ_facil)), x_∞ = (1 − e^(−T/τ_rec))/(1 − (1−u_∞)e^(−T/τ_rec)),
// T = 1/r, and for pure depression u_∞ = U.
func TestSTPSteadyState(t *testing.T) {
	const dt, period, spikes = 1.0, 50, 300 // 20 Hz
	var train []int
	for n := range spikes {
		train = append(train, 10+n*period)
	}
	for _, tm := range []runtime.TsodyksMarkram{tmDepressing, tmFacilitaing} {
		T := float64(period) * dt
		er := math.Exp(-T / tm.TauRec)
		u := tm.U
		if tm.TauFacil > 0 {
			u = tm.U / (1 - (1-tm.U)*math.Exp(-T/tm.TauFacil))
		}
		x := (1 - er) / (1 - (1-u)*er)
		got := stpRun(t, tm, 1, 0, dt, train, train[spikes-1]+1)
		if r := got[train[spikes-1]]; math.Abs(r-u*x) > 1e-12 {
			t.Errorf("%+v: steady release %.17g, want u∞·x∞ = %.17g", tm, r, u*x)
		}
		if tm.TauFacil == 0 && math.Abs(u*x-0.5*(1-er)/(1-0.5*er)) > 1e-15 {
			t.Errorf("depression: u∞·x∞ = %g", u*x)
		}
	}
}

// TestSTPErrors checks what SetPlasticity refuses.
func TestSTPErrors(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	p, _ := runtime.AllToAll(2, 2, runtime.ConnectOptions{})
	if err := errors.Join(sim.Add("a", newScripted(2, nil)), sim.Connect("p", "a", "a", "g", p)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		tm   runtime.TsodyksMarkram
		want string
	}{
		{"q", tmDepressing, "no such projection"},
		{"p", runtime.TsodyksMarkram{U: 0, TauRec: 1}, "0 < U ≤ 1"},
		{"p", runtime.TsodyksMarkram{U: 1.5, TauRec: 1}, "0 < U ≤ 1"},
		{"p", runtime.TsodyksMarkram{U: math.NaN(), TauRec: 1}, "0 < U ≤ 1"},
		{"p", runtime.TsodyksMarkram{U: 0.5}, "tau_rec = 0 ms"},
		{"p", runtime.TsodyksMarkram{U: 0.5, TauRec: math.Inf(1)}, "tau_rec"},
		{"p", runtime.TsodyksMarkram{U: 0.5, TauRec: 1, TauFacil: -1}, "tau_facil = -1 ms"},
	} {
		if err := sim.SetPlasticity(c.name, c.tm); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetPlasticity(%s, %+v): %v, want %q", c.name, c.tm, err, c.want)
		}
	}
	if _, ok := sim.Plasticity("p"); ok {
		t.Error("a refused SetPlasticity set plasticity")
	}
	if err := sim.SetPlasticity("p", tmDepressing); err != nil {
		t.Fatal(err)
	}
	if tm, ok := sim.Plasticity("p"); !ok || tm != tmDepressing {
		t.Errorf("Plasticity(p) = %+v, %v", tm, ok)
	}
}

// newPlasticCoupled is newCoupled with short-term plasticity on its three projections: per
// connection, facilitating (e2i, float32 weights, delay 5); per connection, depressing (i2e,
// float64 weights); per presynaptic neuron, depressing (e2e, a constant weight, delay 2).
func newPlasticCoupled(t testing.TB, nExc, nInh, workers int, seed uint64) *coupled {
	c := newCoupled(t, nExc, nInh, workers, seed)
	dep := tmDepressing
	dep.TauRec = 50
	pre := dep
	pre.PerPresynaptic = true
	if err := errors.Join(c.sim.SetPlasticity("e2i", tmFacilitaing), c.sim.SetPlasticity("i2e", dep), c.sim.SetPlasticity("e2e", pre)); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSTPWorkersAndResume checks that a spiking network with plasticity on every projection
// gives the same spikes and state, bit for bit, for 1, 2 and 3 workers; that a run saved
// half-way and resumed in a fresh Sim continues bit for bit; that plasticity changes the run;
// that a file without plasticity is refused; and that a step allocates nothing.
func TestSTPWorkersAndResume(t *testing.T) {
	const nExc, nInh, steps = 1600, 1100, 300
	var ref *coupled
	var refState []byte
	for _, w := range []int{1, 2, 3} {
		c := newPlasticCoupled(t, nExc, nInh, w, 1)
		if err := c.sim.Run(steps); err != nil {
			t.Fatal(err)
		}
		st := c.state(t)
		c.quiet = true
		if n := testing.AllocsPerRun(5, func() { c.sim.Step() }); n != 0 { // plasticity updates split between the workers
			t.Errorf("%d workers: %g allocations per step", w, n)
		}
		c.sim.Close()
		if ref == nil {
			ref, refState = c, st
			plain := newCoupled(t, nExc, nInh, 1, 1)
			if err := plain.sim.Run(steps); err != nil {
				t.Fatal(err)
			}
			if len(c.spikes) < 200 || slices.Equal(plain.spikes, c.spikes) {
				t.Fatalf("%d spikes with plasticity, %d without: want many, and different", len(c.spikes), len(plain.spikes))
			}
			continue
		}
		if !slices.Equal(c.spikes, ref.spikes) {
			t.Errorf("%d workers: %d spikes, 1 worker %d, or others", w, len(c.spikes), len(ref.spikes))
		}
		if !bytes.Equal(st, refState) {
			t.Errorf("%d workers: the state differs from 1 worker's", w)
		}
	}

	const half = 150
	a := newPlasticCoupled(t, 300, 200, 1, 1)
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	mid := a.state(t)
	a.spikes = nil
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	end := a.state(t)
	b := newPlasticCoupled(t, 300, 200, 2, 1)
	if err := b.sim.ReadState(bytes.NewReader(mid), int64(len(mid))); err != nil {
		t.Fatal(err)
	}
	if err := b.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	if len(a.spikes) == 0 || !slices.Equal(a.spikes, b.spikes) {
		t.Errorf("resumed: %d spikes, the straight run %d, or others", len(b.spikes), len(a.spikes))
	}
	if !bytes.Equal(b.state(t), end) {
		t.Error("resumed: the final state differs from the straight run's")
	}
	if n := testing.AllocsPerRun(20, func() { b.sim.Step() }); n != 0 {
		t.Errorf("%g allocations per step", n)
	}
	b.sim.Close()
	// The state files hold the plasticity: after Reset, loading mid gives back its u and x.
	arrays := parseNPZ(t, mid)
	if u := arrays["e2i.stp.u"]; u == nil || len(u.F64) == 0 || !slices.ContainsFunc(u.F64, func(v float64) bool { return v > tmFacilitaing.U }) {
		t.Error("e2i.stp.u: missing from the file, or no synapse facilitated")
	}
	if x := arrays["e2e.stp.x"]; x == nil || len(x.F64) != 300 {
		t.Error("e2e.stp.x: want one value per presynaptic neuron")
	}
	// A file without plasticity, or with other parameters, is refused, naming the projection.
	plain := newCoupled(t, 300, 200, 1, 1)
	pst := plain.state(t)
	var se *runtime.StateError
	if err := b.sim.ReadState(bytes.NewReader(pst), int64(len(pst))); !errors.As(err, &se) || se.Code != runtime.SimMismatch || !strings.Contains(err.Error(), "short-term plasticity") {
		t.Errorf("a file without plasticity: %v", err)
	}
	if err := plain.sim.ReadState(bytes.NewReader(mid), int64(len(mid))); !errors.As(err, &se) || se.Code != runtime.SimMismatch {
		t.Errorf("a file with plasticity into a sim without: %v", err)
	}
}

// TestSTPLoadFaults checks that a state file whose plasticity state cannot be (u or x outside
// [0, 1], a last event at or after the file's step, or before −1) is refused with InvalidValue,
// naming the array, and changes nothing.
func TestSTPLoadFaults(t *testing.T) {
	c := newPlasticCoupled(t, 300, 200, 1, 1)
	if err := c.sim.Run(100); err != nil {
		t.Fatal(err)
	}
	good := c.state(t)
	for _, f := range []struct {
		array string
		edit  func(a *runtime.Array)
		want  string
	}{
		{"e2i.stp.u", func(a *runtime.Array) { a.F64[3] = 1.5 }, "e2i.stp.u: element 3 is 1.5"},
		{"e2e.stp.x", func(a *runtime.Array) { a.F64[0] = math.NaN() }, "e2e.stp.x: element 0 is NaN"},
		{"i2e.stp.last", func(a *runtime.Array) { a.I64[7] = 100 }, "i2e.stp.last: element 7 is step 100, not before the file's step 100"},
		{"i2e.stp.last", func(a *runtime.Array) { a.I64[2] = -2 }, "i2e.stp.last: element 2 is -2"},
	} {
		sf := parseState(t, good)
		f.edit(sf.array(f.array))
		bad := sf.bytes(t, true)
		fresh := newPlasticCoupled(t, 300, 200, 1, 1)
		before := fresh.state(t)
		err := fresh.sim.ReadState(bytes.NewReader(bad), int64(len(bad)))
		var se *runtime.StateError
		if !errors.As(err, &se) || se.Code != runtime.InvalidValue || !strings.Contains(err.Error(), f.want) {
			t.Errorf("%s edited: %v, want invalid-value and %q", f.array, err, f.want)
		}
		if !bytes.Equal(fresh.state(t), before) {
			t.Errorf("%s edited: a refused file changed the sim", f.array)
		}
	}
}

// TestSTPReceptorTargets checks that a plastic projection into a receptor of two targets (the
// second scaled by 0.5) updates each synapse's state once per event, not once per target: both
// targets receive the same release, w·u·x and 0.5·w·u·x, event after event.
func TestSTPReceptorTargets(t *testing.T) {
	const dt = 0.1
	train := []int{1, 11, 21, 31}
	script := map[int][]int{}
	for _, k := range train {
		script[k] = []int{0}
	}
	for _, per := range []bool{false, true} {
		sim, _ := runtime.NewSim(dt)
		pre, post := newScripted(1, script), newScripted(2, nil)
		post.decay = 0
		post.model.Receptors = []runtime.Receptor{{Name: "E", Target: "g", WeightUnit: "mS", Event: "g += w; V += 0.5*w",
			Targets: []runtime.ReceptorTarget{{Var: "g", Scale: 1}, {Var: "V", Scale: 0.5}}}}
		p, _ := runtime.FromPairs(1, 2, []int32{0, 0}, []int32{0, 1}, []float64{2, 4}, runtime.ConnectOptions{})
		tm := tmFacilitaing
		tm.PerPresynaptic = per
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post), sim.ConnectReceptor("x", "pre", "post", "E", p), sim.SetPlasticity("x", tm)); err != nil {
			t.Fatal(err)
		}
		var ts []float64
		for _, k := range train {
			ts = append(ts, float64(k)*dt)
		}
		want := tmReference(tm, 1, ts) // the release u·x of each event
		done := 0
		for n, k := range train {
			v0 := slices.Clone(post.v)
			if err := sim.Run(k + 1 - done); err != nil { // up to the step the event arrives at
				t.Fatal(err)
			}
			done = k + 1
			for j, w := range []float64{2, 4} {
				if g := post.g[j]; math.Abs(g-w*want[n]) > 1e-12 {
					t.Errorf("per-presynaptic=%v: event %d: g[%d] receives %g, want %g·%g = %g", per, n, j, g, w, want[n], w*want[n])
				}
				if dv := post.v[j] - v0[j]; math.Abs(dv-0.5*w*want[n]) > 1e-12 {
					t.Errorf("per-presynaptic=%v: event %d: V[%d] jumps by %g, want 0.5·%g·%g = %g", per, n, j, dv, w, want[n], 0.5*w*want[n])
				}
			}
		}
	}
}
