package generated_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/generated/cobahh/cobahhneuron"
	"github.com/neurogen/neurogen/runtime"
)

// The COBAHH neuron's spec has `V_th: -20 mV` and `refractory: 3 ms`: a spike where V > V_th
// after a step, unless the neuron spiked less than 3 ms (in whole steps, ⌊3/dt + 10⁻³⌋ of
// them) before, stamped with the step's start (docs/spec.md).

// refractoryDrive is a current density (uA/cm2) that takes a COBAHH neuron from V_init above
// V_th in the first step and holds it there (depolarisation block: it never comes back below).
const refractoryDrive = 2000

// TestRefractoryHeldAboveThreshold: neurons held above V_th, by a strong current or by the
// voltage clamp, spike once per refractory period exactly: in steps 0, R, 2R, … with R the
// refractory period in whole steps, counted by hand for each dt (3 ms / 0.1 ms = 30 steps,
// 3 / 0.25 = 12, 3 / 0.07 = 42.9 → 42, 3 / 0.11 = 27.3 → 27, and 3 / 0.3 = 10, which is
// 10.000000000000002 in floating point), each stamped with its step's start time. A neuron
// held below V_th (by a negative current, without which the COBAHH neuron fires on its own)
// never spikes. Steps alternate between Step and StepRange on two ranges.
func TestRefractoryHeldAboveThreshold(t *testing.T) {
	for _, c := range []struct {
		dt float64
		R  int
	}{{0.1, 30}, {0.25, 12}, {0.07, 42}, {0.11, 27}, {0.3, 10}} {
		for _, clamp := range []bool{false, true} {
			const n = 6 // neuron 5 held below V_th
			g := cobahhneuron.New(n)
			g.Input()[n-1] = -20
			if clamp {
				for i := range n - 1 {
					g.V[i] = 10 // mV, above V_th
				}
				g.SetVoltageClamp(true)
			} else {
				for i := range n - 1 {
					g.Input()[i] = refractoryDrive
				}
			}
			steps := 4*c.R + 3
			for k := range steps {
				tk := float64(k) * c.dt
				if k%2 == 0 {
					g.Step(tk, c.dt)
				} else {
					g.StepRange(0, 2, tk, c.dt)
					g.StepRange(2, n, tk, c.dt)
				}
				for i := range n {
					want := i < n-1 && k%c.R == 0
					if i < n-1 && !(g.V[i] > g.Params.VTh) {
						t.Fatalf("dt %g, clamp %v: neuron %d at V = %g after step %d, not above V_th: the test shows nothing", c.dt, clamp, i, g.V[i], k)
					}
					if got := g.Spiked()[i]; got != want {
						t.Fatalf("dt %g, clamp %v: neuron %d spiked %v in step %d, want %v (once every %d steps from step 0)", c.dt, clamp, i, got, k, want, c.R)
					}
					if want && g.SpikeTimes()[i] != tk {
						t.Errorf("dt %g, clamp %v: neuron %d's spike in step %d stamped %v, want the step's start %v", c.dt, clamp, i, k, g.SpikeTimes()[i], tk)
					}
				}
			}
			if g.SpikeTimes()[n-1] != g.SpikeTimes()[n-1] || g.SpikeTimes()[n-1] > -1e300 {
				t.Errorf("dt %g: the neuron below V_th has a spike time %v, want -Inf", c.dt, g.SpikeTimes()[n-1])
			}
		}
	}
}

// TestRefractoryReset: Reset forgets the last spikes, so that a neuron above V_th spikes in the
// first step after it, even within the refractory period of its last spike.
func TestRefractoryReset(t *testing.T) {
	g := cobahhneuron.New(1)
	g.Input()[0] = refractoryDrive
	g.Step(0, 0.1)
	g.Step(0.1, 0.1)
	if !(g.SpikeTimes()[0] == 0) {
		t.Fatalf("spike time %v after two steps, want 0", g.SpikeTimes()[0])
	}
	g.Reset()
	if st := g.SpikeTimes()[0]; st > -1e300 {
		t.Fatalf("spike time %v after Reset, want -Inf", st)
	}
	g.Step(0.2, 0.1) // 2 steps after the last spike, had Reset kept it
	if !g.Spiked()[0] {
		t.Errorf("no spike in the first step after Reset, V = %g", g.V[0])
	}
}

// refractorySim is a Sim with one COBAHH group "g" of neurons 0 and 1 driven above V_th and
// neuron 2 spiking now and then at 300 uA/cm2.
func refractorySim(t *testing.T) (*runtime.Sim, *cobahhneuron.Group) {
	t.Helper()
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	g := cobahhneuron.New(3)
	g.Input()[0], g.Input()[1], g.Input()[2] = refractoryDrive, refractoryDrive, 300
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	return sim, g
}

// TestRefractoryStateResume: a state file saved within a refractory period carries it (the
// spike times it counts from), so that the run resumed in a fresh Sim gives the spikes of the
// uninterrupted run: neurons 0 and 1, which spike in step 0 and are saved after step 10, spike
// next in step 30, not in step 11 as a fresh group would.
func TestRefractoryStateResume(t *testing.T) {
	const steps, saveAt = 100, 11
	type spike struct{ neuron, step int }
	run := func(sim *runtime.Sim, g *cobahhneuron.Group, from, to int) []spike {
		var out []spike
		for k := from; k < to; k++ {
			if err := sim.Step(); err != nil {
				t.Fatal(err)
			}
			for i, s := range g.Spiked() {
				if s {
					out = append(out, spike{i, k})
				}
			}
		}
		return out
	}
	sim, g := refractorySim(t)
	want := run(sim, g, 0, steps)
	var driven []int
	for _, s := range want {
		if s.neuron == 0 {
			driven = append(driven, s.step)
		}
	}
	if !slices.Equal(driven, []int{0, 30, 60, 90}) {
		t.Fatalf("neuron 0 spiked in steps %v, want 0, 30, 60, 90", driven)
	}

	path := filepath.Join(t.TempDir(), "half.state")
	sim, g = refractorySim(t)
	got := run(sim, g, 0, saveAt)
	if err := sim.Save(path); err != nil {
		t.Fatal(err)
	}
	sim, g = refractorySim(t)
	if err := sim.Load(path); err != nil {
		t.Fatal(err)
	}
	if st := g.SpikeTimes()[0]; st != 0 {
		t.Fatalf("neuron 0's spike time %v after Load, want 0 (its spike in step 0)", st)
	}
	got = append(got, run(sim, g, saveAt, steps)...)
	if !slices.Equal(got, want) {
		t.Errorf("resumed after step %d: spikes %v, uninterrupted %v", saveAt, got, want)
	}
}
