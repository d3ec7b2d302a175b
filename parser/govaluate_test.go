package parser

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/Knetic/govaluate"
)

// The tests in this file check Parse against an independent implementation of the same
// grammar: random expressions are evaluated both from our tree and by govaluate from the text.

// testFuncs are the functions the random expressions call, shared by both evaluators.
var testFuncs = map[string]func([]float64) float64{
	"exp": func(a []float64) float64 { return math.Exp(a[0]) },
	"abs": func(a []float64) float64 { return math.Abs(a[0]) },
	"max": func(a []float64) float64 {
		m := a[0]
		for _, v := range a[1:] {
			m = math.Max(m, v)
		}
		return m
	},
}

// eval evaluates e to a float64 or a bool.
func eval(e Expr, vars map[string]float64) (any, error) {
	num := func(e Expr) (float64, error) {
		v, err := eval(e, vars)
		if err != nil {
			return 0, err
		}
		f, ok := v.(float64)
		if !ok {
			return 0, fmt.Errorf("%s is not a number", Format(e))
		}
		return f, nil
	}
	boolean := func(e Expr) (bool, error) {
		v, err := eval(e, vars)
		if err != nil {
			return false, err
		}
		b, ok := v.(bool)
		if !ok {
			return false, fmt.Errorf("%s is not a boolean", Format(e))
		}
		return b, nil
	}
	switch e := e.(type) {
	case *Num:
		return e.Value, nil
	case *Ident:
		v, ok := vars[e.Name]
		if !ok {
			return nil, fmt.Errorf("undefined: %s", e.Name)
		}
		return v, nil
	case *Paren:
		return eval(e.X, vars)
	case *Call:
		f, ok := testFuncs[e.Fun.Name]
		if !ok {
			return nil, fmt.Errorf("undefined function: %s", e.Fun.Name)
		}
		var args []float64
		for _, a := range e.Args {
			v, err := num(a)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		if len(args) == 0 {
			return nil, fmt.Errorf("%s needs arguments", e.Fun.Name)
		}
		return f(args), nil
	case *Unary:
		if e.Op == OpNot {
			b, err := boolean(e.X)
			return !b, err
		}
		v, err := num(e.X)
		if e.Op == OpNeg {
			v = -v
		}
		return v, err
	case *Cond:
		c, err := boolean(e.Cond)
		if err != nil {
			return nil, err
		}
		if c {
			return eval(e.Then, vars)
		}
		return eval(e.Else, vars)
	case *Binary:
		if e.Op.IsLogical() {
			x, err := boolean(e.X)
			if err != nil {
				return nil, err
			}
			y, err := boolean(e.Y)
			if e.Op == OpAnd {
				return x && y, err
			}
			return x || y, err
		}
		x, err := num(e.X)
		if err != nil {
			return nil, err
		}
		y, err := num(e.Y)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case OpAdd:
			return x + y, nil
		case OpSub:
			return x - y, nil
		case OpMul:
			return x * y, nil
		case OpDiv:
			return x / y, nil
		case OpPow:
			return math.Pow(x, y), nil
		case OpLT:
			return x < y, nil
		case OpLE:
			return x <= y, nil
		case OpGT:
			return x > y, nil
		case OpGE:
			return x >= y, nil
		case OpEQ:
			return x == y, nil
		case OpNE:
			return x != y, nil
		}
	}
	return nil, fmt.Errorf("cannot evaluate %T", e)
}

// exprGen writes a random well-typed numeric expression twice: in our syntax, and for govaluate,
// which cannot lex scientific notation: there such literals become variables k0, k1, ….
// The expressions avoid what Parse rejects and what govaluate reads differently: a nested
// conditional is always parenthesised, since govaluate makes `?:` left-associative.
type exprGen struct {
	r      *rand.Rand
	ours   strings.Builder
	gov    strings.Builder
	consts map[string]float64
}

func (g *exprGen) emit(s string) {
	g.ours.WriteString(s)
	g.gov.WriteString(s)
}

// neg writes a unary minus; govaluate needs a space after it, or it would read `-.5` as the
// operator `-.`.
func (g *exprGen) neg() {
	g.ours.WriteString("-")
	g.gov.WriteString("- ")
}

func (g *exprGen) chance(p float64) bool { return g.r.Float64() < p }

// expr = add | bool "?" add ":" add
func (g *exprGen) expr(d int) {
	if d > 0 && g.chance(0.15) {
		g.boolean(d - 1)
		g.emit(" ? ")
		g.add(d - 1)
		g.emit(" : ")
		g.add(d - 1)
		return
	}
	g.add(d)
}

func (g *exprGen) add(d int) {
	g.mul(d)
	for d > 0 && g.chance(0.35) {
		g.emit([]string{" + ", " - "}[g.r.IntN(2)])
		g.mul(d - 1)
	}
}

func (g *exprGen) mul(d int) {
	g.unary(d)
	for d > 0 && g.chance(0.35) {
		g.emit([]string{" * ", " / "}[g.r.IntN(2)])
		g.unary(d - 1)
	}
}

// unary = "-" negand | pow
func (g *exprGen) unary(d int) {
	if d > 0 && g.chance(0.2) {
		g.neg()
		g.negand(d - 1)
		return
	}
	g.primary(d)
	if d > 0 && g.chance(0.2) {
		g.emit(" ** ")
		if g.chance(0.3) {
			g.neg()
			g.negand(d - 1)
		} else {
			g.primary(d - 1)
		}
	}
}

// negand is the operand of a unary minus: never a power, which would be ambiguous.
func (g *exprGen) negand(d int) {
	if d > 0 && g.chance(0.15) { // govaluate cannot read `- -x`: give it `-(-x)`
		g.gov.WriteString("(")
		g.neg()
		g.negand(d - 1)
		g.gov.WriteString(")")
		return
	}
	g.primary(d)
}

func (g *exprGen) primary(d int) {
	k := g.r.IntN(10)
	if d == 0 {
		k %= 5
	}
	switch {
	case k < 2:
		g.number()
	case k < 5:
		g.emit([]string{"x", "y", "z"}[g.r.IntN(3)])
	case k < 8:
		name := []string{"exp", "abs", "max"}[g.r.IntN(3)]
		g.emit(name + "(")
		n := 1
		if name == "max" {
			n += g.r.IntN(3)
		}
		for i := range n {
			if i > 0 {
				g.emit(", ")
			}
			g.expr(d - 1)
		}
		g.emit(")")
	default:
		g.emit("(")
		g.expr(d - 1)
		g.emit(")")
	}
}

func (g *exprGen) number() {
	forms := []string{"0", "1", "2", "3", "10", "2.5", ".5", "5.", "0.125", "1e-3", "1.5E+2", "2e1", "7.5e-1"}
	text := forms[g.r.IntN(len(forms))]
	if !strings.ContainsAny(text, "eE") {
		g.emit(text)
		return
	}
	name := fmt.Sprintf("k%d", len(g.consts))
	g.consts[name], _ = strconv.ParseFloat(text, 64)
	g.ours.WriteString(text)
	g.gov.WriteString(name)
}

// boolean = and { "||" and }
func (g *exprGen) boolean(d int) {
	g.and(d)
	for d > 0 && g.chance(0.3) {
		g.emit(" || ")
		g.and(d - 1)
	}
}

func (g *exprGen) and(d int) {
	g.cmp(d)
	for d > 0 && g.chance(0.3) {
		g.emit(" && ")
		g.cmp(d - 1)
	}
}

// cmp is a comparison, a negation or a parenthesised condition.
func (g *exprGen) cmp(d int) {
	switch k := g.r.IntN(10); {
	case d > 0 && k == 0:
		g.emit("!")
		double := g.chance(0.2)
		if double { // govaluate cannot read `!!x`: give it `!(!x)`
			g.ours.WriteString("!")
			g.gov.WriteString("(!")
		}
		g.emit("(")
		g.boolean(d - 1)
		g.emit(")")
		if double {
			g.gov.WriteString(")")
		}
	case d > 0 && k == 1:
		g.emit("(")
		g.boolean(d - 1)
		g.emit(")")
	default:
		g.add(max(d-1, 0))
		g.emit([]string{" < ", " <= ", " > ", " >= ", " == ", " != "}[g.r.IntN(6)])
		g.add(max(d-1, 0))
	}
}

func sameResult(a, b any) bool {
	switch a := a.(type) {
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case float64:
		b, ok := b.(float64)
		if !ok {
			return false
		}
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.IsNaN(a) && math.IsNaN(b)
		}
		return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
	}
	return false
}

func TestAgainstGovaluate(t *testing.T) {
	govFuncs := map[string]govaluate.ExpressionFunction{}
	for name, f := range testFuncs {
		govFuncs[name] = func(args ...any) (any, error) {
			xs := make([]float64, len(args))
			for i, a := range args {
				x, ok := a.(float64)
				if !ok {
					return nil, fmt.Errorf("%s: argument %d is %T", name, i, a)
				}
				xs[i] = x
			}
			if len(xs) == 0 {
				return nil, fmt.Errorf("%s needs arguments", name)
			}
			return f(xs), nil
		}
	}
	values := []float64{0, 1, -1, 2, 0.5, -2.5, 3, 1e-3, 10, -0.25}
	r := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	var ternaries, pows, negPows, nonFinite int
	for i := range n {
		g := &exprGen{r: r, consts: map[string]float64{}}
		g.expr(1 + r.IntN(5))
		src, govSrc := g.ours.String(), g.gov.String()
		vars := map[string]float64{}
		params := map[string]any{}
		for _, name := range []string{"x", "y", "z"} {
			v := values[r.IntN(len(values))]
			if r.IntN(3) == 0 {
				v = r.NormFloat64() * 3
			}
			vars[name], params[name] = v, v
		}
		for name, v := range g.consts {
			params[name] = v
		}

		e, err := Parse(src)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, src, err)
		}
		ours, err := eval(e, vars)
		if err != nil {
			t.Fatalf("#%d: eval(%q): %v", i, src, err)
		}
		ge, err := govaluate.NewEvaluableExpressionWithFunctions(govSrc, govFuncs)
		if err != nil {
			t.Fatalf("#%d: govaluate cannot parse %q: %v", i, govSrc, err)
		}
		theirs, err := ge.Evaluate(params)
		if err != nil {
			t.Fatalf("#%d: govaluate cannot evaluate %q: %v", i, govSrc, err)
		}
		if !sameResult(ours, theirs) {
			t.Errorf("#%d: %s with %v:\nParse+eval: %v\ngovaluate:  %v\ntree: %s", i, src, params, ours, theirs, Format(e))
		}
		if f, ok := ours.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			nonFinite++
		}
		ternaries += strings.Count(src, "?")
		pows += strings.Count(src, "**")
		negPows += strings.Count(src, "** -")
	}
	t.Logf("%d expressions (%d not finite) with %d `?`, %d `**`, %d `** -`", n, nonFinite, ternaries, pows, negPows)
	if nonFinite > n/4 {
		t.Errorf("%d of %d results are NaN or ±Inf: the check is too weak", nonFinite, n)
	}
}

// TestNestedConditionals checks the reason Parse refuses a conditional in a branch of another
// without parentheses: govaluate fails to evaluate it for some values, while with parentheses
// both evaluators agree everywhere.
func TestNestedConditionals(t *testing.T) {
	for _, tt := range []struct{ bare, paren string }{
		{"x > 0 ? 1 : x < -1 ? 2 : 3", "x > 0 ? 1 : (x < -1 ? 2 : 3)"},
		{"x > 0 ? x < 1 ? 1 : 2 : 3", "x > 0 ? (x < 1 ? 1 : 2) : 3"},
	} {
		if _, err := Parse(tt.bare); err == nil || !strings.Contains(err.Error(), "needs parentheses") {
			t.Errorf("Parse(%q) = %v, want an error that asks for parentheses", tt.bare, err)
		}
		bare, err := govaluate.NewEvaluableExpression(tt.bare)
		if err != nil {
			t.Fatalf("govaluate cannot parse %q: %v", tt.bare, err)
		}
		paren, err := govaluate.NewEvaluableExpression(tt.paren)
		if err != nil {
			t.Fatalf("govaluate cannot parse %q: %v", tt.paren, err)
		}
		e := mustParse(t, tt.paren)
		failed := false
		for _, x := range []float64{-2, -0.5, 0.5, 3} {
			if _, err := bare.Evaluate(map[string]any{"x": x}); err != nil {
				failed = true
			}
			theirs, err := paren.Evaluate(map[string]any{"x": x})
			if err != nil {
				t.Fatalf("govaluate cannot evaluate %q at x = %v: %v", tt.paren, x, err)
			}
			ours, err := eval(e, map[string]float64{"x": x})
			if err != nil || !sameResult(ours, theirs) {
				t.Errorf("%s at x = %v: Parse+eval %v (%v), govaluate %v", tt.paren, x, ours, err, theirs)
			}
		}
		if !failed {
			t.Errorf("govaluate evaluates %q for every x: the parser need not refuse it", tt.bare)
		}
	}
}
