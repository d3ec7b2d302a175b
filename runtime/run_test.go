package runtime_test

import (
	"math"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// TestClock checks that T is Step·Dt, with no drift from summing Dt.
func TestClock(t *testing.T) {
	c := runtime.Clock{Dt: 0.01}
	if c.T() != 0 {
		t.Fatalf("new clock at %g, want 0", c.T())
	}
	sum := 0.0
	for range 100000 {
		c.Advance()
		sum += c.Dt
	}
	if c.Step != 100000 || c.T() != 1000 {
		t.Errorf("after 100000 steps of 0.01 ms: Step %d, T %.17g ms; want 100000, 1000", c.Step, c.T())
	}
	t.Logf("a running sum of Dt would be at %.17g ms", sum)
}

// TestSteps checks the step count and the errors of Steps.
func TestSteps(t *testing.T) {
	for _, c := range []struct {
		duration, dt float64
		want         int
	}{
		{1000, 0.01, 100000},
		{1000, 0.025, 40000},
		{100, 0.1, 1000},
		{0.3, 0.1, 3}, // 0.3/0.1 = 2.9999999999999996
		{0, 0.1, 0},
		{1000, 0.01 * (1 + 1e-10), 100000}, // within 1e-9 of a whole number
		{5e-11, 0.1, 0},                    // within 1e-9 steps of 0
	} {
		n, err := runtime.Steps(c.duration, c.dt)
		if err != nil || n != c.want {
			t.Errorf("Steps(%g, %g) = %d, %v; want %d", c.duration, c.dt, n, err, c.want)
		}
	}
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		duration, dt float64
		msg          string
	}{
		{10, 0.3, "duration 10 ms is not a whole number of steps of 0.3 ms"},
		{1000, 0.01 * (1 + 1e-8), "duration 1000 ms is not a whole number of steps of 0.0100000001 ms"},
		{1e-3, 0.1, "duration 0.001 ms is not a whole number of steps of 0.1 ms"},
		{1, 0, "time step 0 ms is not positive and finite"},
		{1, -0.1, "time step -0.1 ms is not positive and finite"},
		{1, inf, "time step +Inf ms is not positive and finite"},
		{1, nan, "time step NaN ms is not positive and finite"},
		{-1, 0.1, "duration -1 ms is not zero or positive and finite"},
		{inf, 0.1, "duration +Inf ms is not zero or positive and finite"},
		{nan, 0.1, "duration NaN ms is not zero or positive and finite"},
		{1e300, 1e-300, "duration 1e+300 ms is too many steps of 1e-300 ms"},
	} {
		n, err := runtime.Steps(c.duration, c.dt)
		if err == nil || err.Error() != c.msg {
			t.Errorf("Steps(%g, %g) = %d, %v; want error %q", c.duration, c.dt, n, err, c.msg)
		}
	}
}

// exactV is the exact solution of the passive membrane from V(0) = E_L under constant
// density input I (uA/cm2).
func exactV(g *passive, I, t float64) float64 {
	tau := g.model.C / g.gL
	vinf := g.EL + I/g.gL
	return vinf + (g.EL-vinf)*math.Exp(-t/tau)
}

// crossing is the exact time at which exactV crosses V_th, or +Inf if it never does.
func crossing(g *passive, I float64) float64 {
	tau := g.model.C / g.gL
	vinf := g.EL + I/g.gL
	if vinf <= g.model.VTh {
		return math.Inf(1)
	}
	return tau * math.Log((vinf-g.EL)/(vinf-g.model.VTh))
}

// TestRunPassive runs passive membranes through Run and checks V against the exact solution,
// the times Step was called at, and the spikes against the exact threshold crossings.
func TestRunPassive(t *testing.T) {
	const dt, duration = 0.1, 100.0
	// Absolute input currents in uA (1e-3 uA = 1 nA, which is 1 uA/cm2 at A = 1e-3 cm2). The
	// threshold is reached for more than 1.5 uA/cm2.
	currents := []float64{0, 1e-3, 1.6e-3, 2e-3, 3e-3, 5e-3}
	g := newPassive(len(currents))
	for i, I := range currents {
		runtime.SetInputCurrent(g, i, I)
	}
	steps, err := runtime.Steps(duration, dt)
	if err != nil {
		t.Fatal(err)
	}
	clk := runtime.Clock{Dt: dt}
	var sp runtime.Spikes
	runtime.Run(g, &clk, steps, &sp)

	if clk.Step != int64(steps) {
		t.Errorf("clock at step %d, want %d", clk.Step, steps)
	}
	if len(g.stepTimes) != steps {
		t.Fatalf("Step called %d times, want %d", len(g.stepTimes), steps)
	}
	for k, tk := range g.stepTimes {
		if tk != float64(k)*dt {
			t.Fatalf("step %d at t = %.17g, want %.17g", k, tk, float64(k)*dt)
		}
	}
	for i := range currents {
		I := g.Input()[i]
		want := exactV(g, I, clk.T())
		if got := g.v[i]; math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("neuron %d (I = %g uA/cm2): V(%g) = %.17g mV, want %.17g", i, I, clk.T(), got, want)
		}
	}

	// Linear interpolation of a concave rising V puts the spike after the exact crossing, by at
	// most max|V''|/min|V'|·dt²/8 = e^(dt/τ)·dt²/(8τ) over the step (plus rounding).
	tau := g.model.C / g.gL
	bound := math.Exp(dt/tau)*dt*dt/(8*tau) + 1e-12
	var wantNeurons []int32
	for i := range currents {
		if !math.IsInf(crossing(g, g.Input()[i]), 1) {
			wantNeurons = append(wantNeurons, int32(i))
		}
	}
	// The larger the input, the earlier the spike: record order is reverse neuron order.
	slices.Reverse(wantNeurons)
	if !slices.Equal(sp.Neuron, wantNeurons) {
		t.Fatalf("spikes of neurons %v, want %v", sp.Neuron, wantNeurons)
	}
	for k, i := range sp.Neuron {
		exact := crossing(g, g.Input()[i])
		got := sp.Time[k]
		t.Logf("neuron %d: spike at %.15g ms, exact crossing %.15g ms, difference %.3g ms (bound %.3g)",
			i, got, exact, got-exact, bound)
		if d := got - exact; d < -1e-12 || d > bound {
			t.Errorf("neuron %d spiked at %.15g ms, exact crossing %.15g: off by %.3g, want within [0, %.3g]",
				i, got, exact, d, bound)
		}
		if got != g.SpikeTimes()[i] {
			t.Errorf("neuron %d: recorded %g, SpikeTimes %g", i, got, g.SpikeTimes()[i])
		}
	}
	if !slices.Equal(sp.Counts(len(currents)), []int{0, 0, 1, 1, 1, 1}) {
		t.Errorf("counts %v", sp.Counts(len(currents)))
	}
}

// TestRunResume checks that one Run equals two that continue the same clock, and that a nil
// record and zero steps are fine.
func TestRunResume(t *testing.T) {
	a, b, c := newPassive(3), newPassive(3), newPassive(3)
	for _, g := range []*passive{a, b, c} {
		for i := range 3 {
			runtime.SetInputCurrent(g, i, float64(i+1)*2e-3)
		}
	}
	ca, cb, cc := runtime.Clock{Dt: 0.05}, runtime.Clock{Dt: 0.05}, runtime.Clock{Dt: 0.05}
	var sa, sb runtime.Spikes
	runtime.Run(a, &ca, 1000, &sa)
	runtime.Run(b, &cb, 400, &sb)
	runtime.Run(b, &cb, 0, &sb)
	runtime.Run(b, &cb, 600, &sb)
	runtime.Run(c, &cc, 1000, nil)
	if !slices.Equal(a.v, b.v) || !slices.Equal(a.v, c.v) {
		t.Errorf("V differs: %v, %v, %v", a.v, b.v, c.v)
	}
	if !slices.Equal(a.stepTimes, b.stepTimes) || ca != cb || ca != cc {
		t.Errorf("step times or clocks differ: %v %v %v", ca, cb, cc)
	}
	if !slices.Equal(sa.Neuron, sb.Neuron) || !slices.Equal(sa.Time, sb.Time) || sa.Len() != 3 {
		t.Errorf("spikes differ: %v, %v", sa, sb)
	}
}

// TestInputCurrent checks the conversion between absolute current and density.
func TestInputCurrent(t *testing.T) {
	g := newPassive(3)
	runtime.SetInputCurrent(g, 0, 1e-3) // 1 nA at the default A = 1e-3 cm2
	if got := g.Input()[0]; got != 1 {
		t.Errorf("1 nA gives %g uA/cm2, want 1", got)
	}
	runtime.SetInputCurrent(g, 2, -2.5e-3)
	if got, want := g.Input()[2], -2.5; math.Abs(got-want) > 1e-15*2.5 {
		t.Errorf("-2.5 nA gives %g uA/cm2, want %g", got, want)
	}
	if g.Input()[1] != 0 {
		t.Errorf("neuron 1's input changed to %g", g.Input()[1])
	}
	for _, I := range []float64{1e-3, -2.5e-3, 0} {
		runtime.SetInputCurrent(g, 1, I)
		if got := runtime.InputCurrent(g, 1); math.Abs(got-I) > 2e-16*math.Abs(I) {
			t.Errorf("InputCurrent after SetInputCurrent(%g) = %g", I, got)
		}
	}
	g.model.A = 2e-4 // a smaller cell: 1 nA is a larger density
	runtime.SetInputCurrent(g, 0, 1e-3)
	if got := g.Input()[0]; math.Abs(got-5) > 1e-15*5 {
		t.Errorf("1 nA into 2e-4 cm2 gives %g uA/cm2, want 5", got)
	}
	g.Input()[0] = 3
	if got := runtime.InputCurrent(g, 0); math.Abs(got-6e-4) > 1e-15*6e-4 {
		t.Errorf("3 uA/cm2 on 2e-4 cm2 is %g uA, want 6e-4", got)
	}
	// A neuron outside the group panics with a message that names the function and the neuron.
	for _, c := range []struct {
		call func()
		want string
	}{
		{func() { runtime.SetInputCurrent(g, 10, 1e-3) }, "runtime: SetInputCurrent: neuron 10 is outside [0, 3)"},
		{func() { runtime.SetInputCurrent(g, -1, 1e-3) }, "runtime: SetInputCurrent: neuron -1 is outside [0, 3)"},
		{func() { runtime.InputCurrent(g, 3) }, "runtime: InputCurrent: neuron 3 is outside [0, 3)"},
	} {
		func() {
			defer func() {
				if r := recover(); r != c.want {
					t.Errorf("panic %#v, want %q", r, c.want)
				}
			}()
			c.call()
		}()
	}
}
