package check_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

// evalAll evaluates a model's statements in order and returns every local's value.
func evalAll(m *ir.Model, env map[string]float64) map[string]float64 {
	for _, st := range append(append([]*ir.Stmt{}, m.Pre...), m.Body...) {
		env[st.Local] = symbolic.Eval(st.Expr, symbolic.MapEnv(env))
	}
	return env
}

// TestDefaultCurrent: a channel without `current:` gets g_max * m**3 * h * (E - V) from its
// gates' `power`, the same current and derivatives as when the expression is written out.
func TestDefaultCurrent(t *testing.T) {
	const written = `neurogen: 1
model: M
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  Na:
    g_max: 120 mS/cm2
    E: 50 mV
    current: g_max * m**3 * h * (E - V)
    gates:
      m: {alpha: "0.1/ms", beta: 0.2 /ms, power: 3}
      h: {inf: "0.5", tau: 2 ms}
`
	implied := strings.Replace(written, "    current: g_max * m**3 * h * (E - V)\n", "", 1)
	models := make([]*ir.Model, 2)
	for k, src := range []string{written, implied} {
		s, err := spec.Load("m.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if models[k], err = check.Check(s, check.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := models[1].Channels[0].Text, "g_max * m**3 * h * (E - V)"; got != want {
		t.Errorf("default current reads %q, want %q", got, want)
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 100 {
		V, mm, h := -100+160*r.Float64(), r.Float64(), r.Float64()
		vals := make([]map[string]float64, 2)
		for k, m := range models {
			env := map[string]float64{m.Input: 0, m.Time: 0}
			for _, p := range m.Params {
				env[p.Local] = p.Default
			}
			env[m.States[0].Local] = V
			env[m.States[1].Local] = mm
			env[m.States[2].Local] = h
			vals[k] = evalAll(m, env)
		}
		for _, st := range models[0].States {
			a := vals[0][st.Deriv.Local]
			b := vals[1][models[1].States[indexOf(models[1], st.Name)].Deriv.Local]
			if math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(a)) {
				t.Fatalf("d%s/dt: written %v, default %v (V=%v m=%v h=%v)", st.Name, a, b, V, mm, h)
			}
		}
		want := 120 * mm * mm * mm * h * (50 - V)
		if got := vals[1][models[1].Channels[0].Current.Local]; math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Fatalf("default current %v, want %v", got, want)
		}
	}
}

func indexOf(m *ir.Model, name string) int {
	for i, st := range m.States {
		if st.Name == name {
			return i
		}
	}
	return -1
}

// TestPlainQuantities: an expression field may hold a plain quantity ("2 ms"), but text that is
// an expression stays one: `0.5 * m` is half the gate m, not half a metre.
func TestPlainQuantities(t *testing.T) {
	src := `neurogen: 1
model: M
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  Na:
    g_max: 120 mS/cm2
    E: 50 mV
    gates:
      m: {alpha: 0.1 /ms, beta: 200 Hz, power: 3}
      h: {inf: 0.5 * m, tau: 2 ms}
`
	s, err := spec.Load("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]float64{m.Input: 0, m.Time: 0, m.States[0].Local: -65, m.States[1].Local: 0.3, m.States[2].Local: 0.1}
	for _, p := range m.Params {
		env[p.Local] = p.Default
	}
	evalAll(m, env)
	want := map[string]float64{"Na.m.alpha": 0.1, "Na.m.beta": 0.2, "Na.h.inf": 0.15, "Na.h.tau": 2}
	for _, r := range m.Rates {
		if got := env[r.Stmt.Local]; math.Abs(got-want[r.Name]) > 1e-15 {
			t.Errorf("%s = %v, want %v", r.Name, got, want[r.Name])
		}
	}
}
