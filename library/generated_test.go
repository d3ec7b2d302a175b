package library_test

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/govref"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/units"
)

// wantPoles are the removable singularities of the library's rates at their defaults, by
// channel and rate, derived by hand from the formulas: a rate k·x/(1 − exp(−x/s)) (or
// k·x/(exp(x/s) − 1)) is 0/0 where x = 0, with u = V − V_sh.
var wantPoles = map[string]map[string]float64{
	"INa_Ba2002": {
		"X.p.alpha": -37, // u − 13 = 0 with V_sh = −50 mV
		"X.p.beta":  -10, // u − 40 = 0
	},
	"INa_TM1991": {
		"X.p.alpha": -50, // 13 − u = 0 with V_sh = −63 mV
		"X.p.beta":  -23, // u − 40 = 0
	},
	"INa_HH1952":   {"X.p.alpha": -40}, // u − 5 = 0 with V_sh = −45 mV
	"IKDR_Ba2002":  {"X.p.alpha": -35}, // u − 15 = 0 with V_sh = −50 mV
	"IK_TM1991":    {"X.p.alpha": -45}, // 15 − u = 0 with V_sh = −60 mV
	"IK_HH1952":    {"X.p.alpha": -55}, // u + 10 = 0 with V_sh = −45 mV
	"ICaHT_Re1993": {"X.p.alpha": -27}, // −27 − u = 0 with V_sh = 0 mV
	// The override group: IK_HH1952 with V_sh = −40 mV (per neuron).
	"Override": {"X.p.alpha": -50},
	// The alias group: IKDR_Ba2002 with V_sh = VT = −40 mV.
	"Alias": {"X.p.alpha": -25},
}

// The potentials (mV) at which every generated rate is compared with its spec text: a grid
// over [−100, 60] mV, 0.123 mV off the whole and half millivolts, so at least 0.123 mV from
// every pole (all of which lie on whole millivolts).
const (
	gridFrom = -100 + 0.123
	gridStep = 0.5
	gridN    = 321
)

func gridV(k int) float64 { return gridFrom + gridStep*float64(k) }

// mainProgram steps each group and reports, as JSON, its parameters, its rates (their poles,
// their values there and on the grid, from a fresh group of one neuron) and any problem: a
// state that is not finite, or a gate outside [0, 1], during 1000 steps of 0.025 ms of 4
// neurons with inputs of 0, 1, 2 and 3 uA/cm2.
const mainProgram = `package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/neurogen/neurogen/runtime"
%s)

var groups = []struct {
	name string
	new  func(n int) runtime.Group
}{
%s}

type rateReport struct {
	Name, Expr string
	Poles      []float64
	AtPoles    []string
	Grid       []string
}

type report struct {
	Name      string
	Params    []runtime.Param
	PerNeuron map[string][]float64
	Rates     []rateReport
	Problems  []string
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func main() {
	var reports []report
	for _, gr := range groups {
		r := report{Name: gr.name, PerNeuron: map[string][]float64{}}
		one := gr.new(1)
		m := one.Model()
		r.Params = m.Params
		dst := make([]float64, len(m.Rates))
		for k, rate := range m.Rates {
			rr := rateReport{Name: rate.Name, Expr: rate.Expr, Poles: rate.Poles}
			for _, V := range rate.Poles {
				one.Rates(0, V, dst)
				rr.AtPoles = append(rr.AtPoles, num(dst[k]))
			}
			for i := range %d {
				one.Rates(0, %v+%v*float64(i), dst)
				rr.Grid = append(rr.Grid, num(dst[k]))
			}
			r.Rates = append(r.Rates, rr)
		}

		g := gr.new(4)
		for i := range g.Input() {
			g.Input()[i] = float64(i)
		}
		for _, p := range m.Params {
			if p.PerNeuron {
				r.PerNeuron[p.Name] = g.Var(p.Name)
			}
		}
		const dt = 0.025
		for step := 0; step < 1000 && len(r.Problems) == 0; step++ {
			g.Step(float64(step)*dt, dt)
			for _, v := range m.Vars {
				for i, x := range g.Var(v.Name) {
					switch {
					case math.IsNaN(x) || math.IsInf(x, 0):
						r.Problems = append(r.Problems, fmt.Sprintf("%%s of neuron %%d is %%v after step %%d", v.Name, i, x, step+1))
					case v.Kind == "gate" && !(x >= 0 && x <= 1):
						r.Problems = append(r.Problems, fmt.Sprintf("gate %%s of neuron %%d is %%v after step %%d", v.Name, i, x, step+1))
					}
				}
			}
		}
		reports = append(reports, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(reports); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

type rateReport struct {
	Name, Expr string
	Poles      []float64
	AtPoles    []string
	Grid       []string
}

type groupReport struct {
	Name   string
	Params []struct {
		Name      string
		Default   float64
		PerNeuron bool
	}
	PerNeuron map[string][]float64
	Rates     []rateReport
	Problems  []string
}

// TestGenerated generates the package of every channel alone in its harness (and of the
// override spec) into one temporary module, vets it, runs a program that steps every group,
// and holds its report to the hand-made lists and to govaluate's evaluation of the channel
// files: every state finite and every gate in [0, 1]; the poles exactly those of wantPoles;
// each rate at its poles within 1e-9 of the limit of its text, and on a grid of potentials
// within 1e-12 of its text; overridden parameters with their new defaults, per neuron where
// asked.
func TestGenerated(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := gomodtest.TempModule(t, "libtest")
	type group struct {
		name, stock, src string
		overrides        map[string]float64
	}
	var groups []group
	for _, s := range stock {
		groups = append(groups, group{s.name, s.name, harness(s.name, s.temperature, s.reads), nil})
	}
	groups = append(groups, group{"Override", "IK_HH1952", overrideSpec, map[string]float64{"g_max": 100, "V_sh": -40}})
	groups = append(groups, group{"Alias", "IKDR_Ba2002", aliasSpec, map[string]float64{"V_sh": -40, "phi": 0.25}})

	var imports, table strings.Builder
	for i, g := range groups {
		m, err := checkSpec(g.name, g.src)
		if err != nil {
			t.Fatalf("%s:\n%v\n%s", g.name, err, g.src)
		}
		files, err := codegen.Generate(m, codegen.Options{SpecName: g.name + ".yaml"})
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		for name, src := range files {
			gomodtest.WriteFile(t, filepath.Join(dir, "ch", m.Package, name), src)
		}
		fmt.Fprintf(&imports, "\tg%d \"libtest/ch/%s\"\n", i, m.Package)
		fmt.Fprintf(&table, "\t{%q, func(n int) runtime.Group { return g%d.New(n) }},\n", g.name, i)
	}
	prog := fmt.Sprintf(mainProgram, imports.String(), table.String(), gridN, gridFrom, gridStep)
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(prog))
	gomodtest.Run(t, dir, nil, "vet", "./...")
	out := gomodtest.Run(t, dir, nil, "run", ".")
	var reports []groupReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("the program's report: %v\n%s", err, out)
	}
	if len(reports) != len(groups) {
		t.Fatalf("%d reports for %d groups", len(reports), len(groups))
	}

	gotPoles := map[string]map[string]float64{}
	nPoles := 0
	for i, r := range reports {
		g := groups[i]
		t.Run(r.Name, func(t *testing.T) {
			for _, p := range r.Problems {
				t.Error(p)
			}
			refs := refRates(t, g.stock, g.overrides)
			if len(refs) != len(r.Rates) {
				t.Fatalf("Model().Rates has %d rates, the channel file %d", len(r.Rates), len(refs))
			}
			for k, rate := range r.Rates {
				ref := refs[k]
				if rate.Name != ref.name || rate.Expr != ref.text {
					t.Fatalf("Model().Rates[%d] is %s = %q, the file's rate %d is %s = %q", k, rate.Name, rate.Expr, k, ref.name, ref.text)
				}
				for j, V0 := range rate.Poles {
					if gotPoles[r.Name] == nil {
						gotPoles[r.Name] = map[string]float64{}
					}
					if len(rate.Poles) > 1 {
						t.Errorf("%s has %d poles %v, want at most one", rate.Name, len(rate.Poles), rate.Poles)
					}
					gotPoles[r.Name][rate.Name] = V0
					nPoles++
					checkPole(t, ref, V0, parse(t, rate.AtPoles[j]))
				}
				checkGrid(t, ref, rate.Grid, rate.Poles)
			}
			switch g.name {
			case "Override":
				checkOverride(t, r)
			case "Alias":
				// V_sh follows VT: it is not a parameter of its own; phi is one, of value 0.25.
				for _, p := range r.Params {
					if p.Name == "X.V_sh" || (p.Name == "X.phi" && p.Default != 0.25) {
						t.Errorf("Model().Params has %s = %v", p.Name, p.Default)
					}
				}
			}
		})
	}
	for name, want := range wantPoles {
		for rate, V0 := range want {
			if got, ok := gotPoles[name][rate]; !ok || math.Abs(got-V0) > 1e-9 {
				t.Errorf("%s: %s should have a pole at %v mV; Model().Rates lists %v", name, rate, V0, gotPoles[name])
			}
		}
	}
	for name, got := range gotPoles {
		for rate, V0 := range got {
			if _, ok := wantPoles[name][rate]; !ok {
				t.Errorf("%s: %s has a pole at %v mV that wantPoles does not list", name, rate, V0)
			}
		}
	}
	t.Logf("%d groups, %d poles checked", len(reports), nPoles)
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// refRates returns the reference rates of channel X that uses stock channel name (with the
// parameters of overrides, in internal units), in the order of Model().Rates, evaluated in the
// harness group: T = 36 degC, [Ca]i at its initial 2.4e-4 mM, E_K = −90 mV.
func refRates(t *testing.T, name string, overrides map[string]float64) []refRate {
	t.Helper()
	c, err := library.Stock.Channel(name)
	if err != nil || c == nil {
		t.Fatalf("%s: %v", name, err)
	}
	group := &govref.Scope{Vals: map[string]float64{"T": 309.15, "Ca_i": 2.4e-4, "Ca_o": 2, "E_K": -90}}
	sc := govref.NewScope(group)
	for _, p := range c.Channel.Params {
		v, ok := overrides[p.Name.Value]
		if !ok {
			q, err := units.ParseQuantity(p.Value.Value)
			if err != nil {
				// A default computed from other parameters, such as phi = T_base**(...).
				sc.Defs[p.Name.Value] = p.Value.Value
				continue
			}
			v = q.Value
		}
		sc.Vals[p.Name.Value] = v
	}
	for _, d := range c.Channel.Defs {
		sc.Defs[d.Name.Value] = d.Expr.Src
	}
	var refs []refRate
	for _, g := range c.Channel.Gates {
		prefix := "X." + g.Name.Value + "."
		switch {
		case g.Alpha != nil:
			refs = append(refs, refRate{prefix + "alpha", g.Alpha.Src, sc}, refRate{prefix + "beta", g.Beta.Src, sc})
		case g.Tau != nil:
			refs = append(refs, refRate{prefix + "inf", g.Inf.Src, sc}, refRate{prefix + "tau", g.Tau.Src, sc})
		case g.Inf != nil:
			refs = append(refs, refRate{prefix + "inf", g.Inf.Src, sc})
		}
	}
	return refs
}

// checkPole checks a generated rate at its pole V0: the text is 0/0 there (to within 64 ulp),
// and the generated value is finite and within limitTol of the limit of the text.
func checkPole(t *testing.T, ref refRate, V0, got float64) {
	t.Helper()
	exact, found, err := findPole(ref, V0)
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("%s = %s: the text is not 0/0 within 64 ulp of the pole V = %v mV: is it a pole?", ref.name, ref.text, V0)
	} else if exact != V0 {
		t.Logf("%s: the pole is listed at %v mV, the text is 0/0 at %v mV", ref.name, V0, exact)
	}
	limit, est, err := poleLimit(ref, V0)
	if err != nil {
		t.Fatal(err)
	}
	if !(est <= 1e-10) {
		t.Fatalf("%s at V = %v mV: the extrapolated limit %v is uncertain to %.3g relative", ref.name, V0, limit, est)
	}
	if math.IsNaN(got) || math.IsInf(got, 0) {
		t.Errorf("%s at its pole V = %v mV: generated %v, want finite (the limit is %v)", ref.name, V0, got, limit)
		return
	}
	if d := govref.RelDiff(got, limit); d > limitTol {
		t.Errorf("%s at its pole V = %v mV: generated %v, limit of the text %v: %.3g relative, want ≤ %g", ref.name, V0, got, limit, d, limitTol)
	} else {
		t.Logf("%s at its pole V = %v mV: generated %v, limit %v, relative difference %.2g", ref.name, V0, got, limit, d)
	}
}

// checkGrid compares a generated rate with its text on the grid, away from its poles, and
// checks that its values are possible ones.
func checkGrid(t *testing.T, ref refRate, grid []string, poles []float64) {
	t.Helper()
	if len(grid) != gridN {
		t.Fatalf("%s: %d values on the grid, want %d", ref.name, len(grid), gridN)
	}
	worst, worstAt := 0.0, 0.0
	for k, s := range grid {
		V := gridV(k)
		if slices.ContainsFunc(poles, func(p float64) bool { return math.Abs(V-p) < poleRadius }) {
			continue
		}
		want, err := ref.at(V)
		if err != nil {
			t.Fatal(err)
		}
		got := parse(t, s)
		if math.IsNaN(got) || math.IsInf(got, 0) || math.IsNaN(want) || math.IsInf(want, 0) {
			t.Errorf("%s at V = %v mV: generated %v, text %v; want both finite", ref.name, V, got, want)
			continue
		}
		if d := govref.RelDiff(got, want); d > worst {
			worst, worstAt = d, V
		}
		// What the rate is: a rate constant is not negative, a time constant is positive, a
		// steady state is a fraction.
		kind := ref.name[strings.LastIndexByte(ref.name, '.')+1:]
		if kind == "alpha" && !(got >= 0) || kind == "beta" && !(got >= 0) || kind == "tau" && !(got > 0) || kind == "inf" && !(got >= 0 && got <= 1) {
			t.Errorf("%s at V = %v mV is %v: not a possible %s", ref.name, V, got, kind)
		}
	}
	if worst > rateTol {
		t.Errorf("%s = %s: generated and govaluate differ by %.3g relative at V = %v mV (want ≤ %g)", ref.name, ref.text, worst, worstAt, rateTol)
	}
}

// aliasSpec gives IKDR_Ba2002's V_sh as the group's VT, the way Pospischil et al. (2008) shift
// every channel of a cell by one V_T, and replaces its computed phi with a value. Its rates
// must be those of the channel file with V_sh = −40 mV.
const aliasSpec = `neurogen: 1
model: Alias
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 36 degC, VT: -40 mV}
channels:
  X: {use: IKDR_Ba2002, V_sh: VT, phi: 0.25}
`

// checkOverride checks the generated Model().Params and per-neuron slices of the override
// group.
func checkOverride(t *testing.T, r groupReport) {
	t.Helper()
	want := map[string]struct {
		value     float64
		perNeuron bool
	}{
		"X.g_max": {100, false},
		"X.V_sh":  {-40, true},
		"X.E":     {-90, false},
	}
	for _, p := range r.Params {
		w, ok := want[p.Name]
		if !ok {
			continue
		}
		delete(want, p.Name)
		if p.Default != w.value || p.PerNeuron != w.perNeuron {
			t.Errorf("Model().Params: %s = %v, per neuron %v; want %v, %v", p.Name, p.Default, p.PerNeuron, w.value, w.perNeuron)
		}
	}
	if len(want) > 0 {
		t.Errorf("Model().Params lacks %v", want)
	}
	if got := r.PerNeuron["X.V_sh"]; !slices.Equal(got, []float64{-40, -40, -40, -40}) {
		t.Errorf("Var(X.V_sh) = %v, want -40 for each of 4 neurons", got)
	}
	if len(r.PerNeuron) != 1 {
		t.Errorf("per-neuron parameters %v, want X.V_sh only", r.PerNeuron)
	}
}
