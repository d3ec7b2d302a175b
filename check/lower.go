package check

import (
	"fmt"
	"math"
	"strings"

	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// gateRates are a gate's two rate bindings (alpha and beta, or inf and tau) and its φ.
type gateRates struct {
	form string // "alpha/beta" or "inf/tau"
	a, b *binding
	phi  *symbolic.Expr
}

// output is a named value to schedule: a rate, a current, a derivative.
type output struct {
	local   string
	expr    *symbolic.Expr
	comment []string
}

// newBinding registers a per-neuron named value over leaves, with the removable
// singularities that were rewritten in it.
func (c *checker) newBinding(local string, e *symbolic.Expr, rws []symbolic.Rewrite, comment ...string) *binding {
	b := &binding{local: c.locals.name(local), expr: e, comment: comment}
	seen := map[string]bool{}
	for _, rw := range rws {
		if k := rw.Before.Key(); !seen[k] {
			seen[k] = true
			c.rewrites[b.local] = append(c.rewrites[b.local], rw)
		}
	}
	c.bindings = append(c.bindings, b)
	c.byLocal[b.local] = b
	return b
}

// rate converts one rate expression of a gate and checks its dimension.
func (c *checker) rate(st *State, sc *scope, field string, text *spec.Text, want units.Dim) *binding {
	where := fmt.Sprintf("`%s` of gate `%s`", field, st.Name)
	e, t, rws := c.expression(*text, sc, where)
	if e == nil {
		return nil
	}
	if t.boolean || (!t.zero && t.d != want) {
		c.errorf(text.Pos, "%s must be %s, got %s%s", where, describeWant(want), t, c.unitNote(*text, sc))
		return nil
	}
	comment := fmt.Sprintf("%s %s = %s", st.Name, field, text.Src)
	return c.newBinding(st.Local+"_"+field, e, rws, comment)
}

func (c *checker) channel(ch *Channel, sc *scope, sch *spec.Channel, gates []*State) {
	for _, st := range gates {
		g := c.gateSpec[st]
		gr := &gateRates{form: st.Gate.Form, phi: symbolic.Const(1)}
		if g.Alpha != nil && g.Beta != nil {
			gr.a = c.rate(st, sc, "alpha", g.Alpha, units.Rate)
			gr.b = c.rate(st, sc, "beta", g.Beta, units.Rate)
		} else if g.Inf != nil && g.Tau != nil {
			gr.a = c.rate(st, sc, "inf", g.Inf, units.Dimensionless)
			gr.b = c.rate(st, sc, "tau", g.Tau, units.Time)
		} else {
			continue // the loader reported the incomplete gate
		}
		if g.Phi != nil {
			e, t, _ := c.expression(*g.Phi, sc, "`phi` of gate `"+st.Name+"`")
			if e != nil {
				if t.boolean || (!t.zero && !t.d.IsDimensionless()) {
					c.errorf(g.Phi.Pos, "`phi` of gate `%s` must be dimensionless, got %s%s", st.Name, t, c.unitNote(*g.Phi, sc))
				} else {
					gr.phi = e
				}
			}
		}
		c.gateRates[st] = gr
	}
	var cur *symbolic.Expr
	var rws []symbolic.Rewrite
	text := ""
	if sch.Current != nil {
		text = sch.Current.Src
		e, t, r := c.expression(*sch.Current, sc, "the current of channel `"+ch.Name+"`")
		rws = r
		if e == nil {
			return
		}
		if t.boolean || (!t.zero && t.d != units.CurrentDensity) {
			c.errorf(sch.Current.Pos, "the current of channel `%s` must be %s, got %s%s", ch.Name, describeWant(units.CurrentDensity), t,
				c.unitNote(*sch.Current, sc))
			return
		}
		cur = e
	} else {
		cur, text = c.defaultCurrent(ch, sc, sch, gates)
		if cur == nil {
			return
		}
		c.defaultCur[ch] = true
	}
	ch.Text = text
	b := c.newBinding("I_"+ch.Name, cur, rws, fmt.Sprintf("%s current (uA/cm2) = %s", ch.Name, text))
	ch.Current = b.local
	c.channelCur[ch] = cur
}

// defaultCurrent builds g_max * x**p * ... * (E - V) for a channel without a `current`.
func (c *checker) defaultCurrent(ch *Channel, sc *scope, sch *spec.Channel, gates []*State) (*symbolic.Expr, string) {
	g, e := sc.syms["g_max"], sc.syms["E"]
	var factors []string
	for _, st := range gates {
		f := strings.TrimPrefix(st.Name, ch.Name+".")
		if st.Gate.Power != 1 {
			f += fmt.Sprintf("**%d", st.Gate.Power)
		}
		factors = append(factors, f)
	}
	text := strings.Join(append(append([]string{"g_max"}, factors...), "(E - V)"), " * ")
	if (g != nil && g.bad) || (e != nil && e.bad) {
		return nil, "" // reported where they are declared
	}
	if g == nil || e == nil || g.kind != symParam || e.kind != symParam {
		c.errorf(sch.Name.Pos, "channel `%s` has no `current`, and the default current `%s` needs parameters `g_max` and `E`", ch.Name, text)
		return nil, ""
	}
	if g.dim != units.ConductanceDensity || e.dim != units.Voltage {
		c.errorf(sch.Name.Pos, "channel `%s`: the default current `%s` needs `g_max` in mS/cm2 and `E` in mV, got %s and %s", ch.Name, text, g.dim, e.dim)
		return nil, ""
	}
	fs := []*symbolic.Expr{symbolic.Var(g.local)}
	for _, st := range gates {
		fs = append(fs, symbolic.Pow(symbolic.Var(st.Local), symbolic.Const(float64(st.Gate.Power))))
	}
	fs = append(fs, symbolic.Sub(symbolic.Var(e.local), symbolic.Var(c.m.States[0].Local)))
	return symbolic.Mul(fs...), text
}

// gateUse reports gates that no current uses.
func (c *checker) gateUse() {
	used := map[string]bool{}
	for _, e := range c.channelCur {
		for _, n := range symbolic.Vars(e) {
			used[n] = true
		}
	}
	for _, ch := range c.m.Channels {
		for _, st := range ch.Gates {
			if !used[st.Local] && c.channelCur[ch] != nil {
				g := c.gateSpec[st]
				hint := ""
				if c.defaultCur[ch] && st.Gate.Power == 0 {
					hint = " (its `power` is 0, so the default current leaves it out)"
				}
				c.errorf(g.Name.Pos, "gate `%s` of channel `%s` is never used in a current%s", g.Name.Value, ch.Name, hint)
			}
		}
	}
}

// lower builds the per-neuron program: derivatives, linear coefficients, initial values,
// shared subexpressions, and the split into per-call and per-neuron statements.
func (c *checker) lower() {
	m := c.m
	V := m.States[0]
	c.rates()
	var outs []output
	inDef := map[string]bool{}
	for _, d := range c.defs {
		for _, rw := range d.rws {
			inDef[rw.Before.Key()] = true
		}
	}
	for _, b := range c.bindings {
		comment := b.comment
		for _, rw := range c.rewrites[b.local] {
			if !inDef[rw.Before.Key()] { // noted at the definition's own statement
				comment = append(comment, c.rewriteNote(rw))
			}
		}
		outs = append(outs, output{b.local, b.expr, comment})
	}
	// dV/dt = (Σ I + I_ext) / C
	var currents []*symbolic.Expr
	var names []string
	for _, ch := range m.Channels {
		currents = append(currents, symbolic.Var(ch.Current))
		names = append(names, ch.Current)
	}
	currents = append(currents, symbolic.Var(m.Input))
	names = append(names, m.Input)
	C := c.group.syms["C"]
	if C == nil || C.bad {
		return
	}
	derivs := map[*State]*symbolic.Expr{}
	derivs[V] = symbolic.Div(symbolic.Add(currents...), symbolic.Var(C.local))
	vComment := fmt.Sprintf("dV/dt = (%s) / C", strings.Join(names, " + "))
	comments := map[*State]string{V: vComment}
	for _, st := range m.States[1:] {
		gr := c.gateRates[st]
		x := symbolic.Var(st.Local)
		a, b := symbolic.Var(gr.a.local), symbolic.Var(gr.b.local)
		phi := ""
		if !gr.phi.Is(1) {
			phi = "phi * "
		}
		if gr.form == "alpha/beta" {
			// φ·(α·(1 − x) − β·x)
			derivs[st] = symbolic.Mul(gr.phi, symbolic.Sub(symbolic.Mul(a, symbolic.Sub(symbolic.Const(1), x)), symbolic.Mul(b, x)))
			comments[st] = fmt.Sprintf("d%s/dt = %s", st.Name, parenIf(phi != "", phi, fmt.Sprintf("alpha * (1 - %s) - beta * %s", st.Name, st.Name)))
			st.Init = symbolic.Div(a, symbolic.Add(a, b))
		} else {
			// φ·(x∞ − x)/τ
			derivs[st] = symbolic.Mul(gr.phi, symbolic.Div(symbolic.Sub(a, x), b))
			comments[st] = fmt.Sprintf("d%s/dt = %s", st.Name, parenIf(phi != "", phi, fmt.Sprintf("(inf - %s) / tau", st.Name)))
			st.Init = a
		}
	}
	for _, st := range m.States {
		st.Deriv = c.locals.name("d" + st.Local)
		outs = append(outs, output{st.Deriv, derivs[st], []string{comments[st]}})
	}
	if m.Method == "exp_auto" {
		for _, st := range m.States {
			L := symbolic.Differentiate(derivs[st], st.Local, c.bindingDerivative(st.Local))
			st.Linear = c.locals.name("L_" + st.Local)
			outs = append(outs, output{st.Linear, L, []string{
				fmt.Sprintf("∂(d%s/dt)/∂%s: the linear part that exp_auto integrates exactly", st.Name, st.Name)}})
		}
	}
	c.schedule(outs)
}

// rewriteNote says, in a comment, what a singularity rewrite did.
func (c *checker) rewriteNote(rw symbolic.Rewrite) string {
	note := "removable singularity rewritten with exprel: "
	if v, ok := symbolic.Root(rw.U, c.m.States[0].Local, c.defaultEnv()); ok {
		note = fmt.Sprintf("removable singularity at V = %.6g mV rewritten with exprel: ", v)
	}
	return note + c.pretty(rw.Before) + " → " + c.pretty(rw.After)
}

// rates lists every gate's rate functions with their poles, and every rewrite.
func (c *checker) rates() {
	m := c.m
	V := m.States[0]
	where := map[string]string{}
	for _, st := range m.States[1:] {
		gr := c.gateRates[st]
		g := c.gateSpec[st]
		fields := [2]string{"alpha", "beta"}
		texts := [2]*spec.Text{g.Alpha, g.Beta}
		unitsOf := [2]string{units.Rate.String(), units.Rate.String()}
		if gr.form == "inf/tau" {
			fields = [2]string{"inf", "tau"}
			texts = [2]*spec.Text{g.Inf, g.Tau}
			unitsOf = [2]string{units.Dimensionless.String(), units.Time.String()}
		}
		for k, b := range []*binding{gr.a, gr.b} {
			r := &Rate{Name: st.Name + "." + fields[k], Local: b.local, Unit: unitsOf[k], Text: texts[k].Src}
			for _, rw := range c.rewrites[b.local] {
				if v, ok := symbolic.Root(rw.U, V.Local, c.defaultEnv()); ok {
					r.Poles = append(r.Poles, v)
				}
			}
			where[b.local] = r.Name
			m.Rates = append(m.Rates, r)
		}
	}
	for _, ch := range m.Channels {
		where[ch.Current] = ch.Name + " current"
	}
	for _, b := range c.bindings {
		for _, rw := range c.rewrites[b.local] {
			w := &Rewrite{Where: where[b.local], Before: c.pretty(rw.Before), After: c.pretty(rw.After)}
			if v, ok := symbolic.Root(rw.U, V.Local, c.defaultEnv()); ok {
				w.Poles = append(w.Poles, v)
			}
			m.Rewrites = append(m.Rewrites, w)
		}
	}
}

// bindingDerivative returns the chain-rule callback for ∂/∂x through the per-neuron bindings.
func (c *checker) bindingDerivative(x string) func(string) *symbolic.Expr {
	memo := map[string]*symbolic.Expr{}
	return func(name string) *symbolic.Expr {
		b := c.byLocal[name]
		if b == nil {
			return nil
		}
		if d, ok := memo[name]; ok {
			return d
		}
		d := symbolic.Differentiate(b.expr, x, nil)
		if d.Is(0) {
			d = nil
		}
		memo[name] = d
		return d
	}
}

// defaultEnv gives every parameter its default value (and t, input 0) for evaluations at
// generation time, such as locating poles.
func (c *checker) defaultEnv() func(string) float64 {
	vals := map[string]float64{c.m.Time: 0, c.m.Input: 0}
	for _, p := range c.m.Params {
		vals[p.Local] = p.Default
	}
	return func(n string) float64 {
		if v, ok := vals[n]; ok {
			return v
		}
		return math.NaN()
	}
}

// pretty prints an expression with Go locals shown as spec names.
func (c *checker) pretty(e *symbolic.Expr) string {
	spec := map[string]string{}
	for _, p := range c.m.Params {
		spec[p.Local] = p.Name
	}
	for _, st := range c.m.States {
		spec[st.Local] = st.Name
	}
	var b strings.Builder
	symbolic.Print(&b, e, func(n string) string {
		if s, ok := spec[n]; ok {
			return s
		}
		return n
	})
	return b.String()
}

// parenIf returns prefix(s) when cond holds, else s.
func parenIf(cond bool, prefix, s string) string {
	if cond {
		return prefix + "(" + s + ")"
	}
	return s
}
