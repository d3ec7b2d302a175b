package generated_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/generated/hh52staggeredtab"
	"github.com/neurogen/neurogen/generated/hh52staggeredtabx4"
	"github.com/neurogen/neurogen/generated/hh52staggeredx4"
	"github.com/neurogen/neurogen/generated/hh52tab"
	"github.com/neurogen/neurogen/generated/hh52tabx4"
	"github.com/neurogen/neurogen/generated/hh52x4"
	"github.com/neurogen/neurogen/generated/hhbrainpy"
	"github.com/neurogen/neurogen/generated/hhbrainpytab"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/morrislecartab"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/thalamicrelaytab"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/generated/traubmilespyramidal"
	"github.com/neurogen/neurogen/generated/traubmilespyramidaltab"
	"github.com/neurogen/neurogen/generated/traubmilestab"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/generated/wangbuzsakirk4"
	"github.com/neurogen/neurogen/generated/wangbuzsakitab"
	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

const refDir = "../testdata/reference/hh52/"

// models are the generated packages, by name, with the spec each came from.
var models = []struct {
	name string
	spec string
	new  func(n int) runtime.Group
}{
	{"hh52", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52.New(n) }},
	{"hh52rk4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52rk4.New(n) }},
	{"hh52staggered", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggered.New(n) }},
	{"hh52x4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52x4.New(n) }},
	{"hh52staggeredx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredx4.New(n) }},
	{"hh52tabx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52tabx4.New(n) }},
	{"hh52staggeredtabx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredtabx4.New(n) }},
	{"hh52tab", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52tab.New(n) }},
	{"hh52staggeredtab", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredtab.New(n) }},
	{"traubmiles", "../specs/traubmiles.yaml", func(n int) runtime.Group { return traubmiles.New(n) }},
	{"wangbuzsaki", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsaki.New(n) }},
	{"morrislecar", "../specs/morrislecar.yaml", func(n int) runtime.Group { return morrislecar.New(n) }},
	{"hhbrainpy", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpy.New(n) }},
	{"wangbuzsakirk4", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakirk4.New(n) }},
	{"thalamicrelay", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelay.New(n) }},
	{"traubmilespyramidal", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidal.New(n) }},
	{"traubmilestab", "../specs/traubmiles.yaml", func(n int) runtime.Group { return traubmilestab.New(n) }},
	{"wangbuzsakitab", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakitab.New(n) }},
	{"morrislecartab", "../specs/morrislecar.yaml", func(n int) runtime.Group { return morrislecartab.New(n) }},
	{"hhbrainpytab", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpytab.New(n) }},
	{"thalamicrelaytab", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelaytab.New(n) }},
	{"traubmilespyramidaltab", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidaltab.New(n) }},
}

// simulate runs g with constant input densities I (uA/cm2) for T ms at step dt and returns its
// spikes in the reference files' shape.
func simulate(t testing.TB, g runtime.Group, I []float64, T, dt float64) *spikecmp.Run {
	t.Helper()
	copy(g.Input(), I)
	steps, err := runtime.Steps(T, dt)
	if err != nil {
		t.Fatal(err)
	}
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: dt}, steps, &sp)
	run := &spikecmp.Run{Model: g.Model().Name, T: T, Dt: dt, N: g.Len(), I: I, Spikes: make([][]float64, g.Len())}
	for k, i := range sp.Neuron {
		run.Spikes[i] = append(run.Spikes[i], sp.Time[k])
	}
	return run
}

// TestHH52AgainstTruth holds the generated HH52 packages to the high-accuracy solution
// (scipy LSODA, rtol 1e-10) by the comparison rule of testdata/reference/hh52/README.md: eight
// neurons with I = linspace(0, 20) uA/cm2 for 1000 ms.
func TestHH52AgainstTruth(t *testing.T) {
	truth, err := spikecmp.LoadRun(refDir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		new    func(n int) runtime.Group
		dt     float64
		maxErr float64 // ms, largest paired spike-time error allowed
		edge   bool    // count differences at the window's end allowed (first-order phase drift)
	}{
		// rk4: every count equal, every spike within 1e-3 ms (Brian2's rk4: 4.0e-5 and 2.6e-4 ms).
		{"rk4", func(n int) runtime.Group { return hh52rk4.New(n) }, 0.01, 1e-3, false},
		{"rk4", func(n int) runtime.Group { return hh52rk4.New(n) }, 0.025, 1e-3, false},
		// exp_auto: exponential Euler's phase drift; Brian2 gets 5.5 ms and 13.8 ms.
		{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, 0.01, 6, true},
		{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, 0.025, 15, true},
		// staggered: second order at the cost of exp_auto (NEURON's Crank–Nicolson: 0.026 and 0.161 ms).
		{"staggered", func(n int) runtime.Group { return hh52staggered.New(n) }, 0.01, 0.03, false},
		{"staggered", func(n int) runtime.Group { return hh52staggered.New(n) }, 0.025, 0.2, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/dt=%g", tc.name, tc.dt), func(t *testing.T) {
			run := simulate(t, tc.new(len(truth.I)), truth.I, 1000, tc.dt)
			r := spikecmp.Compare(run, truth, 1000)
			t.Log(r)
			if r.Matched != 8 || r.TruthSpikes != 387 {
				t.Fatalf("compared %d neurons and %d truth spikes, want 8 and 387", r.Matched, r.TruthSpikes)
			}
			if r.CountDiff != 0 {
				t.Errorf("%d spikes missing or extra away from the window's end", r.CountDiff)
			}
			if !tc.edge && r.EdgeDiff != 0 {
				t.Errorf("%d spike count differences at the window's end, want none", r.EdgeDiff)
			}
			if !(r.MaxErr <= tc.maxErr) {
				t.Errorf("largest spike-time error %.3g ms, want at most %g ms", r.MaxErr, tc.maxErr)
			}
		})
	}
}

// TestHH52MatchesBrian2ExponentialEuler: exp_auto is the same algorithm as Brian2's
// exponential_euler for HH52, so the two agree spike for spike, far closer than either is to the
// truth (Brian2 2.5.1, C++ standalone, same dt).
func TestHH52MatchesBrian2ExponentialEuler(t *testing.T) {
	for _, dt := range []float64{0.01, 0.025} {
		ref, err := spikecmp.LoadRun(fmt.Sprintf("%sbrian2_HH52_exponential_euler_dt%g.json", refDir, dt))
		if err != nil {
			t.Fatal(err)
		}
		run := simulate(t, hh52.New(len(ref.I)), ref.I, 1000, dt)
		r := spikecmp.Compare(run, ref, 1000)
		t.Logf("dt %g: %v", dt, r)
		if r.CountDiff+r.EdgeDiff != 0 || !(r.MaxErr <= 1e-9) {
			t.Errorf("dt %g: against Brian2's exponential Euler: %v; want equal counts and ≤ 1e-9 ms", dt, r)
		}
	}
}

// TestHH52MatchesNEURONCrankNicolson: the staggered step is NEURON's fixed-step scheme with
// secondorder=2 (V by Crank–Nicolson, the gates by their exact exponential at the midpoint V,
// half a step out of phase), so the two agree spike for spike far closer than either is to the
// truth (NEURON 8.2.2, the HH52 rates as an NMODL mechanism, same dt).
func TestHH52MatchesNEURONCrankNicolson(t *testing.T) {
	for _, dt := range []float64{0.01, 0.025} {
		ref, err := spikecmp.LoadRun(fmt.Sprintf("%sneuron_HH52_own_so2_dt%g.json", refDir, dt))
		if err != nil {
			t.Fatal(err)
		}
		run := simulate(t, hh52staggered.New(len(ref.I)), ref.I, 1000, dt)
		r := spikecmp.Compare(run, ref, 1000)
		t.Logf("dt %g: %v", dt, r)
		if r.CountDiff+r.EdgeDiff != 0 || !(r.MaxErr <= 1e-6) {
			t.Errorf("dt %g: against NEURON's Crank–Nicolson: %v; want equal counts and ≤ 1e-6 ms", dt, r)
		}
	}
}

// TestTablesAgainstExact: with rate tables, every HH52 spike of the reference run (1000 ms, 8
// neurons, 387 spikes) is within 1e-3 ms of the same method's exact run, at two steps.
func TestTablesAgainstExact(t *testing.T) {
	truth, err := spikecmp.LoadRun(refDir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		exact, table func(n int) runtime.Group
	}{
		{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, func(n int) runtime.Group { return hh52tab.New(n) }},
		{"staggered", func(n int) runtime.Group { return hh52staggered.New(n) }, func(n int) runtime.Group { return hh52staggeredtab.New(n) }},
	} {
		for _, dt := range []float64{0.01, 0.025} {
			exact := simulate(t, c.exact(len(truth.I)), truth.I, 1000, dt)
			table := simulate(t, c.table(len(truth.I)), truth.I, 1000, dt)
			r := spikecmp.Compare(table, exact, 1000)
			t.Logf("%s, dt %g: tables against exact: %v", c.name, dt, r)
			if r.CountDiff+r.EdgeDiff != 0 || !(r.MaxErr <= 1e-3) {
				t.Errorf("%s, dt %g: tables against exact: %v; want equal counts and every spike within 1e-3 ms", c.name, dt, r)
			}
		}
	}
}

// TestTablesOutOfRange: a neuron whose V leaves the tables' range (-100 to 60 mV) is stepped
// exactly there, so it follows the exact group to rounding; one inside the range is
// interpolated, so it differs a little.
func TestTablesOutOfRange(t *testing.T) {
	exact, table := hh52.New(2), hh52tab.New(2)
	for _, g := range []runtime.Group{exact, table} {
		g.SetVoltageClamp(true) // V steps from -65 mV, where the gates are at rest, and stays
		copy(g.Var("V"), []float64{-120, -61.3})
		for k := range 400 {
			g.Step(float64(k)*0.025, 0.025)
		}
	}
	for _, gate := range []string{"Na.m", "Na.h", "K.n"} {
		e, tb := exact.Var(gate), table.Var(gate)
		if e[0] != tb[0] {
			t.Errorf("%s at -120 mV (outside the tables): %v with tables, %v exact; want the same bits", gate, tb[0], e[0])
		}
		if d := math.Abs(e[1] - tb[1]); d == 0 || d > 1e-6 {
			t.Errorf("%s at -61.3 mV (inside the tables): %v with tables, %v exact; want a difference within (0, 1e-6]", gate, tb[1], e[1])
		}
	}
}

// TestTablesFollowDtAndParams: the tables are rebuilt when dt or a parameter the rates depend
// on changes, so a tabulated group follows the exact group through changes of dt, and a change
// of parameter leaves no trace of the old table.
func TestTablesFollowDtAndParams(t *testing.T) {
	exact, table := hh52.New(1), hh52tab.New(1)
	for _, g := range []runtime.Group{exact, table} {
		g.Input()[0] = 10
	}
	tt := 0.0
	for _, dt := range []float64{0.025, 0.01, 0.05} {
		for range 200 {
			exact.Step(tt, dt)
			table.Step(tt, dt)
			tt += dt
		}
		if d := math.Abs(exact.Var("V")[0] - table.Var("V")[0]); d > 1e-3 {
			t.Errorf("after steps of %g ms: V %v with tables, %v exact", dt, table.Var("V")[0], exact.Var("V")[0])
		}
	}
	// A parameter the rates depend on (Traub–Miles' V_T): a group whose table was built for
	// another value rebuilds it, and runs as one that never had the other value.
	stale, fresh := traubmilestab.New(1), traubmilestab.New(1)
	if err := stale.SetParam("V_T", -56); err != nil {
		t.Fatal(err)
	}
	stale.Step(0, 0.025) // builds the table for V_T = -56
	for _, g := range []runtime.Group{stale, fresh} {
		if err := g.SetParam("V_T", -60); err != nil {
			t.Fatal(err)
		}
		g.Reset() // the gates at rest for V_T = -60
		g.Input()[0] = 5
		for k := range 4000 {
			g.Step(float64(k)*0.025, 0.025)
		}
	}
	if a, b := stale.Var("V")[0], fresh.Var("V")[0]; a != b || stale.SpikeTimes()[0] != fresh.SpikeTimes()[0] {
		t.Errorf("after V_T changed: V %v, last spike %v; a group that always had it: %v, %v", a, stale.SpikeTimes()[0], b, fresh.SpikeTimes()[0])
	}
	if math.IsInf(fresh.SpikeTimes()[0], -1) {
		t.Error("no spike in 100 ms: the test shows little")
	}
}

// TestStepAllocatesNothing: Step of every generated group makes no allocation.
func TestStepAllocatesNothing(t *testing.T) {
	for _, m := range models {
		g := m.new(10000)
		for i := range g.Input() {
			g.Input()[i] = 10
		}
		tt := 0.0
		allocs := testing.AllocsPerRun(20, func() {
			g.Step(tt, 0.025)
			tt += 0.025
		})
		if allocs != 0 {
			t.Errorf("%s: Step allocates %v times per call at N = 10000", m.name, allocs)
		}
	}
}

// TestStepRangeMatchesStep: stepping disjoint ranges gives the same bits as one Step.
func TestStepRangeMatchesStep(t *testing.T) {
	for _, m := range models {
		a, b := m.new(37), m.new(37)
		for i := range a.Input() {
			a.Input()[i] = float64(i)
			b.Input()[i] = float64(i)
		}
		for k := 0; k < 400; k++ {
			tt := float64(k) * 0.025
			a.Step(tt, 0.025)
			b.StepRange(0, 10, tt, 0.025)
			b.StepRange(10, 11, tt, 0.025)
			b.StepRange(11, 37, tt, 0.025)
		}
		for _, v := range a.Model().Vars {
			x, y := a.Var(v.Name), b.Var(v.Name)
			for i := range x {
				if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
					t.Fatalf("%s: %s[%d] = %v by Step, %v by StepRange", m.name, v.Name, i, x[i], y[i])
				}
			}
		}
	}
}

// steadyStates returns each gate's steady state for neuron i at its present V, from the rates
// (alpha/(alpha+beta) or inf), by gate name; instantaneous and kinetic gates are left out.
func steadyStates(g runtime.Group, i int) map[string]float64 {
	rates := make([]float64, len(g.Model().Rates))
	g.Rates(i, g.Var("V")[i], rates)
	out := map[string]float64{}
	for k, r := range g.Model().Rates {
		switch {
		case strings.HasSuffix(r.Name, ".alpha"):
			out[strings.TrimSuffix(r.Name, ".alpha")] = rates[k] / (rates[k] + rates[k+1])
		case strings.HasSuffix(r.Name, ".inf"):
			out[strings.TrimSuffix(r.Name, ".inf")] = rates[k]
		}
	}
	for name := range out {
		if g.Var(name) == nil {
			delete(out, name) // instantaneous: no state
		}
	}
	return out
}

// TestResetSteadyState: after Reset every gate sits at its steady state for V, so with no input
// a neuron at rest barely moves.
func TestResetSteadyState(t *testing.T) {
	for _, m := range models {
		g := m.new(4)
		inf := steadyStates(g, 0)
		gates := 0
		for _, v := range g.Model().Vars {
			if v.Kind != "gate" {
				continue
			}
			want, ok := inf[v.Name]
			if !ok {
				continue // a kinetic gate starts at its spec's init
			}
			gates++
			if x := g.Var(v.Name)[0]; math.Abs(x-want) > 1e-15 {
				t.Errorf("%s: %s = %v after Reset, steady state %v", m.name, v.Name, x, want)
			}
		}
		if gates != len(inf) {
			t.Errorf("%s: %d gates with rates, %d steady states", m.name, gates, len(inf))
		}
		for i, st := range g.SpikeTimes() {
			if !math.IsInf(st, -1) || g.Spiked()[i] {
				t.Errorf("%s: neuron %d has a spike after Reset", m.name, i)
			}
		}
	}
}

// BenchmarkStep reports the cost of one neuron-step of each generated model (the exact ones
// and those with rate tables, the names ending in tab) at N = 1000, 10 000 and 100 000, with 1
// and 2 workers (runtime.Pool), in ns/neuron-step; 0 allocs/op.
func BenchmarkStep(b *testing.B) {
	for _, m := range append(slices.Clone(models), float32Models...) {
		for _, n := range []int{1000, 10000, 100000} {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/N=%d/workers=%d", m.name, n, workers), func(b *testing.B) {
					g := m.new(n)
					for i := range g.Input() {
						g.Input()[i] = 20 * float64(i) / float64(n)
					}
					pool, err := runtime.NewPool(workers)
					if err != nil {
						b.Fatal(err)
					}
					defer pool.Close()
					tt := 0.0
					pool.Step(g, tt, 0.025) // builds a model's rate table, if it has one
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						pool.Step(g, tt, 0.025)
						tt += 0.025
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron-step")
				})
			}
		}
	}
}

// TestEquilibrate: with V set per neuron, Equilibrate puts each neuron's gates at their steady
// state for its own V (heterogeneous initial states).
func TestEquilibrate(t *testing.T) {
	for _, m := range models {
		g := m.new(3)
		V := g.Var("V")
		copy(V, []float64{-80, -65, -50})
		g.Equilibrate()
		for i := range V {
			for gate, inf := range steadyStates(g, i) {
				if x := g.Var(gate); math.Abs(x[i]-inf) > 1e-15 {
					t.Errorf("%s: neuron %d at V = %v: %s = %v, steady state %v", m.name, i, V[i], gate, x[i], inf)
				}
			}
			if V[i] != []float64{-80, -65, -50}[i] {
				t.Errorf("%s: Equilibrate changed V[%d] to %v", m.name, i, V[i])
			}
		}
	}
}

// TestSetParamRefusesImpossibleValues: SetParam refuses a membrane capacitance that is not
// positive (dV/dt divides by C: zero gave V = NaN from the first step), and so the depth and
// time constant of detailed calcium dynamics (divisors too), and leaves the parameter as it
// was; a positive value is set.
func TestSetParamRefusesImpossibleValues(t *testing.T) {
	checked := 0
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			for _, name := range []string{"C", "Ca.d", "Ca.tau"} {
				g := m.new(1)
				before, ok := g.Param(name)
				if !ok {
					if name == "C" {
						t.Fatal("no parameter C")
					}
					continue
				}
				checked++
				if !(before > 0) {
					t.Fatalf("Param(%s) = %v; want the spec's positive value", name, before)
				}
				for _, v := range []float64{0, math.Copysign(0, -1), -1, -math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1)} {
					err := g.SetParam(name, v)
					if err == nil {
						t.Errorf("SetParam(%s, %v) = nil, want an error", name, v)
					} else if !strings.Contains(err.Error(), name) {
						t.Errorf("SetParam(%s, %v) = %v; want an error that names %s", name, v, err, name)
					}
					if got, _ := g.Param(name); got != before {
						t.Errorf("after SetParam(%s, %v) refused, %s = %v, want %v", name, v, name, got, before)
					}
				}
				if err := g.SetParam(name, 2*before); err != nil {
					t.Fatalf("SetParam(%s, %v): %v", name, 2*before, err)
				}
				if got, _ := g.Param(name); got != 2*before {
					t.Errorf("%s = %v after SetParam(%s, %v)", name, got, name, 2*before)
				}
			}
		})
	}
	if want := len(models) + 2*2; checked != want { // C everywhere; Ca.d and Ca.tau in thalamicrelay and thalamicrelaytab
		t.Errorf("checked %d parameters, want %d", checked, want)
	}
}
