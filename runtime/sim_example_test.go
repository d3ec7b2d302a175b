package runtime_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// ExampleSim couples two groups through delayed spikes written in plain Go: each spike of
// exc neuron i reaches inh neuron i after a delay of its own, as a one-step pulse of current.
// Halfway, the run is saved and loaded back, as a resumed run would be.
func ExampleSim() {
	sim, _ := runtime.NewSim(0.025)
	exc, inh := hh52.New(3), hh52.New(3)
	sim.Add("exc", exc)
	sim.Add("inh", inh)
	for i := range exc.Input() {
		exc.Input()[i] = 10 + 5*float64(i) // uA/cm2
	}
	spikes, _ := sim.NewSpikeDelay("exc", 5) // delays of up to 5 ms
	delay := make([]int32, 3)
	for i, ms := range []float64{1, 2.5, 5} {
		d, err := spikes.Steps(ms)
		if err != nil {
			fmt.Println(err)
			return
		}
		delay[i] = int32(d)
	}
	arrived := make([]bool, 3)
	var counts [2][3]int
	step := func() {
		spikes.ReadEach(delay, arrived)
		for i, a := range arrived {
			inh.Input()[i] = 0
			if a {
				inh.Input()[i] = 400 // for one step: a kick of 10 mV
			}
		}
		sim.Step()
		for i := range 3 {
			if exc.Spiked()[i] {
				counts[0][i]++
			}
			if inh.Spiked()[i] {
				counts[1][i]++
			}
		}
	}
	for range 4000 { // 100 ms
		step()
	}
	dir, err := os.MkdirTemp("", "neurogen-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.npz")
	if err := sim.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	sim.Reset()
	if err := sim.Load(path); err != nil {
		fmt.Println(err)
		return
	}
	for range 4000 {
		step()
	}
	fmt.Printf("t = %g ms\nexc spikes %v\ninh spikes %v\n", sim.T(), counts[0], counts[1])
	// Output:
	// t = 200 ms
	// exc spikes [14 16 17]
	// inh spikes [10 8 9]
}
