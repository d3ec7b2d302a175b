package importer_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/vclamp"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// synGroup writes the receptor files of the imported results into a temporary directory and
// checks a group spec there that takes each with `use: NAME.yaml` (and the overrides given), as
// `neurogen check` does; it returns the model.
func synGroup(t *testing.T, receptors string, results ...*importer.Result) *ir.Model {
	t.Helper()
	dir := t.TempDir()
	for _, res := range results {
		for _, r := range res.Receptors {
			if err := os.WriteFile(filepath.Join(dir, r.Name+".yaml"), r.YAML, 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	src := "neurogen: 1\nmodel: Syn\nmembrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -65 mV}\n" +
		"channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\nreceptors:\n" + receptors
	file := filepath.Join(dir, "group.yaml")
	m, err := check.Load(file, []byte(src), check.Options{})
	if err != nil {
		for _, res := range results {
			for _, r := range res.Receptors {
				t.Logf("%s.yaml:\n%s", r.Name, r.YAML)
			}
		}
		t.Fatal(err)
	}
	return m
}

// TestSynapses imports ExpSyn and Exp2Syn (testdata/expsyn.mod, exp2syn.mod, written from
// NEURON's documented equations) as receptors, checks a group that uses them from their files
// (with other time constants than the files'), delivers one event of weight w to each under a
// voltage clamp, and holds the receptor currents that neurogen's checked model computes, stepped
// by exp_auto, to the analytic traces: g(t) = w·exp(−t/τ) and w·f·(exp(−t/τ2) − exp(−t/τ1)),
// f the normalisation that makes the peak w, with I = g·(E − V)/A, inward positive (NEURON's
// i = g·(v − e) is outward positive, in nA).
func TestSynapses(t *testing.T) {
	exp := importFile(t, "testdata/expsyn.mod")
	exp2 := importFile(t, "testdata/exp2syn.mod")
	for _, res := range []*importer.Result{exp, exp2} {
		if len(res.Receptors) != 1 || len(res.Channels) != 0 || len(res.Pools) != 0 {
			t.Fatalf("%d receptors, %d channels, %d pools; want one receptor", len(res.Receptors), len(res.Channels), len(res.Pools))
		}
	}
	if y := string(exp2.Receptors[0].YAML); !strings.Contains(y, `event: "A += w; B += w"`) {
		t.Errorf("Exp2Syn's event is not the increment of A and B by w:\n%s", y)
	}
	// Q has tau1 = tau2, which Exp2Syn's INITIAL moves to tau1 = 0.9999 tau2 (NEURON then runs
	// with that tau1): the receptor does too.
	m := synGroup(t, "  S: {use: ExpSyn.yaml, tau: 2 ms, e: -10 mV}\n  D: {use: Exp2Syn.yaml, tau1: 0.5 ms, tau2: 3 ms}\n"+
		"  Q: {use: Exp2Syn.yaml, tau1: 3 ms, tau2: 3 ms}\n", exp, exp2)
	const (
		V     = -65.0 // mV, clamped
		w     = 0.004 // uS
		area  = 2e-4  // cm2
		dt    = 0.025 // ms
		steps = 800
	)
	tau1, tau2 := 0.5, 3.0
	tp := tau1 * tau2 / (tau2 - tau1) * math.Log(tau2/tau1)
	f := 1 / (math.Exp(-tp/tau2) - math.Exp(-tp/tau1))
	q1, q2 := 0.9999*3, 3.0
	qp := q1 * q2 / (q2 - q1) * math.Log(q2/q1)
	qf := 1 / (math.Exp(-qp/q2) - math.Exp(-qp/q1))
	// uS·mV = nA; over the area in cm2, nA/cm2 = 1e-3 uA/cm2.
	want := map[string]func(t float64) float64{
		"S": func(t float64) float64 { return w * math.Exp(-t/2) * (-10 - V) * 1e-3 / area },
		"D": func(t float64) float64 {
			return w * f * (math.Exp(-t/tau2) - math.Exp(-t/tau1)) * (0 - V) * 1e-3 / area
		},
		"Q": func(t float64) float64 {
			return w * qf * (math.Exp(-t/q2) - math.Exp(-t/q1)) * (0 - V) * 1e-3 / area
		},
	}
	// Q's f·(B − A), f ≈ 3e4, loses digits to cancellation: it is held to 1e-9 of its peak.
	qPeak := w * (0 - V) * 1e-3 / area
	c, err := vclamp.New(m)
	if err != nil {
		t.Fatal(err)
	}
	// The event: each increment adds Scale·w, w in the receptor's internal unit.
	for _, r := range m.Receptors {
		if len(r.Events) == 0 {
			t.Fatalf("receptor %s: no increments (its event is %q)", r.Name, r.EventText)
		}
		us, _ := units.Parse("uS")
		wu, err := units.Parse(r.WeightUnit)
		if err != nil {
			t.Fatal(err)
		}
		for _, inc := range r.Events {
			c.Set(inc.State.Local, c.Value(inc.State.Local)+inc.Scale*w*us.Scale/wu.Scale)
		}
	}
	peak := 0.0
	for n := 0; n <= steps; n++ {
		c.Start(V, V)
		tn := float64(n) * dt
		for _, r := range m.Receptors {
			got, ref := c.Value(r.Current.Local), want[r.Name](tn)
			if tol := 1e-12 * math.Abs(ref); r.Name == "Q" && math.Abs(got-ref) > 1e-9*qPeak || r.Name != "Q" && math.Abs(got-ref) > tol {
				t.Fatalf("t = %g ms: receptor %s's current is %.17g uA/cm2, want %.17g (relative error %.2g)", tn, r.Name, got, ref, math.Abs(got-ref)/math.Abs(ref))
			}
			if r.Name == "D" {
				peak = max(peak, got/((0-V)*1e-3/area))
			}
		}
		// exp_auto's step of each receptor state, x + dt·exprel(dt·L)·f, from the step's start.
		next := map[string]float64{}
		for _, r := range m.Receptors {
			for _, st := range r.States {
				x, d, l := c.Value(st.Local), c.Value(st.Deriv.Local), c.Value(st.Linear.Local)
				next[st.Local] = x + dt*symbolic.Exprel(dt*l)*d
			}
		}
		for s, x := range next {
			c.Set(s, x)
		}
	}
	// The peak of Exp2Syn's conductance, sampled every 0.025 ms, is w to within the sampling.
	if peak > w*(1+1e-12) || peak < w*(1-1e-3) {
		t.Errorf("Exp2Syn's sampled peak conductance is %g uS, want %g", peak, w)
	}
}

// TestSynapseRefused: a POINT_PROCESS whose NET_RECEIVE keeps per-connection state (as
// tmgsyn.mod), initialises it, or sends events, and one whose dynamics are not linear and
// homogeneous in its states, are refused at their file:line:col, saying why.
func TestSynapseRefused(t *testing.T) {
	const head = "NEURON {\n\tPOINT_PROCESS syn\n\tNONSPECIFIC_CURRENT i\n}\nPARAMETER {\n\ttau = 2 (ms)\n\te = 0 (mV)\n}\n" +
		"ASSIGNED {\n\tv (mV)\n\ti (nA)\n}\nSTATE {\n\tg (uS)\n}\nBREAKPOINT {\n\tSOLVE state METHOD cnexp\n\ti = g*(v - e)\n}\n"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"per-connection", head + "DERIVATIVE state {\n\tg' = -g/tau\n}\n" +
			"NET_RECEIVE(weight (uS), x, tsyn (ms)) {\n\tINITIAL {\n\t\tx = 0\n\t\ttsyn = t\n\t}\n\tg = g + weight*x\n\tnet_send(1, 1)\n}\n",
			[]string{
				"syn.mod:23:26: NET_RECEIVE's x is per-connection state, which is not imported",
				"syn.mod:23:29: NET_RECEIVE's tsyn is per-connection state",
				"syn.mod:24:2: INITIAL in NET_RECEIVE initialises per-connection state, which is not imported",
				"syn.mod:29:2: net_send is not imported",
			}},
		{"nonlinear", head + "DERIVATIVE state {\n\tg' = -g*g/tau\n}\nNET_RECEIVE(weight (uS)) {\n\tg = g + weight\n}\n",
			[]string{"syn.mod:21:2: g' = -g * g / (tau / ms) is not linear in the states"}},
		{"drive", head + "DERIVATIVE state {\n\tg' = (1 - g)/tau\n}\nNET_RECEIVE(weight (uS)) {\n\tg = g + weight\n}\n",
			[]string{"syn.mod:21:2: g' = (1 - g) / (tau / ms) has a term without a state"}},
		{"time", head + "DERIVATIVE state {\n\tg' = -g/tau\n}\nNET_RECEIVE(weight (uS)) {\n\tg = g + weight*t\n}\n",
			[]string{"syn.mod:23:1: NET_RECEIVE's g uses t: a receptor's event may use the weight, its states and parameters"}},
		{"no NET_RECEIVE", head + "DERIVATIVE state {\n\tg' = -g/tau\n}\n",
			[]string{"syn.mod:2:2: POINT_PROCESS syn has no NET_RECEIVE block"}},
	} {
		_, err := importer.Import("syn.mod", []byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: errors\n%v\nwant one with %q", tc.name, err, w)
			}
		}
	}
}

// TestSaturatingEvent: an event that is not an increment of the weight times a factor (it
// depends on the state) is imported as an assignment, which neurogen applies per neuron.
func TestSaturatingEvent(t *testing.T) {
	src := "NEURON {\n\tPOINT_PROCESS sat\n\tNONSPECIFIC_CURRENT i\n}\nPARAMETER {\n\ttau = 2 (ms)\n\te = 0 (mV)\n\tgmax = 0.01 (uS)\n}\n" +
		"ASSIGNED {\n\tv (mV)\n\ti (nA)\n}\nSTATE {\n\tg (uS)\n}\nBREAKPOINT {\n\tSOLVE state METHOD cnexp\n\ti = g*(v - e)\n}\n" +
		"DERIVATIVE state {\n\tg' = -g/tau\n}\nNET_RECEIVE(weight (uS)) {\n\tg = g + weight*(gmax - g)/gmax\n}\n"
	res, err := importer.Import("sat.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := synGroup(t, "  S: {use: sat.yaml}\n", res)
	r := m.Receptors[0]
	if len(r.Events) != 0 || len(r.Assigns) != 1 {
		t.Fatalf("%d increments, %d assignments; want the event as one assignment", len(r.Events), len(r.Assigns))
	}
	// g = 0.004 uS, w = 0.005 uS: g + w (gmax - g)/gmax = 0.004 + 0.005·0.6 = 0.007 uS.
	us, _ := units.Parse("uS")
	wu, _ := units.Parse(r.WeightUnit)
	vals := map[string]float64{r.States[0].Local: 0.004 * us.Scale / wu.Scale, ir.EventWeight: 0.005 * us.Scale / wu.Scale}
	for _, p := range m.Params {
		vals[p.Local] = p.Default
	}
	got := symbolic.Eval(r.Assigns[0].Value, func(n string) float64 {
		v, ok := vals[n]
		if !ok {
			t.Fatalf("the event uses %s", n)
		}
		return v
	}) * wu.Scale / us.Scale
	if math.Abs(got-0.007) > 1e-15 {
		t.Errorf("g after the event is %g uS, want 0.007", got)
	}
}

// TestSynapseInitialParam: a PARAMETER that INITIAL raises (here a floor on tau, in units that
// start with a number, (0.1 ms)) is the value the receptor runs with. NEURON computes with
// NMODL's numbers: tau's is 10 after INITIAL (3 without it), so g' = -g/10 per ms.
func TestSynapseInitialParam(t *testing.T) {
	src := "NEURON {\n\tPOINT_PROCESS floor\n\tNONSPECIFIC_CURRENT i\n}\nPARAMETER {\n\ttau = 3 (0.1 ms)\n\te = 0 (mV)\n}\n" +
		"ASSIGNED {\n\tv (mV)\n\ti (nA)\n}\nSTATE {\n\tg (uS)\n}\nINITIAL {\n\tif (tau < 10) {\n\t\ttau = 10\n\t}\n\tg = 0\n}\n" +
		"BREAKPOINT {\n\tSOLVE state METHOD cnexp\n\ti = g*(v - e)\n}\nDERIVATIVE state {\n\tg' = -g/tau\n}\n" +
		"NET_RECEIVE(weight (uS)) {\n\tg = g + weight\n}\n"
	res, err := importer.Import("floor.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := synGroup(t, "  S: {use: floor.yaml}\n", res)
	c, err := vclamp.New(m)
	if err != nil {
		t.Fatal(err)
	}
	st := m.Receptors[0].States[0]
	c.Set(st.Local, 2)
	c.Start(-65, -65)
	if d := c.Value(st.Deriv.Local); math.Abs(d-(-0.2)) > 1e-12 {
		t.Errorf("dg/dt at g = 2 is %g per ms, want -0.2 (g/10)", d)
	}
}
