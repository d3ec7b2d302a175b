package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/cobahh"
	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
)

// TestCopyState: a variant's group starts from the exact group's state, rounded to float32 in
// a -float32 variant; a group of another model is refused.
func TestCopyState(t *testing.T) {
	src := hh52.New(3)
	src.Var("V")[1] = -64.123456789
	src.Var("Na.m")[2] = 0.1234567891
	f64, f32 := hh52.New(3), hh52f32.New(3)
	if err := errors.Join(copyState(f64, src), copyState(f32, src)); err != nil {
		t.Fatal(err)
	}
	for _, v := range src.Model().Vars {
		x, y := src.Var(v.Name), f32.Var32(v.Name)
		for i := range x {
			if f64.Var(v.Name)[i] != x[i] || y[i] != float32(x[i]) {
				t.Errorf("%s[%d]: %g and %g, want %g and float32 of it", v.Name, i, f64.Var(v.Name)[i], y[i], x[i])
			}
		}
	}
	if err := copyState(hh52.New(2), src); err == nil {
		t.Error("a group of 2 neurons took the state of 3")
	}
}

// TestBuildIsTheGeneratedNetwork: at N = 4000 the runner's network is generated/cobahh's New,
// connectivity (each projection's hash: sizes, delay, rows, weights) and initial state alike.
func TestBuildIsTheGeneratedNetwork(t *testing.T) {
	sim, groups, projs, err := build(4000, cobahh.Seed, "const", "exact")
	if err != nil {
		t.Fatal(err)
	}
	net, err := cobahh.New()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sim.Projections(), net.Sim.Projections(); !slices.Equal(got, want) {
		t.Fatalf("projections %v, the generated network's %v", got, want)
	}
	for k, name := range sim.Projections() {
		if got, want := projs[k].Hash(), net.Sim.Projection(name).Hash(); got != want {
			t.Errorf("projection %s: hash %s, the generated network's %s", name, got, want)
		}
	}
	for k, g := range net.Sim.Names() {
		want := net.Sim.Group(g)
		for _, v := range want.Model().Vars {
			if !slices.Equal(groups[k].Var(v.Name), want.Var(v.Name)) {
				t.Errorf("%s.%s differs from the generated Init's", g, v.Name)
			}
		}
	}
}

// TestBuildScalesInDegree: p = 80/N keeps about 80 inputs per neuron at another N, and
// -weights f32 stores one weight per synapse (4 more bytes each).
func TestBuildScalesInDegree(t *testing.T) {
	const n = 2000
	_, _, projs, err := build(n, 1, "f32", "exact")
	if err != nil {
		t.Fatal(err)
	}
	var syn, bytes int64
	for _, p := range projs {
		syn += int64(p.Len())
		bytes += p.Bytes()
		if w, ok := p.ConstantWeight(); ok {
			t.Errorf("weight stored once (%g), want one per synapse", w)
		}
	}
	// 80 per neuron, binomial: the total is within a few standard deviations (about 400).
	if in := float64(syn) / n; in < 78 || in > 82 {
		t.Errorf("%.2f inputs per neuron, want about 80", in)
	}
	starts := int64(4 * (1600 + 1 + 1600 + 1 + 400 + 1 + 400 + 1))
	if want := 6*syn + starts; bytes != want {
		t.Errorf("%d bytes, want %d (2 per target onto at most 65 536 neurons, 4 per weight, 4 per row start)", bytes, want)
	}
	if _, _, _, err := build(n, 1, "f16", "exact"); err == nil || !strings.Contains(err.Error(), "f16") {
		t.Errorf("-weights f16: %v, want an error naming it", err)
	}
	if _, _, _, err := build(n, 1, "const", "nosuch"); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("-variant nosuch: %v, want an error naming it", err)
	}
}

// TestReport: the ratios are neurogen's simulated time per second over the peer's at the same
// N and threads, and 2 workers over 1.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "raw"), 0o755)
	write := func(name string, r Result) {
		b, _ := json.Marshal(r)
		if err := os.WriteFile(filepath.Join(dir, "raw", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := Result{N: 4000, Synapses: 320013, TMs: 1000, DtMs: 0.1, Spikes: 160000}
	r := base
	r.Tool, r.Config, r.Threads, r.RunS, r.Events = "neurogen", "exact", 1, 2, 1e7
	write("a.json", r)
	r.Threads, r.RunS = 2, 1.25
	write("b.json", r)
	r = base
	r.Tool, r.Config, r.Threads, r.RunS = "brian2", "b", 1, 5
	write("c.json", r)
	r.Tool, r.Threads, r.RunS = "neuron", 1, 10
	write("d.json", r)
	var out strings.Builder
	if err := printReport(&out, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 4000 | 1 | exact | 2.50× | 5.00× | – |",
		"| 4000 | 2 | exact | – | – | 1.60× |",
		// 4000 neurons × 10 000 steps in 2 s: 20 M neuron-steps/s; 1e7 events in 2 s: 5 M/s.
		"| 4000 | 320013 | neurogen | exact | 1 | 1000 ms | 2.00 | 20.00 | 5.0 | 160000 | 40.00 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
