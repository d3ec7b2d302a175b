package check_test

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// CODATA 2018, written out here independently of the checker's table.
const (
	gasConstant = 8.314462618 // J/(mol·K)
	faraday     = 96485.33212 // C/mol
	kelvin0     = 273.15      // 0 degC in K
	uAcm2       = 1e-6 / 1e-4 // 1 uA/cm2 in A/m2
	mMperMs     = 1.0 / 1e-3  // 1 mM/ms in mol/(m3·s)
	umInM       = 1e-6        // 1 um in m
	mVperV      = 1e3         // mV in a volt
	caInside    = 2.4e-4      // mM
	caOutside   = 2.0         // mM
	gCa         = 2.0         // mS/cm2
	calciumSpec = `neurogen: 1
model: Ca
membrane: {C: 1 uF/cm2, V_init: -60 mV}
params:
  T: %s
ions:
  Ca:
    E: nernst
    C_i: 2.4e-4 mM
    C_o: 2 mM
    dynamics: %s
channels:
  CaL:
    ion: Ca
    g_max: 2 mS/cm2
    current: g_max * (E_Ca - V)
`
)

// ionModel checks a calcium spec with the given temperature and dynamics.
func ionModel(t *testing.T, T, dynamics, method string) *ir.Model {
	t.Helper()
	src := fmt.Sprintf(calciumSpec, T, dynamics)
	s, err := spec.Load("ca.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// evalAt evaluates a model's statements at V and [Ca]i with default parameters.
func evalAt(m *ir.Model, V, ca float64) map[string]float64 {
	env := map[string]float64{m.Input: 0, m.Time: 0}
	for _, p := range m.Params {
		env[p.Local] = p.Default
	}
	for _, st := range m.States {
		switch st.Name {
		case "V":
			env[st.Local] = V
		case "Ca_i":
			env[st.Local] = ca
		}
	}
	return evalAll(m, env)
}

func state(m *ir.Model, name string) *ir.State {
	for _, st := range m.States {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// TestNernst: E_Ca at 6.3 degC and 36 degC against R·T/(2F)·ln(Co/Ci) computed here.
func TestNernst(t *testing.T) {
	for _, tc := range []struct {
		T       string
		kelvins float64
	}{{"6.3 degC", 6.3 + kelvin0}, {"36 degC", 36 + kelvin0}, {"310 K", 310}} {
		m := ionModel(t, tc.T, "fixed", "exp_auto")
		env := evalAt(m, -60, caInside)
		want := gasConstant * tc.kelvins / (2 * faraday) * math.Log(caOutside/caInside) * mVperV
		// E_Ca is the current's driving force plus V: I = g (E_Ca - V).
		got := env[m.Channels[0].Current.Local]/gCa + -60
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("T = %s: E_Ca = %.15g mV, want %.15g mV", tc.T, got, want)
		}
	}
	// BrainPy quotes E ≈ 120.3 mV at C = 2.4e-4 mM, C0 = 2 mM, 36 degC: a check of the hand
	// formula itself.
	if e := gasConstant * (36 + kelvin0) / (2 * faraday) * math.Log(caOutside/caInside) * mVperV; math.Abs(e-120.3) > 0.1 {
		t.Errorf("hand Nernst at 36 degC: %v mV", e)
	}
}

// TestCalciumInflux: an inward calcium current (V below E_Ca) raises [Ca]i, by I/(2·F·d) for
// detailed dynamics and alpha·I for first-order; an outward one (V above E_Ca) adds nothing,
// and the concentration relaxes.
func TestCalciumInflux(t *testing.T) {
	detailed := ionModel(t, "36 degC", "detailed", "exp_auto")
	ca := state(detailed, "Ca_i")
	env := evalAt(detailed, -60, caInside) // at C_rest: only the influx moves it
	I := env[detailed.Ions[0].Current.Local]
	if !(I > 0) {
		t.Fatalf("I_Ca = %v uA/cm2 at V = -60 mV, below E_Ca: want inward (positive)", I)
	}
	// I/(2·F·d), d = 1 um, in SI then back to mM/ms.
	want := I * uAcm2 / (2 * faraday * umInM) / mMperMs
	if got := env[ca.Deriv.Local]; math.Abs(got-want) > 1e-12*want {
		t.Errorf("detailed: d[Ca]i/dt = %.15g mM/ms at V = -60 mV, want I/(2Fd) = %.15g", got, want)
	}
	// Above E_Ca the current is outward: no influx, relaxation towards C_rest with tau = 5 ms.
	env = evalAt(detailed, 200, 1e-3)
	if I := env[detailed.Ions[0].Current.Local]; !(I < 0) {
		t.Errorf("I_Ca = %v at V = 200 mV: want outward (negative)", I)
	}
	if got, want := env[ca.Deriv.Local], (2.4e-4-1e-3)/5; math.Abs(got-want) > 1e-15 {
		t.Errorf("detailed, outward current: d[Ca]i/dt = %v, want (C_rest - C)/tau = %v", got, want)
	}

	first := ionModel(t, "36 degC", "first_order", "exp_auto")
	ca = state(first, "Ca_i")
	env = evalAt(first, -60, 1e-3)
	I = env[first.Ions[0].Current.Local]
	if got, want := env[ca.Deriv.Local], 0.13*I-0.075*1e-3; !(I > 0) || math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("first_order: d[Ca]i/dt = %v, want alpha*I - beta*C = %v (I = %v)", got, want, I)
	}
	env = evalAt(first, 200, 1e-3)
	if got, want := env[ca.Deriv.Local], -0.075*1e-3; math.Abs(got-want) > 1e-15 {
		t.Errorf("first_order, outward current: d[Ca]i/dt = %v, want -beta*C = %v", got, want)
	}
}

// TestConcentrationStaysPositive runs the generated code for a minute of model time with V
// clamped at +200 mV, far above E_Ca: first-order dynamics then only remove calcium, which would
// underflow to zero (and make E_Ca infinite) or, with forward Euler at a coarse step, go negative.
// (Both methods reach their smallest [Ca]i within seconds: an hour gives the same values.)
// [Ca]i must stay positive and every current finite throughout.
func TestConcentrationStaysPositive(t *testing.T) {
	gomodtest.NeedGo(t)
	mod := gomodtest.TempModule(t, "example.com/positive")
	cases := []struct {
		pkg, method string
		dt          float64 // ms
	}{{"expauto", "exp_auto", 0.1}, {"euler", "euler", 20}}
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"math\"\n")
	for _, c := range cases {
		m := ionModel(t, "36 degC", "first_order", c.method)
		m.Package = c.pkg
		files, err := codegen.Generate(m, codegen.Options{SpecName: "ca.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		for name, src := range files {
			gomodtest.WriteFile(t, filepath.Join(mod, c.pkg, name), src)
		}
		fmt.Fprintf(&main, "\t%q\n", "example.com/positive/"+c.pkg)
	}
	main.WriteString(")\n\nfunc main() {\n")
	for _, c := range cases {
		steps := int(math.Round(60e3 / c.dt))
		fmt.Fprintf(&main, `	{
		g := %s.New(1)
		g.SetVoltageClamp(true)
		g.Var("V")[0] = 200
		cur := make([]float64, len(g.Model().Currents))
		lo, finite := math.Inf(1), true
		for k := 0; k < %d; k++ {
			g.Step(float64(k)*%v, %v)
			ca := g.Var("Ca_i")[0]
			lo = math.Min(lo, ca)
			g.Currents(0, cur)
			finite = finite && !math.IsNaN(ca) && !math.IsInf(cur[0], 0) && !math.IsNaN(cur[0])
		}
		fmt.Println(%q, lo, finite, g.Var("V")[0])
	}
`, c.pkg, steps, c.dt, c.dt, c.pkg)
	}
	main.WriteString("}\n")
	gomodtest.WriteFile(t, filepath.Join(mod, "main.go"), []byte(main.String()))
	out := gomodtest.Run(t, mod, nil, "run", ".")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("output:\n%s", out)
	}
	for _, line := range lines {
		f := strings.Fields(line)
		lo, _ := strconv.ParseFloat(f[1], 64)
		V, _ := strconv.ParseFloat(f[3], 64)
		t.Logf("%s: smallest [Ca]i %g mM over a minute at V = %g mV", f[0], lo, V)
		if !(lo >= ir.ConcentrationFloor) || f[2] != "true" {
			t.Errorf("%s: smallest [Ca]i %v mM (floor %g), all finite: %s", f[0], lo, ir.ConcentrationFloor, f[2])
		}
		if V != 200 {
			t.Errorf("%s: the clamp let V move to %v mV", f[0], V)
		}
	}
}

// TestCustomIonDynamics: dynamics written as an expression are the expression: the detailed
// dynamics written out give the built-in ones' derivative and linear coefficient.
func TestCustomIonDynamics(t *testing.T) {
	builtin := ionModel(t, "36 degC", "detailed", "exp_auto")
	custom := ionModel(t, "36 degC", `"max(I_Ca/(2*faraday*d), 0*mM/ms) + (C_rest - Ca_i)/tau"`+"\n    d: 1 um\n    tau: 5 ms\n    C_rest: 2.4e-4 mM", "exp_auto")
	for _, V := range []float64{-80, -20, 60, 200} {
		for _, ca := range []float64{1e-5, 2.4e-4, 3e-3} {
			a, b := evalAt(builtin, V, ca), evalAt(custom, V, ca)
			sa, sb := state(builtin, "Ca_i"), state(custom, "Ca_i")
			for _, pair := range [][2]string{{sa.Deriv.Local, sb.Deriv.Local}, {sa.Linear.Local, sb.Linear.Local}} {
				if x, y := a[pair[0]], b[pair[1]]; math.Abs(x-y) > 1e-12*math.Max(1e-12, math.Abs(x)) {
					t.Errorf("V %v, Ca_i %v: %s built in %v, written out %v", V, ca, pair[0], x, y)
				}
			}
		}
	}
}
