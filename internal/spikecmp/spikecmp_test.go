package spikecmp

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const refDir = "../../testdata/reference/hh52"

// halfUnit returns half a unit in the last digit of the decimal number s ("5.5", "2.6e-4"):
// how far from it a value that rounds to s can be.
func halfUnit(t *testing.T, s string) float64 {
	mant, exp, _ := strings.Cut(s, "e")
	e := 0
	if exp != "" {
		var err error
		if e, err = strconv.Atoi(exp); err != nil {
			t.Fatalf("bad number %q", s)
		}
	}
	if _, frac, ok := strings.Cut(mant, "."); ok {
		e -= len(frac)
	}
	return 0.5 * math.Pow(10, float64(e))
}

// checkShown fails unless got rounds to the digits of shown.
func checkShown(t *testing.T, what string, got float64, shown string) {
	t.Helper()
	want, err := strconv.ParseFloat(shown, 64)
	if err != nil {
		t.Fatal(err)
	}
	tol := halfUnit(t, shown)
	if !(math.Abs(got-want) <= tol*(1+1e-12)) {
		t.Errorf("%s = %.6g, want %s (±%.2g)", what, got, shown, tol)
	}
}

func TestHalfUnit(t *testing.T) {
	for s, want := range map[string]float64{"5.5": 0.05, "2.61": 0.005, "4.0e-5": 0.5e-6, "13.8": 0.05, "0.161": 0.0005, "3": 0.5, "2.6e-4": 0.5e-5} {
		if got := halfUnit(t, s); math.Abs(got-want) > 1e-12*want {
			t.Errorf("halfUnit(%q) = %g, want %g", s, got, want)
		}
	}
}

// TestPublishedTable compares every committed peer run with the truth and checks the figures
// of the table in testdata/reference/hh52/README.md, to the digits shown there.
func TestPublishedTable(t *testing.T) {
	truth, err := LoadRun(filepath.Join(refDir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if truth.Model != "HH52" || truth.N != 8 || len(truth.I) != 8 || len(truth.Spikes) != 8 || truth.T != 1000 || truth.Dt != 0 {
		t.Fatalf("truth.json: model %q, n %d, %d inputs, %d spike lists, t %g, dt %g",
			truth.Model, truth.N, len(truth.I), len(truth.Spikes), truth.T, truth.Dt)
	}
	for _, row := range []struct {
		file           string
		dt             float64
		maxErr, mean   string
		notEdge, edges int
	}{
		{"brian2_HH52_exponential_euler_dt0.01.json", 0.01, "5.5", "2.61", 0, 4},
		{"brian2_HH52_exponential_euler_dt0.025.json", 0.025, "13.8", "6.49", 0, 6},
		{"brian2_HH52_rk4_dt0.01.json", 0.01, "4.0e-5", "4.3e-6", 0, 0},
		{"brian2_HH52_rk4_dt0.025.json", 0.025, "2.6e-4", "3.1e-5", 0, 0},
		{"neuron_HH52_own_so0_dt0.01.json", 0.01, "2.11", "0.96", 0, 1},
		{"neuron_HH52_own_so0_dt0.025.json", 0.025, "5.27", "2.42", 0, 4},
		{"neuron_HH52_own_so2_dt0.01.json", 0.01, "0.026", "0.012", 0, 0},
		{"neuron_HH52_own_so2_dt0.025.json", 0.025, "0.161", "0.075", 0, 0},
	} {
		t.Run(strings.TrimSuffix(row.file, ".json"), func(t *testing.T) {
			run, err := LoadRun(filepath.Join(refDir, row.file))
			if err != nil {
				t.Fatal(err)
			}
			if run.Model != "HH52" || run.Dt != row.dt || run.N != 8 || run.Label == "" {
				t.Errorf("model %q, dt %g, n %d, label %q", run.Model, run.Dt, run.N, run.Label)
			}
			r := Compare(run, truth, 1000)
			t.Log(r)
			if r.T != 1000 || r.Matched != 8 || r.TruthSpikes != 387 || len(r.PerNeuron) != 8 {
				t.Errorf("T %g, matched %d, truth spikes %d, %d neurons; want 1000, 8, 387, 8",
					r.T, r.Matched, r.TruthSpikes, len(r.PerNeuron))
			}
			checkShown(t, "largest error", r.MaxErr, row.maxErr)
			checkShown(t, "mean error", r.MeanErr, row.mean)
			if r.CountDiff != row.notEdge || r.EdgeDiff != row.edges {
				t.Errorf("count differences %d / %d edge, want %d / %d", r.CountDiff, r.EdgeDiff, row.notEdge, row.edges)
			}
			// The per-neuron figures add up to the totals.
			runSpikes, maxErr, diff := 0, 0.0, 0
			for k, n := range r.PerNeuron {
				if n.I != truth.I[k] || n.TruthCount != len(truth.Spikes[k]) {
					t.Errorf("neuron %d: I %g, %d truth spikes; want %g, %d", k, n.I, n.TruthCount, truth.I[k], len(truth.Spikes[k]))
				}
				runSpikes += n.RunCount
				maxErr = max(maxErr, n.MaxErr)
				diff += abs(n.RunCount - n.TruthCount)
			}
			if runSpikes != r.RunSpikes || maxErr != r.MaxErr || diff != r.CountDiff+r.EdgeDiff {
				t.Errorf("per neuron: %d run spikes, max error %g, count difference %d; totals %d, %g, %d",
					runSpikes, maxErr, diff, r.RunSpikes, r.MaxErr, r.CountDiff+r.EdgeDiff)
			}
		})
	}
	// The truth against itself.
	r := Compare(truth, truth, 1000)
	if r.MaxErr != 0 || r.MeanErr != 0 || r.CountDiff != 0 || r.EdgeDiff != 0 || r.RunSpikes != 387 {
		t.Errorf("truth against itself: %v", r)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// one returns a run of a single neuron with input I and the given spikes.
func one(T, I float64, spikes ...float64) *Run {
	return &Run{T: T, N: 1, I: []float64{I}, Spikes: [][]float64{spikes}}
}

// TestEdgeRule checks which count differences are edge effects.
func TestEdgeRule(t *testing.T) {
	for _, c := range []struct {
		name          string
		run, truth    *Run
		notEdge, edge int
	}{
		{"missing last spike within 5 ms of the end", one(1000, 1, 10.1, 500.2), one(1000, 1, 10, 500, 996), 0, 1},
		{"missing spike exactly 5 ms before the end", one(1000, 1, 10, 500), one(1000, 1, 10, 500, 995), 0, 1},
		{"missing spike far from the end", one(1000, 1, 10.1, 500.2), one(1000, 1, 10, 500, 900), 1, 0},
		// Rank pairing pairs 998 with 500: the 498 ms error widens the window to 996 ms.
		{"missing spike in the middle", one(1000, 1, 10, 998), one(1000, 1, 10, 500, 998), 0, 1},
		{"extra run spike at the end", one(1000, 1, 10, 500, 999), one(1000, 1, 10, 500), 0, 1},
		{"extra run spikes, one far from the end", one(1000, 1, 10, 500, 700, 999), one(1000, 1, 10, 500), 2, 0},
		{"window twice the largest paired error", one(1000, 1, 106), one(1000, 1, 100, 989), 0, 1},
		{"beyond twice the largest paired error", one(1000, 1, 106), one(1000, 1, 100, 987), 1, 0},
		{"no spike in the run: window 5 ms", one(1000, 1), one(1000, 1, 996), 0, 1},
		{"no spike in the run, far from the end", one(1000, 1), one(1000, 1, 994), 1, 0},
		{"spikes after T do not count", one(1000, 1, 10, 1000, 1001), one(1000, 1, 10), 0, 0},
		{"T is the shorter run", one(500, 1, 10, 600), one(1000, 1, 10, 498, 700), 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Compare(c.run, c.truth, 1000)
			if r.CountDiff != c.notEdge || r.EdgeDiff != c.edge {
				t.Errorf("%v: count differences %d / %d edge, want %d / %d", r, r.CountDiff, r.EdgeDiff, c.notEdge, c.edge)
			}
		})
	}
}

// TestMatching checks the pairing of neurons by input and spikes by rank, and the figures.
func TestMatching(t *testing.T) {
	truth := &Run{T: 1000, N: 4,
		I:      []float64{0, 1e9, 5, 5},
		Spikes: [][]float64{{1}, {2, 4}, {10, 20, 30}, {99}},
	}
	run := &Run{T: 1000, N: 5,
		I: []float64{
			5 + 4e-9,  // matches truth 2, the first with I = 5 (|ΔI| < 1e-9·5)
			1e9 + 0.5, // matches truth 1 (|ΔI| < 1e-9·1e9 = 1)
			1e9 + 2,   // no match: |ΔI| = 2 is not < 1e-9·(1e9 + 2)
			5e-10,     // matches truth 0 (|ΔI| < 1e-9·1)
			2e-9,      // no match
		},
		Spikes: [][]float64{{10.5, 19, 30.25}, {2.5}, {2, 4}, {1}, {1}},
	}
	r := Compare(run, truth, 1000)
	want := []Neuron{{I: 5 + 4e-9, TruthCount: 3, RunCount: 3, MaxErr: 1}, {I: 1e9 + 0.5, TruthCount: 2, RunCount: 1, MaxErr: 0.5}, {I: 5e-10, TruthCount: 1, RunCount: 1, MaxErr: 0}}
	if len(r.PerNeuron) != len(want) {
		t.Fatalf("per neuron %v, want %v", r.PerNeuron, want)
	}
	for k := range want {
		if r.PerNeuron[k] != want[k] {
			t.Errorf("neuron %d: %+v, want %+v", k, r.PerNeuron[k], want[k])
		}
	}
	// Paired errors 0.5, 1, 0.25 | 0.5 | 0: mean 2.25/5. Truth 1's missing spike at 4 ms is
	// not an edge effect.
	if r.Matched != 3 || r.TruthSpikes != 6 || r.RunSpikes != 5 || r.CountDiff != 1 || r.EdgeDiff != 0 ||
		r.MaxErr != 1 || r.MeanErr != 2.25/5 || r.T != 1000 {
		t.Errorf("%+v", r)
	}
	if got, want := r.String(), "T 1000 ms: 3 neurons, truth 6 spikes, run 5, |dN| 1, edge 0, max|dt| 1 ms, mean|dt| 0.45 ms"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// tMax below both runs' T.
	if r := Compare(run, truth, 15); r.T != 15 || r.TruthSpikes != 4 || r.RunSpikes != 3 || r.CountDiff != 1 || r.MaxErr != 0.5 {
		t.Errorf("tMax 15: %+v", r)
	}
}

// TestNoPairs checks NaN errors when no spikes are paired.
func TestNoPairs(t *testing.T) {
	for name, c := range map[string][2]*Run{
		"no match":    {one(1000, 1, 5), one(1000, 2, 5)},
		"no spikes":   {one(1000, 1), one(1000, 1)},
		"one side":    {one(1000, 1, 5), one(1000, 1)},
		"empty runs":  {{T: 1000}, {T: 1000}},
		"after T":     {one(1000, 1, 1000), one(1000, 1, 1001)},
		"zero length": {one(0, 1, 0), one(1000, 1, 0)},
	} {
		r := Compare(c[0], c[1], 1000)
		if !math.IsNaN(r.MaxErr) || !math.IsNaN(r.MeanErr) {
			t.Errorf("%s: %v, want NaN errors", name, r)
		}
	}
	if r := Compare(one(1000, 1, 5), one(1000, 2, 5), 1000); r.Matched != 0 || r.PerNeuron != nil {
		t.Errorf("unmatched inputs: %+v", r)
	}
}

// TestLoadRun checks absent fields and errors.
func TestLoadRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte(`{"t_ms": 50, "I_uA_cm2": [1.5], "spikes": [[3, 4.5]], "extra": {"x": 1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRun(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.T != 50 || r.Dt != 0 || r.N != 0 || r.Model != "" || r.Label != "" || len(r.I) != 1 || len(r.Spikes[0]) != 2 || r.Spikes[0][1] != 4.5 {
		t.Errorf("%+v", r)
	}
	if err := os.WriteFile(p, []byte(`{"t_ms": "long"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRun(p); err == nil || !strings.Contains(err.Error(), "r.json") {
		t.Errorf("bad JSON: error %v", err)
	}
	if _, err := LoadRun(filepath.Join(dir, "none.json")); err == nil {
		t.Error("missing file: no error")
	}
}
