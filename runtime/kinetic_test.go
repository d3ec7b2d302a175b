package runtime_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// kinGroup is a hand-written group with one kinetic receptor "K" (the AMPA of Destexhe, Mainen
// and Sejnowski: r' = alpha·T·(1 − r) − beta·r, T = Cmax in a pulse): per neuron the sums
// K.r_on, K.r_off, K.w_on, stepped exactly for constant w_on, as exp_auto steps them:
// r_on ← r∞·w_on + (r_on − r∞·w_on)·e^(BOn·dt), r_off ← r_off·e^(BOff·dt).
type kinGroup struct {
	*passive
	model       runtime.Model
	on, off, wo []float64
}

const (
	kinAlpha, kinBeta, kinCmax, kinDur = 1.1, 0.19, 1.0, 1.0 // /ms/mM, /ms, mM, ms
)

func kineticAMPA() *runtime.KineticReceptor {
	return &runtime.KineticReceptor{State: "r", On: "K.r_on", Off: "K.r_off", WOn: "K.w_on",
		AOn: kinAlpha * kinCmax, BOn: -(kinAlpha*kinCmax + kinBeta), BOff: -kinBeta, Dur: kinDur}
}

func newKinGroup(n int) *kinGroup {
	g := &kinGroup{passive: newPassive(n), on: make([]float64, n), off: make([]float64, n), wo: make([]float64, n)}
	g.model = g.passive.model
	g.model.Name = "kinetic"
	g.model.Vars = append(slices.Clone(g.model.Vars),
		runtime.Var{Name: "K.r_on", Unit: "mS", Kind: "receptor"},
		runtime.Var{Name: "K.r_off", Unit: "mS", Kind: "receptor"},
		runtime.Var{Name: "K.w_on", Unit: "mS", Kind: "receptor"})
	g.model.Receptors = []runtime.Receptor{{Name: "K", WeightUnit: "mS", Event: "T = Cmax for Cdur", Kinetic: kineticAMPA()}}
	return g
}

func (g *kinGroup) Model() *runtime.Model { return &g.model }
func (g *kinGroup) Step(t, dt float64)    { g.StepRange(0, g.Len(), t, dt); g.now = t + dt }
func (g *kinGroup) StepRange(lo, hi int, t, dt float64) {
	g.passive.StepRange(lo, hi, t, dt)
	k := kineticAMPA()
	eOn, eOff := math.Exp(k.BOn*dt), math.Exp(k.BOff*dt)
	rinf := -k.AOn / k.BOn
	for i := lo; i < hi; i++ {
		g.on[i] = rinf*g.wo[i] + (g.on[i]-rinf*g.wo[i])*eOn
		g.off[i] *= eOff
	}
}
func (g *kinGroup) Reset() {
	g.passive.Reset()
	clear(g.on)
	clear(g.off)
	clear(g.wo)
}
func (g *kinGroup) Var(name string) []float64 {
	switch name {
	case "K.r_on":
		return g.on
	case "K.r_off":
		return g.off
	case "K.w_on":
		return g.wo
	}
	return g.passive.Var(name)
}

// refSynapse integrates one synapse's r' = alpha·T·(1 − r) − beta·r on its own, step by step
// with n substeps of classic RK4, the transmitter Cmax over the steps k with last + 1 ≤ k ≤
// last + D for the step `last` of its latest event (as Brian2's reference and DMS's
// NET_RECEIVE have it: an event during a pulse restarts it).
type refSynapse struct {
	r    float64
	last int // the step of the latest event arrival; −1: none
}

func (s *refSynapse) step(k, d, n int, dt float64) {
	T := 0.0
	if s.last >= 0 && k >= s.last+1 && k <= s.last+d {
		T = kinCmax
	}
	f := func(r float64) float64 { return kinAlpha*T*(1-r) - kinBeta*r }
	h := dt / float64(n)
	for range n {
		k1 := f(s.r)
		k2 := f(s.r + h/2*k1)
		k3 := f(s.r + h/2*k2)
		k4 := f(s.r + h*k3)
		s.r += h / 6 * (k1 + 2*k2 + 2*k3 + k4)
	}
}

// TestKineticClosedForm drives two synapses of weights 1 and 2.5 (from two presynaptic
// neurons) onto one neuron with the clamp reference's spikes (steps 50 and 55, a restart
// inside the first pulse; 200 from both at once; 1000 and 1015; 400), and holds at every step
// each synapse's r (Sim.Kinetic, the closed form) and the neuron's r_on + r_off (the group's
// integration of the sums, with the closed form's moves at pulse starts and ends) to an
// independent fine-step integration of each synapse's ODE, and w_on to the weights of the
// synapses in their pulse. A pulse one step short or long, a restart that ends the first
// pulse, or a move of w·r between the wrong sums fails by far more than the tolerance.
func TestKineticClosedForm(t *testing.T) {
	const dt, steps, d = 0.1, 1400, 10
	script := map[int][]int{50: {0}, 55: {0}, 200: {0, 1}, 400: {1}, 1000: {0}, 1015: {0}}
	for _, delay := range []int{0, 3} {
		sim, _ := runtime.NewSim(dt)
		pre, post := newScripted(2, script), newKinGroup(1)
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
			t.Fatal(err)
		}
		w := []float64{1, 2.5}
		p, err := runtime.FromPairs(2, 1, []int32{0, 1}, []int32{0, 0}, w, runtime.ConnectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetDelay(delay); err != nil {
			t.Fatal(err)
		}
		if err := sim.ConnectReceptor("k", "pre", "post", "K", p); err != nil {
			t.Fatal(err)
		}
		ref := []refSynapse{{last: -1}, {last: -1}}
		peak, worst, worstR := 0.0, 0.0, 0.0
		for k := range steps {
			if err := sim.Step(); err != nil {
				t.Fatal(err)
			}
			// The reference: integrate step k, then the events arriving at step k (emitted at k − delay).
			won := 0.0
			for q := range ref {
				ref[q].step(k, d, 100, dt)
				if slices.Contains(script[k-delay], q) {
					ref[q].last = k
				}
				if ref[q].last >= 0 && k+1 <= ref[q].last+d {
					won += w[q] // in its pulse for the next step
				}
			}
			sum := w[0]*ref[0].r + w[1]*ref[1].r
			peak = max(peak, sum)
			got := post.on[0] + post.off[0]
			worst = max(worst, math.Abs(got-sum))
			rs := sim.Kinetic("k")
			for q := range ref {
				worstR = max(worstR, math.Abs(rs[q]-ref[q].r))
			}
			if post.wo[0] != won {
				t.Fatalf("delay %d, after step %d: w_on = %g, want %g", delay, k, post.wo[0], won)
			}
		}
		if peak < 0.5 {
			t.Fatalf("delay %d: the sum peaks at %g: the synapses did not open", delay, peak)
		}
		// RK4 with 100 substeps of 0.001 ms is within ~1e-16 per step of the exact solution.
		t.Logf("worst %g worstR %g peak %g", worst, worstR, peak)
		if worst > 1e-12*peak || worstR > 1e-12 {
			t.Errorf("delay %d: r_on + r_off is %g from the fine-step sum (peak %g), a synapse's r %g: want 1e-12", delay, worst, peak, worstR)
		}
	}
}

// kinNet is a network of a scripted presynaptic group of 60 neurons spiking at random steps
// onto 1500 kinetic neurons, p = 0.2, weights drawn per synapse, delay 2 steps.
func kinNet(t testing.TB, workers int) (*runtime.Sim, *kinGroup) {
	t.Helper()
	const npre, npost = 60, 1500
	rng := rand.New(rand.NewPCG(3, 4))
	script := map[int][]int{}
	for k := range 400 {
		for i := range npre {
			if rng.Float64() < 0.04 {
				script[k] = append(script[k], i)
			}
		}
	}
	sim, _ := runtime.NewSim(0.1)
	pre, post := newScripted(npre, script), newKinGroup(npost)
	if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
		t.Fatal(err)
	}
	p, err := runtime.FixedProbability(npre, npost, 0.2, runtime.ConnectOptions{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float64, p.Len())
	for q := range w {
		w[q] = 0.5 + rng.Float64()
	}
	if err := errors.Join(p.SetWeights64(w), p.SetDelay(2), sim.ConnectReceptor("k", "pre", "post", "K", p), sim.SetWorkers(workers)); err != nil {
		t.Fatal(err)
	}
	return sim, post
}

// TestKineticWorkers: the sums of a kinetic projection are the same bits for 1, 2 and 3
// workers (each synapse moved by the worker owning its postsynaptic neuron, in a fixed order).
func TestKineticWorkers(t *testing.T) {
	var want [][]float64
	for _, workers := range []int{1, 2, 3} {
		sim, post := kinNet(t, workers)
		if err := sim.Run(300); err != nil {
			t.Fatal(err)
		}
		got := [][]float64{post.on, post.off, post.wo, sim.Kinetic("k")}
		if workers == 1 {
			want = got
			if slices.Max(post.on) <= 0 || slices.Max(post.off) <= 0 {
				t.Fatalf("no synapse opened: max r_on %g, r_off %g", slices.Max(post.on), slices.Max(post.off))
			}
			continue
		}
		for a := range want {
			for i := range want[a] {
				if math.Float64bits(got[a][i]) != math.Float64bits(want[a][i]) {
					t.Fatalf("%d workers: array %d [%d] = %v, 1 worker %v", workers, a, i, got[a][i], want[a][i])
				}
			}
		}
	}
}

// TestKineticSaveResume: a run saved half-way (with pulses in flight) and resumed in a fresh
// Sim gives the straight run's bits; the state file holds each synapse's state.
func TestKineticSaveResume(t *testing.T) {
	straight, sp := kinNet(t, 1)
	if err := straight.Run(300); err != nil {
		t.Fatal(err)
	}
	half, _ := kinNet(t, 2)
	if err := half.Run(151); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := half.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("k.kin.end")) {
		t.Error("the state file has no array k.kin.end")
	}
	resumed, rp := kinNet(t, 3)
	if err := resumed.ReadState(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Run(149); err != nil {
		t.Fatal(err)
	}
	for a, pair := range [][2][]float64{{sp.on, rp.on}, {sp.off, rp.off}, {sp.wo, rp.wo}, {straight.Kinetic("k"), resumed.Kinetic("k")}} {
		for i := range pair[0] {
			if math.Float64bits(pair[0][i]) != math.Float64bits(pair[1][i]) {
				t.Fatalf("array %d [%d]: resumed %v, straight %v", a, i, pair[1][i], pair[0][i])
			}
		}
	}
	// Reset puts every synapse at rest: a second run from step 0 is the first.
	straight.Reset()
	if err := straight.Run(300); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sp.on, rp.on) {
		t.Error("after Reset the run differs")
	}
}

// TestKineticAllocs: a step of a network with a kinetic projection, or with a Poisson input
// into a kinetic receptor, allocates nothing.
func TestKineticAllocs(t *testing.T) {
	sim, _ := kinNet(t, 2)
	if err := sim.Run(50); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = sim.Step() }); n != 0 {
		t.Errorf("%g allocations per step", n)
	}
	psim, _ := kinPoisson(t, 40, nil)
	if err := psim.Run(50); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = psim.Step() }); n != 0 {
		t.Errorf("Poisson input: %g allocations per step", n)
	}
}

// kinPoisson is a Sim of a kinetic group of n neurons driven by a Poisson input into K of
// weight 1.5 at 300 Hz, and, when count is not nil, a second input of the same seed and
// stream (the same draws) into count, a state of the Sim, which counts the events.
func kinPoisson(t testing.TB, n int, count []float64) (*runtime.Sim, *kinGroup) {
	t.Helper()
	sim, _ := runtime.NewSim(0.1)
	post := newKinGroup(n)
	if err := sim.Add("post", post); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoissonReceptor("drive", "post", "K", []float64{300}, 1.5, 5, 6); err != nil {
		t.Fatal(err)
	}
	if count != nil {
		if err := sim.AddState("n.count", count); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.AddPoisson("twin", "post", "n.count", []float64{300}, 1, 5, 6); err != nil {
			t.Fatal(err)
		}
	}
	return sim, post
}

// TestKineticPoisson: a Poisson input into a kinetic receptor is one synapse per neuron, whose
// events (counted by a twin input of the same draws) start or restart its pulse: each neuron's
// r_on + r_off, and w times its r (Sim.Kinetic), is w times the fine-step integration of that
// synapse's ODE, to 1e-12, and w_on is w in a pulse; a run saved half-way and resumed gives the
// straight run's bits.
func TestKineticPoisson(t *testing.T) {
	const n, steps, d, w = 4, 600, 10, 1.5
	count := make([]float64, n)
	sim, post := kinPoisson(t, n, count)
	ref := make([]refSynapse, n)
	for i := range ref {
		ref[i].last = -1
	}
	events, restarts, worst := 0, 0, 0.0
	for k := range steps {
		clear(count)
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		for i := range ref {
			ref[i].step(k, d, 100, 0.1)
			if count[i] > 0 {
				events++
				if ref[i].last >= 0 && k <= ref[i].last+d {
					restarts++
				}
				ref[i].last = k
			}
			won := 0.0
			if ref[i].last >= 0 && k+1 <= ref[i].last+d {
				won = w
			}
			if post.wo[i] != won {
				t.Fatalf("after step %d, neuron %d: w_on = %g, want %g", k, i, post.wo[i], won)
			}
			worst = max(worst, math.Abs(post.on[i]+post.off[i]-w*ref[i].r))
		}
		rs := sim.Kinetic("drive") // each neuron's synapse, in closed form
		if len(rs) != n {
			t.Fatalf("Kinetic(drive) has %d values for %d neurons", len(rs), n)
		}
		for i, r := range rs {
			worst = max(worst, math.Abs(w*r-w*ref[i].r))
		}
	}
	if events < 50 || restarts == 0 {
		t.Fatalf("%d events, %d restarts: want many, and some", events, restarts)
	}
	if worst > 1e-12 {
		t.Errorf("r_on + r_off is %g from w times the fine-step r", worst)
	}

	straight, sp := kinPoisson(t, n, nil)
	half, _ := kinPoisson(t, n, nil)
	resumed, rp := kinPoisson(t, n, nil)
	var buf bytes.Buffer
	if err := errors.Join(straight.Run(300), half.Run(137), half.WriteState(&buf)); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(resumed.ReadState(bytes.NewReader(buf.Bytes()), int64(buf.Len())), resumed.Run(163)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sp.on, rp.on) || !slices.Equal(sp.off, rp.off) || !slices.Equal(sp.wo, rp.wo) {
		t.Errorf("resumed r_on %v, straight %v", rp.on, sp.on)
	}
}

// TestKineticErrors: a pulse that is not a whole number of steps (for a projection and a
// Poisson input), and plasticity into a kinetic receptor, are refused.
func TestKineticErrors(t *testing.T) {
	sim, _ := runtime.NewSim(0.3)
	if err := errors.Join(sim.Add("pre", newScripted(2, nil)), sim.Add("post", newKinGroup(2))); err != nil {
		t.Fatal(err)
	}
	p, _ := runtime.AllToAll(2, 2, runtime.ConnectOptions{})
	if err := sim.ConnectReceptor("k", "pre", "post", "K", p); err == nil || !strings.Contains(err.Error(), "3.333 steps of 0.3 ms") {
		t.Errorf("a pulse of 1 ms at dt 0.3 ms: %v", err)
	}
	if _, err := sim.AddPoissonReceptor("in", "post", "K", []float64{10}, 1, 1, 0); err == nil || !strings.Contains(err.Error(), "3.333 steps of 0.3 ms") {
		t.Errorf("Poisson into a pulse of 1 ms at dt 0.3 ms: %v", err)
	}
	sim, _ = runtime.NewSim(0.1)
	if err := errors.Join(sim.Add("pre", newScripted(2, nil)), sim.Add("post", newKinGroup(2))); err != nil {
		t.Fatal(err)
	}
	if err := sim.ConnectReceptor("k", "pre", "post", "K", p); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetPlasticity("k", runtime.TsodyksMarkram{U: 0.5, TauRec: 100}); err == nil || !strings.Contains(err.Error(), "kinetic") {
		t.Errorf("plasticity into a kinetic receptor: %v", err)
	}
	// A projection and a Poisson input into kinetic receptors cannot share a name: both would
	// save NAME.kin.r, and Save would fail at the end of the run. Either order is refused.
	if _, err := sim.AddPoissonReceptor("k", "post", "K", []float64{10}, 1, 1, 0); err == nil || !strings.Contains(err.Error(), "projection k, into a kinetic receptor too, has the name") {
		t.Errorf("a Poisson input named as a kinetic projection: %v", err)
	}
	if _, err := sim.AddPoissonReceptor("in", "post", "K", []float64{10}, 1, 1, 0); err != nil {
		t.Fatal(err)
	}
	if err := sim.ConnectReceptor("in", "pre", "post", "K", p); err == nil || !strings.Contains(err.Error(), "Poisson input in, into a kinetic receptor too, has the name") {
		t.Errorf("a kinetic projection named as a kinetic Poisson input: %v", err)
	}
	var buf bytes.Buffer
	if err := sim.WriteState(&buf); err != nil {
		t.Errorf("the sim that refused both saves: %v", err)
	}
}

// TestKineticLoadFaults: a state file whose per-synapse kinetic state cannot be (a transition
// at or after the file's step, a pulse end without a transition, r off a synapse at rest or
// outside [0, r∞], a pulse over but not ended at its last transition, a pulse ending later than
// one started at the file's last step can) is refused with InvalidValue, naming the array and
// the element, and changes nothing; for a projection and for a Poisson input.
func TestKineticLoadFaults(t *testing.T) {
	sim, _ := kinNet(t, 1)
	if err := sim.Run(21); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sim.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	sf := parseState(t, good)
	last, end := sf.array("k.kin.last").I64, sf.array("k.kin.end").I64
	on, rest, over := -1, -1, -1 // a synapse in its pulse, one at rest, one whose pulse is over
	for q := range last {
		switch {
		case on < 0 && end[q] >= 21:
			on = q
		case rest < 0 && last[q] == -1:
			rest = q
		case over < 0 && last[q] >= 0 && end[q] < 21 && end[q] > 0:
			over = q
		}
	}
	if on < 0 || rest < 0 || over < 0 {
		t.Fatalf("no synapse in a pulse (%d), at rest (%d) or after one (%d) at step 21", on, rest, over)
	}
	if end[over] != last[over] || end[on] > 30 || last[on] > end[on]-10 {
		t.Fatalf("the straight run's file breaks the invariants: last %d end %d, last %d end %d", last[over], end[over], last[on], end[on])
	}
	for _, f := range []struct {
		array string
		q     int
		edit  func(a *runtime.Array, q int)
		want  string
	}{
		{"k.kin.last", on, func(a *runtime.Array, q int) { a.I64[q] = 21 }, "k.kin.last: element %d is step 21, not before the file's step 21"},
		{"k.kin.end", rest, func(a *runtime.Array, q int) { a.I64[q] = 40 }, "k.kin.last and .kin.end: element %d: its last transition is at step -1 and its pulse ends at step 40"},
		{"k.kin.r", rest, func(a *runtime.Array, q int) { a.F64[q] = 0.25 }, "k.kin.r: element %d is 0.25 for a synapse at rest"},
		{"k.kin.r", over, func(a *runtime.Array, q int) { a.F64[q] = 0.9 }, "k.kin.r: element %d is 0.9, outside [0, 0.8527"},
		{"k.kin.r", over, func(a *runtime.Array, q int) { a.F64[q] = -1e-9 }, "k.kin.r: element %d is -1e-09, outside"},
		{"k.kin.end", over, func(a *runtime.Array, q int) { a.I64[q]-- }, "k.kin.end: element %d: the pulse ended at step"},
		{"k.kin.end", on, func(a *runtime.Array, q int) { a.I64[q] = 31 }, "k.kin.end: element %d: a pulse of 10 steps started at step"},
	} {
		sf := parseState(t, good)
		f.edit(sf.array(f.array), f.q)
		bad := sf.bytes(t, true)
		fresh, _ := kinNet(t, 1)
		before := stateBytes(t, fresh)
		err := fresh.ReadState(bytes.NewReader(bad), int64(len(bad)))
		want := fmt.Sprintf(f.want, f.q)
		var se *runtime.StateError
		if !errors.As(err, &se) || se.Code != runtime.InvalidValue || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "projection k") {
			t.Errorf("%s edited: %v, want invalid-value and %q", f.array, err, want)
		}
		if !bytes.Equal(stateBytes(t, fresh), before) {
			t.Errorf("%s edited: a refused file changed the sim", f.array)
		}
	}
	// A pulse on whose spike the history does not hold: its end would never be found.
	sf = parseState(t, good)
	hist := sf.array("pre.spiked.history")
	rows, npre := hist.Shape[0], hist.Shape[1]
	start := sim.Projection("k").Start()
	i := 0
	for int(start[i+1]) <= on {
		i++
	}
	k := int(end[on]) - 10 - 2 // the pulse's 10 steps and the delay's 2
	if !hist.Bool[k%rows*npre+i] {
		t.Fatalf("the file's history lacks the spike of step %d of neuron %d that started synapse %d's pulse", k, i, on)
	}
	hist.Bool[k%rows*npre+i] = false
	bad := sf.bytes(t, true)
	fresh, _ := kinNet(t, 1)
	before := stateBytes(t, fresh)
	err := fresh.ReadState(bytes.NewReader(bad), int64(len(bad)))
	var se *runtime.StateError
	want := fmt.Sprintf("its presynaptic neuron %d did not spike at step %d", i, k)
	if !errors.As(err, &se) || se.Code != runtime.InvalidValue || !strings.Contains(err.Error(), want) {
		t.Errorf("a spike taken from the history: %v, want invalid-value and %q", err, want)
	}
	if !bytes.Equal(stateBytes(t, fresh), before) {
		t.Error("a spike taken from the history: a refused file changed the sim")
	}
	// The same checks for a Poisson input's synapses.
	psim, _ := kinPoisson(t, 4, nil)
	buf.Reset()
	if err := errors.Join(psim.Run(50), psim.WriteState(&buf)); err != nil {
		t.Fatal(err)
	}
	sf = parseState(t, buf.Bytes())
	sf.array("drive.kin.last").I64[2] = 77
	bad = sf.bytes(t, true)
	pfresh, _ := kinPoisson(t, 4, nil)
	err = pfresh.ReadState(bytes.NewReader(bad), int64(len(bad)))
	if !errors.As(err, &se) || se.Code != runtime.InvalidValue || !strings.Contains(err.Error(), "Poisson input drive: array drive.kin.last: element 2 is step 77, not before the file's step 50") {
		t.Errorf("drive.kin.last edited: %v", err)
	}
}
