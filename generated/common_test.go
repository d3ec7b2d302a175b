package generated_test

// The tests of this file and of rates_test.go run twice: here, on the stock packages of this
// directory (stock_test.go lists them), and in TestVariants' temporary module, on the variants
// that only tests need (testdata/variants/variants_test.go lists them).

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

const refDir = "../testdata/reference/hh52/"

// model is a generated package, by name, with the spec it came from.
type model struct {
	name string
	spec string
	new  func(n int) runtime.Group
}

// brian2Model is a whole-cell model held to its Brian2 current-clamp reference.
type brian2Model struct {
	name string
	spec string
	new  func(n int) runtime.Group
	ref  string  // reference file in modelsRefDir
	dt   float64 // ms, the step neurogen runs at against the reference
	tol  float64 // ms, the largest paired spike-time error allowed
	why  string  // why that tolerance
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

// modelsRefDir holds the Brian2 references of the whole-cell stock models, made by
// tools/reference/models.py from the published equations (not from the specs); its README says
// how.
const modelsRefDir = "../testdata/reference/models/"

// staggeredWhy is why the tabulated packages get a looser tolerance.
const staggeredWhy = "staggered (second order) with rate tables at 0.005 ms against rk4: the method's own error"

// sameRK4 is why the rk4 models must agree so closely with their references: both are classic
// Runge–Kutta at the same step on the same equations, so only rounding differs (observed: at
// most 4e-11 ms over 1000 ms). 1e-6 ms leaves room for another compiler's rounding (Go fuses
// multiply-adds on arm64) and still catches any slip in an equation or a constant.
const sameRK4 = "both rk4 at 0.005 ms on the same equations: only rounding differs"

// TestStockModelsAgainstBrian2 holds each whole-cell model of brian2Models to its Brian2 reference: every
// neuron's spike count equal and every spike within the model's tolerance.
func TestStockModelsAgainstBrian2(t *testing.T) {
	if len(brian2Models) == 0 {
		t.Fatal("no brian2Models")
	}
	for _, m := range brian2Models {
		t.Run(m.name, func(t *testing.T) {
			ref, err := spikecmp.LoadRun(modelsRefDir + m.ref)
			if err != nil {
				t.Fatal(err)
			}
			if ref.T < 500 || len(ref.I) < 4 {
				t.Fatalf("reference %s: %g ms and %d inputs, want at least 500 ms and 4", m.ref, ref.T, len(ref.I))
			}
			if c := len(ref.Spikes[0]); c != 0 {
				t.Fatalf("reference %s: the first input (%g uA/cm2) gives %d spikes, want silence", m.ref, ref.I[0], c)
			}
			run := simulate(t, m.new(len(ref.I)), ref.I, ref.T, m.dt)
			r := spikecmp.Compare(run, ref, ref.T)
			t.Logf("dt %g ms against %s: %v", m.dt, ref.Label, r)
			for _, n := range r.PerNeuron {
				t.Logf("  I %6g uA/cm2: %3d spikes (reference %3d), max|dt| %.3g ms", n.I, n.RunCount, n.TruthCount, n.MaxErr)
			}
			if r.Matched != len(ref.I) {
				t.Fatalf("matched %d neurons of %d", r.Matched, len(ref.I))
			}
			if r.CountDiff+r.EdgeDiff != 0 {
				t.Errorf("%d spikes missing or extra (%d of them at the window's end), want equal counts", r.CountDiff+r.EdgeDiff, r.EdgeDiff)
			}
			if !(r.MaxErr <= m.tol) {
				t.Errorf("largest spike-time error %.3g ms, want at most %g ms (%s)", r.MaxErr, m.tol, m.why)
			}
		})
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
	want := len(models) // C everywhere; Ca.d and Ca.tau in the thalamic relay cell's packages
	for _, m := range models {
		if strings.HasPrefix(m.name, "thalamicrelay") {
			want += 2
		}
	}
	if checked != want {
		t.Errorf("checked %d parameters, want %d", checked, want)
	}
}
