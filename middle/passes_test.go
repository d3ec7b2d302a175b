package middle_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/middle"
	"github.com/neurogen/neurogen/symbolic"
)

var (
	num = symbolic.Const
	sym = symbolic.Var
)

// small returns a hand-built model before the middle end: V and one alpha/beta gate m,
// group-wide C, gNa, E and V_T, per-neuron I0, one definition u = V − V_T (inlined), and a
// statement for every rate, current and derivative.
func small(method ir.Method) *ir.Model {
	V := &ir.State{Name: "V", Local: "V", Kind: ir.Voltage}
	mg := &ir.State{Name: "Na.m", Local: "Na_m", Kind: ir.Gate, Gate: &ir.GateInfo{Form: ir.AlphaBeta, Power: 1}}
	ch := &ir.Channel{Name: "Na", Gates: []*ir.State{mg}}
	mg.Channel = ch
	u := symbolic.Sub(sym("V"), sym("V_T"))
	stmt := func(local string, e *symbolic.Expr) *ir.Stmt {
		return &ir.Stmt{Local: local, Expr: e, Comment: []string{local + " as written"}}
	}
	alpha := stmt("alpha", symbolic.Mul(num(2), symbolic.Call("exp", symbolic.Neg(u))))
	beta := stmt("beta", symbolic.Div(num(3), u))
	// I_Na = gNa·m·(E − V)·exp(gNa): a call of parameters alone inside a per-neuron value.
	cur := stmt("I_Na", symbolic.Mul(sym("gNa"), sym("Na_m"), symbolic.Sub(sym("E"), sym("V")), symbolic.Call("exp", sym("gNa"))))
	// w = exp(V)·m + exp(V): a subexpression twice, no definition to name it.
	ev := symbolic.Call("exp", sym("V"))
	w := stmt("w", symbolic.Add(symbolic.Mul(ev, sym("Na_m")), ev))
	k := stmt("k", symbolic.Div(sym("gNa"), sym("C"))) // parameters alone
	dV := stmt("dV", symbolic.Add(symbolic.Mul(sym("k"), sym("I_Na")), sym("w"), sym("I0")))
	dm := stmt("dNa_m", symbolic.Sub(symbolic.Mul(sym("alpha"), symbolic.Sub(num(1), sym("Na_m"))), symbolic.Mul(sym("beta"), sym("Na_m"))))
	V.Deriv, mg.Deriv, ch.Current = dV, dm, cur
	m := &ir.Model{
		Name: "Small", Package: "small", Method: method,
		Params: []*ir.Param{
			{Name: "C", Local: "C", Default: 1},
			{Name: "Na.g_max", Local: "gNa", Default: 120},
			{Name: "Na.E", Local: "E", Default: 50},
			{Name: "V_T", Local: "V_T", Default: -63},
			{Name: "I0", Local: "I0", Default: 0, PerNeuron: true},
		},
		States:   []*ir.State{V, mg},
		Channels: []*ir.Channel{ch},
		Rates: []*ir.Rate{
			{Name: "Na.m.alpha", Stmt: alpha}, {Name: "Na.m.beta", Stmt: beta},
		},
		Body:  []*ir.Stmt{alpha, beta, cur, w, k, dV, dm},
		Defs:  []*ir.Stmt{{Local: "u", Expr: u, Comment: []string{"u = V - V_T"}}},
		Input: "I_ext", Time: "t",
	}
	return m
}

// dump writes the statements of m, Pre then Body, one a line, and what the links point to.
func dump(m *ir.Model) string {
	var b strings.Builder
	for _, list := range []struct {
		name  string
		stmts []*ir.Stmt
	}{{"pre", m.Pre}, {"body", m.Body}} {
		for _, st := range list.stmts {
			fmt.Fprintf(&b, "%s %s = %s  // %s\n", list.name, st.Local, st.Expr, strings.Join(st.Comment, "; "))
		}
	}
	local := func(st *ir.Stmt) string {
		if st == nil {
			return "-"
		}
		return st.Local
	}
	for _, st := range m.States {
		fmt.Fprintf(&b, "state %s: deriv %s, linear %s\n", st.Name, local(st.Deriv), local(st.Linear))
	}
	for _, ch := range m.Channels {
		fmt.Fprintf(&b, "channel %s: current %s\n", ch.Name, local(ch.Current))
	}
	for _, r := range m.Rates {
		fmt.Fprintf(&b, "rate %s: %s\n", r.Name, local(r.Stmt))
	}
	return b.String()
}

// ownLinks fails unless every link of m points to a statement of m's own Pre or Body.
func ownLinks(t *testing.T, m *ir.Model) {
	t.Helper()
	own := map[*ir.Stmt]bool{}
	for _, st := range slices.Concat(m.Pre, m.Body) {
		own[st] = true
	}
	check := func(what string, st *ir.Stmt) {
		if st != nil && !own[st] {
			t.Errorf("%s points to a statement %s that is not the model's own", what, st.Local)
		}
	}
	for _, st := range m.States {
		check(st.Name+" deriv", st.Deriv)
		check(st.Name+" linear", st.Linear)
	}
	for _, ch := range m.Channels {
		check(ch.Name+" current", ch.Current)
		for _, g := range ch.Gates {
			if !slices.Contains(m.States, g) {
				t.Errorf("channel %s's gate %s is not a state of the model", ch.Name, g.Name)
			}
		}
	}
	for _, r := range m.Rates {
		check(r.Name, r.Stmt)
	}
}

// pass runs f on a fresh small model, checks that it left its input as it was and linked its
// output to its own statements, and returns the output.
func pass(t *testing.T, method ir.Method, f func(*ir.Model) *ir.Model) *ir.Model {
	t.Helper()
	in := small(method)
	before := dump(in)
	out := f(in)
	if after := dump(in); after != before {
		t.Errorf("the pass changed its input:\n%s\nwas\n%s", after, before)
	}
	if out == in {
		t.Errorf("the pass returned its input, not a new model")
	}
	ownLinks(t, out)
	return out
}

func TestSchedule(t *testing.T) {
	got := dump(pass(t, ir.Euler, middle.Schedule))
	want := `pre s1 = exp(gNa)  // shared: exp(Na.g_max)
pre k = gNa / C  // k as written
body u = V - V_T  // u = V - V_T
body alpha = 2 * exp(-u)  // alpha as written
body beta = 3 / u  // beta as written
body I_Na = Na_m * gNa * s1 * (E - V)  // I_Na as written
body s2 = exp(V)  // shared: exp(V)
body w = Na_m * s2 + s2  // w as written
body dV = I_Na * k + I0 + w  // dV as written
body dNa_m = alpha * (1 - Na_m) - Na_m * beta  // dNa_m as written
state V: deriv dV, linear -
state Na.m: deriv dNa_m, linear -
channel Na: current I_Na
rate Na.m.alpha: alpha
rate Na.m.beta: beta
`
	if got != want {
		t.Errorf("scheduled:\n%s\nwant\n%s", got, want)
	}
}

func TestLinearize(t *testing.T) {
	got := dump(pass(t, ir.ExpAuto, middle.Linearize))
	// ∂(dV/dt)/∂V through I_Na (−gNa·m·exp(gNa)) and w (exp(V)·m + exp(V)); ∂(dm/dt)/∂m =
	// −α − β.
	want := `body alpha = 2 * exp(-(V - V_T))  // alpha as written
body beta = 3 / (V - V_T)  // beta as written
body I_Na = Na_m * gNa * exp(gNa) * (E - V)  // I_Na as written
body w = Na_m * exp(V) + exp(V)  // w as written
body k = gNa / C  // k as written
body dV = I_Na * k + I0 + w  // dV as written
body dNa_m = alpha * (1 - Na_m) - Na_m * beta  // dNa_m as written
body L_V = Na_m * exp(V) + exp(V) - Na_m * gNa * k * exp(gNa)  // ∂(dV/dt)/∂V: the linear part that exp_auto integrates exactly
body L_Na_m = -alpha - beta  // ∂(dNa.m/dt)/∂Na.m: the linear part that exp_auto integrates exactly
state V: deriv dV, linear L_V
state Na.m: deriv dNa_m, linear L_Na_m
channel Na: current I_Na
rate Na.m.alpha: alpha
rate Na.m.beta: beta
`
	if got != want {
		t.Errorf("linearized:\n%s\nwant\n%s", got, want)
	}
	// Methods that need no linear coefficient get none.
	for _, method := range []ir.Method{ir.Euler, ir.RK2, ir.RK4} {
		if got := pass(t, method, middle.Linearize); len(got.Body) != len(small(method).Body) || got.States[0].Linear != nil {
			t.Errorf("%s: Linearize added statements", method)
		}
	}
}

func TestShareExps(t *testing.T) {
	// gamma = exp(−(V − V_T) − 2) is e^−2 times alpha's exp(−(V − V_T)); exp(V) and exp(gNa)
	// are alone in their families.
	in := small(ir.ExpAuto)
	u := symbolic.Sub(sym("V"), sym("V_T"))
	in.Body = append(in.Body, &ir.Stmt{Local: "gamma", Expr: symbolic.Call("exp", symbolic.Sub(symbolic.Neg(u), num(2)))})
	before := dump(in)
	out := middle.ShareExps(in)
	if dump(in) != before {
		t.Errorf("ShareExps changed its input")
	}
	ownLinks(t, out)
	var shared []string
	for _, se := range out.SharedExps {
		shared = append(shared, se.Exp.String()+" as "+se.As.String())
	}
	// alpha's exponential is shared as it is written, w's exp(V) is used twice as it is: only
	// gamma's is computed from another.
	if len(shared) != 1 || shared[0] != "exp(-(V - V_T) - 2) as 0.1353352832366127 * exp(-(V - V_T))" {
		t.Errorf("exponentials computed from another:\n%s\nwant gamma's, from alpha's", strings.Join(shared, "\n"))
	}
	got := dump(out)
	for _, want := range []string{
		"body alpha = 2 * exp(-(V - V_T))",
		"body gamma = 0.1353352832366127 * exp(-(V - V_T))",
		"body w = Na_m * exp(V) + exp(V)",
		"body I_Na = Na_m * gNa * exp(gNa) * (E - V)",
	} {
		if !strings.Contains(got, want+"  //") {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}
