package runtime_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/runtime"
)

// parallelModels are the generated models the parallel tests step: exponential Euler (HH52),
// rk4 (TraubMiles) and rk4 with calcium and temperature factors (ThalamicRelay), each with the
// group sizes and the number of steps of 0.05 ms TestParallelMatchesStep makes (a step of
// ThalamicRelay costs twelve of HH52's).
var parallelModels = []struct {
	name  string
	new   func(n int) runtime.Group
	sizes []int
	steps int
}{
	{"hh52", func(n int) runtime.Group { return hh52.New(n) }, []int{1, 1000, runtime.ChunkSize, 4097}, 100},
	{"traubmiles", func(n int) runtime.Group { return traubmiles.New(n) }, []int{1, 1000, 4097}, 100},
	{"thalamicrelay", func(n int) runtime.Group { return thalamicrelay.New(n) }, []int{1, 1000, 2100}, 50},
}

// heterogeneous gives every neuron of g its own initial V (gates at steady state for it) and
// its own input current, drawn with seed, so that neurons spike at different steps.
func heterogeneous(g runtime.Group, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	V := g.Var("V")
	for i := range V {
		V[i] = -75 + 30*r.Float64()
		g.Input()[i] = 40 * r.Float64() // uA/cm2
	}
	g.Equilibrate()
}

// changeInput gives every neuron a new input current, as synapses would between steps.
func changeInput(g runtime.Group, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 2))
	for i := range g.Input() {
		g.Input()[i] = 60*r.Float64() - 10
	}
}

// diffState returns where got's state differs from want's, bit for bit: its time, every state
// variable and per-neuron parameter, input, spike flags and spike times; "" when none does.
func diffState(want, got runtime.Group) string {
	var diffs []string
	if a, b := want.Now(), got.Now(); math.Float64bits(a) != math.Float64bits(b) {
		diffs = append(diffs, fmt.Sprintf("Now %v, want %v", b, a))
	}
	floats := func(name string, a, b []float64) {
		if len(a) != len(b) {
			diffs = append(diffs, fmt.Sprintf("%s: %d values, want %d", name, len(b), len(a)))
			return
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				diffs = append(diffs, fmt.Sprintf("%s[%d] = %v, want %v", name, i, b[i], a[i]))
				return
			}
		}
	}
	m := want.Model()
	for _, v := range m.Vars {
		floats(v.Name, want.Var(v.Name), got.Var(v.Name))
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			floats(p.Name, want.Var(p.Name), got.Var(p.Name))
		}
	}
	floats("Input", want.Input(), got.Input())
	floats("SpikeTimes", want.SpikeTimes(), got.SpikeTimes())
	a, b := want.Spiked(), got.Spiked()
	if len(a) != len(b) {
		diffs = append(diffs, fmt.Sprintf("Spiked: %d flags, want %d", len(b), len(a)))
	} else {
		for i := range a {
			if a[i] != b[i] {
				diffs = append(diffs, fmt.Sprintf("Spiked[%d] = %v, want %v", i, b[i], a[i]))
				break
			}
		}
	}
	return strings.Join(diffs, "; ")
}

// TestParallelMatchesStep steps groups of three generated models, of sizes below, at and
// between multiples of the chunk, with heterogeneous initial states and inputs changed halfway,
// through pools of 1, 2 and 3 workers and with plain Group.Step, and checks that every variable,
// spike flag, spike time and the time agree bit for bit, the spike flags after every step, and
// that neurons of every chunk spiked.
func TestParallelMatchesStep(t *testing.T) {
	const dt = 0.05
	var pools []*runtime.Pool
	for w := 1; w <= 3; w++ {
		p, err := runtime.NewPool(w)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		pools = append(pools, p)
	}
	for _, m := range parallelModels {
		for _, n := range m.sizes {
			steps := m.steps
			t.Run(fmt.Sprintf("%s/N=%d", m.name, n), func(t *testing.T) {
				want := m.new(n)
				heterogeneous(want, uint64(n))
				got := make([]runtime.Group, len(pools))
				for w := range got {
					got[w] = m.new(n)
					heterogeneous(got[w], uint64(n))
				}
				V0 := slices.Clone(want.Var("V"))
				spikes := make([]int, n) // spikes of each neuron
				for k := range steps {
					if k == steps/2 {
						changeInput(want, uint64(n))
						for _, g := range got {
							changeInput(g, uint64(n))
						}
					}
					tk := float64(k) * dt
					want.Step(tk, dt)
					for w, p := range pools {
						p.Step(got[w], tk, dt)
					}
					for i, s := range want.Spiked() {
						if s {
							spikes[i]++
						}
					}
					for w, g := range got {
						if !slices.Equal(want.Spiked(), g.Spiked()) || (k+1)%50 == 0 || k == steps-1 {
							if d := diffState(want, g); d != "" {
								t.Fatalf("%d workers, after step %d: %s", w+1, k, d)
							}
						}
					}
				}
				// The runs were not trivial: the state moved, and neurons spiked in every chunk.
				if slices.Equal(V0, want.Var("V")) {
					t.Fatal("V did not change")
				}
				for lo := 0; lo < n; lo += runtime.ChunkSize {
					hi := min(lo+runtime.ChunkSize, n)
					if !slices.ContainsFunc(spikes[lo:hi], func(c int) bool { return c > 0 }) {
						t.Errorf("no neuron of %d…%d spiked in %d steps", lo, hi-1, steps)
					}
				}
			})
		}
	}
}

// chunkRecorder is a Group that records the calls a Pool makes; only the methods a Pool calls
// are implemented.
type chunkRecorder struct {
	runtime.Group // nil: the other methods panic
	n             int
	mu            sync.Mutex
	ranges        [][2]int
	steps         int
	now           float64
	reenter       func() // when not nil, Step calls it
}

func (g *chunkRecorder) Len() int { return g.n }
func (g *chunkRecorder) Step(t, dt float64) {
	g.steps++
	g.now = t + dt
	if g.reenter != nil {
		g.reenter()
	}
}
func (g *chunkRecorder) SetNow(t float64) { g.now = t }
func (g *chunkRecorder) Now() float64     { return g.now }
func (g *chunkRecorder) StepRange(lo, hi int, t, dt float64) {
	g.mu.Lock()
	g.ranges = append(g.ranges, [2]int{lo, hi})
	g.mu.Unlock()
}

// TestParallelChunks checks the chunk rule: a group of more than one chunk is stepped by
// StepRange over exactly the chunks [k·ChunkSize, (k+1)·ChunkSize), the last cut at the group's
// size, each once, then SetNow(t+dt); a group of at most one chunk, or a pool of one worker,
// by Step.
func TestParallelChunks(t *testing.T) {
	const c = runtime.ChunkSize
	for _, w := range []int{1, 2, 3, 8} {
		p, err := runtime.NewPool(w)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, c - 1, c, c + 1, 3 * c, 4*c + 1, 20000} {
			g := &chunkRecorder{n: n}
			p.Step(g, 1.5, 0.25)
			slices.SortFunc(g.ranges, func(a, b [2]int) int { return a[0] - b[0] })
			var want [][2]int
			if w > 1 && n > c {
				for lo := 0; lo < n; lo += c {
					want = append(want, [2]int{lo, min(lo+c, n)})
				}
			}
			wantSteps := 0
			if want == nil {
				wantSteps = 1
			}
			if !slices.Equal(g.ranges, want) || g.steps != wantSteps || g.now != 1.75 {
				t.Errorf("%d workers, %d neurons: StepRange over %v, Step %d times, now %g; want %v, %d, 1.75", w, n, g.ranges, g.steps, g.now, want, wantSteps)
			}
		}
		p.Close()
	}
}

// TestParallelSimChunks checks the rule of a Sim's pieces, which its workers step in one
// hand-over: each worker owns part of each group, cut at multiples of 64 neurons, and steps it
// by StepRange in chunks of ChunkSize, then the rest in quarters, each piece once, then
// SetNow(t+dt); a group of at most 64 neurons is stepped by one Step, every step, and so is
// every group of a Sim of at most ChunkSize neurons in all. And again
// with GOMAXPROCS 1, where the calling goroutine takes the helpers' pieces before they run.
func TestParallelSimChunks(t *testing.T) {
	t.Run("GOMAXPROCS", testParallelSimChunks)
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(1))
	t.Run("GOMAXPROCS=1", testParallelSimChunks)
}

func testParallelSimChunks(t *testing.T) {
	type r = [2]int
	cases := []struct {
		workers int
		n       int
		want    [][2]int // nil: Step
	}{
		{2, 1, nil},
		{2, 64, nil},
		{2, 65, []r{{0, 65}}}, // parts [0, 0) and [0, 65)
		{2, 3072, []r{{0, 1024}, {1024, 1280}, {1280, 1536}, {1536, 2560}, {2560, 2816}, {2816, 3072}}},
		{2, 2118, []r{{0, 256}, {256, 512}, {512, 768}, {768, 1024}, {1024, 2048}, {2048, 2118}}},
		{3, 1025, []r{{0, 256}, {256, 320}, {320, 576}, {576, 640}, {640, 896}, {896, 1025}}},
		{3, 2000, []r{{0, 256}, {256, 512}, {512, 640}, {640, 896}, {896, 1152}, {1152, 1280}, {1280, 1536}, {1536, 1792}, {1792, 2000}}},
		{1, 3072, nil},
	}
	for _, w := range []int{1, 2, 3} {
		sim, _ := runtime.NewSim(0.25)
		sim.SetFiniteCheck(0)
		var gs []*chunkRecorder
		var want [][][2]int
		for _, c := range cases {
			if c.workers != w {
				continue
			}
			g := &chunkRecorder{n: c.n}
			if err := sim.Add(fmt.Sprintf("g%d", len(gs)), g); err != nil {
				t.Fatal(err)
			}
			gs = append(gs, g)
			var ws [][2]int
			for _, x := range c.want { // each piece at each of 3 steps
				ws = append(ws, x, x, x)
			}
			want = append(want, ws)
		}
		if err := sim.SetWorkers(w); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			sim.Step()
		}
		sim.Close()
		for i, g := range gs {
			slices.SortFunc(g.ranges, func(a, b [2]int) int { return a[0] - b[0] })
			wantSteps := 0
			if want[i] == nil {
				wantSteps = 3
			}
			if !slices.Equal(g.ranges, want[i]) || g.steps != wantSteps || g.now != 0.75 {
				t.Errorf("%d workers, %d neurons: StepRange over %v, Step %d times, now %g; want %v, %d, 0.75", w, g.n, g.ranges, g.steps, g.now, want[i], wantSteps)
			}
		}
	}

	// A Sim of at most ChunkSize neurons in all steps its groups with Step, whatever the workers.
	sim, _ := runtime.NewSim(0.25)
	sim.SetFiniteCheck(0)
	a, b := &chunkRecorder{n: 300}, &chunkRecorder{n: runtime.ChunkSize - 300}
	if err := errors.Join(sim.Add("a", a), sim.Add("b", b), sim.SetWorkers(2)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		sim.Step()
	}
	sim.Close()
	if a.ranges != nil || b.ranges != nil || a.steps != 3 || b.steps != 3 {
		t.Errorf("2 workers, groups of 300 and %d neurons: StepRange over %v and %v, Step %d and %d times; want none, 3 and 3", b.n, a.ranges, b.ranges, a.steps, b.steps)
	}
}

// TestParallelLinesPush checks the delay and spike lines of a group large enough that the
// workers push them in parts: after every step, the latest row of each line is the group's
// values (V, spike flags) of that step, and the row three steps back those of three steps
// before, bit for bit; and that the step allocates nothing.
func TestParallelLinesPush(t *testing.T) {
	const n, steps = 40000, 60
	g := newPassive(n)
	for i := range n {
		g.input[i] = 1.6 + 2*float64(i%97)/97 // V crosses −50 mV between steps 54 and 277
		g.v[i] = -65 + 15*float64(i%89)/89    // some are near −50 mV from the start
	}
	sim, _ := runtime.NewSim(0.1)
	sim.SetFiniteCheck(0)
	if err := errors.Join(sim.Add("p", g), sim.SetWorkers(3)); err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	vl, err := sim.NewDelay("p", "V", 0.3, -70)
	if err != nil {
		t.Fatal(err)
	}
	sl, err := sim.NewSpikeDelay("p", 0.3)
	if err != nil {
		t.Fatal(err)
	}
	var vs [][]float64
	var ss [][]bool
	spikes := 0
	for k := range steps {
		sim.Step()
		vs, ss = append(vs, slices.Clone(g.v)), append(ss, slices.Clone(g.spiked))
		for _, s := range g.spiked {
			if s {
				spikes++
			}
		}
		if !slices.Equal(vl.Row(1), vs[k]) || !slices.Equal(sl.Row(1), ss[k]) {
			t.Fatalf("step %d: the latest rows are not the group's V and spike flags", k)
		}
		if k >= 2 && (!slices.Equal(vl.Row(3), vs[k-2]) || !slices.Equal(sl.Row(3), ss[k-2])) {
			t.Fatalf("step %d: the rows of 3 steps back are not those of step %d", k, k-2)
		}
	}
	if spikes == 0 || vl.Pushes() != steps || sl.Pushes() != steps {
		t.Errorf("%d spikes, %d and %d pushes; want some spikes and %d pushes", spikes, vl.Pushes(), sl.Pushes(), steps)
	}
	if a := testing.AllocsPerRun(10, func() { sim.Step() }); a != 0 {
		t.Errorf("a step with lines pushed by the workers: %g allocations, want 0", a)
	}
}

// TestParallelSimStateFiles runs a network of two groups coupled through spike and voltage
// delay lines, with a user state, a Monitor and a SpikeMonitor, with 1 worker, with 3, and with
// the workers changed and closed on the way, and checks that the state files and the records
// are the same bytes.
func TestParallelSimStateFiles(t *testing.T) {
	const nExc, nInh, steps = 2100, 1100, 200
	run := func(workers func(step int, sim *runtime.Sim)) (state, rec []byte, spikes int) {
		t.Helper()
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			t.Fatal(err)
		}
		defer sim.Close()
		exc, inh := hh52.New(nExc), traubmiles.New(nInh)
		heterogeneous(exc, 1)
		heterogeneous(inh, 2)
		excIn, inhIn := slices.Clone(exc.Input()), slices.Clone(inh.Input())
		errs := []error{sim.Add("exc", exc), sim.Add("inh", inh)}
		excSpikes, err := sim.NewSpikeDelay("exc", 3)
		errs = append(errs, err)
		inhV, err := sim.NewDelay("inh", "V", 1, -65)
		errs = append(errs, err)
		syn := make([]float64, nInh)
		errs = append(errs, sim.AddState("syn.g", syn))
		mon, err := runtime.NewMonitor(exc, []string{"V", "Na.m", "K.I"}, []int{0, 1500, nExc - 1}, 5, steps, 0)
		errs = append(errs, err)
		sm, err := runtime.NewSpikeMonitor(inh, 100000, 0)
		errs = append(errs, err)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		sim.AddRecorder(mon)
		sim.AddRecorder(sm)
		src, d := make([]int32, nInh), make([]int32, nInh)
		for j := range src {
			src[j], d[j] = int32(j*7%nExc), int32(1+j%120)
		}
		arrived := make([]bool, nInh)
		for k := range steps {
			workers(k, sim)
			excSpikes.ReadIndexEach(src, d, arrived)
			for j := range syn {
				syn[j] *= 0.95
				if arrived[j] {
					syn[j] += 0.5
				}
				inh.Input()[j] = inhIn[j] + syn[j]*(0-inh.V[j])
			}
			row := inhV.Row(40)
			for i := range exc.Input() {
				exc.Input()[i] = excIn[i] + 0.02*(row[i%nInh]-exc.V[i])
			}
			sim.Step()
		}
		var sb, rb bytes.Buffer
		if err := sim.WriteState(&sb); err != nil {
			t.Fatal(err)
		}
		if err := mon.WriteNPZ(&rb, "exc"); err != nil {
			t.Fatal(err)
		}
		if err := sm.WriteNPZ(&rb, "inh"); err != nil {
			t.Fatal(err)
		}
		return sb.Bytes(), rb.Bytes(), sm.Len()
	}
	setWorkers := func(n int) func(int, *runtime.Sim) {
		return func(k int, sim *runtime.Sim) {
			if k == 0 {
				if err := sim.SetWorkers(n); err != nil {
					t.Fatal(err)
				}
			}
			if sim.Workers() != n {
				t.Fatalf("Workers() = %d, want %d", sim.Workers(), n)
			}
		}
	}
	serialState, serialRec, spikes := run(setWorkers(1))
	if spikes == 0 {
		t.Fatal("no inh neuron spiked")
	}
	t.Logf("%d inh spikes", spikes)
	for name, workers := range map[string]func(int, *runtime.Sim){
		"3 workers": setWorkers(3),
		"1, 3, 2 workers, then closed": func(k int, sim *runtime.Sim) {
			switch k {
			case 50:
				if err := sim.SetWorkers(3); err != nil {
					t.Fatal(err)
				}
			case 100:
				if err := sim.SetWorkers(2); err != nil {
					t.Fatal(err)
				}
			case 150:
				sim.Close()
			}
		},
	} {
		state, rec, _ := run(workers)
		if !bytes.Equal(state, serialState) {
			t.Errorf("%s: the state file differs from one worker's", name)
		}
		if !bytes.Equal(rec, serialRec) {
			t.Errorf("%s: the monitors' records differ from one worker's", name)
		}
	}
}

// TestParallelAllocs: Pool.Step and a Sim's step with workers allocate nothing.
func TestParallelAllocs(t *testing.T) {
	for _, w := range []int{1, 2, 3} {
		p, err := runtime.NewPool(w)
		if err != nil {
			t.Fatal(err)
		}
		g := hh52.New(3000)
		heterogeneous(g, 3)
		k := 0
		if allocs := testing.AllocsPerRun(100, func() {
			p.Step(g, float64(k)*0.025, 0.025)
			k++
		}); allocs != 0 {
			t.Errorf("Pool.Step with %d workers: %g allocations, want 0", w, allocs)
		}
		p.Close()
	}
	sim, exc := newHHSim(t, 2100)
	defer sim.Close()
	inh := traubmiles.New(1100)
	heterogeneous(inh, 4)
	errs := []error{sim.Add("inh", inh), sim.SetWorkers(3)}
	_, err := sim.NewDelay("hh", "V", 2, 0)
	errs = append(errs, err)
	_, err = sim.NewSpikeDelay("inh", 3)
	errs = append(errs, err)
	mon, err := runtime.NewMonitor(exc, []string{"V", "Na.I"}, []int{0, 2099}, 2, 1000, 0)
	errs = append(errs, err)
	sm, err := runtime.NewSpikeMonitor(inh, 100000, 0)
	errs = append(errs, err)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sim.AddRecorder(mon)
	sim.AddRecorder(sm)
	if allocs := testing.AllocsPerRun(100, func() { sim.Step() }); allocs != 0 {
		t.Errorf("Sim.Step with 3 workers: %g allocations, want 0", allocs)
	}
	if sm.Len() == 0 || mon.Len() == 0 {
		t.Errorf("%d spikes, %d records", sm.Len(), mon.Len())
	}
}

// helpers returns the number of goroutines a Pool started that are still there, from a dump of
// every goroutine's stack: other goroutines (the test framework's, the runtime's running
// cleanups) come and go and do not count.
func helpers() int {
	buf := make([]byte, 1<<20)
	for {
		n := goruntime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "created by github.com/neurogen/neurogen/runtime.NewPool")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// helpersBecome waits up to five seconds, collecting garbage, for helpers() to become want, and
// returns helpers().
func helpersBecome(want int) int {
	for range 500 {
		if helpers() == want {
			break
		}
		goruntime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	return helpers()
}

// TestParallelGoroutines checks that a pool starts workers−1 goroutines once, none per step
// (runtime.NumGoroutine does not grow over many steps), and that Close (of a pool, of a Sim, and
// SetWorkers replacing a pool) stops them.
func TestParallelGoroutines(t *testing.T) {
	if n := helpersBecome(0); n != 0 {
		t.Fatalf("%d goroutines of pools before the test", n)
	}
	p, err := runtime.NewPool(4)
	if err != nil {
		t.Fatal(err)
	}
	if n := helpers(); n != 3 {
		t.Errorf("a pool of 4 workers: %d goroutines, want 3", n)
	}
	g := hh52.New(2100)
	heterogeneous(g, 5)
	before := goruntime.NumGoroutine()
	for k := range 500 {
		p.Step(g, float64(k)*0.025, 0.025)
	}
	if after := goruntime.NumGoroutine(); after > before {
		t.Errorf("500 steps: %d goroutines before, %d after", before, after)
	}
	if n := helpers(); n != 3 {
		t.Errorf("after 500 steps: %d goroutines of the pool, want 3", n)
	}
	p.Close()
	if n := helpersBecome(0); n != 0 {
		t.Errorf("after Close: %d goroutines of the pool, want 0", n)
	}
	p1, err := runtime.NewPool(1)
	if err != nil {
		t.Fatal(err)
	}
	if n := helpers(); n != 0 || p1.Workers() != 1 {
		t.Errorf("a pool of 1 worker: %d goroutines, want 0; Workers %d", n, p1.Workers())
	}
	p1.Close()

	sim, _ := newHHSim(t, 2100)
	for _, w := range []int{4, 2, 2, 1, 3} {
		if err := sim.SetWorkers(w); err != nil {
			t.Fatal(err)
		}
		sim.Run(50)
		if n := helpersBecome(w - 1); n != w-1 || sim.Workers() != w {
			t.Errorf("a sim with %d workers: %d goroutines of pools, want %d; Workers %d", w, n, w-1, sim.Workers())
		}
	}
	sim.Close()
	if n := helpersBecome(0); n != 0 || sim.Workers() != 1 {
		t.Errorf("after Sim.Close: %d goroutines of pools, want 0; Workers %d", n, sim.Workers())
	}
}

// TestParallelUnclosedPool checks that the goroutines of a pool dropped without Close end once
// the garbage collector finds it.
func TestParallelUnclosedPool(t *testing.T) {
	if n := helpersBecome(0); n != 0 {
		t.Fatalf("%d goroutines of pools before the test", n)
	}
	func() {
		p, err := runtime.NewPool(3)
		if err != nil {
			t.Fatal(err)
		}
		p.Step(hh52.New(2100), 0, 0.025)
		if n := helpers(); n != 2 {
			t.Errorf("a pool of 3 workers: %d goroutines, want 2", n)
		}
	}()
	if n := helpersBecome(0); n != 0 {
		t.Errorf("a dropped pool: %d goroutines left, want 0", n)
	}
}

// TestParallelIdleParks checks that the helpers of an idle pool, which spin for a while after
// their work so that the next hand-over reaches them at once, end up blocked (parked on a
// channel), not burning a core.
func TestParallelIdleParks(t *testing.T) {
	p, err := runtime.NewPool(3)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	g := &idleGroup{n: 3 * runtime.ChunkSize}
	for range 100 {
		p.Step(g, 0, 1)
	}
	parked := 0
	for range 200 {
		if parked = parkedHelpers(); parked == 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if parked != 2 || g.now != 1 {
		t.Errorf("an idle pool of 3 workers: %d helpers parked, want 2; now %g", parked, g.now)
	}
}

// parkedHelpers returns the number of goroutines a Pool started that are blocked on a channel.
func parkedHelpers() int {
	buf := make([]byte, 1<<20)
	n := goruntime.Stack(buf, true)
	parked := 0
	for _, gr := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(gr, "created by github.com/neurogen/neurogen/runtime.NewPool") && strings.Contains(gr, "[chan receive") {
			parked++
		}
	}
	return parked
}

// panics returns the value f panics with, or nil.
func panics(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// TestParallelClose checks NewPool's and SetWorkers' errors, that Close may be called again,
// that Step on a closed pool and overlapping Steps panic, and that a closed Sim steps serially.
func TestParallelClose(t *testing.T) {
	for _, w := range []int{0, -1} {
		if _, err := runtime.NewPool(w); err == nil || err.Error() != fmt.Sprintf("%d workers: a pool needs at least one", w) {
			t.Errorf("NewPool(%d): %v", w, err)
		}
	}
	for _, w := range []int{1, 3} {
		p, err := runtime.NewPool(w)
		if err != nil {
			t.Fatal(err)
		}
		if p.Workers() != w {
			t.Errorf("Workers() = %d, want %d", p.Workers(), w)
		}
		g := &chunkRecorder{n: 1}
		g.reenter = func() { p.Step(g, 0, 1) }
		if v := panics(func() { p.Step(g, 0, 1) }); v != "runtime: overlapping calls of Pool.Step" {
			t.Errorf("%d workers: a Step inside a Step panicked with %v", w, v)
		}
		g.reenter = nil
		if v := panics(func() { p.Step(g, 0, 1) }); v != nil {
			t.Errorf("%d workers: a Step after a panicking Step panicked with %v", w, v)
		}
		p.Close()
		p.Close()
		if v := panics(func() { p.Step(g, 0, 1) }); v != "runtime: Pool.Step after Close" {
			t.Errorf("%d workers: Step after Close panicked with %v", w, v)
		}
	}

	sim, g := newHHSim(t, 2000)
	ref := hh52.New(2000)
	copy(ref.Input(), g.Input())
	for _, w := range []int{0, -2} {
		if err := sim.SetWorkers(w); err == nil || err.Error() != fmt.Sprintf("%d workers: a sim needs at least one", w) {
			t.Errorf("SetWorkers(%d): %v", w, err)
		}
	}
	sim.Close() // a Sim that never had workers
	if err := sim.SetWorkers(2); err != nil {
		t.Fatal(err)
	}
	for k := range 400 {
		if k == 200 {
			sim.Close()
			sim.Close()
		}
		ref.Step(sim.T(), sim.Dt())
		sim.Step()
	}
	if d := diffState(ref, g); d != "" || sim.Workers() != 1 {
		t.Errorf("a sim with 2 workers, closed halfway: %s; Workers %d", d, sim.Workers())
	}
}

// BenchmarkPool steps HH52 groups through pools of 1 and 2 workers and reports the time per
// neuron and step.
func BenchmarkPool(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("N=%d/workers=%d", n, w), func(b *testing.B) {
				p, err := runtime.NewPool(w)
				if err != nil {
					b.Fatal(err)
				}
				defer p.Close()
				g := hh52.New(n)
				heterogeneous(g, 6)
				b.ReportAllocs()
				k := 0
				for b.Loop() {
					p.Step(g, float64(k)*0.025, 0.025)
					k++
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron-step")
			})
		}
	}
}

// BenchmarkPoolHandoff measures what a parallel step costs beyond the work: a group of two
// chunks whose StepRange does nothing, stepped by 2 workers.
func BenchmarkPoolHandoff(b *testing.B) {
	p, err := runtime.NewPool(2)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	g := &idleGroup{n: 2 * runtime.ChunkSize}
	b.ReportAllocs()
	for b.Loop() {
		p.Step(g, 0, 1)
	}
}

// idleGroup is a Group whose steps do nothing.
type idleGroup struct {
	runtime.Group
	n   int
	now float64
}

func (g *idleGroup) Len() int                            { return g.n }
func (g *idleGroup) StepRange(lo, hi int, t, dt float64) {}
func (g *idleGroup) SetNow(t float64)                    { g.now = t }
