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
	reads := varying(c, byLocal)
	for _, st := range c.States {
		ys := drivers(c, st, reads)
		var coupled []*ir.Coupling
		for _, y := range ys {
			K := symbolic.Differentiate(st.Deriv.Expr, y.Local, chain(byLocal, y.Local))
			if len(reads(K)) > 0 {
				coupled = nil
				break
			}
			note := fmt.Sprintf("∂(d%s/dt)/∂%s: %s drives %s linearly, and %s integrates the two exactly together", st.Name, y.Name, y.Name, st.Name, c.Method)
			name := "K_" + st.Local
			if len(ys) > 1 {
				name += "_" + y.Local
			}
			coupled = append(coupled, &ir.Coupling{From: y, Coef: &ir.Stmt{Local: names.Name(name), Expr: K, Comment: []string{note}, Pos: st.Deriv.Pos}})
		}
		for _, k := range coupled {
			c.Body = append(c.Body, k.Coef)
		}
		st.Coupled = coupled
	}
	return c
}

// drivers returns the states y_j that drive receptor state x linearly, where x is integrated
// exactly together with them (ir.Coupling): x's derivative reads x, the y_j and frozen states
// alone (no V, no time, no input; a frozen state's derivative is 0, as a kinetic receptor's
// w_on), each y_j's reads y_j and frozen states alone, and the linear coefficients of x and the
// y_j read none. (The coupling coefficients are checked by the caller.) Else nil.
func drivers(m *ir.Model, x *ir.State, reads func(*symbolic.Expr) map[string]bool) []*ir.State {
	if x.Kind != ir.Receptor || x.Receptor == nil || x.Linear == nil || len(reads(x.Linear.Expr)) > 0 {
		return nil
	}
	frozen := map[string]bool{}
	mine := map[string]*ir.State{}
	for _, st := range x.Receptor.States {
		if st.Deriv.Expr.Is(0) {
			frozen[st.Local] = true
		}
		mine[st.Local] = st
	}
	var ys []*ir.State
	for _, st := range x.Receptor.States { // in spec order
		if st == x || frozen[st.Local] || !reads(x.Deriv.Expr)[st.Local] {
			continue
		}
		ys = append(ys, st)
	}
	for n := range reads(x.Deriv.Expr) {
		if y := mine[n]; y == nil {
			return nil // V, the time, the input or another receptor's state
		}
	}
	for _, y := range ys {
		if y.Linear == nil || len(reads(y.Linear.Expr)) > 0 {
			return nil
		}
		for n := range reads(y.Deriv.Expr) {
			if n != y.Local && !frozen[n] {
				return nil
			}
		}
	}
	return ys
}

// varying returns the function that gives the names of the states, the time and the input
// that an expression reads, through the statements it uses (byLocal).
func varying(m *ir.Model, byLocal map[string]*ir.Stmt) func(*symbolic.Expr) map[string]bool {
	leaf := map[string]bool{m.Time: true, m.Input: true}
	for _, st := range m.States {
		leaf[st.Local] = true
	}
	memo := map[string]map[string]bool{}
	var of func(e *symbolic.Expr) map[string]bool
	of = func(e *symbolic.Expr) map[string]bool {
		out := map[string]bool{}
		for _, v := range symbolic.Vars(e) {
			if leaf[v] {
				out[v] = true
				continue
			}
			st := byLocal[v]
			if st == nil {
				continue
			}
			r, ok := memo[v]
			if !ok {
				memo[v] = nil // a cycle reads nothing more
				r = of(st.Expr)
				memo[v] = r
			}
			for n := range r {
				out[n] = true
			}
		}
		return out
	}
	return of
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
