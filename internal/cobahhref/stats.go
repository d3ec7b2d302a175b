package cobahhref

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurogen/neurogen/internal/spikestats"
)

// Compute returns the reference's statistics of spikes from n neurons over steps steps of dtMs:
//   - the mean rate (Hz): the spike count over n and over the run's length;
//   - the mean CV of the interspike intervals: per neuron with at least minISIs intervals, the
//     population standard deviation of its intervals over their mean; their mean (NaN when no
//     neuron has enough), as spikestats.MeanCV computes it for neurogen's network runs;
//   - the spike count per bin of binSteps steps (steps/binSteps bins; step k in bin k/binSteps).
//
// The spikes may come in any order; each neuron's spikes are taken in step order. It is the
// computation of brian2_cobahh.py's stats().
func Compute(spikes []Spike, n, steps, binSteps, minISIs int, dtMs float64) (Stats, error) {
	if n <= 0 || steps <= 0 || binSteps <= 0 || steps%binSteps != 0 {
		return Stats{}, fmt.Errorf("cobahhref: %d neurons, %d steps in bins of %d", n, steps, binSteps)
	}
	st := Stats{NSpikes: len(spikes), Bins: make([]int, steps/binSteps)}
	per := make([][]int, n)
	for _, s := range spikes {
		if s.Neuron < 0 || s.Neuron >= n || s.Step < 0 || s.Step >= steps {
			return Stats{}, fmt.Errorf("cobahhref: spike (%d, %d) outside %d neurons × %d steps", s.Neuron, s.Step, n, steps)
		}
		per[s.Neuron] = append(per[s.Neuron], s.Step)
		st.Bins[s.Step/binSteps]++
	}
	st.MeanRate = float64(len(spikes)) / (float64(n) * float64(steps) * dtMs * 1e-3)
	trains := make([][]float64, n)
	for i, ks := range per {
		slices.Sort(ks)
		for _, k := range ks {
			trains[i] = append(trains[i], float64(k))
		}
	}
	st.MeanCV, st.NCV = spikestats.MeanCV(trains, minISIs)
	return st, nil
}

// Summary is statistics averaged over runs (the reference's seeds).
type Summary struct {
	Runs     int
	MeanRate float64   // the mean of the runs' mean rates (Hz)
	MeanCV   float64   // the mean of the runs' mean CVs of interspike intervals
	Bins     []float64 // per bin, the mean of the runs' counts
	// BinCV is the mean over runs of the population standard deviation of a run's bin counts
	// over their mean: how much the population rate swings from bin to bin (synchrony).
	BinCV float64
}

// Summarize averages the statistics of runs, which must have as many bins each.
func Summarize(runs []Stats) (Summary, error) {
	if len(runs) == 0 {
		return Summary{}, fmt.Errorf("cobahhref: no runs to summarise")
	}
	s := Summary{Runs: len(runs), Bins: make([]float64, len(runs[0].Bins))}
	for k, r := range runs {
		if len(r.Bins) != len(s.Bins) || len(r.Bins) == 0 {
			return Summary{}, fmt.Errorf("cobahhref: run %d has %d bins, run 0 %d", k, len(r.Bins), len(s.Bins))
		}
		s.MeanRate += r.MeanRate
		s.MeanCV += r.MeanCV
		mean := 0.0
		for b, c := range r.Bins {
			s.Bins[b] += float64(c)
			mean += float64(c)
		}
		mean /= float64(len(r.Bins))
		ss := 0.0
		for _, c := range r.Bins {
			ss += (float64(c) - mean) * (float64(c) - mean)
		}
		s.BinCV += math.Sqrt(ss/float64(len(r.Bins))) / mean
	}
	n := float64(len(runs))
	s.MeanRate /= n
	s.MeanCV /= n
	s.BinCV /= n
	for b := range s.Bins {
		s.Bins[b] /= n
	}
	return s, nil
}

// Deviation is how far one summary lies from another, each figure relative to the other's:
// |got − want| / |want|.
type Deviation struct {
	Rate, CV, BinCV float64
	// BinMax and BinMean are the largest and the mean over bins of the per-bin deviation of the
	// averaged counts.
	BinMax, BinMean float64
}

// Compare returns got's deviation from want; both must have as many bins.
func Compare(got, want Summary) (Deviation, error) {
	if len(got.Bins) != len(want.Bins) {
		return Deviation{}, fmt.Errorf("cobahhref: %d bins against %d", len(got.Bins), len(want.Bins))
	}
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Abs(b) }
	d := Deviation{Rate: rel(got.MeanRate, want.MeanRate), CV: rel(got.MeanCV, want.MeanCV), BinCV: rel(got.BinCV, want.BinCV)}
	for b := range got.Bins {
		r := rel(got.Bins[b], want.Bins[b])
		d.BinMax = max(d.BinMax, r)
		d.BinMean += r
	}
	if len(got.Bins) > 0 {
		d.BinMean /= float64(len(got.Bins))
	}
	return d, nil
}
