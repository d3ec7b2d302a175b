package codegen_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
)

// receptorSpec is a passive membrane (a leak at rest) with an exponential, a bi-exponential and
// an alpha-function conductance, each a stock receptor, a bi-exponential written as a driven
// pair (x decays with tau_r and drives g, which decays with tau_d), and A = 20000 um2 (COBAHH's
// area).
const receptorSpec = `neurogen: 1
model: Syn
membrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -60 mV, V_th: 0 mV}
channels:
  L: {g_max: 0.05 mS/cm2, E: -60 mV, current: g_max*(E - V)}
receptors:
  E: {use: ExpCond, tau: 5 ms, E: 0 mV}
  S: {use: Exp2Cond, tau_rise: 0.5 ms, tau_decay: 4 ms, E: 0 mV}
  Al: {use: AlphaCond, tau: 2 ms, E: 0 mV}
  D:
    tau_r: 0.5 ms
    tau_d: 4 ms
    E: 0 mV
    states:
      g: {deriv: (x - g)/tau_d, unit: nS}
      x: {deriv: -x/tau_r, unit: nS}
    current: g*(E - V)
    event: x += w
`

// receptorMain drives the generated group as a network's propagation will: it adds the weight
// of one event to the receptor states' slices (Var) between steps, then steps. It prints the
// model's receptors, the traces of E.g, S.A, S.B and Al.g under a voltage clamp (so that they follow
// their own dynamics alone), and V before and after one unclamped step that starts with an
// event into E at rest.
const receptorMain = `package main

import (
	"encoding/json"
	"os"

	"example.com/receptors/syn"
	"github.com/neurogen/neurogen/runtime"
)

const (
	dt    = 0.1     // ms
	w     = 6e-6    // mS: 6 nS
	steps = 400
)

func main() {
	g := syn.New(1)
	g.Reset()
	g.SetVoltageClamp(true)
	m := g.Model()
	// One event of weight w into each receptor, as propagation delivers it.
	for _, r := range m.Receptors {
		for _, tg := range r.Targets {
			g.Var(tg.Var)[0] += tg.Scale * w
		}
	}
	var out struct {
		Receptors []receptor
		Kinds     map[string]string
		E, A, B   []float64
		Al, D     []float64
		V0, V1    float64
		Currents  []string
		Cur       []float64
	}
	for _, r := range m.Receptors {
		out.Receptors = append(out.Receptors, receptor{r.Name, r.Target, r.WeightUnit, r.Event, r.Targets})
	}
	out.Currents = m.Currents
	out.Kinds = map[string]string{}
	for _, v := range m.Vars {
		out.Kinds[v.Name] = v.Kind
	}
	for k := 0; k <= steps; k++ {
		out.E = append(out.E, g.Var("E.g")[0])
		out.A = append(out.A, g.Var("S.A")[0])
		out.B = append(out.B, g.Var("S.B")[0])
		out.Al = append(out.Al, g.Var("Al.g")[0])
		out.D = append(out.D, g.Var("D.g")[0])
		g.Step(float64(k)*dt, dt)
	}
	// At rest (V = E_L: the leak passes nothing), one event into E, one unclamped step.
	g.Reset()
	g.SetVoltageClamp(false)
	g.Var("E.g")[0] += w
	out.Cur = make([]float64, len(m.Currents))
	g.Currents(0, out.Cur)
	out.V0 = g.Var("V")[0]
	g.Step(0, dt)
	out.V1 = g.Var("V")[0]
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

// receptor is what the test reads of a runtime.Receptor (whose Apply, a function, JSON cannot
// encode).
type receptor struct {
	Name, Target, WeightUnit, Event string
	Targets                         []runtime.ReceptorTarget
}
`

// TestReceptorTraces is the acceptance test of issue 14's receptors: one presynaptic event into
// an exponential and a bi-exponential conductance gives the analytic conductance at every
// step with exp_auto, to 1e-12 relative: w·exp(−t/τ) for ExpCond, and for Exp2Cond
// f·w·(exp(−t/τ_decay) − exp(−t/τ_rise)), whose peak is w. And the receptor's current enters
// dV/dt inward positive, divided by the area: an excitatory conductance at rest depolarises V
// in the first step by what exponential Euler gives, computed here from the spec's numbers.
func TestReceptorTraces(t *testing.T) {
	gomodtest.NeedGo(t)
	m, err := check.Load("syn.yaml", []byte(receptorSpec), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := codegen.Generate(m, codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := gomodtest.TempModule(t, "example.com/receptors")
	for name, b := range files {
		gomodtest.WriteFile(t, filepath.Join(dir, "syn", name), b)
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(receptorMain))
	var out struct {
		Receptors []struct {
			Name, Target, WeightUnit, Event string
			Targets                         []struct {
				Var   string
				Scale float64
			}
		}
		Kinds    map[string]string
		E, A, B  []float64
		Al, D    []float64
		V0, V1   float64
		Currents []string
		Cur      []float64
	}
	if err := json.Unmarshal([]byte(gomodtest.Run(t, dir, nil, "run", ".")), &out); err != nil {
		t.Fatal(err)
	}

	// The model describes its receptors and their states.
	if len(out.Receptors) != 4 || out.Receptors[0].Name != "E" || out.Receptors[0].Target != "E.g" ||
		out.Receptors[0].WeightUnit != "mS" || len(out.Receptors[0].Targets) != 1 ||
		out.Receptors[1].Name != "S" || out.Receptors[1].Target != "S.A" || len(out.Receptors[1].Targets) != 2 ||
		out.Receptors[1].Targets[1].Var != "S.B" || out.Receptors[1].Targets[1].Scale != 1 ||
		out.Receptors[2].Name != "Al" || out.Receptors[2].Target != "Al.x" || len(out.Receptors[2].Targets) != 1 ||
		out.Receptors[3].Name != "D" || out.Receptors[3].Target != "D.x" {
		t.Errorf("Model().Receptors = %+v", out.Receptors)
	}
	for _, v := range []string{"E.g", "S.A", "S.B", "Al.x", "Al.g", "D.g", "D.x"} {
		if out.Kinds[v] != "receptor" {
			t.Errorf("variable %s of kind %q, want receptor", v, out.Kinds[v])
		}
	}

	const (
		dt = 0.1
		w  = 6e-6
	)
	tauE, tr, td := 5.0, 0.5, 4.0
	r := tr / td
	f := 1 / ((1 - r) * math.Pow(r, r/(1-r)))
	rel := func(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }
	worstE, worstS, peak := 0.0, 0.0, 0.0
	for k := range out.E {
		tk := float64(k) * dt
		worstE = max(worstE, rel(out.E[k], w*math.Exp(-tk/tauE)))
		g := f * (out.B[k] - out.A[k])
		peak = max(peak, g)
		if k > 0 {
			worstS = max(worstS, rel(g, f*w*(math.Exp(-tk/td)-math.Exp(-tk/tr))))
		} else if g != 0 {
			t.Errorf("Exp2Cond's conductance right after the event is %g, want 0", g)
		}
	}
	t.Logf("largest relative error: ExpCond %.3g, Exp2Cond %.3g over %d steps", worstE, worstS, len(out.E)-1)
	if worstE > 1e-12 || worstS > 1e-12 {
		t.Errorf("relative error of the conductance trace: ExpCond %g, Exp2Cond %g; want ≤ 1e-12", worstE, worstS)
	}
	// The peak is w, at t_p = 4·0.5/3.5·ln 8 ≈ 1.19 ms, between two steps: the sampled peak is
	// within the curvature over half a step of it.
	if !(peak <= w*(1+1e-12) && peak > 0.99*w) {
		t.Errorf("Exp2Cond's sampled peak is %g mS, want just under w = %g", peak, w)
	}

	// AlphaCond, the limit of Exp2Cond as tau_rise and tau_decay meet: exp_auto integrates x
	// exactly and g exactly along x's exact trajectory (its coupled step, L_g = L_x: the
	// resonant case), so every sample of g is the alpha function w (t/τ) e^(1 − t/τ).
	const tauA = 2.0
	worstA, peakA := 0.0, 0.0
	for k, g := range out.Al {
		tk := float64(k) * dt
		if k == 0 {
			if g != 0 {
				t.Errorf("AlphaCond's conductance right after the event is %g, want 0", g)
			}
			continue
		}
		worstA = max(worstA, rel(g, w*tk/tauA*math.Exp(1-tk/tauA)))
		peakA = max(peakA, g)
	}
	// The driven pair D, L_g ≠ L_x: g(t) = w τ_r/(τ_d − τ_r) (e^(−t/τ_d) − e^(−t/τ_r)).
	const tauR, tauD = 0.5, 4.0
	worstD := 0.0
	for k, g := range out.D {
		tk := float64(k) * dt
		if k == 0 {
			if g != 0 {
				t.Errorf("D's conductance right after the event is %g, want 0", g)
			}
			continue
		}
		worstD = max(worstD, rel(g, w*tauR/(tauD-tauR)*(math.Exp(-tk/tauD)-math.Exp(-tk/tauR))))
	}
	t.Logf("largest relative error: AlphaCond %.3g, driven pair %.3g", worstA, worstD)
	if worstA > 1e-12 || worstD > 1e-12 {
		t.Errorf("relative error of the trace against the analytic one: AlphaCond %g, driven pair %g; want ≤ 1e-12", worstA, worstD)
	}
	// Its peak, at t = τ (step 20), is w.
	if rel(peakA, w) > 1e-12 || rel(out.Al[20], peakA) != 0 {
		t.Errorf("AlphaCond's peak is %g mS (at τ: %g), want w = %g", peakA, out.Al[20], w)
	}

	// The first unclamped step from rest with g = w: exponential Euler on
	// C dV/dt = g_L (E_L − V) + (g/A) (E_e − V), with g/A in mS/cm2.
	const (
		C, gL, EL, Ee = 1.0, 0.05, -60.0, 0.0
		area          = 20000e-8 // cm2
	)
	if out.V0 != EL {
		t.Fatalf("V after Reset = %g, want %g", out.V0, EL)
	}
	gA := w / area
	dV := (gL*(EL-out.V0) + gA*(Ee-out.V0)) / C
	L := -(gL + gA) / C
	want := out.V0 + dt*dV*math.Expm1(dt*L)/(dt*L)
	if rel(out.V1-out.V0, want-out.V0) > 1e-12 {
		t.Errorf("V after one step: %.15g mV (a change of %.6g), want %.15g (%.6g)", out.V1, out.V1-out.V0, want, want-out.V0)
	}
	// Currents evaluates the receptors' currents after the channels': at rest, the leak and S
	// pass nothing, and E passes (w/A)(E_e − V), inward.
	if want := []string{"L", "E", "S", "Al", "D"}; !slices.Equal(out.Currents, want) {
		t.Errorf("Model().Currents = %q, want %q", out.Currents, want)
	} else if wantE := gA * (Ee - EL); out.Cur[0] != 0 || out.Cur[2] != 0 || out.Cur[3] != 0 || out.Cur[4] != 0 || rel(out.Cur[1], wantE) > 1e-15 {
		t.Errorf("Currents at rest with g_E = w: %v, want [0 %g 0 0 0]", out.Cur, wantE)
	}
	if !(out.V1 > out.V0) {
		t.Errorf("an excitatory conductance at rest moved V from %g to %g: it must depolarise", out.V0, out.V1)
	}
}

// receptorNetMain runs two generated groups in a runtime.Sim: pre, driven hard enough to cross
// V_th once (the membrane has no reset), projects one to one into post's receptors E (ExpCond)
// and S (Exp2Cond, two targets) with a delay of 3 steps and a weight of 6 nS. It prints, after
// every step, whether pre spiked and post's receptor states.
const receptorNetMain = `package main

import (
	"encoding/json"
	"os"

	"example.com/receptornet/syn"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	sim, err := runtime.NewSim(0.1)
	must(err)
	pre, post := syn.New(1), syn.New(1)
	pre.Input()[0] = 200 // uA/cm2: V crosses 0 mV within a few steps
	must(sim.Add("pre", pre))
	must(sim.Add("post", post))
	for _, r := range []string{"E", "S"} {
		p, err := runtime.OneToOne(1)
		must(err)
		must(p.SetWeight(6e-6)) // mS
		must(p.SetDelay(3))
		must(sim.ConnectReceptor("p"+r, "pre", "post", r, p))
	}
	var out struct {
		Spiked  []bool
		E, A, B []float64
	}
	for range 60 {
		must(sim.Step())
		out.Spiked = append(out.Spiked, pre.Spiked()[0])
		out.E = append(out.E, post.Var("E.g")[0])
		out.A = append(out.A, post.Var("S.A")[0])
		out.B = append(out.B, post.Var("S.B")[0])
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
`

// TestReceptorNetwork: a generated group's receptors receive a runtime.Sim's projection as
// the network's step order says (networks.md, Brian2's schedule): a spike in step n with a
// delay of d steps adds w to every state the receptor's event increments at the end of step
// n+d, not before, and from there the state follows its analytic decay.
func TestReceptorNetwork(t *testing.T) {
	gomodtest.NeedGo(t)
	m, err := check.Load("syn.yaml", []byte(receptorSpec), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := codegen.Generate(m, codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := gomodtest.TempModule(t, "example.com/receptornet")
	for name, b := range files {
		gomodtest.WriteFile(t, filepath.Join(dir, "syn", name), b)
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(receptorNetMain))
	var out struct {
		Spiked  []bool
		E, A, B []float64
	}
	if err := json.Unmarshal([]byte(gomodtest.Run(t, dir, nil, "run", ".")), &out); err != nil {
		t.Fatal(err)
	}
	const (
		w, d, dt = 6e-6, 3, 0.1
		tauE, tr = 5.0, 0.5
		td       = 4.0
	)
	n := -1
	for k, s := range out.Spiked {
		if s {
			if n >= 0 {
				t.Fatalf("pre spiked in steps %d and %d; the test wants one spike", n, k)
			}
			n = k
		}
	}
	if n < 0 || n+d+20 >= len(out.E) {
		t.Fatalf("pre spiked in step %d of %d: the test shows little", n, len(out.E))
	}
	for k := range out.E {
		var e, a, b float64
		if k >= n+d {
			s := float64(k-n-d) * dt // time since the event arrived
			e, a, b = w*math.Exp(-s/tauE), w*math.Exp(-s/tr), w*math.Exp(-s/td)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"E.g", out.E[k], e}, {"S.A", out.A[k], a}, {"S.B", out.B[k], b}} {
			if c.want == 0 && c.got != 0 || c.want != 0 && math.Abs(c.got-c.want) > 1e-12*c.want {
				t.Errorf("after step %d (spike in step %d, delay %d): post %s = %g, want %g", k, n, d, c.name, c.got, c.want)
			}
		}
	}
}
