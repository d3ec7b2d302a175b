package importer_test

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/nmodl/export"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/symbolic"
)

// importFile imports a .mod file of testdata and fails the test on an error.
func importFile(t *testing.T, file string) *importer.Result {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Import(file, src)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return res
}

// group checks a group spec that uses every imported channel (by name, from a library of
// them; a leak when there is none) with the given header (membrane, params, ions), and
// returns its model.
func group(t *testing.T, res *importer.Result, header string) *ir.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	var b strings.Builder
	b.WriteString("neurogen: 1\nmodel: Imported\n" + header + "channels:\n")
	for _, c := range res.Channels {
		fsys[c.Name+".yaml"] = &fstest.MapFile{Data: c.YAML}
		fmt.Fprintf(&b, "  %s: {use: %s}\n", c.Name, c.Name)
	}
	if len(res.Channels) == 0 { // a group needs one
		b.WriteString("  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\n")
	}
	lib := library.New(fsys, ".", "imported")
	m, err := check.Load("group.yaml", []byte(b.String()), check.Options{Library: lib, Unoptimized: true})
	if err != nil {
		for _, c := range res.Channels {
			t.Logf("%s.yaml:\n%s", c.Name, c.YAML)
		}
		t.Fatal(err)
	}
	return m
}

// rate evaluates the rate function called name ("hh_ina.m.alpha") of m at V (mV), with the
// parameters at their defaults.
func rate(t *testing.T, m *ir.Model, name string, V float64) float64 {
	t.Helper()
	for _, r := range m.Rates {
		if r.Name == name {
			return symbolic.Eval(r.Stmt.Expr, env(t, m, V))
		}
	}
	var names []string
	for _, r := range m.Rates {
		names = append(names, r.Name)
	}
	t.Fatalf("no rate %s among %v", name, names)
	return 0
}

func env(t *testing.T, m *ir.Model, V float64) func(string) float64 {
	var f func(string) float64
	f = func(n string) float64 {
		for _, r := range m.Rates {
			if r.Stmt.Local == n {
				return symbolic.Eval(r.Stmt.Expr, f)
			}
		}
		if n == "V" {
			return V
		}
		if n == "t" {
			return 50 // ms
		}
		for _, s := range m.States {
			if s.Local == n && s.Kind == ir.Gate {
				return 0.3 // a gate's value, for its derivative
			}
		}
		for _, p := range m.Params {
			if p.Local == n || p.Name == n {
				return p.Default
			}
		}
		t.Fatalf("unknown symbol %s", n)
		return 0
	}
	return f
}

// TestHH: nmodl/testdata/hh.mod (NEURON's hh.mod) imports as three channels that pass the
// checker, whose rates are the published HH52 formulas (modern convention, q10 = 3 from 6.3
// degC) at 6.3 and at 36 degC.
func TestHH(t *testing.T) {
	res := importFile(t, "../testdata/hh.mod")
	for _, T := range []float64{6.3, 36} {
		m := group(t, res, fmt.Sprintf(`membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: %g degC}
ions:
  Na: {E: 50 mV}
  K: {E: -77 mV}
`, T))
		q10 := math.Pow(3, (T-6.3)/10)
		vtrap := func(x, y float64) float64 { return x / (math.Exp(x/y) - 1) }
		for _, V := range []float64{-100, -65.5, -39.9, -20, 0, 30.25} {
			am, bm := 0.1*vtrap(-(V+40), 10), 4*math.Exp(-(V+65)/18)
			ah, bh := 0.07*math.Exp(-(V+65)/20), 1/(math.Exp(-(V+35)/10)+1)
			an, bn := 0.01*vtrap(-(V+55), 10), 0.125*math.Exp(-(V+65)/80)
			want := map[string]float64{
				"hh_ina.m.inf": am / (am + bm), "hh_ina.m.tau": 1 / (q10 * (am + bm)),
				"hh_ina.h.inf": ah / (ah + bh), "hh_ina.h.tau": 1 / (q10 * (ah + bh)),
				"hh_ik.n.inf": an / (an + bn), "hh_ik.n.tau": 1 / (q10 * (an + bn)),
			}
			for name, w := range want {
				if got := rate(t, m, name, V); math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
					t.Errorf("T = %g degC, V = %g mV: %s = %.17g, want %.17g", T, V, name, got, w)
				}
			}
		}
	}
}

// TestRoundTrip: the channels of the exporter's golden spec, exported to NMODL and imported
// back, check as a group whose rates equal the original's at every V tried (to 1e-12): an
// alpha/beta channel with a removable singularity (exprel), and an inf/tau one with a
// piecewise time constant and temperature factors.
func TestRoundTrip(t *testing.T) {
	const file = "../export/testdata/thalamic.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := check.Load(file, src, check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}
	files, err := export.Files(orig)
	if err != nil {
		t.Fatal(err)
	}
	all := &importer.Result{}
	for name, b := range files {
		if strings.HasSuffix(name, "_pool.mod") {
			continue // an ion pool, not a channel
		}
		res, err := importer.Import(name, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		all.Channels = append(all.Channels, res.Channels...)
	}
	slices.SortFunc(all.Channels, func(a, b importer.Channel) int { return strings.Compare(a.Name, b.Name) })
	m := group(t, all, `membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 36 degC}
ions:
  Ca: {E: nernst, C_i: 2.4e-4 mM, C_o: 2 mM, dynamics: detailed}
`)
	if len(orig.Rates) != 8 || len(m.Rates) != len(orig.Rates) {
		t.Fatalf("%d rates, re-imported %d, want 8", len(orig.Rates), len(m.Rates))
	}
	for _, r := range orig.Rates {
		for _, V := range []float64{-120, -83, -80.5, -65, -40, -39.999, 0, 12.5, 60} {
			w := symbolic.Eval(r.Stmt.Expr, env(t, orig, V))
			got := rate(t, m, "TC_"+r.Name, V)
			if math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("V = %g mV: %s = %.17g, re-imported %.17g", V, r.Name, w, got)
			}
		}
	}
	// The derivatives, with the temperature factors, at a gate value of 0.3.
	gates := 0
	for _, s := range orig.States {
		if s.Kind != ir.Gate {
			continue
		}
		gates++
		var imp *ir.State
		for _, s2 := range m.States {
			if s2.Name == "TC_"+s.Name {
				imp = s2
			}
		}
		if imp == nil {
			t.Fatalf("no state TC_%s", s.Name)
		}
		for _, V := range []float64{-100, -65, -20, 30} {
			w := symbolic.Eval(s.Deriv.Expr, env(t, orig, V))
			got := symbolic.Eval(imp.Deriv.Expr, env(t, m, V))
			if math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("V = %g mV: d%s/dt = %.17g, re-imported %.17g", V, s.Name, w, got)
			}
		}
	}
	if gates != 4 {
		t.Errorf("%d gates, want 4", gates)
	}
}

// TestRefused: constructs that the importer does not map are refused all at once, each at its
// file:line:col (testdata/refused.golden).
func TestRefused(t *testing.T) {
	const file = "testdata/refused.mod"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = importer.Import(file, src)
	if err == nil {
		t.Fatal("no error")
	}
	want, err2 := os.ReadFile("testdata/refused.golden")
	if err2 != nil {
		t.Fatal(err2)
	}
	if got := err.Error() + "\n"; got != string(want) {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}

// TestKinetic: a gate whose equation is of neither HH form becomes a kinetic gate, its
// derivative and INITIAL's value kept, and the current is turned inward positive in uA/cm2.
func TestKinetic(t *testing.T) {
	res := importFile(t, "testdata/kin.mod")
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	var x *ir.State
	for _, s := range m.States {
		if s.Name == "kin.x" {
			x = s
		}
	}
	if x == nil || x.Gate == nil || x.Gate.Form != ir.Kinetic {
		t.Fatalf("no kinetic gate kin.x: %+v", x)
	}
	for _, V := range []float64{-80, -30, 10} {
		want := 0.2*math.Exp(V/20)*0.7*0.7 - 0.05*0.3
		if got := symbolic.Eval(x.Deriv.Expr, env(t, m, V)); math.Abs(got-want) > 1e-12 {
			t.Errorf("V = %g mV: dx/dt = %.17g, want %.17g", V, got, want)
		}
		// gbar 0.01 S/cm2 = 10 mS/cm2: I = -10 x (V - E) uA/cm2.
		wantI := -10 * 0.3 * (V + 90)
		if got := symbolic.Eval(m.Channels[0].Current.Expr, env(t, m, V)); math.Abs(got-wantI) > 1e-9 {
			t.Errorf("V = %g mV: I = %.17g, want %.17g", V, got, wantI)
		}
	}
	if got := symbolic.Eval(x.Init, env(t, m, -65)); math.Abs(got-0.8) > 1e-15 {
		t.Errorf("x starts at %g, want 0.8", got)
	}
}

// TestTooLarge: an expression that inlining doubles past the limit is an error at its
// assignment, not a hang.
func TestTooLarge(t *testing.T) {
	src := "NEURON { SUFFIX big NONSPECIFIC_CURRENT i }\nPARAMETER { g = 1 (S/cm2) }\nBREAKPOINT {\n\tLOCAL x\n\tx = v\n" +
		strings.Repeat("\tx = x + x\n", 40) + "\ti = g*x\n}\n"
	_, err := importer.Import("big.mod", []byte(src))
	if err == nil || !strings.HasPrefix(err.Error(), "big.mod:18:2: the expression is too large once PROCEDUREs and FUNCTIONs are inlined") {
		t.Fatalf("got %v", err)
	}
	// Each branch within the limit, the merged c ? a : b past it: an error at the if.
	src = "NEURON { SUFFIX big NONSPECIFIC_CURRENT i }\nPARAMETER { g = 1 (S/cm2) }\nBREAKPOINT {\n\tLOCAL x\n\tx = v\n" +
		strings.Repeat("\tx = x + x\n", 12) + "\tif (v > 0) { x = x + 1 }\n\ti = g*x\n}\n"
	_, err = importer.Import("big.mod", []byte(src))
	if err == nil || err.Error() != "big.mod:18:2: the expression is too large once PROCEDUREs and FUNCTIONs are inlined (over 20000 operations)" {
		t.Fatalf("got %v", err)
	}
}

// TestRenamed: a parameter or state named as something a spec gives a meaning (the group's
// temperature T, the unit K, the key ion) is renamed, and the rates still read the right one.
func TestRenamed(t *testing.T) {
	src := `NEURON { SUFFIX ren NONSPECIFIC_CURRENT i RANGE T, K }
PARAMETER {
	g = 0.001 (S/cm2)
	T = 22 (degC)
	K = 3
}
STATE { ion }
BREAKPOINT {
	SOLVE s METHOD cnexp
	i = g*ion*(v + 70)
}
DERIVATIVE s { ion' = (1/(1 + exp(-v/10)) - ion)/K^((celsius - T)/10) }
`
	res, err := importer.Import("ren.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nparams: {T: 32 degC}\n")
	for _, V := range []float64{-40, 5} {
		if got, want := rate(t, m, "ren.ion_.inf", V), 1/(1+math.Exp(-V/10)); math.Abs(got-want) > 1e-12 {
			t.Errorf("V = %g: inf = %g, want %g", V, got, want)
		}
		if got := rate(t, m, "ren.ion_.tau", V); math.Abs(got-3) > 1e-12 {
			t.Errorf("V = %g: tau = %g ms, want 3 (K**((32 - 22)/10))", V, got)
		}
	}
}

// TestTooManySteps: FUNCTIONs that each call the one before twice would execute 2^30 bodies
// once inlined; the importer stops at its limit with an error instead.
func TestTooManySteps(t *testing.T) {
	var b strings.Builder
	b.WriteString("NEURON { SUFFIX deep NONSPECIFIC_CURRENT i }\nPARAMETER { g = 1 (S/cm2) }\nBREAKPOINT {\n\ti = g*f30(v)\n}\nFUNCTION f0(x) {\n\tf0 = 0\n}\n")
	for k := 1; k <= 30; k++ {
		fmt.Fprintf(&b, "FUNCTION f%d(x) {\n\tf%d = f%d(x) - f%d(x)\n}\n", k, k, k-1, k-1)
	}
	_, err := importer.Import("deep.mod", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), ": inlining PROCEDUREs and FUNCTIONs executes more than 100000 statements") {
		t.Fatalf("got %v", err)
	}
}

// TestScheme: a KINETIC scheme's reactions become the derivatives of kinetic gates (each
// state's inflow minus outflow), starting where INITIAL sets them; CONSERVE is dropped with a
// note.
func TestScheme(t *testing.T) {
	res := importFile(t, "testdata/scheme.mod")
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	states := map[string]*ir.State{}
	for _, s := range m.States {
		states[s.Name] = s
	}
	for _, V := range []float64{-80, -20, 15} {
		a, b := 0.12*math.Exp(0.03*V), 0.04*math.Exp(-0.02*V)
		const x = 0.3 // every gate, in env
		for n, want := range map[string]float64{
			"scheme.C1": -(2*a*x - b*x),
			"scheme.C2": (2*a*x - b*x) - (a*x - 2*b*x),
			"scheme.O":  a*x - 2*b*x,
		} {
			s := states[n]
			if s == nil || s.Gate == nil || s.Gate.Form != ir.Kinetic {
				t.Fatalf("%s is not a kinetic gate", n)
			}
			if got := symbolic.Eval(s.Deriv.Expr, env(t, m, V)); math.Abs(got-want) > 1e-12 {
				t.Errorf("V = %g mV: d%s/dt = %.17g, want %.17g", V, n, got, want)
			}
		}
	}
	for n, want := range map[string]float64{"scheme.C1": 1, "scheme.C2": 0, "scheme.O": 0} {
		if got := symbolic.Eval(states[n].Init, env(t, m, -65)); got != want {
			t.Errorf("%s starts at %g, want %g", n, got, want)
		}
	}
	if !slices.ContainsFunc(res.Notes, func(s string) bool { return strings.Contains(s, "CONSERVE dropped") }) {
		t.Errorf("no note of CONSERVE in %q", res.Notes)
	}
}

// TestInitialNote: an INITIAL that starts an HH-form gate elsewhere than at its steady state
// gets a note (neurogen starts it there); hh.mod's, which starts every gate there, gets none.
func TestInitialNote(t *testing.T) {
	src, err := os.ReadFile("../testdata/hh.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{string(src), nil},
		{strings.Replace(string(src), "\tm = minf\n", "\tm = 0\n", 1), []string{"hh.mod:63:1: INITIAL sets m otherwise than to its steady state; neurogen starts it at its steady state"}},
	} {
		res, err := importer.Import("hh.mod", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range res.Notes {
			if strings.Contains(n, "INITIAL") {
				got = append(got, n)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("notes %q, want %q", got, tc.want)
		}
	}
}

// TestAssignedInDerivative: BREAKPOINT reads what the solved DERIVATIVE block's PROCEDURE
// assigned (ASSIGNED variables keep their values in NEURON, and SOLVE runs first).
func TestAssignedInDerivative(t *testing.T) {
	src := `NEURON { SUFFIX ad NONSPECIFIC_CURRENT i }
PARAMETER { gbar = 0.002 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) ninf ntau (ms) gmax (S/cm2) }
STATE { n }
BREAKPOINT {
	SOLVE states METHOD cnexp
	i = gmax*n*(v + 80)*exp(-t/100)
}
DERIVATIVE states {
	rates(v)
	n' = (ninf - n)/ntau
}
PROCEDURE rates(v (mV)) {
	ninf = 1/(1 + exp(-(v + 30)/8))
	ntau = 4
	gmax = 2*gbar
}
`
	res, err := importer.Import("ad.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\n")
	for _, V := range []float64{-70, 0} {
		// 2*gbar = 4 mS/cm2, n = 0.3, t = 50 ms, inward positive.
		want := -4 * 0.3 * (V + 80) * math.Exp(-0.5)
		if got := symbolic.Eval(m.Channels[0].Current.Expr, env(t, m, V)); math.Abs(got-want) > 1e-9 {
			t.Errorf("V = %g mV: I = %.17g, want %.17g", V, got, want)
		}
	}
}

// TestNEURONForgives: what NEURON accepts and the importer maps as NEURON runs it: a PARAMETER
// without a value (0, with a note), an ion variable declared in a PARAMETER block before the
// NEURON block, a LOCAL of the whole file (read as ASSIGNED), and a number as a condition
// (if (adj), tested against 0).
func TestNEURONForgives(t *testing.T) {
	src := `LOCAL unused, q
PARAMETER {
	ek (mV)
	gbar = 0.002 (S/cm2)
	adj
	shift (mV)
}
NEURON { SUFFIX fg USEION k READ ek WRITE ik RANGE adj, shift }
STATE { n }
BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gbar*n*(v - ek)
}
DERIVATIVE states {
	q = 1/(1 + exp(-(v - shift + 30)/8))
	if (adj) { q = q/2 }
	if (!adj && gbar) { q = q + 0 }
	n' = (q - n)/4
}
`
	res, err := importer.Import("fg.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{
		"fg.mod:1:1: LOCAL of the whole file: its variables are read as ASSIGNED ones",
		"fg.mod:5:2: PARAMETER adj has no value: it is 0, as in NEURON (give it the value the model's hoc sets)",
		"fg.mod:6:2: PARAMETER shift has no value: it is 0, as in NEURON (give it the value the model's hoc sets)",
	} {
		if !slices.Contains(res.Notes, n) {
			t.Errorf("no note %q in %q", n, res.Notes)
		}
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	for _, V := range []float64{-60, -30, 0} {
		// adj = 0: q is not halved; shift = 0.
		if got, want := rate(t, m, "fg.n.inf", V), 1/(1+math.Exp(-(V+30)/8)); math.Abs(got-want) > 1e-12 {
			t.Errorf("V = %g mV: n.inf = %.17g, want %.17g", V, got, want)
		}
	}
	// With adj = 1 (the spec's parameter set), q is halved.
	m2 := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	for _, p := range m2.Params {
		if p.Name == "fg.adj" {
			p.Default = 1
		}
	}
	if got, want := rate(t, m2, "fg.n.inf", -30), 0.25; math.Abs(got-want) > 1e-12 {
		t.Errorf("adj = 1, V = -30 mV: n.inf = %.17g, want %g", got, want)
	}
}

// TestInitialOnly: a variable that INITIAL alone assigns, from parameters and the temperature
// (a q10 factor), keeps that value in the DERIVATIVE block, as in NEURON; one that INITIAL
// computes from v does not (it would be v's initial value), and its read is refused.
func TestInitialOnly(t *testing.T) {
	src := `NEURON { SUFFIX ihq NONSPECIFIC_CURRENT i RANGE gbar }
PARAMETER {
	gbar = 1e-4 (S/cm2)
	eh = -40 (mV)
	q10 = 3
}
ASSIGNED { phi i (mA/cm2) hinf htau (ms) }
STATE { h }
BREAKPOINT {
	SOLVE states METHOD cnexp
	i = gbar*h*(v - eh)
}
INITIAL {
	phi = q10^((celsius - 36)/10)
	rates(v)
	h = hinf
}
DERIVATIVE states {
	rates(v)
	h' = (hinf - h)/htau
}
PROCEDURE rates(v (mV)) {
	hinf = 1/(1 + exp((v + 75)/5.5))
	htau = 100/phi
}
`
	res, err := importer.Import("ihq.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if n := "ihq.mod:13:1: phi keeps the value that INITIAL assigns it, as in NEURON (it does not change)"; !slices.Contains(res.Notes, n) {
		t.Errorf("no note %q in %q", n, res.Notes)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nparams: {T: 30 degC}\n")
	if got, want := rate(t, m, "ihq.h.tau", -70), 100/math.Pow(3, (30.0-36)/10); math.Abs(got-want) > 1e-12*want {
		t.Errorf("h.tau = %.17g ms, want %.17g", got, want)
	}
	_, err = importer.Import("ihq.mod", []byte(strings.Replace(src, "phi = q10^((celsius - 36)/10)", "phi = v/10", 1)))
	if err == nil || !strings.Contains(err.Error(), "ihq.mod:24:13: phi: no value") {
		t.Errorf("got %v", err)
	}
}

// TestMethods: SOLVE ... METHOD euler and runge (as derivimplicit) are integrated by the
// group's method, with a note; other methods are refused at the method.
func TestMethods(t *testing.T) {
	src, err := os.ReadFile("../testdata/cad.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"euler", "runge"} {
		res, err := importer.Import("cad.mod", []byte(strings.Replace(string(src), "METHOD derivimplicit", "METHOD "+m, 1)))
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if n := "cad.mod:47:21: SOLVE state METHOD " + m + ": integrated by the group's method"; !slices.Contains(res.Notes, n) {
			t.Errorf("no note %q in %q", n, res.Notes)
		}
	}
	_, err = importer.Import("cad.mod", []byte(strings.Replace(string(src), "METHOD derivimplicit", "METHOD adams", 1)))
	if err == nil || err.Error() != "cad.mod:47:21: METHOD adams is not imported (only cnexp, derivimplicit, euler and runge, and sparse for KINETIC)" {
		t.Errorf("got %v", err)
	}
}

// TestAlphaBetaPhi: Wang and Buzsaki's h' = phi*(ah*(1 - h) - bh*h) (wbna.mod) imports as an
// alpha/beta gate with the factor phi, not a kinetic gate: its rates are the published ones,
// its derivative is phi times the HH one, and it starts at its steady state without a note
// (INITIAL sets h to ah/(ah + bh)). Written with phi last and the factors of each product
// swapped, it classifies the same way.
func TestAlphaBetaPhi(t *testing.T) {
	for _, deriv := range []string{"phi*(ah(v)*(1 - h) - bh(v)*h)", "((1 - h)*ah(v) - h*bh(v))*phi"} {
		src, err := os.ReadFile("../testdata/ref/wbna.mod")
		if err != nil {
			t.Fatal(err)
		}
		mod := strings.Replace(string(src), "phi*(ah(v)*(1 - h) - bh(v)*h)", deriv, 1)
		res, err := importer.Import("wbna.mod", []byte(mod))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Notes {
			if strings.Contains(n, "INITIAL") {
				t.Errorf("%s: note %q", deriv, n)
			}
		}
		m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  Na: {E: 55 mV}\n")
		var h *ir.State
		for _, s := range m.States {
			if s.Name == "wbna.h" {
				h = s
			}
		}
		if h == nil || h.Gate == nil || h.Gate.Form != ir.AlphaBeta {
			t.Fatalf("%s: wbna.h is %+v, want an alpha/beta gate", deriv, h)
		}
		for _, V := range []float64{-90, -58, -28, 0, 20} {
			ah, bh := 0.07*math.Exp(-(V+58)/20), 1/(math.Exp(-0.1*(V+28))+1)
			want := map[string]float64{"wbna.h.alpha": ah, "wbna.h.beta": bh}
			for name, w := range want {
				if got := rate(t, m, name, V); math.Abs(got-w) > 1e-14*w {
					t.Errorf("%s: V = %g mV: %s = %.17g, want %.17g", deriv, V, name, got, w)
				}
			}
			wantD := 5 * (ah*(1-0.3) - bh*0.3)
			if got := symbolic.Eval(h.Deriv.Expr, env(t, m, V)); math.Abs(got-wantD) > 1e-13*math.Abs(wantD) {
				t.Errorf("%s: V = %g mV: dh/dt = %.17g, want %.17g", deriv, V, got, wantD)
			}
			if got, w := symbolic.Eval(h.Init, env(t, m, V)), ah/(ah+bh); math.Abs(got-w) > 1e-14 {
				t.Errorf("%s: V = %g mV: h starts at %.17g, want %.17g", deriv, V, got, w)
			}
		}
	}
}

// TestDoc: the channel's doc is the file's TITLE, its COMMENT blocks and the line comments on
// lines of their own that head it (a reference, as Hay's files give theirs), in source
// order, consecutive lines one paragraph and an empty comment a break; comments inside a
// block, after a block on its line, or after the first block of code (a section's label)
// stay out (a PARAMETER's trailing comment is its doc).
func TestDoc(t *testing.T) {
	const src = `: Reference : Kole, Hallermann and Stuart, J. Neurosci. 2006
: shifted -10 mV for the junction potential
:
: Comment: q10 = 2.3
TITLE leak with a doc

COMMENT
A leak.
ENDCOMMENT
: after the COMMENT
NEURON { : not doc
	SUFFIX lk
	NONSPECIFIC_CURRENT i
} : not doc either
: parameters, a section's label
PARAMETER {
	: inside a block
	g = 0.001 (S/cm2) : the conductance
}
ASSIGNED { v (mV) i (mA/cm2) }
BREAKPOINT { i = g*(v + 70) }
: the end
`
	res, err := importer.Import("lk.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\n")
	want := strings.Join([]string{
		"Reference : Kole, Hallermann and Stuart, J. Neurosci. 2006\nshifted -10 mV for the junction potential",
		"Comment: q10 = 2.3",
		"leak with a doc",
		"A leak.",
		"after the COMMENT",
		"Imported from lk.mod by neurogen (NEURON's outward-positive currents in mA/cm2 turned inward positive).",
	}, "\n\n")
	if got := strings.TrimSuffix(m.Channels[0].Doc, "\n"); got != want {
		t.Errorf("doc:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(string(res.Channels[0].YAML), `g: {value: 0.001 S/cm2, doc: "the conductance"}`) {
		t.Errorf("the parameter's doc is lost:\n%s", res.Channels[0].YAML)
	}
}

// TestVtrapSingular: the two vtrap helpers of published files, NEURON's hh.mod's
// `if (fabs(x/y) < 1e-6) {vtrap = y*(1 - x/y/2)} else {vtrap = x/(exp(x/y) - 1)}` and the plain
// `x/(exp(x/y) - 1)`, give a rate that the checked model evaluates without 0/0 at the
// singular V (-40 mV), and accurately next to it, where the plain quotient loses most of its
// digits: neurogen's singularity rewriting (exprel) sees through the inlined helper.
func TestVtrapSingular(t *testing.T) {
	const mod = `NEURON { SUFFIX vt NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { m }
BREAKPOINT { SOLVE s METHOD cnexp  i = g*m*(v + 70) }
INITIAL { m = 0 }
DERIVATIVE s { m' = 0.1*vtrap(-(v + 40), 10)*(1 - m) - 4*exp(-(v + 65)/18)*m }
FUNCTION vtrap(x, y) {
	VTRAP
}
`
	for _, body := range []string{
		"if (fabs(x/y) < 1e-6) {vtrap = y*(1 - x/y/2)} else {vtrap = x/(exp(x/y) - 1)}",
		"vtrap = x/(exp(x/y) - 1)",
	} {
		res, err := importer.Import("vt.mod", []byte(strings.Replace(mod, "VTRAP", body, 1)))
		if err != nil {
			t.Fatal(err)
		}
		m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\n")
		for _, V := range []float64{-40, -40 + 1e-12, -40 - 1e-9, -40 + 2e-5, -39.9, 0} {
			x := -(V + 40)
			want := 1.0 // 0.1*vtrap(0, 10)
			if x != 0 {
				want = 0.1 * x / math.Expm1(x/10)
			}
			if got := rate(t, m, "vt.m.alpha", V); !(math.Abs(got-want) <= 1e-11*want) {
				t.Errorf("%s: V = %.15g mV: alpha = %.17g, want %.17g", body, V, got, want)
			}
		}
	}
}

// TestRecursionRefused: a FUNCTION that calls itself, and two that call each other, are
// refused at the recursive call, together with the file's other refusals, each once, in one
// list in source order.
func TestRecursionRefused(t *testing.T) {
	const src = `NEURON { SUFFIX rec NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
BREAKPOINT { i = g*(fact(3) + ping(v) + ping(v + 1) + nope(v))*(v + 70) }
FUNCTION fact(n) {
	if (n <= 1) { fact = 1 } else { fact = n*fact(n - 1) }
}
FUNCTION ping(x) { ping = pong(x) }
FUNCTION pong(x) { pong = 1 + ping(x/2) }
`
	_, err := importer.Import("rec.mod", []byte(src))
	want := strings.Join([]string{
		"rec.mod:4:55: call of nope: neither a PROCEDURE or FUNCTION of the file nor a function neurogen has",
		"rec.mod:6:43: recursive call of fact is not imported",
		"rec.mod:9:31: recursive call of ping is not imported",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
}

// TestCelsiusAndRange: hh.mod's q10 reads celsius, so the import notes, at that celsius (not
// at the TABLE's DEPEND celsius), that a group declares T, NEURON's default 6.3 degC where
// the model's hoc sets none; a group without T is refused by the checker with an error that
// names T. A file whose rates do not read celsius has no such note. PARAMETER ranges such as
// `<0,1e9>` join the parameter's doc.
func TestCelsiusAndRange(t *testing.T) {
	const file = "../testdata/hh.mod"
	res := importFile(t, file)
	note := file + ":85:12: celsius is the group's temperature T: a group that uses these specs declares it, `params: {T: 6.3 degC}` (NEURON's default celsius) unless the model's hoc sets celsius"
	if !slices.Contains(res.Notes, note) {
		t.Errorf("notes %q lack %q", res.Notes, note)
	}
	if !strings.Contains(string(res.Channels[0].YAML), "gnabar: {value: 0.12 S/cm2, doc: \"NEURON's range <0, 1e+09>\"}\n") {
		t.Errorf("gnabar's range is lost:\n%s", res.Channels[0].YAML)
	}
	fsys := fstest.MapFS{"hh_ina.yaml": {Data: res.Channels[0].YAML}}
	_, err := check.Load("group.yaml", []byte("neurogen: 1\nmodel: NoT\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  Na: {E: 50 mV}\nchannels:\n  Na: {use: hh_ina}\n"),
		check.Options{Library: library.New(fsys, ".", "imported"), Unoptimized: true})
	if err == nil || !strings.Contains(err.Error(), "undefined: `T` (the temperature: declare it under `params:`") {
		t.Errorf("a group without T: got %v, want an error that names T", err)
	}

	res = importFile(t, "testdata/kin.mod")
	for _, n := range res.Notes {
		if strings.Contains(n, "celsius") {
			t.Errorf("kin.mod does not read celsius: note %q", n)
		}
	}
}

// TestInline: an imported channel spec's fields (the lines after `channel:`), pasted under a
// group spec's `channels: NAME:`, give the model that `use:` of the file gives: the same
// rates, and the same gate derivatives, at every V tried.
func TestInline(t *testing.T) {
	res := importFile(t, "../testdata/hh.mod")
	const header = "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nparams: {T: 6.3 degC}\nions:\n  Na: {E: 50 mV}\n  K: {E: -77 mV}\n"
	used := group(t, res, header)
	var b strings.Builder
	b.WriteString("neurogen: 1\nmodel: Imported\n" + header + "channels:\n")
	for _, c := range res.Channels {
		_, body, ok := strings.Cut(string(c.YAML), "\nchannel: "+c.Name+"\n")
		if !ok {
			t.Fatalf("%s.yaml has no channel: line:\n%s", c.Name, c.YAML)
		}
		fmt.Fprintf(&b, "  %s:\n", c.Name)
		for _, l := range strings.SplitAfter(body, "\n") {
			if strings.TrimSpace(l) != "" {
				l = "    " + l
			}
			b.WriteString(l)
		}
	}
	inline, err := check.Load("inline.yaml", []byte(b.String()), check.Options{Unoptimized: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(inline.Rates) != len(used.Rates) || len(inline.States) != len(used.States) || len(used.Rates) == 0 {
		t.Fatalf("inline: %d rates, %d states; with use: %d, %d", len(inline.Rates), len(inline.States), len(used.Rates), len(used.States))
	}
	for _, V := range []float64{-90, -40, -12.5, 30} {
		for _, r := range used.Rates {
			if got, want := rate(t, inline, r.Name, V), rate(t, used, r.Name, V); got != want {
				t.Errorf("V = %g mV: %s = %.17g inline, %.17g with use:", V, r.Name, got, want)
			}
		}
		gates := 0
		for i, s := range used.States {
			if s.Kind != ir.Gate {
				continue
			}
			gates++
			got, want := symbolic.Eval(inline.States[i].Deriv.Expr, env(t, inline, V)), symbolic.Eval(s.Deriv.Expr, env(t, used, V))
			if inline.States[i].Name != s.Name || got != want {
				t.Errorf("V = %g mV: d%s/dt = %.17g inline, d%s/dt = %.17g with use:", V, inline.States[i].Name, got, s.Name, want)
			}
		}
		if gates != 3 {
			t.Errorf("%d gates, want m, h and n", gates)
		}
	}
}

// TestRoundTripStock: import(export(spec)) of every stock channel (the group of
// tools/reference/nmodl/stock.yaml, which nmodl/export's TestNEURONClamp runs against NEURON)
// gives back the original's rates and gate derivatives at every V tried, to 1e-12.
func TestRoundTripStock(t *testing.T) {
	const file = "../../tools/reference/nmodl/stock.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := check.Load(file, src, check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}
	files, err := export.Files(orig)
	if err != nil {
		t.Fatal(err)
	}
	all := &importer.Result{}
	for name, b := range files {
		res, err := importer.Import(name, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		all.Channels = append(all.Channels, res.Channels...)
	}
	slices.SortFunc(all.Channels, func(a, b importer.Channel) int { return strings.Compare(a.Name, b.Name) })
	header, _, _ := strings.Cut(string(src), "channels:\n")
	_, header, _ = strings.Cut(header, "membrane:")
	m := group(t, all, "membrane:"+header)
	if len(orig.Channels) < 20 || len(m.Channels) != len(orig.Channels) || len(m.Rates) != len(orig.Rates) {
		t.Fatalf("%d channels and %d rates, re-imported %d and %d", len(orig.Channels), len(orig.Rates), len(m.Channels), len(m.Rates))
	}
	for _, r := range orig.Rates {
		for _, V := range []float64{-120, -83, -65, -40, -39.999, 0, 12.5, 60} {
			w := symbolic.Eval(r.Stmt.Expr, env(t, orig, V))
			got := rate(t, m, "Stock_"+r.Name, V)
			if math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("V = %g mV: %s = %.17g, re-imported %.17g", V, r.Name, w, got)
			}
		}
	}
	for _, s := range orig.States {
		if s.Kind != ir.Gate {
			continue
		}
		var imp *ir.State
		for _, s2 := range m.States {
			if s2.Name == "Stock_"+s.Name {
				imp = s2
			}
		}
		if imp == nil {
			t.Errorf("no state Stock_%s", s.Name)
			continue
		}
		for _, V := range []float64{-100, -65, -20, 30} {
			w := symbolic.Eval(s.Deriv.Expr, env(t, orig, V))
			got := symbolic.Eval(imp.Deriv.Expr, env(t, m, V))
			if math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("V = %g mV: d%s/dt = %.17g, re-imported %.17g", V, s.Name, w, got)
			}
		}
	}
}

// TestGateDoc: a STATE's trailing comment becomes its gate's doc where it is the only name
// declared on its line; a comment after two names documents neither.
func TestGateDoc(t *testing.T) {
	const src = `NEURON { SUFFIX gd NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE {
	m : activation
	h n : two on a line
}
BREAKPOINT { SOLVE s METHOD cnexp  i = g*m*h*n*(v + 70) }
DERIVATIVE s {
	m' = (1/(1 + exp(-v/10)) - m)/2
	h' = (1/(1 + exp(v/10)) - h)/5
	n' = (1/(1 + exp(-v/20)) - n)/9
}
`
	res, err := importer.Import("gd.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\n")
	docs := map[string]string{}
	for _, s := range m.States {
		if s.Kind == ir.Gate {
			docs[s.Name] = s.Doc
		}
	}
	if want := map[string]string{"gd.m": "activation", "gd.h": "", "gd.n": ""}; !maps.Equal(docs, want) {
		t.Errorf("gate docs %q, want %q", docs, want)
	}
}
