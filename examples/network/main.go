// Command network couples two generated groups through delayed spikes: 80 excitatory HH52
// neurons (github.com/neurogen/neurogen/generated/hh52, exponential Euler) drive 20 fast-spiking
// Wang–Buzsáki interneurons (generated/wangbuzsaki, rk2), which inhibit them back. Every
// connection has its own delay; the runtime delivers the spikes (Sim.Connect, one projection per
// delay made by runtime.FromPairsByDelay) into the synaptic conductances, which are the
// program's own state (Sim.AddState), with an exponential decay and a current written here in
// plain Go.
//
// The program runs the network for -t, saving the complete state half-way to a state file; then
// it builds the network again, as a new process would, loads the state file and runs the second
// half again. It prints both groups' activity and checks that the resumed run ends in the same
// state, bit for bit, with the same spikes, although spikes were in flight at the save.
//
// Run it from the repository root:
//
//	go run ./examples/network
//	go run ./examples/network -t 1s -state half.state
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/runtime"
)

// The network. Times in ms, conductances in mS/cm2, potentials in mV, currents in uA/cm2.
const (
	dt = 0.01 // the step of both groups: rk2 for Wang–Buzsáki wants small steps

	nExc, nInh = 80, 20
	excToInh   = 10 // excitatory inputs of each interneuron
	inhToExc   = 5  // inhibitory inputs of each excitatory neuron

	tauAMPA, eAMPA, wAMPA = 2.0, 0.0, 0.04   // excitatory synapse: decay, reversal, weight
	tauGABA, eGABA, wGABA = 5.0, -80.0, 0.08 // inhibitory synapse
)

// Delays, each connection drawn uniformly from whole steps in [min, max].
var (
	excDelay = [2]float64{1, 5}   // exc → inh, ms
	inhDelay = [2]float64{0.5, 2} // inh → exc, ms
)

// projection is a set of connections from one group to another with the same synapse: a
// conductance per postsynaptic neuron that decays by a factor each step, grows by w for each
// spike that arrives, and drives the current g·(E − V). Its connections are runtime
// projections, one per delay, which the Sim delivers into g: a spike of step s over a
// connection of delay d adds w to g at the end of step s+d, so that step s+d+1 feels it.
type projection struct {
	pre, post, delay []int32 // connection k: from pre[k] to post[k], delay[k] steps
	w, decay, E      float64
	g                []float64 // the conductance of each postsynaptic neuron: the user's state
}

// connect draws k distinct presynaptic neurons of nPre for each of nPost neurons, each with a
// delay of a whole number of steps in [lo, hi] ms (an error if a bound is not a whole number of
// steps), and connects them in the Sim from group from to the state gName of group to, whose
// values are g: one runtime projection per delay, named NAME_dSTEPS.
func connect(sim *runtime.Sim, rng *rand.Rand, name, from, to, gName string, nPre, nPost, k int, lo, hi, tau, w, E float64) (*projection, error) {
	dlo, err := runtime.Steps(lo, dt)
	if err != nil {
		return nil, err
	}
	dhi, err := runtime.Steps(hi, dt)
	if err != nil {
		return nil, err
	}
	p := &projection{w: w, decay: math.Exp(-dt / tau), E: E, g: make([]float64, nPost)}
	for j := range nPost {
		for _, i := range rng.Perm(nPre)[:k] {
			p.pre = append(p.pre, int32(i))
			p.post = append(p.post, int32(j))
			p.delay = append(p.delay, int32(dlo+rng.IntN(dhi-dlo+1)))
		}
	}
	if err := sim.AddState(gName, p.g); err != nil {
		return nil, err
	}
	byDelay, err := runtime.FromPairsByDelay(nPre, nPost, p.pre, p.post, nil, p.delay, runtime.ConnectOptions{})
	if err != nil {
		return nil, err
	}
	for _, c := range byDelay {
		if err := c.SetWeight(w); err != nil {
			return nil, err
		}
		if err := sim.Connect(fmt.Sprintf("%s_d%d", name, c.Delay()), from, to, gName, c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// decay lets the conductances decay over the step about to be made.
func (p *projection) decayStep() {
	for j := range p.g {
		p.g[j] *= p.decay
	}
}

// inFlight counts the spikes that connections have yet to deliver after step last, given the
// steps at which each presynaptic neuron spiked.
func (p *projection) inFlight(spikes [][]int64, last int64) int {
	n := 0
	for k, i := range p.pre {
		for _, s := range spikes[i] {
			if s+int64(p.delay[k]) > last {
				n++
			}
		}
	}
	return n
}

// network is the Sim with its two groups and the two projections.
type network struct {
	sim                *runtime.Sim
	exc                *hh52.Group
	inh                *wangbuzsaki.Group
	e2i, i2e           *projection
	drive              []float64 // each excitatory neuron's constant input
	spikes             []string  // "group neuron time" of each spike
	excSteps, inhSteps [][]int64 // the steps at which each neuron spiked
}

// newNetwork builds the network in its initial state; the connections and delays follow from
// seed alone, so every build of the same seed is the same network.
func newNetwork(seed uint64) (*network, error) {
	sim, err := runtime.NewSim(dt)
	if err != nil {
		return nil, err
	}
	n := &network{sim: sim, exc: hh52.New(nExc), inh: wangbuzsaki.New(nInh),
		excSteps: make([][]int64, nExc), inhSteps: make([][]int64, nInh)}
	if err := errors.Join(sim.Add("exc", n.exc), sim.Add("inh", n.inh)); err != nil {
		return nil, err
	}
	// The conductances are part of the simulation's state (AddState, in connect): without them
	// a resumed run would restart every synapse from zero and drift away from the straight run.
	// The spikes on their way are too: the Sim's state files hold each group's spike history.
	rng := rand.New(rand.NewPCG(seed, 1))
	if n.e2i, err = connect(sim, rng, "e2i", "exc", "inh", "syn.g_ampa", nExc, nInh, excToInh, excDelay[0], excDelay[1], tauAMPA, wAMPA, eAMPA); err != nil {
		return nil, err
	}
	if n.i2e, err = connect(sim, rng, "i2e", "inh", "exc", "syn.g_gaba", nInh, nExc, inhToExc, inhDelay[0], inhDelay[1], tauGABA, wGABA, eGABA); err != nil {
		return nil, err
	}
	n.drive = make([]float64, nExc)
	for i := range n.drive {
		n.drive[i] = 6 + 8*rng.Float64() // 6 to 14 uA/cm2: 60 to 90 Hz alone
	}
	sim.AddRecorder(n)
	return n, nil
}

// Record keeps the spikes of the step just made (Sim calls it after every step).
func (n *network) Record(step int64, t float64) {
	for _, g := range []struct {
		name  string
		g     runtime.Group
		steps [][]int64
	}{{"exc", n.exc, n.excSteps}, {"inh", n.inh, n.inhSteps}} {
		for i, s := range g.g.Spiked() {
			if s {
				n.spikes = append(n.spikes, fmt.Sprintf("%s %d %.17g", g.name, i, g.g.SpikeTimes()[i]))
				g.steps[i] = append(g.steps[i], step)
			}
		}
	}
}

// step lets the conductances decay, sets each neuron's input from its synaptic conductance and
// steps the Sim, which delivers the spikes that arrive at the end of the step and returns an
// error when it finds a NaN or an infinity in the state.
func (n *network) step() error {
	n.e2i.decayStep()
	n.i2e.decayStep()
	for j := range n.inh.Input() {
		n.inh.Input()[j] = 0.1 + n.e2i.g[j]*(n.e2i.E-n.inh.V[j])
	}
	for i := range n.exc.Input() {
		n.exc.Input()[i] = n.drive[i] + n.i2e.g[i]*(n.i2e.E-n.exc.V[i])
	}
	return n.sim.Step()
}

// run makes steps steps, and stops at the first error.
func (n *network) run(steps int) error {
	for range steps {
		if err := n.step(); err != nil {
			return err
		}
	}
	return nil
}

// stateBytes is the network's state file, in memory.
func (n *network) stateBytes() ([]byte, error) {
	var b bytes.Buffer
	err := n.sim.WriteState(&b)
	return b.Bytes(), err
}

// report is what a run of the example found.
type report struct {
	steps            int      // steps of each half
	inFlight         int      // spikes emitted before the save and delivered after it
	first, second    []string // spikes of each half of the straight run
	resumed          []string // spikes of the resumed second half
	gAMPA, gGABA     float64  // mean conductances at the save
	identical        bool     // the resumed run ended in the straight run's state, bit for bit
	excRate, inhRate float64  // mean rates over the second half, Hz
}

// simulate runs the network for 2·half ms, saving its state to path half-way, then resumes a
// new network from path and runs the second half again.
func simulate(half float64, seed uint64, path string) (*report, error) {
	steps, err := runtime.Steps(half, dt)
	if err != nil {
		return nil, fmt.Errorf("-t: half the duration: %w", err)
	}
	n, err := newNetwork(seed)
	if err != nil {
		return nil, err
	}
	r := &report{steps: steps}
	if err := n.run(steps); err != nil {
		return nil, err
	}
	if err := n.sim.Save(path); err != nil {
		return nil, err
	}
	r.first = slices.Clone(n.spikes)
	last := int64(steps) - 1
	r.inFlight = n.e2i.inFlight(n.excSteps, last) + n.i2e.inFlight(n.inhSteps, last)
	r.gAMPA, r.gGABA = mean(n.e2i.g), mean(n.i2e.g)
	n.spikes = n.spikes[:0]
	if err := n.run(steps); err != nil {
		return nil, err
	}
	r.second = n.spikes
	end, err := n.stateBytes()
	if err != nil {
		return nil, err
	}

	// A new network, as a new process would build it, from the state file.
	m, err := newNetwork(seed)
	if err != nil {
		return nil, err
	}
	if err := m.sim.Load(path); err != nil {
		return nil, err
	}
	if err := m.run(steps); err != nil {
		return nil, err
	}
	r.resumed = m.spikes
	resumedEnd, err := m.stateBytes()
	if err != nil {
		return nil, err
	}
	r.identical = bytes.Equal(end, resumedEnd) && slices.Equal(r.second, r.resumed)
	count := func(group string) int {
		c := 0
		for _, s := range r.second {
			if len(s) > len(group) && s[:len(group)+1] == group+" " {
				c++
			}
		}
		return c
	}
	r.excRate = float64(count("exc")) / nExc / (half / 1000)
	r.inhRate = float64(count("inh")) / nInh / (half / 1000)
	return r, nil
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func main() {
	total := flag.Duration("t", 400*time.Millisecond, "the duration of the whole run (simulated time)")
	seed := flag.Uint64("seed", 1, "the seed of the connections, delays and drives")
	state := flag.String("state", "", "the state file written half-way (default: a temporary file, removed at the end)")
	flag.Parse()
	path := *state
	if path == "" {
		dir, err := os.MkdirTemp("", "network")
		if err != nil {
			fmt.Fprintln(os.Stderr, "network:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "half.state")
	}
	half := float64(*total) / float64(time.Millisecond) / 2
	r, err := simulate(half, *seed, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		os.Exit(1)
	}
	fmt.Printf("%d HH52 → %d Wang–Buzsáki (%d inputs each, delays %g–%g ms), %d → %d (%d each, %g–%g ms); dt = %g ms\n",
		nExc, nInh, excToInh, excDelay[0], excDelay[1], nInh, nExc, inhToExc, inhDelay[0], inhDelay[1], dt)
	fmt.Printf("first half, %g ms: %d spikes; saved at t = %g ms with %d spikes in flight, mean g_AMPA %.3g, g_GABA %.3g mS/cm2\n",
		half, len(r.first), half, r.inFlight, r.gAMPA, r.gGABA)
	fmt.Printf("second half: %d spikes; exc %.1f Hz, inh %.1f Hz\n", len(r.second), r.excRate, r.inhRate)
	if !r.identical {
		fmt.Printf("resumed from the state file: %d spikes, NOT identical to the straight run\n", len(r.resumed))
		os.Exit(1)
	}
	fmt.Printf("resumed from the state file: %d spikes, the same state and spikes as the straight run, bit for bit\n", len(r.resumed))
}
