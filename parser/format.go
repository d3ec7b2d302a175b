package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// Format prints e in canonical form: single spaces around binary operators and around `?` and
// `:`, no space after a unary operator, calls as f(a, b), and parentheses where e has Paren
// nodes and where the grammar needs them to keep e's structure. Parse reads the result back to
// a tree equal to e apart from positions and Paren nodes, and formatting that tree gives the
// same text again (provided the text is at most MaxLen bytes long: the added spaces can push a
// long expression over the limit).
//
// Numbers print as their original text. The only extra space is between two unary operators,
// as in `- -x`, because govaluate would read `--` as one (unknown) operator.
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e)
	return b.String()
}

func format(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *Num:
		if e.Text != "" {
			b.WriteString(e.Text)
		} else {
			b.WriteString(strconv.FormatFloat(e.Value, 'g', -1, 64))
		}
	case *Ident:
		b.WriteString(e.Name)
	case *Paren:
		b.WriteByte('(')
		format(b, e.X)
		b.WriteByte(')')
	case *Call:
		if e.Fun != nil {
			b.WriteString(e.Fun.Name)
		}
		b.WriteByte('(')
		for i, arg := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, arg)
		}
		b.WriteByte(')')
	case *Unary:
		b.WriteString(e.Op.String())
		if _, ok := e.X.(*Unary); ok {
			b.WriteByte(' ')
		}
		formatOperand(b, e.X, prec(e.X) < precUnary || isPow(e.X))
	case *Binary:
		var parenX, parenY bool
		switch p := binaryPrec(e.Op); {
		case e.Op == OpPow: // primary "**" unary, with no `**` directly in the exponent
			parenX = prec(e.X) < precPrimary
			parenY = prec(e.Y) < precUnary || isPow(e.Y)
		case e.Op.IsComparison(): // comparisons do not chain
			parenX = prec(e.X) <= p
			parenY = prec(e.Y) <= p
		default: // left-associative
			parenX = prec(e.X) < p
			parenY = prec(e.Y) <= p
		}
		formatOperand(b, e.X, parenX)
		b.WriteString(" " + e.Op.String() + " ")
		formatOperand(b, e.Y, parenY)
	case *Cond:
		formatOperand(b, e.Cond, prec(e.Cond) <= precCond)
		b.WriteString(" ? ")
		formatOperand(b, e.Then, prec(e.Then) == precCond) // Parse needs the parentheses
		b.WriteString(" : ")
		formatOperand(b, e.Else, prec(e.Else) == precCond)
	default:
		fmt.Fprintf(b, "<bad expression %T>", e)
	}
}

func formatOperand(b *strings.Builder, e Expr, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	format(b, e)
	if paren {
		b.WriteByte(')')
	}
}

// prec returns the binding strength of e's outermost construct.
func prec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		return binaryPrec(e.Op)
	case *Unary:
		return precUnary
	case *Cond:
		return precCond
	}
	return precPrimary
}

func isPow(e Expr) bool {
	b, ok := e.(*Binary)
	return ok && b.Op == OpPow
}

// Inspect traverses e in depth-first order, like go/ast.Inspect: it calls f(e); if that returns
// true, Inspect visits each child of e in source order, then calls f(nil).
func Inspect(e Expr, f func(Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	switch e := e.(type) {
	case *Unary:
		Inspect(e.X, f)
	case *Binary:
		Inspect(e.X, f)
		Inspect(e.Y, f)
	case *Call:
		if e.Fun != nil {
			Inspect(e.Fun, f)
		}
		for _, arg := range e.Args {
			Inspect(arg, f)
		}
	case *Cond:
		Inspect(e.Cond, f)
		Inspect(e.Then, f)
		Inspect(e.Else, f)
	case *Paren:
		Inspect(e.X, f)
	}
	f(nil)
}

// Unparen returns e with any enclosing Paren nodes removed.
func Unparen(e Expr) Expr {
	for {
		p, ok := e.(*Paren)
		if !ok || p == nil {
			return e
		}
		e = p.X
	}
}
