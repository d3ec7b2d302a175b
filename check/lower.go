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

// gateRates are a gate's two rate bindings (alpha and beta, or inf and tau) and its φ.
type gateRates struct {
	form ir.GateForm
	a, b *binding
	phi  *symbolic.Expr
}

// output is a named value to schedule: a rate, a current, a derivative.
type output struct {
	local   string
	expr    *symbolic.Expr
	comment []string
	pos     spec.Pos // where its expression is written in the spec, or zero
}

// newBinding registers a per-neuron named value over leaves, with the removable
// singularities that were rewritten in it.
func (c *checker) newBinding(local string, e *symbolic.Expr, rws []symbolic.Rewrite, pos spec.Pos, comment ...string) *binding {
	b := &binding{local: c.locals.Name(local), expr: e, comment: comment, pos: pos}
	seen := map[string]bool{}
	for _, rw := range rws {
		if k := rw.Before.Key(); !seen[k] {
			seen[k] = true
			c.rewrites[b.local] = append(c.rewrites[b.local], rw)
		}
	}
	c.bindings = append(c.bindings, b)
	return b
}

// rate converts one rate expression of a gate and checks its dimension.
func (c *checker) rate(st *ir.State, sc *scope, field string, text *spec.Text, want units.Dim) (*binding, map[*symbol]bool) {
	where := fmt.Sprintf("`%s` of gate `%s`", field, st.Name)
	r := c.expression(*text, sc, where)
	if r.e == nil {
		return nil, r.refs
	}
	if r.t.boolean || (!r.t.zero && r.t.d != want) {
		c.report(sc, text.Pos, spec.WrongDimension, "%s must be %s, got %s%s", where, describeWant(want), r.t, c.unitNote(*text, sc))
		return nil, r.refs
	}
	if val, ok := r.e.IsConst(); ok && field == "tau" && !(val > 0) {
		// dx/dt = (inf − x)/tau: a pole, or a gate that runs away from its steady state.
		c.report(sc, text.Pos, spec.OutOfRange, "%s must be positive, got the constant %s", where, constText(text.Src, val, "ms"))
		return nil, r.refs
	}
	if msg := c.everyV(r.e, field == "tau"); msg != "" {
		code := spec.NonFinite
		if field == "tau" {
			code = spec.OutOfRange // zero or negative, if not also non-finite
		}
		c.report(sc, text.Pos, code, "%s %s", where, msg)
		return nil, r.refs
	}
	comment := fmt.Sprintf("%s %s = %s", st.Name, field, text.Src)
	return c.newBinding(st.Local+"_"+field, r.e, r.rws, text.Pos, comment), r.refs
}

// addRefs adds the names of b to a.
func addRefs(a, b map[*symbol]bool) {
	for k := range b {
		a[k] = true
	}
}

func (c *checker) channel(ch *ir.Channel, sc *scope, sch *spec.Channel, gates []*ir.State) {
	for _, st := range gates {
		g := c.gateSpec[st]
		gsym := sc.syms[strings.TrimPrefix(st.Name, ch.Name+".")]
		refs := map[*symbol]bool{}
		gr := &gateRates{form: st.Gate.Form, phi: symbolic.Const(1)}
		var r1, r2 map[*symbol]bool
		switch st.Gate.Form {
		case ir.AlphaBeta:
			gr.a, r1 = c.rate(st, sc, "alpha", g.Alpha, units.Rate)
			gr.b, r2 = c.rate(st, sc, "beta", g.Beta, units.Rate)
		case ir.InfTau:
			gr.a, r1 = c.rate(st, sc, "inf", g.Inf, units.Dimensionless)
			gr.b, r2 = c.rate(st, sc, "tau", g.Tau, units.Time)
		case ir.Kinetic:
			c.kineticGate(st, sc, g, gsym)
			r1 = c.gateRefs[gsym]
		}
		addRefs(refs, r1)
		addRefs(refs, r2)
		if g.Phi != nil {
			r := c.expression(*g.Phi, sc, "`phi` of gate `"+st.Name+"`")
			addRefs(refs, r.refs)
			if r.e != nil {
				if r.t.boolean || (!r.t.zero && !r.t.d.IsDimensionless()) {
					c.report(sc, g.Phi.Pos, spec.WrongDimension, "`phi` of gate `%s` must be dimensionless, got %s%s", st.Name, r.t, c.unitNote(*g.Phi, sc))
				} else {
					gr.phi = r.e
				}
			}
		}
		c.gateRefs[gsym] = refs
		if (gr.a != nil && gr.b != nil) || st.Gate.Form == ir.Kinetic {
			c.gateRates[st] = gr
		}
	}
	for _, ig := range c.instant {
		if ig.ch != ch {
			continue
		}
		d := ig.sym.def
		c.convertDef(d)
		c.gateRefs[ig.sym] = d.refs
		if d.expr == nil {
			continue
		}
		if d.dim.boolean || (!d.dim.zero && !d.dim.d.IsDimensionless()) {
			c.report(sc, d.text.Pos, spec.WrongDimension, "`inf` of gate `%s.%s` must be dimensionless, got %s", ch.Name, ig.sym.name, d.dim)
			continue
		}
		ig.b = c.newBinding(ch.Name+"_"+ig.sym.name+"_inf", d.expr, d.rws, d.text.Pos,
			fmt.Sprintf("%s.%s inf = %s (instantaneous: the gate is its steady state)", ch.Name, ig.sym.name, d.text.Src))
	}
	for _, bg := range c.badGates {
		if bg.ch == ch {
			c.checkBadGate(bg)
		}
	}
	if sch.Bad {
		return // the loader reported an error in the channel: its current is not checked
	}
	var cur *symbolic.Expr
	var rws []symbolic.Rewrite
	text := ""
	if sch.Current != nil {
		text = sch.Current.Src
		r := c.expression(*sch.Current, sc, "the current of channel `"+ch.Name+"`")
		c.curRefs[ch] = r.refs
		rws = r.rws
		if r.e == nil {
			return
		}
		if r.t.boolean || (!r.t.zero && r.t.d != units.CurrentDensity) {
			c.report(sc, sch.Current.Pos, spec.WrongDimension, "the current of channel `%s` must be %s, got %s%s", ch.Name, describeWant(units.CurrentDensity), r.t,
				c.unitNote(*sch.Current, sc))
			return
		}
		cur = r.e
	} else {
		var refs map[*symbol]bool
		cur, text, refs = c.defaultCurrent(ch, sc, sch, gates)
		c.curRefs[ch] = refs
		if cur == nil {
			return
		}
		c.defaultCur[ch] = true
	}
	ch.Text = text
	var curPos spec.Pos
	if sch.Current != nil {
		curPos = sch.Current.Pos
	}
	b := c.newBinding("I_"+ch.Name, cur, rws, curPos, fmt.Sprintf("%s current (uA/cm2) = %s", ch.Name, text))
	c.linkTo(&ch.Current, b.local)
	c.channelCur[ch] = cur
	c.signCheck("channel `"+ch.Name+"`", sc, sch.Current, cur)
}

// checkBadGate checks the expressions of a gate in which the loader found an error, each on
// its own, for the errors that do not depend on that one.
func (c *checker) checkBadGate(bg badGate) {
	g, name := bg.g, bg.ch.Name+"."+bg.g.Name.Value
	for _, f := range []struct {
		field string
		text  *spec.Text
		want  units.Dim
		what  string
	}{
		{"alpha", g.Alpha, units.Rate, ""},
		{"beta", g.Beta, units.Rate, ""},
		{"inf", g.Inf, units.Dimensionless, ""},
		{"tau", g.Tau, units.Time, ""},
		{"deriv", g.Deriv, units.Rate, "a rate of change of a fraction (1/ms)"},
		{"init", g.Init, units.Dimensionless, ""},
		{"phi", g.Phi, units.Dimensionless, ""},
	} {
		if f.text == nil {
			continue
		}
		where := fmt.Sprintf("`%s` of gate `%s`", f.field, name)
		r := c.expression(*f.text, bg.sc, where)
		if r.e == nil {
			continue
		}
		if r.t.boolean || (!r.t.zero && r.t.d != f.want) {
			want := f.what
			if want == "" {
				want = describeWant(f.want)
			}
			c.report(bg.sc, f.text.Pos, spec.WrongDimension, "%s must be %s, got %s%s", where, want, r.t, c.unitNote(*f.text, bg.sc))
		}
	}
}

// kineticGate converts a gate given by `deriv` and `init`.
func (c *checker) kineticGate(st *ir.State, sc *scope, g *spec.Gate, gsym *symbol) {
	refs := map[*symbol]bool{}
	r := c.expression(*g.Deriv, sc, "`deriv` of gate `"+st.Name+"`")
	addRefs(refs, r.refs)
	if r.e != nil {
		if r.t.boolean || (!r.t.zero && r.t.d != units.Rate) {
			c.report(sc, g.Deriv.Pos, spec.WrongDimension, "`deriv` of gate `%s` must be a rate of change of a fraction (1/ms), got %s%s", st.Name, r.t, c.unitNote(*g.Deriv, sc))
		} else {
			c.kinetic[st] = r.e
			if len(r.rws) > 0 {
				c.rewrites[st.Local] = append(c.rewrites[st.Local], r.rws...)
			}
		}
	}
	in := c.expression(*g.Init, sc, "`init` of gate `"+st.Name+"`")
	if in.e != nil {
		if in.t.boolean || (!in.t.zero && !in.t.d.IsDimensionless()) {
			c.report(sc, g.Init.Pos, spec.WrongDimension, "`init` of gate `%s` must be dimensionless, got %s", st.Name, in.t)
		} else {
			st.Init = in.e
		}
		// The initial value may use the gates before this one (Reset sets them in order).
		for ref := range in.refs {
			if ref.kind == symState && ref.state != nil && ref.state.Kind == ir.Gate && !c.gateBefore(ref.state, st) {
				c.report(sc, g.Init.Pos, spec.UseBeforeSet, "`init` of gate `%s` uses gate `%s`, which is not set before it: only gates declared before it may appear", st.Name, ref.state.Name)
				st.Init = nil
			}
		}
	}
	c.gateRefs[gsym] = refs
}

// gateBefore reports whether gate a comes before gate b in the model.
func (c *checker) gateBefore(a, b *ir.State) bool {
	for _, st := range c.m.States {
		switch st {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// defaultCurrent builds g_max * x**p * ... * (E - V) for a channel without a `current`.
func (c *checker) defaultCurrent(ch *ir.Channel, sc *scope, sch *spec.Channel, gates []*ir.State) (*symbolic.Expr, string, map[*symbol]bool) {
	g, e := sc.syms["g_max"], sc.syms["E"]
	refs := map[*symbol]bool{}
	var factors []string
	for _, st := range gates {
		name := strings.TrimPrefix(st.Name, ch.Name+".")
		if st.Gate.Power != 0 {
			refs[sc.syms[name]] = true
		}
		f := name
		if st.Gate.Power != 1 {
			f += fmt.Sprintf("**%d", st.Gate.Power)
		}
		factors = append(factors, f)
	}
	text := "`" + strings.Join(append(append([]string{"g_max"}, factors...), "(E - V)"), " * ") + "`"
	if (g != nil && g.bad) || (e != nil && e.bad) {
		return nil, "", refs // reported where they are declared
	}
	isParam := func(s *symbol) bool {
		return s != nil && (s.kind == symParam || (s.kind == symDef && s.def.alias != nil))
	}
	if !isParam(g) || !isParam(e) {
		c.report(sc, sch.Name.Pos, spec.MissingField, "channel `%s` has no `current`, and the default current %s needs parameters `g_max` and `E`", ch.Name, text)
		return nil, "", refs
	}
	ge, ee := c.paramExpr(g), c.paramExpr(e)
	if ge == nil || ee == nil {
		return nil, "", refs // reported where they are declared
	}
	if g.dim != units.ConductanceDensity || e.dim != units.Voltage {
		c.report(sc, sch.Name.Pos, spec.WrongDimension, "channel `%s`: the default current %s needs `g_max` in mS/cm2 and `E` in mV, got %s and %s", ch.Name, text, g.dim, e.dim)
		return nil, "", refs
	}
	fs := []*symbolic.Expr{ge}
	for _, st := range gates {
		fs = append(fs, symbolic.Pow(symbolic.Var(st.Local), symbolic.Const(float64(st.Gate.Power))))
	}
	fs = append(fs, symbolic.Sub(ee, symbolic.Var(c.m.States[0].Local)))
	return symbolic.Mul(fs...), strings.Trim(text, "`"), refs
}

// gateUse reports gates that no current uses, directly or through the kinetics of a gate that
// a current uses (as Ih's P1 drives O_L, which the current uses).
func (c *checker) gateUse() {
	used := map[*symbol]bool{}
	var work []*symbol
	for _, refs := range c.curRefs {
		for s := range refs {
			if !used[s] {
				used[s] = true
				work = append(work, s)
			}
		}
	}
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for r := range c.gateRefs[s] {
			if !used[r] {
				used[r] = true
				work = append(work, r)
			}
		}
	}
	for _, cs := range c.chanScopes {
		for _, sym := range cs.syms {
			if sym.gate == nil || used[sym] || sym.bad {
				continue
			}
			ch := cs.owner
			var channel *ir.Channel
			for _, x := range c.m.Channels {
				if x.Name == ch {
					channel = x
				}
			}
			if channel != nil && c.channelCur[channel] == nil {
				continue // its current did not convert: the error is there
			}
			g := sym.gate
			msg := fmt.Sprintf("gate `%s` of channel `%s` is never used in a current", g.Name.Value, ch)
			if sym.state != nil && sym.state.Gate.Power == 0 && c.defaultCur[channel] {
				msg += " (its `power` is 0, so the default current leaves it out)"
			}
			c.report(cs, g.Name.Pos, spec.UnusedGate, "%s", msg)
		}
	}
}

// lower builds the per-neuron program: a statement for every rate, current and derivative, and
// the initial values, before the middle end (package middle) derives linear coefficients,
// shares subexpressions and splits the statements into per-call and per-neuron ones.
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
		outs = append(outs, output{b.local, b.expr, comment, b.pos})
	}
	// dV/dt = (Σ I + I_ext) / C
	var currents []*symbolic.Expr
	var names []string
	for _, ch := range m.Channels {
		currents = append(currents, symbolic.Var(c.localOf(&ch.Current)))
		names = append(names, c.localOf(&ch.Current))
	}
	for _, r := range m.Receptors {
		currents = append(currents, symbolic.Var(c.localOf(&r.Current)))
		names = append(names, c.localOf(&r.Current))
	}
	currents = append(currents, symbolic.Var(m.Input))
	names = append(names, m.Input)
	C := c.group.syms["C"]
	if C == nil || C.bad {
		return
	}
	derivs := map[*ir.State]*symbolic.Expr{}
	derivs[V] = symbolic.Div(symbolic.Add(currents...), symbolic.Var(C.local))
	vComment := fmt.Sprintf("dV/dt = (%s) / C", strings.Join(names, " + "))
	comments := map[*ir.State]string{V: vComment}
	derivPos := map[*ir.State]spec.Pos{} // a kinetic gate's derivative is written in the spec
	for _, st := range m.States[1:] {
		if st.Kind == ir.Concentration {
			derivs[st] = c.kinetic[st]
			comments[st] = fmt.Sprintf("d%s/dt: %s dynamics of ion %s", st.Name, st.Ion.Dynamics, st.Ion.Name)
			continue
		}
		if st.Kind == ir.Receptor {
			ds := c.receptorDeriv(st)
			derivs[st] = c.kinetic[st]
			comments[st] = fmt.Sprintf("d%s/dt = %s", st.Name, ds.Src)
			derivPos[st] = ds.Pos
			continue
		}
		gr := c.gateRates[st]
		x := symbolic.Var(st.Local)
		phi := ""
		if !gr.phi.Is(1) {
			phi = "phi * "
		}
		if gr.form == ir.Kinetic {
			derivs[st] = symbolic.Mul(gr.phi, c.kinetic[st])
			comments[st] = fmt.Sprintf("d%s/dt = %s", st.Name, parenIf(phi != "", phi, c.gateSpec[st].Deriv.Src))
			derivPos[st] = c.gateSpec[st].Deriv.Pos
			continue
		}
		a, b := symbolic.Var(gr.a.local), symbolic.Var(gr.b.local)
		if gr.form == ir.AlphaBeta {
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
		local := c.locals.Name("d" + st.Local)
		c.linkTo(&st.Deriv, local)
		outs = append(outs, output{local, derivs[st], []string{comments[st]}, derivPos[st]})
	}
	// The model before the middle end: one statement per output, in order; the definitions,
	// inlined, as hints for naming the subexpressions the scheduler shares.
	for _, o := range outs {
		m.Body = append(m.Body, &ir.Stmt{Local: o.local, Expr: o.expr, Comment: o.comment, Pos: o.pos})
	}
	for _, d := range c.defs {
		if d.expr == nil {
			continue
		}
		comment := []string{d.comment}
		for _, rw := range d.rws {
			if containsKey(d.expr, symbolic.Call("exprel", rw.U).Key()) {
				comment = append(comment, c.rewriteNote(rw))
			}
		}
		m.Defs = append(m.Defs, &ir.Stmt{Local: d.local, Expr: d.expr, Comment: comment, Pos: d.text.Pos})
	}
	c.link()
}

// linkTo records that *field is to point to the statement that output local becomes.
func (c *checker) linkTo(field **ir.Stmt, local string) { c.links[field] = local }

// localOf returns the local that linkTo recorded for field, or "".
func (c *checker) localOf(field **ir.Stmt) string { return c.links[field] }

// link points every field recorded by linkTo to its statement.
func (c *checker) link() {
	byLocal := map[string]*ir.Stmt{}
	for _, st := range slices.Concat(c.m.Pre, c.m.Body) {
		byLocal[st.Local] = st
	}
	for field, local := range c.links {
		st := byLocal[local]
		if st == nil {
			panic("check: no statement computes " + local)
		}
		*field = st
	}
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
	type gateRef struct {
		pos spec.Pos
		st  *ir.State
		ig  *instantGate
	}
	var gates []gateRef
	for _, ch := range m.Channels {
		var these []gateRef
		for _, st := range ch.Gates {
			these = append(these, gateRef{c.gateSpec[st].Name.Pos, st, nil})
		}
		for _, ig := range c.instant {
			if ig.ch == ch {
				these = append(these, gateRef{ig.sym.pos, nil, ig})
			}
		}
		slices.SortStableFunc(these, func(a, b gateRef) int {
			if a.pos.Before(b.pos) {
				return -1
			}
			if b.pos.Before(a.pos) {
				return 1
			}
			return 0
		})
		gates = append(gates, these...)
	}
	for _, gref := range gates {
		if ig := gref.ig; ig != nil {
			if ig.b == nil {
				continue
			}
			name := ig.ch.Name + "." + ig.sym.name
			r := &ir.Rate{Name: name + ".inf", Unit: units.Dimensionless.String(), Text: ig.sym.def.text.Src}
			c.linkTo(&r.Stmt, ig.b.local)
			r.Poles = c.poles(ig.b.local)
			where[ig.b.local] = r.Name
			m.Rates = append(m.Rates, r)
			continue
		}
		st := gref.st
		gr := c.gateRates[st]
		if gr.form == ir.Kinetic {
			continue
		}
		g := c.gateSpec[st]
		fields := [2]string{"alpha", "beta"}
		texts := [2]*spec.Text{g.Alpha, g.Beta}
		unitsOf := [2]string{units.Rate.String(), units.Rate.String()}
		if gr.form == ir.InfTau {
			fields = [2]string{"inf", "tau"}
			texts = [2]*spec.Text{g.Inf, g.Tau}
			unitsOf = [2]string{units.Dimensionless.String(), units.Time.String()}
		}
		for k, b := range []*binding{gr.a, gr.b} {
			r := &ir.Rate{Name: st.Name + "." + fields[k], Unit: unitsOf[k], Text: texts[k].Src}
			c.linkTo(&r.Stmt, b.local)
			r.Poles = c.poles(b.local)
			where[b.local] = r.Name
			m.Rates = append(m.Rates, r)
		}
	}
	for _, ch := range m.Channels {
		where[c.localOf(&ch.Current)] = ch.Name + " current"
	}
	locals := []string{}
	for _, b := range c.bindings {
		locals = append(locals, b.local)
	}
	for _, st := range m.States {
		if len(c.rewrites[st.Local]) > 0 {
			where[st.Local] = "d" + st.Name + "/dt"
			locals = append(locals, st.Local)
		}
	}
	for _, local := range locals {
		for _, rw := range c.rewrites[local] {
			w := &ir.Rewrite{Where: where[local], Before: c.pretty(rw.Before), After: c.pretty(rw.After)}
			if v, ok := symbolic.Root(rw.U, V.Local, c.defaultEnv()); ok {
				w.Poles = append(w.Poles, v)
			}
			m.Rewrites = append(m.Rewrites, w)
		}
	}
}

// poles returns the potentials of the removable singularities rewritten in a binding.
func (c *checker) poles(local string) []float64 {
	var out []float64
	for _, rw := range c.rewrites[local] {
		if v, ok := symbolic.Root(rw.U, c.m.States[0].Local, c.defaultEnv()); ok {
			out = append(out, v)
		}
	}
	return out
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

// pretty prints an expression with the symbols of parameters and states as spec names.
func (c *checker) pretty(e *symbolic.Expr) string { return c.m.Pretty(e) }

// parenIf returns prefix(s) when cond holds, else s.
func parenIf(cond bool, prefix, s string) string {
	if cond {
		return prefix + "(" + s + ")"
	}
	return s
}

// constText describes the constant val (in unit) that src, a spec text, folds to: "`0 ms`",
// or "`1*ms - 1*ms` = 0 ms".
func constText(src string, val float64, unit string) string {
	src = strings.Join(strings.Fields(src), " ")
	if q, err := units.ParseQuantity(src); err == nil && q.Value == val {
		return "`" + src + "`"
	}
	return fmt.Sprintf("`%s` = %v %s", src, val, unit)
}

// The membrane potentials at which everyV evaluates a rate: every sampleStep mV over the range
// V_init may take.
const sampleStep = 0.5

// everyV evaluates a rate e of V and the parameters (at their defaults) at every sampled V in
// [-MaxVInit, MaxVInit] and says what is wrong with it if it is wrong at every one: not finite
// (an overflow whatever V, such as exp(1000 - V/mV)), or, for a time constant (positive),
// zero or less. It returns "" when the rate is finite (and positive) somewhere, and when it
// reads anything but V and parameters (another state, a concentration, the time).
func (c *checker) everyV(e *symbolic.Expr, positive bool) string {
	vals := map[string]float64{}
	for _, p := range c.m.Params {
		vals[p.Local] = p.Default
	}
	V := c.m.States[0].Local
	step := 2 * MaxVInit // a rate of the parameters alone: one evaluation
	for _, name := range symbolic.Vars(e) {
		if name == V {
			step = sampleStep
		} else if _, ok := vals[name]; !ok {
			return ""
		}
	}
	for v := -MaxVInit; v <= MaxVInit; v += step {
		vals[V] = v
		x := symbolic.Eval(e, func(name string) float64 { return vals[name] })
		if !math.IsInf(x, 0) && !math.IsNaN(x) && (!positive || x > 0) {
			return ""
		}
	}
	what := "is not finite"
	if positive {
		what = "is zero, negative or not finite"
	}
	return fmt.Sprintf("%s at every V from %g to %g mV (sampled every %g mV, parameters at their defaults)", what, -MaxVInit, MaxVInit, sampleStep)
}

// containsKey reports whether e has a subexpression with the given key.
func containsKey(e *symbolic.Expr, key string) bool {
	found := false
	symbolic.Walk(e, func(x *symbolic.Expr) bool {
		found = found || x.Key() == key
		return !found
	})
	return found
}
