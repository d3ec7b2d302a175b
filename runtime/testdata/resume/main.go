// Command resume runs a small network of HH52 and TraubMiles neurons coupled through delayed
// spikes, for the resume test of package runtime: it runs -steps steps, from the initial state
// or from the state file -load, saves the final state to -save, writes every spike to -spikes
// and prints how many delayed spikes are still on their way at the end.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/runtime"
)

// network is the model: group exc (HH52) excites group inh (TraubMiles), which inhibits exc,
// each synapse with its own delay in steps, through a pulse and a decaying conductance that is
// the user's state (saved with the Sim's); inh also hears exc's membrane potential 2 ms late.
type network struct {
	sim          *runtime.Sim
	exc          *hh52.Group
	inh          *traubmiles.Group
	excSpikes    *runtime.SpikeDelay
	inhSpikes    *runtime.SpikeDelay
	excV         *runtime.Delay
	e2iSrc, e2iD []int32 // inh neuron j hears exc neuron e2iSrc[j] after e2iD[j] steps
	i2eSrc, i2eD []int32 // exc neuron i hears inh neuron i2eSrc[i] after i2eD[i] steps
	arrivedI     []bool
	arrivedE     []bool
	vLate        []float64
	excDrive     []float64
	gInh         []float64 // exc neuron i's inhibitory conductance (mS/cm2): user state, Sim.AddState
	nExc, nInh   int
	spikes       []string // "group,neuron,step,time_ms" of every spike
}

func newNetwork() (*network, error) {
	const nExc, nInh = 10, 8
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		return nil, err
	}
	n := &network{sim: sim, exc: hh52.New(nExc), inh: traubmiles.New(nInh), nExc: nExc, nInh: nInh}
	if err := sim.Add("exc", n.exc); err != nil {
		return nil, err
	}
	if err := sim.Add("inh", n.inh); err != nil {
		return nil, err
	}
	if n.excSpikes, err = sim.NewSpikeDelay("exc", 5); err != nil {
		return nil, err
	}
	if n.inhSpikes, err = sim.NewSpikeDelay("inh", 3); err != nil {
		return nil, err
	}
	if n.excV, err = sim.NewDelay("exc", "V", 2, -65); err != nil {
		return nil, err
	}
	n.excDrive = make([]float64, nExc)
	for i := range nExc {
		n.excDrive[i] = 8 + 1.3*float64(i)
		n.i2eSrc = append(n.i2eSrc, int32((3*i+1)%nInh))
		n.i2eD = append(n.i2eD, int32(1+(37*i)%120)) // 1 … 120 steps (up to 3 ms)
	}
	for j := range nInh {
		n.e2iSrc = append(n.e2iSrc, int32((7*j+2)%nExc))
		n.e2iD = append(n.e2iD, int32(40+(53*j)%161)) // 40 … 200 steps (1 … 5 ms)
	}
	n.arrivedI = make([]bool, nInh)
	n.arrivedE = make([]bool, nExc)
	n.vLate = make([]float64, nInh)
	n.gInh = make([]float64, nExc)
	if err := sim.AddState("syn.g_inh", n.gInh); err != nil {
		return nil, err
	}
	sim.AddRecorder(n)
	return n, nil
}

// Record keeps every spike of the step just made.
func (n *network) Record(step int64, t float64) {
	for _, g := range []struct {
		name string
		g    runtime.Group
	}{{"exc", n.exc}, {"inh", n.inh}} {
		for i, s := range g.g.Spiked() {
			if s {
				n.spikes = append(n.spikes, g.name+","+strconv.Itoa(i)+","+strconv.FormatInt(step, 10)+","+
					strconv.FormatFloat(g.g.SpikeTimes()[i], 'g', -1, 64))
			}
		}
	}
}

// step writes the synaptic currents from the delay lines, then steps the sim.
func (n *network) step() {
	n.excSpikes.ReadIndexEach(n.e2iSrc, n.e2iD, n.arrivedI)
	n.excV.ReadIndex(n.e2iSrc, 80, n.vLate)
	for j := range n.nInh {
		in := 0.5 + 0.02*(n.vLate[j]-n.inh.V[j])
		if n.arrivedI[j] {
			in += 200
		}
		n.inh.Input()[j] = in
	}
	n.inhSpikes.ReadIndexEach(n.i2eSrc, n.i2eD, n.arrivedE)
	for i := range n.nExc {
		n.gInh[i] *= 0.99 // decays with τ ≈ 2.5 ms
		if n.arrivedE[i] {
			n.gInh[i] += 0.3
		}
		in := n.excDrive[i] + n.gInh[i]*(-80-n.exc.V[i])
		if n.arrivedE[i] {
			in -= 300
		}
		n.exc.Input()[i] = in
	}
	n.sim.Step()
}

// pending counts the spikes already emitted that a synapse has yet to deliver.
func (n *network) pending() int {
	p := 0
	for j, i := range n.e2iSrc {
		for a := 1; a <= int(n.e2iD[j]); a++ {
			if n.excSpikes.At(int(i), a) {
				p++
			}
		}
	}
	for i, j := range n.i2eSrc {
		for a := 1; a <= int(n.i2eD[i]); a++ {
			if n.inhSpikes.At(int(j), a) {
				p++
			}
		}
	}
	return p
}

func main() {
	load := flag.String("load", "", "state file to start from")
	steps := flag.Int("steps", 0, "steps to run")
	save := flag.String("save", "", "state file to write at the end")
	spikes := flag.String("spikes", "", "CSV file of the spikes")
	rec := flag.String("record", "", "NPZ file of the monitors' records")
	flag.Parse()
	if err := run(*load, *steps, *save, *spikes, *rec); err != nil {
		fmt.Fprintln(os.Stderr, "resume:", err)
		os.Exit(1)
	}
}

func run(load string, steps int, save, spikes, rec string) error {
	n, err := newNetwork()
	if err != nil {
		return err
	}
	if load != "" {
		if err := n.sim.Load(load); err != nil {
			return err
		}
	}
	// Monitors sized for a run from step 0 of start+steps steps hold the records of this run
	// (from step start) with room to spare; their grids follow the absolute step (every 7 steps
	// does not divide the step of the save).
	start := n.sim.Clock().Step
	excMon, err := runtime.NewMonitor(n.exc, []string{"V", "Na.m", "K.I", "I_ext"}, []int{0, 4, 9}, 7, start+int64(steps), 0)
	if err != nil {
		return err
	}
	inhMon, err := runtime.NewMonitor(n.inh, []string{"V", "K.n", "Na.I"}, nil, 5, start+int64(steps), 0)
	if err != nil {
		return err
	}
	n.sim.AddRecorder(excMon)
	n.sim.AddRecorder(inhMon)
	for range steps {
		n.step()
	}
	f, err := os.Create(rec)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := runtime.WriteNPZ(f, append(excMon.Arrays("exc"), inhMon.Arrays("inh")...)); err != nil {
		return err
	}
	if err := n.sim.Save(save); err != nil {
		return err
	}
	csv := "group,neuron,step,time_ms\n"
	for _, s := range n.spikes {
		csv += s + "\n"
	}
	if err := os.WriteFile(spikes, []byte(csv), 0o644); err != nil {
		return err
	}
	fmt.Printf("step %d pending %d spikes %d\n", n.sim.Clock().Step, n.pending(), len(n.spikes))
	return nil
}
