package runtime_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// flagger is a benchmark group that spikes by a precomputed pattern, repeating every len(masks)
// steps, and costs next to nothing to step: what remains of a Sim's step is the propagation.
type flagger struct {
	*scripted
	masks [][]bool
	k     int
}

func (f *flagger) Step(t, dt float64) { f.StepRange(0, f.Len(), t, dt); f.now = t + dt }
func (f *flagger) StepRange(lo, hi int, t, dt float64) {
	copy(f.spiked[lo:hi], f.masks[f.k%len(f.masks)][lo:hi])
	if hi == f.Len() {
		f.k++
	}
}

// BenchmarkNetPropagate measures the synapse phase alone: 4000 presynaptic neurons, each
// spiking with probability 0.004 a step (40 Hz at dt 0.1 ms, COBAHH's rate), onto 4000
// neurons with p = 0.02 (80 inputs each, float32 weights): ns per synaptic event.
func BenchmarkNetPropagate(b *testing.B) {
	const n, p, fire = 4000, 0.02, 0.004
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			pre := &flagger{scripted: newScripted(n, nil)}
			spikes := 0
			for range 64 {
				m := make([]bool, n)
				for i := range m {
					m[i] = r.Float64() < fire
				}
				pre.masks = append(pre.masks, m)
			}
			post := &flagger{scripted: newScripted(n, nil), masks: [][]bool{make([]bool, n)}} // g accumulates
			sim, _ := runtime.NewSim(0.1)
			sim.SetFiniteCheck(0)
			if err := errors.Join(sim.Add("pre", pre), sim.Add("post", post), sim.SetWorkers(workers)); err != nil {
				b.Fatal(err)
			}
			defer sim.Close()
			pr, _ := runtime.FixedProbability(n, n, p, runtime.ConnectOptions{Seed: 1})
			w := make([]float32, pr.Len())
			for k := range w {
				w[k] = 1
			}
			if err := errors.Join(pr.SetWeights32(w), sim.Connect("p", "pre", "post", "g", pr)); err != nil {
				b.Fatal(err)
			}
			events := 0
			for _, m := range pre.masks {
				for i, s := range m {
					if s {
						spikes++
						events += int(pr.Start()[i+1] - pr.Start()[i])
					}
				}
			}
			b.ResetTimer()
			for b.Loop() {
				sim.Step()
			}
			perStep := float64(events) / float64(len(pre.masks))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perStep, "ns/event")
			b.ReportMetric(perStep, "events/step")
		})
	}
}

// BenchmarkNetStep measures whole steps of a spiking network, groups and propagation: 3200
// HH52 and 800 Wang–Buzsáki neurons coupled both ways and onto themselves (newCoupled's
// network): ns per neuron-step, and the synaptic events per step.
func BenchmarkNetStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			c := newCoupled(b, 3200, 800, workers, 1)
			c.quiet = true
			c.sim.SetFiniteCheck(0)
			defer c.sim.Close()
			if err := c.sim.Run(200); err != nil { // past the start-up transient
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				c.sim.Step()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4000, "ns/neuron-step")
		})
	}
}
