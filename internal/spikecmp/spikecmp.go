// Package spikecmp compares the spike times of a simulation run with a reference ("truth") run
// of the same population, by the rule of the shared reference set's compare.py (compare_run),
// described in testdata/reference/hh52/README.md.
//
// Neurons of the two runs are paired by their input current, and spikes by rank: a neuron's
// k-th spike in the run with its k-th spike in the truth. Only spikes before the end of the
// shorter run (and before tMax) count. A count difference is an edge effect when every unpaired
// spike lies within EdgeWindow, or twice the neuron's largest paired error if that is more, of
// the end of the compared window: phase drift carried a spike across it.
package spikecmp

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// EdgeWindow is the smallest window (ms) before the end of the compared time in which unpaired
// spikes make a count difference an edge effect (compare.py's edge_ms).
const EdgeWindow = 5.0

// Run is a run of a neuron population as stored in a reference JSON file. Fields absent from
// the file are zero; the file's other fields are ignored.
type Run struct {
	Model  string      `json:"model"`    // model name, e.g. "HH52"
	Label  string      `json:"label"`    // description of the simulator and method
	Dt     float64     `json:"dt_ms"`    // time step, ms (absent for adaptive solvers)
	T      float64     `json:"t_ms"`     // simulated time, ms
	N      int         `json:"n"`        // number of neurons
	I      []float64   `json:"I_uA_cm2"` // input current density of each neuron, uA/cm2
	Spikes [][]float64 `json:"spikes"`   // spike times of each neuron, ms, ascending
}

// LoadRun reads a run from a JSON file.
func LoadRun(path string) (*Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// Neuron is the comparison of one neuron of a run with the truth neuron of the same input.
type Neuron struct {
	I          float64 // input current density, uA/cm2
	TruthCount int     // truth spikes before Result.T
	RunCount   int     // run spikes before Result.T
	MaxErr     float64 // largest absolute error of a paired spike, ms; 0 when none are paired
}

// Result is the comparison of a run with the truth.
type Result struct {
	T           float64  // end of the compared time, ms: only spikes at t < T count
	Matched     int      // run neurons with a truth neuron of the same input
	TruthSpikes int      // truth spikes of the matched neurons
	RunSpikes   int      // run spikes of the matched neurons
	CountDiff   int      // sum over matched neurons of |count difference| that is not an edge effect
	EdgeDiff    int      // sum over matched neurons of |count difference| that is an edge effect
	MaxErr      float64  // largest absolute error of a paired spike, ms; NaN when none are paired
	MeanErr     float64  // mean absolute error of the paired spikes, ms; NaN when none are paired
	PerNeuron   []Neuron // the matched neurons, in run order
}

// Compare compares run with truth over t < T = min(tMax, run.T, truth.T); the reference rule
// uses tMax = 1000 ms.
//
// Run neuron i (for i below both len(run.I) and len(run.Spikes)) is matched with the first
// truth neuron j (below both len(truth.I) and len(truth.Spikes)) whose input differs from run.I[i] by less than 1e-9·max(1, |run.I[i]|); run
// neurons with no such truth neuron are left out of every figure. The k-th spike of a matched
// pair is paired with the k-th of the other, for k below both counts. A count difference is
// an edge effect when all the unpaired spikes lie at or after T − max(EdgeWindow, 2·the
// neuron's largest paired error).
//
// MeanErr sums the errors in order, so its last bits may differ from compare.py's, which
// numpy sums pairwise.
func Compare(run, truth *Run, tMax float64) Result {
	res := Result{T: min(tMax, run.T, truth.T)}
	T := res.T
	nt := min(len(truth.I), len(truth.Spikes))
	var sum float64
	paired := 0
	res.MaxErr = math.Inf(-1)
	for i := range min(len(run.I), len(run.Spikes)) {
		I := run.I[i]
		j := 0
		for j < nt && !(math.Abs(truth.I[j]-I) < 1e-9*max(1, math.Abs(I))) {
			j++
		}
		if j == nt {
			continue
		}
		a, b := before(run.Spikes[i], T), before(truth.Spikes[j], T)
		res.Matched++
		res.TruthSpikes += len(b)
		res.RunSpikes += len(a)
		k := min(len(a), len(b))
		maxErr := 0.0
		for n := range k {
			e := math.Abs(a[n] - b[n])
			maxErr = max(maxErr, e)
			sum += e
		}
		paired += k
		if k > 0 {
			res.MaxErr = max(res.MaxErr, maxErr)
		}
		if d := len(a) - len(b); d != 0 {
			tail := a[k:]
			if d < 0 {
				tail = b[k:]
				d = -d
			}
			if allAtOrAfter(tail, T-max(EdgeWindow, 2*maxErr)) {
				res.EdgeDiff += d
			} else {
				res.CountDiff += d
			}
		}
		res.PerNeuron = append(res.PerNeuron, Neuron{I: I, TruthCount: len(b), RunCount: len(a), MaxErr: maxErr})
	}
	if paired == 0 {
		res.MaxErr, res.MeanErr = math.NaN(), math.NaN()
	} else {
		res.MeanErr = sum / float64(paired)
	}
	return res
}

// before returns the spike times t < T, in their order.
func before(ts []float64, T float64) []float64 {
	var out []float64
	for _, t := range ts {
		if t < T {
			out = append(out, t)
		}
	}
	return out
}

// allAtOrAfter reports whether every t in ts is ≥ t0.
func allAtOrAfter(ts []float64, t0 float64) bool {
	for _, t := range ts {
		if !(t >= t0) {
			return false
		}
	}
	return true
}

// String formats r on one line with the columns compare.py prints after the run's name: the
// compared time, matched neurons, truth and run spikes, count differences (not edge, edge), and
// the largest and mean error in ms, to 3 significant digits.
func (r Result) String() string {
	return fmt.Sprintf("T %g ms: %d neurons, truth %d spikes, run %d, |dN| %d, edge %d, max|dt| %.3g ms, mean|dt| %.3g ms",
		r.T, r.Matched, r.TruthSpikes, r.RunSpikes, r.CountDiff, r.EdgeDiff, r.MaxErr, r.MeanErr)
}
