// Package govref evaluates the text of spec expressions with github.com/Knetic/govaluate: the
// independent reference that tests hold neurogen's generated code to. It shares nothing with
// neurogen's pipeline beyond units (numbers and unit names): no parser, no symbolic algebra, no
// singularity rewriting, no generated code. Names resolve as the spec language resolves them:
// the scope chain (channel, then group), then V, then the physical constants, then unit names.
package govref

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/Knetic/govaluate"

	"github.com/neurogen/neurogen/units"
)

// Funcs are the functions a spec may call, implemented with the math package.
var Funcs = map[string]govaluate.ExpressionFunction{
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

var (
	cacheMu  sync.Mutex
	govCache = map[string]*govExpr{}
)

func compileGov(text string) (*govExpr, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
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
					return nil, fmt.Errorf("number %q: %w", lit, err)
				}
				name := fmt.Sprintf("__k%d", len(g.consts))
				g.consts[name] = v
				lit = "[" + name + "]" // govaluate reads a name that starts with _ only in brackets
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
	e, err := govaluate.NewEvaluableExpressionWithFunctions(b.String(), Funcs)
	if err != nil {
		return nil, fmt.Errorf("govaluate cannot read %q (from %q): %w", b.String(), text, err)
	}
	g.expr = e
	govCache[text] = g
	return g, nil
}

// Scope is a scope of spec names: values (parameters, gates, concentrations) and definitions
// (spec text, evaluated in the scope that defines them), then the parent's.
type Scope struct {
	Parent *Scope
	Vals   map[string]float64
	Defs   map[string]string
}

// NewScope returns an empty scope inside parent (nil for the outermost).
func NewScope(parent *Scope) *Scope {
	return &Scope{Parent: parent, Vals: map[string]float64{}, Defs: map[string]string{}}
}

// refParams looks names up for govaluate, as the spec language resolves them: the scope
// chain (channel, then group), then V, then unit names.
type refParams struct {
	g     *govExpr
	scope *Scope
	V     float64
	depth int
}

func (p refParams) Get(name string) (any, error) {
	if v, ok := p.g.consts[name]; ok {
		return v, nil
	}
	for s := p.scope; s != nil; s = s.Parent {
		if v, ok := s.Vals[name]; ok {
			return v, nil
		}
		if d, ok := s.Defs[name]; ok {
			if p.depth > 50 {
				return nil, fmt.Errorf("definitions nested too deep at %s", name)
			}
			return eval(d, s, p.V, p.depth+1)
		}
	}
	if name == "V" {
		return p.V, nil
	}
	if v, ok := Physical[name]; ok {
		return v, nil
	}
	if u, ok := units.Lookup(name); ok {
		return u.Scale, nil
	}
	return nil, fmt.Errorf("undefined: %s", name)
}

// Physical are the constants that spec expressions may name (CODATA 2018), in internal units.
var Physical = map[string]float64{
	"faraday":      96485.33212 * units.MustParse("C/mol").Scale,
	"gas_constant": 8.314462618 * units.MustParse("J/(mol*K)").Scale,
}

// Eval evaluates spec text in scope at membrane potential V (mV) with govaluate.
func Eval(text string, scope *Scope, V float64) (float64, error) { return eval(text, scope, V, 0) }

func eval(text string, scope *Scope, V float64, depth int) (float64, error) {
	g, err := compileGov(text)
	if err != nil {
		return 0, err
	}
	r, err := g.expr.Eval(refParams{g: g, scope: scope, V: V, depth: depth})
	if err != nil {
		return 0, fmt.Errorf("govaluate: %s: %w", text, err)
	}
	v, ok := r.(float64)
	if !ok {
		return 0, fmt.Errorf("govaluate: %s is %T, not a number", text, r)
	}
	return v, nil
}

// RelDiff is |got − want| / |want|, 0 when both are equal (infinities included), +Inf when
// only one is NaN or want is 0 and got is not.
func RelDiff(got, want float64) float64 {
	switch {
	case got == want, math.IsNaN(got) && math.IsNaN(want):
		return 0
	case math.IsNaN(got) || math.IsNaN(want):
		return math.Inf(1)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// Limit returns the limit of f at V0, where f may be 0/0, and an estimate of its relative error,
// from values at V0 ± h alone. The mean M(h) = (f(V0+h) + f(V0−h))/2 of a smooth f is
// f(V0) + c₂h² + c₄h⁴ + …; Richardson's R(h) = (4M(h) − M(2h))/3 cancels the h² term. For
// f = a·x/(exp(x/k) − 1) the h⁴ term of R is ~(h/k)⁴/180 relative (< 3e-13 for h = 0.01 mV and
// k ≥ 4 mV), and each value carries the cancellation error ~2.2e-16·k/h (≤ 2.2e-13 for
// k ≤ 10 mV), so R(h) is within ~1e-12 of the limit. The estimate |R(h) − R(2h)| (≈ 15 times
// the h⁴ term, plus rounding) bounds that error from above.
func Limit(f func(V float64) (float64, error), V0, h float64) (limit, errEst float64, err error) {
	at := func(V float64) float64 {
		v, e := f(V)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	M := func(h float64) float64 { return (at(V0+h) + at(V0-h)) / 2 }
	R := func(h float64) float64 { return (4*M(h) - M(2*h)) / 3 }
	limit = R(h)
	return limit, RelDiff(R(2*h), limit), err
}
