package generated

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestSpikeAtThreshold holds spike detection to its definition at the boundary. A spike is an
// upward crossing of V_th during a step: V before the step is below V_th and V after it is at
// or above it, V_prev < V_th ≤ V_new (runtime.Group.Spiked; codegen emits exactly this
// comparison). So a step that ends exactly on V_th is a spike, timed at the end of the step
// (the linear interpolation gives t + dt·1), and the step after it, which starts on V_th, is
// not a second one.
//
// Each group is run once with input 10 uA/cm2 to find the step k of its steepest rise and V_k,
// the V it ends that step with; then again from the start, identically but for V_th = V_k
// (V_th takes no part in the dynamics, so V lands on it exactly, which the test checks). Five
// neurons, so that the -simd packages step four of them in a vector (when this binary is
// built with GOEXPERIMENT=simd: TestSpikeAtThresholdExperiment) and one alone.
func TestSpikeAtThreshold(t *testing.T) {
	t.Logf("four-lane code compiled in and used: %v", vectorBuilt)
	type group struct {
		name string
		new  func(n int) runtime.Group
		same bool // every neuron has the same parameters
	}
	groups := []group{
		{"hh52rk4", func(n int) runtime.Group { return hh52rk4.New(n) }, true},
		{"wangbuzsaki", func(n int) runtime.Group { return wangbuzsaki.New(n) }, true},
		{"morrislecar", func(n int) runtime.Group { return morrislecar.New(n) }, false},
	}
	for _, p := range vectorPairs {
		if p.scalar(1).Model().Refractory > 0 {
			continue // a spike where V > V_th: TestRefractoryX4
		}
		groups = append(groups, group{p.name, p.scalar, true}, group{p.name + " -simd", p.vector, true})
	}
	const n, dt, steps = 5, 0.025, 1200 // 30 ms: HH52 fires its first spike by then
	for _, c := range groups {
		start := func() runtime.Group {
			g := c.new(n)
			for i := range n {
				g.Input()[i] = 10
			}
			return g
		}
		// The first run: V after every step.
		g := start()
		V := make([][]float64, steps+2)
		V[0] = slices.Clone(g.Var("V"))
		for k := range steps + 1 {
			g.Step(float64(k)*dt, dt)
			V[k+1] = slices.Clone(g.Var("V"))
		}
		k := 1 // the step from V[k-1] to V[k] rises most, for neuron 0
		for j := 2; j <= steps; j++ {
			if V[j][0]-V[j-1][0] > V[k][0]-V[k-1][0] {
				k = j
			}
		}
		if !(V[k][0] > V[k-1][0]) {
			t.Fatalf("%s: V never rises in %d steps: the test shows nothing", c.name, steps)
		}
		vth := V[k][0]

		// The second run, with V_th = V[k]: step k (from time (k-1)·dt) ends exactly on it, for
		// every neuron whose V[k] is neuron 0's (all of them, but in a group with per-neuron
		// parameters).
		g = start()
		if err := g.SetParam("V_th", vth); err != nil {
			t.Fatal(err)
		}
		landed := 0
		for j := 1; j <= k+1; j++ {
			tt := float64(j-1) * dt
			g.Step(tt, dt)
			for i := range n {
				v, spiked, when := g.Var("V")[i], g.Spiked()[i], g.SpikeTimes()[i]
				if math.Float64bits(v) != math.Float64bits(V[j][i]) {
					t.Fatalf("%s: neuron %d: V after step %d is %v with V_th = %v, %v before: V_th changed the dynamics", c.name, i, j, v, vth, V[j][i])
				}
				if V[k][i] != vth || !(V[k-1][i] < vth) {
					continue
				}
				switch j {
				case k:
					landed++
					if !spiked {
						t.Errorf("%s: neuron %d: V went from %v to exactly V_th = %v in step %d; want a spike (V_prev < V_th ≤ V_new), got none", c.name, i, V[j-1][i], vth, j)
					} else if when != tt+dt {
						t.Errorf("%s: neuron %d: spike at V_new = V_th timed %v, want the end of the step, %v", c.name, i, when, tt+dt)
					}
				case k + 1:
					if spiked {
						t.Errorf("%s: neuron %d: V went from exactly V_th = %v to %v in step %d; want no spike (V_prev < V_th fails), got one", c.name, i, vth, V[j][i], j)
					}
				}
			}
		}
		if want := map[bool]int{true: n, false: 1}[c.same]; landed < want {
			t.Errorf("%s: %d neurons land on V_th, want at least %d", c.name, landed, want)
		}
	}
}

// TestSpikeAtThresholdExperiment runs TestSpikeAtThreshold in a test binary built with
// GOEXPERIMENT=simd, when this one was built without it, so that the four-lane spike test is
// held to the boundary too (it reuses the packages TestVectorExperiment's binary compiled).
func TestSpikeAtThresholdExperiment(t *testing.T) {
	if vectorBuilt {
		t.Skip("built with GOEXPERIMENT=simd: TestSpikeAtThreshold runs in this binary")
	}
	out := gomodtest.TestWithSIMD(t, "TestSpikeAtThreshold")
	if !strings.Contains(out, "used: true") {
		t.Skipf("the four-lane code did not run (no AVX2?):\n%s", out)
	}
}
