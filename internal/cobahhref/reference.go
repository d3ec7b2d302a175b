package cobahhref

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Seeds are the seeds of the committed reference runs, all at N = 4000.
var Seeds = []uint64{1, 2, 3, 4, 5}

// RefN is the size of the committed reference runs.
const RefN = 4000

// Spike is one spike: the neuron's global index and the step in which it was detected. Step k
// advances t_k = k·dt to t_k + dt; Brian2 stamps the spike with t_k.
type Spike struct {
	Neuron int
	Step   int
}

// Stats are the statistics the reference compares (see Compute).
type Stats struct {
	NSpikes  int     `json:"n_spikes"`
	MeanRate float64 `json:"mean_rate_hz"`
	MeanCV   float64 `json:"mean_cv"`
	NCV      int     `json:"n_cv"`
	Bins     []int   `json:"bin_counts"`
}

// Sample is a subset of the neurons with all their spikes over the run, and Brian2's
// statistics of them (computed in Python), to check Compute against.
type Sample struct {
	Neurons []int   `json:"neurons"`
	Spikes  [][]int `json:"spikes"` // per neuron of Neurons, its spike steps ascending
	Stats
}

// Reference is one committed Brian2 run (testdata/reference/cobahh/brian2_n4000_seedS.json).
type Reference struct {
	Tool, Version, Device, Method string
	InputSHA256                   string  `json:"input_sha256"`
	N                             int     `json:"N"`
	Seed                          uint64  `json:"seed"`
	NExc                          int     `json:"n_exc"`
	NSynapses                     int     `json:"n_synapses"`
	TMs                           float64 `json:"t_ms"`
	DtMs                          float64 `json:"dt_ms"`
	Steps                         int     `json:"steps"`
	FirstSteps                    int     `json:"first_steps"`
	BinSteps                      int     `json:"bin_steps"`
	MinISIs                       int     `json:"min_isis"`
	RunS                          float64 `json:"run_s"`
	Stats
	// FirstSpikes are all spikes with step < FirstSteps, sorted by step, then neuron.
	FirstSpikes []Spike `json:"-"`
	Sample      Sample  `json:"sample"`
}

// RefPath is the path of seed's reference file under dir (testdata/reference/cobahh).
func RefPath(dir string, seed uint64) string {
	return filepath.Join(dir, fmt.Sprintf("brian2_n%d_seed%d.json", RefN, seed))
}

// Load reads one reference file and checks that it is whole: its statistics' shapes agree with
// its run length and its first spikes are sorted and inside the window.
func Load(path string) (*Reference, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r struct {
		Reference
		First [][2]int `json:"first_spikes"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ref := r.Reference
	for _, p := range r.First {
		ref.FirstSpikes = append(ref.FirstSpikes, Spike{Neuron: p[0], Step: p[1]})
	}
	if err := ref.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &ref, nil
}

func (r *Reference) check() error {
	switch {
	case r.N <= 0 || r.Steps <= 0 || r.BinSteps <= 0 || r.FirstSteps <= 0 || r.DtMs <= 0:
		return fmt.Errorf("N %d, steps %d, bin_steps %d, first_steps %d, dt %g: want positive",
			r.N, r.Steps, r.BinSteps, r.FirstSteps, r.DtMs)
	case len(r.Bins) != r.Steps/r.BinSteps:
		return fmt.Errorf("%d bins, want %d", len(r.Bins), r.Steps/r.BinSteps)
	case len(r.Sample.Neurons) != len(r.Sample.Spikes):
		return fmt.Errorf("sample: %d neurons, %d spike lists", len(r.Sample.Neurons), len(r.Sample.Spikes))
	}
	for k, s := range r.FirstSpikes {
		if s.Neuron < 0 || s.Neuron >= r.N || s.Step < 0 || s.Step >= r.FirstSteps {
			return fmt.Errorf("first spike %d (%d, %d) outside %d neurons × %d steps", k, s.Neuron, s.Step, r.N, r.FirstSteps)
		}
		if k > 0 && cmpSpike(r.FirstSpikes[k-1], s) >= 0 {
			return fmt.Errorf("first spikes %d and %d out of order", k-1, k)
		}
	}
	return nil
}

// cmpSpike orders spikes by step, then neuron.
func cmpSpike(a, b Spike) int {
	if a.Step != b.Step {
		return a.Step - b.Step
	}
	return a.Neuron - b.Neuron
}

// SortSpikes sorts spikes by step, then neuron, the order of Reference.FirstSpikes.
func SortSpikes(s []Spike) { slices.SortFunc(s, cmpSpike) }

// SampleSpikes returns the sample's spikes as a list, sorted by step then neuron, with the
// neurons renumbered 0..len(Neurons)-1, for Compute.
func (s *Sample) SampleSpikes() []Spike {
	var out []Spike
	for i, steps := range s.Spikes {
		for _, k := range steps {
			out = append(out, Spike{Neuron: i, Step: k})
		}
	}
	SortSpikes(out)
	return out
}

// NeuronRefPath is the path of seed's NEURON reference file under dir (the first 20 ms of the
// same network with Crank–Nicolson; Load reads it, without a sample).
func NeuronRefPath(dir string, seed uint64) string {
	return filepath.Join(dir, fmt.Sprintf("neuron_n%d_seed%d.json", RefN, seed))
}

// Diff compares two spike lists sorted as SortSpikes sorts them: missing are want's spikes that
// got lacks, extra got's spikes that want lacks, each in order.
func Diff(got, want []Spike) (missing, extra []Spike) {
	i, j := 0, 0
	for i < len(got) || j < len(want) {
		switch {
		case j == len(want) || i < len(got) && cmpSpike(got[i], want[j]) < 0:
			extra = append(extra, got[i])
			i++
		case i == len(got) || cmpSpike(got[i], want[j]) > 0:
			missing = append(missing, want[j])
			j++
		default:
			i++
			j++
		}
	}
	return missing, extra
}

// PerturbedRefPath is the path of seed's perturbed Brian2 run under dir: the same network with
// every initial v 1e-3 mV higher (no sample), to calibrate comparisons: what a run that is right
// but not bit-identical to Brian2's can be expected to reach.
func PerturbedRefPath(dir string, seed uint64) string {
	return filepath.Join(dir, fmt.Sprintf("brian2_n%d_seed%d_perturbed.json", RefN, seed))
}
