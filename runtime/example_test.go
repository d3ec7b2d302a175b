package runtime_test

import (
	"fmt"
	"os"

	"github.com/neurogen/neurogen/runtime"
)

func ExampleExprel() {
	// α_n = 0.01 (V + 55) / (1 − exp(−(V + 55)/10)) is 0.1/Exprel(−(V + 55)/10): no 0/0 at −55 mV.
	alphaN := func(V float64) float64 { return 0.1 / runtime.Exprel(-(V+55)/10) }
	fmt.Printf("%.6f %.6f %.6f\n", alphaN(-65), alphaN(-55), alphaN(-54.999999999))
	// Output: 0.058198 0.100000 0.100000
}

func ExampleSteps() {
	n, err := runtime.Steps(1000, 0.025)
	fmt.Println(n, err)
	_, err = runtime.Steps(10, 0.3)
	fmt.Println(err)
	// Output:
	// 40000 <nil>
	// duration 10 ms is not a whole number of steps of 0.3 ms
}

func ExampleRun() {
	g := newPassive(2)                  // a test Group of two passive membranes, τ = 10 ms
	runtime.SetInputCurrent(g, 1, 2e-3) // 2 nA into neuron 1: 2 uA/cm2 at A = 1e-3 cm2
	steps, _ := runtime.Steps(50, 0.1)  // 50 ms
	clk := runtime.Clock{Dt: 0.1}
	var sp runtime.Spikes
	runtime.Run(g, &clk, steps, &sp)
	fmt.Printf("t = %g ms, counts %v\n", clk.T(), sp.Counts(g.Len()))
	for k := range sp.Len() {
		fmt.Printf("neuron %d at %.4f ms\n", sp.Neuron[k], sp.Time[k])
	}
	// Output:
	// t = 50 ms, counts [0 1]
	// neuron 1 at 13.8631 ms
}

func ExampleSpikes_WriteCSV() {
	sp := runtime.Spikes{Neuron: []int32{3, 0}, Time: []float64{12.5, 1.0 / 3}}
	if err := sp.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// neuron,time_ms
	// 3,12.5
	// 0,0.3333333333333333
}
