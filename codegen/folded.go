package codegen

import (
	"math"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Exponential sharing (middle/expshare.go) computes exp(c·x + d) from a family's shared
// exponential s = exp(c·x + d₀) as e^(d − d₀) · s, with e^(d − d₀) folded into a constant,
// itself often folded with the rate's coefficient: HH52's exp(−(V+35)/10) is
// 1.6487212707001282*s1, and 0.01/ms * exp(−(V+40)/10) beside exp(−(V+35)/10) becomes
// 0.006065306597126334*s2. foldNotes finds such constants in a statement and explains each in
// a comment before it: the power of e (and the coefficient) it is, and which exponential it
// and the shared one compute together.

// foldMark is in every comment of foldNotes (renumberTemps renames the temporaries there).
const foldMark = ", from exp sharing"

// foldNotes returns the comment lines that explain the folded exponential factors of st's
// expression, in the order they appear, each once; rename maps the model's locals to the
// code's, as for the statement.
func (g *generator) foldNotes(st *ir.Stmt, rename func(string) string) []string {
	shared := g.sharedExpLocals()
	if len(shared) == 0 {
		return nil
	}
	var notes []string
	seen := map[float64]bool{}
	symbolic.Walk(st.Expr, func(n *symbolic.Expr) bool {
		if n.Op != symbolic.OpMul {
			return true
		}
		local := ""
		for _, a := range n.Args {
			if a.Op == symbolic.OpPow {
				a = a.Args[0]
			}
			if a.Op == symbolic.OpVar && shared[a.Name] != nil {
				local = a.Name
				break
			}
		}
		if local == "" {
			return true
		}
		for _, a := range n.Args {
			c, ok := a.IsConst()
			if !ok || seen[c] {
				continue
			}
			if note := g.foldNote(c, shared[local], rename(local)); note != "" {
				seen[c] = true
				notes = append(notes, note)
			}
		}
		return true
	})
	return notes
}

// foldNote explains the constant c that multiplies the shared exponential s (named local), or
// returns "".
func (g *generator) foldNote(c float64, s *symbolic.Expr, local string) string {
	num := strconv.FormatFloat(c, 'g', -1, 64)
	for _, se := range g.m.SharedExps {
		f, base := splitConst(se.As)
		if base == nil {
			continue
		}
		if base.Op == symbolic.OpPow {
			base = base.Args[0]
		}
		if base.Key() != s.Key() {
			continue
		}
		x, ok := expPower(f)
		if !ok {
			continue
		}
		factor := "e^" + x
		if c != f {
			a, ok := shortFactor(c, f)
			if !ok {
				continue
			}
			factor = a + " * " + factor
		}
		return num + " = " + factor + foldMark + ": " + g.specText(se.Exp) + " = e^" + x + " * " + local
	}
	if x, ok := expPower(c); ok {
		return num + " = e^" + x + foldMark + " with " + local
	}
	return ""
}

// splitConst splits a product k·e of a constant and one other factor; base is nil for any
// other expression.
func splitConst(e *symbolic.Expr) (k float64, base *symbolic.Expr) {
	if e.Op != symbolic.OpMul || len(e.Args) != 2 {
		return 0, nil
	}
	if v, ok := e.Args[0].IsConst(); ok {
		return v, e.Args[1]
	}
	if v, ok := e.Args[1].IsConst(); ok {
		return v, e.Args[0]
	}
	return 0, nil
}

// shortFactor returns a, in at most six significant digits, such that a·f is c to within two
// units in the last place, or ok = false.
func shortFactor(c, f float64) (a string, ok bool) {
	if f == 0 || math.IsInf(c, 0) || math.IsNaN(c) {
		return "", false
	}
	ulp := math.Abs(math.Nextafter(c, math.Inf(1)) - c)
	for digits := 1; digits <= 6; digits++ {
		s := strconv.FormatFloat(c/f, 'g', digits, 64)
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && math.Abs(v*f-c) <= 2*ulp {
			return s, true
		}
	}
	return "", false
}

// expPower returns x, in at most six significant digits, such that e^x is c to within two
// units in the last place; ok is false when there is none, or when c is a short decimal
// itself (a coefficient of the spec, not a folded factor).
func expPower(c float64) (x string, ok bool) {
	if !(c > 0) || math.IsInf(c, 0) || c == 1 || len(strings.TrimLeft(strings.Replace(strconv.FormatFloat(c, 'e', -1, 64), ".", "", 1), "0")) <= 8 {
		return "", false
	}
	ulp := math.Nextafter(c, math.Inf(1)) - c
	for digits := 1; digits <= 6; digits++ {
		s := strconv.FormatFloat(math.Log(c), 'g', digits, 64)
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && math.Abs(math.Exp(v)-c) <= 2*ulp {
			return s, true
		}
	}
	return "", false
}

// sharedExpLocals returns the statements that compute an exponential, which a folded factor
// may multiply, by their locals: each with the statements it uses substituted, as exponential
// sharing wrote it before the scheduler named its parts (HH-BrainPy's s4 := exp(s3)).
func (g *generator) sharedExpLocals() map[string]*symbolic.Expr {
	if g.expLocals == nil {
		g.expLocals = map[string]*symbolic.Expr{}
		byLocal := map[string]*ir.Stmt{}
		for _, list := range [][]*ir.Stmt{g.m.Pre, g.m.Body} {
			for _, st := range list {
				byLocal[st.Local] = st
			}
		}
		var expand func(e *symbolic.Expr) *symbolic.Expr
		expand = func(e *symbolic.Expr) *symbolic.Expr {
			return symbolic.Substitute(e, func(n string) *symbolic.Expr {
				if st := byLocal[n]; st != nil {
					return expand(st.Expr)
				}
				return nil
			})
		}
		for _, list := range [][]*ir.Stmt{g.m.Pre, g.m.Body} {
			for _, st := range list {
				if st.Expr.Op == symbolic.OpCall && st.Expr.Name == "exp" {
					g.expLocals[st.Local] = expand(st.Expr)
				}
			}
		}
	}
	return g.expLocals
}

// specText prints e in the spec's expression language with the spec's names for parameters
// and states (Na.m rather than Na_m).
func (g *generator) specText(e *symbolic.Expr) string {
	names := map[string]string{}
	for _, p := range g.m.Params {
		names[p.Local] = p.Name
	}
	for _, st := range g.m.States {
		names[st.Local] = st.Name
	}
	var b strings.Builder
	symbolic.Print(&b, e, func(n string) string {
		if s, ok := names[n]; ok {
			return s
		}
		return n
	})
	return b.String()
}
