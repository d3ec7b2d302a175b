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

// plasticRule checks a projection's plasticity written as expressions (a `plasticity:` without
// `model:`) into an ir.PlasticRule, whose weight w is in dimension wdim; it returns nil after
// reporting errors. Its expressions are converted as a group's are (names, units, functions),
// in a scope of their own: the rule's parameters, its states, `delta` (the time since the
// previous event) and, in `weight`, `w`.
func (c *netChecker) plasticRule(p *spec.Plasticity, ctx string, wdim units.Dim) *ir.PlasticRule {
	pc := &checker{m: &ir.Model{}}
	defer func() { c.errs = append(c.errs, pc.errs...) }()
	ctx += "plasticity: "
	sc := &scope{syms: map[string]*symbol{}}
	reserved := map[string]string{
		"w":             "the connection's weight, in `weight`",
		ir.PlasticDelta: "the time since the previous event",
		"last":          "reserved for the step of the last event in state files",
		"t":             "reserved: a rule sees the time only as `delta`, since the previous event",
	}
	ok := !p.Bad
	declare := func(sym *symbol) bool {
		if why, bad := reserved[sym.name]; bad {
			pc.errorf(sym.pos, spec.DuplicateName, "%s`%s` is %s, and cannot be a %s", ctx, sym.name, why, sym.what)
			return false
		}
		if prev := sc.syms[sym.name]; prev != nil {
			pc.errorf(sym.pos, spec.DuplicateName, "%s`%s` is declared twice (first at %d:%d, as %s)", ctx, sym.name, prev.pos.Line(), prev.pos.Col(), prev.what)
			return false
		}
		sc.syms[sym.name] = sym
		return true
	}
	rule := &ir.PlasticRule{}
	values := map[string]float64{}
	for _, pp := range p.Params {
		if pp.Value == nil {
			ok = false
			continue
		}
		what := fmt.Sprintf("%sparameter `%s`", ctx, pp.Name.Value)
		q, good := pc.quantity(*pp.Value, what, nil)
		if good && (math.IsInf(q.Value, 0) || math.IsNaN(q.Value)) {
			pc.errorf(pp.Value.Pos, spec.NonFinite, "%s is not finite: %s", what, pp.Value.Value)
			good = false
		}
		sym := &symbol{name: pp.Name.Value, kind: symParam, dim: q.Unit.Dim, pos: pp.Name.Pos, local: pp.Name.Value, what: "parameter of the plasticity"}
		if !declare(sym) || !good {
			sym.bad = true
			ok = false
			continue
		}
		values[sym.name] = q.Value
		rule.Params = append(rule.Params, &ir.PlasticParam{Name: sym.name, Value: q.Value, Text: pp.Value.Value})
	}
	folded := func(e *symbolic.Expr) *symbolic.Expr {
		return symbolic.Substitute(e, func(n string) *symbolic.Expr {
			if v, isParam := values[n]; isParam {
				return symbolic.Const(v)
			}
			return nil
		})
	}
	// finite reports whether e, folded, has finite constants (a parameter of 0 ms under a
	// division does not), reporting it if not.
	finite := func(e *symbolic.Expr, t spec.Text, where string) bool {
		if pc.finite(e) {
			return true
		}
		pc.errorf(t.Pos, spec.NonFinite, "%s is not finite with the parameters' values (a division by a parameter that is 0?): `%s`", where, strings.TrimSpace(t.Src))
		return false
	}
	if len(p.States) == 0 && p.StatesPos.IsValid() && !p.Bad {
		pc.errorf(p.StatesPos, spec.MissingValue, "%s`states` is empty: give at least one, e.g. `x: {init: 1, relax: 1 - (1 - x)*exp(-delta/tau_rec)}`", ctx)
		ok = false
	}
	// The states' units and values at rest, from the parameters alone.
	var specOf []*spec.PlasticState
	for _, ss := range p.States {
		name := ss.Name.Value
		sctx := fmt.Sprintf("%sstate `%s`: ", ctx, name)
		st := &ir.PlasticState{Name: name}
		sym := &symbol{name: name, kind: symState, pos: ss.Name.Pos, local: name, what: "state of the plasticity"}
		good := true
		var unitDim *units.Dim
		if ss.Unit != nil {
			d, uok := pc.stateUnit(sc, *ss.Unit, sctx+"`unit`")
			good = good && uok
			unitDim = &d
		}
		if ss.Init != nil {
			res := pc.expression(*ss.Init, sc, sctx+"`init`")
			switch {
			case res.e == nil:
				good = false
			case res.t.boolean:
				pc.errorf(ss.Init.Pos, spec.ConditionAsNumber, "%s`init` must be a number, got a boolean", sctx)
				good = false
			default:
				v, isConst := folded(res.e).IsConst()
				if isConst && !finite(folded(res.e), *ss.Init, sctx+"`init`") {
					good = false
					break
				}
				if !isConst {
					pc.errorf(ss.Init.Pos, spec.MisusedName, "%s`init` must be a value of the parameters, got `%s`", sctx, ss.Init.Src)
					good = false
				}
				st.Init, st.InitText = v, ss.Init.Src
				sym.dim = res.t.d
				if res.t.zero {
					sym.dim = units.Dimensionless
				}
				if unitDim != nil {
					if !res.t.zero && res.t.d != *unitDim {
						pc.errorf(ss.Init.Pos, spec.WrongDimension, "%s`init` must be %s (its `unit`), got %s", sctx, describeWant(*unitDim), res.t)
						good = false
					}
					sym.dim = *unitDim
				}
			}
		} else {
			good = false
		}
		st.Unit = sym.dim.String()
		if !declare(sym) || !good {
			sym.bad = true
			ok = false
		}
		rule.States = append(rule.States, st)
		specOf = append(specOf, ss)
	}
	isState := func(n string) bool { s := sc.syms[n]; return s != nil && s.kind == symState }
	delta := &symbol{name: ir.PlasticDelta, kind: symBinding, dim: units.Time, local: ir.PlasticDelta, what: "the time since the previous event"}
	sc.syms[ir.PlasticDelta] = delta
	sc.all = nil
	// Relaxation between events.
	for k, st := range rule.States {
		ss := specOf[k]
		sym := sc.syms[st.Name]
		if sym == nil || sym.bad {
			continue
		}
		sctx := fmt.Sprintf("%sstate `%s`: ", ctx, st.Name)
		switch {
		case ss.Relax != nil && ss.Deriv == nil:
			res := pc.expression(*ss.Relax, sc, sctx+"`relax`")
			if res.e == nil || !pc.sameDim(res.t, sym.dim, *ss.Relax, sc, sctx+"`relax`", "the unit of the state") {
				ok = false
				continue
			}
			e := folded(res.e)
			if !finite(e, *ss.Relax, sctx+"`relax`") {
				ok = false
				continue
			}
			if msg := relaxIdentity(e, st.Name, rule.States); msg != "" {
				pc.errorf(ss.Relax.Pos, spec.PlasticityForm, "%s`relax` must give `%s` back at `delta` = 0 (no time since the event): %s", sctx, st.Name, msg)
				ok = false
				continue
			}
			st.Relax, st.RelaxText = e, ss.Relax.Src
		case ss.Deriv != nil:
			res := pc.expression(*ss.Deriv, sc, sctx+"`deriv`")
			rate, _ := sym.dim.DivOK(units.Time)
			if res.e == nil || !pc.sameDim(res.t, rate, *ss.Deriv, sc, sctx+"`deriv`", "the unit of the state per time") {
				ok = false
				continue
			}
			f := folded(res.e)
			if !finite(f, *ss.Deriv, sctx+"`deriv`") {
				ok = false
				continue
			}
			b := symbolic.Differentiate(f, st.Name, nil)
			a := symbolic.Substitute(f, func(n string) *symbolic.Expr {
				if n == st.Name {
					return symbolic.Const(0)
				}
				return nil
			})
			varying := func(n string) bool { return isState(n) || n == ir.PlasticDelta }
			if symbolic.DependsOn(a, varying) || symbolic.DependsOn(b, varying) {
				pc.errorf(ss.Deriv.Pos, spec.PlasticityForm, "%s`deriv` must be affine in `%s` with constant coefficients (a + b·%s, a and b of the parameters only), so that it is solved exactly between events; `%s` is not (write the solution as `relax:`)",
					sctx, st.Name, st.Name, strings.TrimSpace(ss.Deriv.Src))
				ok = false
				continue
			}
			// x(Δ) = x + Δ·(a + b·x)·exprel(b·Δ), exprel(z) = (e^z − 1)/z: exact, and finite as b → 0.
			x, d := symbolic.Var(st.Name), symbolic.Var(ir.PlasticDelta)
			st.Relax = symbolic.Add(x, symbolic.Mul(d, f, symbolic.Call("exprel", symbolic.Mul(b, d))))
			st.RelaxText, st.Deriv = ss.Deriv.Src, true
		}
	}
	// What an event delivers: w times a factor.
	if p.Weight != nil {
		wsc := &scope{parent: sc, syms: map[string]*symbol{
			"w": {name: "w", kind: symBinding, dim: wdim, local: weightLocal, what: "the connection's weight"},
		}}
		where := ctx + "`weight`"
		res := pc.expression(*p.Weight, wsc, where)
		switch {
		case res.e == nil || !pc.sameDim(res.t, wdim, *p.Weight, wsc, where, "the unit of the weight w"):
			ok = false
		case !finite(folded(res.e), *p.Weight, where):
			ok = false
		default:
			e := folded(res.e)
			f := symbolic.Differentiate(e, weightLocal, nil)
			rest := symbolic.Substitute(e, func(n string) *symbolic.Expr {
				if n == weightLocal {
					return symbolic.Const(0)
				}
				return nil
			})
			if !rest.Is(0) || symbolic.DependsOn(f, func(n string) bool { return n == weightLocal }) {
				pc.errorf(p.Weight.Pos, spec.PlasticityForm, "%s must be the weight w times a factor of the states and parameters (such as `w*u*x`), got `%s`", where, strings.TrimSpace(p.Weight.Src))
				ok = false
				break
			}
			rule.Factor, rule.Weight = f, strings.TrimSpace(p.Weight.Src)
		}
	} else {
		ok = false
	}
	// The updates after delivery, in order.
	var names []string
	for _, st := range rule.States {
		names = append(names, st.Name)
	}
	for _, t := range p.Update {
		u, good := pc.plasticUpdate(t, sc, ctx, names, folded, rule)
		if good && !finite(u.Expr, t, fmt.Sprintf("%s`update` of `%s`", ctx, u.State.Name)) {
			good = false
		}
		if !good {
			ok = false
			continue
		}
		rule.Updates = append(rule.Updates, u)
	}
	if !ok || len(pc.errs) > 0 {
		return nil
	}
	return rule
}

// sameDim reports whether an expression of type t has dimension want (or is 0), reporting it
// if not.
func (c *checker) sameDim(t dimT, want units.Dim, text spec.Text, sc *scope, where, what string) bool {
	if !t.boolean && (t.zero || t.d == want) {
		return true
	}
	c.errorf(text.Pos, spec.WrongDimension, "%s must be %s (%s), got %s%s", where, describeWant(want), what, t, c.unitNote(text, sc))
	return false
}

// relaxIdentity checks that relax, the relaxation of state name, is that state at Δ = 0, at the
// states' values at rest and at other values; it says how it is not, or returns "".
func relaxIdentity(relax *symbolic.Expr, name string, states []*ir.PlasticState) string {
	at0 := symbolic.Substitute(relax, func(n string) *symbolic.Expr {
		if n == ir.PlasticDelta {
			return symbolic.Const(0)
		}
		return nil
	})
	for _, shift := range []float64{0, 0.37} {
		env := map[string]float64{}
		for _, st := range states {
			env[st.Name] = st.Init*(1+shift) + shift
		}
		got, want := symbolic.Eval(at0, symbolic.MapEnv(env)), env[name]
		if !(math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))) {
			return fmt.Sprintf("with the states at %s, it gives %g for %g", envText(env, states), got, want)
		}
	}
	return ""
}

// envText writes the states' values of env in spec order: "x = 1, u = 0.5".
func envText(env map[string]float64, states []*ir.PlasticState) string {
	var parts []string
	for _, st := range states {
		parts = append(parts, fmt.Sprintf("%s = %g", st.Name, env[st.Name]))
	}
	return strings.Join(parts, ", ")
}

// plasticUpdate reads one update of a plasticity rule, `STATE = EXPR` (or `+=`, `-=`, `*=`,
// `/=`).
func (c *checker) plasticUpdate(t spec.Text, sc *scope, ctx string, names []string, folded func(*symbolic.Expr) *symbolic.Expr, rule *ir.PlasticRule) (*ir.PlasticUpdate, bool) {
	src := t.Src
	eq := -1
	for i := range len(src) {
		if src[i] == '=' && isAssign(src, i) {
			eq = i
			break
		}
	}
	if eq < 0 {
		c.errorf(textPos(t, len(src)-len(strings.TrimLeft(src, " \t\r\n"))), spec.Syntax, "%s`update`: want `STATE = EXPRESSION` (e.g. `x = x - u*x`), got `%s`", ctx, strings.TrimSpace(src))
		return nil, false
	}
	lhs, op := src[:eq], byte(0)
	if l := strings.TrimRight(lhs, " \t"); l != "" && strings.IndexByte("+-*/", l[len(l)-1]) >= 0 {
		op, lhs = l[len(l)-1], l[:len(l)-1]
	}
	name := strings.TrimSpace(lhs)
	namePos := textPos(t, len(lhs)-len(strings.TrimLeft(lhs, " \t\r\n")))
	sym := sc.syms[name]
	if sym == nil || sym.kind != symState {
		msg := fmt.Sprintf("%s`update` sets `%s`, which is not a state of the plasticity", ctx, name)
		if sug := c.suggestName(name, names); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else if len(names) > 0 {
			msg += " (its states: " + strings.Join(names, ", ") + ")"
		}
		c.errorf(namePos, spec.UnknownName, "%s", msg)
		return nil, false
	}
	if sym.bad {
		return nil, false
	}
	rhs := t.Slice(eq+1, len(src))
	where := fmt.Sprintf("%s`update` of `%s`", ctx, name)
	if strings.TrimSpace(rhs.Src) == "" {
		c.errorf(textPos(t, eq+1), spec.Syntax, "%s needs an expression", where)
		return nil, false
	}
	res := c.expression(rhs, sc, where)
	if res.e == nil {
		return nil, false
	}
	e, t2 := res.e, res.t
	x := symbolic.Var(name)
	switch op {
	case '+':
		e = symbolic.Add(x, e)
	case '-':
		e = symbolic.Sub(x, e)
	case '*', '/':
		// x *= f keeps x's unit when f is dimensionless (or 0).
		if !t2.zero && !t2.d.IsDimensionless() && !t2.boolean {
			c.errorf(rhs.Pos, spec.WrongDimension, "%s: `%c=` must be by a dimensionless value, got %s", where, op, t2)
			return nil, false
		}
		t2 = dimT{d: sym.dim, boolean: t2.boolean}
		if op == '*' {
			e = symbolic.Mul(x, e)
		} else {
			e = symbolic.Div(x, e)
		}
	}
	if !c.sameDim(t2, sym.dim, rhs, sc, where, "the unit of the state") {
		return nil, false
	}
	st := rule.States[slices.Index(names, name)]
	return &ir.PlasticUpdate{State: st, Expr: folded(e), Text: strings.TrimSpace(src)}, true
}
