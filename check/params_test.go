package check_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// pospischil is a Pospischil-style cell: its channels' shifts are written through the group's
// VT, its potassium conductance through a per-neuron group parameter, and its leak has the
// default current with E an expression.
const pospischil = `neurogen: 1
model: P
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params:
  T: 36 degC
  VT: -56.2 mV
  gk: {value: 5 mS/cm2, per_neuron: true}
channels:
  Na: {use: INa_Ba2002, V_sh: VT, g_max: 2*25*mS/cm2}
  K: {use: IKDR_Ba2002, V_sh: VT + 1*mV, g_max: gk}
  L:
    g_max: 0.1*mS/cm2
    E: VT - 10*mV
`

// literal is the same cell with every value written out.
const literal = `neurogen: 1
model: P
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params:
  T: 36 degC
  VT: -56.2 mV
  gk: {value: 5 mS/cm2, per_neuron: true}
channels:
  Na: {use: INa_Ba2002, V_sh: -56.2 mV, g_max: 50 mS/cm2}
  K: {use: IKDR_Ba2002, V_sh: -55.2 mV, g_max: 5 mS/cm2}
  L:
    g_max: 0.1 mS/cm2
    E: -66.2 mV
    current: g_max * (E - V)
`

func mustCheck(t *testing.T, src string) *ir.Model {
	t.Helper()
	s, err := spec.Load("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestParamExpressions: a stock channel's parameter given as an expression of the group's
// parameters behaves as the literal value (every derivative and linear coefficient the same at
// random states), follows the group parameter when that changes (as -set VT=… does), and is
// not a parameter of its own; an expression of numbers and units alone is folded into an
// ordinary parameter.
func TestParamExpressions(t *testing.T) {
	expr, lit := mustCheck(t, pospischil), mustCheck(t, literal)
	params := map[string]*ir.Param{}
	for _, p := range expr.Params {
		params[p.Name] = p
	}
	for _, n := range []string{"Na.V_sh", "K.V_sh", "K.g_max", "L.E"} {
		if params[n] != nil {
			t.Errorf("%s is a parameter of its own; want an alias of its expression", n)
		}
	}
	for n, want := range map[string]float64{"Na.g_max": 50, "L.g_max": 0.1} {
		if p := params[n]; p == nil || p.Default != want {
			t.Errorf("%s = %+v, want a parameter of default %v", n, p, want)
		}
	}

	// values sets the parameters of m: their defaults, with VT and the literal shifts moved to vt.
	values := func(m *ir.Model, vt float64, env map[string]float64) {
		for _, p := range m.Params {
			env[p.Local] = p.Default
			switch p.Name {
			case "VT", "Na.V_sh":
				env[p.Local] = vt
			case "K.V_sh":
				env[p.Local] = vt + 1
			case "L.E":
				env[p.Local] = vt - 10
			}
		}
	}
	r := rand.New(rand.NewPCG(2, 3))
	for _, vt := range []float64{-56.2, -60, -48.5} {
		for range 50 {
			V := -100 + 150*r.Float64()
			gates := map[string]float64{}
			vals := make([]map[string]float64, 2)
			for k, m := range []*ir.Model{expr, lit} {
				env := map[string]float64{m.Input: 0, m.Time: 0}
				values(m, vt, env)
				for _, st := range m.States {
					if _, ok := gates[st.Name]; !ok {
						gates[st.Name] = r.Float64()
					}
					env[st.Local] = gates[st.Name]
				}
				env[m.States[0].Local] = V
				vals[k] = evalAll(m, env)
			}
			for _, st := range expr.States {
				ls := lit.States[indexOf(lit, st.Name)]
				for _, pair := range [][2]string{{st.Deriv.Local, ls.Deriv.Local}, {st.Linear.Local, ls.Linear.Local}} {
					a, b := vals[0][pair[0]], vals[1][pair[1]]
					if math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(b)) {
						t.Fatalf("VT = %v, V = %v: %s (%s) = %v with expressions, %v with literal values", vt, V, st.Name, pair[0], a, b)
					}
				}
			}
		}
	}

	// The expressions are checked where they are written.
	bad := strings.Replace(pospischil, "V_sh: VT + 1*mV", "V_sh: VT + 1*ms", 1)
	s, err := spec.Load("p.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = check.Check(s, check.Options{})
	var list spec.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Code != spec.DimensionMismatch || list[0].Pos.String() != "p.yaml:10:34" {
		t.Errorf("VT + 1*ms: error %v, want one %s at p.yaml:10:34", err, spec.DimensionMismatch)
	}
}
