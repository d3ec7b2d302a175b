package middle

import (
	"fmt"
	"slices"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Linearize returns m with each state's linear coefficient L = ∂(dx/dt)/∂x, which exp_auto and
// staggered integrate exactly, for a method that needs them (ir.Method.Linearised): one
// statement per state, L_x, after the others, obtained by symbolic differentiation of the
// state's derivative through the statements it uses (the chain rule through rates, currents,
// an ion's total current). For any other method it returns a copy of m. m is left as it is.
func Linearize(m *ir.Model) *ir.Model {
	c, _ := clone(m)
	if !c.Method.Linearised() {
		return c
	}
	byLocal := map[string]*ir.Stmt{}
	for _, st := range slices.Concat(c.Pre, c.Body) {
		byLocal[st.Local] = st
	}
	names := newNamer(c)
	for _, st := range c.States {
		L := symbolic.Differentiate(st.Deriv.Expr, st.Local, chain(byLocal, st.Local))
		note := fmt.Sprintf("∂(d%s/dt)/∂%s: the linear part that %s integrates exactly", st.Name, st.Name, c.Method)
		if c.Method == ir.Staggered && st == c.States[0] {
			note = fmt.Sprintf("∂(d%s/dt)/∂%s: the linear part that Crank–Nicolson treats implicitly", st.Name, st.Name)
		}
		st.Linear = &ir.Stmt{Local: names.Name("L_" + st.Local), Expr: L, Comment: []string{note}, Pos: st.Deriv.Pos}
		c.Body = append(c.Body, st.Linear)
	}
	return c
}

// chain returns the chain-rule callback for ∂/∂x through the statements: the derivative of the
// value a statement computes, nil where it is zero or the name is no statement's.
func chain(byLocal map[string]*ir.Stmt, x string) func(string) *symbolic.Expr {
	memo := map[string]*symbolic.Expr{}
	var d func(string) *symbolic.Expr
	d = func(name string) *symbolic.Expr {
		st := byLocal[name]
		if st == nil {
			return nil
		}
		if r, ok := memo[name]; ok {
			return r
		}
		r := symbolic.Differentiate(st.Expr, x, d)
		if r.Is(0) {
			r = nil
		}
		memo[name] = r
		return r
	}
	return d
}
