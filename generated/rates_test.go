package generated_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/Knetic/govaluate"

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

// govFuncs are the functions a spec may call, implemented with the math package.
var govFuncs = map[string]govaluate.ExpressionFunction{
	"exp":   govFunc1(math.Exp),
	"expm1": govFunc1(math.Expm1),
	"exprel": govFunc1(func(x float64) float64 {
		if x == 0 {
			return 1
		}
		return math.Expm1(x) / x
	}),
	"log":   govFunc1(math.Log),
	"log1p": govFunc1(math.Log1p),
	"sqrt":  govFunc1(math.Sqrt),
	"abs":   govFunc1(math.Abs),
	"tanh":  govFunc1(math.Tanh),
	"sinh":  govFunc1(math.Sinh),
	"cosh":  govFunc1(math.Cosh),
	"min":   govFuncN(2, -1, func(a []float64) float64 { return slices.Min(a) }),
	"max":   govFuncN(2, -1, func(a []float64) float64 { return slices.Max(a) }),
	"pow":   govFuncN(2, 2, func(a []float64) float64 { return math.Pow(a[0], a[1]) }),
	"clip":  govFuncN(3, 3, func(a []float64) float64 { return math.Min(math.Max(a[0], a[1]), a[2]) }),
}

func govFunc1(f func(float64) float64) govaluate.ExpressionFunction {
	return govFuncN(1, 1, func(a []float64) float64 { return f(a[0]) })
}

func govFuncN(lo, hi int, f func([]float64) float64) govaluate.ExpressionFunction {
	return func(args ...any) (any, error) {
		if len(args) < lo || hi >= 0 && len(args) > hi {
			return nil, fmt.Errorf("%d arguments", len(args))
		}
		xs := make([]float64, len(args))
		for i, a := range args {
			x, ok := a.(float64)
			if !ok {
				return nil, fmt.Errorf("argument %d is %T, not a number", i+1, a)
			}
			xs[i] = x
		}
		return f(xs), nil
	}
}

// govExpr is a spec expression compiled by govaluate. govaluate's lexer reads no exponents
// (1e-3) nor leading dots (.5): such literals become variables (consts), under names that
// no spec can use (names starting with `__` are reserved). It also needs a space in `** -`.
type govExpr struct {
	text   string
	expr   *govaluate.EvaluableExpression
	consts map[string]float64
}

var govCache = map[string]*govExpr{}

func compileGov(text string) (*govExpr, error) {
	if g, ok := govCache[text]; ok {
		return g, nil
	}
	g := &govExpr{text: text, consts: map[string]float64{}}
	var b strings.Builder
	isIdent := func(c byte) bool {
		return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case isIdent(c) && !isDigit(c): // a name, which may hold digits
			j := i
			for j < len(text) && isIdent(text[j]) {
				j++
			}
			b.WriteString(text[i:j])
			i = j
		case isDigit(c) || c == '.' && i+1 < len(text) && isDigit(text[i+1]):
			j := i
			for j < len(text) && (isDigit(text[j]) || text[j] == '.') {
				j++
			}
			if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
				k := j + 1
				if k < len(text) && (text[k] == '+' || text[k] == '-') {
					k++
				}
				if k < len(text) && isDigit(text[k]) {
					for j = k; j < len(text) && isDigit(text[j]); j++ {
					}
				}
			}
			lit := text[i:j]
			if strings.ContainsAny(lit, "eE") || lit[0] == '.' || lit[len(lit)-1] == '.' {
				v, err := strconv.ParseFloat(lit, 64)
				if err != nil {
					return nil, fmt.Errorf("number %q: %v", lit, err)
				}
				name := fmt.Sprintf("__k%d", len(g.consts))
				g.consts[name] = v
				lit = name
			}
			b.WriteString(lit)
			i = j
		case strings.HasPrefix(text[i:], "**"):
			b.WriteString("** ")
			i += 2
		case c == '-' || c == '!' && !strings.HasPrefix(text[i:], "!="):
			b.WriteString(string(c) + " ") // govaluate reads `--`, `-.` and `!-` as operators of their own
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	e, err := govaluate.NewEvaluableExpressionWithFunctions(b.String(), govFuncs)
	if err != nil {
		return nil, fmt.Errorf("govaluate cannot read %q (from %q): %v", b.String(), text, err)
	}
	g.expr = e
	govCache[text] = g
	return g, nil
}

// refScope is a scope of spec names for the reference: values (parameters, gates) and
// definitions (spec text, evaluated in the scope that defines them), then the parent's.
type refScope struct {
	parent *refScope
	vals   map[string]float64
	defs   map[string]string
}

// refParams looks names up for govaluate, as the spec language resolves them: the scope
// chain (channel, then group), then V, then unit names.
type refParams struct {
	g     *govExpr
	scope *refScope
	V     float64
	depth int
}

func (p refParams) Get(name string) (any, error) {
	if v, ok := p.g.consts[name]; ok {
		return v, nil
	}
	for s := p.scope; s != nil; s = s.parent {
		if v, ok := s.vals[name]; ok {
			return v, nil
		}
		if d, ok := s.defs[name]; ok {
			if p.depth > 50 {
				return nil, fmt.Errorf("definitions nested too deep at %s", name)
			}
			return evalRef(d, s, p.V, p.depth+1)
		}
	}
	if name == "V" {
		return p.V, nil
	}
	if v, ok := physical[name]; ok {
		return v, nil
	}
	if u, ok := units.Lookup(name); ok {
		return u.Scale, nil
	}
	return nil, fmt.Errorf("undefined: %s", name)
}

// physical are the constants that spec expressions may name (CODATA 2018), in internal units.
var physical = map[string]float64{
	"faraday":      96485.33212 * units.MustParse("C/mol").Scale,
	"gas_constant": 8.314462618 * units.MustParse("J/(mol*K)").Scale,
}

// evalRef evaluates spec text in scope at membrane potential V (mV) with govaluate.
func evalRef(text string, scope *refScope, V float64, depth int) (float64, error) {
	g, err := compileGov(text)
	if err != nil {
		return 0, err
	}
	r, err := g.expr.Eval(refParams{g: g, scope: scope, V: V, depth: depth})
	if err != nil {
		return 0, fmt.Errorf("govaluate: %s: %v", text, err)
	}
	v, ok := r.(float64)
	if !ok {
		return 0, fmt.Errorf("govaluate: %s is %T, not a number", text, r)
	}
	return v, nil
}

// refRate is one rate of the spec, with the scope its text is evaluated in.
type refRate struct {
	name  string // CHANNEL.GATE.alpha …
	text  string
	scope *refScope
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
	group := &refScope{vals: map[string]float64{}, defs: map[string]string{}}
	if s.Membrane.C != nil {
		group.vals["C"] = value("C", *s.Membrane.C)
	}
	if s.Membrane.VTh != nil {
		group.vals["V_th"] = value("V_th", *s.Membrane.VTh)
	} else {
		group.vals["V_th"] = value("V_th", spec.Scalar{Value: "0 mV"})
	}
	for _, p := range s.Params {
		group.vals[p.Name.Value] = value(p.Name.Value, p.Value)
	}
	for _, d := range s.Defs {
		group.defs[d.Name.Value] = d.Expr.Src
	}
	for _, ion := range s.Ions {
		refIon(t, ion, group, g, value)
	}
	var rates []refRate
	for _, ch := range s.Channels {
		ch = withStock(t, ch)
		sc := &refScope{parent: group, vals: map[string]float64{}, defs: map[string]string{}}
		for _, p := range ch.Params {
			sc.vals[p.Name.Value] = value(ch.Name.Value+"."+p.Name.Value, p.Value)
		}
		for _, d := range ch.Defs {
			sc.defs[d.Name.Value] = d.Expr.Src
		}
		for _, gate := range ch.Gates {
			name := ch.Name.Value + "." + gate.Name.Value
			if gate.Inf != nil && gate.Tau == nil {
				// Instantaneous: the gate is its steady state, a definition of V.
				sc.defs[gate.Name.Value] = gate.Inf.Src
				rates = append(rates, refRate{name: name + ".inf", text: gate.Inf.Src, scope: sc})
				continue
			}
			x := g.Var(name)
			if x == nil {
				t.Fatalf("%s: no state variable %s", path, name)
			}
			sc.vals[gate.Name.Value] = x[0]
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
func refIon(t *testing.T, ion *spec.Ion, group *refScope, g runtime.Group, value func(string, spec.Scalar) float64) {
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
		group.vals[name+"_i"] = value(name+".C_i", spec.Scalar{Value: ci})
		if x := g.Var(name + "_i"); x != nil {
			group.vals[name+"_i"] = x[0]
		}
	}
	if co != "" {
		group.vals[name+"_o"] = value(name+".C_o", spec.Scalar{Value: co})
	}
	if ion.E == nil {
		return
	}
	if ion.E.Value == "nernst" {
		T := group.vals["T"]
		group.vals["E_"+name] = physical["gas_constant"] * T / (z * physical["faraday"]) * math.Log(group.vals[name+"_o"]/group.vals[name+"_i"])
		return
	}
	group.vals["E_"+name] = value(name+".E", *ion.E)
}

// relDiff is |got − want| / |want|, 0 when both are equal (infinities included), +Inf when
// only one is NaN or want is 0 and got is not.
func relDiff(got, want float64) float64 {
	switch {
	case got == want, math.IsNaN(got) && math.IsNaN(want):
		return 0
	case math.IsNaN(got) || math.IsNaN(want):
		return math.Inf(1)
	}
	return math.Abs(got-want) / math.Abs(want)
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
			want, err := evalRef(ref.text, ref.scope, V, 0)
			if err != nil {
				t.Fatalf("%s: %v", ref.name, err)
			}
			if !(math.Abs(want) < math.MaxFloat64) || !(math.Abs(dst[k]) < math.MaxFloat64) {
				t.Errorf("%s at V = %v mV: generated %v, spec text %v; want both finite", ref.name, V, dst[k], want)
				continue
			}
			compared++
			if d := relDiff(dst[k], want); d > worst[k] {
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
// (relative), from values at V0 ± h alone. The mean M(h) = (f(V0+h) + f(V0−h))/2 of a smooth
// f is f(V0) + c₂h² + c₄h⁴ + …; Richardson's R(h) = (4M(h) − M(2h))/3 cancels the h² term.
// For f = a·x/(exp(x/k) − 1) the h⁴ term of R is ~(h/k)⁴/180 relative (< 3e-13 for h =
// 0.01 mV and k ≥ 4 mV), and each value carries the cancellation error ~2.2e-16·k/h (≤ 2.2e-13
// for k ≤ 10 mV), so R(h) is within ~1e-12 of the limit. The estimate |R(h) − R(2h)| (≈ 15
// times the h⁴ term, plus rounding) bounds that error from above.
func poleLimit(ref refRate, V0 float64) (limit, errEst float64, err error) {
	f := func(V float64) float64 {
		v, e := evalRef(ref.text, ref.scope, V, 0)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	M := func(h float64) float64 { return (f(V0+h) + f(V0-h)) / 2 }
	R := func(h float64) float64 { return (4*M(h) - M(2*h)) / 3 }
	h := richardsonH
	limit = R(h)
	return limit, relDiff(R(2*h), limit), err
}

// findPole returns the float nearest V0, within 64 ulp, at which the spec text of ref is
// exactly 0/0 (NaN), if there is one.
func findPole(t *testing.T, ref refRate, V0 float64) (float64, bool) {
	t.Helper()
	for x, n := V0, 0; n <= 64; n++ {
		for _, y := range []float64{x, V0 - (x - V0)} {
			if at, err := evalRef(ref.text, ref.scope, y, 0); err != nil {
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
		if d := relDiff(got, limit); d > limitTol {
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
	// alpha of K (also in TraubMilesPyramidal, and INa_Ba2002's two with IK_TM1991's one in the
	// relay cell); Wang–Buzsáki's alpha_n (its alpha_m is inside m_inf, not a rate).
	wantPoles := map[string]int{"hh52": 2, "hh52rk4": 2, "traubmiles": 3, "wangbuzsaki": 1, "morrislecar": 0,
		"hhbrainpy": 2, "wangbuzsakirk4": 1, "thalamicrelay": 3, "traubmilespyramidal": 3}
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
					a, _ := evalRef(ref.text, ref.scope, -20, 0)
					b, _ := evalRef(base[k].text, base[k].scope, -20, 0)
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
				"traubmilespyramidal": 9}[m.name]; moved != want {
				t.Errorf("parameter changes moved %d rates, want %d", moved, want)
			}
			if want := map[string]int{"traubmiles": 3, "hhbrainpy": 2, "thalamicrelay": 3, "traubmilespyramidal": 3}[m.name]; movedPoles != want {
				t.Errorf("parameter changes moved %d poles, want %d", movedPoles, want)
			}
		})
	}
}
