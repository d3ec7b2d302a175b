package codegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/symbolic"
)

// TestExprMatchesSymbolicEval pins down what the expression emitter writes, precedence and
// parentheses above all: random symbolic expressions are rendered by expr into one Go
// program, which is built and run once, and every value it prints must agree with
// symbolic.Eval — the reference semantics of an expression — at the same points.
//
// Agreement is to 1e-13 relative, not bit for bit, because the emitter may legitimately
// evaluate in another order than Eval: it writes a product as numerator factors, then
// divisions (a*b/c where Eval computes a*c**-1*b with math.Pow), small integer powers as
// repeated products (x*x*x, 1.0/(x*x)) where Eval calls math.Pow, x**0.5 as math.Sqrt,
// the terms of a sum in reading order (positive first) where Eval adds them in canonical
// order, runtime.Exprel (≤ 2 ulp) where Eval uses symbolic.Exprel, and the compiler may fuse
// a multiply and an add. Each of these changes a result by a few ulp of its operands. Where an
// expression is ill-conditioned at a point (a sum that cancels, a quotient by a near-zero
// difference), a few ulp of the operands can be many ulp of the result, so the test also
// accepts a difference within 8 times a first-order bound on the rounding error that any
// evaluation order makes (errBound); it reports how often that was needed. A precedence or
// parenthesisation mistake changes a value by far more than either allowance. Points where
// the result is not determined to working precision at all (a comparison closer than its
// operands' errors, an overflow) are not compared, and at most a tenth may be.
func TestExprMatchesSymbolicEval(t *testing.T) {
	gomodtest.NeedGo(t)
	const nExprs = 400
	vars := []string{"x", "y", "z"}
	gen := &exprGen{r: rand.New(rand.NewPCG(2024, 11)), vars: vars}
	var exprs []*symbolic.Expr
	seen := map[string]bool{}
	for len(exprs) < nExprs {
		e := gen.num(4)
		if len(symbolic.Vars(e)) == 0 || seen[e.Key()] {
			continue // folded to a constant, or a repeat
		}
		seen[e.Key()] = true
		exprs = append(exprs, e)
	}
	checkCoverage(t, exprs)
	nRandom := len(exprs)
	exprs = append(exprs, exactExprs()...)

	points := evalPoints(rand.New(rand.NewPCG(7, 7)))

	// The program: f0 … fN-1 rendered by expr, and a main that reads points (the bits of x, y
	// and z in hex, one point a line) and prints the bits of every fi at every point.
	goName := func(s string) string { return s + "_" } // locals are not the symbols' names
	f := jen.NewFile("main")
	var funcs []jen.Code
	for i, e := range exprs {
		f.Comment(e.String())
		f.Func().Id(fmt.Sprintf("f%d", i)).Params(jen.List(jen.Id("x_"), jen.Id("y_"), jen.Id("z_")).Float64()).Float64().Block(
			jen.Return(expr(e, goName)))
		funcs = append(funcs, jen.Line().Id(fmt.Sprintf("f%d", i)))
	}
	f.Var().Id("funcs").Op("=").Index().Func().Params(jen.List(jen.Id("x"), jen.Id("y"), jen.Id("z")).Float64()).Float64().Values(append(funcs, jen.Line())...)
	var src strings.Builder
	if err := f.Render(&src); err != nil {
		t.Fatalf("rendering the program: %v", err)
	}
	dir := gomodtest.TempModule(t, "example.com/exprcheck")
	gomodtest.WriteFile(t, filepath.Join(dir, "exprs.go"), []byte(src.String()))
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(exprMain))
	var in strings.Builder
	for _, p := range points {
		fmt.Fprintf(&in, "%x %x %x\n", math.Float64bits(p[0]), math.Float64bits(p[1]), math.Float64bits(p[2]))
	}
	out := strings.Fields(gomodtest.Run(t, dir, []byte(in.String()), "run", "."))
	if len(out) != len(points)*len(exprs) {
		t.Fatalf("the program printed %d values, want %d", len(out), len(points)*len(exprs))
	}

	var checked, byBound, skipped int
	worst := 0.0
	for k, p := range points {
		env := map[string]float64{"x": p[0], "y": p[1], "z": p[2]}
		for i, e := range exprs {
			bits, err := strconv.ParseUint(out[k*len(exprs)+i], 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			got := math.Float64frombits(bits)
			want := symbolic.Eval(e, symbolic.MapEnv(env))
			_, bound := errBound(e, env)
			if i >= nRandom { // an exact expression: the same bits, the sign of zero included
				checked++
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("exact expression at x=%v y=%v z=%v: Go %v, symbolic.Eval %v (bits %#x, %#x)\n  expression: %s\n  Go: %s",
						p[0], p[1], p[2], got, want, math.Float64bits(got), math.Float64bits(want), e, goSource(e, goName))
				}
				continue
			}
			switch {
			case math.IsNaN(want) && math.IsNaN(got), want == got:
				checked++
				continue
			case math.IsInf(bound, 0) || math.IsNaN(bound):
				skipped++
				continue
			}
			checked++
			diff := math.Abs(got - want)
			if diff <= 1e-13*math.Abs(want) {
				worst = max(worst, diff/math.Abs(want))
				continue
			}
			if diff <= 8*bound {
				byBound++
				continue
			}
			t.Errorf("f%d at x=%v y=%v z=%v: Go %v, symbolic.Eval %v (relative difference %.3g, rounding bound %.3g)\n  expression: %s\n  Go: %s",
				i, p[0], p[1], p[2], got, want, diff/math.Abs(want), bound, e, goSource(e, goName))
		}
	}
	t.Logf("%d expressions at %d points: %d values compared (worst relative difference within 1e-13: %.2g; %d more within the rounding bound of an ill-conditioned expression), %d not determined to working precision",
		len(exprs), len(points), checked, worst, byBound, skipped)
	if total := len(points) * len(exprs); skipped > total/10 {
		t.Errorf("%d of %d values not compared; the test needs better points", skipped, total)
	}
}

// exactExprs are expressions that Go and symbolic.Eval compute with the same operations in the
// same order, so that they must agree bit for bit: constants that are hard to write (−0, NaN,
// ±Inf, the extremes of float64, fractions that print long) reach a result unchanged through
// ?:, min, max and pow. (The random expressions cannot be held to the sign of a zero result:
// Eval starts every sum at +0, so that −0 + −0 is +0 there and −0 in Go.)
func exactExprs() []*symbolic.Expr {
	x, y := symbolic.Var("x"), symbolic.Var("y")
	lt := symbolic.Compare(symbolic.OpLT, x, y)
	var out []*symbolic.Expr
	for _, c := range []float64{math.Copysign(0, -1), 0, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.SmallestNonzeroFloat64,
		0x1p-1022, -0.1, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, -1e300} {
		k := symbolic.Const(c)
		out = append(out,
			symbolic.Cond(lt, k, x), symbolic.Cond(lt, x, k),
			symbolic.Call("min", k, x), symbolic.Call("max", x, k),
			symbolic.Call("pow", k, y), symbolic.Call("pow", y, k))
	}
	return out
}

const exprMain = `package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var p [3]float64
		for i, f := range strings.Fields(in.Text()) {
			bits, err := strconv.ParseUint(f, 16, 64)
			if err != nil {
				panic(err)
			}
			p[i] = math.Float64frombits(bits)
		}
		for _, f := range funcs {
			fmt.Fprintf(out, "%x\n", math.Float64bits(f(p[0], p[1], p[2])))
		}
	}
}
`

// goSource renders e alone, for messages.
func goSource(e *symbolic.Expr, name func(string) string) string {
	return fmt.Sprintf("%#v", expr(e, name))
}

// evalPoints are the points (x, y, z) at which the expressions are compared: random ones in
// [-3, 3]³, where the functions stay finite mostly, and a few with zeros, ones and wider
// values.
func evalPoints(r *rand.Rand) [][3]float64 {
	pts := [][3]float64{{0, 1, -1}, {0.5, -2, 0.25}, {1e-3, 7.5, -12}, {-0.75, 0, 2}, {math.Copysign(0, -1), -3, 0}}
	for range 12 {
		pts = append(pts, [3]float64{6*r.Float64() - 3, 6*r.Float64() - 3, 6*r.Float64() - 3})
	}
	return pts
}

// exprGen builds random well-typed symbolic expressions: num builds a number, boolean a
// condition (which may appear only where Go wants a bool: in ?:, &&, || and !).
type exprGen struct {
	r    *rand.Rand
	vars []string
}

func (g *exprGen) chance(p float64) bool { return g.r.Float64() < p }

// constants hold negative, small, large and non-integer values, numbers that print long, and
// −0, which survives canonical folding as an operand of ?:, min, max and a**b.
var constants = []float64{1, 2, 3, -1, -2, 0.5, -0.5, 0.1, -2.75, 10, 1e-7, 3e8, -4.5e12, 1.0 / 3, math.Pi, 1e30, -1e-30, math.Copysign(0, -1)}

// exponents are the constant powers: every integer from −4 to 4 (0 and 1 fold away), halves
// (math.Sqrt) and others (math.Pow).
var exponents = []float64{-4, -3, -2, -1, 0, 1, 2, 3, 4, 0.5, -0.5, 1.5, -2.5, 0.3}

func (g *exprGen) leaf() *symbolic.Expr {
	if g.chance(0.7) {
		return symbolic.Var(g.vars[g.r.IntN(len(g.vars))])
	}
	return symbolic.Const(constants[g.r.IntN(len(constants))])
}

func (g *exprGen) num(d int) *symbolic.Expr {
	if d == 0 || g.chance(0.15) {
		return g.leaf()
	}
	sub := func() *symbolic.Expr { return g.num(d - 1) }
	switch g.r.IntN(10) {
	case 0: // sum of two to four terms
		n := 2 + g.r.IntN(3)
		xs := make([]*symbolic.Expr, n)
		for i := range xs {
			xs[i] = sub()
		}
		return symbolic.Add(xs...)
	case 1:
		return symbolic.Sub(sub(), sub())
	case 2: // product of two or three factors
		n := 2 + g.r.IntN(2)
		xs := make([]*symbolic.Expr, n)
		for i := range xs {
			xs[i] = sub()
		}
		return symbolic.Mul(xs...)
	case 3:
		return symbolic.Div(sub(), sub())
	case 4:
		return symbolic.Neg(sub())
	case 5:
		return symbolic.Pow(sub(), symbolic.Const(exponents[g.r.IntN(len(exponents))]))
	case 6:
		if g.chance(0.3) { // a power with a variable exponent
			return symbolic.Call("pow", sub(), sub())
		}
		return symbolic.Pow(sub(), symbolic.Const(exponents[g.r.IntN(len(exponents))]))
	case 7, 8:
		names := symbolic.FuncNames()
		name := names[g.r.IntN(len(names))]
		fn := symbolic.Funcs[name]
		n := fn.MinArgs
		if fn.MaxArgs < 0 {
			n += g.r.IntN(3)
		}
		args := make([]*symbolic.Expr, n)
		for i := range args {
			args[i] = sub()
		}
		return symbolic.Call(name, args...)
	default:
		return symbolic.Cond(g.boolean(d-1), sub(), sub())
	}
}

var comparisons = []symbolic.Op{symbolic.OpLT, symbolic.OpLE, symbolic.OpGT, symbolic.OpGE, symbolic.OpEQ, symbolic.OpNE}

func (g *exprGen) boolean(d int) *symbolic.Expr {
	if d <= 0 || g.chance(0.4) {
		a, b := g.num(max(d-1, 0)), g.num(max(d-1, 0))
		if g.chance(0.15) {
			b = a // makes == and <= true and < false, exactly
			if g.chance(0.5) {
				b = symbolic.Add(a, symbolic.Const(0.5))
			}
		}
		return symbolic.Compare(comparisons[g.r.IntN(len(comparisons))], a, b)
	}
	switch g.r.IntN(3) {
	case 0:
		return symbolic.And(g.boolean(d-1), g.boolean(d-1))
	case 1:
		return symbolic.Or(g.boolean(d-1), g.boolean(d-1))
	default:
		return symbolic.Not(g.boolean(d - 1))
	}
}

// checkCoverage fails the test unless the expressions hold every kind of node, every function
// and every kind of power that the emitter treats in its own way.
func checkCoverage(t *testing.T, exprs []*symbolic.Expr) {
	t.Helper()
	ops := map[symbolic.Op]int{}
	calls := map[string]int{}
	pows := map[string]int{}
	negConst, negCoef, negFirst := 0, 0, 0
	for _, e := range exprs {
		symbolic.Walk(e, func(x *symbolic.Expr) bool {
			ops[x.Op]++
			switch x.Op {
			case symbolic.OpCall:
				calls[x.Name]++
			case symbolic.OpPow:
				if v, ok := x.Args[1].IsConst(); ok {
					pows[strconv.FormatFloat(v, 'g', -1, 64)]++
				} else {
					pows["variable"]++
				}
			case symbolic.OpConst:
				if x.Val < 0 {
					negConst++
				}
			case symbolic.OpMul:
				if v, ok := x.Args[0].IsConst(); ok && v < 0 {
					negCoef++
				}
			case symbolic.OpAdd:
				if _, mag := term(symbolic.ReadingOrder(x.Args)[0]); mag != symbolic.ReadingOrder(x.Args)[0] {
					negFirst++ // a sum whose first printed term is negative
				}
			}
			return true
		})
	}
	for op := symbolic.OpConst; op <= symbolic.OpNot; op++ {
		if ops[op] == 0 {
			t.Errorf("no %v node among the expressions", op)
		}
	}
	for _, name := range symbolic.FuncNames() {
		if name != "pow" && calls[name] == 0 { // pow(a, b) is the node a**b
			t.Errorf("no call of %s among the expressions", name)
		}
	}
	for _, p := range []string{"-4", "-3", "-2", "-1", "2", "3", "4", "0.5", "-0.5", "1.5", "variable"} {
		if pows[p] == 0 {
			t.Errorf("no power **%s among the expressions", p)
		}
	}
	if negConst == 0 || negCoef == 0 || negFirst == 0 {
		t.Errorf("negative constants %d, negative coefficients %d, sums that start negative %d; want some of each", negConst, negCoef, negFirst)
	}
	if t.Failed() {
		t.FailNow()
	}
	var list []string
	for p, n := range pows {
		list = append(list, fmt.Sprintf("**%s: %d", p, n))
	}
	slices.Sort(list)
	t.Logf("%d expressions; nodes %v; calls %v; powers %v", len(exprs), ops, calls, list)
}

// errBound evaluates e like symbolic.Eval and returns, with the value, a first-order bound on
// the absolute rounding error of any evaluation of the same operations in float64, whatever
// the order of the terms of a sum or the factors of a product. Inputs and constants are exact;
// each elementary operation adds u = 2⁻⁵³ of its result (sums (n−1)u Σ|terms|, math functions
// 4u, powers written as products 2|n|u), and errors of operands propagate through derivatives.
// The bound is +Inf where the result is not determined by the inputs to working precision:
// a comparison closer than its operands' errors, an argument within its error of the edge of a
// function's domain or of a pole, an overflow. A NaN that comes from finite, well-determined
// operands (log of a negative number) is exact.
func errBound(e *symbolic.Expr, env map[string]float64) (v, err float64) {
	const u = 0x1p-53
	inf := math.Inf(1)
	fix := func(v, err float64, args ...float64) (float64, float64) {
		for _, a := range args {
			if math.IsInf(a, 0) || math.IsNaN(a) {
				return v, inf
			}
		}
		if math.IsNaN(v) {
			return v, 0
		}
		if math.IsInf(v, 0) || math.IsNaN(err) {
			return v, inf
		}
		return v, err
	}
	switch e.Op {
	case symbolic.OpConst:
		return e.Val, 0
	case symbolic.OpVar:
		return env[e.Name], 0
	case symbolic.OpAdd:
		s, abs, errs := 0.0, 0.0, 0.0
		var argErrs []float64
		for _, a := range e.Args {
			va, ea := errBound(a, env)
			s += va
			abs += math.Abs(va)
			errs += ea
			argErrs = append(argErrs, ea)
		}
		return fix(s, errs+float64(len(e.Args)-1)*u*abs, argErrs...)
	case symbolic.OpMul:
		vals := make([]float64, len(e.Args))
		errs := make([]float64, len(e.Args))
		p := 1.0
		for i, a := range e.Args {
			vals[i], errs[i] = errBound(a, env)
			p *= vals[i]
		}
		total := float64(len(e.Args)) * u * math.Abs(p)
		for i := range vals {
			others := 1.0
			for j, v := range vals {
				if j != i {
					others *= v
				}
			}
			total += errs[i] * math.Abs(others)
		}
		return fix(p, total, errs...)
	case symbolic.OpPow:
		b, eb := errBound(e.Args[0], env)
		x, ex := errBound(e.Args[1], env)
		v := math.Pow(b, x)
		if math.Abs(b) <= eb && eb > 0 && (x < 0 || x != math.Trunc(x)) {
			return v, inf // a pole, or the edge of the domain
		}
		if b < 0 && ex > 0 {
			return v, inf // NaN unless the exponent is an integer: undetermined
		}
		dv := math.Abs(x*math.Pow(b, x-1))*eb + math.Abs(v*math.Log(math.Abs(b)))*ex
		if eb == 0 {
			dv = math.Abs(v*math.Log(math.Abs(b))) * ex
		}
		if ex == 0 {
			dv = math.Abs(x*math.Pow(b, x-1)) * eb
			if eb == 0 {
				dv = 0
			}
		}
		return fix(v, dv+(2*math.Abs(x)+4)*u*math.Abs(v), eb, ex)
	case symbolic.OpCall:
		vals := make([]float64, len(e.Args))
		errs := make([]float64, len(e.Args))
		for i, a := range e.Args {
			vals[i], errs[i] = errBound(a, env)
		}
		v := symbolic.Funcs[e.Name].Eval(vals)
		a, ea := vals[0], errs[0]
		var d float64 // |f'(a)|
		switch e.Name {
		case "exp":
			d = v
		case "expm1":
			d = math.Exp(a)
		case "exprel":
			if math.Abs(a) < 1e-4 {
				d = 0.5 + a/3
			} else {
				d = (a*math.Exp(a) - math.Expm1(a)) / (a * a)
			}
		case "log", "sqrt", "log1p":
			edge := 0.0
			if e.Name == "log1p" {
				edge = -1
			}
			if ea > 0 && math.Abs(a-edge) <= ea {
				return v, inf
			}
			d = 1 / math.Abs(a-edge)
			if e.Name == "sqrt" {
				d = 0.5 / math.Sqrt(math.Abs(a))
			}
		case "tanh":
			d = 1 - v*v
		case "sinh":
			d = math.Cosh(a)
		case "cosh":
			d = math.Abs(math.Sinh(a))
		case "abs":
			d = 1
		case "min", "max", "clip": // Lipschitz 1 in every argument
			d, ea = 1, slices.Max(errs)
		default:
			panic("errBound: no derivative of " + e.Name)
		}
		prop := math.Abs(d) * ea
		if ea == 0 {
			prop = 0
		}
		return fix(v, prop+4*u*math.Abs(v), errs...)
	case symbolic.OpCond:
		c, ec := errBound(e.Args[0], env)
		if ec != 0 {
			return math.NaN(), inf
		}
		if c != 0 {
			return errBound(e.Args[1], env)
		}
		return errBound(e.Args[2], env)
	case symbolic.OpNot, symbolic.OpAnd, symbolic.OpOr:
		for _, a := range e.Args {
			if _, ea := errBound(a, env); ea != 0 {
				return symbolic.Eval(e, symbolic.MapEnv(env)), inf
			}
		}
		return symbolic.Eval(e, symbolic.MapEnv(env)), 0
	default: // comparisons: undetermined when the operands are closer than their errors
		a, ea := errBound(e.Args[0], env)
		b, eb := errBound(e.Args[1], env)
		v := symbolic.Eval(e, symbolic.MapEnv(env))
		if math.IsInf(ea, 0) || math.IsInf(eb, 0) || (ea+eb > 0 && math.Abs(a-b) <= ea+eb) {
			return v, inf
		}
		return v, 0
	}
}
