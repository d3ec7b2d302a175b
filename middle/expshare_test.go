package middle

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/symbolic"
)

func TestAffine(t *testing.T) {
	V, VT, W := symbolic.Var("V"), symbolic.Var("V_T"), symbolic.Var("W")
	isConst := func(n string) bool { return n == "V_T" || n == "V_sh" }
	for _, c := range []struct {
		e    *symbolic.Expr
		x    string
		c, d float64
		ps   map[string]float64 // the parameters' coefficients in d
		ok   bool
	}{
		{V, "V", 1, 0, nil, true},
		{symbolic.Mul(symbolic.Const(-0.1), symbolic.Add(V, symbolic.Const(40))), "V", -0.1, -4, nil, true},
		{symbolic.Add(symbolic.Mul(symbolic.Const(2), V), symbolic.Const(3), symbolic.Mul(symbolic.Const(0.5), V)), "V", 2.5, 3, nil, true},
		// Traub–Miles: (40 − (V − V_T))/5, with the inner difference kept as written.
		{symbolic.Mul(symbolic.Const(0.2), symbolic.Add(symbolic.Const(40), symbolic.Neg(symbolic.Sub(V, VT)))), "V", -0.2, 8, map[string]float64{"V_T": 0.2}, true},
		{symbolic.Add(V, symbolic.Mul(symbolic.Const(3), VT), symbolic.Mul(symbolic.Const(-3), symbolic.Var("V_sh"))), "V", 1, 0, map[string]float64{"V_T": 3, "V_sh": -3}, true},
		{VT, "", 0, 0, nil, false},                                        // no variable
		{symbolic.Add(V, W), "", 0, 0, nil, false},                        // two variables
		{symbolic.Add(V, symbolic.Mul(V, W)), "", 0, 0, nil, false},       // not linear
		{symbolic.Mul(V, VT), "", 0, 0, nil, false},                       // a parameter as a slope
		{symbolic.Add(V, symbolic.Call("exp", VT)), "", 0, 0, nil, false}, // a parameter's function
		{symbolic.Mul(V, V), "", 0, 0, nil, false},
		{symbolic.Sub(V, V), "", 0, 0, nil, false},
		{symbolic.Call("exp", V), "", 0, 0, nil, false},
		{symbolic.Add(symbolic.Mul(symbolic.Const(2), symbolic.Add(V, VT)), symbolic.Mul(symbolic.Const(-2), V)), "", 0, 0, nil, false}, // V cancels
	} {
		x, cc, d, ok := affine(c.e, isConst)
		if ok != c.ok || ok && (x != c.x || math.Abs(cc-c.c) > 1e-15 || math.Abs(d.c-c.d) > 1e-13 || len(d.ps) != len(c.ps)) {
			t.Errorf("affine(%s) = %q, %g, %g%v, %v; want %q, %g, %g%v, %v", c.e.Key(), x, cc, d.c, d.ps, ok, c.x, c.c, c.d, c.ps, c.ok)
			continue
		}
		for p, v := range c.ps {
			if math.Abs(d.ps[p]-v) > 1e-15 {
				t.Errorf("affine(%s): %s's coefficient in d is %g, want %g", c.e.Key(), p, d.ps[p], v)
			}
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
	shared := shareExps(exprs, nil)
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

// TestShareExpsParams: offsets that hold run-constant parameters. Traub–Miles' six rates, all
// shifted by one V_T, share β_h's exponential with α_n's (the factor e^−5 a number, V_T
// cancelling); the same rates with V_T split into two parameters share it through a factor
// exp(0.2·V_sh2 − 0.2·V_sh1 − 5) of the parameters; with the second shift per-neuron (a variable,
// not in params), nothing is shared. Every rewritten expression evaluates to the original within
// 1e-14 at random V and parameter values, far from the defaults too.
func TestShareExpsParams(t *testing.T) {
	V, K := symbolic.Var("V"), symbolic.Const
	// tm returns Traub–Miles' rates with u1 = V − sh1 in the sodium ones, u2 = V − sh2 in the
	// potassium ones (13 − u)/(exp((13 − u)/4) − 1) and so on, their singularities rewritten.
	tm := func(sh1, sh2 string) []*symbolic.Expr {
		u1, u2 := symbolic.Sub(V, symbolic.Var(sh1)), symbolic.Sub(V, symbolic.Var(sh2))
		lin := func(c, a float64, u *symbolic.Expr) *symbolic.Expr {
			return symbolic.Mul(K(c), symbolic.Add(K(a), symbolic.Neg(u)))
		}
		return []*symbolic.Expr{
			symbolic.Div(K(1.28), symbolic.Call("exprel", lin(0.25, 13, u1))),              // α_m
			symbolic.Div(K(1.4), symbolic.Call("exprel", lin(-0.2, 40, u1))),               // β_m
			symbolic.Mul(K(0.128), symbolic.Call("exp", lin(1.0/18, 17, u1))),              // α_h
			symbolic.Div(K(4), symbolic.Add(K(1), symbolic.Call("exp", lin(0.2, 40, u1)))), // β_h
			symbolic.Div(K(0.16), symbolic.Call("exprel", lin(0.2, 15, u2))),               // α_n
			symbolic.Mul(K(0.5), symbolic.Call("exp", lin(0.025, 10, u2))),                 // β_n
		}
	}
	// calls counts the distinct exponentials and exprels of exprs, each computed once.
	calls := func(exprs []*symbolic.Expr) (exps, exprels int) {
		seen := map[string]bool{}
		for _, e := range exprs {
			symbolic.Walk(e, func(n *symbolic.Expr) bool {
				if n.Op == symbolic.OpCall && !seen[n.Key()] {
					seen[n.Key()] = true
					switch n.Name {
					case "exp":
						exps++
					case "exprel":
						exprels++
					}
				}
				return true
			})
		}
		return exps, exprels
	}
	// expIn returns the exponential in e, or exp(u) for its exprel(u).
	expIn := func(e *symbolic.Expr) *symbolic.Expr {
		var x *symbolic.Expr
		symbolic.Walk(e, func(n *symbolic.Expr) bool {
			if n.Op == symbolic.OpCall && (n.Name == "exp" || n.Name == "exprel") {
				x = symbolic.Call("exp", n.Args[0])
			}
			return x == nil
		})
		return x
	}
	for _, c := range []struct {
		name       string
		sh1, sh2   string
		params     map[string]float64
		exps, rels int            // distinct exp and exprel calls after sharing
		rewritten  []int          // the expressions rewritten
		factor     *symbolic.Expr // e^(d − d₀) of α_n to β_h, as α_n's shared exponential has it
	}{
		{"one V_T", "V_T", "V_T", map[string]float64{"V_T": -63}, 3, 1, []int{1, 4}, K(math.Exp(-5))},
		{"two shifts", "V_sh1", "V_sh2", map[string]float64{"V_sh1": -56.2, "V_sh2": -60}, 4, 1, []int{1, 4},
			symbolic.Call("exp", symbolic.Add(K(-5), symbolic.Mul(K(0.2), symbolic.Var("V_sh2")), symbolic.Mul(K(-0.2), symbolic.Var("V_sh1"))))},
		// α_n, of the per-neuron shift, is left alone; β_m and β_h, one use each, share β_m's.
		{"a per-neuron shift", "V_sh1", "V_sh2", map[string]float64{"V_sh1": -56.2}, 3, 2, []int{1, 3}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			orig := tm(c.sh1, c.sh2)
			exprs := slices.Clone(orig)
			shared := shareExps(exprs, c.params)
			if exps, rels := calls(exprs); exps != c.exps || rels != c.rels {
				t.Errorf("%d exp and %d exprel calls after sharing, want %d and %d:\n%s", exps, rels, c.exps, c.rels, exprsString(exprs))
			}
			for i, e := range exprs {
				if want := slices.Contains(c.rewritten, i); want != (e.Key() != orig[i].Key()) {
					t.Errorf("expression %d is %s (rewritten: %v, want %v)", i, e, !want, want)
				}
			}
			var got []string
			for _, se := range shared {
				got = append(got, se.Exp.String()+" as "+se.As.String())
			}
			betaH, betaM := expIn(orig[3]), expIn(orig[1])
			var want []string
			if c.factor == nil {
				// β_h's exponential is 1/β_m's.
				want = []string{betaH.String() + " as " + symbolic.Pow(betaM, K(-1)).String()}
			} else {
				// β_h's exponential is shared as written; β_m's is 1/β_h's, α_n's the factor times
				// β_h's.
				want = []string{
					betaM.String() + " as " + symbolic.Pow(betaH, K(-1)).String(),
					expIn(orig[4]).String() + " as " + symbolic.Mul(c.factor, betaH).String(),
				}
				if strings.Contains(exprs[4].Key(), "V_sh1") != (c.sh2 == "V_sh2") {
					t.Errorf("α_n is %s", exprs[4])
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("exponentials computed from another:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			r := rand.New(rand.NewPCG(1, 2))
			for range 2000 {
				env := map[string]float64{"V": -120 + 200*r.Float64(), c.sh1: -90 + 60*r.Float64(), c.sh2: -90 + 60*r.Float64()}
				for i := range exprs {
					a, b := symbolic.Eval(orig[i], symbolic.MapEnv(env)), symbolic.Eval(exprs[i], symbolic.MapEnv(env))
					if math.Abs(a-b) > 1e-14*math.Abs(a) {
						t.Fatalf("at %v expression %d is %v shared, %v direct (relative difference %.2g)", env, i, b, a, math.Abs(a-b)/math.Abs(a))
					}
				}
			}
		})
	}
}

func exprsString(exprs []*symbolic.Expr) string {
	var b strings.Builder
	for _, e := range exprs {
		b.WriteString("\t" + e.String() + "\n")
	}
	return b.String()
}
