package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// ReceptorLibrary is a source of stock receptors, such as library.StockReceptors.
type ReceptorLibrary interface {
	// Receptor returns the receptor of that name, or nil and no error if there is none.
	Receptor(name string) (*spec.LibraryReceptor, error)
	// Names lists the receptors, sorted.
	Names() []string
}

// weightLocal is the symbol of the connection's weight w in a receptor's event; names starting
// with `__` are reserved, so no spec name can be it.
const weightLocal = ir.EventWeight

// receptorScope is a receptor being checked: its IR, its scope and its spec (a stock
// receptor's merged with the spec's overrides).
type receptorScope struct {
	r      *ir.ReceptorInfo
	sc     *scope
	spec   *spec.Receptor
	states []*ir.State
	specOf map[*ir.State]*spec.ReceptorState
	kin    *kineticScope // the kinetic part, for a receptor with a state per synapse; else nil
}

// declareReceptors declares every receptor's parameters and states, in spec order.
func (c *checker) declareReceptors(channels map[string]spec.Pos) {
	seen := map[string]spec.Pos{}
	for _, sr := range c.spec.Receptors {
		name := sr.Name.Value
		if prev, ok := seen[name]; ok {
			c.errorf(sr.Name.Pos, spec.DuplicateName, "duplicate receptor `%s` (first at %d:%d)", name, prev.Line(), prev.Col())
			continue
		}
		seen[name] = sr.Name.Pos
		if prev, ok := channels[name]; ok {
			// Their states would share names in Var: "E.g" could be either's.
			c.errorf(sr.Name.Pos, spec.DuplicateName, "receptor `%s` has the name of a channel (at %d:%d): give it another", name, prev.Line(), prev.Col())
			continue
		}
		sc := &scope{parent: c.group, owner: name, syms: map[string]*symbol{}, receptor: true}
		stock := ""
		if sr.Use != nil {
			merged := c.useStockReceptor(sr)
			if merged == nil {
				continue
			}
			merged.Bad = merged.Bad || sr.Bad
			stock, sc.stock, sc.useAt = sr.Use.Value, sr.Use.Value, sr.Use.Pos
			sr = merged
		}
		r := &ir.ReceptorInfo{Name: name, Stock: stock, Doc: sr.Doc}
		rs := &receptorScope{r: r, sc: sc, spec: sr, specOf: map[*ir.State]*spec.ReceptorState{}}
		for _, p := range sr.Params {
			if p.Name.Value == "w" {
				c.report(sc, p.Name.Pos, spec.DuplicateName, "receptor `%s`: `w` is the connection's weight in its event, and cannot be a parameter", name)
				continue
			}
			c.param(sc, name, p)
		}
		for _, ss := range sr.States {
			if ss.PerSynapse() {
				c.declareKinetic(rs, ss)
				continue
			}
			if st := c.declareReceptorState(rs, ss); st != nil {
				rs.states = append(rs.states, st)
			}
		}
		if rs.kin == nil && (sr.Weight != nil || sr.Transmitter != nil) {
			pos := sr.Name.Pos
			if sr.Weight != nil {
				pos = sr.Weight.Pos
			} else {
				pos = sr.Transmitter.Pos
			}
			c.report(sc, pos, spec.KineticReceptor, "receptor `%s` has no state per synapse (`per: synapse`): `weight` and `transmitter` are a kinetic receptor's (a linear one's weight has the unit of the state its event increments)", name)
		}
		r.States = rs.states
		c.m.Receptors = append(c.m.Receptors, r)
		c.receptors = append(c.receptors, rs)
	}
}

// declareReceptorState declares a state of a receptor and adds it to the model's states.
func (c *checker) declareReceptorState(rs *receptorScope, ss *spec.ReceptorState) *ir.State {
	name, rname := ss.Name.Value, rs.r.Name
	what := "a state of receptor `" + rname + "`"
	bad := func() *ir.State {
		c.declare(rs.sc, &symbol{name: name, kind: symState, pos: ss.Name.Pos, what: what, bad: true})
		return nil
	}
	if name == "w" {
		c.report(rs.sc, ss.Name.Pos, spec.DuplicateName, "receptor `%s`: `w` is the connection's weight in its event, and cannot be a state", rname)
		return nil
	}
	if ss.Bad {
		return bad()
	}
	dim, ok := c.stateUnit(rs.sc, *ss.Unit, fmt.Sprintf("`unit` of state `%s.%s`", rname, name))
	if !ok {
		return bad()
	}
	st := &ir.State{
		Name:     rname + "." + name,
		Local:    c.locals.Name(rname + "_" + name),
		Unit:     dim.String(),
		Kind:     ir.Receptor,
		Doc:      ss.Doc,
		Init:     symbolic.Const(0),
		Receptor: rs.r,
	}
	if !c.declare(rs.sc, &symbol{name: name, kind: symState, dim: dim, pos: ss.Name.Pos, local: st.Local, state: st, what: what}) {
		return nil
	}
	c.m.States = append(c.m.States, st)
	rs.specOf[st] = ss
	return st
}

// stateUnit reads the unit of a receptor state: a unit such as nS, or 1 for a fraction.
func (c *checker) stateUnit(sc *scope, u spec.Scalar, what string) (units.Dim, bool) {
	text := strings.TrimSpace(u.Value)
	if text == "1" {
		return units.Dimensionless, true
	}
	unit, err := units.Parse(text)
	if err != nil {
		pos := u.Pos
		if ue, ok := err.(*units.Error); ok {
			pos = u.PosAt(ue.Offset + strings.Index(u.Value, text))
		}
		c.report(sc, pos, spec.InvalidQuantity, "%s: %v", what, err)
		return units.Dim{}, false
	}
	return unit.Dim, true
}

// receptor converts a receptor's dynamics, current and event, and checks that it is linear.
func (c *checker) receptor(rs *receptorScope) {
	r, sc, sr := rs.r, rs.sc, rs.spec
	for _, st := range rs.states {
		ss := rs.specOf[st]
		if ss == nil {
			continue // a kinetic receptor's hidden state: kineticPart sets its derivative
		}
		where := fmt.Sprintf("`deriv` of state `%s`", st.Name)
		res := c.expression(*ss.Deriv, sc, where)
		res.e = rs.sum(res.e)
		if res.e == nil {
			continue
		}
		dim := sc.syms[strings.TrimPrefix(st.Name, r.Name+".")].dim
		want := dim.Div(units.Time)
		if res.t.boolean || (!res.t.zero && res.t.d != want) {
			c.report(sc, ss.Deriv.Pos, spec.WrongDimension, "%s must be %s (the unit of the state per time), got %s%s", where, describeWant(want), res.t, c.unitNote(*ss.Deriv, sc))
			continue
		}
		if msg := c.nonlinear(res.e, rs.states); msg != "" {
			c.report(sc, ss.Deriv.Pos, spec.NonlinearReceptor,
				"the dynamics of receptor `%s` must be linear in its states, so that one state per neuron sums its synapses: %s %s (a receptor that saturates per synapse is a kinetic one: a state with `per: synapse`)",
				r.Name, where, msg)
			continue
		}
		c.kinetic[st] = res.e
		if len(res.rws) > 0 {
			c.rewrites[st.Local] = append(c.rewrites[st.Local], res.rws...)
		}
	}
	if sr.Bad {
		return // the loader reported an error in the receptor: its current and event are not checked
	}
	if len(sr.States) == 0 {
		c.report(sc, sr.Name.Pos, spec.MissingField, "receptor `%s` has no `states` (e.g. `states: {g: {deriv: -g/tau, unit: nS}}`)", r.Name)
		return
	}
	c.receptorCurrent(rs)
	if rs.kin != nil {
		c.kineticPart(rs)
		return
	}
	c.receptorEvent(rs)
}

// nonlinear says why e, the derivative of a receptor state, is not linear and homogeneous in
// the receptor's states, or returns "".
func (c *checker) nonlinear(e *symbolic.Expr, states []*ir.State) string {
	isState := func(n string) bool {
		return slices.ContainsFunc(states, func(st *ir.State) bool { return st.Local == n })
	}
	zero := symbolic.Substitute(e, func(n string) *symbolic.Expr {
		if isState(n) {
			return symbolic.Const(0)
		}
		return nil
	})
	if !zero.Is(0) {
		return "has a term without a state (" + c.pretty(zero) + ")"
	}
	for _, st := range states {
		d := symbolic.Differentiate(e, st.Local, nil)
		if symbolic.DependsOn(d, isState) {
			return fmt.Sprintf("is not linear in `%s` (its coefficient %s depends on the states)", st.Name, c.pretty(d))
		}
	}
	return ""
}

// receptorCurrent converts a receptor's current: a current, divided by the membrane area, or
// a current density.
func (c *checker) receptorCurrent(rs *receptorScope) {
	r, sc, sr := rs.r, rs.sc, rs.spec
	if sr.Current == nil {
		c.report(sc, sr.Name.Pos, spec.MissingField, "receptor `%s` has no `current` (the current it passes, inward positive, e.g. `current: g*(E - V)`)", r.Name)
		return
	}
	where := "the current of receptor `" + r.Name + "`"
	res := c.expression(*sr.Current, sc, where)
	if res.e == nil {
		return
	}
	cur := rs.sum(res.e)
	comment := fmt.Sprintf("%s current (uA/cm2) = %s", r.Name, sr.Current.Src)
	switch {
	case res.t.boolean:
	case res.t.zero || res.t.d == units.CurrentDensity:
		r.Density = true
	case res.t.d == units.Current:
		cur = symbolic.Div(cur, symbolic.Const(c.m.A))
		comment = fmt.Sprintf("%s current (uA/cm2) = (%s) / A (A = %g cm2)", r.Name, sr.Current.Src, c.m.A)
	}
	if res.t.boolean || (!res.t.zero && res.t.d != units.CurrentDensity && res.t.d != units.Current) {
		c.report(sc, sr.Current.Pos, spec.WrongDimension, "%s must be %s or %s, got %s%s", where, describeWant(units.Current),
			describeWant(units.CurrentDensity), res.t, c.unitNote(*sr.Current, sc))
		return
	}
	// A current that cannot be finite (Exp2Cond with tau_rise = tau_decay divides by zero) is
	// an error here rather than a NaN in the first step with an event.
	open := symbolic.Substitute(cur, func(n string) *symbolic.Expr {
		for k, st := range rs.states {
			if st.Local == n {
				return symbolic.Const(float64(k + 1))
			}
		}
		return nil
	})
	if msg := c.everyV(open, false); msg != "" {
		if why := c.nonFiniteParams(cur); why != "" {
			msg = "is not finite for any state or V: " + why
			if sc.stock == "Exp2Cond" {
				msg += "; as tau_rise approaches tau_decay, Exp2Cond tends to the alpha function, which is the stock receptor AlphaCond (`use: AlphaCond, tau: ...`)"
			}
			c.report(sc, sr.Current.Pos, spec.NonFinite, "%s %s", where, msg)
			return
		}
		c.report(sc, sr.Current.Pos, spec.NonFinite, "%s, with its states at 1, 2, …, %s", where, msg)
		return
	}
	r.Text = sr.Current.Src
	b := c.newBinding("I_"+r.Name, cur, res.rws, sr.Current.Pos, comment)
	c.linkTo(&r.Current, b.local)
	c.receptorCur[r] = cur
	c.signCheck("receptor `"+r.Name+"`", sc, sr.Current, cur)
}

// nonFiniteParams finds a smallest subexpression of e that depends on parameters alone and is
// not finite at their values (tau_decay/(tau_decay - tau_rise) with equal time constants), and
// says what it is, or returns "".
func (c *checker) nonFiniteParams(e *symbolic.Expr) string {
	params := map[string]*ir.Param{}
	for _, p := range c.m.Params {
		params[p.Local] = p
	}
	env := func(n string) float64 { return params[n].Default }
	// bad reports whether x depends on parameters alone and is not finite at their values.
	bad := func(x *symbolic.Expr) bool {
		vars := symbolic.Vars(x)
		if len(vars) == 0 {
			return false
		}
		for _, v := range vars {
			if params[v] == nil {
				return false
			}
		}
		v := symbolic.Eval(x, env)
		return math.IsInf(v, 0) || math.IsNaN(v)
	}
	var found *symbolic.Expr
	symbolic.Walk(e, func(x *symbolic.Expr) bool {
		if found != nil {
			return false
		}
		if bad(x) && !slices.ContainsFunc(x.Args, bad) {
			found = x
		}
		return found == nil
	})
	if found == nil {
		return ""
	}
	var vals []string
	for _, v := range symbolic.Vars(found) {
		p := params[v]
		vals = append(vals, fmt.Sprintf("%s = %g %s", p.Name, p.Default, p.Unit))
	}
	return fmt.Sprintf("`%s` is %g with %s", c.pretty(found), symbolic.Eval(found, env), strings.Join(vals, " and "))
}

// receptorEvent reads a receptor's event, `x += EXPR`, `x -= EXPR` or `x = EXPR` (several
// separated by `;`, in order). When each part adds the weight w, times a number, to a state of
// the receptor, the event is those increments (ir.ReceptorInfo.Events, which the runtime
// delivers by adding weights); else each part is an assignment of an expression of the
// receptor's states, w and parameters (ir.ReceptorInfo.Assigns, a function of the generated
// group that the runtime calls per event).
func (c *checker) receptorEvent(rs *receptorScope) {
	r, sc, sr := rs.r, rs.sc, rs.spec
	if sr.Event == nil {
		c.report(sc, sr.Name.Pos, spec.MissingField, "receptor `%s` has no `event` (what an arriving spike does, e.g. `event: g += w`)", r.Name)
		return
	}
	ev := *sr.Event
	r.EventText = ev.Src
	var stateNames []string
	for _, st := range rs.states {
		stateNames = append(stateNames, strings.TrimPrefix(st.Name, r.Name+"."))
	}
	ok := true
	start := 0
	var parts []eventPart
	for _, part := range strings.SplitAfter(ev.Src, ";") {
		lo := start
		start += len(part)
		part = strings.TrimSuffix(part, ";")
		if strings.TrimSpace(part) == "" {
			if lo == 0 || start < len(ev.Src) {
				c.report(sc, textPos(ev, lo), spec.Syntax, "the event of receptor `%s` has an empty part: want `STATE += EXPRESSION` or `STATE = EXPRESSION`, several separated by `;`", r.Name)
				ok = false
			}
			continue
		}
		p, good := c.eventPart(rs, ev.Slice(lo, lo+len(part)), stateNames)
		if !good {
			ok = false
			continue
		}
		parts = append(parts, p)
	}
	if !ok || len(parts) == 0 {
		return
	}
	first := parts[0].st
	for _, p := range parts[1:] {
		if p.st.Unit != first.Unit {
			c.report(sc, ev.Pos, spec.WrongDimension, "the event of receptor `%s` sets `%s` (%s) and `%s` (%s): the weight w has one unit, that of the states it sets, so they must have the same",
				r.Name, first.Name, first.Unit, p.st.Name, p.st.Unit)
			return
		}
	}
	increments := !slices.ContainsFunc(parts, func(p eventPart) bool { return !p.isInc })
	for _, p := range parts {
		if increments {
			r.Events = append(r.Events, ir.Increment{State: p.st, Scale: p.scale})
			continue
		}
		r.Assigns = append(r.Assigns, ir.EventAssign{State: p.st, Value: p.value, Text: strings.TrimSpace(p.text)})
	}
	r.WeightUnit = first.Unit
	r.WeightDim = sc.syms[strings.TrimPrefix(first.Name, r.Name+".")].dim
}

// eventPart is one part of a receptor's event: its state's new value, and whether it is an
// increment of Scale·w.
type eventPart struct {
	st    *ir.State
	value *symbolic.Expr // the state's new value
	isInc bool           // value is the state plus scale·w
	scale float64
	text  string
}

// eventPart reads one `x += EXPR`, `x -= EXPR` or `x = EXPR` of a receptor's event.
func (c *checker) eventPart(rs *receptorScope, t spec.Text, stateNames []string) (eventPart, bool) {
	r, sc := rs.r, rs.sc
	src := t.Src
	// `x += e`, `x -= e` (which adds −e), or `x = e`.
	op, width, kind := -1, 2, byte('=')
	for i := 0; i < len(src); i++ {
		if src[i] == '=' && i > 0 && (src[i-1] == '+' || src[i-1] == '-') {
			op, kind = i-1, src[i-1]
			break
		}
		if src[i] == '=' && isAssign(src, i) {
			op, width = i, 1
			break
		}
	}
	if op < 0 {
		c.report(sc, textPos(t, len(src)-len(strings.TrimLeft(src, " \t\r\n"))), spec.Syntax,
			"the event of receptor `%s`: want `STATE += EXPRESSION` or `STATE = EXPRESSION` (e.g. `g += w`), got `%s`", r.Name, strings.TrimSpace(src))
		return eventPart{}, false
	}
	lhs := src[:op]
	name := strings.TrimSpace(lhs)
	namePos := textPos(t, len(lhs)-len(strings.TrimLeft(lhs, " \t\r\n")))
	if name == "" {
		c.report(sc, namePos, spec.Syntax, "the event of receptor `%s`: `%s` needs a state before it (e.g. `g %s w`)", r.Name, src[op:op+width], src[op:op+width])
		return eventPart{}, false
	}
	sym := sc.syms[name]
	if sym == nil || sym.kind != symState {
		verb := "adds to"
		if kind == '=' {
			verb = "sets"
		}
		msg := fmt.Sprintf("the event of receptor `%s` %s `%s`, which is not a state of the receptor", r.Name, verb, name)
		if sug := c.suggestName(name, stateNames); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else if len(stateNames) > 0 {
			msg += " (its states: " + strings.Join(stateNames, ", ") + ")"
		}
		c.report(sc, namePos, spec.UnknownName, "%s", msg)
		return eventPart{}, false
	}
	if sym.bad || sym.state == nil {
		return eventPart{}, false // reported where it is declared
	}
	st := sym.state
	opText := src[op : op+width]
	rhs := t.Slice(op+width, len(src))
	if strings.TrimSpace(rhs.Src) == "" {
		c.report(sc, textPos(t, op+width), spec.Syntax, "the event of receptor `%s`: `%s %s` needs an expression (e.g. `%s += w`)", r.Name, name, opText, name)
		return eventPart{}, false
	}
	// w, the weight, has the unit of the state it sets.
	evSc := &scope{parent: sc, owner: sc.owner, receptor: true, syms: map[string]*symbol{
		"w": {name: "w", kind: symBinding, dim: sym.dim, local: weightLocal, what: "the connection's weight"},
	}}
	where := fmt.Sprintf("the event of receptor `%s`", r.Name)
	res := c.expression(rhs, evSc, where)
	if res.e == nil {
		return eventPart{}, false
	}
	if res.t.boolean || (!res.t.zero && res.t.d != sym.dim) {
		if kind == '=' {
			c.report(sc, rhs.Pos, spec.WrongDimension, "%s sets `%s`, which is %s, to %s%s", where, st.Name, describe(sym.dim), res.t, c.unitNote(rhs, evSc))
		} else {
			c.report(sc, rhs.Pos, spec.WrongDimension, "%s adds %s to `%s`, which is %s: the weight w has the unit of the state it increments%s",
				where, res.t, st.Name, describe(sym.dim), c.unitNote(rhs, evSc))
		}
		return eventPart{}, false
	}
	// The value may use w, the receptor's states and parameters: nothing else of the neuron.
	params := map[string]bool{}
	for _, p := range c.m.Params {
		params[p.Local] = true
	}
	for _, v := range symbolic.Vars(res.e) {
		if v == weightLocal || params[v] || slices.ContainsFunc(rs.states, func(s *ir.State) bool { return s.Local == v }) {
			continue
		}
		what := "`" + c.pretty(symbolic.Var(v)) + "`"
		for ref := range res.refs {
			if ref.local == v {
				what = "`" + ref.name + "` (" + ref.what + ")"
			}
		}
		c.report(sc, rhs.Pos, spec.MisusedName,
			"%s may use the weight w, the receptor's states and parameters; `%s` uses %s", where, strings.TrimSpace(rhs.Src), what)
		return eventPart{}, false
	}
	p := eventPart{st: st, text: t.Src}
	switch kind {
	case '=':
		p.value = res.e
		return p, true
	case '-':
		res.e = symbolic.Neg(res.e)
	}
	p.value = symbolic.Add(symbolic.Var(st.Local), res.e)
	// An increment of a number times w: the fast path, delivered by adding weights.
	if symbolic.DependsOn(res.e, func(n string) bool { return n != weightLocal }) {
		return p, true
	}
	k := symbolic.Differentiate(res.e, weightLocal, nil)
	rest := symbolic.Substitute(res.e, func(n string) *symbolic.Expr {
		if n == weightLocal {
			return symbolic.Const(0)
		}
		return nil
	})
	scale, isConst := k.IsConst()
	if isConst && rest.Is(0) && scale == 0 {
		c.report(sc, rhs.Pos, spec.OutOfRange, "%s adds nothing to `%s`: `%s` is 0 for every weight", where, name, strings.TrimSpace(rhs.Src))
		return eventPart{}, false
	}
	p.isInc, p.scale = isConst && rest.Is(0), scale
	return p, true
}

// receptorDeriv returns the spec text of a receptor state's derivative.
func (c *checker) receptorDeriv(st *ir.State) *spec.Text {
	for _, rs := range c.receptors {
		if ss, ok := rs.specOf[st]; ok {
			return ss.Deriv
		}
		if rs.kin != nil && rs.kin.hiddenDeriv[st] != nil {
			return rs.kin.hiddenDeriv[st]
		}
	}
	panic("check: no receptor has state " + st.Name)
}

// isAssign reports whether the `=` at src[i] is an assignment, not part of `==`, `<=`, `>=`
// or `!=`.
func isAssign(src string, i int) bool {
	return (i == 0 || !strings.ContainsRune("<>!=", rune(src[i-1]))) && (i+1 >= len(src) || src[i+1] != '=')
}
