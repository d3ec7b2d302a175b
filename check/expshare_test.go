package check

import (
	"math"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/symbolic"
)

func TestAffine(t *testing.T) {
	V := symbolic.Var("V")
	for _, c := range []struct {
		e    *symbolic.Expr
		x    string
		c, d float64
		ok   bool
	}{
		{V, "V", 1, 0, true},
		{symbolic.Mul(symbolic.Const(-0.1), symbolic.Add(V, symbolic.Const(40))), "V", -0.1, -4, true},
		{symbolic.Add(symbolic.Mul(symbolic.Const(2), V), symbolic.Const(3), symbolic.Mul(symbolic.Const(0.5), V)), "V", 2.5, 3, true},
		{symbolic.Mul(V, V), "", 0, 0, false},
		{symbolic.Add(V, symbolic.Var("W")), "", 0, 0, false},
		{symbolic.Sub(V, V), "", 0, 0, false},
		{symbolic.Call("exp", V), "", 0, 0, false},
	} {
		x, cc, d, ok := affine(c.e)
		if ok != c.ok || ok && (x != c.x || math.Abs(cc-c.c) > 1e-15 || math.Abs(d-c.d) > 1e-13) {
			t.Errorf("affine(%s) = %q, %g, %g, %v; want %q, %g, %g, %v", c.e.Key(), x, cc, d, ok, c.x, c.c, c.d, c.ok)
		}
	}
}

// TestShareExps: the HH52 rates' exponentials in V become three, every rewritten expression
// evaluates to the original within a few ulp over the range of V and at the poles, and an
// exponential alone in its family is left as it was.
func TestShareExps(t *testing.T) {
	V := symbolic.Var("V")
	lin := func(c, d float64) *symbolic.Expr {
		return symbolic.Mul(symbolic.Const(c), symbolic.Add(V, symbolic.Const(d)))
	}
	exprs := []*symbolic.Expr{
		symbolic.Div(symbolic.Const(1), symbolic.Call("exprel", lin(-0.1, 40))),                               // α_m
		symbolic.Mul(symbolic.Const(4), symbolic.Call("exp", lin(-1.0/18, 65))),                               // β_m
		symbolic.Mul(symbolic.Const(0.07), symbolic.Call("exp", lin(-1.0/20, 65))),                            // α_h
		symbolic.Div(symbolic.Const(1), symbolic.Add(symbolic.Const(1), symbolic.Call("exp", lin(-0.1, 35)))), // β_h
		symbolic.Div(symbolic.Const(0.1), symbolic.Call("exprel", lin(-0.1, 55))),                             // α_n
		symbolic.Mul(symbolic.Const(0.125), symbolic.Call("exp", lin(-1.0/80, 65))),                           // β_n
		symbolic.Call("exp", symbolic.Mul(symbolic.Const(0.3), symbolic.Var("T"))),                            // alone
	}
	orig := append([]*symbolic.Expr(nil), exprs...)
	shared := shareExps(exprs)
	bases := map[string]bool{}
	for _, e := range exprs {
		symbolic.Walk(e, func(n *symbolic.Expr) bool {
			if n.Op == symbolic.OpCall && n.Name == "exp" {
				bases[n.Key()] = true
			}
			return true
		})
	}
	if len(bases) != 4 { // -0.1, -1/18 and -1/80 in V; 0.3 in T
		t.Errorf("%d distinct exponentials after sharing, want 4: %v", len(bases), bases)
	}
	if exprs[6] != orig[6] {
		t.Errorf("a lone exponential was rewritten: %s", exprs[6].Key())
	}
	if !strings.Contains(exprs[0].Key(), "exprel_of") || !strings.Contains(exprs[4].Key(), "exprel_of") {
		t.Errorf("the exprel calls are not exprel_of: %s, %s", exprs[0].Key(), exprs[4].Key())
	}
	// The report: the five exponentials of the two families of two or more (α_m's and α_n's
	// through their exprel), each computed from one of the families' two shared ones.
	var got []string
	for _, s := range shared {
		got = append(got, s.Exp.String())
		inner := 0
		symbolic.Walk(s.As, func(n *symbolic.Expr) bool {
			if n.Op == symbolic.OpCall {
				inner++
				if !bases[n.Key()] {
					t.Errorf("%s is computed as %s, not from a shared exponential", s.Exp, s.As)
				}
			}
			return true
		})
		if inner != 1 {
			t.Errorf("%s is computed as %s: want one exponential", s.Exp, s.As)
		}
	}
	want := []string{"exp(-0.1 * (V + 40))", "exp(-0.05 * (V + 65))", "exp(-0.1 * (V + 35))", "exp(-0.1 * (V + 55))", "exp(-0.0125 * (V + 65))"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("shared exponentials reported:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, v := range []float64{-100, -80, -65, -55, -40, -35.5, -20, 0, 30, 60, -55 + 1e-9, -40 - 1e-7} {
		env := symbolic.MapEnv(map[string]float64{"V": v, "T": 6.3})
		for _, s := range shared {
			a, b := symbolic.Eval(s.Exp, env), symbolic.Eval(s.As, env)
			if math.Abs(a-b) > 8e-16*math.Abs(a) {
				t.Errorf("V = %g: %s is %v, computed as %s it is %v", v, s.Exp, a, s.As, b)
			}
		}
		for i := range exprs {
			a, b := symbolic.Eval(orig[i], env), symbolic.Eval(exprs[i], env)
			if math.Abs(a-b) > 8e-16*math.Abs(a) {
				t.Errorf("V = %g: expression %d is %v shared, %v direct (relative difference %.2g)", v, i, b, a, math.Abs(a-b)/math.Abs(a))
			}
		}
	}
}
