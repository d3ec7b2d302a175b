package codegen_test

import (
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
)

// TestGoNamesChosenByCodegen: the checker names the model's symbols after the spec, knowing
// nothing of Go; Generate's naming step gives each its Go local (underscores after a keyword, a
// predeclared identifier or a name of the generated functions) and every field its name, and
// the generated code uses those names.
func TestGoNamesChosenByCodegen(t *testing.T) {
	const src = `neurogen: 1
model: Names
membrane: {C: 1 uF/cm2, V_th: 0 mV, V_init: -65 mV}
params:
  range: 0.1 mS/cm2
  len: -70 mV
  dt: {value: 2, per_neuron: true}
  Na_m: {value: 3, per_neuron: true}
channels:
  Na:
    gates:
      m: {inf: 1 / (1 + exp(-V / (10*mV))), tau: 1 ms}
    current: range * m * dt * Na_m * (len - V)
`
	m, err := check.Load("names.yaml", []byte(src), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	syms := map[string]string{"Na.m": m.States[1].Local}
	if m.States[1].Name != "Na.m" {
		t.Fatalf("States[1] is %s, want Na.m", m.States[1].Name)
	}
	for _, p := range m.Params {
		syms[p.Name] = p.Local
	}
	for name, want := range map[string]string{"range": "range", "len": "len", "dt": "dt", "Na_m": "Na_m", "Na.m": "Na_m_"} {
		if syms[name] != want {
			t.Errorf("symbol of %s: %q, want %q (the checker keeps the spec's name, unique in the model)", name, syms[name], want)
		}
	}
	id := codegen.Locals(m)
	for sym, want := range map[string]string{"range": "range_", "len": "len_", "dt": "dt_", "Na_m": "Na_m", "Na_m_": "Na_m_", m.Time: "t", m.Input: "I_ext", "V": "V"} {
		if got := id(sym); got != want {
			t.Errorf("Go local of %s: %q, want %q", sym, got, want)
		}
	}
	files, err := codegen.Generate(m, codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code := string(files["names.go"])
	for _, want := range []string{
		"range_ := g.Params.Range\n", "len_ := g.Params.Len\n", "dt__s := g.Dt[lo:hi]", "dt_ := dt__s[i]\n",
		// the per-neuron parameter Na_m and the gate Na.m both export to NaM: the parameter,
		// named first, keeps it
		"\tNaM []float64", "\tNaM_ []float64", "Na_m_s := g.NaM[lo:hi]", "Na_m__s := g.NaM_[lo:hi]",
		"I_Na := Na_m * Na_m_ * dt_ * range_ * (len_ - V)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code has no %q", want)
		}
	}
}
