package cobahhref

import (
	"fmt"
	"math"
	"slices"
)

// Compute returns the reference's statistics of spikes from n neurons over steps steps of dtMs:
//   - the mean rate (Hz): the spike count over n and over the run's length;
//   - the mean CV of the interspike intervals: per neuron with at least minISIs intervals, the
//     population standard deviation of its intervals over their mean; their mean (NaN when no
//     neuron has enough);
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
	sum := 0.0
	for _, ks := range per {
		if len(ks) < minISIs+1 {
			continue
		}
		slices.Sort(ks)
		st.NCV++
		sum += cv(ks)
	}
	st.MeanCV = math.NaN()
	if st.NCV > 0 {
		st.MeanCV = sum / float64(st.NCV)
	}
	return st, nil
}

// cv is the population standard deviation of the intervals of ascending steps ks over their
// mean, computed as numpy does (the mean by a sum, the variance as the mean of squared
// deviations), so that Go and Python agree closely.
func cv(ks []int) float64 {
	m := len(ks) - 1
	sum := 0.0
	for i := 1; i < len(ks); i++ {
		sum += float64(ks[i] - ks[i-1])
	}
	mean := sum / float64(m)
	ss := 0.0
	for i := 1; i < len(ks); i++ {
		d := float64(ks[i]-ks[i-1]) - mean
		ss += d * d
	}
	return math.Sqrt(ss/float64(m)) / mean
}
