// Command hhbrainpy compares two generated Hodgkin–Huxley neurons that differ in one number:
// BrainPy's built-in HH (github.com/neurogen/neurogen/generated/hhbrainpy, from
// specs/hh_brainpy.yaml, built from the stock channels INa_HH1952, IK_HH1952 and IL) has a leak
// conductance of 0.03 mS/cm2, HH52 (generated/hh52rk4, from specs/hh52.yaml) has 0.3 mS/cm2.
// Both use rk4 here.
//
// Eight inputs from 0 to 20 uA/cm2, one second each: the program prints the resting potential
// of each model and, for each input, both models' spike counts. The smaller leak lowers the
// resting potential from -65 to -70.7 mV and the input at which the neuron fires repetitively
// from about 6.3 to between 4 and 4.5 uA/cm2 (below it, HH52 fires an onset spike or a few). BrainPy's HH
// counts spikes at V_th = 20 mV, HH52 at 0 mV.
//
// Run it from the repository root:
//
//	go run ./examples/hhbrainpy
package main

import (
	"fmt"
	"log"

	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/generated/hhbrainpy"
	"github.com/neurogen/neurogen/runtime"
)

const (
	T  = 1000.0 // ms
	dt = 0.01   // ms
)

func main() {
	I := []float64{0, 2, 4, 4.5, 6, 10, 15, 20} // uA/cm2
	models := []func(n int) runtime.Group{
		func(n int) runtime.Group { return hhbrainpy.New(n) },
		func(n int) runtime.Group { return hh52rk4.New(n) },
	}
	steps, err := runtime.Steps(T, dt)
	if err != nil {
		log.Fatal(err)
	}
	counts := make([][]int, len(models))
	for k, newGroup := range models {
		// The resting potential: one neuron with no input, after a second.
		probe := newGroup(1)
		runtime.Run(probe, &runtime.Clock{Dt: dt}, steps, nil)
		leak, _ := probe.Param(probe.Model().Currents[len(probe.Model().Currents)-1] + ".g_max")
		vth, _ := probe.Param("V_th")
		fmt.Printf("%-10s resting potential %.2f mV, leak %g mS/cm2, V_th %g mV\n",
			probe.Model().Name, probe.Var("V")[0], leak, vth)

		g := newGroup(len(I))
		copy(g.Input(), I)
		var sp runtime.Spikes
		runtime.Run(g, &runtime.Clock{Dt: dt}, steps, &sp)
		counts[k] = sp.Counts(len(I))
	}
	fmt.Printf("\nspikes in %g ms (rk4, dt = %g ms)\n", T, dt)
	fmt.Println("I_ext (uA/cm2)  HHBrainPy  HH52")
	for i := range I {
		fmt.Printf("%14g  %9d  %4d\n", I[i], counts[0][i], counts[1][i])
	}
}
