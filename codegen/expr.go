package codegen

import (
	"math"
	"slices"
	"strings"

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
	return exprRanked(e, name, nil)
}

// exprRanked is expr with the terms of sums in rank order (see orderTerms).
func exprRanked(e *symbolic.Expr, name func(string) string, rank sumRank) jen.Code {
	c, _ := gen(e, name, rank)
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

func gen(e *symbolic.Expr, name func(string) string, rank sumRank) (jen.Code, int) {
	switch e.Op {
	case symbolic.OpConst:
		return num(e.Val)
	case symbolic.OpVar:
		return jen.Id(name(e.Name)), goPrimary
	case symbolic.OpAdd:
		return genSum(e, name, rank)
	case symbolic.OpMul:
		return genProduct(e, name, rank)
	case symbolic.OpPow:
		return genPow(e.Args[0], e.Args[1], name, rank)
	case symbolic.OpCall:
		return genCall(e, name, rank)
	case symbolic.OpCond:
		return jen.Qual(runtimePkg, "Choose").Call(exprRanked(e.Args[0], name, rank), exprRanked(e.Args[1], name, rank), exprRanked(e.Args[2], name, rank)), goPrimary
	case symbolic.OpNot:
		x, p := gen(e.Args[0], name, rank)
		return jen.Op("!").Add(wrap(x, p, goUnary)), goUnary
	case symbolic.OpAnd, symbolic.OpOr:
		p := goAnd
		if e.Op == symbolic.OpOr {
			p = goOr
		}
		a, pa := gen(e.Args[0], name, rank)
		b, pb := gen(e.Args[1], name, rank)
		return jen.Add(wrap(a, pa, p)).Op(e.Op.String()).Add(wrap(b, pb, p+1)), p
	default: // comparisons
		a, pa := gen(e.Args[0], name, rank)
		b, pb := gen(e.Args[1], name, rank)
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

func genSum(e *symbolic.Expr, name func(string) string, rank sumRank) (jen.Code, int) {
	s := jen.Null()
	for i, t := range orderTerms(e.Args, rank) {
		neg, mag := term(t)
		if i == 0 {
			c, p := gen(t, name, rank)
			s.Add(wrap(c, p, goAdd))
			continue
		}
		c, p := gen(mag, name, rank)
		if neg {
			s.Op("-").Add(wrap(c, p, goMul))
		} else {
			s.Op("+").Add(wrap(c, p, goMul))
		}
	}
	return s, goAdd
}

func genProduct(e *symbolic.Expr, name func(string) string, rank sumRank) (jen.Code, int) {
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
		c, p := gen(numer[0], name, rank)
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
		c, p := gen(f, name, rank)
		factor("*", c, p, goMul)
	}
	for _, f := range denom {
		c, p := gen(f, name, rank)
		factor("/", c, p, goMul+1)
	}
	return s, prec
}

// genPow writes small integer powers as products (x*x*x), halves as square roots and the rest
// as math.Pow.
func genPow(b, x *symbolic.Expr, name func(string) string, rank sumRank) (jen.Code, int) {
	bc, bp := gen(b, name, rank)
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
	return jen.Qual(mathPkg, "Pow").Call(bc, exprRanked(x, name, rank)), goPrimary
}

var mathFuncs = map[string]string{
	"expm1": "Expm1", "log": "Log", "log1p": "Log1p", "tanh": "Tanh",
	"sinh": "Sinh", "cosh": "Cosh", "sqrt": "Sqrt", "abs": "Abs",
}

func genCall(e *symbolic.Expr, name func(string) string, rank sumRank) (jen.Code, int) {
	args := make([]jen.Code, len(e.Args))
	for i, a := range e.Args {
		args[i] = exprRanked(a, name, rank)
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
		return genPow(e.Args[0], e.Args[1], name, rank)
	}
	panic("codegen: no Go for function " + e.Name)
}

// sumRank ranks symbols for the order of a sum's terms: the membrane's sum of currents and
// the linear coefficient of V in the order of the spec's channels, rather than symbolic's
// canonical order (I_K + I_L + I_Na). Nil ranks nothing.
type sumRank map[string]int

// orderTerms returns the terms of a sum in reading order (symbolic.ReadingOrder: positive
// terms, then constants, then negative ones), and each run of terms of one sign in which
// every term mentions a ranked symbol in rank order: a term's rank is the least of its
// symbols'. The order changes how the sum is written, and so its last bits, not its value.
func orderTerms(terms []*symbolic.Expr, rank sumRank) []*symbolic.Expr {
	out := symbolic.ReadingOrder(terms)
	if len(rank) == 0 {
		return out
	}
	class := func(t *symbolic.Expr) [2]bool {
		neg, _ := term(t)
		_, isConst := t.IsConst()
		return [2]bool{neg, isConst}
	}
	termRank := func(t *symbolic.Expr) (int, bool) {
		r, ok := 0, false
		for _, v := range symbolic.Vars(t) {
			if k, found := rank[v]; found && (!ok || k < r) {
				r, ok = k, true
			}
		}
		return r, ok
	}
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && class(out[j]) == class(out[i]) {
			j++
		}
		run := out[i:j]
		ranks := make(map[*symbolic.Expr]int, len(run))
		all := true
		for _, t := range run {
			r, ok := termRank(t)
			all = all && ok
			ranks[t] = r
		}
		if all && len(run) > 1 {
			slices.SortStableFunc(run, func(a, b *symbolic.Expr) int { return ranks[a] - ranks[b] })
		}
		i = j
	}
	return out
}

// sumRanks ranks the symbols of each channel (its current, its gates, its parameters) by the
// channel's place in the spec, and the external input after them, for orderTerms: the
// membrane's sum reads I_Na + I_K + I_L + I_ext, as the spec lists the channels.
func (g *generator) sumRanks() sumRank {
	if g.ranks == nil {
		m := g.m
		g.ranks = sumRank{}
		for i, ch := range m.Channels {
			g.ranks[ch.Current.Local] = i
			for _, st := range ch.Gates {
				g.ranks[st.Local] = i
			}
			for _, p := range m.Params {
				if strings.HasPrefix(p.Name, ch.Name+".") {
					g.ranks[p.Local] = i
				}
			}
		}
		g.ranks[m.Input] = len(m.Channels)
	}
	return g.ranks
}
