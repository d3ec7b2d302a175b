package generated

import (
	"math"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/cobahh/cobahhneuron"
	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/generated/variants/cobahhx4"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtab"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtabx4"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredx4"
	"github.com/neurogen/neurogen/generated/variants/hh52tab"
	"github.com/neurogen/neurogen/generated/variants/hh52tabx4"
	"github.com/neurogen/neurogen/generated/variants/hh52x4"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// The packages generated with -simd (hh52x4, hh52staggeredx4, hh52tabx4, hh52staggeredtabx4,
// cobahhx4) step neurons eight at a time on a CPU with AVX-512 and four at a time on one with
// AVX2 when built with GOEXPERIMENT=simd (.ci/run runs these tests so), and one at a time
// otherwise. Either way they must give the results of the scalar packages generated
// from the same spec and method, bit for bit.
var vectorPairs = []struct {
	name           string
	scalar, vector func(n int) runtime.Group
}{
	{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, func(n int) runtime.Group { return hh52x4.New(n) }},
	{"staggered", func(n int) runtime.Group { return hh52staggered.New(n) }, func(n int) runtime.Group { return hh52staggeredx4.New(n) }},
	{"exp_auto+tables", func(n int) runtime.Group { return hh52tab.New(n) }, func(n int) runtime.Group { return hh52tabx4.New(n) }},
	{"staggered+tables", func(n int) runtime.Group { return hh52staggeredtab.New(n) }, func(n int) runtime.Group { return hh52staggeredtabx4.New(n) }},
	// A refractory period (Model.Refractory): a spike where V > V_th and not refractory.
	{"exp_auto+refractory", func(n int) runtime.Group { return cobahhneuron.New(n) }, func(n int) runtime.Group { return cobahhx4.New(n) }},
}

// sameState reports the first difference, in bits, between two groups' states, spike flags
// and last spike times, or "".
func sameState(a, b runtime.Group) (string, bool) {
	for _, v := range a.Model().Vars {
		x, y := a.Var(v.Name), b.Var(v.Name)
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return v.Name, false
			}
		}
	}
	sa, sb := a.SpikeTimes(), b.SpikeTimes()
	for i := range sa {
		if math.Float64bits(sa[i]) != math.Float64bits(sb[i]) || a.Spiked()[i] != b.Spiked()[i] {
			return "spikes", false
		}
	}
	return "", true
}

// TestVectorSameBits runs each pair on 1003 neurons (so that the last three take the scalar
// path) with inputs from 0 to 30 uA/cm2 and a spread of initial voltages, for 100 ms at dt
// 0.025 ms (20 ms with -short, or built without GOEXPERIMENT=simd), in one range and in ranges of odd bounds (as a pool's chunks would be), with a
// stretch of voltage clamp and a step where some neurons are set outside the rate tables; states, spike flags and spike times must agree bit for bit after
// every step. On a CPU with AVX-512, pairs of steps alternate between the eight-lane code (with
// the four-lane code on what is left of a range) and the four-lane code alone.
func TestVectorSameBits(t *testing.T) {
	t.Logf("four-lane code compiled in and used: %v", vectorBuilt)
	t.Logf("eight-lane code compiled in and used: %v", vector8Built)
	defer setAVX512(vector8Built)
	const n, dt = 1003, 0.025
	steps := 4000
	if testing.Short() || !vectorBuilt {
		// Without the experiment the -simd packages step every neuron in StepRange's
		// scalar loop, the scalar package's: 800 steps (clamp, out-of-table voltages and
		// spikes included) show it. The four-lane code runs the 4000 steps, here under
		// GOEXPERIMENT=simd or in TestVectorExperiment.
		steps = 800
	}
	for _, p := range vectorPairs {
		a, b := p.scalar(n), p.vector(n)
		for _, g := range []runtime.Group{a, b} {
			for i := range n {
				g.Input()[i] = 30 * float64(i) / n
				g.Var("V")[i] = -80 + 40*float64(i%97)/97
			}
			g.Equilibrate()
		}
		spikes := 0
		for k := range steps {
			tt := float64(k) * dt
			if k == steps/2 {
				a.SetVoltageClamp(true)
				b.SetVoltageClamp(true)
			}
			if k == steps/2+40 {
				a.SetVoltageClamp(false)
				b.SetVoltageClamp(false)
			}
			if k == steps/4 {
				// Some neurons, in some lanes of a vector, outside the rate tables' range.
				for _, g := range []runtime.Group{a, b} {
					for i := 0; i < n; i += 7 {
						g.Var("V")[i] = 75
					}
					for i := 3; i < n; i += 11 {
						g.Var("V")[i] = -125
					}
				}
			}
			setAVX512(vector8Built && k/2%2 == 0)
			if k%2 == 0 {
				a.Step(tt, dt)
				b.Step(tt, dt)
			} else {
				for _, r := range [][2]int{{0, 1}, {1, 6}, {6, 517}, {517, n}} {
					a.StepRange(r[0], r[1], tt, dt)
					b.StepRange(r[0], r[1], tt, dt)
				}
			}
			if what, ok := sameState(a, b); !ok {
				t.Fatalf("%s: after step %d, %s differs between the scalar and the vector package", p.name, k+1, what)
			}
			for _, s := range a.Spiked() {
				if s {
					spikes++
				}
			}
		}
		if spikes < n {
			t.Errorf("%s: %d spikes in %d steps of %d neurons: too few to test spike timing", p.name, spikes, steps, n)
		}
		t.Logf("%s: %d steps of %d neurons, %d spikes, the same bits", p.name, steps, n, spikes)
	}
}

// The tests that hold the four-lane code to the scalar bits under GOEXPERIMENT=simd run in one
// go test command: one link of a test binary built with the experiment, not one each.
var _ = gomodtest.SIMDTests("TestVectorSameBits", "TestSpikeAtThreshold")

// TestVectorExperiment runs TestVectorSameBits in a test binary built with GOEXPERIMENT=simd,
// when this one was built without it, so that `go test ./...` compares the four-lane code with
// the scalar code too.
func TestVectorExperiment(t *testing.T) {
	if vectorBuilt {
		t.Skip("built with GOEXPERIMENT=simd: TestVectorSameBits runs in this binary")
	}
	out := gomodtest.TestWithSIMD(t, "TestVectorSameBits")
	if !strings.Contains(out, "four-lane code compiled in and used: true") {
		t.Skipf("the four-lane code did not run (no AVX2?):\n%s", out)
	}
	if !strings.Contains(out, "eight-lane code compiled in and used: true") {
		t.Logf("the eight-lane code did not run (no AVX-512)")
	}
	if strings.Count(out, ": 4000 steps of 1003 neurons") != len(vectorPairs) {
		t.Errorf("the four-lane code did not run each pair for 4000 steps:\n%s", out)
	}
	t.Logf("%s", out)
}
