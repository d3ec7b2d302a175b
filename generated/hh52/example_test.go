package hh52_test

import (
	"fmt"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// A group of three HH52 neurons with different constant inputs, run for 100 ms.
func Example() {
	g := hh52.New(3)
	copy(g.Input(), []float64{0, 5, 10}) // uA/cm2
	var spikes runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: 0.025}, 4000, &spikes)
	fmt.Println("spikes per neuron:", spikes.Counts(3))
	fmt.Printf("first spike of neuron 2 at %.2f ms\n", firstSpike(&spikes, 2))
	// Output:
	// spikes per neuron: [0 1 7]
	// first spike of neuron 2 at 1.99 ms
}

func firstSpike(s *runtime.Spikes, i int32) float64 {
	for k, n := range s.Neuron {
		if n == i {
			return s.Time[k]
		}
	}
	return -1
}
