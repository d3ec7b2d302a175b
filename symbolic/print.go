package symbolic

import (
	"math"
	"strings"
)

// String prints e in the spec's expression language, with the minimum of parentheses: sums
// with their constant last and negative terms as subtractions, products with negative powers as
// divisions. The output parses back (with the parser package) to an expression with the same
// canonical form.
func (e *Expr) String() string {
	var b strings.Builder
	Print(&b, e, func(name string) string { return name })
	return b.String()
}

// Precedence levels of the printed language, loosest first.
const (
	precCond = iota + 1
	precOr
	precAnd
	precCmp
	precAdd
	precMul
	precUnary
	precPow
	precAtom
)

// Print writes e to b in the spec's expression language, naming each symbol with name.
func Print(b *strings.Builder, e *Expr, name func(string) string) {
	p := printer{b: b, name: name}
	p.expr(e, 0)
}

type printer struct {
	b    *strings.Builder
	name func(string) string
}

func (p *printer) expr(e *Expr, outer int) {
	prec := Prec(e)
	if prec < outer {
		p.b.WriteByte('(')
		defer p.b.WriteByte(')')
	}
	switch e.Op {
	case OpConst:
		p.b.WriteString(fmtNum(e.Val))
	case OpVar:
		p.b.WriteString(p.name(e.Name))
	case OpAdd:
		for i, t := range ReadingOrder(e.Args) {
			k, rest := coefTerm(t)
			if v, ok := t.IsConst(); ok {
				k, rest = v, nil
			}
			switch {
			case i == 0:
				if rest == nil {
					p.b.WriteString(fmtNum(k))
				} else {
					p.expr(t, precAdd)
				}
				continue
			case k < 0:
				p.b.WriteString(" - ")
				if rest == nil {
					p.b.WriteString(fmtNum(-k))
				} else {
					p.expr(Mul(Const(-k), rest), precMul)
				}
			default:
				p.b.WriteString(" + ")
				p.expr(t, precMul)
			}
		}
	case OpMul:
		num, den, coef := SplitFraction(e)
		if coef < 0 {
			p.b.WriteByte('-')
			coef = -coef
		}
		first := true
		if coef != 1 || len(num) == 0 {
			p.b.WriteString(fmtNum(coef))
			first = false
		}
		for _, f := range num {
			if !first {
				p.b.WriteString(" * ")
			}
			p.expr(f, precMul)
			first = false
		}
		for _, f := range den {
			p.b.WriteString(" / ")
			p.expr(f, precMul+1)
		}
	case OpPow:
		if ev, ok := e.Args[1].IsConst(); ok && ev == -1 {
			p.b.WriteString("1 / ")
			p.expr(e.Args[0], precMul+1)
			return
		}
		p.expr(e.Args[0], precPow+1)
		p.b.WriteString("**")
		if e.Args[1].Op == OpPow { // a**(b**c): the parser refuses chained powers
			p.expr(e.Args[1], precAtom)
		} else {
			p.expr(e.Args[1], precUnary)
		}
	case OpCall:
		p.b.WriteString(e.Name)
		p.b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				p.b.WriteString(", ")
			}
			p.expr(a, 0)
		}
		p.b.WriteByte(')')
	case OpCond:
		p.expr(e.Args[0], precOr)
		p.b.WriteString(" ? ")
		p.expr(e.Args[1], precCond)
		p.b.WriteString(" : ")
		p.expr(e.Args[2], precCond)
	case OpNot:
		p.b.WriteByte('!')
		p.expr(e.Args[0], precUnary)
	case OpAnd, OpOr:
		p.expr(e.Args[0], prec)
		p.b.WriteString(" " + e.Op.String() + " ")
		p.expr(e.Args[1], prec+1)
	default: // comparisons
		p.expr(e.Args[0], precAdd)
		p.b.WriteString(" " + e.Op.String() + " ")
		p.expr(e.Args[1], precAdd)
	}
}

// Prec is the binding strength of e's top operator when printed.
func Prec(e *Expr) int {
	switch e.Op {
	case OpConst:
		if e.Val < 0 || math.Signbit(e.Val) {
			return precUnary
		}
		return precAtom
	case OpVar, OpCall:
		return precAtom
	case OpAdd:
		return precAdd
	case OpMul:
		if _, _, coef := SplitFraction(e); coef < 0 {
			return precUnary
		}
		return precMul
	case OpPow:
		if ev, ok := e.Args[1].IsConst(); ok && ev == -1 {
			return precMul
		}
		return precPow
	case OpCond:
		return precCond
	case OpOr:
		return precOr
	case OpAnd:
		return precAnd
	case OpNot:
		return precUnary
	}
	return precCmp
}

// SplitFraction splits a product into its numerator factors, its denominator factors (factors
// with a negative constant exponent, returned with the exponent's sign flipped) and its numeric
// coefficient. For an expression that is not a product it returns ([e], nil, 1).
func SplitFraction(e *Expr) (num, den []*Expr, coef float64) {
	coef = 1
	fs := []*Expr{e}
	if e.Op == OpMul {
		fs = e.Args
	}
	for _, f := range fs {
		if v, ok := f.IsConst(); ok {
			coef *= v
			continue
		}
		if f.Op == OpPow {
			if ev, ok := f.Args[1].IsConst(); ok && ev < 0 {
				den = append(den, Pow(f.Args[0], Const(-ev)))
				continue
			}
		}
		num = append(num, f)
	}
	return num, den, coef
}

// ReadingOrder orders the terms of a sum for reading: positive terms first (a constant last
// among them), then negative ones, so that E − V and 1 − m read as written rather than as
// −V + E and −m + 1.
func ReadingOrder(terms []*Expr) []*Expr {
	var pos, posConst, neg, negConst []*Expr
	for _, t := range terms {
		k, _ := coefTerm(t)
		v, isConst := t.IsConst()
		switch {
		case isConst && v >= 0:
			posConst = append(posConst, t)
		case isConst:
			negConst = append(negConst, t)
		case k < 0:
			neg = append(neg, t)
		default:
			pos = append(pos, t)
		}
	}
	out := make([]*Expr, 0, len(terms))
	out = append(out, pos...)
	out = append(out, posConst...)
	out = append(out, neg...)
	return append(out, negConst...)
}
