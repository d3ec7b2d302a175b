package generated

import (
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/cobahh/cobahhneuron"
	"github.com/neurogen/neurogen/generated/variants/cobahhx4"
	"github.com/neurogen/neurogen/generated/variants/refractoryshort"
	"github.com/neurogen/neurogen/generated/variants/refractoryshortx4"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestRefractoryX4 holds the refractory period of the COBAHH spec (`V_th: -20 mV`,
// `refractory: 3 ms`) to its definition in the four-lane code as in the scalar code: neurons
// driven above V_th and kept there spike in steps 0, 30, 60, … at dt 0.1 ms (3 ms is 30 whole
// steps) and 0, 42, 84, … at dt 0.07 ms (42.9 → 42), stamped with the step's start; two
// neurons held below V_th never spike. Ten neurons: two vectors of four (in lanes 0 and 3 the
// held neurons, so that a lane's mask is its own), then two alone.
func TestRefractoryX4(t *testing.T) {
	t.Logf("four-lane code compiled in and used: %v", vectorBuilt)
	const n = 10
	below := map[int]bool{0: true, 7: true}
	for _, c := range []struct {
		name string
		new  func(n int) runtime.Group
	}{{"scalar", func(n int) runtime.Group { return cobahhneuron.New(n) }}, {"-simd", func(n int) runtime.Group { return cobahhx4.New(n) }}} {
		for _, dt := range []struct {
			dt float64
			R  int
		}{{0.1, 30}, {0.07, 42}} {
			g := c.new(n)
			vth := g.Model().VTh
			for i := range n {
				g.Input()[i] = 2000 // uA/cm2: above V_th from the first step on, and kept there
				if below[i] {
					g.Input()[i] = -20
				}
			}
			for k := range 3*dt.R + 2 {
				tk := float64(k) * dt.dt
				g.Step(tk, dt.dt)
				for i := range n {
					v := g.Var("V")[i]
					if !below[i] && !(v > vth) {
						t.Fatalf("%s, dt %g: neuron %d at %g mV after step %d, not above V_th", c.name, dt.dt, i, v, k)
					}
					want := !below[i] && k%dt.R == 0
					if got := g.Spiked()[i]; got != want {
						t.Fatalf("%s, dt %g: neuron %d spiked %v in step %d, want %v", c.name, dt.dt, i, got, k, want)
					}
					if want && g.SpikeTimes()[i] != tk {
						t.Errorf("%s, dt %g: neuron %d's spike in step %d stamped %v, want %v", c.name, dt.dt, i, k, g.SpikeTimes()[i], tk)
					}
				}
			}
		}
	}
}

// TestRefractoryWholeSteps holds the count of a refractory period in whole steps to Brian2's,
// ⌊T/dt + 10⁻³⌋, where T/dt falls just below a whole number in floating point: the spec
// testdata/variants/refractory_short.yaml has T = 0.3 ms, and 0.3/0.1 = 2.9999999999999996,
// 0.3/0.05 = 5.999999999999999 and 0.3/0.025 = 11.999999999999998, which Brian2 counts as 3,
// 6 and 12 steps (⌊T/dt⌋ alone would give 2, 5 and 11). A leaky membrane driven by 10 uA/cm2
// rises through V_th = -20 mV (to 35 mV) and stays above it: it spikes in the first step that
// ends above V_th, then every R steps. Scalar and -simd, on six neurons.
func TestRefractoryWholeSteps(t *testing.T) {
	t.Logf("four-lane code compiled in and used: %v", vectorBuilt)
	const n = 6
	for _, c := range []struct {
		name string
		new  func(n int) runtime.Group
	}{{"scalar", func(n int) runtime.Group { return refractoryshort.New(n) }}, {"-simd", func(n int) runtime.Group { return refractoryshortx4.New(n) }}} {
		for _, dt := range []struct {
			dt float64
			R  int
		}{{0.1, 3}, {0.05, 6}, {0.025, 12}} {
			g := c.new(n)
			if r := g.Model().Refractory; r != 0.3 {
				t.Fatalf("%s: refractory %g ms, want 0.3", c.name, r)
			}
			for i := range n {
				g.Input()[i] = 10
			}
			first, spikes := -1, 0
			for k := range int(60 / dt.dt) { // 60 ms: V is above V_th from about 6 ms on
				g.Step(float64(k)*dt.dt, dt.dt)
				above := g.Var("V")[0] > -20
				if first < 0 && above {
					first = k
				}
				if first >= 0 && !above {
					t.Fatalf("%s, dt %g: V fell back below V_th in step %d", c.name, dt.dt, k)
				}
				want := first >= 0 && (k-first)%dt.R == 0
				for i := range n {
					if got := g.Spiked()[i]; got != want {
						t.Fatalf("%s, dt %g: neuron %d spiked %v in step %d, want %v (V above V_th from step %d, a spike every %d steps)", c.name, dt.dt, i, got, k, want, first, dt.R)
					}
				}
				if want {
					spikes++
				}
			}
			if first < 0 || spikes < 10 {
				t.Fatalf("%s, dt %g: V above V_th from step %d, %d spikes: the test shows nothing", c.name, dt.dt, first, spikes)
			}
		}
	}
}

// TestRefractoryX4Experiment runs TestRefractoryX4 and TestRefractoryWholeSteps in a test binary built with
// GOEXPERIMENT=simd, when this one was built without it.
func TestRefractoryX4Experiment(t *testing.T) {
	if vectorBuilt {
		t.Skip("built with GOEXPERIMENT=simd: TestRefractoryX4 runs in this binary")
	}
	for _, test := range []string{"TestRefractoryX4", "TestRefractoryWholeSteps"} {
		out := gomodtest.TestWithSIMD(t, test)
		if !strings.Contains(out, "used: true") {
			t.Skipf("the four-lane code did not run (no AVX2?):\n%s", out)
		}
	}
}

var _ = gomodtest.SIMDTests("TestRefractoryX4", "TestRefractoryWholeSteps")
