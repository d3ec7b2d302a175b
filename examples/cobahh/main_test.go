package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/cobahhref"
	"github.com/neurogen/neurogen/internal/spikestats"
)

// TestRun runs 100 ms of COBAHH with 1 and 2 workers: the same summary and spikes (the runtime
// is bit-identical for any number of workers), and the summary agrees with the statistics that
// cobahhref.Compute (the Brian2 reference's definitions) finds in the CSV file: the same spike
// counts and rates, CVs within 3 % (Compute measures intervals in whole steps, the summary in
// interpolated spike times).
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("100 ms of a 4000-neuron network twice")
	}
	dir := t.TempDir()
	var out [2]bytes.Buffer
	var files [2][]byte
	var sums [2][]spikestats.Summary
	for w := range 2 {
		path := filepath.Join(dir, strconv.Itoa(w)+".csv")
		s, err := run(&out[w], 100, w+1, path)
		if err != nil {
			t.Fatal(err)
		}
		sums[w] = s
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[w] = b
	}
	if !slices.Equal(sums[0], sums[1]) || !bytes.Equal(files[0], files[1]) {
		t.Errorf("1 and 2 workers differ:\n%s\n%s", out[0].String(), out[1].String())
	}
	recs, err := csv.NewReader(bytes.NewReader(files[0])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "group,neuron,time_ms" {
		t.Fatalf("header %q", recs[0])
	}
	per := map[string][]cobahhref.Spike{}
	for _, r := range recs[1:] {
		i, err1 := strconv.Atoi(r[1])
		tm, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil || tm <= 0 || tm > 100 {
			t.Fatalf("bad line %q", r)
		}
		// A spike at an interpolated time in (t_k, t_k + dt] is of step k.
		per[r[0]] = append(per[r[0]], cobahhref.Spike{Neuron: i, Step: int(math.Ceil(tm/0.1-1e-9)) - 1})
	}
	size := map[string]int{"exc": 3200, "inh": 800}
	if len(sums[0]) != 2 {
		t.Fatalf("%d summaries, want exc and inh", len(sums[0]))
	}
	for _, s := range sums[0] {
		st, err := cobahhref.Compute(per[s.Name], size[s.Name], 1000, 100, 2, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if s.Neurons != size[s.Name] || s.Spikes != st.NSpikes || s.Spikes < 100 || math.Abs(s.Rate-st.MeanRate) > 1e-9*st.MeanRate {
			t.Errorf("%s: %d neurons, %d spikes at %g Hz; the CSV has %d at %g Hz", s.Name, s.Neurons, s.Spikes, s.Rate, st.NSpikes, st.MeanRate)
		}
		if math.Abs(s.CV-st.MeanCV) > 0.03*st.MeanCV || s.NCV != st.NCV {
			t.Errorf("%s: ISI CV %g over %d neurons, Compute's %g over %d", s.Name, s.CV, s.NCV, st.MeanCV, st.NCV)
		}
		if !(s.Chi > 0 && s.Chi < 1) {
			t.Errorf("%s: χ %g, want in (0, 1)", s.Name, s.Chi)
		}
	}
	t.Log(out[0].String())
}
