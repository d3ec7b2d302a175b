// Command thalamicrelay uses the generated thalamocortical relay neuron
// (github.com/neurogen/neurogen/generated/thalamicrelay, from specs/thalamic_relay.yaml) to show
// the two firing modes of a thalamic relay cell:
//
//   - burst mode: at rest for 100 ms, held near -84 mV by a hyperpolarising current for 500 ms,
//     then released, the cell fires a low-threshold calcium spike crowned by a burst of sodium
//     spikes; the program prints the spike times after release and the calcium current under
//     them;
//   - tonic mode: depolarised from rest by a steady current, the same cell fires single spikes
//     at a rate that grows with the current.
//
// Run it from the repository root:
//
//	go run ./examples/thalamicrelay
package main

import (
	"fmt"
	"log"
	"math"
	"slices"

	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/runtime"
)

const dt = 0.005 // ms; rk4, as the spec says

func main() {
	rebound()
	fmt.Println()
	tonic()
}

// rebound runs the burst-mode protocol of the reference (testdata/reference/models/) and prints
// the membrane potential at release and the spikes after it.
func rebound() {
	const (
		rest, hold, after = 100.0, 500.0, 400.0 // ms
		Ihold             = -0.405              // uA/cm2
	)
	g := thalamicrelay.New(1)
	clk := &runtime.Clock{Dt: dt}
	var sp runtime.Spikes
	vMin, vRelease, caPeak := math.Inf(1), 0.0, 0.0
	// Every 5 ms for 100 ms after release: V and the T-type calcium current under the burst.
	iT := slices.Index(g.Model().Currents, "IT")
	currents := make([]float64, len(g.Model().Currents))
	var trace []string
	for k, seg := range []struct{ ms, I float64 }{{rest, 0}, {hold, Ihold}, {after, 0}} {
		g.Input()[0] = seg.I
		steps, err := runtime.Steps(seg.ms, dt)
		if err != nil {
			log.Fatal(err)
		}
		for s := range steps {
			g.Step(clk.T(), clk.Dt)
			clk.Advance()
			sp.Collect(g)
			switch k {
			case 1:
				vMin = min(vMin, g.V[0])
			case 2:
				caPeak = max(caPeak, g.CaI[0])
				if (s+1)%1000 == 0 && s < 20000 {
					g.Currents(0, currents)
					trace = append(trace, fmt.Sprintf("%8.0f  %7.2f  %9.4f  %8.5f",
						clk.T()-rest-hold, g.V[0], currents[iT], g.CaI[0]))
				}
			}
		}
		if k == 1 {
			vRelease = g.V[0]
		}
	}
	release := rest + hold
	fmt.Printf("%s: burst mode (rk4, dt = %g ms)\n", g.Model().Name, dt)
	fmt.Printf("I = %g uA/cm2 from %g to %g ms: V falls to %.2f mV, Ih sags it back to %.2f mV at release\n",
		Ihold, rest, release, vMin, vRelease)
	fmt.Println("spike  time (ms)  after release (ms)  interval (ms)")
	prev := 0.0
	for k, t := range sp.Time {
		isi := ""
		if k > 0 {
			isi = fmt.Sprintf("%13.3f", t-prev)
		}
		fmt.Printf("%5d  %9.3f  %18.3f  %s\n", k+1, t, t-release, isi)
		prev = t
	}
	fmt.Printf("%d spikes after release; [Ca]i peaks at %.3g mM (rest %.3g mM)\n", sp.Len(), caPeak, g.Params.CaCRest)
	fmt.Println("the low-threshold spike under the burst (sampled every 5 ms; I_T inward positive):")
	fmt.Println("  t (ms)   V (mV)  I_T (uA/cm2)  [Ca]i (mM)")
	for _, line := range trace {
		fmt.Println(line)
	}
}

// tonic drives the cell from rest with steady depolarising currents for one second.
func tonic() {
	const T = 1000.0 // ms
	I := []float64{0, 0.5, 1, 2, 4, 8}
	g := thalamicrelay.New(len(I))
	vInit := g.V[0]
	copy(g.Input(), I)
	steps, err := runtime.Steps(T, dt)
	if err != nil {
		log.Fatal(err)
	}
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: dt}, steps, &sp)
	fmt.Printf("%s: tonic mode, %g ms from rest (V_init %.1f mV)\n", g.Model().Name, T, vInit)
	fmt.Println("I_ext (uA/cm2)  spikes  rate (Hz)")
	for i, c := range sp.Counts(len(I)) {
		fmt.Printf("%14g  %6d  %9.1f\n", I[i], c, float64(c)/(T/1000))
	}
}
