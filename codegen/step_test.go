package codegen

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

// checkedModel checks a spec file (a stock one, by name, or a path) with a method.
func checkedModel(t *testing.T, path, method string) *ir.Model {
	t.Helper()
	if !strings.Contains(path, "/") {
		path = filepath.Join("..", "specs", path+".yaml")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(path, src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// stepPlanOf returns the step plan that Generate renders for m and opts.
func stepPlanOf(t *testing.T, m *ir.Model, opts Options) *stepPlan {
	t.Helper()
	g, err := newGenerator(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g.file()
}

// describe writes an operation in one line: the locals a compute op sets (renamed), an
// update as dst = rule(x, d, l).
func describe(op stepOp) string {
	switch op := op.(type) {
	case opComment:
		return "// " + op.text
	case opCompute:
		name := renameBy(op.rename)
		var locals []string
		for _, s := range op.stmts {
			locals = append(locals, name(s.Local))
		}
		return "compute " + strings.Join(locals, " ")
	case opClamp:
		return "clamp " + op.dV
	case opTime:
		return fmt.Sprintf("%s = t + %g dt", op.local, op.c)
	case opUpdate:
		switch op.rule {
		case ruleEuler:
			return fmt.Sprintf("%s = euler(%s, %s)", op.dst, op.x, op.d)
		case ruleExp:
			return fmt.Sprintf("%s = exp(%s, %s, %s)", op.dst, op.x, op.d, op.l)
		case ruleExpCoupled:
			return fmt.Sprintf("%s = exp(%s, %s, %s; %v)", op.dst, op.x, op.d, op.l, op.drives)
		case ruleCrankNicolson:
			return fmt.Sprintf("%s = cn(%s, %s, %s)", op.dst, op.x, op.d, op.l)
		case ruleStage:
			return fmt.Sprintf("%s = stage(%s, %g, %s)", op.dst, op.x, op.c, op.d)
		case ruleSum:
			var terms []string
			for _, w := range op.weights {
				terms = append(terms, fmt.Sprintf("%g %s", w.w, w.d))
			}
			return fmt.Sprintf("%s = sum(%s, %s; %g)", op.dst, op.x, strings.Join(terms, " + "), op.total)
		}
	case opTable:
		name := renameBy(op.rename)
		var gates, exact []string
		for _, st := range op.gates {
			gates = append(gates, st.Local)
		}
		for _, s := range op.exact {
			exact = append(exact, name(s.Local))
		}
		return fmt.Sprintf("table at %s: %s; exact %s", op.v, strings.Join(gates, " "), strings.Join(exact, " "))
	}
	return fmt.Sprintf("%T", op)
}

// lines describes the operations of a plan of the kinds in kinds (all: none given), one a line.
func lines(p *stepPlan, kinds ...string) []string {
	var out []string
	for _, op := range p.ops {
		kind := strings.TrimPrefix(fmt.Sprintf("%T", op), "codegen.op")
		if len(kinds) == 0 || slices.Contains(kinds, kind) {
			out = append(out, describe(op))
		}
	}
	return out
}

// checkOrder checks that the plan computes each statement once, after every statement whose
// value it reads, and never reads a value the step has not set: the loads, the group-wide
// statements and parameters, t and dt.
func checkOrder(t *testing.T, m *ir.Model, p *stepPlan) {
	t.Helper()
	local := map[string]bool{}
	for _, s := range append(slices.Clone(m.Pre), m.Body...) {
		local[s.Local] = true
	}
	set := map[string]bool{"dt": true, m.Time: true}
	for _, q := range m.Params {
		if !q.PerNeuron {
			set[q.Local] = true
		}
	}
	for _, s := range p.pre {
		set[s.Local] = true
	}
	read := func(where, n string) {
		if !set[n] {
			t.Errorf("%s reads %s before the step sets it", where, n)
		}
	}
	compute := func(stmts []*ir.Stmt, rename map[string]string) {
		name := renameBy(rename)
		for _, s := range stmts {
			for _, v := range symbolic.Vars(s.Expr) {
				read(name(s.Local), name(v))
			}
			if set[name(s.Local)] {
				t.Errorf("%s is computed twice", name(s.Local))
			}
			set[name(s.Local)] = true
		}
	}
	// The group-wide operations read no neuron's values: they come before the loads.
	for _, op := range p.hoisted {
		switch op := op.(type) {
		case opTime:
			set[op.local] = true
		case opCompute:
			compute(op.stmts, op.rename)
		default:
			t.Errorf("group-wide operation %s", describe(op))
		}
	}
	for _, s := range p.slices {
		if s.value != "" {
			set[s.value] = true
		}
	}
	for _, op := range p.ops {
		switch op := op.(type) {
		case opCompute:
			compute(op.stmts, op.rename)
		case opClamp:
			read("the clamp", op.dV)
		case opTime:
			set[op.local] = true
		case opUpdate:
			for _, n := range []string{op.x, op.d, op.l} {
				if n != "" {
					read(op.dst, n)
				}
			}
			for _, w := range op.weights {
				read(op.dst, w.d)
			}
			set[op.dst] = true
		case opTable:
			read("the table lookup", op.v)
			compute(op.exact, op.rename)
			name := renameBy(op.rename)
			for _, st := range op.gates {
				read(p.next[st], name(st.Deriv.Local))
				read(p.next[st], name(st.Linear.Local))
				set[p.next[st]] = true
			}
		}
	}
	for _, st := range m.States {
		if !set[p.next[st]] {
			t.Errorf("the step never sets %s's new value %s", st.Name, p.next[st])
		}
	}
}

// TestStepPlanExpAuto: HH52's exponential Euler step loads V, the three gates and the input,
// computes the statements in an order that respects their dependencies, clamps dV before any
// update, and advances each state, in order, by x + dt·f·exprel(dt·L) with its own derivative
// and linear coefficient.
func TestStepPlanExpAuto(t *testing.T) {
	m := checkedModel(t, "hh52", "exp_auto")
	p := stepPlanOf(t, m, Options{})
	var loads, locals []string
	for _, s := range p.slices {
		locals = append(locals, s.local)
		if s.value != "" {
			loads = append(loads, s.value)
		}
	}
	if want := []string{"V", "Na_m", "Na_h", "K_n", "I_ext"}; !reflect.DeepEqual(loads, want) {
		t.Errorf("loads %v, want %v", loads, want)
	}
	if want := []string{"V_s", "Na_m_s", "Na_h_s", "K_n_s", "I_ext_s", "spiked", "spikeTime"}; !reflect.DeepEqual(locals, want) {
		t.Errorf("slices %v, want %v", locals, want)
	}
	want := []string{
		"V_next = exp(V, dV, L_V)",
		"Na_m_next = exp(Na_m, dNa_m, L_Na_m)",
		"Na_h_next = exp(Na_h, dNa_h, L_Na_h)",
		"K_n_next = exp(K_n, dK_n, L_K_n)",
	}
	if got := lines(p, "Update"); !reflect.DeepEqual(got, want) {
		t.Errorf("updates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	kinds := []string{"Compute", "Clamp", "Comment", "Update", "Update", "Update", "Update"}
	var got []string
	for _, op := range p.ops {
		got = append(got, strings.TrimPrefix(fmt.Sprintf("%T", op), "codegen.op"))
	}
	if !reflect.DeepEqual(got, kinds) {
		t.Errorf("operations %v, want %v", got, kinds)
	}
	if c := lines(p, "Clamp"); !reflect.DeepEqual(c, []string{"clamp dV"}) {
		t.Errorf("clamps %v, want [clamp dV]", c)
	}
	checkOrder(t, m, p)
	// Every statement the derivatives need is computed in the loop or before it, and no more.
	var roots []*ir.Stmt
	for _, st := range m.States {
		roots = append(roots, st.Deriv, st.Linear)
	}
	_, body := m.Closure(roots...)
	if got := p.ops[0].(opCompute).stmts; !reflect.DeepEqual(got, body) {
		t.Errorf("the loop computes %d statements, want the %d of the derivatives' closure", len(got), len(body))
	}
	for _, s := range p.pre {
		for _, v := range symbolic.Vars(s.Expr) {
			if slices.ContainsFunc(p.slices, func(sl stepSlice) bool { return sl.value == v }) {
				t.Errorf("group-wide statement %s reads the per-neuron %s", s.Local, v)
			}
		}
	}
}

// TestStepPlanTables: with rate tables, exp_auto's loop computes only what V's step needs; the
// gates are advanced from the tables at V, and the statements only their exact step needs are
// computed there, for V outside the tables.
func TestStepPlanTables(t *testing.T) {
	tables := DefaultTables
	m := checkedModel(t, "hh52", "exp_auto")
	p := stepPlanOf(t, m, Options{Tables: &tables})
	if got, want := lines(p, "Update"), []string{"V_next = exp(V, dV, L_V)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("updates %v, want %v", got, want)
	}
	checkOrder(t, m, p)
	_, forV := m.Closure(m.States[0].Deriv, m.States[0].Linear)
	if got := p.ops[0].(opCompute).stmts; !reflect.DeepEqual(got, forV) {
		t.Errorf("the loop computes %v, want V's closure only", lines(p, "Compute"))
	}
	tab, ok := p.ops[len(p.ops)-1].(opTable)
	if !ok {
		t.Fatalf("the last operation is %s, want the table lookup", describe(p.ops[len(p.ops)-1]))
	}
	var gates []string
	for _, st := range tab.gates {
		gates = append(gates, st.Name)
	}
	if tab.v != "V" || strings.Join(gates, " ") != "Na.m Na.h K.n" {
		t.Errorf("table lookup at %s for %v, want at V for Na.m Na.h K.n", tab.v, gates)
	}
	for _, s := range tab.exact {
		if slices.Contains(forV, s) {
			t.Errorf("%s is computed both for V and for the gates' exact step", s.Local)
		}
	}
}

// TestStepPlanStaggered: the staggered step advances V by Crank–Nicolson from the rates at t,
// then evaluates the gates' rates again at V(t+dt) (every one of them depends on V, so all
// are renamed) and advances each gate by the exponential step from those.
func TestStepPlanStaggered(t *testing.T) {
	m := checkedModel(t, "hh52", "staggered")
	p := stepPlanOf(t, m, Options{})
	checkOrder(t, m, p)
	want := []string{
		"V_next = cn(V, dV, L_V)",
		"Na_m_next = exp(Na_m, dNa_m_next, L_Na_m_next)",
		"Na_h_next = exp(Na_h, dNa_h_next, L_Na_h_next)",
		"K_n_next = exp(K_n, dK_n_next, L_K_n_next)",
	}
	if got := lines(p, "Update"); !reflect.DeepEqual(got, want) {
		t.Errorf("updates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var computes []opCompute
	var at []int // the operations' indices: the computations', then Crank–Nicolson's
	cn := -1
	for i, op := range p.ops {
		switch op := op.(type) {
		case opCompute:
			computes = append(computes, op)
			at = append(at, i)
		case opUpdate:
			if op.rule == ruleCrankNicolson {
				cn = i
			}
		}
	}
	if len(computes) != 2 {
		t.Fatalf("%d computations, want 2 (at V(t), at V(t+dt))", len(computes))
	}
	if !(at[0] < cn && cn < at[1]) {
		t.Errorf("V's Crank–Nicolson update is not between the two computations:\n%s", strings.Join(lines(p), "\n"))
	}
	again := computes[1]
	if again.rename["V"] != "V_next" {
		t.Errorf("the second computation reads V as %q, want V_next", again.rename["V"])
	}
	for _, s := range again.stmts {
		if again.rename[s.Local] == "" {
			t.Errorf("%s is computed again under its own name", s.Local)
		}
	}
	// With tables, the lookup is at V(t+dt).
	tables := DefaultTables
	pt := stepPlanOf(t, checkedModel(t, "hh52", "staggered"), Options{Tables: &tables})
	if tab, ok := pt.ops[len(pt.ops)-1].(opTable); !ok || tab.v != "V_next" {
		t.Errorf("staggered with tables ends in %s, want the table lookup at V_next", describe(pt.ops[len(pt.ops)-1]))
	}
}

// TestStepPlanRungeKutta: rk4's stages advance the state by dt/2 along k1, dt/2 along k2 and
// dt along k3, and the new state is x + dt·(k1 + 2k2 + 2k3 + k4)/6; rk2's is x + dt·k2 from
// the midpoint.
func TestStepPlanRungeKutta(t *testing.T) {
	m := checkedModel(t, "hh52", "rk4")
	p := stepPlanOf(t, m, Options{})
	checkOrder(t, m, p)
	var forV []string
	for _, l := range lines(p, "Update") {
		if strings.HasPrefix(l, "V_") {
			forV = append(forV, l)
		}
	}
	want := []string{
		"V_2 = stage(V, 0.5, dV)",
		"V_3 = stage(V, 0.5, dV_2)",
		"V_4 = stage(V, 1, dV_3)",
		"V_next = sum(V, 1 dV + 2 dV_2 + 2 dV_3 + 1 dV_4; 6)",
	}
	if !reflect.DeepEqual(forV, want) {
		t.Errorf("V's updates:\n%s\nwant:\n%s", strings.Join(forV, "\n"), strings.Join(want, "\n"))
	}
	if got, want := lines(p, "Clamp"), []string{"clamp dV", "clamp dV_2", "clamp dV_3", "clamp dV_4"}; !reflect.DeepEqual(got, want) {
		t.Errorf("clamps %v, want %v", got, want)
	}
	p2 := stepPlanOf(t, checkedModel(t, "hh52", "rk2"), Options{})
	if got := lines(p2, "Update"); !slices.Contains(got, "V_2 = stage(V, 0.5, dV)") || !slices.Contains(got, "V_next = sum(V, 1 dV_2; 1)") {
		t.Errorf("rk2 updates %v, want V_2 = stage(V, 0.5, dV) and V_next = sum(V, 1 dV_2; 1)", got)
	}
}

// runPlan interprets the plan for one neuron, with symbolic.Eval as each statement's meaning:
// x holds the states (by local), and it returns each state's new value. It fails the test
// where the plan reads a value it has not set.
func runPlan(t *testing.T, m *ir.Model, p *stepPlan, x map[string]float64, tm, dt, input float64, clamp bool) map[*ir.State]float64 {
	t.Helper()
	env := map[string]float64{"dt": dt, m.Time: tm, m.Input: input}
	for _, q := range m.Params {
		env[q.Local] = q.Default
	}
	for k, v := range x {
		env[k] = v
	}
	get := func(n string) float64 {
		v, ok := env[n]
		if !ok {
			t.Fatalf("the plan reads %s before it sets it", n)
		}
		return v
	}
	compute := func(stmts []*ir.Stmt, rename map[string]string) {
		name := renameBy(rename)
		for _, s := range stmts {
			env[name(s.Local)] = symbolic.Eval(s.Expr, func(n string) float64 { return get(name(n)) })
		}
	}
	exp := func(x, d, l float64) float64 { return x + dt*d*runtime.Exprel(dt*l) }
	compute(p.pre, nil)
	for _, op := range append(slices.Clone(p.hoisted), p.ops...) {
		switch op := op.(type) {
		case opCompute:
			compute(op.stmts, op.rename)
		case opClamp:
			if clamp {
				env[op.dV] = 0
			}
		case opTime:
			env[op.local] = tm + op.c*dt
		case opUpdate:
			x := get(op.x)
			switch op.rule {
			case ruleEuler:
				env[op.dst] = x + dt*get(op.d)
			case ruleExp:
				env[op.dst] = exp(x, get(op.d), get(op.l))
			case ruleExpCoupled:
				v := exp(x, get(op.d), get(op.l))
				for _, dr := range op.drives {
					v += dt * dt * get(dr.k) * get(dr.dy) * runtime.Exprel2(dt*get(op.l), dt*get(dr.ly))
				}
				env[op.dst] = v
			case ruleCrankNicolson:
				env[op.dst] = x + dt*get(op.d)/(1-0.5*dt*get(op.l))
			case ruleStage:
				env[op.dst] = x + op.c*dt*get(op.d)
			case ruleSum:
				sum := 0.0
				for _, w := range op.weights {
					sum += w.w * get(w.d)
				}
				env[op.dst] = x + dt*sum/op.total
			default:
				t.Fatalf("update rule %d", op.rule)
			}
		case opTable:
			// The tables interpolate the exact step, which runs where V is outside them.
			compute(op.exact, op.rename)
			name := renameBy(op.rename)
			for _, st := range op.gates {
				env[p.next[st]] = exp(get(st.Local), get(name(st.Deriv.Local)), get(name(st.Linear.Local)))
			}
		}
	}
	out := map[*ir.State]float64{}
	for _, st := range m.States {
		out[st] = get(p.next[st])
	}
	return out
}

// derivs evaluates the model's right-hand sides at states x (by local), time tm and input:
// each state's dx/dt and, where the model has it, ∂(dx/dt)/∂x; dV/dt is 0 under the clamp.
func derivs(m *ir.Model, x map[string]float64, tm, input float64, clamp bool) (f, l map[*ir.State]float64) {
	env := map[string]float64{m.Time: tm, m.Input: input}
	for _, q := range m.Params {
		env[q.Local] = q.Default
	}
	for k, v := range x {
		env[k] = v
	}
	for _, s := range append(slices.Clone(m.Pre), m.Body...) {
		env[s.Local] = symbolic.Eval(s.Expr, symbolic.MapEnv(env))
	}
	f, l = map[*ir.State]float64{}, map[*ir.State]float64{}
	for _, st := range m.States {
		f[st] = env[st.Deriv.Local]
		if st.Linear != nil {
			l[st] = env[st.Linear.Local]
		}
	}
	if clamp {
		f[m.States[0]] = 0
	}
	return f, l
}

// textbookStep is one step of each method as its definition reads, from derivs alone.
func textbookStep(m *ir.Model, x map[string]float64, tm, dt, input float64, clamp bool) map[*ir.State]float64 {
	at := func(base map[string]float64, k map[*ir.State]float64, c float64) map[string]float64 {
		y := maps.Clone(base)
		for st, d := range k {
			y[st.Local] = base[st.Local] + c*dt*d
		}
		return y
	}
	next := map[*ir.State]float64{}
	f, l := derivs(m, x, tm, input, clamp)
	switch m.Method {
	case ir.Euler:
		for _, st := range m.States {
			next[st] = x[st.Local] + dt*f[st]
		}
	case ir.ExpAuto:
		for _, st := range m.States {
			next[st] = x[st.Local] + dt*f[st]*runtime.Exprel(dt*l[st])
		}
	case ir.Staggered:
		V := m.States[0]
		next[V] = x[V.Local] + dt*f[V]/(1-0.5*dt*l[V])
		y := maps.Clone(x)
		y[V.Local] = next[V]
		f2, l2 := derivs(m, y, tm+dt, input, clamp)
		for _, st := range m.States[1:] {
			next[st] = x[st.Local] + dt*f2[st]*runtime.Exprel(dt*l2[st])
		}
	case ir.RK2:
		k2, _ := derivs(m, at(x, f, 0.5), tm+0.5*dt, input, clamp)
		for _, st := range m.States {
			next[st] = x[st.Local] + dt*k2[st]
		}
	case ir.RK4:
		k2, _ := derivs(m, at(x, f, 0.5), tm+0.5*dt, input, clamp)
		k3, _ := derivs(m, at(x, k2, 0.5), tm+0.5*dt, input, clamp)
		k4, _ := derivs(m, at(x, k3, 1), tm+dt, input, clamp)
		for _, st := range m.States {
			next[st] = x[st.Local] + dt*(f[st]+2*k2[st]+2*k3[st]+k4[st])/6
		}
	}
	return next
}

// TestStepPlanMeaning: the plan, interpreted with symbolic.Eval, takes the step that each
// method's definition gives (textbookStep), for HH52 at rest, depolarised with input, near a
// spike's peak and under the voltage clamp; with tables, the exact step they interpolate.
func TestStepPlanMeaning(t *testing.T) {
	tables := DefaultTables
	type neuron struct {
		x     map[string]float64
		input float64
		clamp bool
	}
	neurons := []neuron{
		{map[string]float64{"V": -65, "Na_m": 0.053, "Na_h": 0.6, "K_n": 0.318}, 0, false},
		{map[string]float64{"V": -20, "Na_m": 0.4, "Na_h": 0.3, "K_n": 0.5}, 10, false},
		{map[string]float64{"V": 35, "Na_m": 0.95, "Na_h": 0.1, "K_n": 0.7}, 5, false},
		{map[string]float64{"V": -40, "Na_m": 0.2, "Na_h": 0.5, "K_n": 0.4}, 10, true},
	}
	const tm, dt = 3, 0.1
	for _, method := range ir.Methods {
		m := checkedModel(t, "hh52", method.String())
		variants := map[string]Options{"": {}}
		if method.Linearised() {
			variants["tables"] = Options{Tables: &tables}
		}
		for name, opts := range variants {
			p := stepPlanOf(t, m, opts)
			for _, n := range neurons {
				got := runPlan(t, m, p, n.x, tm, dt, n.input, n.clamp)
				want := textbookStep(m, n.x, tm, dt, n.input, n.clamp)
				for _, st := range m.States {
					if d := math.Abs(got[st] - want[st]); !(d <= 1e-12*math.Max(1, math.Abs(want[st]))) {
						t.Errorf("%s %s, V = %g, input %g, clamp %t: %s = %.17g, want %.17g", method, name, n.x["V"], n.input, n.clamp, st.Name, got[st], want[st])
					}
				}
				if n.clamp && got[m.States[0]] != n.x["V"] {
					t.Errorf("%s %s: under the clamp V goes from %g to %g", method, name, n.x["V"], got[m.States[0]])
				}
			}
		}
	}
}

// TestStepPlanMeaningTime: where the drive and a rate depend on t alone (statements computed
// once, before the loop), each later evaluation of the right-hand sides reads them at its own
// time: the Runge–Kutta stages at t + dt/2 and t + dt, the staggered step's second half at t + dt.
func TestStepPlanMeaningTime(t *testing.T) {
	const tm, dt = 2.5, 0.1
	for _, method := range ir.Methods {
		m := checkedModel(t, filepath.Join("testdata", "step", "timedrive.yaml"), method.String())
		p := stepPlanOf(t, m, Options{})
		checkOrder(t, m, p)
		var times []string
		for _, op := range p.hoisted {
			if op, ok := op.(opTime); ok {
				times = append(times, describe(op))
			}
		}
		// One time per distinct time of evaluation: rk4's third stage reads the second's.
		wantTimes := map[ir.Method][]string{ir.Staggered: {"t_next = t + 1 dt"}, ir.RK2: {"t_2 = t + 0.5 dt"}, ir.RK4: {"t_2 = t + 0.5 dt", "t_4 = t + 1 dt"}}[method]
		if !reflect.DeepEqual(times, wantTimes) {
			t.Errorf("%s: times %v, want %v", method, times, wantTimes)
		}
		for _, v := range []float64{-65, -30} {
			x := map[string]float64{"V": v, "K_n": 0.4}
			got := runPlan(t, m, p, x, tm, dt, 2, false)
			want := textbookStep(m, x, tm, dt, 2, false)
			for _, st := range m.States {
				if d := math.Abs(got[st] - want[st]); !(d <= 1e-12*math.Max(1, math.Abs(want[st]))) {
					t.Errorf("%s, V = %g: %s = %.17g, want %.17g", method, v, st.Name, got[st], want[st])
				}
			}
		}
	}
}

// renameBy renames by r, else keeps the name: the symbols of the stock specs are their own Go
// locals, so the tests read the plan in the model's symbols.
func renameBy(r map[string]string) func(string) string {
	return func(n string) string {
		if to, ok := r[n]; ok {
			return to
		}
		return n
	}
}

// TestStepPlanCoupled runs the step plan of testdata/step/coupled.yaml under the voltage clamp
// for 200 steps from one event's worth in AlphaCond's x and in the driven pair's x, with
// exp_auto and with staggered (whose receptor states take the same exact step, half a step
// ahead): every step's g is the analytic one to 1e-12, w (t/τ) e^(1 − t/τ) for AlphaCond and
// w τ_r/(τ_d − τ_r) (e^(−t/τ_d) − e^(−t/τ_r)) for the pair; with x frozen over the step
// (ruleExp alone) they are off by up to 2.5 % and 10 %.
func TestStepPlanCoupled(t *testing.T) {
	const dt, w, steps = 0.1, 1e-5, 200
	const tauA, tauR, tauD = 2.0, 0.5, 4.0
	for _, method := range []string{"exp_auto", "staggered"} {
		m := checkedModel(t, filepath.Join("testdata", "step", "coupled.yaml"), method)
		p := stepPlanOf(t, m, Options{})
		x := map[string]float64{}
		for _, st := range m.States {
			x[st.Local] = 0
		}
		x[m.States[0].Local], x["K_n"], x["Al_x"], x["D_x"] = -65, 0.3, w, w
		rel := func(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }
		worstA, worstD := 0.0, 0.0
		for k := 1; k <= steps; k++ {
			next := runPlan(t, m, p, x, float64(k-1)*dt, dt, 0, true)
			for st, v := range next {
				x[st.Local] = v
			}
			tk := float64(k) * dt
			worstA = max(worstA, rel(x["Al_g"], w*tk/tauA*math.Exp(1-tk/tauA)))
			worstD = max(worstD, rel(x["D_g"], w*tauR/(tauD-tauR)*(math.Exp(-tk/tauD)-math.Exp(-tk/tauR))))
		}
		if worstA > 1e-12 || worstD > 1e-12 {
			t.Errorf("%s: largest relative error of g over %d steps: AlphaCond %g, driven pair %g; want ≤ 1e-12", method, steps, worstA, worstD)
		}
	}
}
