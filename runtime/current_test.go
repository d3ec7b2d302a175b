package runtime_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// currentSim returns a Sim of dt 0.1 ms with a passive group g of n neurons.
func currentSim(t *testing.T, n int) (*runtime.Sim, *passive) {
	t.Helper()
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	g := newPassive(n)
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	return sim, g
}

// inputsAt steps the sim up to the last step of want and checks g's Input at each step listed
// (the values the step from k·dt used), neuron by neuron.
func inputsAt(t *testing.T, sim *runtime.Sim, g runtime.Group, want map[int64][]float64) {
	t.Helper()
	last := int64(0)
	for k := range want {
		last = max(last, k)
	}
	for k := int64(0); k <= last; k++ {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		w, ok := want[k]
		if !ok {
			continue
		}
		for i, v := range g.Input() {
			if math.Abs(v-w[i]) > 1e-12 {
				t.Errorf("step %d neuron %d: input %.17g, want %.17g", k, i, v, w[i])
			}
		}
	}
}

// TestCurrentStepRampPiecewise checks step, ramp and piecewise currents at chosen steps against
// values computed by hand (dt 0.1 ms).
func TestCurrentStepRampPiecewise(t *testing.T) {
	t.Run("step", func(t *testing.T) {
		sim, g := currentSim(t, 2)
		g.Input()[0], g.Input()[1] = 7, 7 // overwritten: the Sim sets a driven group's input
		if _, err := sim.AddStep("s", "g", 1.0, 2.0, []float64{0.5}); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{0: {0, 0}, 9: {0, 0}, 10: {0.5, 0.5}, 19: {0.5, 0.5}, 20: {0, 0}, 30: {0, 0}})
	})
	t.Run("step per neuron, no stop", func(t *testing.T) {
		sim, g := currentSim(t, 3)
		if _, err := sim.AddStep("s", "g", 0.3, math.Inf(1), []float64{1, -2, 3}); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{2: {0, 0, 0}, 3: {1, -2, 3}, 500: {1, -2, 3}})
	})
	t.Run("ramp", func(t *testing.T) {
		// From −1 at 1 ms to 3 at 3 ms: at step k, −1 + 4·(k − 10)/20.
		sim, g := currentSim(t, 1)
		if _, err := sim.AddRamp("r", "g", 1.0, 3.0, []float64{-1}, []float64{3}); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{9: {0}, 10: {-1}, 15: {0}, 20: {1}, 29: {2.8}, 30: {0}, 40: {0}})
	})
	t.Run("ramp per neuron", func(t *testing.T) {
		sim, g := currentSim(t, 2)
		if _, err := sim.AddRamp("r", "g", 0, 2.0, []float64{0, 1}, []float64{2, -1}); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{0: {0, 1}, 5: {0.5, 0.5}, 10: {1, 0}, 15: {1.5, -0.5}, 20: {0, 0}})
	})
	t.Run("piecewise held", func(t *testing.T) {
		// 1 from 0.25 ms (step 2.5: from step 3), 2 from 0.5 ms, 3 from 0.7 ms (0.7/0.1 is
		// 6.999999999999999: step 7), held after.
		sim, g := currentSim(t, 1)
		if _, err := sim.AddCurrent("p", "g", []float64{0.25, 0.5, 0.7}, []float64{1, 2, 3}, false); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{2: {0}, 3: {1}, 4: {1}, 5: {2}, 6: {2}, 7: {3}, 100: {3}})
	})
	t.Run("piecewise linear with a jump", func(t *testing.T) {
		// Neuron 0: 0 → 10 over [0, 1) ms, jump to 20 at 1 ms, → 0 at 2 ms; neuron 1 the negative.
		sim, g := currentSim(t, 2)
		if _, err := sim.AddCurrent("p", "g", []float64{0, 1, 1, 2}, []float64{0, 0, 10, -10, 20, -20, 0, 0}, true); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{0: {0, 0}, 3: {3, -3}, 9: {9, -9}, 10: {20, -20}, 15: {10, -10}, 20: {0, 0}, 25: {0, 0}})
	})
	t.Run("sum", func(t *testing.T) {
		// Two inputs into g are summed; an input into h leaves g alone.
		sim, g := currentSim(t, 2)
		h := newPassive(2)
		if err := sim.Add("h", h); err != nil {
			t.Fatal(err)
		}
		_, err1 := sim.AddStep("a", "g", 0.5, 1.5, []float64{1, 2})
		_, err2 := sim.AddStep("b", "h", 0, 3, []float64{100})
		_, err3 := sim.AddRamp("c", "g", 1.0, 2.0, []float64{10}, []float64{20})
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		inputsAt(t, sim, g, map[int64][]float64{4: {0, 0}, 5: {1, 2}, 12: {13, 14}, 15: {15, 15}, 20: {0, 0}})
		if h.Input()[0] != 100 {
			t.Errorf("h's input %g, want 100", h.Input()[0])
		}
		if names := []string{sim.Currents()[0].Name(), sim.Currents()[2].Kind()}; !slices.Equal(names, []string{"a", "current"}) {
			t.Errorf("Currents: %v", names)
		}
	})
}

// TestCurrentEffect checks that the current of a step enters that step: a passive membrane
// under a step current from 0 approaches E_L + I/g_L as exponential Euler gives it, from step 0.
func TestCurrentEffect(t *testing.T) {
	sim, g := currentSim(t, 1)
	if _, err := sim.AddStep("s", "g", 0, 1, []float64{2}); err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(1); err != nil {
		t.Fatal(err)
	}
	vinf := -65 + 2/0.1
	want := -65 + (vinf+65)*-math.Expm1(-0.1/10)
	if v := g.Var("V")[0]; math.Abs(v-want) > 1e-12 {
		t.Errorf("V after one step %.15g, want %.15g", v, want)
	}
}

// TestCurrentWaveform checks a waveform sampled every 0.25 ms (2.5 steps of 0.1 ms) and every
// 1.1 ms, held and linear: at step k, t/sampleDt is 4k/10 or k/11, whose floor and fraction
// are computed here in integers (k = 165 gives 14.999999999999998 in floating point: sample 15),
// and after the last sample, which stays.
func TestCurrentWaveform(t *testing.T) {
	samples := make([]float64, 60)
	for j := range samples {
		samples[j] = float64(j*7%11) - 5
	}
	for _, c := range []struct {
		sdt      float64
		num, den int64 // t/sampleDt = num·k/den
	}{{0.25, 4, 10}, {1.1, 1, 11}} {
		for _, linear := range []bool{false, true} {
			sim, g := currentSim(t, 2)
			// Neuron 1 gets its own column: the samples times 10.
			vals := make([]float64, 0, 2*len(samples))
			for _, v := range samples {
				vals = append(vals, v, 10*v)
			}
			if _, err := sim.AddWaveform("w", "g", c.sdt, vals, 2, linear); err != nil {
				t.Fatal(err)
			}
			m := int64(len(samples))
			for k := int64(0); k < 200; k++ {
				if err := sim.Step(); err != nil {
					t.Fatal(err)
				}
				j, rem := c.num*k/c.den, c.num*k%c.den
				want := samples[min(j, m-1)]
				if linear && j < m-1 && rem != 0 {
					u := float64(rem) / float64(c.den)
					want += (samples[j+1] - samples[j]) * u
				}
				if got := g.Input(); math.Abs(got[0]-want) > 1e-12 || math.Abs(got[1]-10*want) > 1e-11 {
					t.Fatalf("sample step %g, linear %v, step %d: inputs %v, want %g and %g", c.sdt, linear, k, got, want, 10*want)
				}
			}
		}
	}
}

// TestCurrentOUStatistics checks an OU current over a long run against the process's
// stationary mean and variance and its autocorrelation e^(−Δ/τ) at lags of one step, τ/2 and τ,
// within tolerances of about 5 standard errors.
func TestCurrentOUStatistics(t *testing.T) {
	const (
		n, steps      = 400, 6000
		mean, sd, tau = 1.5, 0.8, 5.0 // uA/cm2, ms; dt 0.1 ms: τ is 50 steps
	)
	sim, g := currentSim(t, n)
	if _, err := sim.AddOU("noise", "g", mean, sd, tau, 11, 3); err != nil {
		t.Fatal(err)
	}
	xs := make([]float64, 0, n*steps)
	for range steps {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		xs = append(xs, g.Input()...)
	}
	var sum, sq float64
	for _, x := range xs {
		sum += x - mean
		sq += (x - mean) * (x - mean)
	}
	// About n·T/(2τ) = 400·600/10 independent samples.
	eff := float64(n) * float64(steps) * 0.1 / (2 * tau)
	if m := sum / float64(len(xs)); math.Abs(m) > 5*sd/math.Sqrt(eff) {
		t.Errorf("mean %g, want %g (±%g)", mean+m, mean, 5*sd/math.Sqrt(eff))
	}
	v := sq / float64(len(xs))
	if rel := v/(sd*sd) - 1; math.Abs(rel) > 5*math.Sqrt(2/eff) {
		t.Errorf("variance %g, want %g (relative error %.3f)", v, sd*sd, rel)
	}
	for _, lag := range []int{1, 25, 50} {
		var c float64
		cnt := 0
		for k := 0; k+lag < steps; k++ {
			for i := range n {
				c += (xs[k*n+i] - mean) * (xs[(k+lag)*n+i] - mean)
				cnt++
			}
		}
		rho := c / float64(cnt) / (sd * sd)
		want := math.Exp(-float64(lag) * 0.1 / tau)
		if math.Abs(rho-want) > 5*math.Sqrt(2/eff) {
			t.Errorf("autocorrelation at %d steps %.4f, want %.4f", lag, rho, want)
		}
	}
	// Neurons are independent: the correlation of neighbours is near 0.
	var c float64
	for k := range steps {
		for i := 0; i+1 < n; i += 2 {
			c += (xs[k*n+i] - mean) * (xs[k*n+i+1] - mean)
		}
	}
	if r := c / float64(steps*n/2) / (sd * sd); math.Abs(r) > 5/math.Sqrt(eff/2) {
		t.Errorf("correlation of neighbouring neurons %.4f, want 0", r)
	}
}

// TestCurrentOUUpdate checks one OU step against the update written out with the same draws:
// the start mean + sd·N from the input's source, then mean + (x − mean)·e^(−dt/τ) + sd·√(1 −
// e^(−2dt/τ))·N, added to a step current into the same group.
func TestCurrentOUUpdate(t *testing.T) {
	const mean, sd, tau = -0.5, 2.0, 3.0
	sim, g := currentSim(t, 3)
	_, err1 := sim.AddStep("bias", "g", 0, 10, []float64{0.25})
	ou, err2 := sim.AddOU("noise", "g", mean, sd, tau, 5, 6)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	r := newNormals(5, 6)
	x := make([]float64, 3)
	for i := range x {
		x[i] = mean + sd*r()
	}
	if !slices.Equal(ou.OU(), x) {
		t.Fatalf("OU start %v, want %v", ou.OU(), x)
	}
	e := math.Exp(-0.1 / tau)
	for k := range 5 {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if got, want := g.Input()[i], 0.25+x[i]; got != want {
				t.Fatalf("step %d neuron %d: input %.17g, want %.17g", k, i, got, want)
			}
			x[i] = mean + (x[i]-mean)*e + sd*math.Sqrt(1-e*e)*r()
			if math.Abs(ou.OU()[i]-x[i]) > 1e-12 {
				t.Fatalf("step %d neuron %d: state %.17g, want %.17g", k, i, ou.OU()[i], x[i])
			}
			x[i] = ou.OU()[i] // carry on from the input's bits
		}
	}
	// Reset draws the same start again.
	sim.Reset()
	r = newNormals(5, 6)
	for i := range x {
		if want := mean + sd*r(); ou.OU()[i] != want {
			t.Errorf("after Reset, neuron %d starts at %g, want %g", i, ou.OU()[i], want)
		}
	}
}

// newNormals returns the standard normal draws of rand.New(rand.NewPCG(seed, stream)).
func newNormals(seed, stream uint64) func() float64 {
	r := rand.New(rand.NewPCG(seed, stream))
	return r.NormFloat64
}

// currentNet is a network of two hh52 groups driven by every kind of current input.
// With stepNoise, its input "noise" is a step current instead of OU noise.
func currentNet(t *testing.T, workers int, stepNoise bool) (*runtime.Sim, *hh52.Group) {
	t.Helper()
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	a, b := hh52.New(700), hh52.New(300)
	wave := make([]float64, 40)
	for j := range wave {
		wave[j] = 5 + 4*math.Sin(float64(j)/3)
	}
	amps := make([]float64, 700)
	for i := range amps {
		amps[i] = 2 + float64(i%7)
	}
	errs := []error{sim.Add("a", a), sim.Add("b", b), sim.SetWorkers(workers)}
	add := func(_ *runtime.Current, err error) { errs = append(errs, err) }
	add(sim.AddStep("bias", "a", 0.5, 4, amps))
	if stepNoise {
		add(sim.AddStep("noise", "a", 0, 1, []float64{1}))
	} else {
		add(sim.AddOU("noise", "a", 1, 3, 2, 42, 1))
	}
	add(sim.AddWaveform("wave", "b", 0.07, wave, 1, true))
	add(sim.AddRamp("ramp", "a", 1, 6, []float64{0}, []float64{8}))
	add(sim.AddOU("noise_b", "b", 0, 2, 1, 42, 2))
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return sim, a
}

func stateOf(t *testing.T, sim *runtime.Sim) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sim.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCurrentResume checks that a run with current inputs saved half-way and resumed in a fresh
// Sim continues bit for bit (the OU states and sources in the file), for 1, 2 and 3 workers,
// which give the same bits; and that a file without the Sim's inputs is refused.
func TestCurrentResume(t *testing.T) {
	const half = 150
	straight, a := currentNet(t, 1, false)
	if err := straight.Run(half); err != nil {
		t.Fatal(err)
	}
	mid := stateOf(t, straight)
	if err := straight.Run(half); err != nil {
		t.Fatal(err)
	}
	end := stateOf(t, straight)
	spikes := 0
	for _, s := range a.Spiked() {
		if s {
			spikes++
		}
	}
	for _, w := range []int{1, 2, 3} {
		sim, _ := currentNet(t, w, false)
		if err := sim.ReadState(bytes.NewReader(mid), int64(len(mid))); err != nil {
			t.Fatal(err)
		}
		if err := sim.Run(half); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(stateOf(t, sim), end) {
			t.Errorf("%d workers, resumed: the final state differs from the straight run's", w)
		}
		sim.Close()
		whole, _ := currentNet(t, w, false)
		if err := whole.Run(2 * half); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(stateOf(t, whole), end) {
			t.Errorf("%d workers: the final state differs from 1 worker's", w)
		}
		whole.Close()
	}

	// A Sim without the OU input of the file, or with another kind under its name: refused.
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(sim.Add("a", hh52.New(700)), sim.Add("b", hh52.New(300))); err != nil {
		t.Fatal(err)
	}
	var se *runtime.StateError
	if err := sim.ReadState(bytes.NewReader(mid), int64(len(mid))); !errors.As(err, &se) || se.Code != runtime.SimMismatch {
		t.Errorf("a sim without the inputs: %v", err)
	}
	sim2, _ := currentNet(t, 1, true)
	if err := sim2.ReadState(bytes.NewReader(mid), int64(len(mid))); err == nil || !strings.Contains(err.Error(), "input noise: the file's is ou into a.I_ext, the sim's current into a.I_ext") {
		t.Errorf("another kind under the name: %v", err)
	}
}

// TestCurrentStepAllocs checks that a step with current inputs of every kind allocates nothing.
func TestCurrentStepAllocs(t *testing.T) {
	for _, w := range []int{1, 2} {
		sim, _ := currentNet(t, w, false)
		if err := sim.Run(10); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(50, func() { sim.Step() }); n != 0 {
			t.Errorf("%d workers: %g allocations per step", w, n)
		}
		sim.Close()
	}
}

// TestCurrentErrors checks that bad current inputs are refused with messages that say what.
func TestCurrentErrors(t *testing.T) {
	sim, _ := currentSim(t, 3)
	if _, err := sim.AddStep("s", "g", 0, 1, []float64{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddPoisson("p", "g", "V", []float64{1}, 1, 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		add  func() (*runtime.Current, error)
		want string
	}{
		{func() (*runtime.Current, error) { return sim.AddStep("s", "g", 0, 1, []float64{1}) }, "current input s (into g): the name is already in use"},
		{func() (*runtime.Current, error) { return sim.AddOU("p", "g", 0, 1, 1, 0, 0) }, "OU input p (into g): the name is already in use"},
		{func() (*runtime.Current, error) { return sim.AddStep("g", "g", 0, 1, []float64{1}) }, "g is the name of a group"},
		{func() (*runtime.Current, error) { return sim.AddStep("1x", "g", 0, 1, []float64{1}) }, `input name "1x" is not an ASCII identifier`},
		{func() (*runtime.Current, error) { return sim.AddStep("x", "h", 0, 1, []float64{1}) }, "no group h in the sim"},
		{func() (*runtime.Current, error) { return sim.AddStep("x", "g", 1, 1, []float64{1}) }, "stop must be after start"},
		{func() (*runtime.Current, error) { return sim.AddStep("x", "g", 0, 1, []float64{1, 2}) }, "4 values for 2 breakpoints and 3 neurons: give 2, or 6"},
		{func() (*runtime.Current, error) { return sim.AddRamp("x", "g", 0, 1, []float64{1}, []float64{1, 2, 3}) }, "1 values at the start and 3 at the stop"},
		{func() (*runtime.Current, error) {
			return sim.AddCurrent("x", "g", []float64{0, 2, 1}, []float64{1, 2, 3}, false)
		}, "the times must not decrease, but 1 ms (breakpoint 2) follows 2 ms"},
		{func() (*runtime.Current, error) { return sim.AddCurrent("x", "g", nil, nil, false) }, "no breakpoints"},
		{func() (*runtime.Current, error) {
			return sim.AddCurrent("x", "g", []float64{0}, []float64{math.NaN()}, false)
		}, "value 0 (NaN) is not a finite number"},
		{func() (*runtime.Current, error) { return sim.AddWaveform("x", "g", 0, []float64{1}, 1, false) }, "sample step 0 ms"},
		{func() (*runtime.Current, error) { return sim.AddWaveform("x", "g", 1, []float64{1, 2}, 2, false) }, "2 columns for 3 neurons"},
		{func() (*runtime.Current, error) { return sim.AddWaveform("x", "g", 1, []float64{1, 2}, 3, false) }, "2 values are not a whole, non-zero number of samples of 3"},
		{func() (*runtime.Current, error) { return sim.AddOU("x", "g", 0, -1, 1, 0, 0) }, "standard deviation -1 uA/cm2"},
		{func() (*runtime.Current, error) { return sim.AddOU("x", "g", 0, 1, 0, 0, 0) }, "time constant 0 ms is not positive"},
	} {
		if _, err := c.add(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
	if err := sim.Add("s", newPassive(1)); err == nil || !strings.Contains(err.Error(), "group name s is the name of an input") {
		t.Errorf("a group named like an input: %v", err)
	}
	if len(sim.Currents()) != 1 {
		t.Errorf("%d current inputs after refusals, want 1", len(sim.Currents()))
	}
}

// TestReadWaveform checks the .npy and .csv readers of waveform samples.
func TestReadWaveform(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	npy := func(a runtime.Array) []byte {
		var b bytes.Buffer
		if err := runtime.EncodeNPY(&b, &a); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, c := range []struct {
		name string
		data []byte
		vals []float64
		cols int
		err  string
	}{
		{"a.npy", npy(runtime.Array{Shape: []int{3}, F64: []float64{1, 2.5, -3}}), []float64{1, 2.5, -3}, 1, ""},
		{"b.npy", npy(runtime.Array{Shape: []int{2, 3}, F64: []float64{1, 2, 3, 4, 5, 6}}), []float64{1, 2, 3, 4, 5, 6}, 3, ""},
		{"c.npy", npy(runtime.Array{Shape: []int{2}, I64: []int64{7, -8}}), []float64{7, -8}, 1, ""},
		{"d.npy", npy(runtime.Array{Shape: []int{2, 2}, F64: []float64{1, 2, 3, 4}}), nil, 0, "want samples of shape (m,), (m, 1) or (m, 3)"},
		{"e.npy", npy(runtime.Array{Shape: []int{2}, F64: []float64{1, math.Inf(1)}}), nil, 0, "element 1 is +Inf"},
		{"a.csv", []byte("I (nA)\n1\n2.5\n\n-3\n"), []float64{1, 2.5, -3}, 1, ""},
		{"b.csv", []byte("1, 2, 3\n4,5,6\r\n"), []float64{1, 2, 3, 4, 5, 6}, 3, ""},
		{"c.csv", []byte("1,2,3\n4,5\n"), nil, 0, "c.csv:2: 2 values on a line after lines of 3"},
		{"d.csv", []byte("1\nx\n"), nil, 0, `d.csv:2: "x" is not a number`},
		{"e.csv", []byte("1,2\n"), nil, 0, "e.csv:1: 2 values on a line: want 1, or 3"},
		{"f.csv", []byte("time\n"), nil, 0, "no samples"},
	} {
		vals, cols, err := runtime.ReadWaveform(write(c.name, c.data), 3)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err == "" && (!slices.Equal(vals, c.vals) || cols != c.cols):
			t.Errorf("%s: %v in %d columns, want %v in %d", c.name, vals, cols, c.vals, c.cols)
		}
	}
}

// ExampleSim_AddStep drives a group with a step current per neuron, a ramp and OU noise,
// summed in the order added; the Sim sets the group's Input at the start of every step.
func ExampleSim_AddStep() {
	sim, _ := runtime.NewSim(0.1)
	g := hh52.New(2)
	sim.Add("g", g)
	sim.AddStep("pulse", "g", 1, 2, []float64{5, 10})          // uA/cm2 from 1 ms to 2 ms
	sim.AddRamp("ramp", "g", 0, 4, []float64{0}, []float64{4}) // 0 → 4 uA/cm2 over 4 ms
	sim.AddOU("noise", "g", 0, 0, 5, 1, 1)                     // sd 0: no noise at all
	for k := range 31 {
		sim.Step()
		if k%10 == 5 {
			fmt.Printf("step %d (t = %.1f ms): %.1f %.1f\n", k, float64(k)*0.1, g.Input()[0], g.Input()[1])
		}
	}
	// Output:
	// step 5 (t = 0.5 ms): 0.5 0.5
	// step 15 (t = 1.5 ms): 6.5 11.5
	// step 25 (t = 2.5 ms): 2.5 2.5
}
