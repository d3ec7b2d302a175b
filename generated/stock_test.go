package generated_test

import (
	"fmt"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/generated/hhbrainpy"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/generated/traubmilespyramidal"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

// models are the stock packages of this directory, by name, with the spec each came from;
// the tests of common_test.go and rates_test.go run on each. The variants that only tests
// need are listed in testdata/variants/variants_test.go.
var models = []model{
	{"hh52", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52.New(n) }},
	{"hh52rk4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52rk4.New(n) }},
	{"hh52staggered", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggered.New(n) }},
	{"traubmiles", "../specs/traubmiles.yaml", func(n int) runtime.Group { return traubmiles.New(n) }},
	{"wangbuzsaki", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsaki.New(n) }},
	{"morrislecar", "../specs/morrislecar.yaml", func(n int) runtime.Group { return morrislecar.New(n) }},
	{"hhbrainpy", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpy.New(n) }},
	{"thalamicrelay", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelay.New(n) }},
	{"traubmilespyramidal", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidal.New(n) }},
}

// float32Models are the packages generated with -float32. They are not among models, whose
// tests read the state through Var; BenchmarkStep times them too.
var float32Models = []model{
	{"hh52f32", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52f32.New(n) }},
}

// truthCase is an HH52 package held to the high-accuracy solution at one step.
type truthCase struct {
	name   string
	new    func(n int) runtime.Group
	dt     float64
	maxErr float64 // ms, largest paired spike-time error allowed
	edge   bool    // count differences at the window's end allowed (first-order phase drift)
}

// truthCases: the stock HH52 packages against the high-accuracy solution.
var truthCases = []truthCase{
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

// brian2Models are the whole-cell models built from the stock channel library (and
// Wang–Buzsáki), each with its Brian2 current-clamp reference: constant inputs from silence to
// fast firing, 1000 ms, Brian2's rk4 at dt = 0.005 ms, spikes as linearly interpolated upward
// crossings of V_th, as neurogen's runtime times them.
var brian2Models = []brian2Model{
	{"hhbrainpy", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpy.New(n) },
		"hh_brainpy.json", 0.005, 1e-6, sameRK4},
	{"thalamicrelay", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelay.New(n) },
		"thalamic_relay.json", 0.005, 1e-6, sameRK4},
	{"traubmilespyramidal", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidal.New(n) },
		"traubmiles_pyramidal.json", 0.005, 1e-6, sameRK4},
	// The spec's own method: rk2's error over 1000 ms shrinks as dt² (0.11 ms at dt 0.005,
	// 4.5e-3 ms at 0.001, largest at 1 to 2 uA/cm2), far above rk4's at 0.005 ms.
	{"wangbuzsaki", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsaki.New(n) },
		"wangbuzsaki.json", 0.001, 0.01,
		"the spec's rk2 at 0.001 ms against rk4 at 0.005 ms: rk2's own error, 4.5e-3 ms"},
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

// TestHH52AgainstTruth holds the stock HH52 packages (truthCases) to the high-accuracy solution
// (scipy LSODA, rtol 1e-10) by the comparison rule of testdata/reference/hh52/README.md: eight
// neurons with I = linspace(0, 20) uA/cm2 for 1000 ms.
func TestHH52AgainstTruth(t *testing.T) {
	truth, err := spikecmp.LoadRun(refDir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range truthCases {
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
