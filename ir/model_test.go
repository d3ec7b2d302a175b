package ir_test

import (
	"slices"
	"testing"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// closureModel is a hand-built model: c1 before the loop; a, b, dV and L_V for the step; r only
// for a rate; the gate x has a derivative and no linear coefficient.
func closureModel() (m *ir.Model, st map[string]*ir.Stmt) {
	v := symbolic.Var
	st = map[string]*ir.Stmt{}
	stmt := func(local string, e *symbolic.Expr) *ir.Stmt {
		s := &ir.Stmt{Local: local, Expr: e}
		st[local] = s
		return s
	}
	m = &ir.Model{Input: "I_ext", Time: "t"}
	m.Pre = []*ir.Stmt{stmt("c1", symbolic.Div(symbolic.Const(1), v("C")))}
	m.Body = []*ir.Stmt{
		stmt("a", symbolic.Call("exp", v("V"))),
		stmt("r", symbolic.Mul(symbolic.Const(2), v("V"))),
		stmt("b", symbolic.Mul(v("a"), v("c1"))),
		stmt("dx", symbolic.Sub(v("a"), v("x"))),
		stmt("dV", symbolic.Add(v("b"), v("I_ext"))),
		stmt("L_V", v("c1")),
	}
	m.States = []*ir.State{
		{Name: "V", Local: "V", Kind: ir.Voltage, Deriv: st["dV"], Linear: st["L_V"]},
		{Name: "x", Local: "x", Kind: ir.Gate, Deriv: st["dx"]},
	}
	m.Rates = []*ir.Rate{{Name: "x.r", Stmt: st["r"]}}
	return m, st
}

// TestClosure: the statements needed for some, them included, in the model's order and split,
// and nothing else; nil roots are skipped; the model does not change.
func TestClosure(t *testing.T) {
	m, st := closureModel()
	locals := func(list []*ir.Stmt) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.Local)
		}
		return out
	}
	check := func(what string, pre, body []*ir.Stmt, wantPre, wantBody []string) {
		t.Helper()
		if !slices.Equal(locals(pre), wantPre) || !slices.Equal(locals(body), wantBody) {
			t.Errorf("%s: %v | %v, want %v | %v", what, locals(pre), locals(body), wantPre, wantBody)
		}
	}
	pre, body := m.Closure(st["dV"])
	check("Closure(dV)", pre, body, []string{"c1"}, []string{"a", "b", "dV"})
	pre, body = m.Closure(st["L_V"], nil)
	check("Closure(L_V, nil)", pre, body, []string{"c1"}, []string{"L_V"})
	pre, body = m.Closure(m.Rates[0].Stmt)
	check("Closure(r)", pre, body, nil, []string{"r"})
	pre, body = m.StepClosure()
	check("StepClosure", pre, body, []string{"c1"}, []string{"a", "b", "dx", "dV", "L_V"})
	pre, body = m.ExprClosure(symbolic.Mul(symbolic.Var("b"), symbolic.Var("x")))
	check("ExprClosure(b*x)", pre, body, []string{"c1"}, []string{"a", "b"})
	pre, body = m.Closure()
	check("Closure()", pre, body, nil, nil)
	if len(m.Pre) != 1 || len(m.Body) != 6 || m.States[0].Deriv != st["dV"] {
		t.Errorf("Closure changed the model")
	}
}
