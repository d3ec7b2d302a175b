package generated_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtab"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtabx4f32"
	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

// TestFloat32AgainstDouble: with the state stored in single precision (gen -float32), every
// HH52 spike of the reference run (1000 ms, 8 neurons, 387 spikes) stays within 0.002 ms of the
// same method's double-precision run, at two steps, with no spike gained or lost; the
// rounding of the state to float32 each step is the only difference.
func TestFloat32AgainstDouble(t *testing.T) {
	truth, err := spikecmp.LoadRun(refDir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		double, single func(n int) runtime.Group
	}{
		{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, func(n int) runtime.Group { return hh52f32.New(n) }},
		{"staggered+tables+simd", func(n int) runtime.Group { return hh52staggeredtab.New(n) }, func(n int) runtime.Group { return hh52staggeredtabx4f32.New(n) }},
	} {
		for _, dt := range []float64{0.01, 0.025} {
			double := simulate(t, c.double(len(truth.I)), truth.I, 1000, dt)
			single := simulate(t, c.single(len(truth.I)), truth.I, 1000, dt)
			r := spikecmp.Compare(single, double, 1000)
			t.Logf("%s, dt %g: float32 state against float64: %v", c.name, dt, r)
			if r.CountDiff+r.EdgeDiff != 0 || !(r.MaxErr <= 0.002) || r.MaxErr == 0 {
				t.Errorf("%s, dt %g: float32 state against float64: %v; want equal counts and every spike within (0, 0.002] ms", c.name, dt, r)
			}
		}
	}
}

// TestFloat32Group: a -float32 group keeps its state in float32 slices (Var32; Var has none),
// says so in its Model, and the runtime's monitors, delay lines and state files work on it:
// records and delayed values are the float32 values exactly, and a saved state loads back to
// the same bits.
func TestFloat32Group(t *testing.T) {
	const n = 5
	g := hh52f32.New(n)
	if !g.Model().Float32 || g.Var("V") != nil || len(g.Var32("V")) != n || len(g.Var32("K.n")) != n || g.Var32("nope") != nil {
		t.Fatalf("Model().Float32 = %v, Var(V) = %v, len(Var32(V)) = %d: want true, nil, %d", g.Model().Float32, g.Var("V"), len(g.Var32("V")), n)
	}
	if g.Model().LayoutHash == hh52.New(1).Model().LayoutHash {
		t.Error("the float32 layout has the float64 layout's hash: state files of one would load into the other")
	}
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("hh", g); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		g.Input()[i] = 10 + 2*float64(i)
	}
	mon, err := runtime.NewMonitor(g, []string{"V", "Na.m"}, nil, 1, 400, 0)
	if err != nil {
		t.Fatal(err)
	}
	sim.AddRecorder(mon)
	line, err := sim.NewDelay("hh", "V", 1, -65)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(200)
	V := g.Var32("V")
	for i := range n {
		if got := mon.At("V", mon.Len()-1, i); got != float64(V[i]) {
			t.Errorf("monitor: V of neuron %d = %v, the group holds %v", i, got, V[i])
		}
		if got := line.At(i, 1); got != float64(V[i]) {
			t.Errorf("delay line: V of neuron %d now = %v, the group holds %v", i, got, V[i])
		}
	}
	var buf bytes.Buffer
	if err := sim.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	sim.Run(200) // the original goes on

	h := hh52f32.New(n)
	sim2, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim2.Add("hh", h); err != nil {
		t.Fatal(err)
	}
	if _, err := sim2.NewDelay("hh", "V", 1, -65); err != nil {
		t.Fatal(err)
	}
	if err := sim2.ReadState(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil {
		t.Fatal(err)
	}
	sim2.Run(200)
	for _, v := range g.Model().Vars {
		a, b := g.Var32(v.Name), h.Var32(v.Name)
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				t.Fatalf("%s of neuron %d: %v after 400 steps, %v after saving at 200, loading and 200 more", v.Name, i, a[i], b[i])
			}
		}
	}
}
