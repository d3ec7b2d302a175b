package symbolic

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

var (
	x = Var("x")
	y = Var("y")
	z = Var("z")
	V = Var("V")
)

func c(v float64) *Expr { return Const(v) }

func TestCanonicalForms(t *testing.T) {
	cases := []struct {
		name string
		got  *Expr
		want string // printed canonical form
	}{
		{"fold constants", Add(c(1), c(2), Mul(c(3), c(4))), "15"},
		{"like terms", Add(x, x, Mul(c(3), x)), "5 * x"},
		{"cancel", Sub(Add(x, y), y), "x"},
		{"commutative sum", Add(y, x), "x + y"},
		{"constant last", Add(c(40), V), "V + 40"},
		{"like factors", Mul(x, x, x), "x**3"},
		{"quotient", Div(x, y), "x / y"},
		{"x/x", Div(x, x), "1"},
		{"neg product", Neg(Mul(c(2), x)), "-2 * x"},
		{"no distribution", Mul(c(0.1), Add(V, c(40))), "0.1 * (V + 40)"},
		{"divide by constant", Div(Add(V, c(40)), c(10)), "0.1 * (V + 40)"},
		{"negated quotient", Div(Neg(Add(V, c(65))), c(20)), "-0.05 * (V + 65)"},
		{"subtraction", Sub(c(1), Call("exp", x)), "1 - exp(x)"},
		{"pow of pow", Pow(Pow(x, c(2)), c(3)), "x**6"},
		{"pow of product", Pow(Mul(c(2), x), c(-1)), "0.5 / x"},
		{"pow 0", Pow(x, c(0)), "1"},
		{"pow 1", Pow(x, c(1)), "x"},
		{"pow fold", Pow(c(2), c(10)), "1024"},
		{"call fold", Call("exp", c(0)), "1"},
		{"pow call", Call("pow", x, c(2)), "x**2"},
		{"min same", Call("min", x, x), "x"},
		{"cond fold", Cond(Compare(OpLT, c(1), c(2)), x, y), "x"},
		{"cond same", Cond(Compare(OpLT, x, y), z, z), "z"},
		{"and fold", And(Compare(OpLT, x, y), c(1)), "x < y"},
		{"not not", Not(Not(Compare(OpLT, x, y))), "x < y"},
		{"mul by zero", Mul(c(0), Call("exp", x)), "0"},
		{"sum order independent", Add(Mul(c(2), y), x, c(3)), "x + 2 * y + 3"},
	}
	for _, tc := range cases {
		if s := tc.got.String(); s != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, s, tc.want)
		}
	}
	// The same sum built in two orders is the same expression.
	a := Add(Mul(x, y), Pow(z, c(2)), c(1))
	b := Add(c(1), Pow(z, c(2)), Mul(y, x))
	if a.Key() != b.Key() {
		t.Errorf("keys differ: %s vs %s", a.Key(), b.Key())
	}
}

// naive is an expression tree without simplification, the reference for canonicalisation.
type naive struct {
	op   string
	v    float64
	name string
	args []*naive
}

func (n *naive) eval(env map[string]float64) float64 {
	a := func(i int) float64 { return n.args[i].eval(env) }
	switch n.op {
	case "c":
		return n.v
	case "v":
		return env[n.name]
	case "+":
		return a(0) + a(1)
	case "-":
		return a(0) - a(1)
	case "*":
		return a(0) * a(1)
	case "/":
		return a(0) / a(1)
	case "neg":
		return -a(0)
	case "pow":
		return math.Pow(a(0), n.args[1].v)
	case "exp":
		return math.Exp(a(0))
	case "log":
		return math.Log(a(0))
	case "tanh":
		return math.Tanh(a(0))
	case "sqrt":
		return math.Sqrt(a(0))
	case "cond":
		if a(0) < a(1)+0.0625 { // offset: y < y*x/x must not hinge on rounding
			return a(2)
		}
		return a(3)
	}
	panic(n.op)
}

func (n *naive) build() *Expr {
	b := func(i int) *Expr { return n.args[i].build() }
	switch n.op {
	case "c":
		return Const(n.v)
	case "v":
		return Var(n.name)
	case "+":
		return Add(b(0), b(1))
	case "-":
		return Sub(b(0), b(1))
	case "*":
		return Mul(b(0), b(1))
	case "/":
		return Div(b(0), b(1))
	case "neg":
		return Neg(b(0))
	case "pow":
		return Pow(b(0), b(1))
	case "exp", "log", "tanh", "sqrt":
		return Call(n.op, b(0))
	case "cond":
		return Cond(Compare(OpLT, b(0), Add(b(1), Const(0.0625))), b(2), b(3))
	}
	panic(n.op)
}

// randNaive builds a random expression whose values stay positive and moderate on [0.5, 2]³.
func randNaive(r *rand.Rand, depth int) *naive {
	if depth == 0 || r.IntN(4) == 0 {
		if r.IntN(3) == 0 {
			return &naive{op: "c", v: float64(r.IntN(9)+1) / 4}
		}
		return &naive{op: "v", name: []string{"x", "y", "z"}[r.IntN(3)]}
	}
	sub := func() *naive { return randNaive(r, depth-1) }
	switch r.IntN(8) {
	case 0, 1:
		return &naive{op: "+", args: []*naive{sub(), sub()}}
	case 2, 3:
		return &naive{op: "*", args: []*naive{sub(), sub()}}
	case 4:
		return &naive{op: "/", args: []*naive{sub(), sub()}}
	case 5:
		return &naive{op: "pow", args: []*naive{sub(), {op: "c", v: float64(r.IntN(5) - 2)}}}
	case 6:
		return &naive{op: []string{"tanh", "sqrt", "log"}[r.IntN(3)], args: []*naive{{op: "+", args: []*naive{sub(), {op: "c", v: 1}}}}}
	default:
		return &naive{op: "cond", args: []*naive{sub(), sub(), sub(), sub()}}
	}
}

func closeTo(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestCanonicalisationPreservesValues: simplifying never changes what an expression computes.
func TestCanonicalisationPreservesValues(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 3000; k++ {
		n := randNaive(r, 5)
		e := n.build()
		for j := 0; j < 5; j++ {
			env := map[string]float64{"x": 0.5 + 1.5*r.Float64(), "y": 0.5 + 1.5*r.Float64(), "z": 0.5 + 1.5*r.Float64()}
			want := n.eval(env)
			got := Eval(e, MapEnv(env))
			if !closeTo(got, want, 1e-9) {
				t.Fatalf("case %d: %s = %v, naive %v at %v", k, e, got, want, env)
			}
		}
	}
}

// TestDerivativesAgreeWithFiniteDifferences checks Differentiate against gonum's central
// differences at random points.
func TestDerivativesAgreeWithFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	exprs := []*Expr{
		// HH52 rates and the exp_auto right-hand sides.
		Div(Mul(c(0.1), Add(V, c(40))), Sub(c(1), Call("exp", Div(Neg(Add(V, c(40))), c(10))))),
		Mul(c(4), Call("exp", Div(Neg(Add(V, c(65))), c(18)))),
		Div(c(1), Add(c(1), Call("exp", Div(Neg(Add(V, c(35))), c(10))))),
		Mul(c(120), Pow(x, c(3)), y, Sub(c(50), V)),
		Call("exprel", Mul(c(0.3), V)),
		Call("log", Div(c(2), Add(x, c(1)))),
		Call("sqrt", Add(Mul(x, x), c(1))),
		Call("tanh", Mul(x, V)),
		Pow(x, V),
		Call("expm1", Mul(c(-0.01), V)),
		Call("log1p", Mul(x, x)),
		Call("sinh", Div(V, c(50))),
		Call("cosh", Div(V, c(50))),
		Call("abs", Sub(V, c(3))),
		Call("min", Mul(c(2), V), Add(V, c(10)), Mul(V, V)),
		Call("max", Mul(c(2), V), Add(V, c(10))),
		Call("clip", Mul(c(2), V), c(-50), c(20)),
		Cond(Compare(OpLT, V, c(-63)), Call("exp", Div(V, c(5))), Mul(c(19), x)),
	}
	for _, e := range exprs {
		dV := Differentiate(e, "V", nil)
		for k := 0; k < 200; k++ {
			env := map[string]float64{"x": 0.2 + r.Float64(), "y": 0.2 + r.Float64(), "V": -100 + 160*r.Float64()}
			f := func(v float64) float64 {
				m := map[string]float64{"x": env["x"], "y": env["y"], "V": v}
				return Eval(e, MapEnv(m))
			}
			// Stay away from kinks of abs/min/max/clip/cond.
			if kinky(e) && math.Abs(fd.Derivative(f, env["V"], &fd.Settings{Formula: fd.Central, Step: 1e-3})-fd.Derivative(f, env["V"], &fd.Settings{Formula: fd.Central, Step: 1e-4})) > 1e-4 {
				continue
			}
			want := fd.Derivative(f, env["V"], &fd.Settings{Formula: fd.Central, Step: 1e-4})
			got := Eval(dV, MapEnv(env))
			if !closeTo(got, want, 1e-6) {
				t.Errorf("d/dV %s = %s\n at %v: got %v, finite difference %v", e, dV, env, got, want)
				break
			}
		}
	}
}

func kinky(e *Expr) bool {
	found := false
	Walk(e, func(x *Expr) bool {
		if x.Op == OpCond || (x.Op == OpCall && (x.Name == "abs" || x.Name == "min" || x.Name == "max" || x.Name == "clip")) {
			found = true
		}
		return true
	})
	return found
}

func TestDifferentiateChainRule(t *testing.T) {
	// f = a*(1 - m) - b*m with a, b named values that depend on V, not on m.
	a, b, m := Var("a"), Var("b"), Var("m")
	f := Sub(Mul(a, Sub(c(1), m)), Mul(b, m))
	L := Differentiate(f, "m", nil)
	if got, want := L.String(), "-a - b"; got != want {
		t.Errorf("∂f/∂m = %s, want %s", got, want)
	}
	// ∂f/∂V through da/dV = 2, db/dV = 3.
	dV := Differentiate(f, "V", func(n string) *Expr {
		return map[string]*Expr{"a": c(2), "b": c(3)}[n]
	})
	if got, want := dV.String(), "2 * (1 - m) - 3 * m"; got != want {
		t.Errorf("∂f/∂V = %s, want %s", got, want)
	}
}

func TestRewriteSingularities(t *testing.T) {
	vsh := Var("V_sh")
	u := Sub(V, vsh)
	cases := []struct {
		name  string
		e     *Expr
		pole  float64 // V at the pole with V_sh = -50
		limit float64 // the rate's limit there
	}{
		// HH α_m = 0.1 (V + 40)/(1 − exp(−(V + 40)/10)): pole at −40, limit 0.1·10 = 1.
		{"HH alpha_m", Div(Mul(c(0.1), Add(V, c(40))), Sub(c(1), Call("exp", Div(Neg(Add(V, c(40))), c(10))))), -40, 1},
		// HH α_n = 0.01 (V + 55)/(1 − exp(−(V + 55)/10)): limit 0.1.
		{"HH alpha_n", Div(Mul(c(0.01), Add(V, c(55))), Sub(c(1), Call("exp", Div(Neg(Add(V, c(55))), c(10))))), -55, 0.1},
		// Traub–Miles α = 0.32 (13 − u)/(exp((13 − u)/4) − 1): pole at u = 13, limit 0.32·4.
		{"TM alpha_p", Div(Mul(c(0.32), Sub(c(13), u)), Sub(Call("exp", Div(Sub(c(13), u), c(4))), c(1))), -37, 1.28},
		// β = −0.28 (u − 40)/(1 − exp((u − 40)/5)): pole at u = 40, limit 0.28·5.
		{"Ba beta_p", Div(Mul(c(-0.28), Sub(u, c(40))), Sub(c(1), Call("exp", Div(Sub(u, c(40)), c(5))))), -10, 1.4},
		// Numerator written expanded: (0.1 V + 4) / (1 − exp(−(V + 40)/10)).
		{"expanded numerator", Div(Add(Mul(c(0.1), V), c(4)), Sub(c(1), Call("exp", Div(Neg(Add(V, c(40))), c(10))))), -40, 1},
	}
	env := func(v float64) func(string) float64 {
		return MapEnv(map[string]float64{"V": v, "V_sh": -50})
	}
	for _, tc := range cases {
		got, rws := RewriteSingularities(tc.e)
		if len(rws) != 1 {
			t.Errorf("%s: %d rewrites, want 1 (%s)", tc.name, len(rws), got)
			continue
		}
		pole, ok := Root(rws[0].U, "V", env(0))
		if !ok || math.Abs(pole-tc.pole) > 1e-12 {
			t.Errorf("%s: pole %v (%v), want %v", tc.name, pole, ok, tc.pole)
		}
		if v := Eval(got, env(tc.pole)); math.Abs(v-tc.limit) > 1e-12*tc.limit {
			t.Errorf("%s: at the pole %v, want %v (%s)", tc.name, v, tc.limit, got)
		}
		// Away from the pole the rewrite agrees with the original.
		for _, dv := range []float64{-30, -1, -1e-3, 1e-3, 2, 25} {
			v := tc.pole + dv
			a, b := Eval(got, env(v)), Eval(tc.e, env(v))
			if !closeTo(a, b, 1e-11) {
				t.Errorf("%s at V=%v: rewritten %v, original %v", tc.name, v, a, b)
			}
		}
		// Near the pole the rewrite is accurate where the original loses digits: compare with
		// the Taylor expansion k·(1 ± U/2) to second order.
		v := tc.pole + 1e-9
		if a := Eval(got, env(v)); math.Abs(a-tc.limit) > 1e-9*tc.limit {
			t.Errorf("%s just off the pole: %v, want ≈ %v", tc.name, a, tc.limit)
		}
	}
	// Not removable: 1/(1 − exp(−V/10)) has a true pole and must stay as it is.
	e := Div(c(1), Sub(c(1), Call("exp", Div(Neg(V), c(10)))))
	if got, rws := RewriteSingularities(e); len(rws) != 0 || got.Key() != e.Key() {
		t.Errorf("rewrote a true pole: %s", got)
	}
	// Numerator with another root: (V + 30)/(1 − exp(−(V + 40)/10)) is not removable.
	e = Div(Add(V, c(30)), Sub(c(1), Call("exp", Div(Neg(Add(V, c(40))), c(10)))))
	if _, rws := RewriteSingularities(e); len(rws) != 0 {
		t.Errorf("rewrote a non-removable singularity")
	}
}

func TestRoot(t *testing.T) {
	u := Div(Sub(c(13), Sub(V, Var("s"))), c(4))
	r, ok := Root(u, "V", MapEnv(map[string]float64{"s": -63}))
	if !ok || r != -50 {
		t.Errorf("Root = %v, %v; want -50", r, ok)
	}
	if _, ok := Root(Mul(V, V), "V", MapEnv(nil)); ok {
		t.Errorf("Root of a nonlinear U succeeded")
	}
}

func TestPrintParenthesisation(t *testing.T) {
	cases := []struct {
		e    *Expr
		want string
	}{
		{Mul(x, Add(y, z)), "x * (y + z)"},
		{Div(x, Mul(y, z)), "x / y / z"},
		{Div(x, Add(y, z)), "x / (y + z)"},
		{Pow(Add(x, y), c(2)), "(x + y)**2"},
		{Pow(x, Neg(y)), "x**-y"},
		{Sub(x, Mul(c(2), y)), "x - 2 * y"},
		{Cond(Compare(OpLT, V, c(-63)), x, Cond(Compare(OpGT, V, c(0)), y, z)), "V < -63 ? x : V > 0 ? y : z"},
		{And(Or(Compare(OpLT, x, y), Compare(OpLT, y, z)), Not(Compare(OpEQ, x, z))), "(x < y || y < z) && !(x == z)"},
		{Call("exp", Neg(x)), "exp(-x)"},
	}
	for _, tc := range cases {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
