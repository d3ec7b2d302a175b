package runtime_test

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/runtime"
)

// TestCheckFinite: CheckFinite finds a NaN or an infinity in any state variable of any neuron,
// in double and in single precision, and names the first one in the order of the model's
// variables, then of the neurons, with the group's time.
func TestCheckFinite(t *testing.T) {
	g := hh52.New(10)
	g.Step(0, 0.025)
	g.Step(0.025, 0.025) // Now() = 0.05
	if err := runtime.CheckFinite("hh", g); err != nil {
		t.Fatalf("a fresh group: %v", err)
	}
	if a := testing.AllocsPerRun(100, func() { runtime.CheckFinite("hh", g) }); a != 0 {
		t.Errorf("CheckFinite of a finite state: %g allocations, want 0", a)
	}
	g.NaH[7] = math.Inf(1)
	g.KN[2] = math.NaN()
	err := runtime.CheckFinite("hh", g)
	want := `group "hh": Na.h of neuron 7 is +Inf at t = 0.05 ms, and 1 other value is not finite`
	if err == nil || err.Error() != want {
		t.Errorf("Inf in Na.h[7], NaN in K.n[2]:\n got %v\nwant %s", err, want)
	}
	var nf *runtime.NonFiniteError
	if !errors.As(err, &nf) || nf.Var != "Na.h" || nf.Neuron != 7 || !math.IsInf(nf.Value, 1) || nf.Step != -1 || nf.Others != 1 {
		t.Errorf("the error's fields: %+v", nf)
	}
	g.V[9] = math.Inf(-1) // V comes first
	if err := runtime.CheckFinite("hh", g); err == nil || err.Error() != `group "hh": V of neuron 9 is -Inf at t = 0.05 ms, and 2 other values are not finite` {
		t.Errorf("-Inf in V[9] too: %v", err)
	}
	for _, i := range []int{0, 9} { // the ends of the slice
		g = hh52.New(10)
		g.NaM[i] = math.NaN()
		if err := runtime.CheckFinite("x", g); err == nil || err.Error() != fmt.Sprintf(`group "x": Na.m of neuron %d is NaN at t = 0 ms`, i) {
			t.Errorf("NaN in Na.m[%d]: %v", i, err)
		}
	}

	// Every position of every length, around the blocks of eight values checked at once.
	for n := 1; n <= 20; n++ {
		for i := range n {
			g := hh52.New(n)
			g.KN[i] = math.NaN()
			if err := runtime.CheckFinite("x", g); err == nil || err.Error() != fmt.Sprintf(`group "x": K.n of neuron %d is NaN at t = 0 ms`, i) {
				t.Errorf("N = %d, NaN in K.n[%d]: %v", n, i, err)
			}
			f := hh52f32.New(n)
			f.Var32("Na.h")[i] = float32(math.Inf(1))
			if err := runtime.CheckFinite("f", f); err == nil || err.Error() != fmt.Sprintf(`group "f": Na.h of neuron %d is +Inf at t = 0 ms`, i) {
				t.Errorf("float32, N = %d, +Inf in Na.h[%d]: %v", n, i, err)
			}
		}
	}

	f := hh52f32.New(5)
	if err := runtime.CheckFinite("f", f); err != nil {
		t.Fatalf("a fresh float32 group: %v", err)
	}
	f.Var32("K.n")[4] = float32(math.Inf(-1))
	if err := runtime.CheckFinite("f", f); err == nil || err.Error() != `group "f": K.n of neuron 4 is -Inf at t = 0 ms` {
		t.Errorf("float32 group with -Inf in K.n[4]: %v", err)
	}
	// A parameter or an input that is not finite is not the state.
	g = hh52.New(3)
	g.Input()[1] = math.NaN()
	if err := runtime.CheckFinite("hh", g); err != nil {
		t.Errorf("NaN input, finite state: %v", err)
	}
}

// poison is a recorder that sets a value to NaN (or Inf) after the step of index at.
type poison struct {
	at    int64
	v     []float64
	i     int
	value float64
}

func (p *poison) Record(step int64, t float64) {
	if step == p.at {
		p.v[p.i] = p.value
	}
}

// TestSimFiniteCheck: a Sim checks its state every k steps, at every record of a Monitor and at
// the end of Run; Step and Run return the first non-finite value with its time and step, and
// the last step at which the state was finite, and Run stops there.
func TestSimFiniteCheck(t *testing.T) {
	newSim := func(every int) (*runtime.Sim, *passive) {
		t.Helper()
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			t.Fatal(err)
		}
		g := newPassive(8)
		if err := sim.Add("pas", g); err != nil {
			t.Fatal(err)
		}
		if err := sim.SetFiniteCheck(every); err != nil {
			t.Fatal(err)
		}
		return sim, g
	}
	sim, _ := newSim(0)
	if sim.FiniteCheck() != 0 {
		t.Errorf("FiniteCheck after SetFiniteCheck(0): %d", sim.FiniteCheck())
	}
	if err := sim.SetFiniteCheck(-1); err == nil || err.Error() != "finite check every -1 steps: want a whole number ≥ 0 (0 turns the check off)" {
		t.Errorf("SetFiniteCheck(-1): %v", err)
	}
	if s, _ := runtime.NewSim(0.1); s.FiniteCheck() != runtime.DefaultFiniteCheck {
		t.Errorf("a new Sim checks every %d steps, want %d", s.FiniteCheck(), runtime.DefaultFiniteCheck)
	}

	// Every 10 steps: NaN after step index 36 (step count 37) is found at step count 40.
	sim, g := newSim(10)
	sim.AddRecorder(&poison{at: 36, v: g.v, i: 3, value: math.NaN()})
	err := sim.Run(1000)
	want := `group "pas": V of neuron 3 is NaN at t = 1 ms (step 40); every value was finite at t = 0.75 ms (step 30)`
	if err == nil || err.Error() != want {
		t.Errorf("NaN after step 37, checks every 10 steps:\n got %v\nwant %s", err, want)
	}
	if sim.Clock().Step != 40 {
		t.Errorf("Run stopped at step %d, want 40", sim.Clock().Step)
	}
	var nf *runtime.NonFiniteError
	if !errors.As(err, &nf) || nf.Group != "pas" || nf.Step != 40 || nf.T != 1 || nf.FiniteStep != 30 || nf.Others != 0 {
		t.Errorf("the error's fields: %+v", nf)
	}
	// Step reports it at the next check again, and Reset forgets the last finite check.
	for range 9 {
		if err := sim.Step(); err != nil {
			t.Fatalf("step %d, no check due: %v", sim.Clock().Step, err)
		}
	}
	if err := sim.Step(); err == nil || err.Error() != `group "pas": V of neuron 3 is NaN at t = 1.25 ms (step 50); every value was finite at t = 0.75 ms (step 30)` {
		t.Errorf("step 50: %v", err)
	}
	sim.Reset()
	g.v[3], g.v[5] = math.Inf(1), math.NaN()
	if err := sim.Run(0); err == nil || err.Error() != `group "pas": V of neuron 3 is +Inf at t = 0 ms (step 0), and 1 other value is not finite` {
		t.Errorf("Run(0) after Reset with Inf and NaN: %v", err)
	}

	// Checks every 1000 steps, a monitor every 7: -Inf set after step index 13, once the
	// monitor has recorded, is found at the check of that record, step count 14; the record of
	// step 7 found every value finite.
	sim, g = newSim(1000)
	mon, err := runtime.NewMonitor(g, []string{"V"}, []int{0}, 7, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	sim.AddRecorder(mon)
	sim.AddRecorder(&poison{at: 13, v: g.v, i: 6, value: math.Inf(-1)})
	want = `group "pas": V of neuron 6 is -Inf at t = 0.35 ms (step 14); every value was finite at t = 0.175 ms (step 7)`
	if err := sim.Run(100); err == nil || err.Error() != want {
		t.Errorf("-Inf after step 14, a monitor every 7 steps:\n got %v\nwant %s", err, want)
	}
	// Without a monitor or a due check, the end of Run checks.
	sim, g = newSim(1000)
	sim.AddRecorder(&poison{at: 4, v: g.v, i: 0, value: math.NaN()})
	if err := sim.Run(6); err == nil || err.Error() != `group "pas": V of neuron 0 is NaN at t = 0.15 ms (step 6)` {
		t.Errorf("NaN after step 5 of a run of 6: %v", err)
	}
	// A loaded state was verified finite: the Sim that loads it knows so.
	sim, _ = newSim(1000)
	if err := sim.Run(30); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.npz")
	if err := sim.Save(path); err != nil {
		t.Fatal(err)
	}
	sim, g = newSim(10)
	if err := sim.Load(path); err != nil {
		t.Fatal(err)
	}
	sim.AddRecorder(&poison{at: 33, v: g.v, i: 7, value: math.NaN()})
	if err := sim.Run(100); err == nil || err.Error() != `group "pas": V of neuron 7 is NaN at t = 1 ms (step 40); every value was finite at t = 0.75 ms (step 30)` {
		t.Errorf("NaN after step 34 of a run resumed at step 30: %v", err)
	}
	// Off, nothing is checked; Sim.CheckFinite checks all the same.
	sim, g = newSim(0)
	sim.AddRecorder(&poison{at: 4, v: g.v, i: 1, value: math.NaN()})
	if err := sim.Run(50); err != nil {
		t.Errorf("check off: Run returned %v", err)
	}
	if err := sim.CheckFinite(); err == nil || err.Error() != `group "pas": V of neuron 1 is NaN at t = 1.25 ms (step 50)` {
		t.Errorf("Sim.CheckFinite with the check off: %v", err)
	}
}

// TestSimFiniteCheckStates: the check covers the groups in the order added, then the states
// added with AddState.
func TestSimFiniteCheckStates(t *testing.T) {
	sim, err := runtime.NewSim(0.5)
	if err != nil {
		t.Fatal(err)
	}
	a, b := newPassive(2), newPassive(3)
	syn := make([]float64, 4)
	for _, err := range []error{sim.Add("a", a), sim.Add("b", b), sim.AddState("syn.g", syn), sim.SetFiniteCheck(1)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	syn[2], syn[3] = math.Inf(1), math.Inf(-1)
	if err := sim.Step(); err == nil || err.Error() != `state "syn.g": value 2 is +Inf at t = 0.5 ms (step 1), and 1 other value is not finite` {
		t.Errorf("Inf in syn.g: %v", err)
	}
	b.v[2] = math.NaN()
	if err := sim.Step(); err == nil || err.Error() != `group "b": V of neuron 2 is NaN at t = 1 ms (step 2)` {
		t.Errorf("NaN in b and Inf in syn.g: %v", err)
	}
	a.v[0] = math.NaN()
	if err := sim.Step(); err == nil || err.Error() != `group "a": V of neuron 0 is NaN at t = 1.5 ms (step 3)` {
		t.Errorf("NaN in a and b: %v", err)
	}
}

// TestSimFiniteCheckSameBits: the check changes nothing: a network of HH52 groups run with a
// check at every step and without one ends in the same state, bit for bit, with the same
// spikes, and its steps allocate nothing.
func TestSimFiniteCheckSameBits(t *testing.T) {
	run := func(every int) (*hh52.Group, []int32, []float64) {
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			t.Fatal(err)
		}
		g := hh52.New(50)
		for i := range g.Input() {
			g.Input()[i] = 20 * float64(i) / 50
		}
		sm, err := runtime.NewSpikeMonitor(g, 100000, 0)
		if err != nil {
			t.Fatal(err)
		}
		mon, err := runtime.NewMonitor(g, []string{"V", "Na.m"}, nil, 3, 4000, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{sim.Add("hh", g), sim.SetFiniteCheck(every)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		sim.AddRecorder(sm)
		sim.AddRecorder(mon)
		if err := sim.Run(2000); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(500, func() {
			if err := sim.Step(); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("a step with a check every %d steps: %g allocations, want 0", every, a)
		}
		sp := sm.Spikes()
		return g, sp.Neuron, sp.Time
	}
	g0, n0, t0 := run(0)
	g1, n1, t1 := run(1)
	if len(n0) == 0 || !slices.Equal(n0, n1) || !slices.Equal(t0, t1) {
		t.Errorf("spikes differ: %d without the check, %d with it", len(n0), len(n1))
	}
	for _, v := range g0.Model().Vars {
		a, b := g0.Var(v.Name), g1.Var(v.Name)
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("%s[%d]: %v without the check, %v with it", v.Name, i, a[i], b[i])
			}
		}
	}
}

// BenchmarkFiniteCheck and BenchmarkFiniteStep give the cost per neuron of CheckFinite and of
// a step of HH52 (exact; bench/run's exp_auto+tables+simd times the cheapest step, with SIMD
// rate tables): DefaultFiniteCheck is chosen from their ratio.
func BenchmarkFiniteCheck(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("hh52/N=%d", n), func(b *testing.B) {
			g := hh52.New(n)
			b.ReportAllocs()
			for b.Loop() {
				if err := runtime.CheckFinite("hh", g); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron")
		})
	}
}

func BenchmarkFiniteStep(b *testing.B) {
	for _, m := range []struct {
		name string
		new  func(int) runtime.Group
	}{
		{"hh52", func(n int) runtime.Group { return hh52.New(n) }},
	} {
		for _, n := range []int{1000, 100000} {
			b.Run(fmt.Sprintf("%s/N=%d", m.name, n), func(b *testing.B) {
				g := m.new(n)
				for i := range g.Input() {
					g.Input()[i] = 20 * float64(i) / float64(n)
				}
				tt := 0.0
				g.Step(tt, 0.025) // builds the rate table
				for b.Loop() {
					g.Step(tt, 0.025)
					tt += 0.025
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron")
			})
		}
	}
}

// TestCheckParams: a parameter written into a group directly that SetParam would refuse (C ≤ 0,
// a non-finite value, a per-neuron value) is a *ParamError naming the group, the parameter and
// the neuron: from CheckParams, from Sim.Run before any step, and from Sim.CheckFinite.
func TestCheckParams(t *testing.T) {
	g := hh52.New(4)
	if err := runtime.CheckParams("hh", g); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	if allocs := testing.AllocsPerRun(10, func() { runtime.CheckParams("hh", g) }); allocs != 0 {
		t.Errorf("CheckParams of valid parameters allocates %v times", allocs)
	}
	for _, tc := range []struct {
		set  func(g *hh52.Group)
		want string
	}{
		{func(g *hh52.Group) { g.Params.C = 0 }, `group "hh": parameter C is 0 uF/cm2: it must be positive`},
		{func(g *hh52.Group) { g.Params.C = -1 }, `group "hh": parameter C is -1 uF/cm2: it must be positive`},
		{func(g *hh52.Group) { g.Params.NaGMax = math.NaN() }, `group "hh": parameter Na.g_max is NaN mS/cm2: not a finite number`},
		{func(g *hh52.Group) { g.Params.LE = math.Inf(-1) }, `group "hh": parameter L.E is -Inf mV: not a finite number`},
		{func(g *hh52.Group) { g.Input()[2] = math.NaN() }, `group "hh": parameter I_ext of neuron 2 is NaN uA/cm2: not a finite number`},
	} {
		g := hh52.New(4)
		tc.set(g)
		err := runtime.CheckParams("hh", g)
		var pe *runtime.ParamError
		if !errors.As(err, &pe) || err.Error() != tc.want {
			t.Errorf("CheckParams: %v, want %s", err, tc.want)
		}
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Add("hh", g); err != nil {
			t.Fatal(err)
		}
		V := slices.Clone(g.Var("V"))
		if err := sim.Run(10); err == nil || err.Error() != tc.want {
			t.Errorf("Sim.Run: %v, want %s", err, tc.want)
		}
		if sim.Clock().Step != 0 || !slices.Equal(V, g.Var("V")) {
			t.Errorf("Sim.Run stepped (clock at step %d) before it refused the parameter", sim.Clock().Step)
		}
		if err := sim.CheckFinite(); err == nil || err.Error() != tc.want {
			t.Errorf("Sim.CheckFinite: %v, want %s", err, tc.want)
		}
	}
}
