package export_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/vclamp"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/nmodl/export"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/symbolic"
)

const receptorSpec = `neurogen: 1
model: Rec
membrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -65 mV}
channels:
  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}
receptors:
  E: {use: ExpCond, tau: 3 ms}
  F: {use: Exp2Cond, tau_rise: 0.5 ms, tau_decay: 4 ms, E: -10 mV}
  G: {use: AlphaCond, tau: 2 ms, E: -80 mV}
  H:
    tau: 6 ms
    gmax: 2 nS
    E: 0 mV
    states:
      g: {deriv: -g/tau, unit: nS}
    current: g*(E - V)
    event: g += w*(gmax - g)/gmax
  K: {use: AMPA}
`

// TestReceptorRoundTrip exports the linear receptors of a group (ExpCond, Exp2Cond, AlphaCond,
// whose events add the weight, and one that saturates, whose event is an assignment) as
// POINT_PROCESSes, imports the files back, and holds the imported receptors' currents after
// one event, stepped by exp_auto under voltage clamp, to the original's within 1e-12 relative
// at every step; the kinetic AMPA receptor is not exported, and a note says why.
func TestReceptorRoundTrip(t *testing.T) {
	orig := load(t, "rec.yaml", []byte(receptorSpec))
	files, err := export.Files(orig)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["Rec_K.mod"]; ok {
		t.Error("the kinetic receptor K was exported")
	}
	notes := strings.Join(export.Notes(orig), "\n")
	if !strings.Contains(notes, "receptor K is not exported: it is kinetic") {
		t.Errorf("notes %q do not say why K is not exported", notes)
	}
	src := string(files["Rec_E.mod"])
	for _, want := range []string{"POINT_PROCESS Rec_E", "NONSPECIFIC_CURRENT i", "g (uS)", "i = g * (v - E)", "g' = -g / tau", "NET_RECEIVE(weight (uS))", "g = g + weight"} {
		if !strings.Contains(src, want) {
			t.Errorf("Rec_E.mod lacks %q:\n%s", want, src)
		}
	}

	dir := t.TempDir()
	var group strings.Builder
	group.WriteString("neurogen: 1\nmodel: Back\nmembrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -65 mV}\n" +
		"channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\nreceptors:\n")
	for _, r := range []string{"E", "F", "G", "H"} {
		name := "Rec_" + r
		res, err := importer.Import(name+".mod", files[name+".mod"])
		if err != nil {
			t.Fatalf("%s.mod:\n%s\n%v", name, files[name+".mod"], err)
		}
		if len(res.Receptors) != 1 {
			t.Fatalf("%s.mod gives %d receptors", name, len(res.Receptors))
		}
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), res.Receptors[0].YAML, 0o666); err != nil {
			t.Fatal(err)
		}
		group.WriteString("  " + r + ": {use: " + name + ".yaml}\n")
	}
	back, err := check.Load(filepath.Join(dir, "back.yaml"), []byte(group.String()), check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}

	const (
		V     = -50.0
		w     = 0.003 // mS, neurogen's internal unit of a conductance (3 nS)
		dt    = 0.025
		steps = 600
	)
	type run struct {
		c   *vclamp.Clamp
		rec map[string]*ir.ReceptorInfo
	}
	start := func(m *ir.Model) run {
		c, err := vclamp.New(m)
		if err != nil {
			t.Fatal(err)
		}
		r := run{c: c, rec: map[string]*ir.ReceptorInfo{}}
		for _, ri := range m.Receptors {
			r.rec[ri.Name] = ri
			if ri.WeightUnit != "" && ri.WeightUnit != "mS" && ri.Kinetic == nil {
				t.Fatalf("%s: weight in %s, want mS", ri.Name, ri.WeightUnit)
			}
			for _, inc := range ri.Events {
				c.Set(inc.State.Local, c.Value(inc.State.Local)+inc.Scale*w)
			}
			for _, a := range ri.Assigns {
				v := symbolic.Eval(a.Value, func(n string) float64 {
					if n == ir.EventWeight {
						return w
					}
					return c.Value(n)
				})
				c.Set(a.State.Local, v)
			}
		}
		return r
	}
	a, b := start(orig), start(back)
	for n := 0; n <= steps; n++ {
		for _, r := range []run{a, b} {
			r.c.Start(V, V)
		}
		for _, name := range []string{"E", "F", "G", "H"} {
			ga, gb := a.c.Value(a.rec[name].Current.Local), b.c.Value(b.rec[name].Current.Local)
			if ga == 0 && n > 0 {
				t.Fatalf("receptor %s: no current at step %d", name, n)
			}
			if math.Abs(ga-gb) > 1e-12*math.Abs(ga) {
				t.Fatalf("step %d: receptor %s's current is %.17g uA/cm2 imported back, %.17g in the original", n, name, gb, ga)
			}
		}
		for _, r := range []run{a, b} {
			next := map[string]float64{}
			for _, ri := range r.rec {
				if ri.Kinetic != nil {
					continue
				}
				for _, st := range ri.States {
					// The unoptimised model has no ∂(dx/dt)/∂x statement: differentiate.
					x, d := r.c.Value(st.Local), r.c.Value(st.Deriv.Local)
					l := symbolic.Eval(symbolic.Differentiate(st.Deriv.Expr, st.Local, nil), r.c.Value)
					next[st.Local] = x + dt*symbolic.Exprel(dt*l)*d
				}
			}
			for s, x := range next {
				r.c.Set(s, x)
			}
		}
	}
}
