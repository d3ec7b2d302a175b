// Package spikestats computes the statistics of the spikes of a group of neurons that neurogen
// reports for a network run, and that the COBAHH reference (internal/cobahhref) compares with
// Brian2's: the mean rate, the mean coefficient of variation (CV) of the interspike intervals,
// the population spike count per time bin, and a synchrony measure, the Golomb–Rinzel χ. It
// also writes the spikes of several groups as one CSV file (group,neuron,time_ms) and their
// summary as a table.
//
// Every function takes spikes as runtime.Spikes (parallel slices of neuron index and time in
// ms), in any order, so that the record of a runtime.SpikeMonitor, a spike list read from a
// file or one made by hand all serve.
package spikestats

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurogen/neurogen/runtime"
)

// CV returns the coefficient of variation of the intervals between the ascending times t: the
// population standard deviation of the intervals (dividing by their number, as numpy.std and
// scipy.stats.variation do) over their mean, computed as numpy computes it (the mean by a sum,
// the variance as the mean of the squared deviations from it), so that Go and Python agree to
// rounding. It is NaN with fewer than two times (no interval) and when the mean interval is 0.
func CV(t []float64) float64 {
	m := len(t) - 1
	if m < 1 {
		return math.NaN()
	}
	sum := 0.0
	for i := 1; i < len(t); i++ {
		sum += t[i] - t[i-1]
	}
	mean := sum / float64(m)
	ss := 0.0
	for i := 1; i < len(t); i++ {
		d := t[i] - t[i-1] - mean
		ss += d * d
	}
	if mean == 0 {
		return math.NaN()
	}
	return math.Sqrt(ss/float64(m)) / mean
}

// MeanCV returns the mean of CV over the trains with at least minISIs intervals (minISIs+1
// spikes, and at least one interval whatever minISIs says), and how many trains that is; the
// mean is NaN when there are none. Averaging the neurons' CVs rather than pooling their
// intervals keeps their different rates out of it: regular neurons at different rates have a
// mean CV of 0.
func MeanCV(trains [][]float64, minISIs int) (mean float64, n int) {
	sum := 0.0
	for _, t := range trains {
		if len(t)-1 < max(minISIs, 1) {
			continue
		}
		c := CV(t)
		if math.IsNaN(c) {
			continue
		}
		sum += c
		n++
	}
	if n == 0 {
		return math.NaN(), 0
	}
	return sum / float64(n), n
}

// Trains returns the spike times of each neuron 0 … n−1 of sp, ascending. A spike of a neuron
// outside the group, or at a time that is not finite, is an error that names it.
func Trains(sp runtime.Spikes, n int) ([][]float64, error) {
	if len(sp.Neuron) != len(sp.Time) {
		return nil, fmt.Errorf("%d spike neurons but %d spike times", len(sp.Neuron), len(sp.Time))
	}
	trains := make([][]float64, n)
	for k, i := range sp.Neuron {
		t := sp.Time[k]
		switch {
		case i < 0 || int(i) >= n:
			return nil, fmt.Errorf("spike %d: neuron %d is not in the group of %d", k, i, n)
		case math.IsNaN(t) || math.IsInf(t, 0):
			return nil, fmt.Errorf("spike %d: neuron %d at time %g", k, i, t)
		}
		trains[i] = append(trains[i], t)
	}
	for _, t := range trains {
		slices.Sort(t)
	}
	return trains, nil
}

// Bins are bins of time: bin b is [Start + b·Width, Start + (b+1)·Width), ms, for b from 0 to
// N−1. A time belongs to the bin ⌊(t − Start)/Width⌋; a time before Start or at or after
// Start + N·Width to none.
type Bins struct {
	Start, Width float64
	N            int
}

// BinsOver returns the bins of width ms that cover [start, end): ⌈(end − start)/width⌉ of them
// (the last one may reach past end; none when end ≤ start). A width that is not positive and
// finite is an error.
func BinsOver(start, end, width float64) (Bins, error) {
	if !(width > 0) || math.IsInf(width, 1) {
		return Bins{}, fmt.Errorf("a bin width of %g ms: want a positive time", width)
	}
	if math.IsNaN(start) || math.IsInf(start, 0) || math.IsNaN(end) || math.IsInf(end, 0) {
		return Bins{}, fmt.Errorf("the time range [%g, %g] ms is not finite", start, end)
	}
	if end <= start {
		return Bins{Start: start, Width: width}, nil
	}
	// Through 12 significant digits, so that 1000 ms in bins of 0.1 ms makes 10000 bins, not
	// 10001 for a rounding error.
	q, _ := parseG12((end - start) / width)
	return Bins{Start: start, Width: width, N: int(math.Ceil(q))}, nil
}

// Index returns the bin of time t, or −1 when t is in none.
func (b Bins) Index(t float64) int {
	x := math.Floor((t - b.Start) / b.Width)
	if !(x >= 0 && x < float64(b.N)) { // false for NaN
		return -1
	}
	return int(x)
}

// Counts returns the number of spikes of sp in each bin: the population spike count.
func (b Bins) Counts(sp runtime.Spikes) []int {
	c := make([]int, b.N)
	for _, t := range sp.Time {
		if k := b.Index(t); k >= 0 {
			c[k]++
		}
	}
	return c
}

// Rate returns the population rate in each bin, Hz: the bin's spike count over n neurons and
// over the bin's width.
func (b Bins) Rate(sp runtime.Spikes, n int) []float64 {
	r := make([]float64, b.N)
	for k, c := range b.Counts(sp) {
		r[k] = float64(c) / (float64(n) * b.Width * 1e-3)
	}
	return r
}

// Chi returns the Golomb–Rinzel synchrony measure χ of the trains over the bins b, from each
// neuron's spike count per bin x_i(b):
//
//	χ² = Var_b[(1/N) Σ_i x_i(b)] / ((1/N) Σ_i Var_b[x_i(b)])
//
// the variance over bins of the population's mean count over the mean of the neurons' own
// variances (Golomb & Rinzel 1993, Physica D 72:259; Golomb 2007, Scholarpedia 2(1):1347,
// "Neuronal synchrony measures", with spike counts per bin as the neurons' signals, as in
// Golomb & Hansel 2000, Neural Comput 12:1095). It is 1 when every neuron fires in the same bins,
// and of order 1/√N for N independent neurons; the variances are population variances (over the
// N bins). It is NaN without bins, or when no neuron's count varies (no spikes, say). Spikes outside
// the bins are left out.
func (b Bins) Chi(trains [][]float64) float64 {
	if b.N == 0 || len(trains) == 0 {
		return math.NaN()
	}
	nb := float64(b.N)
	pop := make([]float64, b.N) // Σ_i x_i(b)
	sumVar := 0.0
	for _, t := range trains {
		// Σ_b x_i(b) and Σ_b x_i(b)²: the train is ascending, so a bin's spikes are adjacent.
		s, s2 := 0.0, 0.0
		for k := 0; k < len(t); {
			bin := b.Index(t[k])
			c := 0
			for k < len(t) && b.Index(t[k]) == bin {
				c++
				k++
			}
			if bin < 0 {
				continue
			}
			pop[bin] += float64(c)
			s += float64(c)
			s2 += float64(c) * float64(c)
		}
		mean := s / nb
		sumVar += s2/nb - mean*mean
	}
	n := float64(len(trains))
	meanPop := 0.0
	for _, x := range pop {
		meanPop += x / n
	}
	meanPop /= nb
	varPop := 0.0
	for _, x := range pop {
		d := x/n - meanPop
		varPop += d * d
	}
	varPop /= nb
	if !(sumVar > 0) {
		return math.NaN()
	}
	return math.Sqrt(varPop / (sumVar / n))
}
