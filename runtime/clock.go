package runtime

import (
	"fmt"
	"math"
)

// Clock is the time of a simulation with a fixed step. The zero Clock with Dt set is at t = 0.
type Clock struct {
	Dt   float64 // time step, ms; positive and finite
	Step int64   // steps taken so far
}

// T returns the current time in ms, Step·Dt. It is computed afresh from the step count, so it
// does not drift as a running sum of Dt would: after 100000 steps of 0.01 ms it is exactly
// float64(100000)*0.01 = 1000.
func (c *Clock) T() float64 { return float64(c.Step) * c.Dt }

// Advance moves the clock on by one step.
func (c *Clock) Advance() { c.Step++ }

// Run advances g by steps steps of clk.Dt, starting at clk.T(). For each step it calls
// g.Step(clk.T(), clk.Dt), then clk.Advance(), then, if sp is not nil, sp.Collect(g), so that
// sp receives every spike in time order (and in neuron order within a step).
//
// Run checks nothing inside its loop. The caller guarantees that clk.Dt is positive and finite
// (Steps checks this when the step count comes from a duration) and that steps ≥ 0; Run does
// nothing when steps ≤ 0. Apart from appending to sp, Run allocates nothing. It does not check
// the state for NaN and infinities: CheckFinite does, and Sim.Run checks as it goes.
func Run(g Group, clk *Clock, steps int, sp *Spikes) {
	for range steps {
		g.Step(clk.T(), clk.Dt)
		clk.Advance()
		if sp != nil {
			sp.Collect(g)
		}
	}
}

// stepTolerance is how close, relative to the step count, duration/dt must be to a whole
// number for Steps to accept it: far above the rounding error of the division, far below any
// real fraction of a step.
const stepTolerance = 1e-9

// Steps returns the number of steps of dt (ms) in a run of duration (ms): duration/dt rounded to
// the nearest integer. It fails when dt is not positive and finite, when duration is negative
// or not finite, and when duration/dt is not within a relative 1e-9 (absolute 1e-9 below one
// step) of a whole number: Steps(0.3, 0.1) is 3, although 0.3/0.1 is 2.9999999999999996 in
// floating point, but Steps(10, 0.3) is an error.
func Steps(duration, dt float64) (int, error) {
	if !(dt > 0) || math.IsInf(dt, 1) {
		return 0, fmt.Errorf("time step %g ms is not positive and finite", dt)
	}
	if !(duration >= 0) || math.IsInf(duration, 1) {
		return 0, fmt.Errorf("duration %g ms is not zero or positive and finite", duration)
	}
	r := duration / dt
	n := math.Round(r)
	if n >= float64(math.MaxInt) { // also +Inf, for tiny dt
		return 0, fmt.Errorf("duration %g ms is too many steps of %g ms", duration, dt)
	}
	if math.Abs(r-n) > stepTolerance*max(1, n) {
		return 0, fmt.Errorf("duration %g ms is not a whole number of steps of %g ms", duration, dt)
	}
	return int(n), nil
}
