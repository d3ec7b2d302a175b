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

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/runtime"
)

// scripted is a test group whose neurons spike at given steps, with a state g that halves at
// every step: a delivery's weight shows in g at the end of the step it arrives, and half of it
// after the next step, which shows that it entered that step.
type scripted struct {
	*passive
	model  runtime.Model
	g      []float64
	g32    []float32     // g in single precision, as a group generated with -float32 stores it (g is then nil)
	script map[int][]int // step → the neurons that spike then
	decay  float64       // g's factor per step
}

// newScripted32 is newScripted with g in single precision (Var32).
func newScripted32(n int, script map[int][]int) *scripted {
	s := newScripted(n, script)
	s.g, s.g32 = nil, make([]float32, n)
	return s
}

func (s *scripted) Var32(name string) []float32 {
	if name == "g" {
		return s.g32
	}
	return nil
}

func newScripted(n int, script map[int][]int) *scripted {
	s := &scripted{passive: newPassive(n), g: make([]float64, n), script: script, decay: 0.5}
	s.model = s.passive.model
	s.model.Name = "scripted"
	s.model.Vars = append(slices.Clone(s.model.Vars), runtime.Var{Name: "g", Unit: "nS", Kind: "receptor"})
	return s
}

func (s *scripted) Model() *runtime.Model { return &s.model }
func (s *scripted) Step(t, dt float64)    { s.StepRange(0, s.Len(), t, dt); s.now = t + dt }
func (s *scripted) StepRange(lo, hi int, t, dt float64) {
	k := int(math.Round(t / dt))
	for i := lo; i < hi; i++ {
		if s.g32 != nil {
			s.g32[i] *= float32(s.decay)
		} else {
			s.g[i] *= s.decay
		}
		s.spiked[i] = slices.Contains(s.script[k], i)
		if s.spiked[i] {
			s.spikeTimes[i] = t
		}
	}
}
func (s *scripted) Var(name string) []float64 {
	if name == "g" {
		return s.g
	}
	return s.passive.Var(name)
}

// gTrace records g of a group after every step (g32 widened, if g is in single precision).
type gTrace struct {
	g     []float64
	g32   []float32
	trace [][]float64
}

func (r *gTrace) Record(step int64, t float64) {
	if r.g32 != nil {
		v := make([]float64, len(r.g32))
		for i, x := range r.g32 {
			v[i] = float64(x)
		}
		r.trace = append(r.trace, v)
		return
	}
	r.trace = append(r.trace, slices.Clone(r.g))
}

// TestNetDeliveryTiming checks, against a hand-computed trace, that a spike with delay d
// arrives exactly d steps after the step that emitted it (d = 0: at the end of that step, so
// that the next step sees it), each synapse adding its weight.
func TestNetDeliveryTiming(t *testing.T) {
	// Pre neuron 0 spikes at step 2, pre neuron 2 at steps 4 and 5.
	script := map[int][]int{2: {0}, 4: {2}, 5: {2}}
	for _, d := range []int{0, 1, 3} {
		sim, _ := runtime.NewSim(0.1)
		pre, post := newScripted(3, script), newScripted(2, nil)
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
			t.Fatal(err)
		}
		// 0 → 1 (w 1), 2 → 0 (w 10), 2 → 1 (w 100).
		p, err := runtime.FromPairs(3, 2, []int32{2, 0, 2}, []int32{1, 1, 0}, []float64{100, 1, 10}, runtime.ConnectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetDelay(d); err != nil {
			t.Fatal(err)
		}
		if err := sim.Connect("p", "pre", "post", "g", p); err != nil {
			t.Fatal(err)
		}
		rec := &gTrace{g: post.g}
		sim.AddRecorder(rec)
		if err := sim.Run(12); err != nil {
			t.Fatal(err)
		}
		// By hand: g after step k is half of g after step k−1, plus what arrives at step k.
		arrive := map[int][2]float64{2 + d: {0, 1}, 4 + d: {10, 100}, 5 + d: {10, 100}}
		var g [2]float64
		for k := range 12 {
			g[0], g[1] = g[0]*0.5+arrive[k][0], g[1]*0.5+arrive[k][1]
			if rec.trace[k][0] != g[0] || rec.trace[k][1] != g[1] {
				t.Errorf("d = %d: after step %d g = %v, want %v", d, k, rec.trace[k], g)
			}
		}
		// The first arrival, spelt out: nothing before step 2+d, 1 at its end, 0.5 after the next.
		if rec.trace[1+d][1] != 0 || rec.trace[2+d][1] != 1 || rec.trace[3+d][1] != 0.5 {
			t.Errorf("d = %d: g[1] at steps %d, %d, %d is %g, %g, %g; want 0, 1, 0.5", d, 1+d, 2+d, 3+d, rec.trace[1+d][1], rec.trace[2+d][1], rec.trace[3+d][1])
		}
	}
}

// TestNetDelayLengthened: a delay made longer after Connect (SetDelay 2 → 5 after two steps)
// delivers every spike the new delay after its step, the spike of step 1 (held in the history)
// included, in a run and in a run saved after the change and resumed in a Sim connected with
// the longer delay; with the history left at the old delay's 3 rows, step k would read step
// k − 2's row (step 5's spike at 7, step 1's lost).
func TestNetDelayLengthened(t *testing.T) {
	script := map[int][]int{1: {0}, 5: {0}, 8: {0}}
	build := func(d int) (*runtime.Sim, *runtime.Projection, *scripted) {
		sim, _ := runtime.NewSim(0.1)
		pre, post := newScripted(1, script), newScripted(1, nil)
		post.decay = 1 // g counts what arrived
		p, err := runtime.FromPairs(1, 1, []int32{0}, []int32{0}, []float64{1}, runtime.ConnectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post), p.SetDelay(d), sim.Connect("p", "pre", "post", "g", p)); err != nil {
			t.Fatal(err)
		}
		return sim, p, post
	}
	// Arrivals: step 1's spike at 6, step 5's at 10, step 8's at 13 (after the run).
	want := []float64{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2}
	sim, p, post := build(2)
	rec := &gTrace{g: post.g}
	sim.AddRecorder(rec)
	if err := errors.Join(sim.Run(2), p.SetDelay(5), sim.Run(10)); err != nil {
		t.Fatal(err)
	}
	for k, g := range rec.trace {
		if g[0] != want[k] {
			t.Errorf("after step %d g = %g, want %g", k, g[0], want[k])
		}
	}
	// Saved right after the change (before a step), resumed with delay 5 from Connect on.
	sim, p, _ = build(2)
	var buf bytes.Buffer
	if err := errors.Join(sim.Run(2), p.SetDelay(5), sim.WriteState(&buf)); err != nil {
		t.Fatal(err)
	}
	resumed, _, rpost := build(5)
	rrec := &gTrace{g: rpost.g}
	resumed.AddRecorder(rrec)
	if err := errors.Join(resumed.ReadState(bytes.NewReader(buf.Bytes()), int64(buf.Len())), resumed.Run(10)); err != nil {
		t.Fatal(err)
	}
	for k, g := range rrec.trace {
		if g[0] != want[k+2] {
			t.Errorf("resumed: after step %d g = %g, want %g", k+2, g[0], want[k+2])
		}
	}
}

// TestNetConnectErrors checks what Connect refuses.
func TestNetConnectErrors(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	if err := errors.Join(sim.Add("a", newScripted(3, nil)), sim.Add("b", newScripted(2, nil))); err != nil {
		t.Fatal(err)
	}
	p, _ := runtime.AllToAll(3, 2, runtime.ConnectOptions{})
	for _, c := range []struct {
		name, pre, post, target string
		p                       *runtime.Projection
		want                    string
	}{
		{"1x", "a", "b", "g", p, "not an ASCII identifier"},
		{"x", "c", "b", "g", p, "no group c"},
		{"x", "a", "c", "g", p, "no group c"},
		{"x", "b", "a", "g", p, "from 3 neurons, group b has 2"},
		{"x", "a", "b", "h", p, "has no per-neuron variable h"},
		{"x", "a", "b", "g", nil, "nil"},
	} {
		if err := sim.Connect(c.name, c.pre, c.post, c.target, c.p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Connect(%s, %s, %s, %s): %v, want %q", c.name, c.pre, c.post, c.target, err, c.want)
		}
	}
	if err := sim.Connect("x", "a", "b", "g", p); err != nil {
		t.Fatal(err)
	}
	if err := sim.Connect("x", "a", "b", "V", p); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("second x: %v", err)
	}
	// A state added with AddState, one value per postsynaptic neuron, is a target too.
	syn := make([]float64, 2)
	if err := sim.AddState("syn.g", syn); err != nil {
		t.Fatal(err)
	}
	if err := sim.Connect("y", "a", "b", "syn.g", p); err != nil {
		t.Errorf("into syn.g: %v", err)
	}
	if err := sim.AddState("syn.h", make([]float64, 3)); err != nil {
		t.Fatal(err)
	}
	if err := sim.Connect("z", "a", "b", "syn.h", p); err == nil || !strings.Contains(err.Error(), "holds 3 values for 2 neurons") {
		t.Errorf("into syn.h of 3 values: %v", err)
	}
	a := sim.Group("a").(*scripted)
	a.script = map[int][]int{0: {1}}
	if err := sim.Run(1); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(syn, []float64{1, 1}) {
		t.Errorf("syn.g after a spike of a[1] all-to-all: %v, want [1 1]", syn)
	}
}

// coupled is a spiking network of two stock groups coupled both ways, with a Poisson input.
type coupled struct {
	sim    *runtime.Sim
	exc    *hh52.Group
	inh    *wangbuzsaki.Group
	spikes []string
	quiet  bool // record nothing
}

func (c *coupled) Record(step int64, t float64) {
	if c.quiet {
		return
	}
	for _, g := range []struct {
		name string
		g    runtime.Group
	}{{"exc", c.exc}, {"inh", c.inh}} {
		for i, s := range g.g.Spiked() {
			if s {
				c.spikes = append(c.spikes, fmt.Sprintf("%s %d %d", g.name, i, step))
			}
		}
	}
}

// newCoupled builds the network: HH52 → Wang–Buzsáki, and back, and HH52 onto itself, each
// projection adding into V (a jump in mV, a delta synapse), with weights of each kind
// (float32, float64, a constant) and delays 0, 2 and 5 steps, and a Poisson drive.
func newCoupled(t testing.TB, nExc, nInh, workers int, seed uint64) *coupled {
	t.Helper()
	sim, err := runtime.NewSim(0.02)
	if err != nil {
		t.Fatal(err)
	}
	c := &coupled{sim: sim, exc: hh52.New(nExc), inh: wangbuzsaki.New(nInh)}
	r := rand.New(rand.NewPCG(seed, 99))
	for i := range c.exc.V {
		c.exc.V[i] = -70 + 30*r.Float64()
		c.exc.Input()[i] = 5 + 5*r.Float64()
	}
	for i := range c.inh.V {
		c.inh.V[i] = -70 + 20*r.Float64()
	}
	c.exc.Equilibrate()
	c.inh.Equilibrate()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(errors.Join(sim.Add("exc", c.exc), sim.Add("inh", c.inh), sim.SetWorkers(workers)))
	e2i, err := runtime.FixedProbability(nExc, nInh, 0.05, runtime.ConnectOptions{Seed: seed, Stream: 1})
	check(err)
	w32 := make([]float32, e2i.Len())
	for k := range w32 {
		w32[k] = float32(0.2 + 0.6*r.Float64())
	}
	check(errors.Join(e2i.SetWeights32(w32), e2i.SetDelay(5)))
	i2e, err := runtime.FixedInDegree(nInh, nExc, 20, runtime.ConnectOptions{Seed: seed, Stream: 2})
	check(err)
	w64 := make([]float64, i2e.Len())
	for k := range w64 {
		w64[k] = -0.2 - 0.4*r.Float64()
	}
	check(i2e.SetWeights64(w64))
	e2e, err := runtime.FixedProbability(nExc, nExc, 0.02, runtime.ConnectOptions{Seed: seed, Stream: 3, NoSelf: true})
	check(err)
	check(errors.Join(e2e.SetWeight(0.3), e2e.SetDelay(2)))
	check(errors.Join(sim.Connect("e2i", "exc", "inh", "V", e2i), sim.Connect("i2e", "inh", "exc", "V", i2e), sim.Connect("e2e", "exc", "exc", "V", e2e)))
	_, err = sim.AddPoisson("drive", "inh", "V", []float64{2000}, 0.5, seed, 4)
	check(err)
	sim.AddRecorder(c)
	return c
}

func (c *coupled) state(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.sim.WriteState(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestNetWorkersBitIdentical checks that 1, 2 and 3 workers give the same spikes and state, bit
// for bit, over 400 steps of a spiking network whose targets are split between workers.
func TestNetWorkersBitIdentical(t *testing.T) {
	const nExc, nInh, steps = 1600, 1100, 400
	var ref *coupled
	var refState []byte
	for _, w := range []int{1, 2, 3} {
		c := newCoupled(t, nExc, nInh, w, 1)
		if err := c.sim.Run(steps); err != nil {
			t.Fatal(err)
		}
		st := c.state(t)
		c.sim.Close()
		if ref == nil {
			ref, refState = c, st
			exc, inh := 0, 0
			for _, s := range c.spikes {
				if strings.HasPrefix(s, "exc") {
					exc++
				} else {
					inh++
				}
			}
			if exc < 200 || inh < 200 {
				t.Fatalf("%d excitatory and %d inhibitory spikes: too few to test delivery", exc, inh)
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
}

// TestNetResume checks that a run saved half-way and resumed in a fresh Sim continues bit for
// bit, with spikes in flight and the Poisson draws, and that a file of other connectivity is
// refused with ConnectivityMismatch.
func TestNetResume(t *testing.T) {
	const nExc, nInh, half = 300, 200, 150
	a := newCoupled(t, nExc, nInh, 1, 1)
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	mid := a.state(t)
	a.spikes = nil
	if err := a.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	end := a.state(t)
	if len(a.spikes) == 0 {
		t.Fatal("no spikes in the second half")
	}

	b := newCoupled(t, nExc, nInh, 2, 1)
	if err := b.sim.ReadState(bytes.NewReader(mid), int64(len(mid))); err != nil {
		t.Fatal(err)
	}
	if err := b.sim.Run(half); err != nil {
		t.Fatal(err)
	}
	b.sim.Close()
	if !slices.Equal(a.spikes, b.spikes) {
		t.Errorf("resumed: %d spikes, the straight run %d, or others", len(b.spikes), len(a.spikes))
	}
	if !bytes.Equal(b.state(t), end) {
		t.Error("resumed: the final state differs from the straight run's")
	}

	// Other connectivity (another seed of the projections): refused, and nothing changed.
	c := newCoupled(t, nExc, nInh, 1, 2)
	before := c.state(t)
	err := c.sim.ReadState(bytes.NewReader(mid), int64(len(mid)))
	var se *runtime.StateError
	if !errors.As(err, &se) || se.Code != runtime.ConnectivityMismatch || !strings.Contains(err.Error(), "projection e2i") {
		t.Errorf("other connectivity: %v", err)
	}
	if !bytes.Equal(c.state(t), before) {
		t.Error("a refused file changed the sim")
	}
}

// TestNetStepAllocs checks that a network step allocates nothing, with 1 and 2 workers.
func TestNetStepAllocs(t *testing.T) {
	for _, w := range []int{1, 2} {
		c := newCoupled(t, 1200, 1100, w, 1)
		c.quiet = true
		if err := c.sim.Run(20); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(50, func() { c.sim.Step() }); n != 0 {
			t.Errorf("%d workers: %g allocations per step", w, n)
		}
		c.sim.Close()
	}
}

// TestNetDeliveredSums checks every target value, at every step, against sums made naively from
// the synapses: two projections (float32 weights with delay 2, float64 weights with delay 0,
// a constant weight with delay 1, multapses included; and a receptor that scales float64
// weights) into one target of 2500 neurons, split between 1, 2 and 3 workers; and again into
// 70 000 neurons, past MaxNarrowPost, whose targets are stored in blocks (two of 65 536
// neurons, the workers' ranges across their boundary), and sparser, so that a and c store
// theirs as int32 (blocks would take more memory) while b keeps its blocks. And
// into a float32 target (a group generated with -float32): the same bits as the naive sums made
// in float32, each weight rounded to float32 and added in float32 arithmetic, for any number
// of workers; and within 1e-6 of the float64 sums, relative to the sum of the |weights| added
// (with their decay), some 17 float32 roundings.
func TestNetDeliveredSums(t *testing.T) {
	t.Run("2500", func(t *testing.T) { testNetDeliveredSums(t, 2500, 1, false) })
	t.Run("70000", func(t *testing.T) { testNetDeliveredSums(t, 70000, 1, false) })
	t.Run("70000/sparse", func(t *testing.T) { testNetDeliveredSums(t, 70000, 0.05, false) })
	t.Run("float32", func(t *testing.T) { testNetDeliveredSums(t, 2500, 1, true) })
}

func testNetDeliveredSums(t *testing.T, nPost int, density float64, f32 bool) {
	const nPre, steps = 900, 12
	sparse := density * 2500 / float64(nPost) // the same number of synapses from a and c at any size
	r := rand.New(rand.NewPCG(5, 5))
	script := map[int][]int{}
	for k := range steps {
		for i := range nPre {
			if r.IntN(10) == 0 {
				script[k] = append(script[k], i)
			}
		}
	}
	workerCounts := []int{1, 2, 3}
	if nPost > runtime.MaxNarrowPost {
		workerCounts = []int{1, 3} // and TestNetBlocks
	}
	for _, workers := range workerCounts {
		sim, _ := runtime.NewSim(0.1)
		pre, post := newScripted(nPre, script), newScripted(nPost, nil)
		if f32 {
			post = newScripted32(nPost, nil)
		}
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post), sim.SetWorkers(workers)); err != nil {
			t.Fatal(err)
		}
		var projs []*runtime.Projection
		a, _ := runtime.FixedProbability(nPre, nPost, 0.03*sparse, runtime.ConnectOptions{Seed: 1})
		w32 := make([]float32, a.Len())
		for k := range w32 {
			w32[k] = float32(r.Float64())
		}
		b, _ := runtime.FixedInDegree(nPre, nPost, 6, runtime.ConnectOptions{Seed: 2, Multapses: true})
		w64 := make([]float64, b.Len())
		for k := range w64 {
			w64[k] = r.NormFloat64()
		}
		c, _ := runtime.FixedProbability(nPre, nPost, 0.01*sparse, runtime.ConnectOptions{Seed: 3})
		if err := errors.Join(a.SetWeights32(w32), a.SetDelay(2), b.SetWeights64(w64), c.SetWeight(0.125), c.SetDelay(1)); err != nil {
			t.Fatal(err)
		}
		projs = append(projs, a, b, c)
		for _, p := range projs {
			// Blocks (of 65 536 neurons) where they take less memory than int32 targets.
			nb, starts := p.Blocks()
			wantNB := 1
			if nPost > runtime.MaxNarrowPost && 4*2*nPre < 2*p.Len() {
				wantNB = 2
			}
			int32s := nPost > runtime.MaxNarrowPost && wantNB == 1
			if nb != wantNB || (starts != nil) != (nb > 1) || (p.Post32() != nil) != int32s || (p.Post16() != nil) == int32s {
				t.Fatalf("%d targets, %d synapses: %d blocks, Post16 %d, Post32 %d", nPost, p.Len(), nb, len(p.Post16()), len(p.Post32()))
			}
		}
		for q, p := range projs {
			if err := sim.Connect(fmt.Sprint("p", q), "pre", "post", "g", p); err != nil {
				t.Fatal(err)
			}
		}
		// And a receptor whose event scales the weights: b's synapses again, times 0.75.
		post.model.Receptors = []runtime.Receptor{{Name: "R", Target: "g", Targets: []runtime.ReceptorTarget{{Var: "g", Scale: 0.75}}}}
		if err := sim.ConnectReceptor("r", "pre", "post", "R", b); err != nil {
			t.Fatal(err)
		}
		scale := []float64{1, 1, 1, 0.75}
		projs = append(projs, b)
		rec := &gTrace{g: post.g, g32: post.g32}
		sim.AddRecorder(rec)
		if err := sim.Run(steps); err != nil {
			t.Fatal(err)
		}
		want := make([]float64, nPost)
		want32 := make([]float32, nPost)
		abs := make([]float64, nPost) // the sum of |w| added, with its decay
		for k := range steps {
			for j := range want {
				want[j] *= 0.5
				want32[j] *= 0.5
				abs[j] *= 0.5
			}
			for pi, p := range projs {
				e := k - p.Delay()
				if e < 0 {
					continue
				}
				for _, i := range script[e] {
					for q := p.Start()[i]; q < p.Start()[i+1]; q++ {
						w := p.Weight(int(q))
						if scale[pi] != 1 {
							w = scale[pi] * w
						}
						j := p.Target(int(q))
						want[j] += w
						want32[j] += float32(w)
						abs[j] += math.Abs(w)
					}
				}
			}
			for j, v := range rec.trace[k] {
				if !f32 && v != want[j] {
					t.Fatalf("%d workers: after step %d, g[%d] = %g, want %g", workers, k, j, v, want[j])
				}
				if f32 && (v != float64(want32[j]) || math.Abs(v-want[j]) > 1e-6*abs[j]) {
					t.Fatalf("%d workers, float32: after step %d, g[%d] = %g, want %g (float64 sums: %g ± %g)", workers, k, j, v, want32[j], want[j], 1e-6*abs[j])
				}
			}
		}
		sim.Close()
	}
}

// TestNetPoisson checks the Poisson input's counts against the Poisson distribution: the mean
// and variance of each neuron's count over a run, the fraction of steps without an event at a
// mean of 2 events a step (e^−2, where one event at most per step would give other figures),
// nothing at rate 0, and that Reset draws the same again.
func TestNetPoisson(t *testing.T) {
	const n, steps, dt = 400, 2000, 0.1
	sim, _ := runtime.NewSim(dt)
	g := newScripted(n, nil)
	g.decay = 1 // g counts the events, times the weight
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	rates := make([]float64, n)
	for i := range rates {
		rates[i] = []float64{0, 500, 20000}[i%3] // Hz: 0, 0.05 and 2 events a step
	}
	if _, err := sim.AddPoisson("in", "g", "g", rates, 0.25, 7, 1); err != nil {
		t.Fatal(err)
	}
	zero := make([]int, n) // steps without an event, per neuron
	prev := make([]float64, n)
	for range steps {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		for i, v := range g.g {
			if v == prev[i] {
				zero[i]++
			}
		}
		copy(prev, g.g)
	}
	for k, lam := range []float64{0, 0.05, 2} {
		var counts, zeros []float64
		for i := k; i < n; i += 3 {
			counts = append(counts, g.g[i]/0.25)
			zeros = append(zeros, float64(zero[i])/steps)
		}
		m, v := meanVar(counts)
		mean := lam * steps
		if lam == 0 {
			if m != 0 || v != 0 {
				t.Errorf("rate 0: mean count %g", m)
			}
			continue
		}
		if math.Abs(m-mean) > 5*math.Sqrt(mean/float64(len(counts))) {
			t.Errorf("λ = %g: mean count %g, want %g", lam, m, mean)
		}
		if math.Abs(v-mean) > 5*mean*math.Sqrt(2/float64(len(counts))) {
			t.Errorf("λ = %g: count variance %g, want %g", lam, v, mean)
		}
		z, _ := meanVar(zeros)
		p0 := math.Exp(-lam)
		if math.Abs(z-p0) > 5*math.Sqrt(p0*(1-p0)/steps/float64(len(zeros))) {
			t.Errorf("λ = %g: a fraction %g of steps without events, want e^−λ = %g", lam, z, p0)
		}
	}
	first := slices.Clone(g.g)
	sim.Reset()
	clear(g.g)
	if err := sim.Run(steps); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.g, first) {
		t.Error("after Reset, the input drew other events")
	}
	// A rate set between steps: 0 stops the events, and setting allocates nothing.
	in := sim.Inputs()[0]
	before := slices.Clone(g.g)
	if n := testing.AllocsPerRun(10, func() { in.SetRates([]float64{0}) }); n != 0 {
		t.Errorf("SetRates: %g allocations", n)
	}
	if err := sim.Run(100); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.g, before) {
		t.Error("events at rate 0")
	}
	if err := in.SetRates([]float64{1, 2}); err == nil {
		t.Error("SetRates of 2 rates for 400 neurons accepted")
	}
	if _, err := sim.AddPoisson("in2", "g", "g", []float64{1, 2}, 1, 0, 0); err == nil || !strings.Contains(err.Error(), "2 rates for 400 neurons") {
		t.Errorf("2 rates: %v", err)
	}
	if _, err := sim.AddPoisson("in2", "g", "g", []float64{-1}, 1, 0, 0); err == nil || !strings.Contains(err.Error(), "rate -1 Hz") {
		t.Errorf("negative rate: %v", err)
	}
	if _, err := sim.AddPoisson("g", "g", "g", []float64{1}, 1, 0, 0); err == nil || !strings.Contains(err.Error(), "name of a group") {
		t.Errorf("group's name: %v", err)
	}
}

// TestNetConnectReceptor checks delivery into a receptor as the Model describes it: each event
// adds Scale·w to each of its targets.
func TestNetConnectReceptor(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	pre, post := newScripted(2, map[int][]int{1: {0, 1}}), newScripted(3, nil)
	post.decay = 1
	post.model.Receptors = []runtime.Receptor{{Name: "E", Target: "g", WeightUnit: "mS", Event: "g += w; V += 0.5*w",
		Targets: []runtime.ReceptorTarget{{Var: "g", Scale: 1}, {Var: "V", Scale: 0.5}}}}
	if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
		t.Fatal(err)
	}
	p, _ := runtime.FromPairs(2, 3, []int32{0, 0, 1}, []int32{0, 2, 2}, []float64{2, 4, 8}, runtime.ConnectOptions{})
	if err := sim.ConnectReceptor("x", "pre", "post", "I", p); err == nil || !strings.Contains(err.Error(), "has no receptor I; it has E") {
		t.Errorf("receptor I: %v", err)
	}
	if err := sim.ConnectReceptor("x", "post", "pre", "E", p); err == nil {
		t.Error("a projection of the wrong size accepted")
	}
	if err := sim.ConnectReceptor("x", "pre", "post", "E", p); err != nil {
		t.Fatal(err)
	}
	v0 := slices.Clone(post.v)
	if err := sim.Run(3); err != nil {
		t.Fatal(err)
	}
	if want := []float64{2, 0, 12}; !slices.Equal(post.g, want) {
		t.Errorf("g = %v, want %v", post.g, want)
	}
	for j, dv := range []float64{1, 0, 6} {
		if post.v[j] != v0[j]+dv {
			t.Errorf("V[%d] = %g, want %g", j, post.v[j], v0[j]+dv)
		}
	}
	sim2, _ := runtime.NewSim(0.1)
	if err := errors.Join(sim2.Add("pre", newScripted(2, nil)), sim2.Add("post", newScripted(3, nil))); err != nil {
		t.Fatal(err)
	}
	if err := sim2.ConnectReceptor("x", "pre", "post", "E", p); err == nil || !strings.Contains(err.Error(), "has no receptors") {
		t.Errorf("no receptors: %v", err)
	}
}

// TestNetConnectLater checks that a projection connected after some steps, with a longer delay
// than the history held, still delivers the spikes that the history held: the history grows
// keeping them.
func TestNetConnectLater(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	pre, post := newScripted(1, map[int][]int{3: {0}}), newScripted(1, nil)
	post.decay = 1
	if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
		t.Fatal(err)
	}
	a, _ := runtime.OneToOne(1)
	b, _ := runtime.OneToOne(1)
	if err := errors.Join(a.SetDelay(2), a.SetWeight(1), b.SetDelay(4), b.SetWeight(100)); err != nil {
		t.Fatal(err)
	}
	if err := sim.Connect("a", "pre", "post", "g", a); err != nil {
		t.Fatal(err)
	}
	rec := &gTrace{g: post.g}
	sim.AddRecorder(rec)
	if err := sim.Run(5); err != nil { // steps 0 … 4; the spike of step 3 is held
		t.Fatal(err)
	}
	if err := sim.Connect("b", "pre", "post", "g", b); err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(5); err != nil { // steps 5 … 9
		t.Fatal(err)
	}
	for k, want := range []float64{0, 0, 0, 0, 0, 1, 1, 101, 101, 101} {
		if rec.trace[k][0] != want {
			t.Errorf("after step %d: g = %g, want %g", k, rec.trace[k][0], want)
		}
	}
}

// TestNetPoissonFloat32: a Poisson input into a float32 state (a group generated with
// -float32), plain or through a receptor that scales it, adds each step's k·w (scaled) rounded
// to float32: with g reset at every step, the float32 group holds float32 of what a float64
// group holds under the same draws.
func TestNetPoissonFloat32(t *testing.T) {
	const n, steps = 300, 40
	for _, scale := range []float64{1, 0.75} {
		var sims [2]*runtime.Sim
		var gs [2]*scripted
		var recs [2]*gTrace
		for k, f32 := range []bool{false, true} {
			sims[k], _ = runtime.NewSim(0.1)
			gs[k] = newScripted(n, nil)
			if f32 {
				gs[k] = newScripted32(n, nil)
			}
			gs[k].decay = 0
			gs[k].model.Receptors = []runtime.Receptor{{Name: "E", Target: "g", Targets: []runtime.ReceptorTarget{{Var: "g", Scale: scale}}}}
			if err := sims[k].Add("g", gs[k]); err != nil {
				t.Fatal(err)
			}
			if _, err := sims[k].AddPoissonReceptor("in", "g", "E", []float64{20000}, 0.1, 4, 2); err != nil {
				t.Fatal(err)
			}
			recs[k] = &gTrace{g: gs[k].g, g32: gs[k].g32}
			sims[k].AddRecorder(recs[k])
			if err := sims[k].Run(steps); err != nil {
				t.Fatal(err)
			}
		}
		events := 0
		for s := range steps {
			for i, v := range recs[0].trace[s] {
				if got := recs[1].trace[s][i]; got != float64(float32(v)) {
					t.Fatalf("scale %g, step %d, neuron %d: float32 g = %g, want float32(%g)", scale, s, i, got, v)
				}
				if v != 0 {
					events++
				}
			}
		}
		if events < n*steps/2 {
			t.Errorf("scale %g: events in %d of %d neuron-steps, want most", scale, events, n*steps)
		}
	}
}

// TestNetPoissonReceptor checks a Poisson input into a receptor of two targets, one scaled.
func TestNetPoissonReceptor(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	g := newScripted(50, nil)
	g.decay = 1
	g.model.Receptors = []runtime.Receptor{{Name: "E", Target: "g", Targets: []runtime.ReceptorTarget{{Var: "g", Scale: 1}, {Var: "V", Scale: 0.5}}}}
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoissonReceptor("in", "g", "I", []float64{100}, 0.25, 1, 1); err == nil || !strings.Contains(err.Error(), "no receptor I") {
		t.Errorf("receptor I: %v", err)
	}
	if _, err := sim.AddPoissonReceptor("in", "g", "E", []float64{1000}, 0.25, 1, 1); err != nil {
		t.Fatal(err)
	}
	v0 := slices.Clone(g.v)
	if err := sim.Run(200); err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for i := range g.g {
		total += g.g[i]
		if g.v[i]-v0[i] != 0.5*g.g[i] {
			t.Errorf("neuron %d: V moved by %g, g by %g: want half", i, g.v[i]-v0[i], g.g[i])
		}
	}
	// 50 neurons × 200 steps × 0.1 events: 1000 events of 0.25.
	if math.Abs(total/0.25-1000) > 5*math.Sqrt(1000) {
		t.Errorf("%g events, want about 1000", total/0.25)
	}
}

// TestNetBlocks: a projection onto more than MaxNarrowPost neurons, stored in blocks of 65 536
// (its rows crossing from one block to the next), delivers into each neuron what the same
// pairs deliver onto a small group, bit for bit: plain and scaled weights, short-term
// plasticity and a kinetic receptor, with 1 and 3 workers (whose ranges cross the blocks'
// boundary and fall inside both blocks). The small group's neuron j is the large one's 300·j
// (even j) or 65 536 + 300·j (odd j).
func TestNetBlocks(t *testing.T) {
	const nPre, nSmall, steps = 300, 200, 40
	at := func(j int) int { return 300*j + j%2*runtime.MaxNarrowPost }
	nLarge := at(nSmall-1) + 1
	r := rand.New(rand.NewPCG(9, 9))
	script := map[int][]int{}
	for k := range steps {
		for i := range nPre {
			if r.IntN(8) == 0 {
				script[k] = append(script[k], i)
			}
		}
	}
	in, err := runtime.FixedInDegree(nPre, nSmall, 30, runtime.ConnectOptions{Seed: 2, Multapses: true})
	if err != nil {
		t.Fatal(err)
	}
	var pre, small, large []int32
	var w []float64
	for i := range nPre {
		for _, j := range in.Row(i) {
			pre, small, w = append(pre, int32(i)), append(small, j), append(w, 0.5+r.Float64())
			large = append(large, int32(at(int(j))))
		}
	}
	mk := func(n int, post []int32) *runtime.Projection {
		p, err := runtime.FromPairs(nPre, n, pre, post, w, runtime.ConnectOptions{Multapses: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if nb, _ := mk(nLarge, large).Blocks(); nb != 2 {
		t.Fatalf("the large projection has %d blocks, want 2", nb)
	}
	type net struct {
		sim *runtime.Sim
		x   [][]float64 // the states compared
	}
	build := func(kind string, n int, post []int32, workers int) net {
		sim, _ := runtime.NewSim(0.1)
		var g runtime.Group
		var x [][]float64
		if kind == "kinetic" {
			kg := newKinGroup(n)
			g, x = kg, [][]float64{kg.on, kg.off, kg.wo}
		} else {
			sg := newScripted(n, nil)
			sg.model.Receptors = []runtime.Receptor{{Name: "R", Target: "g", Targets: []runtime.ReceptorTarget{{Var: "g", Scale: 0.75}}}}
			g, x = sg, [][]float64{sg.g}
		}
		if err := errors.Join(sim.Add("pre", newScripted(nPre, script)), sim.Add("post", g), sim.SetWorkers(workers)); err != nil {
			t.Fatal(err)
		}
		p := mk(n, post)
		switch kind {
		case "plain", "stp":
			err = sim.Connect("p", "pre", "post", "g", p)
		case "scaled":
			err = sim.ConnectReceptor("p", "pre", "post", "R", p)
		case "kinetic":
			err = sim.ConnectReceptor("p", "pre", "post", "K", p)
		}
		if kind == "stp" && err == nil {
			err = sim.SetPlasticity("p", tmFacilitaing)
		}
		if err != nil {
			t.Fatal(err)
		}
		return net{sim, x}
	}
	for _, kind := range []string{"plain", "scaled", "stp", "kinetic"} {
		for _, workers := range []int{1, 3} {
			a, b := build(kind, nSmall, small, 1), build(kind, nLarge, large, workers)
			nonzero := false
			for k := range steps {
				if err := errors.Join(a.sim.Step(), b.sim.Step()); err != nil {
					t.Fatal(err)
				}
				for s := range a.x {
					for j, v := range a.x[s] {
						if u := b.x[s][at(j)]; math.Float64bits(u) != math.Float64bits(v) {
							t.Fatalf("%s, %d workers, step %d: state %d of neuron %d is %v in blocks, %v in the small group", kind, workers, k, s, j, u, v)
						}
						nonzero = nonzero || v != 0
					}
				}
			}
			if !nonzero {
				t.Errorf("%s: nothing delivered", kind)
			}
			a.sim.Close()
			b.sim.Close()
		}
	}
}
