package runtime_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// satGmax is the ceiling of satScripted's saturating receptor S.
const satGmax = 2.0

// sat is one event of S by hand: g + w·(gmax − g)/gmax.
func sat(g, w float64) float64 { return g + w*(satGmax-g)/satGmax }

// newSatScripted is newScripted whose state g is receptor S's, with the event function
// g += w*(gmax - g)/gmax.
func newSatScripted(n int, script map[int][]int) *scripted {
	s := newScripted(n, script)
	s.model.Receptors = []runtime.Receptor{{Name: "S", Target: "g", WeightUnit: "mS", Event: "g += w*(gmax - g)/gmax",
		Apply: func(g runtime.Group, j int, w float64) {
			x := g.(*scripted).g
			x[j] = x[j] + w*(satGmax-x[j])/satGmax
		}}}
	return s
}

// TestAppliedEvents checks, against values computed here step by step, that a projection into a
// receptor with an event function applies it once per event, in order (two events into neuron
// 1 in step 4), and that a Poisson input applies it k times for k events in a step (counted by a
// twin input of the same draws).
func TestAppliedEvents(t *testing.T) {
	script := map[int][]int{2: {0}, 4: {0, 1}}
	sim, _ := runtime.NewSim(0.1)
	pre, post := newScripted(2, script), newSatScripted(2, nil)
	if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
		t.Fatal(err)
	}
	// 0 → 1 (w 0.5), 1 → 1 (w 1.5), 0 → 0 (w 0.25); delay 1.
	p, err := runtime.FromPairs(2, 2, []int32{0, 1, 0}, []int32{1, 1, 0}, []float64{0.5, 1.5, 0.25}, runtime.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(p.SetDelay(1), sim.ConnectReceptor("p", "pre", "post", "S", p)); err != nil {
		t.Fatal(err)
	}
	rec := &gTrace{g: post.g}
	sim.AddRecorder(rec)
	if err := sim.Run(10); err != nil {
		t.Fatal(err)
	}
	var g [2]float64
	for k := range 10 {
		g[0], g[1] = g[0]*0.5, g[1]*0.5
		switch k {
		case 3:
			g[0], g[1] = sat(g[0], 0.25), sat(g[1], 0.5)
		case 5:
			g[0], g[1] = sat(g[0], 0.25), sat(sat(g[1], 0.5), 1.5) // presynaptic 0, then 1
		}
		if rec.trace[k][0] != g[0] || rec.trace[k][1] != g[1] {
			t.Errorf("after step %d g = %v, want %v", k, rec.trace[k], g)
		}
	}
	if rec.trace[5][1] == rec.trace[4][1]*0.5+0.5+1.5 || rec.trace[5][1] >= satGmax {
		t.Errorf("step 5: g[1] = %g: the event did not saturate", rec.trace[5][1])
	}
	if err := sim.SetPlasticity("p", runtime.TsodyksMarkram{U: 0.5, TauRec: 100, TauFacil: 10}); err == nil || !strings.Contains(err.Error(), "not the sum of its weights") {
		t.Errorf("plasticity into an event function: %v", err)
	}

	// Poisson: 400 Hz for 50 steps of 1 ms: several events in some steps.
	const n, steps = 40, 50
	sim, _ = runtime.NewSim(1)
	post = newSatScripted(n, nil)
	post.decay = 0.9
	count := make([]float64, n)
	if err := errors.Join(sim.Add("post", post), sim.AddState("n.count", count)); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoissonReceptor("drive", "post", "S", []float64{400}, 0.3, 5, 6); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoisson("twin", "post", "n.count", []float64{400}, 1, 5, 6); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, n)
	multi := 0
	for range steps {
		prev := append([]float64(nil), count...)
		if err := sim.Run(1); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i] *= 0.9
			k := int(count[i] - prev[i])
			if k > 1 {
				multi++
			}
			for range k {
				want[i] = sat(want[i], 0.3)
			}
			if post.g[i] != want[i] {
				t.Fatalf("neuron %d: g = %v, want %v (%d events)", i, post.g[i], want[i], k)
			}
		}
	}
	if multi == 0 {
		t.Error("no step had two events for a neuron: the test shows nothing of k events")
	}
}

// TestAppliedWorkers: a projection into a receptor with an event function gives the same bits
// for 1, 2 and 3 workers, without allocating in the steps.
func TestAppliedWorkers(t *testing.T) {
	const npre, npost = 60, 1500
	var want []float64
	for _, workers := range []int{1, 2, 3} {
		rng := rand.New(rand.NewPCG(3, 4))
		script := map[int][]int{}
		for k := range 100 {
			for i := range npre {
				if rng.Float64() < 0.05 {
					script[k] = append(script[k], i)
				}
			}
		}
		sim, _ := runtime.NewSim(0.1)
		pre, post := newScripted(npre, script), newSatScripted(npost, nil)
		post.decay = 0.95
		if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post)); err != nil {
			t.Fatal(err)
		}
		p, err := runtime.FixedProbability(npre, npost, 0.2, runtime.ConnectOptions{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		w := make([]float64, p.Len())
		for q := range w {
			w[q] = 0.1 + rng.Float64()
		}
		if err := errors.Join(p.SetWeights64(w), p.SetDelay(2), sim.ConnectReceptor("s", "pre", "post", "S", p), sim.SetWorkers(workers)); err != nil {
			t.Fatal(err)
		}
		if err := sim.Run(60); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(20, func() { _ = sim.Step() }); n != 0 {
			t.Errorf("%d workers: %g allocations per step", workers, n)
		}
		if workers == 1 {
			want = append([]float64(nil), post.g...)
			continue
		}
		for i := range want {
			if math.Float64bits(post.g[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%d workers: g[%d] = %v, 1 worker %v", workers, i, post.g[i], want[i])
			}
		}
	}
}

// TestAppliedFloat32: a receptor with an event function into a group storing its state in
// single precision is refused, not delivered in the wrong precision.
func TestAppliedFloat32(t *testing.T) {
	sim, _ := runtime.NewSim(0.1)
	post := newScripted32(2, nil)
	post.model.Receptors = newSatScripted(2, nil).model.Receptors
	if err := sim.Add("post", post); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoissonReceptor("drive", "post", "S", []float64{10}, 0.3, 1, 2); err == nil || !strings.Contains(err.Error(), "single precision") {
		t.Errorf("float32: %v", err)
	}
}
