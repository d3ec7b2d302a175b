// Command traubmilespyramidal uses the generated regular-spiking pyramidal cell
// (github.com/neurogen/neurogen/generated/traubmilespyramidal, from
// specs/traubmiles_pyramidal.yaml: Traub–Miles sodium and potassium currents with a slow M-type
// potassium current, Pospischil et al. 2008) to show spike-frequency adaptation and how a
// per-neuron parameter makes a population heterogeneous.
//
// Six neurons get the same input, 4 uA/cm2 for one second, but each its own M-current
// conductance, from none to 0.4 mS/cm2 (the spec's value is 0.075). The program prints each
// neuron's spike count, its first and last interspike intervals, and their ratio: with no M
// current the cell fires regularly; the more M current, the fewer spikes and the more the
// intervals lengthen as the current builds up.
//
// Run it from the repository root:
//
//	go run ./examples/traubmilespyramidal
package main

import (
	"fmt"
	"log"

	"github.com/neurogen/neurogen/generated/traubmilespyramidal"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	const (
		T  = 1000.0 // ms
		dt = 0.01   // ms; rk4, as the spec says
		I  = 4.0    // uA/cm2
	)
	gM := []float64{0, 0.05, 0.075, 0.1, 0.2, 0.4} // mS/cm2
	g := traubmilespyramidal.New(len(gM))
	copy(g.IMGMax, gM) // a per-neuron parameter: one value per neuron
	for i := range g.Input() {
		g.Input()[i] = I
	}
	steps, err := runtime.Steps(T, dt)
	if err != nil {
		log.Fatal(err)
	}
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: dt}, steps, &sp)

	times := make([][]float64, len(gM))
	for k, i := range sp.Neuron {
		times[i] = append(times[i], sp.Time[k])
	}
	fmt.Printf("%s, %d neurons, I = %g uA/cm2 for %g ms (%s, dt = %g ms)\n", g.Model().Name, len(gM), I, T, g.Model().Method, dt)
	fmt.Println("g_M (mS/cm2)  spikes  first ISI (ms)  last ISI (ms)  last/first")
	for i, ts := range times {
		fmt.Printf("%12.3f  %6d", gM[i], len(ts))
		if n := len(ts); n >= 3 {
			first, last := ts[1]-ts[0], ts[n-1]-ts[n-2]
			fmt.Printf("  %14.2f  %13.2f  %10.2f", first, last, last/first)
		}
		fmt.Println()
	}
}
