// Command wangbuzsaki uses the generated Wang–Buzsáki interneuron
// (github.com/neurogen/neurogen/generated/wangbuzsaki, from specs/wangbuzsaki.yaml: sodium
// activation instantaneous, h and n sped up fivefold, rk2) to show type-1 excitability: just
// above its rheobase the neuron fires at an arbitrarily low rate, and the rate grows steeply
// and continuously with the input, up to a few hundred Hz.
//
// Ten inputs from 0 to 10 uA/cm2, one second each: the program prints each input's spike count
// and its steady firing rate (from the last interspike interval).
//
// Run it from the repository root:
//
//	go run ./examples/wangbuzsaki
package main

import (
	"fmt"
	"log"

	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	const (
		T  = 1000.0 // ms
		dt = 0.005  // ms; rk2, as the spec says
	)
	I := []float64{0, 0.1, 0.16, 0.18, 0.2, 0.5, 1, 2, 5, 10} // uA/cm2
	g := wangbuzsaki.New(len(I))
	copy(g.Input(), I)
	steps, err := runtime.Steps(T, dt)
	if err != nil {
		log.Fatal(err)
	}
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: dt}, steps, &sp)

	times := make([][]float64, len(I))
	for k, i := range sp.Neuron {
		times[i] = append(times[i], sp.Time[k])
	}
	fmt.Printf("%s, %d neurons, %g ms (%s, dt = %g ms)\n", g.Model().Name, len(I), T, g.Model().Method, dt)
	fmt.Println("I_ext (uA/cm2)  spikes  steady rate (Hz)")
	for i, ts := range times {
		fmt.Printf("%14g  %6d", I[i], len(ts))
		if n := len(ts); n >= 2 {
			fmt.Printf("  %16.1f", 1000/(ts[n-1]-ts[n-2]))
		}
		fmt.Println()
	}
}
