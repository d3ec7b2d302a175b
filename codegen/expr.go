package codegen

import (
	"math"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/symbolic"
)

const (
	mathPkg    = "math"
	runtimePkg = "github.com/neurogen/neurogen/runtime"
)

// Go operator precedences (higher binds tighter).
const (
	goOr = iota + 1
	goAnd
	goCmp
	goAdd
	goMul
	goUnary
	goPrimary
)

// expr renders e as Go code that computes it in float64 (bool for conditions). name maps
// symbols to Go locals.
func expr(e *symbolic.Expr, name func(string) string) jen.Code {
	c, _ := gen(e, name)
	return c
}

// wrap parenthesises c when its precedence p is below min.
func wrap(c jen.Code, p, min int) jen.Code {
	if p < min {
		return jen.Parens(c)
	}
	return c
}

func num(v float64) (jen.Code, int) {
	switch {
	case math.IsNaN(v):
		return jen.Qual(mathPkg, "NaN").Call(), goPrimary
	case math.IsInf(v, 1):
		return jen.Qual(mathPkg, "Inf").Call(jen.Lit(1)), goPrimary
	case math.IsInf(v, -1):
		return jen.Qual(mathPkg, "Inf").Call(jen.Lit(-1)), goPrimary
	case v == 0 && math.Signbit(v):
		// The literal -0.0 is a constant expression whose value is +0: write what keeps the sign.
		return jen.Qual(mathPkg, "Copysign").Call(jen.Lit(0.0), jen.Lit(-1.0)), goPrimary
	case v < 0:
		return jen.Lit(v), goUnary
	}
	return jen.Lit(v), goPrimary
}

func gen(e *symbolic.Expr, name func(string) string) (jen.Code, int) {
	switch e.Op {
	case symbolic.OpConst:
		return num(e.Val)
	case symbolic.OpVar:
		return jen.Id(name(e.Name)), goPrimary
	case symbolic.OpAdd:
		return genSum(e, name)
	case symbolic.OpMul:
		return genProduct(e, name)
	case symbolic.OpPow:
		return genPow(e.Args[0], e.Args[1], name)
	case symbolic.OpCall:
		return genCall(e, name)
	case symbolic.OpCond:
		return jen.Qual(runtimePkg, "Choose").Call(expr(e.Args[0], name), expr(e.Args[1], name), expr(e.Args[2], name)), goPrimary
	case symbolic.OpNot:
		x, p := gen(e.Args[0], name)
		return jen.Op("!").Add(wrap(x, p, goUnary)), goUnary
	case symbolic.OpAnd, symbolic.OpOr:
		p := goAnd
		if e.Op == symbolic.OpOr {
			p = goOr
		}
		a, pa := gen(e.Args[0], name)
		b, pb := gen(e.Args[1], name)
		return jen.Add(wrap(a, pa, p)).Op(e.Op.String()).Add(wrap(b, pb, p+1)), p
	default: // comparisons
		a, pa := gen(e.Args[0], name)
		b, pb := gen(e.Args[1], name)
		return jen.Add(wrap(a, pa, goAdd)).Op(e.Op.String()).Add(wrap(b, pb, goAdd)), goCmp
	}
}

// term splits a summand into a sign and a magnitude expression.
func term(t *symbolic.Expr) (neg bool, mag *symbolic.Expr) {
	if v, ok := t.IsConst(); ok && v < 0 {
		return true, symbolic.Const(-v)
	}
	if t.Op == symbolic.OpMul {
		if v, ok := t.Args[0].IsConst(); ok && v < 0 {
			return true, symbolic.Mul(symbolic.Const(-v), symbolic.Mul(t.Args[1:]...))
		}
	}
	return false, t
}

func genSum(e *symbolic.Expr, name func(string) string) (jen.Code, int) {
	s := jen.Null()
	for i, t := range symbolic.ReadingOrder(e.Args) {
		neg, mag := term(t)
		if i == 0 {
			c, p := gen(t, name)
			s.Add(wrap(c, p, goAdd))
			continue
		}
		c, p := gen(mag, name)
		if neg {
			s.Op("-").Add(wrap(c, p, goMul))
		} else {
			s.Op("+").Add(wrap(c, p, goMul))
		}
	}
	return s, goAdd
}

func genProduct(e *symbolic.Expr, name func(string) string) (jen.Code, int) {
	numer, denom, coef := symbolic.SplitFraction(e)
	s := jen.Null()
	first := true
	prec := goMul
	factor := func(op string, c jen.Code, p, min int) {
		if first {
			s.Add(wrap(c, p, min))
			first = false
			return
		}
		s.Op(op).Add(wrap(c, p, min))
	}
	switch {
	case coef == -1 && len(numer) > 0:
		// -a*b: unary minus on the first factor, which is exact (IEEE negation commutes).
		c, p := gen(numer[0], name)
		s.Op("-").Add(wrap(c, p, goUnary))
		first = false
		numer = numer[1:]
		prec = goUnary
		if len(numer) > 0 || len(denom) > 0 {
			prec = goMul
		}
	case coef != 1 || len(numer) == 0:
		c, p := num(coef)
		factor("*", c, p, goMul)
		if coef < 0 {
			prec = goUnary
			if len(numer) > 0 || len(denom) > 0 {
				prec = goMul
			}
		}
	}
	for _, f := range numer {
		c, p := gen(f, name)
		factor("*", c, p, goMul)
	}
	for _, f := range denom {
		c, p := gen(f, name)
		factor("/", c, p, goMul+1)
	}
	return s, prec
}

// genPow writes small integer powers as products (x*x*x), halves as square roots and the rest
// as math.Pow.
func genPow(b, x *symbolic.Expr, name func(string) string) (jen.Code, int) {
	bc, bp := gen(b, name)
	if v, ok := x.IsConst(); ok {
		n := math.Abs(v)
		var c jen.Code
		cp := goPrimary
		switch {
		case n == math.Trunc(n) && n >= 1 && n <= 4:
			s := jen.Add(wrap(bc, bp, goMul+1))
			for k := 1; k < int(n); k++ {
				s.Op("*").Add(wrap(bc, bp, goMul+1))
			}
			c = s
			if n > 1 {
				cp = goMul
			}
		case n == 0.5:
			c = jen.Qual(mathPkg, "Sqrt").Call(bc)
		}
		if c != nil {
			if v > 0 {
				return c, cp
			}
			return jen.Lit(1.0).Op("/").Add(wrap(c, cp, goMul+1)), goMul
		}
	}
	return jen.Qual(mathPkg, "Pow").Call(bc, expr(x, name)), goPrimary
}

var mathFuncs = map[string]string{
	"expm1": "Expm1", "log": "Log", "log1p": "Log1p", "tanh": "Tanh",
	"sinh": "Sinh", "cosh": "Cosh", "sqrt": "Sqrt", "abs": "Abs",
}

func genCall(e *symbolic.Expr, name func(string) string) (jen.Code, int) {
	args := make([]jen.Code, len(e.Args))
	for i, a := range e.Args {
		args[i] = expr(a, name)
	}
	if f, ok := mathFuncs[e.Name]; ok {
		return jen.Qual(mathPkg, f).Call(args...), goPrimary
	}
	switch e.Name {
	case "exp":
		// runtime.Exp: within 1 ulp of math.Exp, several times faster (runtime/fastexp.go).
		return jen.Qual(runtimePkg, "Exp").Call(args...), goPrimary
	case "exprel":
		return jen.Qual(runtimePkg, "Exprel").Call(args...), goPrimary
	case "exprel_of":
		return jen.Qual(runtimePkg, "ExprelOf").Call(args...), goPrimary
	case "min", "max":
		return jen.Id(e.Name).Call(args...), goPrimary
	case "clip":
		return jen.Id("min").Call(jen.Id("max").Call(args[0], args[1]), args[2]), goPrimary
	case "pow":
		return genPow(e.Args[0], e.Args[1], name)
	}
	panic("codegen: no Go for function " + e.Name)
}
