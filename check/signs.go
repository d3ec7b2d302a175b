package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/parser"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

// This file holds the check of the sign convention of currents. neurogen's currents are inward
// positive, g·(E − V), the opposite of NEURON's outward-positive g·(v − e): a current copied
// from a .mod file with its sign kept is valid in every other respect, and silently turns the
// channel's feedback around (a potassium current that depolarises, a leak that pushes V away
// from rest). Such a current is recognised by its slope at its reversal potential: an inward-
// positive conductance current falls as V rises (∂I/∂V = −g·… < 0 at V = E), an outward-
// positive one rises. It gets a warning, not an error: the spec is valid, and a current with
// that slope may be what its author means (a negative conductance).

// signWarning is the convention a warning about a current's sign explains.
const signWarning = "neurogen's currents are inward positive, `g*(E - V)`, unlike NEURON's outward-positive `g*(v - e)`"

// warnf records a warning at pos in scope sc; like report, a position inside a stock
// channel's text is reported at the `use:` that brought the channel in.
func (c *checker) warnf(sc *scope, pos spec.Pos, code spec.Code, format string, args ...any) {
	for s := sc; s != nil; s = s.parent {
		if s.stock != "" {
			if pos.File() != s.useAt.File() {
				msg := fmt.Sprintf(format, args...)
				c.m.Warnings.Add(s.useAt, code, "%s: %s (at %s)", usedName(s.kindName(), s.stock), msg, pos)
				return
			}
			break
		}
	}
	c.m.Warnings.Add(pos, code, format, args...)
}

// signCheck warns when the current of a channel or receptor (what: "channel `Na`"), converted
// to cur, is written outward positive. A channel with the default current,
// g_max·x**p·…·(E − V), is right by construction.
func (c *checker) signCheck(what string, sc *scope, text *spec.Text, cur *symbolic.Expr) {
	if text == nil || !c.outwardPositive(cur, c.m.States[0].Local) {
		return
	}
	fix := "write the driving force as `(E - V)`, or negate the current"
	if ast, err := parser.Parse(text.Src); err == nil {
		if x := drivingForce(ast); x != nil {
			fix = fmt.Sprintf("write `%s - V` for `%s`", strings.TrimSpace(text.Src[x.Y.Pos():x.Y.End()]),
				strings.TrimSpace(text.Src[x.Pos():x.End()]))
		}
	}
	c.warnf(sc, text.Pos, spec.OutwardCurrent, "the current of %s increases with V at its reversal potential, so it is outward positive: %s; %s",
		what, signWarning, fix)
}

// outwardPositive reports whether a current, in canonical form over Go locals, has a term that
// is conductance-like, a product with exactly one factor affine in V (the driving force,
// k·(V − E)) and other factors such as a conductance and gates, and whose slope ∂/∂V at its
// reversal potential E is positive. The slope is taken at the parameters' defaults, with gates
// at one half, receptor states at 1, 2, … (conductances are positive) and concentrations at their
// initial values. A current of any other form (a GHK
// current, one that uses an ion's total current) is not judged.
func (c *checker) outwardPositive(cur *symbolic.Expr, V string) bool {
	vals := c.signValues()
	env := func(n string) float64 {
		if v, ok := vals[n]; ok {
			return v
		}
		return math.NaN()
	}
	terms := []*symbolic.Expr{cur}
	if cur.Op == symbolic.OpAdd {
		terms = cur.Args
	}
	for _, term := range terms {
		factors := []*symbolic.Expr{term}
		if term.Op == symbolic.OpMul {
			factors = term.Args
		}
		var force *symbolic.Expr
		n := 0
		for _, f := range factors {
			k := symbolic.Differentiate(f, V, nil)
			if k.Is(0) || !symbolic.Differentiate(k, V, nil).Is(0) {
				continue
			}
			force = f
			n++
		}
		if n != 1 {
			continue
		}
		// force(V) = force(0) + k·V vanishes at E = −force(0)/k.
		vals[V] = 0
		k := symbolic.Eval(symbolic.Differentiate(force, V, nil), env)
		E := -symbolic.Eval(force, env) / k
		vals[V] = E
		slope := symbolic.Eval(symbolic.Differentiate(term, V, nil), env)
		if !math.IsNaN(slope) && !math.IsInf(slope, 0) && slope > 0 {
			return true
		}
	}
	return false
}

// signValues gives every leaf a typical value for outwardPositive: parameters their defaults,
// gates one half, concentrations their initial values, t and the input 0. Anything else (an
// ion's total current) has none, and is NaN in outwardPositive, which makes the slope NaN and the term unjudged.
func (c *checker) signValues() map[string]float64 {
	vals := map[string]float64{c.m.Time: 0, c.m.Input: 0}
	for _, p := range c.m.Params {
		vals[p.Local] = p.Default
	}
	def := c.defaultEnv()
	for _, st := range c.m.States[1:] {
		switch {
		case st.Kind == ir.Gate:
			vals[st.Local] = 0.5
		case st.Kind == ir.Receptor:
			// 1, 2, … in spec order: a difference of two states (Exp2Cond's B − A) is a
			// positive conductance, not zero.
			vals[st.Local] = float64(1 + slices.Index(st.Receptor.States, st))
		case st.Init != nil:
			vals[st.Local] = symbolic.Eval(st.Init, def)
		}
	}
	return vals
}

// drivingForce finds a difference `V - X` in an expression (through parentheses), the
// outward-positive driving force a fix can turn around; nil if there is none.
func drivingForce(e parser.Expr) *parser.Binary {
	switch x := e.(type) {
	case *parser.Paren:
		return drivingForce(x.X)
	case *parser.Unary:
		return drivingForce(x.X)
	case *parser.Binary:
		if x.Op == parser.OpSub {
			if id, ok := unparen(x.X).(*parser.Ident); ok && id.Name == "V" {
				return x
			}
		}
		if d := drivingForce(x.X); d != nil {
			return d
		}
		return drivingForce(x.Y)
	case *parser.Call:
		for _, a := range x.Args {
			if d := drivingForce(a); d != nil {
				return d
			}
		}
	case *parser.Cond:
		for _, a := range []parser.Expr{x.Then, x.Else} {
			if d := drivingForce(a); d != nil {
				return d
			}
		}
	}
	return nil
}

func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}
