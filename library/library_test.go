package library_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/govref"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/parser"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// stock is what each channel of the library is, by hand: the ion its current carries, its
// gates with their forms, whether it reads the group's temperature T, and which ions of the
// group it reads (E_X, X_i). It covers BrainPy's library (2.2–2.4.6) by name.
var stock = []struct {
	name        string
	ion         string // "" for none
	gates       string // NAME:FORM, in file order
	temperature bool   // reads the group's T
	reads       string // ions it reads: "Ca", "K" or ""
}{
	{"IAHP_De1994", "K", "p:inf/tau", false, "Ca"},
	{"ICaHT_HM1992", "Ca", "p:inf/tau q:inf/tau", true, "Ca"},
	{"ICaHT_Re1993", "Ca", "p:alpha/beta q:alpha/beta", true, "Ca"},
	{"ICaL_IS2008", "Ca", "p:inf/tau q:inf/tau", true, "Ca"},
	{"ICaN_IS2008", "", "p:inf/tau", false, "Ca"},
	{"ICaT_HM1992", "Ca", "p:inf/tau q:inf/tau", true, "Ca"},
	{"ICaT_HP1992", "Ca", "p:inf/tau q:inf/tau", true, "Ca"},
	{"IKA1_HM1992", "K", "p:inf/tau q:inf/tau", false, ""},
	{"IKA2_HM1992", "K", "p:inf/tau q:inf/tau", false, ""},
	{"IKDR_Ba2002", "K", "p:alpha/beta", true, ""},
	{"IKK2A_HM1992", "K", "p:inf/tau q:inf/tau", false, ""},
	{"IKK2B_HM1992", "K", "p:inf/tau q:inf/tau", false, ""},
	{"IKL", "K", "", false, ""},
	{"IKNI_Ya1989", "K", "p:inf/tau", false, ""},
	{"IK_HH1952", "K", "p:alpha/beta", false, ""},
	{"IK_Leak", "K", "", false, "K"},
	{"IK_TM1991", "K", "p:alpha/beta", false, ""},
	{"IL", "", "", false, ""},
	{"INa_Ba2002", "Na", "p:alpha/beta q:alpha/beta", true, ""},
	{"INa_HH1952", "Na", "p:alpha/beta q:alpha/beta", false, ""},
	{"INa_TM1991", "Na", "p:alpha/beta q:alpha/beta", false, ""},
	{"Ih_De1996", "", "P1:kinetic O:kinetic O_L:kinetic", true, "Ca"},
	{"Ih_HM1992", "", "p:inf/tau", false, ""},
}

// harness returns a spec whose one channel X uses the stock channel name, with the group's
// temperature T when withT and the ions listed in ions: Ca with detailed dynamics (its reversal
// potential by Nernst when T is there), K with a fixed reversal potential.
func harness(name string, withT bool, ions string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "neurogen: 1\nmodel: %s\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n", name)
	if withT {
		b.WriteString("params: {T: 36 degC}\n")
	}
	if ions != "" {
		b.WriteString("ions:\n")
	}
	if strings.Contains(ions, "Ca") {
		e := "120 mV"
		if withT {
			e = "nernst"
		}
		fmt.Fprintf(&b, "  Ca: {E: %s, C_i: 2.4e-4 mM, dynamics: detailed}\n", e)
	}
	if strings.Contains(ions, "K") {
		b.WriteString("  K: {E: -90 mV}\n")
	}
	fmt.Fprintf(&b, "channels:\n  X: {use: %s}\n", name)
	return b.String()
}

// checkSpec loads and checks the spec text src.
func checkSpec(name, src string) (*ir.Model, error) {
	s, err := spec.Load(name, []byte(src))
	if err != nil {
		return nil, err
	}
	return check.Check(s, check.Options{Package: strings.ToLower(name)})
}

// TestFiles: Names lists exactly the files of channels/, and each loads, under its own name.
func TestFiles(t *testing.T) {
	entries, err := os.ReadDir("channels")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || e.IsDir() {
			t.Errorf("channels/%s is not a channel file (NAME.yaml)", e.Name())
			continue
		}
		files = append(files, name)
	}
	if got := library.Stock.Names(); !slices.Equal(got, files) {
		t.Errorf("Names() = %v\nthe files are %v", got, files)
	}
	for _, name := range files {
		src, err := os.ReadFile(filepath.Join("channels", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if embedded, ok := library.Stock.Source(name); !ok || string(embedded) != string(src) {
			t.Errorf("Source(%q) is not the file channels/%s.yaml", name, name)
		}
		lc, err := spec.LoadChannel(library.Stock.File(name), src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := lc.Channel.Name.Value; got != name {
			t.Errorf("channels/%s.yaml names its channel %s", name, got)
		}
		if c, err := library.Stock.Channel(name); err != nil || c == nil {
			t.Errorf("Stock.Channel(%q) = %v, %v", name, c, err)
		}
	}
	if c, err := library.Stock.Channel("INa_HH"); c != nil || err != nil {
		t.Errorf("Stock.Channel(%q) = %v, %v; want nil, nil", "INa_HH", c, err)
	}
}

// TestCoverage: the library has every channel of BrainPy's (and the table above describes
// every channel of the library).
func TestCoverage(t *testing.T) {
	var want []string
	for _, s := range stock {
		want = append(want, s.name)
	}
	slices.Sort(want)
	if got := library.Stock.Names(); !slices.Equal(got, want) {
		t.Errorf("the library has %v\nwant %v", got, want)
	}
}

// TestDocs: every channel has a doc whose first line is a summary, which gives its equations
// and a reference; every parameter has a value with a unit (or none, when dimensionless) and
// a doc.
func TestDocs(t *testing.T) {
	reference := regexp.MustCompile(`(?m)^Reference: [A-Z][^()]+ \((19|20)\d\d\) .+`)
	for _, name := range library.Stock.Names() {
		c, err := library.Stock.Channel(name)
		if err != nil {
			t.Fatal(err)
		}
		ch := c.Channel
		doc := strings.TrimSpace(ch.Doc)
		first, _, _ := strings.Cut(doc, "\n")
		// `neurogen channels` lists the first line: a sentence of its own.
		if !strings.HasSuffix(first, ".") || len(first) > 100 {
			t.Errorf("%s: the first line of its doc, %q, should be a one-line summary (a sentence of at most 100 bytes)", name, first)
		}
		if !strings.Contains(doc, name) {
			t.Errorf("%s: its doc does not name BrainPy's class", name)
		}
		if !reference.MatchString(doc) {
			t.Errorf("%s: its doc names no reference (a line `Reference: Authors (year) …`)", name)
		}
		if !strings.Contains(doc, "I = ") {
			t.Errorf("%s: its doc does not give the current `I = …`", name)
		}
		if !strings.Contains(doc, "efault") {
			t.Errorf("%s: its doc does not give the defaults", name)
		}
		for _, p := range ch.Params {
			if strings.TrimSpace(p.Doc) == "" {
				t.Errorf("%s: parameter %s has no doc", name, p.Name.Value)
			}
			// A quantity, or a default computed from the other parameters (a temperature
			// factor that a value replaces).
			if _, err := units.ParseQuantity(p.Value.Value); err != nil {
				if _, perr := parser.Parse(p.Value.Value); perr != nil {
					t.Errorf("%s: parameter %s = %s: %v", name, p.Name.Value, p.Value.Value, err)
				}
			}
			// The doc states the defaults: every parameter is named there.
			if !strings.Contains(doc, p.Name.Value) {
				t.Errorf("%s: its doc does not mention parameter %s", name, p.Name.Value)
			}
		}
		for _, g := range ch.Gates {
			if !strings.Contains(doc, g.Name.Value) {
				t.Errorf("%s: its doc does not mention gate %s", name, g.Name.Value)
			}
		}
	}
}

// TestTable: each channel carries the ion, and has the gates, that the table says.
func TestTable(t *testing.T) {
	for _, s := range stock {
		c, err := library.Stock.Channel(s.name)
		if err != nil || c == nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		ion := ""
		if c.Channel.Ion != nil {
			ion = c.Channel.Ion.Value
		}
		if ion != s.ion {
			t.Errorf("%s carries ion %q, want %q", s.name, ion, s.ion)
		}
		var gates []string
		for _, g := range c.Channel.Gates {
			gates = append(gates, g.Name.Value+":"+gateForm(g))
		}
		if got := strings.Join(gates, " "); got != s.gates {
			t.Errorf("%s has gates %q, want %q", s.name, got, s.gates)
		}
	}
}

func gateForm(g *spec.Gate) string {
	switch {
	case g.Alpha != nil:
		return "alpha/beta"
	case g.Deriv != nil:
		return "kinetic"
	case g.Tau != nil:
		return "inf/tau"
	case g.Inf != nil:
		return "inf"
	}
	return "?"
}

// TestHarness: every channel, alone in a group with the temperature and ions it needs, passes
// the checker; without T a channel that reads it fails, and so does one without an ion it
// reads; and no channel declares T itself (it is the group's).
func TestHarness(t *testing.T) {
	for _, s := range stock {
		t.Run(s.name, func(t *testing.T) {
			if _, err := checkSpec(s.name, harness(s.name, s.temperature, s.reads)); err != nil {
				t.Fatalf("with T = %v and ions %q:\n%v", s.temperature, s.reads, err)
			}
			_, err := checkSpec(s.name, harness(s.name, false, s.reads))
			switch {
			case s.temperature && err == nil:
				t.Errorf("checks without the group's T: does it read T?")
			case s.temperature && !strings.Contains(err.Error(), "`T`"):
				t.Errorf("without the group's T: %v; want an error about `T`", err)
			case !s.temperature && err != nil:
				t.Errorf("without the group's T: %v", err)
			}
			if s.reads != "" {
				_, err := checkSpec(s.name, harness(s.name, s.temperature, ""))
				if err == nil || !strings.Contains(err.Error(), "no ion `"+s.reads+"`") {
					t.Errorf("without ion %s: %v; want an error about the missing ion", s.reads, err)
				}
			}
			c, _ := library.Stock.Channel(s.name)
			for _, p := range c.Channel.Params {
				if p.Name.Value == "T" {
					t.Errorf("declares a parameter T: the temperature is the group's")
				}
			}
		})
	}
}

// TestOverride: a parameter given beside `use:` replaces the stock default, and per_neuron
// makes it one value per neuron; the checker's model says so (the generated code is checked
// in TestGenerated).
func TestOverride(t *testing.T) {
	m, err := checkSpec("Override", overrideSpec)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		value     float64
		perNeuron bool
	}{
		"X.g_max": {100, false},
		"X.V_sh":  {-40, true},
		"X.E":     {-90, false}, // not overridden: the stock default
		"X.phi":   {1, false},
	}
	seen := 0
	for _, p := range m.Params {
		w, ok := want[p.Name]
		if !ok {
			continue
		}
		seen++
		if p.Default != w.value || p.PerNeuron != w.perNeuron {
			t.Errorf("%s = %v, per neuron %v; want %v, %v", p.Name, p.Default, p.PerNeuron, w.value, w.perNeuron)
		}
	}
	if seen != len(want) {
		t.Errorf("the model has %d of the parameters %v", seen, want)
	}
}

// overrideSpec overrides two parameters of IK_HH1952, one of them per neuron.
const overrideSpec = `neurogen: 1
model: Override
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  X:
    use: IK_HH1952
    g_max: 100 mS/cm2
    V_sh: {value: -40 mV, per_neuron: true}
`

// TestIhDe1996Scheme: the kinetic equations of Ih_De1996 are those of its scheme C <-> O,
// O + P1 <-> O_L, so that C + O + O_L = 1 is kept: the locking flux k3 P1 O - k4 O_L leaves O
// as it enters O_L, and what O and O_L gain together is what C = 1 - O - O_L loses to O. Its
// `init` is the steady state of the equations. (BrainPy's dO/dt lacks the locking flux.)
func TestIhDe1996Scheme(t *testing.T) {
	c, err := library.Stock.Channel("Ih_De1996")
	if err != nil {
		t.Fatal(err)
	}
	group := &govref.Scope{Vals: map[string]float64{"T": 309.15}}
	sc := govref.NewScope(group)
	for _, p := range c.Channel.Params {
		q, err := units.ParseQuantity(p.Value.Value)
		if err != nil {
			t.Fatal(err)
		}
		sc.Vals[p.Name.Value] = q.Value
	}
	for _, d := range c.Channel.Defs {
		sc.Defs[d.Name.Value] = d.Expr.Src
	}
	deriv, init := map[string]string{}, map[string]string{}
	for _, g := range c.Channel.Gates {
		deriv[g.Name.Value], init[g.Name.Value] = g.Deriv.Src, g.Init.Src
	}
	eval := func(text string, V float64) float64 {
		t.Helper()
		x, err := govref.Eval(text, sc, V)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, st := range []struct{ V, Ca, O, OL, P1 float64 }{
		{-90, 2e-3, 0.3, 0.6, 0.5}, {-60, 2.4e-4, 0.1, 0.2, 0.9}, {-40, 1e-2, 0.05, 0.9, 0.2},
	} {
		group.Vals["Ca_i"] = st.Ca
		sc.Vals["O"], sc.Vals["O_L"], sc.Vals["P1"] = st.O, st.OL, st.P1
		a, b := eval("alpha", st.V), eval("beta", st.V)
		lock := eval("k3*P1*O - k4*O_L", st.V)
		dO, dOL := eval(deriv["O"], st.V), eval(deriv["O_L"], st.V)
		if d := govref.RelDiff(dOL, lock); d > 1e-12 {
			t.Errorf("%+v: dO_L/dt = %v, the locking flux is %v", st, dOL, lock)
		}
		if want := a*(1-st.O-st.OL) - b*st.O; govref.RelDiff(dO+dOL, want) > 1e-12 {
			t.Errorf("%+v: dO/dt + dO_L/dt = %v, want the flux from C, %v", st, dO+dOL, want)
		}
		// The initial state is at rest.
		for _, g := range []string{"P1", "O", "O_L"} {
			sc.Vals[g] = eval(init[g], st.V)
		}
		for _, g := range []string{"P1", "O", "O_L"} {
			if r := eval(deriv[g], st.V); math.Abs(r) > 1e-15 {
				t.Errorf("%+v: at the initial state d%s/dt = %v, want 0", st, g, r)
			}
		}
		if s := sc.Vals["O"] + sc.Vals["O_L"]; !(s > 0 && s < 1) {
			t.Errorf("%+v: O + O_L = %v at the initial state", st, s)
		}
	}
}
