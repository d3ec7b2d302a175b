package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{7}, 7},
	} {
		if got := median(tt.xs); got != tt.want {
			t.Errorf("median(%v) = %g, want %g", tt.xs, got, tt.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
}

// TestCollect reads a made-up results directory: ratios pair neurogen with the peer of the
// same N and thread count, and a work-precision row takes its time from the method's timing
// run and its error from the truth.
func TestCollect(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw")
	if err := os.Mkdir(raw, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		// one configuration's repetitions in two files, as bench/run writes them
		"speed_neurogen_n1000_t1_r01.json": `{"tool": "neurogen", "variant": "exp_auto", "method": "exp_auto", "threads": 1, "n": 1000,
			"t_ms": 100, "dt_ms": 0.025, "run_s": [1, 1], "neuron_steps_per_s": [30e6, 10e6], "spike_counts": [5, 5]}`,
		"speed_neurogen_n1000_t1_r02.json": `{"tool": "neurogen", "variant": "exp_auto", "method": "exp_auto", "threads": 1, "n": 1000,
			"t_ms": 100, "dt_ms": 0.025, "run_s": [1], "neuron_steps_per_s": [20e6], "spike_counts": [5]}`,
		"speed_brian2_n1000_t1.json": `{"tool": "brian2", "method": "exponential_euler", "threads": 1, "n": 1000,
			"t_ms": 100, "dt_ms": 0.025, "run_s": [1, 1, 1], "neuron_steps_per_s": [5e6, 5e6, 4e6]}`,
		"wptime_neurogen_rk4.json": `{"tool": "neurogen", "variant": "rk4", "method": "rk4", "threads": 1, "n": 10000,
			"t_ms": 100, "dt_ms": 0.025, "run_s": [1], "neuron_steps_per_s": [4e6]}`,
		"wpspikes_neurogen_rk4_dt0.05.json": `{"tool": "neurogen", "variant": "rk4", "method": "rk4", "n": 2, "t_ms": 1000,
			"dt_ms": 0.05, "run_s": 0.1, "I_uA_cm2": [0, 20], "spikes": [[], [1.5, 11.25]]}`,
		"neurogen_build.json": `{"gen_s": 0.05, "compile_s": 1.5, "note": "n"}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(raw, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	truth := filepath.Join(dir, "truth.json")
	if err := os.WriteFile(truth, []byte(`{"t_ms": 1000, "I_uA_cm2": [0, 20], "spikes": [[], [1, 11]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := collect(dir, truth)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Ratios) != 1 || math.Abs(rep.Ratios[0].Ratio["brian2"]-4) > 1e-12 {
		t.Errorf("ratios %+v, want neurogen 20 M/s ÷ Brian2 5 M/s = 4", rep.Ratios)
	}
	if len(rep.Speed) != 2 || rep.Speed[0].Run.CompileS != 1.55 || len(rep.Speed[0].Run.SpikeCounts) != 3 {
		t.Errorf("speed rows %+v, want 2, neurogen's with 3 runs and compile time 0.05 + 1.5 s", rep.Speed)
	}
	if len(rep.WP) != 1 {
		t.Fatalf("work-precision rows %+v, want 1", rep.WP)
	}
	w := rep.WP[0]
	// 250 ns per neuron-step, 20000 steps per simulated second: 5 ms
	if w.Cmp == nil || w.Cmp.MaxErr != 0.5 || w.Cmp.RunSpikes != 2 || math.Abs(w.MSPerSimSecond-5) > 1e-9 {
		t.Errorf("work-precision row %+v (%+v), want largest error 0.5 ms, 2 spikes, 5 ms per simulated second", w, w.Cmp)
	}
	var md strings.Builder
	rep.markdown(&md)
	if !strings.Contains(md.String(), "| 1000 | 1 | exp_auto | 20.00 | 4.00× |") {
		t.Errorf("markdown lacks the ratio row:\n%s", md.String())
	}
}
