package main

import (
	"math"
	"path/filepath"
	"testing"
)

// TestResume runs the example's check on a shorter run: the resumed second half is the straight
// run's, with spikes in flight and synaptic conductances that are not zero at the save.
func TestResume(t *testing.T) {
	r, err := simulate(50, 3, filepath.Join(t.TempDir(), "half.state"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d + %d spikes, %d in flight at the save, g_AMPA %.3g, g_GABA %.3g; %.1f Hz, %.1f Hz",
		len(r.first), len(r.second), r.inFlight, r.gAMPA, r.gGABA, r.excRate, r.inhRate)
	if r.inFlight == 0 || r.gAMPA == 0 || r.gGABA == 0 {
		t.Fatalf("nothing on its way at the save (%d spikes in flight, g %g and %g): the test would prove little", r.inFlight, r.gAMPA, r.gGABA)
	}
	if r.excRate == 0 || r.inhRate == 0 {
		t.Errorf("a silent group in the second half: exc %g Hz, inh %g Hz", r.excRate, r.inhRate)
	}
	if !r.identical {
		t.Errorf("the resumed run is not the straight run: %d spikes against %d", len(r.resumed), len(r.second))
	}
}

// spikeSteps records the step of each spike of a group, by neuron.
type spikeSteps struct {
	spiked func() []bool
	steps  [][]int64
}

func (s *spikeSteps) Record(step int64, t float64) {
	for i, x := range s.spiked() {
		if x {
			s.steps[i] = append(s.steps[i], step)
		}
	}
}

// TestDelivery checks the synapses against their definition: a spike of neuron i at step s
// adds w over connection k from i at the end of step a = s + delay[k], and the conductance
// decays at the start of every later step, so that after step K−1 each conductance is the sum
// over arrivals a ≤ K−1 of w·decay^(K−1−a).
func TestDelivery(t *testing.T) {
	n, err := newNetwork(5)
	if err != nil {
		t.Fatal(err)
	}
	exc := &spikeSteps{spiked: n.exc.Spiked, steps: make([][]int64, nExc)}
	inh := &spikeSteps{spiked: n.inh.Spiked, steps: make([][]int64, nInh)}
	n.sim.AddRecorder(exc)
	n.sim.AddRecorder(inh)
	const K = 3000 // 30 ms
	if err := n.run(K); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		p      *projection
		spikes *spikeSteps
	}{{"g_ampa", n.e2i, exc}, {"g_gaba", n.i2e, inh}} {
		want := make([]float64, len(c.p.g))
		arrivals := 0
		for k, i := range c.p.pre {
			for _, s := range c.spikes.steps[i] {
				if a := s + int64(c.p.delay[k]); a <= K-1 {
					want[c.p.post[k]] += c.p.w * math.Pow(c.p.decay, float64(K-1-a))
					arrivals++
				}
			}
		}
		if arrivals == 0 {
			t.Fatalf("%s: no spike arrived in %d steps", c.name, K)
		}
		for j, g := range c.p.g {
			if math.Abs(g-want[j]) > 1e-12*(1+want[j]) {
				t.Errorf("%s of neuron %d: %.17g, the spikes and delays give %.17g", c.name, j, g, want[j])
			}
		}
		t.Logf("%s: %d arrivals", c.name, arrivals)
	}
}
