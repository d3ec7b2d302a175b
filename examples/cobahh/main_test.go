package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/cobahhref"
)

// TestRun runs 100 ms of COBAHH with 1 and 2 workers: the same summary and spikes (the runtime
// is bit-identical for any number of workers), and the summary agrees with the statistics that
// cobahhref.Compute (the Brian2 reference's definitions) finds in the CSV file: the same spike
// counts and rates, CVs within 3 % (Compute measures intervals in whole steps, the example in
// interpolated spike times), and the synchrony of the bins Compute counts.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("100 ms of a 4000-neuron network twice")
	}
	dir := t.TempDir()
	var out [2]bytes.Buffer
	var files [2][]byte
	for w := range 2 {
		path := filepath.Join(dir, strconv.Itoa(w)+".csv")
		if err := run(&out[w], 100, w+1, path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[w] = b
	}
	rows := func(s string) []string { return strings.Split(s, "\n")[2:] } // the table, after the timing line
	if a, b := rows(out[0].String()), rows(out[1].String()); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("1 worker:\n%s\n2 workers:\n%s", out[0].String(), out[1].String())
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the spikes of 1 and 2 workers differ")
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
	lines := strings.Split(strings.TrimSpace(out[0].String()), "\n")[2:]
	for _, line := range lines {
		f := strings.Fields(line)
		name := f[0]
		st, err := cobahhref.Compute(per[name], size[name], 1000, 100, 2, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(f[1])
		rate, _ := strconv.ParseFloat(f[2], 64)
		cv, _ := strconv.ParseFloat(f[3], 64)
		sync, _ := strconv.ParseFloat(f[4], 64)
		if n != st.NSpikes || n < 100 || math.Abs(rate-st.MeanRate) > 0.005 {
			t.Errorf("%s: %d spikes at %g Hz; the CSV has %d at %g Hz", name, n, rate, st.NSpikes, st.MeanRate)
		}
		if math.Abs(cv-st.MeanCV) > 0.03*st.MeanCV {
			t.Errorf("%s: ISI CV %g, Compute's %g", name, cv, st.MeanCV)
		}
		var mean, ss float64
		for _, c := range st.Bins {
			mean += float64(c)
		}
		mean /= float64(len(st.Bins))
		for _, c := range st.Bins {
			ss += (float64(c) - mean) * (float64(c) - mean)
		}
		if want := math.Sqrt(ss/float64(len(st.Bins))) / mean; math.Abs(sync-want) > 0.002+0.02*want {
			t.Errorf("%s: synchrony %g, from Compute's bins %g", name, sync, want)
		}
	}
	t.Log(out[0].String())
}
