package main

import (
	"encoding/json"

	"github.com/neurogen/neurogen/internal/spikecmp"
)

// Comparison is how a run's spike times differ from the truth's, by the reference's rule
// (internal/spikecmp, the Go form of the reference set's compare.py), as results.json
// holds it.
type Comparison struct {
	T           float64 `json:"t_ms"`         // end of the compared window, ms
	Matched     int     `json:"matched"`      // neurons whose input the truth has
	TruthSpikes int     `json:"truth_spikes"` // the truth's spikes of those neurons in the window
	RunSpikes   int     `json:"run_spikes"`   // the run's
	CountDiff   int     `json:"count_diff"`   // sum of |count differences| not explained by the edge
	EdgeDiff    int     `json:"edge_diff"`    // sum of |count differences| whose unpaired spikes lie near the end
	MaxErr      float64 `json:"-"`            // largest |run − truth| over spikes paired by rank; NaN if none
	MeanErr     float64 `json:"-"`            // mean of the same; NaN if none
}

// compareWithTruth compares a spike run with the truth over its first 1000 ms.
func compareWithTruth(r *Run, truth *spikecmp.Run) Comparison {
	res := spikecmp.Compare(&spikecmp.Run{T: r.TMS, Dt: r.DtMS, N: r.N, I: r.I, Spikes: r.Spikes}, truth, 1000)
	return Comparison{
		T: res.T, Matched: res.Matched, TruthSpikes: res.TruthSpikes, RunSpikes: res.RunSpikes,
		CountDiff: res.CountDiff, EdgeDiff: res.EdgeDiff, MaxErr: res.MaxErr, MeanErr: res.MeanErr,
	}
}

// MarshalJSON writes the comparison with null for the errors of a run without paired spikes.
func (c Comparison) MarshalJSON() ([]byte, error) {
	type plain Comparison
	return json.Marshal(struct {
		plain
		MaxErr  *float64 `json:"max_abs_err_ms"`
		MeanErr *float64 `json:"mean_abs_err_ms"`
	}{plain(c), nullable(c.MaxErr), nullable(c.MeanErr)})
}
