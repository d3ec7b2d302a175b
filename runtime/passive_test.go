package runtime_test

import (
	"fmt"
	"math"

	"github.com/neurogen/neurogen/runtime"
)

// passive is a hand-written Group for the tests: n passive membranes
//
//	C dV/dt = g_L (E_L − V) + I
//
// stepped with exponential Euler, which is exact for this linear equation with constant input:
// V(t+dt) = V∞ + (V(t) − V∞) e^(−dt/τ), with V∞ = E_L + I/g_L and τ = C/g_L. A spike is an
// upward crossing of VTh, its time linearly interpolated between the two steps around it, as
// the Group contract describes. Without a reset each neuron spikes at most once per approach.
type passive struct {
	model  runtime.Model
	gL, EL float64
	seed   uint64
	clamp  bool
	now    float64

	v, input, spikeTimes []float64
	spiked               []bool

	stepTimes []float64 // the t of every Step call, for testing Run
}

var _ runtime.Group = (*passive)(nil)

// newPassive returns n reset neurons with C = 1 uF/cm2, g_L = 0.1 mS/cm2 (τ = 10 ms),
// E_L = −65 mV, V_th = −50 mV and the BrainPy default area 1e-3 cm2.
func newPassive(n int) *passive {
	g := &passive{
		model: runtime.Model{
			Name:   "passive",
			Doc:    "passive membrane, for tests",
			Method: "exp_auto",
			C:      1,
			A:      1e-3,
			VTh:    -50,
			Vars:   []runtime.Var{{Name: "V", Unit: "mV", Doc: "membrane potential"}},
			Params: []runtime.Param{
				{Name: "g_L", Unit: "mS/cm2", Default: 0.1, Doc: "leak conductance"},
				{Name: "E_L", Unit: "mV", Default: -65, Doc: "leak reversal potential"},
			},
		},
		gL:         0.1,
		EL:         -65,
		v:          make([]float64, n),
		input:      make([]float64, n),
		spikeTimes: make([]float64, n),
		spiked:     make([]bool, n),
	}
	g.Reset()
	return g
}

func (g *passive) Model() *runtime.Model { return &g.model }
func (g *passive) Len() int              { return len(g.v) }
func (g *passive) SetSeed(seed uint64)   { g.seed = seed }
func (g *passive) Seed() uint64          { return g.seed }
func (g *passive) Now() float64          { return g.now }
func (g *passive) SetNow(t float64)      { g.now = t }
func (g *passive) VoltageClamp() bool    { return g.clamp }

func (g *passive) Reset() {
	for i := range g.v {
		g.v[i] = g.EL
		g.spiked[i] = false
		g.spikeTimes[i] = math.Inf(-1)
	}
}

func (g *passive) Step(t, dt float64) {
	g.stepTimes = append(g.stepTimes, t)
	g.StepRange(0, len(g.v), t, dt)
}

func (g *passive) StepRange(lo, hi int, t, dt float64) {
	tau := g.model.C / g.gL
	decay := -math.Expm1(-dt / tau) // 1 − e^(−dt/τ)
	vth := g.model.VTh
	for i := lo; i < hi; i++ {
		vinf := g.EL + g.input[i]/g.gL
		v0 := g.v[i]
		v1 := v0 + (vinf-v0)*decay
		if g.clamp {
			v1 = v0
		}
		g.v[i] = v1
		g.spiked[i] = v0 < vth && v1 >= vth
		if g.spiked[i] {
			g.spikeTimes[i] = t + dt*(vth-v0)/(v1-v0)
		}
	}
}

func (g *passive) Var(name string) []float64 {
	if name == "V" {
		return g.v
	}
	return nil
}

func (g *passive) Param(name string) (float64, bool) {
	switch name {
	case "g_L":
		return g.gL, true
	case "E_L":
		return g.EL, true
	}
	return 0, false
}

func (g *passive) SetParam(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("parameter %s: value %g is not finite", name, v)
	}
	switch name {
	case "g_L":
		g.gL = v
	case "E_L":
		g.EL = v
	default:
		return fmt.Errorf("no parameter %q", name)
	}
	return nil
}

func (g *passive) Input() []float64                      { return g.input }
func (g *passive) Spiked() []bool                        { return g.spiked }
func (g *passive) SpikeTimes() []float64                 { return g.spikeTimes }
func (g *passive) Rates(i int, V float64, dst []float64) {} // no gates
func (g *passive) Currents(i int, dst []float64)         { dst[0] = g.gL * (g.EL - g.v[i]) }
func (g *passive) SetVoltageClamp(on bool)               { g.clamp = on }
func (g *passive) Equilibrate()                          {} // no gates
