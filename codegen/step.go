package codegen

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// The step plan.
//
// planStep describes one step of one neuron once, as a stepPlan: the slices the step reads and
// writes, what it loads per neuron, the statements it computes and in which order (with the
// names each evaluation gives them), the update that the integration method gives each state,
// where the rate tables are looked up, and what it stores. Two emitters render the plan:
// stepRange writes StepRange's scalar loop, stepVec (vector.go) the eight- and four-lane
// loops. Each knows how to write each kind of operation (stepOp); neither knows the
// integration methods, and neither changes the plan, so that they compute the same things in
// the same order.
//
// An integration method is one case of planStep: the operations of its step, built from the
// kinds below. A method that needs an update no stepRule describes adds the rule and its
// rendering in both emitters (or, where it has no vector form, is refused by checkSIMD).

// stepPlan is the step of StepRange (and of stepX8 and stepX4, with Options.SIMD), as planStep
// computes it.
type stepPlan struct {
	V    *ir.State
	Vth  *ir.Param
	uses map[string]bool // the symbols the step reads (group-wide parameters are loaded if used)
	pre  []*ir.Stmt      // group-wide statements, computed once before the loop
	// hoisted are group-wide operations after pre, also before the loop: the times of later
	// evaluations of the rates (opTime) and the group-wide statements at those times
	// (opCompute).
	hoisted []stepOp
	slices  []stepSlice // the slices of the range, V's first
	tab     string      // the local holding the rate table; "" without tables
	ops     []stepOp    // the loop's body, between the loads and the spike check
	next    map[*ir.State]string
	states  []*ir.State // stored, in order, from their next values
	floors  []*ir.State // states kept at or above their floor, in order
	// refractory is the model's refractory period (ms): 0 for a spike at each upward crossing
	// of V_th; else a spike where V > V_th after the step and the neuron is not refractory,
	// and tRef is the local holding the latest start of a last spike's step that lets a
	// neuron spike in this step (see refractoryStart).
	refractory float64
	tRef       string
}

// stepSlice is a per-neuron slice of the step: value is the loop's local holding neuron i's
// element ("" for spiked and spikeTime, which the step only writes); state is set for a state
// variable, stored in the state type.
type stepSlice struct {
	field, local, value string
	state               *ir.State
}

// slice returns the local slice of a Group field.
func (p *stepPlan) slice(field string) string {
	for _, s := range p.slices {
		if s.field == field {
			return s.local
		}
	}
	panic("codegen: no slice of " + field + " in the step")
}

// stepOp is one operation of the step's loop body: opComment, opCompute, opClamp, opTime,
// opUpdate or opTable.
type stepOp interface{ stepOp() }

// opComment is a comment line.
type opComment struct{ text string }

// opCompute computes statements, in order, each local and each symbol renamed by rename (nil:
// none).
type opCompute struct {
	stmts  []*ir.Stmt
	rename map[string]string
}

// opClamp sets dV to 0 under the voltage clamp.
type opClamp struct{ dV string }

// opTime sets local to the time t + c·dt, where a later evaluation of the statements is.
type opTime struct {
	local string
	c     float64
}

// stepRule is how an update advances a state.
type stepRule int

const (
	ruleEuler         stepRule = iota // x + dt·d
	ruleExp                           // x + dt·d·exprel(dt·l): exact when dx/dt = l·x + b
	ruleCrankNicolson                 // x + dt·d / (1 − dt/2·l)
	ruleStage                         // x + c·dt·d: a Runge–Kutta stage's state
	ruleSum                           // x + dt·(Σ w·d)/total: a Runge–Kutta combination
	// ruleExpCoupled is ruleExp plus Σ_j dt²·k_j·dy_j·exprel2(dt·l, dt·ly_j): exact when dx/dt =
	// l·x + Σ_j k_j·y_j + b and dy_j/dt = ly_j·y_j + b_j, each y_j updated by ruleExp
	// (ir.Coupling).
	ruleExpCoupled
)

// opUpdate sets dst, a new local, to state x advanced by rule, with derivative d and linear
// coefficient l (both locals); for ruleExpCoupled, drives are the terms of the states that
// drive x. Where l is group-wide, exprel is the local that holds exprel(dt·l), computed
// before the loop (opExprel).
type opUpdate struct {
	rule    stepRule
	dst, x  string
	d, l    string
	exprel  string   // ruleExp, ruleExpCoupled: exprel(dt·l) computed before the loop, or ""
	drives  []drive  // ruleExpCoupled
	c       float64  // ruleStage
	weights []weight // ruleSum: the terms of nonzero weight
	total   float64  // ruleSum
}

// drive is the term of a state y that drives x in ruleExpCoupled: its coupling coefficient k
// (∂(dx/dt)/∂y), derivative dy and linear coefficient ly (locals); exprel2, where l and ly are
// group-wide, the local that holds exprel2(dt·l, dt·ly), computed before the loop.
type drive struct{ k, dy, ly, exprel2 string }

// opExprel sets local, before the loop, to exprel(dt·l), or to exprel2(dt·l, dt·ly) where ly is
// set: l and ly are group-wide (a receptor's −1/τ), so every neuron's exponential step would
// compute the same number (see hoistExprels).
type opExprel struct{ local, l, ly string }

// weight is a term w·d of a Runge–Kutta combination.
type weight struct {
	w float64
	d string
}

// opTable advances the tabulated gates: from the rate tables at membrane potential v (a local)
// where v is in their range, else exactly by the statements exact (renamed by rename) and the
// exponential step. Each gate's new value is the plan's next.
type opTable struct {
	v      string
	gates  []*ir.State
	exact  []*ir.Stmt
	rename map[string]string
}

func (opComment) stepOp() {}
func (opCompute) stepOp() {}
func (opClamp) stepOp()   {}
func (opTime) stepOp()    {}
func (opUpdate) stepOp()  {}
func (opTable) stepOp()   {}
func (opExprel) stepOp()  {}

// comment is the comment before the table lookup.
func (op opTable) comment() string {
	return fmt.Sprintf("rate tables: x(t+dt) = A·x + B with A and B interpolated linearly in %s", strings.TrimSuffix(op.v, "_next")+"'s table")
}

// renamer returns the function that gives the Go local of a symbol of the model: the one r
// maps it to, else its own (g.id).
func (g *generator) renamer(r map[string]string) func(string) string {
	if r == nil {
		return g.id
	}
	return func(n string) string {
		if to, ok := r[n]; ok {
			return to
		}
		return g.id(n)
	}
}

// planStep plans the step. It chooses the step's locals from the generation's namer, so it runs
// once per generation, where StepRange is written.
func (g *generator) planStep() *stepPlan {
	m := g.m
	V := m.States[0]
	Vth := g.param("V_th")
	pre, body := g.stepClosure()
	uses := usesOf(append(slices.Clone(pre), body...))
	uses[Vth.Local] = true
	for _, st := range m.States {
		uses[st.Local] = true
	}
	p := &stepPlan{V: V, Vth: Vth, uses: uses, pre: pre, next: map[*ir.State]string{}, states: m.States}
	// Slices of the range, V's first, resliced to its length so the compiler drops bounds checks.
	p.slices = append(p.slices, stepSlice{field: g.names.stateField(V), local: g.local(g.id(V.Local) + "_s"), value: g.id(V.Local), state: V})
	for _, st := range m.States[1:] {
		p.slices = append(p.slices, stepSlice{field: g.names.stateField(st), local: g.local(g.id(st.Local) + "_s"), value: g.id(st.Local), state: st})
	}
	for _, q := range m.Params {
		if q.PerNeuron && uses[q.Local] {
			p.slices = append(p.slices, stepSlice{field: g.names.paramField(q), local: g.local(g.id(q.Local) + "_s"), value: g.id(q.Local)})
		}
	}
	if uses[m.Input] {
		p.slices = append(p.slices, stepSlice{field: "input", local: g.local(g.id(m.Input) + "_s"), value: g.id(m.Input)})
	}
	p.slices = append(p.slices, stepSlice{field: "spiked", local: g.local("spiked")}, stepSlice{field: "spikeTime", local: g.local("spikeTime")})
	if m.Refractory > 0 {
		p.refractory, p.tRef = m.Refractory, g.local("tRef")
	}
	if g.tables != nil {
		p.tab = g.local("tab")
	}
	for _, st := range m.States {
		p.next[st] = g.local(g.id(st.Local) + "_next")
	}
	for _, st := range m.States {
		if st.Floor > 0 {
			p.floors = append(p.floors, st)
		}
	}

	switch m.Method {
	case ir.Euler:
		p.add(opCompute{stmts: body}, opClamp{g.id(V.Deriv.Local)}, opComment{"forward Euler: x(t+dt) = x + dt * dx/dt"})
		for _, st := range m.States {
			p.add(opUpdate{rule: ruleEuler, dst: p.next[st], x: g.id(st.Local), d: g.id(st.Deriv.Local)})
		}
	case ir.ExpAuto:
		g.planExponential(p, body)
	case ir.Staggered:
		g.planStaggered(p)
	case ir.RK2, ir.RK4:
		p.add(opCompute{stmts: body}, opClamp{g.id(V.Deriv.Local)})
		g.planRungeKutta(p, body)
	default:
		panic("codegen: unknown method " + m.Method.String()) // check accepts only the methods above
	}
	g.hoistExprels(p)
	g.prune(p, body)
	return p
}

// hoistExprels moves the exprel(dt·l) of each exponential update whose l is group-wide (and
// the exprel2(dt·l, dt·ly) of each drive whose l and ly are) out of the loop, into an opExprel
// each, one per argument: the number is the same for every neuron, so the step computes the
// same bits once per call instead of once per neuron.
func (g *generator) hoistExprels(p *stepPlan) {
	groupWide := map[string]bool{}
	for _, s := range p.pre {
		groupWide[g.id(s.Local)] = true
	}
	for _, op := range p.hoisted {
		if c, ok := op.(opCompute); ok {
			for _, s := range c.stmts {
				groupWide[g.renamer(c.rename)(s.Local)] = true
			}
		}
	}
	locals := map[[2]string]string{}
	hoist := func(l, ly string) string {
		key := [2]string{l, ly}
		if local, ok := locals[key]; ok {
			return local
		}
		want := "exprel_" + l
		if ly != "" {
			want = "exprel2_" + l + "_" + ly
		}
		local := g.local(want)
		locals[key] = local
		p.hoisted = append(p.hoisted, opExprel{local: local, l: l, ly: ly})
		return local
	}
	for i, op := range p.ops {
		up, ok := op.(opUpdate)
		if !ok || (up.rule != ruleExp && up.rule != ruleExpCoupled) || !groupWide[up.l] {
			continue
		}
		up.exprel = hoist(up.l, "")
		up.drives = slices.Clone(up.drives)
		for j, dr := range up.drives {
			if groupWide[dr.ly] {
				up.drives[j].exprel2 = hoist(up.l, dr.ly)
			}
		}
		p.ops[i] = up
	}
}

// prune drops the group-wide statements that no operation reads (the staggered step reads a
// statement of t only at t+dt, under another name), and the parameters only they read.
func (g *generator) prune(p *stepPlan, body []*ir.Stmt) {
	need := map[string]bool{}
	mark := func(stmts []*ir.Stmt, rename map[string]string) {
		name := g.renamer(rename)
		for _, s := range stmts {
			for _, v := range symbolic.Vars(s.Expr) {
				need[name(v)] = true
			}
		}
	}
	for _, op := range append(slices.Clone(p.hoisted), p.ops...) {
		switch op := op.(type) {
		case opCompute:
			mark(op.stmts, op.rename)
		case opTable:
			mark(op.exact, op.rename)
			name := g.renamer(op.rename)
			for _, st := range op.gates {
				need[name(st.Deriv.Local)], need[name(st.Linear.Local)] = true, true
			}
		case opExprel:
			need[op.l], need[op.ly] = true, true
		case opUpdate:
			need[op.d], need[op.l] = true, true
			for _, dr := range op.drives {
				need[dr.k], need[dr.dy], need[dr.ly] = true, true, true
			}
			for _, w := range op.weights {
				need[w.d] = true
			}
		}
	}
	var pre []*ir.Stmt
	for _, s := range slices.Backward(p.pre) {
		if need[g.id(s.Local)] {
			pre = append(pre, s)
			mark([]*ir.Stmt{s}, nil)
		}
	}
	slices.Reverse(pre)
	if len(pre) == len(p.pre) {
		return
	}
	p.pre = pre
	uses := usesOf(append(slices.Clone(pre), body...))
	for _, op := range p.hoisted {
		if c, ok := op.(opCompute); ok {
			for _, s := range c.stmts {
				for _, v := range symbolic.Vars(s.Expr) {
					uses[v] = true
				}
			}
		}
	}
	for n := range p.uses {
		if !uses[n] && n != p.Vth.Local && !slices.ContainsFunc(p.states, func(st *ir.State) bool { return st.Local == n }) {
			delete(p.uses, n)
		}
	}
}

// usesTime reports whether any of the statements reads the time.
func usesTime(m *ir.Model, lists ...[]*ir.Stmt) bool {
	for _, list := range lists {
		for _, s := range list {
			if symbolic.DependsOn(s.Expr, func(n string) bool { return n == m.Time }) {
				return true
			}
		}
	}
	return false
}

// add appends operations to the loop's body; a computation of no statements is left out.
func (p *stepPlan) add(ops ...stepOp) {
	for _, op := range ops {
		if c, ok := op.(opCompute); ok && len(c.stmts) == 0 {
			continue
		}
		p.ops = append(p.ops, op)
	}
}

// planExponential plans exp_auto: every state by the exponential step, the tabulated gates
// (with tables) from the tables.
func (g *generator) planExponential(p *stepPlan, body []*ir.Stmt) {
	m := g.m
	V := m.States[0]
	compute := body
	var exact []*ir.Stmt // with tables: the statements only the tabulated gates' exact step needs
	if g.tables != nil {
		var roots []*ir.Stmt
		for _, st := range m.States {
			if !g.tabulated(st) {
				roots = append(roots, st.StepRoots()...)
			}
		}
		_, rest := m.Closure(roots...)
		inRest := map[*ir.Stmt]bool{}
		for _, s := range rest {
			inRest[s] = true
		}
		for _, s := range body {
			if !inRest[s] {
				exact = append(exact, s)
			}
		}
		compute = rest
	}
	p.add(opCompute{stmts: compute}, opClamp{g.id(V.Deriv.Local)},
		opComment{"exponential Euler: x(t+dt) = x + dt * exprel(dt * L) * dx/dt, exact when dx/dt = L*x + b"})
	for _, st := range m.States {
		if !g.tabulated(st) {
			up := expUpdate(st, p.next[st], g.id)
			if up.rule == ruleExpCoupled {
				p.add(coupledComment(st))
			}
			p.add(up)
		}
	}
	if g.tables != nil {
		p.add(opTable{v: g.id(V.Local), gates: g.tables.Gates, exact: exact})
	}
}

// expUpdate is the exponential step of state st to dst, its statements' locals named by name:
// ruleExp, or ruleExpCoupled where another state drives it (ir.Coupling).
func expUpdate(st *ir.State, dst string, name func(string) string) opUpdate {
	up := opUpdate{rule: ruleExp, dst: dst, x: name(st.Local), d: name(st.Deriv.Local), l: name(st.Linear.Local)}
	for _, c := range st.Coupled {
		up.rule = ruleExpCoupled
		up.drives = append(up.drives, drive{k: name(c.Coef.Local), dy: name(c.From.Deriv.Local), ly: name(c.From.Linear.Local)})
	}
	return up
}

// coupledComment is the comment before the update of a coupled state.
func coupledComment(st *ir.State) opComment {
	if len(st.Coupled) == 1 {
		y := st.Coupled[0].From.Name
		return opComment{fmt.Sprintf("%s drives %s: + dt*dt * K * d%s/dt * exprel2(dt * L, dt * L_y), exact with %s's exact step", y, st.Name, y, y)}
	}
	var ys []string
	for _, c := range st.Coupled {
		ys = append(ys, c.From.Name)
	}
	return opComment{fmt.Sprintf("%s drive %s: + dt*dt * K_y * dy/dt * exprel2(dt * L, dt * L_y) for each, exact with their exact steps", strings.Join(ys, " and "), st.Name)}
}

// planStaggered plans the staggered step: V from t to t+dt by Crank–Nicolson with the other
// states (gates, concentrations) at t+dt/2, where they are held; then the other states from
// t+dt/2 to t+3dt/2 by the exponential step at V(t+dt), the middle of their interval. Each half
// is centred, so the step is second order, and it evaluates the rates once, as exp_auto does.
func (g *generator) planStaggered(p *stepPlan) {
	m := g.m
	V := m.States[0]
	next := p.next
	_, first := m.Closure(V.Deriv, V.Linear)
	var roots, tabRoots []*ir.Stmt
	for _, st := range m.States[1:] {
		if g.tabulated(st) {
			tabRoots = append(tabRoots, st.Deriv, st.Linear)
		} else {
			roots = append(roots, st.StepRoots()...)
		}
	}
	secondPre, second := m.Closure(roots...)
	// The second half's statements that do not depend on V (or on t) are the same in both
	// halves: they are computed once, with the first. Group-wide statements that depend on t
	// are computed again at t+dt, before the loop.
	rename := map[string]string{V.Local: next[V]}
	renamed := func(n string) bool { _, ok := rename[n]; return ok }
	if usesTime(m, secondPre, second) {
		tname := g.local("t_next")
		rename[m.Time] = tname
		p.hoisted = append(p.hoisted, opTime{local: tname, c: 1})
	}
	var againPre []*ir.Stmt
	for _, s := range secondPre {
		if symbolic.DependsOn(s.Expr, renamed) {
			rename[s.Local] = g.local(g.id(s.Local) + "_next")
			againPre = append(againPre, s)
		}
	}
	if len(againPre) > 0 {
		p.hoisted = append(p.hoisted, opCompute{stmts: againPre, rename: rename})
	}
	inFirst := map[*ir.Stmt]bool{}
	for _, s := range first {
		inFirst[s] = true
	}
	var again []*ir.Stmt
	for _, s := range second {
		if symbolic.DependsOn(s.Expr, renamed) {
			rename[s.Local] = g.local(g.id(s.Local) + "_next")
			again = append(again, s)
		} else {
			inFirst[s] = true
		}
	}
	var now []*ir.Stmt
	for _, s := range m.Body { // in schedule order
		if inFirst[s] {
			now = append(now, s)
		}
	}
	name := g.renamer(rename)
	p.add(opComment{"staggered: V is at t, the other states at t+dt/2"},
		opCompute{stmts: now},
		opClamp{g.id(V.Deriv.Local)},
		opComment{"Crank–Nicolson for V with the other states held at t+dt/2: V(t+dt) = V + dt * dV/dt / (1 - dt/2 * L)"},
		opUpdate{rule: ruleCrankNicolson, dst: next[V], x: g.id(V.Local), d: g.id(V.Deriv.Local), l: g.id(V.Linear.Local)},
		opComment{"the other states' rates at V(t+dt), the middle of their step from t+dt/2 to t+3dt/2"})
	p.add(opCompute{stmts: again, rename: rename})
	commented := false
	for _, st := range m.States[1:] {
		if g.tabulated(st) {
			continue
		}
		if !commented {
			p.add(opComment{"exponential step: x(t+3dt/2) = x + dt * exprel(dt * L) * dx/dt, exact when dx/dt = L*x + b"})
			commented = true
		}
		up := expUpdate(st, next[st], name)
		up.x = g.id(st.Local)
		if up.rule == ruleExpCoupled {
			p.add(coupledComment(st))
		}
		p.add(up)
	}
	if g.tables == nil {
		return
	}
	// The tabulated gates' statements, at V(t+dt), for V outside the tables.
	done := map[*ir.Stmt]bool{}
	for _, s := range append(slices.Clone(now), again...) {
		done[s] = true
	}
	_, gates := m.Closure(tabRoots...)
	var exact []*ir.Stmt
	for _, s := range gates {
		if done[s] {
			continue
		}
		if symbolic.DependsOn(s.Expr, renamed) {
			rename[s.Local] = g.local(g.id(s.Local) + "_next")
		}
		exact = append(exact, s)
	}
	p.add(opTable{v: next[V], gates: g.tables.Gates, exact: exact, rename: rename})
}

// planRungeKutta plans the stages and the combination of rk2 (explicit midpoint) or rk4 (the
// classic fourth-order method), all variables advanced together, after the first stage (body).
func (g *generator) planRungeKutta(p *stepPlan, body []*ir.Stmt) {
	m := g.m
	type coef struct {
		from int     // stage whose derivative advances the state
		c    float64 // fraction of dt
	}
	var stages []coef
	var weights []float64
	if m.Method == ir.RK2 {
		p.add(opComment{"explicit midpoint (rk2): k1 = f(x), k2 = f(x + dt/2 k1), x(t+dt) = x + dt k2"})
		stages = []coef{{0, 0.5}}
		weights = []float64{0, 1}
	} else {
		p.add(opComment{"classic Runge–Kutta (rk4): x(t+dt) = x + dt/6 (k1 + 2 k2 + 2 k3 + k4)"})
		stages = []coef{{0, 0.5}, {1, 0.5}, {2, 1}}
		weights = []float64{1, 2, 2, 1}
	}
	timed := usesTime(m, p.pre, body)
	// The names of each stage's values; stage 1's are the body's. times holds, by fraction of
	// dt, the names of a stage's time and of the group-wide statements at that time.
	times := map[float64]map[string]string{}
	// The names of each stage's values; stage 1's are the body's.
	renames := []map[string]string{nil}
	for k, s := range stages {
		n := k + 2
		from := g.renamer(renames[s.from])
		rename := map[string]string{}
		p.add(opComment{fmt.Sprintf("stage %d: the state advanced by %g dt along k%d", n, s.c, s.from+1)})
		for _, st := range m.States {
			local := g.local(fmt.Sprintf("%s_%d", g.id(st.Local), n))
			rename[st.Local] = local
			p.add(opUpdate{rule: ruleStage, dst: local, x: g.id(st.Local), d: from(st.Deriv.Local), c: s.c})
		}
		renamed := func(n string) bool { _, ok := rename[n]; return ok }
		if at, ok := times[s.c]; ok {
			// A stage at the time of an earlier one (rk4's third, at t + dt/2 as the second)
			// reads its time and group-wide statements.
			maps.Copy(rename, at)
		} else if timed {
			// The stage's time and the group-wide statements that depend on it, before the loop.
			tname := g.local(fmt.Sprintf("t_%d", n))
			rename[m.Time] = tname
			p.hoisted = append(p.hoisted, opTime{local: tname, c: s.c})
			var groupWide []*ir.Stmt
			for _, s := range p.pre {
				if symbolic.DependsOn(s.Expr, renamed) {
					rename[s.Local] = g.local(fmt.Sprintf("%s_%d", g.id(s.Local), n))
					groupWide = append(groupWide, s)
				}
			}
			if len(groupWide) > 0 {
				p.hoisted = append(p.hoisted, opCompute{stmts: groupWide, rename: rename})
			}
			times[s.c] = maps.Clone(rename)
			for _, st := range m.States {
				delete(times[s.c], st.Local)
			}
		}
		// The statements that depend on neither the stage's states nor its time keep their
		// first-stage values.
		var list []*ir.Stmt
		for _, s := range body {
			if symbolic.DependsOn(s.Expr, renamed) {
				rename[s.Local] = g.local(fmt.Sprintf("%s_%d", g.id(s.Local), n))
				list = append(list, s)
			}
		}
		p.add(opCompute{stmts: list, rename: rename}, opClamp{g.renamer(rename)(m.States[0].Deriv.Local)})
		renames = append(renames, rename)
	}
	total := 0.0
	for _, w := range weights {
		total += w
	}
	for _, st := range m.States {
		up := opUpdate{rule: ruleSum, dst: p.next[st], x: g.id(st.Local), total: total}
		for k, w := range weights {
			if w != 0 {
				up.weights = append(up.weights, weight{w, g.renamer(renames[k])(st.Deriv.Local)})
			}
		}
		p.add(up)
	}
}
