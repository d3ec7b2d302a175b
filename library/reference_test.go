package library_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/Knetic/govaluate"

	"github.com/neurogen/neurogen/units"
)

// The reference for the library's rates: govaluate's evaluation of each rate's text in the
// channel file, as generated/rates_test.go does for the stock specs. It shares nothing with
// neurogen's pipeline beyond the spec loader (structure only) and units (numbers and unit
// names): no parser, no symbolic algebra, no singularity rewriting, no generated code.

// Tolerances and neighbourhoods (see generated/rates_test.go for their reasoning).
const (
	// rateTol is the relative agreement required of a generated rate away from its poles.
	rateTol = 1e-12
	// poleRadius (mV): potentials closer than this to a pole are not compared with the text.
	poleRadius = 0.1
	// limitTol is the relative agreement required at a pole with the limit of the spec text.
	limitTol = 1e-9
	// richardsonH (mV) is the step of the extrapolation that computes that limit.
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
// (1e-3) nor leading dots (.5): such literals become variables (consts), under names that no
// spec can use. It also needs a space after `**` and after a unary `-` or `!`.
type govExpr struct {
	expr   *govaluate.EvaluableExpression
	consts map[string]float64
}

var govCache = map[string]*govExpr{}

func compileGov(text string) (*govExpr, error) {
	if g, ok := govCache[text]; ok {
		return g, nil
	}
	g := &govExpr{consts: map[string]float64{}}
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
			b.WriteString(string(c) + " ")
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

// refScope is a scope of spec names: values (parameters, gates, concentrations) and
// definitions (spec text, evaluated in the scope that defines them), then the parent's.
type refScope struct {
	parent *refScope
	vals   map[string]float64
	defs   map[string]string
}

// refParams looks names up for govaluate as the spec language resolves them: the scope chain
// (channel, then group), then V, then unit names.
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
	if u, ok := units.Lookup(name); ok {
		return u.Scale, nil
	}
	return nil, fmt.Errorf("undefined: %s", name)
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

// refRate is one rate of a channel file, with the scope its text is evaluated in.
type refRate struct {
	name  string // X.p.alpha …
	text  string
	scope *refScope
}

func (r refRate) at(V float64) (float64, error) { return evalRef(r.text, r.scope, V, 0) }

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

// poleLimit returns the limit of the text of ref at V0 and an estimate of its relative error,
// from values at V0 ± h alone: Richardson's R(h) = (4M(h) − M(2h))/3 of the means
// M(h) = (f(V0+h) + f(V0−h))/2 cancels the h² term (generated/rates_test.go explains the
// error budget); |R(h) − R(2h)| bounds its error from above.
func poleLimit(ref refRate, V0 float64) (limit, errEst float64, err error) {
	f := func(V float64) float64 {
		v, e := ref.at(V)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	M := func(h float64) float64 { return (f(V0+h) + f(V0-h)) / 2 }
	R := func(h float64) float64 { return (4*M(h) - M(2*h)) / 3 }
	limit = R(richardsonH)
	return limit, relDiff(R(2*richardsonH), limit), err
}

// findPole returns the float nearest V0, within 64 ulp, at which the text of ref is exactly
// 0/0 (NaN), if there is one.
func findPole(ref refRate, V0 float64) (float64, bool, error) {
	for x, n := V0, 0; n <= 64; n++ {
		for _, y := range []float64{x, V0 - (x - V0)} {
			at, err := ref.at(y)
			if err != nil {
				return 0, false, err
			}
			if math.IsNaN(at) {
				return y, true, nil
			}
		}
		x = math.Nextafter(x, math.Inf(1))
	}
	return V0, false, nil
}
