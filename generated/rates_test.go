package generated_test

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/govref"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// The tests in this file hold every generated rate function to an independent reference:
// govaluate's evaluation of the rate's text in the spec. The reference shares nothing with
// neurogen's pipeline beyond the spec loader (structure only) and units (numbers and unit
// names): no parser, no symbolic algebra, no singularity rewriting, no generated code.

// Tolerances and neighbourhoods.
const (
	// rateTol is the relative agreement required of a generated rate away from its poles. Both
	// sides are a handful of correctly rounded operations apart (different association,
	// constants folded, exprel instead of a quotient), so they agree to ~1e-15.
	rateTol = 1e-12
	// poleRadius (mV): random potentials closer than this to a pole are not compared with the
	// spec text. Near a pole V0 the text computes x/(exp(x/k) − 1) with x = V − V0, and
	// exp(x/k) − 1 loses all but |x/k| of its relative accuracy: the reference is off by up to
	// ~2.2e-16·k/|x| relative (math.Exp is within 1 ulp). With k ≤ 10 mV in the stock specs,
	// 0.1 mV keeps that below 2.2e-14, fifty times under rateTol. (The generated code, which
	// uses exprel, stays accurate there: TestRatesAtPoles checks the pole itself.)
	poleRadius = 0.1
	// limitTol is the relative agreement required at a pole with the limit of the spec text.
	limitTol = 1e-9
	// richardsonH (mV) is the step of the extrapolation that computes that limit; see poleLimit.
	richardsonH = 0.01
)

// refRate is one rate of the spec, with the scope its text is evaluated in.
type refRate struct {
	name  string // CHANNEL.GATE.alpha …
	text  string
	scope *govref.Scope
}

// refModel is the reference for one generated group: the spec's rates and their scopes, with
// parameter values from the spec text (or overrides, by spec name, in internal units) and
// gate values of neuron 0 of g.
func refModel(t *testing.T, path string, g runtime.Group, overrides map[string]float64) []refRate {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(path, src)
	if err != nil {
		t.Fatal(err)
	}
	value := func(name string, sc spec.Scalar) float64 {
		if v, ok := overrides[name]; ok {
			return v
		}
		q, err := units.ParseQuantity(sc.Value)
		if err != nil {
			t.Fatalf("%s: parameter %s: %v", sc.Pos, name, err)
		}
		return q.Value
	}
	group := govref.NewScope(nil)
	if s.Membrane.C != nil {
		group.Vals["C"] = value("C", *s.Membrane.C)
	}
	if s.Membrane.VTh != nil {
		group.Vals["V_th"] = value("V_th", *s.Membrane.VTh)
	} else {
		group.Vals["V_th"] = value("V_th", spec.Scalar{Value: "0 mV"})
	}
	for _, p := range s.Params {
		group.Vals[p.Name.Value] = value(p.Name.Value, p.Value)
	}
	for _, d := range s.Defs {
		group.Defs[d.Name.Value] = d.Expr.Src
	}
	for _, ion := range s.Ions {
		refIon(t, ion, group, g, value)
	}
	var rates []refRate
	for _, ch := range s.Channels {
		ch = withStock(t, ch)
		sc := govref.NewScope(group)
		for _, p := range ch.Params {
			full := ch.Name.Value + "." + p.Name.Value
			if _, over := overrides[full]; !over {
				if _, err := units.ParseQuantity(p.Value.Value); err != nil {
					// A value computed from other parameters (a stock channel's phi).
					sc.Defs[p.Name.Value] = p.Value.Value
					continue
				}
			}
			sc.Vals[p.Name.Value] = value(full, p.Value)
		}
		for _, d := range ch.Defs {
			sc.Defs[d.Name.Value] = d.Expr.Src
		}
		for _, gate := range ch.Gates {
			name := ch.Name.Value + "." + gate.Name.Value
			if gate.Inf != nil && gate.Tau == nil {
				// Instantaneous: the gate is its steady state, a definition of V.
				sc.Defs[gate.Name.Value] = gate.Inf.Src
				rates = append(rates, refRate{name: name + ".inf", text: gate.Inf.Src, scope: sc})
				continue
			}
			x := g.Var(name)
			if x == nil {
				t.Fatalf("%s: no state variable %s", path, name)
			}
			sc.Vals[gate.Name.Value] = x[0]
			if gate.Deriv != nil {
				continue // a kinetic state has no rate functions
			}
			pair := []struct {
				field string
				text  *spec.Text
			}{{"alpha", gate.Alpha}, {"beta", gate.Beta}}
			if gate.Alpha == nil {
				pair[0].field, pair[0].text, pair[1].field, pair[1].text = "inf", gate.Inf, "tau", gate.Tau
			}
			for _, r := range pair {
				rates = append(rates, refRate{name: name + "." + r.field, text: r.text.Src, scope: sc})
			}
		}
	}
	return rates
}

// withStock returns a channel with `use:` as the stock channel with the spec's parameter
// values in place of the stock ones; other channels as they are.
func withStock(t *testing.T, ch *spec.Channel) *spec.Channel {
	t.Helper()
	if ch.Use == nil {
		return ch
	}
	lc, err := library.Stock.Channel(ch.Use.Value)
	if err != nil || lc == nil {
		t.Fatalf("stock channel %s: %v", ch.Use.Value, err)
	}
	merged := *lc.Channel
	merged.Name = ch.Name
	merged.Params = nil
	for _, p := range lc.Channel.Params {
		for _, o := range ch.Params {
			if o.Name.Value == p.Name.Value {
				p = o
			}
		}
		merged.Params = append(merged.Params, p)
	}
	return &merged
}

// refIon gives the group scope an ion's names: E_X (fixed, or the Nernst potential computed
// here), X_i (fixed, or neuron 0's present concentration) and X_o.
func refIon(t *testing.T, ion *spec.Ion, group *govref.Scope, g runtime.Group, value func(string, spec.Scalar) float64) {
	t.Helper()
	name := ion.Name.Value
	z := map[string]float64{"Ca": 2, "Na": 1, "K": 1, "Cl": -1, "Mg": 2}[name]
	if ion.Valence != nil {
		v, err := strconv.Atoi(ion.Valence.Value)
		if err != nil {
			t.Fatal(err)
		}
		z = float64(v)
	}
	ci, co := "", ""
	if name == "Ca" {
		ci, co = "2.4e-4 mM", "2 mM"
	}
	if ion.Ci != nil {
		ci = ion.Ci.Value
	}
	if ion.Co != nil {
		co = ion.Co.Value
	}
	if ci != "" {
		group.Vals[name+"_i"] = value(name+".C_i", spec.Scalar{Value: ci})
		if x := g.Var(name + "_i"); x != nil {
			group.Vals[name+"_i"] = x[0]
		}
	}
	if co != "" {
		group.Vals[name+"_o"] = value(name+".C_o", spec.Scalar{Value: co})
	}
	if ion.E == nil {
		return
	}
	if ion.E.Value == "nernst" {
		T := group.Vals["T"]
		group.Vals["E_"+name] = govref.Physical["gas_constant"] * T / (z * govref.Physical["faraday"]) * math.Log(group.Vals[name+"_o"]/group.Vals[name+"_i"])
		return
	}
	group.Vals["E_"+name] = value(name+".E", *ion.E)
}

// nearPole reports whether V is within poleRadius of one of poles.
func nearPole(V float64, poles []float64) bool {
	for _, p := range poles {
		if math.Abs(V-p) < poleRadius {
			return true
		}
	}
	return false
}

// checkRatesAt compares every generated rate of g (neuron 0) with the reference at n random
// potentials in [−100, 60] mV, skipping those near poles[k] for rate k.
func checkRatesAt(t *testing.T, g runtime.Group, refs []refRate, poles [][]float64, n int, r *rand.Rand) (compared int, worstAll float64) {
	t.Helper()
	dst := make([]float64, len(refs))
	worst, worstAt := make([]float64, len(refs)), make([]float64, len(refs))
	for range n {
		V := -100 + 160*r.Float64()
		g.Rates(0, V, dst)
		for k, ref := range refs {
			if nearPole(V, poles[k]) {
				continue
			}
			want, err := govref.Eval(ref.text, ref.scope, V)
			if err != nil {
				t.Fatalf("%s: %v", ref.name, err)
			}
			if !(math.Abs(want) < math.MaxFloat64) || !(math.Abs(dst[k]) < math.MaxFloat64) {
				t.Errorf("%s at V = %v mV: generated %v, spec text %v; want both finite", ref.name, V, dst[k], want)
				continue
			}
			compared++
			if d := govref.RelDiff(dst[k], want); d > worst[k] {
				worst[k], worstAt[k] = d, V
			}
		}
	}
	for k, ref := range refs {
		worstAll = max(worstAll, worst[k])
		if worst[k] > rateTol {
			t.Errorf("%s = %s: generated and govaluate differ by %.3g relative at V = %v mV (want ≤ %g)",
				ref.name, ref.text, worst[k], worstAt[k], rateTol)
		}
	}
	return compared, worstAll
}

// poleLimit returns the limit of the spec text of ref at V0 and an estimate of its error
// (relative): see govref.Limit for the error budget.
func poleLimit(ref refRate, V0 float64) (limit, errEst float64, err error) {
	return govref.Limit(func(V float64) (float64, error) { return govref.Eval(ref.text, ref.scope, V) }, V0, richardsonH)
}

// findPole returns the float nearest V0, within 64 ulp, at which the spec text of ref is
// exactly 0/0 (NaN), if there is one.
func findPole(t *testing.T, ref refRate, V0 float64) (float64, bool) {
	t.Helper()
	for x, n := V0, 0; n <= 64; n++ {
		for _, y := range []float64{x, V0 - (x - V0)} {
			if at, err := govref.Eval(ref.text, ref.scope, y); err != nil {
				t.Fatalf("%s: %v", ref.name, err)
			} else if math.IsNaN(at) {
				return y, true
			}
		}
		x = math.Nextafter(x, math.Inf(1))
	}
	return V0, false
}

// checkPole checks the generated rate k of g at the pole V0: finite, and within limitTol of
// the limit of the spec text, which govaluate itself cannot evaluate there (0/0).
func checkPole(t *testing.T, g runtime.Group, k int, ref refRate, V0 float64) {
	t.Helper()
	exact, found := findPole(t, ref, V0)
	switch {
	case !found:
		t.Errorf("%s = %s: the spec text is not 0/0 within 64 ulp of the pole V = %v mV: is it a pole?", ref.name, ref.text, V0)
	case exact != V0:
		t.Logf("%s: the pole is listed at V = %v mV, but the spec text is 0/0 at %v mV", ref.name, V0, exact)
	}
	at := []float64{V0}
	if found && exact != V0 {
		at = append(at, exact) // the generated rate must be right at both
	}
	dst := make([]float64, len(g.Model().Rates))
	for _, V := range at {
		limit, est, err := poleLimit(ref, V)
		if err != nil {
			t.Fatalf("%s: %v", ref.name, err)
		}
		if !(est <= 1e-10) {
			t.Fatalf("%s at V = %v mV: the extrapolated limit %v is uncertain to %.3g relative; the reference is not good enough", ref.name, V, limit, est)
		}
		g.Rates(0, V, dst)
		got := dst[k]
		if math.IsNaN(got) || math.IsInf(got, 0) {
			t.Errorf("%s at its pole V = %v mV: generated %v, want finite (the limit is %v)", ref.name, V, got, limit)
			continue
		}
		if d := govref.RelDiff(got, limit); d > limitTol {
			t.Errorf("%s at its pole V = %v mV: generated %v, limit of the spec text %v (±%.1g): %.3g relative, want ≤ %g",
				ref.name, V, got, limit, est*math.Abs(limit), d, limitTol)
		} else {
			t.Logf("%s at V = %v mV: generated %v, limit %v, relative difference %.2g (limit uncertain to %.1g)", ref.name, V, got, limit, d, est)
		}
	}
}

// ratesOf returns the reference rates of a generated group, after checking that
// Model().Rates lists exactly the spec's rates, in spec order, each with its spec text.
func ratesOf(t *testing.T, path string, g runtime.Group, overrides map[string]float64) []refRate {
	t.Helper()
	refs := refModel(t, path, g, overrides)
	rates := g.Model().Rates
	if len(rates) != len(refs) {
		t.Fatalf("Model().Rates has %d rates, the spec %d", len(rates), len(refs))
	}
	for k, r := range rates {
		if r.Name != refs[k].name || r.Expr != refs[k].text {
			t.Fatalf("Model().Rates[%d] is %s = %q, the spec's rate %d is %s = %q", k, r.Name, r.Expr, k, refs[k].name, refs[k].text)
		}
	}
	return refs
}

func modelPoles(g runtime.Group) [][]float64 {
	var poles [][]float64
	for _, r := range g.Model().Rates {
		poles = append(poles, r.Poles)
	}
	return poles
}

// TestRatesMatchSpecText: every generated rate agrees with govaluate's evaluation of its spec
// text at a thousand random potentials in [−100, 60] mV to 1e-12 relative, away from poles.
func TestRatesMatchSpecText(t *testing.T) {
	for i, m := range models {
		t.Run(m.name, func(t *testing.T) {
			g := m.new(1)
			refs := ratesOf(t, m.spec, g, nil)
			n, worst := checkRatesAt(t, g, refs, modelPoles(g), 1000, rand.New(rand.NewPCG(uint64(i), 0x5eed)))
			if n < 990*len(refs) {
				t.Errorf("only %d comparisons of %d rates at 1000 potentials", n, len(refs))
			}
			t.Logf("%d rates, %d comparisons, largest relative difference %.2g", len(refs), n, worst)
		})
	}
}

// TestRatesAtPoles: at each removable singularity the generated rate is finite and within 1e-9
// of the limit of the spec text; and the stock specs do have such poles where expected.
func TestRatesAtPoles(t *testing.T) {
	// By hand from the formulas: HH's alpha_m and alpha_n; Traub–Miles' alpha_p, beta_p of Na and
	// alpha of K (also in TraubMilesPyramidal, and INa_Ba2002's two with IKDR_Ba2002's one in the
	// relay cell); Wang–Buzsáki's alpha_n (its alpha_m is inside m_inf, not a rate).
	wantPoles := map[string]int{"hh52": 2, "hh52rk4": 2, "hh52staggered": 2, "hh52tab": 2, "hh52staggeredtab": 2, "hh52x4": 2, "hh52staggeredx4": 2, "hh52tabx4": 2, "hh52staggeredtabx4": 2, "traubmiles": 3, "wangbuzsaki": 1, "morrislecar": 0,
		"hhbrainpy": 2, "wangbuzsakirk4": 1, "thalamicrelay": 3, "traubmilespyramidal": 3,
		"traubmilestab": 3, "wangbuzsakitab": 1, "morrislecartab": 0, "hhbrainpytab": 2, "thalamicrelaytab": 3, "traubmilespyramidaltab": 3}
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			g := m.new(1)
			refs := ratesOf(t, m.spec, g, nil)
			n := 0
			for k, r := range g.Model().Rates {
				for _, V0 := range r.Poles {
					n++
					checkPole(t, g, k, refs[k], V0)
				}
			}
			if want, ok := wantPoles[m.name]; !ok || n != want {
				t.Errorf("%d poles among the rates, want %d", n, want)
			}
		})
	}
}

// TestRatesHonourParams: a parameter set with SetParam reaches the rates. For every
// parameter of every model, the rates after a change are compared with govaluate's evaluation
// of the spec text with the new value; voltage parameters move by +7 mV, which moves the
// poles that depend on them by ±7 mV (potentials near both the old and the moved poles are
// skipped), and where a pole moved, the generated rate is checked at its new place.
func TestRatesHonourParams(t *testing.T) {
	const dV = 7.0
	for i, m := range models {
		t.Run(m.name, func(t *testing.T) {
			moved, movedPoles := 0, 0
			for j, p := range m.new(1).Model().Params {
				if p.Name == "C" {
					continue // not in any rate, and the membrane needs it positive
				}
				g := m.new(1)
				v := p.Default * 1.25
				if p.Unit == "mV" {
					v = p.Default + dV
				} else if v == 0 {
					v = 0.5
				}
				if err := g.SetParam(p.Name, v); err != nil {
					t.Fatal(err)
				}
				if got, ok := g.Param(p.Name); p.PerNeuron && g.Var(p.Name)[0] != v || !p.PerNeuron && (!ok || got != v) {
					t.Fatalf("SetParam(%q, %v) did not set it", p.Name, v)
				}
				refs := ratesOf(t, m.spec, g, map[string]float64{p.Name: v})
				base := ratesOf(t, m.spec, m.new(1), nil)
				poles := modelPoles(g)
				for k := range poles {
					var shifted []float64
					for _, V0 := range poles[k] {
						shifted = append(shifted, V0, V0+dV, V0-dV)
					}
					poles[k] = shifted
				}
				r := rand.New(rand.NewPCG(uint64(i), uint64(j)))
				checkRatesAt(t, g, refs, poles, 200, r)
				// Which rates the parameter reaches, by the reference; the pole moves.
				for k, ref := range refs {
					a, _ := govref.Eval(ref.text, ref.scope, -20)
					b, _ := govref.Eval(base[k].text, base[k].scope, -20)
					if a != b {
						moved++
						t.Logf("%s = %v moves %s", p.Name, v, ref.name)
					}
					for _, V0 := range g.Model().Rates[k].Poles {
						for _, V1 := range []float64{V0 + dV, V0 - dV} {
							if _, ok := findPole(t, ref, V1); ok {
								movedPoles++
								checkPole(t, g, k, ref, V1)
							}
						}
					}
				}
			}
			// By hand: a V_sh moves every rate of its channel (INa: 4, IK: 2, ICaT: 4, IM: 2), IM's
			// tau_max its tau; phi factors multiply derivatives, not rates.
			if want := map[string]int{"traubmiles": 6, "morrislecar": 4, "hhbrainpy": 6, "thalamicrelay": 10,
				"traubmilespyramidal": 9}[strings.TrimSuffix(m.name, "tab")]; moved != want {
				t.Errorf("parameter changes moved %d rates, want %d", moved, want)
			}
			if want := map[string]int{"traubmiles": 3, "hhbrainpy": 2, "thalamicrelay": 3, "traubmilespyramidal": 3}[strings.TrimSuffix(m.name, "tab")]; movedPoles != want {
				t.Errorf("parameter changes moved %d poles, want %d", movedPoles, want)
			}
		})
	}
}
