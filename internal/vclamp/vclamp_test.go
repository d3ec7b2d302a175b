package vclamp_test

import (
	"math"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/vclamp"
)

// A gate x with x_inf = 1/(1 + exp(-V/10 mV)) and tau = 2 ms + V/(100 mV) ms and a kinetic
// gate y' = (1 - y)·V/(40 mV)/ms - y·y/ms (no closed form; RK4 at two steps must agree).
const spec = `neurogen: 1
model: Clamped
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  X:
    g_max: 1 mS/cm2
    E: -80 mV
    current: g_max * x * y * (E - V)
    gates:
      x:
        inf: 1 / (1 + exp(-V/(10*mV)))
        tau: 2*ms + V/(100*mV)*ms
      y:
        deriv: ((1 - y)*V/(40*mV) - y*y)/ms
        init: 0.2
`

// TestClamp: at a clamped V, an inf/tau gate follows its exact exponential under both steps
// (exp_auto is exact for it), starting at its steady state at the holding potential; the
// current is the channel's at the level; RK4 at dt/4 and dt/8 agree on a gate with no closed
// form.
func TestClamp(t *testing.T) {
	m, err := check.Load("clamped.yaml", []byte(spec), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var xl, yl, il string
	for _, ch := range m.Channels {
		il = ch.Current.Local
		for _, g := range ch.Gates {
			switch g.Name {
			case "X.x":
				xl = g.Local
			case "X.y":
				yl = g.Local
			}
		}
	}
	if xl == "" || yl == "" {
		t.Fatalf("gates not found")
	}
	const hold, level, dt = -70.0, 20.0, 0.05
	x0 := 1 / (1 + math.Exp(7))
	xinf, tau := 1/(1+math.Exp(-2)), 2.2
	exact := func(t float64) float64 { return xinf + (x0-xinf)*math.Exp(-t/tau) }

	a, _ := vclamp.New(m)
	b, _ := vclamp.New(m)
	c, _ := vclamp.New(m)
	a.Start(hold, level)
	b.Start(hold, level)
	c.Start(hold, level)
	if got := a.Value(xl); math.Abs(got-x0) > 1e-15 {
		t.Fatalf("x starts at %v, want %v", got, x0)
	}
	if got, want := a.Value(il), 1*x0*0.2*(-80-level); math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("current %v at the level, want %v", got, want)
	}
	for k := 1; k <= 40; k++ {
		a.Step(dt)
		b.StepRK4(dt, 4)
		c.StepRK4(dt, 8)
		want := exact(float64(k) * dt)
		if d := math.Abs(a.Value(xl)-want) / want; d > 1e-13 {
			t.Fatalf("exp_auto step %d: x = %v, want %v", k, a.Value(xl), want)
		}
		if d := math.Abs(b.Value(xl)-want) / want; d > 1e-10 {
			t.Fatalf("RK4 step %d: x = %v, want %v", k, b.Value(xl), want)
		}
		if d := math.Abs(b.Value(yl)-c.Value(yl)) / c.Value(yl); d > 1e-9 {
			t.Fatalf("RK4 step %d: y = %v at dt/4, %v at dt/8", k, b.Value(yl), c.Value(yl))
		}
	}
	// y moved, and exp_auto (first order for it) is close but not equal.
	if y := c.Value(yl); y < 0.25 || math.Abs(a.Value(yl)-y) > 1e-2*y || a.Value(yl) == y {
		t.Errorf("y = %v by RK4, %v by exp_auto", y, a.Value(yl))
	}
}

// Two states that drive each other linearly, x' = -a·x + b·y, y' = a·x - b·y, with a and b
// depending on V: x + y stays 1 and x relaxes to b/(a + b) at rate a + b.
const coupled = `neurogen: 1
model: Coupled
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  X:
    g_max: 1 mS/cm2
    E: -80 mV
    defs:
      a: 2*exp(V/(20*mV))
      b: 0.5*exp(-V/(30*mV))
    current: g_max * y * (E - V)
    gates:
      x:
        deriv: (-a*x + b*y)/ms
        init: 0.9
      y:
        deriv: (a*x - b*y)/ms
        init: 0.1
`

// TestAffine: the propagator of a linear system of two states follows its exact solution at
// every step, where exp_auto, which holds y fixed over x's step, is first order.
func TestAffine(t *testing.T) {
	m, err := check.Load("coupled.yaml", []byte(coupled), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var xl, yl string
	for _, s := range m.States {
		switch s.Name {
		case "X.x":
			xl = s.Local
		case "X.y":
			yl = s.Local
		}
	}
	const level, dt = 15.0, 0.025
	a, b := 2*math.Exp(level/20), 0.5*math.Exp(-level/30)
	exact := func(t float64) float64 { return b/(a+b) + (0.9-b/(a+b))*math.Exp(-(a+b)*t) }
	c, _ := vclamp.New(m)
	e, _ := vclamp.New(m)
	c.Start(-70, level)
	e.Start(-70, level)
	p := c.Affine(dt, 256)
	if c.Value(xl) != 0.9 || c.Value(yl) != 0.1 {
		t.Fatalf("Affine moved the states: x %v, y %v", c.Value(xl), c.Value(yl))
	}
	worst := 0.0
	for k := 1; k <= 100; k++ {
		p.Step(c)
		e.Step(dt)
		want := exact(float64(k) * dt)
		if d := math.Abs(c.Value(xl)-want) / want; d > 1e-12 {
			t.Fatalf("step %d: x = %.15g, want %.15g", k, c.Value(xl), want)
		}
		if d := math.Abs(c.Value(xl) + c.Value(yl) - 1); d > 1e-12 {
			t.Fatalf("step %d: x + y = %.15g", k, c.Value(xl)+c.Value(yl))
		}
		worst = max(worst, math.Abs(e.Value(xl)-want)/want)
	}
	if worst < 1e-4 {
		t.Errorf("exp_auto within %.2g of the exact solution: the system is not coupled enough to tell", worst)
	}
}

// TestRelease: released, V follows a passive membrane's exact relaxation towards E + I/g under
// RK4, with the input density set.
func TestRelease(t *testing.T) {
	const passive = `neurogen: 1
model: Passive
membrane: {C: 2 uF/cm2, V_init: -70 mV}
channels:
  L: {g_max: 0.5 mS/cm2, E: -70 mV, current: g_max * (E - V)}
`
	m, err := check.Load("passive.yaml", []byte(passive), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := vclamp.New(m)
	c.Set(m.Input, 3) // uA/cm2
	c.Start(-70, -70)
	c.Release()
	// tau = C/g = 4 ms, V_inf = E + I/g = -70 + 6 mV.
	for k := 1; k <= 100; k++ {
		c.StepRK4(0.1, 2)
		want := -64 - 6*math.Exp(-float64(k)*0.1/4)
		if got := c.Value("V"); math.Abs(got-want) > 1e-9 {
			t.Fatalf("t = %g ms: V = %.12g mV, want %.12g", float64(k)*0.1, got, want)
		}
	}
}
