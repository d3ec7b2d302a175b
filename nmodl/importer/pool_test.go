package importer_test

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/govref"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/nmodl/export"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// faraday is NEURON 8's FARADAY (C/mol), CODATA 2018.
const faraday = 96485.33212

// leak is a channels section for a spec that the spec loader alone reads.
const leak = "channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\n"

// poolEntry returns the ion's entry of an imported pool (the lines under `ions:`), with extra
// fields appended, after checking that the pool is an ion file.
func poolEntry(t *testing.T, p importer.Pool, extra string) string {
	t.Helper()
	li, err := spec.LoadIon(p.Name+".yaml", p.YAML)
	if err != nil || li.Ion.Name.Value != p.Ion {
		t.Fatalf("%s.yaml is not an ion file of ion %s (%v):\n%s", p.Name, p.Ion, err, p.YAML)
	}
	return p.Entry() + extra
}

// poolRef evaluates the text of an ion's dynamics in spec (loaded by the spec loader alone)
// with govaluate, at the inner concentration ci (mM), the ion's current I (uA/cm2, inward
// positive) and V (mV), with the ion's parameters at their values.
func poolRef(t *testing.T, s *spec.Spec, ion string, ci, I, V float64) float64 {
	t.Helper()
	for _, in := range s.Ions {
		if in.Name.Value != ion {
			continue
		}
		sc := govref.NewScope(nil)
		for _, p := range in.Params {
			q, err := units.ParseQuantity(p.Value.Value)
			if err != nil {
				t.Fatal(err)
			}
			sc.Vals[p.Name.Value] = q.Value
		}
		sc.Vals[ion+"_i"], sc.Vals["I_"+ion] = ci, I
		v, err := govref.Eval(in.Dynamics.Src, sc, V)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Fatalf("no ion %s", ion)
	return 0
}

// concEnv is env with the ion's inner concentration at ci and its total current at I.
func concEnv(t *testing.T, m *ir.Model, ion string, ci, I, V float64) func(string) float64 {
	base := env(t, m, V)
	return func(n string) float64 {
		for _, in := range m.Ions {
			if in.Name == ion && in.State != nil && n == in.State.Local {
				return ci
			}
			if in.Name == ion && in.Current != nil && n == in.Current.Local && !math.IsNaN(I) {
				return I
			}
			if in.Current != nil && n == in.Current.Local {
				return symbolic.Eval(in.Current.Expr, concEnv(t, m, ion, ci, I, V))
			}
		}
		for _, ch := range m.Channels {
			if n == ch.Current.Local {
				return symbolic.Eval(ch.Current.Expr, concEnv(t, m, ion, ci, I, V))
			}
		}
		return base(n)
	}
}

func ionOf(t *testing.T, m *ir.Model, name string) *ir.Ion {
	t.Helper()
	for _, in := range m.Ions {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no ion %s", name)
	return nil
}

// TestPoolCad: cad.mod, a calcium pool that writes cai, becomes ion Ca's dynamics. In a cell
// with a GHK calcium channel that fills it (cal, writing ica) and an SK channel that reads cai,
// the group checks (units by neurogen's checker), [Ca]i is a state that starts at cainf, and
// its derivative, by govaluate from the spec's text and by neurogen, is cad.mod's formula at
// every sample, the influx rectified; I_Ca is cal's current, and SK's gate reads the pool's
// [Ca]i. A group whose ion takes the file with `use:` gets the same dynamics.
func TestPoolCad(t *testing.T) {
	cad := importFile(t, "../testdata/cad.mod")
	if len(cad.Channels) != 0 || len(cad.Pools) != 1 || cad.Pools[0].Name != "cad" || cad.Pools[0].Ion != "Ca" {
		t.Fatalf("cad.mod gives channels %v, pools %+v; want the pool cad of Ca", cad.Channels, cad.Pools)
	}
	cells := &importer.Result{}
	for _, f := range []string{"../testdata/ghk.mod", "../testdata/sk.mod"} {
		cells.Channels = append(cells.Channels, importFile(t, f).Channels...)
	}
	header := "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nparams: {T: 36 degC}\nions:\n" +
		poolEntry(t, cad.Pools[0], "    C_o: 2 mM\n") + "  K: {E: -90 mV}\n"
	m := group(t, cells, header)
	s, err := spec.Load("group.yaml", []byte("neurogen: 1\nmodel: Imported\n"+header+leak))
	if err != nil {
		t.Fatal(err)
	}

	ca := ionOf(t, m, "Ca")
	if ca.Dynamics != ir.Custom || ca.State == nil || len(ca.Channels) != 1 || ca.Channels[0].Name != "cal" {
		t.Fatalf("ion Ca: dynamics %v, state %v, channels %v; want custom dynamics filled by cal", ca.Dynamics, ca.State, ca.Channels)
	}
	if got := symbolic.Eval(ca.State.Init, env(t, m, -65)); got != 1e-4 {
		t.Errorf("[Ca]i starts at %g mM, want cainf = 1e-4", got)
	}
	// cad.mod by hand: ica (mA/cm2, outward) is -I/1000 for I in uA/cm2 inward.
	cadDeriv := func(cai, I float64) float64 {
		ica := -I / 1000
		drive := -10000 * ica / (2 * faraday * 0.1)
		if drive <= 0 {
			drive = 0
		}
		return drive + (100e-6-cai)/200
	}
	for _, cai := range []float64{1e-6, 1e-4, 3e-3} {
		for _, I := range []float64{-2, 0, 0.5, 40} {
			want := cadDeriv(cai, I)
			ref := poolRef(t, s, "Ca", cai, I, -20)
			got := symbolic.Eval(ca.State.Deriv.Expr, concEnv(t, m, "Ca", cai, I, -20))
			for what, v := range map[string]float64{"govaluate": ref, "neurogen": got} {
				if math.Abs(v-want) > 1e-12*math.Abs(want) {
					t.Errorf("[Ca]i = %g mM, I_Ca = %g uA/cm2: dCa_i/dt by %s = %.17g, cad.mod's %.17g", cai, I, what, v, want)
				}
			}
		}
	}
	// The same through `use:` of the file that import writes.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cad.yaml"), cad.Pools[0].YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	used, err := check.Load(filepath.Join(dir, "group.yaml"), []byte("neurogen: 1\nmodel: Used\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
		"ions:\n  Ca: {use: cad.yaml, C_o: 2 mM}\n"+leak), check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}
	if st := ionOf(t, used, "Ca").State; st == nil || symbolic.Eval(st.Init, env(t, used, -65)) != 1e-4 {
		t.Fatalf("use: cad.yaml: [Ca]i %+v", st)
	} else if got, want := symbolic.Eval(st.Deriv.Expr, concEnv(t, used, "Ca", 3e-4, 5, -20)), cadDeriv(3e-4, 5); math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("use: cad.yaml: dCa_i/dt = %.17g, want %.17g", got, want)
	}
	// I_Ca is cal's current: at V = -20 mV it flows inward and fills the pool.
	cai := 2e-4
	Ical := symbolic.Eval(m.Channels[0].Current.Expr, concEnv(t, m, "Ca", cai, math.NaN(), -20))
	if !(Ical > 0) {
		t.Fatalf("cal's current at -20 mV is %g, want inward (> 0)", Ical)
	}
	got := symbolic.Eval(ca.State.Deriv.Expr, concEnv(t, m, "Ca", cai, math.NaN(), -20))
	if want := cadDeriv(cai, Ical); math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("dCa_i/dt with cal's current %g = %.17g, want %.17g", Ical, got, want)
	}
	// SK's z.inf reads the pool's [Ca]i: 1/(1 + (kd/cai)^hill), cai floored at caimin.
	for _, cai := range []float64{1e-8, 4.3e-4, 2e-3} {
		c := math.Max(cai, 1e-7)
		want := 1 / (1 + math.Pow(0.00043/c, 4.8))
		var zinf *ir.Rate
		for _, r := range m.Rates {
			if r.Name == "sk.z.inf" {
				zinf = r
			}
		}
		if zinf == nil {
			t.Fatal("no rate sk.z.inf")
		}
		if got := symbolic.Eval(zinf.Stmt.Expr, concEnv(t, m, "Ca", cai, 0, -20)); math.Abs(got-want) > 1e-12 {
			t.Errorf("[Ca]i = %g mM: sk.z.inf = %.17g, want %.17g", cai, got, want)
		}
	}
}

// TestPoolRoundTrip: the exporter's pool (TC_Ca_pool.mod, detailed dynamics) imports back to
// the same dCa_i/dt as the original spec's at every sample, and the same initial [Ca]i, in a
// group with the other channels re-imported; its parameter C_i, which an ion's field is
// called, is renamed (with a note).
func TestPoolRoundTrip(t *testing.T) {
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
	for _, name := range []string{"TC_CaT.mod", "TC_Ca_pool.mod", "TC_L.mod", "TC_Na.mod"} {
		res, err := importer.Import(name, files[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		all.Channels = append(all.Channels, res.Channels...)
		all.Pools = append(all.Pools, res.Pools...)
		all.Notes = append(all.Notes, res.Notes...)
	}
	if len(all.Pools) != 1 || all.Pools[0].Name != "TC_Ca_pool" || len(all.Channels) != 3 {
		t.Fatalf("pools %+v, %d channels", all.Pools, len(all.Channels))
	}
	if !slices.Contains(all.Notes, "TC_Ca_pool.mod:27:2: C_i is called C_i_ in the spec (an ion's C_i means something else there)") {
		t.Errorf("no note of C_i's new name in %q", all.Notes)
	}
	header := "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nparams: {T: 36 degC}\nions:\n" +
		poolEntry(t, all.Pools[0], "    E: nernst\n    C_o: 2 mM\n")
	m := group(t, all, header)
	s, err := spec.Load("group.yaml", []byte("neurogen: 1\nmodel: Imported\n"+header+leak))
	if err != nil {
		t.Fatal(err)
	}
	want, got := ionOf(t, orig, "Ca").State, ionOf(t, m, "Ca").State
	if w, g := symbolic.Eval(want.Init, env(t, orig, -65)), symbolic.Eval(got.Init, env(t, m, -65)); g != w || w != 2.4e-4 {
		t.Errorf("[Ca]i starts at %g mM, the original at %g, want 2.4e-4", g, w)
	}
	for _, cai := range []float64{1e-6, 2.4e-4, 5e-3} {
		for _, I := range []float64{-3, 0, 0.25, 12} {
			w := symbolic.Eval(want.Deriv.Expr, concEnv(t, orig, "Ca", cai, I, -40))
			// detailed by hand: max(I/(2·F·d), 0) + (C_rest − C_i)/tau, d = 1 um = 1e-4 cm,
			// tau = 5 ms; uA/cm2 / (C/mol · cm) = 1e-6 mol/(s·cm3) = 1e-3 mM/ms.
			hand := math.Max(I*1e-3/(2*faraday*1e-4), 0) + (2.4e-4-cai)/5
			if math.Abs(w-hand) > 1e-12*math.Abs(hand) {
				t.Fatalf("[Ca]i = %g, I = %g: the original's dCa_i/dt = %.17g, by hand %.17g", cai, I, w, hand)
			}
			for what, v := range map[string]float64{
				"neurogen":  symbolic.Eval(got.Deriv.Expr, concEnv(t, m, "Ca", cai, I, -40)),
				"govaluate": poolRef(t, s, "Ca", cai, I, -40),
			} {
				if math.Abs(v-w) > 1e-12*math.Abs(w) {
					t.Errorf("[Ca]i = %g mM, I_Ca = %g uA/cm2: re-imported dCa_i/dt by %s = %.17g, the original's %.17g", cai, I, what, v, w)
				}
			}
		}
	}
}

// TestPoolRefused: what a pool needs, refused at its place: a written concentration that is
// not a STATE, an ion's current read by a channel, and a pool whose derivative uses another
// state; a pool without INITIAL starts at NEURON's cai0_ca_ion.
func TestPoolRefused(t *testing.T) {
	const head = "NEURON { SUFFIX p USEION ca READ ica WRITE cai }\nPARAMETER { tau = 10 (ms) }\n"
	for _, tc := range []struct{ src, want string }{
		{head + "ASSIGNED { cai (mM) ica (mA/cm2) }\nBREAKPOINT { cai = 1e-4 - ica }\n",
			"p.mod:1:44: USEION ca WRITE cai: only an ion pool whose cai is a STATE (with cai' in the solved DERIVATIVE block), or a copy of one (cai = ca), is imported"},
		{"NEURON { SUFFIX p USEION ca READ ica WRITE ica }\nPARAMETER { g = 1 (S/cm2) }\nBREAKPOINT { ica = g*(v - 50) }\n",
			"p.mod:1:34: USEION ca READ ica is imported only in an ion pool (a mechanism that writes cai): a channel does not see the ion's total current"},
		{head + "STATE { cai (mM) b }\nBREAKPOINT { SOLVE s METHOD cnexp }\nDERIVATIVE s {\n\tcai' = -ica*b/tau\n\tb' = (1 - b)/tau\n}\n",
			"p.mod:6:2: the dynamics of cai use the state b: a pool's derivative may use its concentration, the ion's current, v, celsius and parameters, not other states"},
		{head + "STATE { cai (mM) }\nINITIAL { cai = v*1e-6 }\nBREAKPOINT { SOLVE s METHOD cnexp }\nDERIVATIVE s { cai' = -ica/tau }\n",
			"p.mod:4:1: INITIAL sets cai to V / mV * 1e-06, which is not a constant: the ion's initial concentration C_i is a value"},
	} {
		_, err := importer.Import("p.mod", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s\ngot  %v\nwant %s", tc.src, err, tc.want)
		}
	}
	res, err := importer.Import("p.mod", []byte(head+"STATE { cai (mM) }\nBREAKPOINT { SOLVE s METHOD cnexp }\nDERIVATIVE s { cai' = -ica/tau }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if y := string(res.Pools[0].YAML); !strings.Contains(y, "\nC_i: 5e-05 mM # cai at the start, NEURON's cai0_ca_ion") {
		t.Errorf("C_i is not NEURON's cai0_ca_ion in\n%s", y)
	}
}

// TestPoolDecay: a pool of the CaDynamics_E2 form (the free fraction gamma of the influx into a
// shell of depth depth, decay to minCai; no INITIAL, FARADAY in coulombs) imports with [Ca]i
// starting at NEURON's cai0_ca_ion and its derivative as written.
func TestPoolDecay(t *testing.T) {
	src := `NEURON {
	SUFFIX CaDecay
	USEION ca READ ica WRITE cai
	RANGE decay, gamma, minCai, depth
}
UNITS {
	(mA) = (milliamp)
	FARADAY = (faraday) (coulombs)
	(molar) = (1/liter)
	(mM) = (millimolar)
	(um) = (micron)
}
PARAMETER {
	gamma = 0.05 : free fraction
	decay = 80 (ms)
	depth = 0.1 (um)
	minCai = 1e-4 (mM)
}
ASSIGNED { ica (mA/cm2) }
STATE { cai (mM) }
BREAKPOINT { SOLVE states METHOD cnexp }
DERIVATIVE states {
	cai' = -(10000)*(ica*gamma/(2*FARADAY*depth)) - (cai - minCai)/decay
}
`
	res, err := importer.Import("decay.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	header := "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n" + poolEntry(t, res.Pools[0], "")
	m := group(t, res, header)
	s, err := spec.Load("group.yaml", []byte("neurogen: 1\nmodel: Imported\n"+header+leak))
	if err != nil {
		t.Fatal(err)
	}
	st := ionOf(t, m, "Ca").State
	if got := symbolic.Eval(st.Init, env(t, m, -65)); got != 5e-5 {
		t.Errorf("[Ca]i starts at %g mM, want NEURON's cai0_ca_ion 5e-5", got)
	}
	for _, cai := range []float64{1e-5, 1e-4, 2e-3} {
		for _, I := range []float64{-1, 0, 3} {
			ica := -I / 1000 // mA/cm2, outward
			want := -10000*(ica*0.05/(2*faraday*0.1)) - (cai-1e-4)/80
			for what, v := range map[string]float64{
				"neurogen":  symbolic.Eval(st.Deriv.Expr, concEnv(t, m, "Ca", cai, I, -65)),
				"govaluate": poolRef(t, s, "Ca", cai, I, -65),
			} {
				if math.Abs(v-want) > 1e-12*math.Abs(want) {
					t.Errorf("[Ca]i = %g mM, I_Ca = %g uA/cm2: dCa_i/dt by %s = %.17g, want %.17g", cai, I, what, v, want)
				}
			}
		}
	}
}

// TestPoolCopy: a pool whose STATE is ca, copied into cai (cai = ca in the DERIVATIVE block and
// in INITIAL, as in Mainen and Sejnowski's cad.mod), imports as cad.mod does.
func TestPoolCopy(t *testing.T) {
	src, err := os.ReadFile("../testdata/cad.mod")
	if err != nil {
		t.Fatal(err)
	}
	cp := string(src)
	for _, r := range [][2]string{
		{"\tcai (mM) <1e-5>\n", "\tca (mM) <1e-5>\n"},
		{"\tcai = cainf\n", "\tca = cainf\n\tcai = ca\n"},
		{"\tcai' = drive_channel + (cainf - cai)/taur\n", "\tca' = drive_channel + (cainf - ca)/taur\n\tcai = ca\n"},
	} {
		if !strings.Contains(cp, r[0]) {
			t.Fatalf("cad.mod has no %q", r[0])
		}
		cp = strings.Replace(cp, r[0], r[1], 1)
	}
	res, err := importer.Import("cad.mod", []byte(cp))
	if err != nil {
		t.Fatal(err)
	}
	orig := importFile(t, "../testdata/cad.mod")
	line := func(y []byte, prefix string) string {
		for _, l := range strings.Split(string(y), "\n") {
			if strings.HasPrefix(l, prefix) {
				l, _, _ = strings.Cut(l, " #")
				return l
			}
		}
		t.Fatalf("no line %q in\n%s", prefix, y)
		return ""
	}
	for _, f := range []string{"dynamics: ", "C_i: "} {
		if got, want := line(res.Pools[0].YAML, f), line(orig.Pools[0].YAML, f); got != want {
			t.Errorf("%s\nwant %s", got, want)
		}
	}
	if !slices.Contains(res.Notes, "cad.mod:39:2: cai = ca: the pool's concentration is the STATE ca") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestPoolExportBack: cad.mod's pool, imported into a group, exports to NMODL (its rectified
// influx as max) and imports back to the same dCa_i/dt at every sample: import and export are
// inverse for pools both ways.
func TestPoolExportBack(t *testing.T) {
	cad := importFile(t, "../testdata/cad.mod")
	if y := string(cad.Pools[0].YAML); !strings.Contains(y, "dynamics: \"(max(") {
		t.Errorf("the rectified influx is not a max:\n%s", y)
	}
	header := "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n" + poolEntry(t, cad.Pools[0], "    E: 120 mV\n")
	m := group(t, &importer.Result{}, header)
	m.SpecFile = "cadgroup.yaml"
	files, err := export.Files(m)
	if err != nil {
		t.Fatal(err)
	}
	const pool = "Imported_Ca_pool.mod"
	back, err := importer.Import(pool, files[pool])
	if err != nil {
		t.Fatalf("%v\n%s", err, files[pool])
	}
	m2 := group(t, &importer.Result{}, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n"+poolEntry(t, back.Pools[0], "    E: 120 mV\n"))
	want, got := ionOf(t, m, "Ca").State, ionOf(t, m2, "Ca").State
	if w, g := symbolic.Eval(want.Init, env(t, m, -65)), symbolic.Eval(got.Init, env(t, m2, -65)); g != w {
		t.Errorf("[Ca]i starts at %g mM, before the round trip at %g", g, w)
	}
	for _, cai := range []float64{1e-6, 2e-4} {
		for _, I := range []float64{-1, 0, 7} {
			w := symbolic.Eval(want.Deriv.Expr, concEnv(t, m, "Ca", cai, I, -65))
			g := symbolic.Eval(got.Deriv.Expr, concEnv(t, m2, "Ca", cai, I, -65))
			if math.Abs(g-w) > 1e-12*math.Abs(w) {
				t.Errorf("[Ca]i = %g mM, I_Ca = %g uA/cm2: dCa_i/dt = %.17g after the round trip, %.17g before", cai, I, g, w)
			}
		}
	}
}

// TestScaledUnitParam: a parameter whose units start with a number (Traub's phi, in
// (100/coulomb meter)) keeps its value (52 of those units is 5200 1/(C*m)), and expressions
// read NMODL's number, 52.
func TestScaledUnitParam(t *testing.T) {
	src := `NEURON { SUFFIX tcad USEION ca READ ica WRITE cai RANGE phi, beta }
PARAMETER {
	phi = 52 (100/coulomb meter)
	beta = 0.02 (/ms)
}
STATE { cai (mM) }
INITIAL { cai = 0 }
BREAKPOINT { SOLVE s METHOD cnexp }
DERIVATIVE s { cai' = -phi*ica*1e-3 - beta*cai }
`
	res, err := importer.Import("tcad.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if y := string(res.Pools[0].YAML); !strings.Contains(y, "\nphi: {value: 5200 1/(C*m)}\n") {
		t.Errorf("phi is not 5200 1/(C*m) in\n%s", y)
	}
	header := "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n" + poolEntry(t, res.Pools[0], "")
	m := group(t, res, header)
	s, err := spec.Load("group.yaml", []byte("neurogen: 1\nmodel: Imported\n"+header+leak))
	if err != nil {
		t.Fatal(err)
	}
	st := ionOf(t, m, "Ca").State
	for _, I := range []float64{-2, 0, 3} {
		const cai = 1e-4
		want := -52*(-I/1000)*1e-3 - 0.02*cai
		for what, v := range map[string]float64{
			"neurogen":  symbolic.Eval(st.Deriv.Expr, concEnv(t, m, "Ca", cai, I, -65)),
			"govaluate": poolRef(t, s, "Ca", cai, I, -65),
		} {
			if math.Abs(v-want) > 1e-12*math.Abs(want) {
				t.Errorf("I_Ca = %g uA/cm2: dCa_i/dt by %s = %.17g, want %.17g", I, what, v, want)
			}
		}
	}
}
