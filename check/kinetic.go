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

// A kinetic receptor has one state per synapse (`per: synapse`), driven by a square pulse of
// transmitter that each event releases (`transmitter: {T: VALUE, for: DURATION}`), computed
// as Destexhe, Mainen and Sejnowski (1994) did (ir.KineticInfo): its derivative must be
// affine in the state with constant coefficients during the pulse and after it, so that the
// sums of w·r over a neuron's synapses in their pulse and over the others obey linear
// equations; those sums, and the sum of w over the synapses in their pulse, are three hidden
// per-neuron receptor states (NAME_on, NAME_off, w_on), and in the receptor's per-neuron
// expressions the state's name means NAME_on + NAME_off.

// The symbols of the per-synapse state and of the transmitter in the per-synapse derivative;
// names starting with `__` are reserved.
const (
	synapseLocal     = "__r"
	transmitterLocal = "__T"
)

// kineticScope is the kinetic part of a receptor being checked.
type kineticScope struct {
	spec        *spec.ReceptorState // the per-synapse state
	info        *ir.KineticInfo
	stateDim    units.Dim
	sumLocal    string // the symbol that stands for On + Off in per-neuron expressions
	hiddenDeriv map[*ir.State]*spec.Text
	bad         bool
}

// isKinetic reports whether a receptor's spec is of a kinetic receptor, or writes one of its
// fields.
func isKinetic(sr *spec.Receptor) bool {
	for _, ss := range sr.States {
		if ss.PerSynapse() {
			return true
		}
	}
	return false
}

// declareKinetic declares the per-synapse state ss of a kinetic receptor: its hidden
// per-neuron states, and its name as their sum.
func (c *checker) declareKinetic(rs *receptorScope, ss *spec.ReceptorState) {
	r, sc, sr := rs.r, rs.sc, rs.spec
	name := ss.Name.Value
	if rs.kin != nil {
		first := rs.kin.spec.Name.Pos
		c.report(sc, ss.Name.Pos, spec.KineticReceptor, "receptor `%s` has one state per synapse, `%s` (at %d:%d): `%s` cannot be a second",
			r.Name, rs.kin.spec.Name.Value, first.Line(), first.Col(), name)
		return
	}
	k := &kineticScope{spec: ss, info: &ir.KineticInfo{State: name}, hiddenDeriv: map[*ir.State]*spec.Text{}}
	rs.kin = k
	bad := func() {
		k.bad = true
		c.declare(sc, &symbol{name: name, kind: symState, pos: ss.Name.Pos, what: "a state of receptor `" + r.Name + "`", bad: true})
	}
	if ss.Bad {
		bad()
		return
	}
	if sr.Weight == nil {
		c.report(sc, sr.Name.Pos, spec.KineticReceptor, "receptor `%s` has a state per synapse, `%s`: it needs `weight:`, the unit of a connection's weight (e.g. `weight: nS`)", r.Name, name)
		bad()
		return
	}
	wdim, ok := c.stateUnit(sc, *sr.Weight, fmt.Sprintf("`weight` of receptor `%s`", r.Name))
	if !ok {
		bad()
		return
	}
	sdim, ok := c.stateUnit(sc, *ss.Unit, fmt.Sprintf("`unit` of state `%s.%s`", r.Name, name))
	if !ok {
		bad()
		return
	}
	k.stateDim = sdim
	k.info.StateUnit = sdim.String()
	r.WeightUnit, r.WeightDim = wdim.String(), wdim
	sum := wdim.Mul(sdim)
	hidden := func(local, doc string, dim units.Dim) *ir.State {
		st := &ir.State{
			Name:     r.Name + "." + local,
			Local:    c.locals.Name(r.Name + "_" + local),
			Unit:     dim.String(),
			Kind:     ir.Receptor,
			Doc:      doc,
			Init:     symbolic.Const(0),
			Receptor: r,
		}
		what := fmt.Sprintf("a hidden state of kinetic receptor `%s` (from `%s`, per synapse)", r.Name, name)
		if !c.declare(sc, &symbol{name: local, kind: symState, dim: dim, pos: ss.Name.Pos, local: st.Local, state: st, what: what}) {
			return nil
		}
		c.m.States = append(c.m.States, st)
		rs.states = append(rs.states, st)
		return st
	}
	k.info.On = hidden(name+"_on", fmt.Sprintf("the sum of w·%s over the neuron's synapses in their transmitter pulse", name), sum)
	k.info.Off = hidden(name+"_off", fmt.Sprintf("the sum of w·%s over the neuron's other synapses", name), sum)
	k.info.WOn = hidden("w_on", "the sum of w over the neuron's synapses in their transmitter pulse", wdim)
	if k.info.On == nil || k.info.Off == nil || k.info.WOn == nil {
		bad()
		return
	}
	k.sumLocal = "__sum_" + k.info.On.Local
	c.declare(sc, &symbol{name: name, kind: symBinding, dim: sum, pos: ss.Name.Pos, local: k.sumLocal,
		what: fmt.Sprintf("a state of receptor `%s`, per synapse (in the receptor's expressions, the sum of w·%s over the neuron's synapses)", r.Name, name)})
	r.Kinetic = k.info
}

// sum replaces, in a per-neuron expression of receptor rs, its per-synapse state by the sum
// of its hidden states On + Off.
func (rs *receptorScope) sum(e *symbolic.Expr) *symbolic.Expr {
	k := rs.kin
	if k == nil || k.bad || e == nil {
		return e
	}
	return symbolic.Substitute(e, func(n string) *symbolic.Expr {
		if n == k.sumLocal {
			return symbolic.Add(symbolic.Var(k.info.On.Local), symbolic.Var(k.info.Off.Local))
		}
		return nil
	})
}

// kineticPart checks the per-synapse part of kinetic receptor rs: the transmitter, and the
// per-synapse derivative, affine in the state with constant coefficients during the pulse
// and after it; it sets the hidden states' derivatives.
func (c *checker) kineticPart(rs *receptorScope) {
	r, sc, sr, k := rs.r, rs.sc, rs.spec, rs.kin
	if sr.Event != nil {
		c.report(sc, sr.Event.Pos, spec.KineticReceptor, "receptor `%s` is kinetic (its state `%s` is per synapse): an event releases its `transmitter`, and it has no `event`", r.Name, k.spec.Name.Value)
		return
	}
	if k.bad {
		return
	}
	tr := sr.Transmitter
	if tr == nil {
		c.report(sc, sr.Name.Pos, spec.KineticReceptor, "receptor `%s` has a state per synapse, `%s`: it needs `transmitter:`, the pulse each event releases (e.g. `transmitter: {T: Cmax, for: Cdur}`)", r.Name, k.spec.Name.Value)
		return
	}
	tName := tr.Name.Value
	if prev := sc.syms[tName]; prev != nil && tName != k.spec.Name.Value {
		c.report(sc, tr.Name.Pos, spec.DuplicateName, "the transmitter of receptor `%s` is named `%s`, which is already %s: give it another name", r.Name, tName, prev.what)
		return
	}
	if tName == k.spec.Name.Value {
		c.report(sc, tr.Name.Pos, spec.DuplicateName, "the transmitter of receptor `%s` is named `%s`, the name of its state per synapse: give it another name", r.Name, tName)
		return
	}
	tv, tdim, ok := c.kineticConst(rs, *tr.Value, fmt.Sprintf("the transmitter `%s` of receptor `%s`", tName, r.Name))
	dur, ddim, ok2 := c.kineticConst(rs, *tr.For, fmt.Sprintf("the transmitter pulse's duration (`for`) of receptor `%s`", r.Name))
	if !ok || !ok2 {
		return
	}
	if ddim != units.Time {
		c.report(sc, tr.For.Pos, spec.WrongDimension, "the transmitter pulse's duration (`for`) of receptor `%s` must be %s, got %s", r.Name, describeWant(units.Time), describe(ddim))
		return
	}
	if !(dur > 0) || math.IsInf(dur, 0) {
		c.report(sc, tr.For.Pos, spec.OutOfRange, "the transmitter pulse's duration (`for`) of receptor `%s` must be positive and finite, got %g ms", r.Name, dur)
		return
	}
	// The derivative, in a scope where the state's name is one synapse's and T the transmitter.
	ss := k.spec
	name := ss.Name.Value
	dsc := &scope{parent: sc, owner: sc.owner, receptor: true, syms: map[string]*symbol{
		name:  {name: name, kind: symBinding, dim: k.stateDim, pos: ss.Name.Pos, local: synapseLocal, what: "the receptor's state at one synapse"},
		tName: {name: tName, kind: symBinding, dim: tdim, pos: tr.Name.Pos, local: transmitterLocal, what: "the transmitter at one synapse"},
	}}
	where := fmt.Sprintf("`deriv` of state `%s.%s`", r.Name, name)
	res := c.expression(*ss.Deriv, dsc, where)
	if res.e == nil {
		return
	}
	want := k.stateDim.Div(units.Time)
	if res.t.boolean || (!res.t.zero && res.t.d != want) {
		c.report(sc, ss.Deriv.Pos, spec.WrongDimension, "%s must be %s (the unit of the state per time), got %s%s", where, describeWant(want), res.t, c.unitNote(*ss.Deriv, dsc))
		return
	}
	e, ok := c.constParams(rs, res, *ss.Deriv, where, synapseLocal, transmitterLocal)
	if !ok {
		return
	}
	at := func(x *symbolic.Expr, r, t float64, useR bool) *symbolic.Expr {
		return symbolic.Substitute(x, func(n string) *symbolic.Expr {
			switch {
			case n == transmitterLocal:
				return symbolic.Const(t)
			case n == synapseLocal && useR:
				return symbolic.Const(r)
			}
			return nil
		})
	}
	slope := symbolic.Differentiate(e, synapseLocal, nil)
	if symbolic.DependsOn(slope, func(n string) bool { return n == synapseLocal }) {
		c.report(sc, ss.Deriv.Pos, spec.KineticReceptor, "%s must be affine in `%s` (as `alpha*%s*(1 - %s) - beta*%s`), so that the sums over a neuron's synapses are linear: its coefficient of `%s`, %s, depends on `%s`",
			where, name, tName, name, name, name, c.pretty(symbolic.Substitute(slope, func(n string) *symbolic.Expr {
				if n == synapseLocal {
					return symbolic.Var(name)
				}
				if n == transmitterLocal {
					return symbolic.Var(tName)
				}
				return nil
			})), name)
		return
	}
	coef := func(x *symbolic.Expr, t float64) (float64, bool) {
		v, ok := at(x, 0, t, true).IsConst()
		return v, ok && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	aOn, ok1 := coef(e, tv)
	bOn, ok2 := coef(slope, tv)
	aOff, ok3 := coef(e, 0)
	bOff, ok4 := coef(slope, 0)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		c.report(sc, ss.Deriv.Pos, spec.NonFinite, "%s is not a finite number with the transmitter `%s` at %g %s or at 0", where, tName, tv, tdim)
		return
	}
	switch {
	case aOff != 0:
		c.report(sc, ss.Deriv.Pos, spec.KineticReceptor, "%s must be 0 at %s = 0 without transmitter (%s = 0), so that a synapse rests at 0; it is %g %s there",
			where, name, tName, aOff, want)
		return
	case !(bOn < 0):
		c.report(sc, ss.Deriv.Pos, spec.KineticReceptor, "%s must make `%s` relax during the transmitter pulse: its coefficient of `%s` is %g /ms there, want a negative one", where, name, name, bOn)
		return
	case !(bOff < 0):
		c.report(sc, ss.Deriv.Pos, spec.KineticReceptor, "%s must make `%s` decay without transmitter: its coefficient of `%s` is %g /ms there, want a negative one", where, name, name, bOff)
		return
	}
	info := k.info
	info.AOn, info.BOn, info.BOff = aOn, bOn, bOff
	info.Transmitter, info.TValue, info.TUnit, info.Dur = tName, tv, tdim.String(), dur
	info.Deriv, info.TransmitterText, info.DurText = ss.Deriv.Src, tr.Value.Src, tr.For.Src
	r.EventText = fmt.Sprintf("%s = %s for %s at its synapse; per synapse %s' = %s", tName, tr.Value.Src, tr.For.Src, name, ss.Deriv.Src)
	on, off, won := info.On, info.Off, info.WOn
	c.kinetic[on] = symbolic.Add(symbolic.Mul(symbolic.Const(aOn), symbolic.Var(won.Local)), symbolic.Mul(symbolic.Const(bOn), symbolic.Var(on.Local)))
	c.kinetic[off] = symbolic.Mul(symbolic.Const(bOff), symbolic.Var(off.Local))
	c.kinetic[won] = symbolic.Const(0)
	short := func(st *ir.State) string { return strings.TrimPrefix(st.Name, r.Name+".") }
	text := func(src string) *spec.Text { t := spec.NewText(src, ss.Deriv.Pos, nil); return &t }
	k.hiddenDeriv[on] = text(fmt.Sprintf("%v*%s + %v*%s (Σ w·(%s) over the synapses in their pulse, %s = %v)", aOn, short(won), bOn, short(on), ss.Deriv.Src, tName, tv))
	k.hiddenDeriv[off] = text(fmt.Sprintf("%v*%s (Σ w·(%s) over the other synapses, %s = 0)", bOff, short(off), ss.Deriv.Src, tName))
	k.hiddenDeriv[won] = text("0 (changes only when a pulse starts or ends)")
}

// kineticConst converts t, an expression of a kinetic receptor's constants (its parameters
// and numbers, at their values), to its value and dimension.
func (c *checker) kineticConst(rs *receptorScope, t spec.Text, where string) (float64, units.Dim, bool) {
	res := c.expression(t, rs.sc, where)
	if res.e == nil || res.t.boolean {
		if res.t.boolean {
			c.report(rs.sc, t.Pos, spec.ConditionAsNumber, "%s must be a number, not a condition", where)
		}
		return 0, units.Dim{}, false
	}
	e, ok := c.constParams(rs, res, t, where)
	if !ok {
		return 0, units.Dim{}, false
	}
	v, ok := e.IsConst()
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		c.report(rs.sc, t.Pos, spec.NonFinite, "%s is not a finite number", where)
		return 0, units.Dim{}, false
	}
	return v, res.t.d, true
}

// constParams replaces the parameters in a converted expression of a kinetic receptor by
// their values, and reports a name that is not a parameter or one of keep: the runtime
// computes the per-synapse states in closed form with constants.
func (c *checker) constParams(rs *receptorScope, res converted, t spec.Text, where string, keep ...string) (*symbolic.Expr, bool) {
	params := map[string]*ir.Param{}
	for _, p := range c.m.Params {
		params[p.Local] = p
	}
	for _, v := range symbolic.Vars(res.e) {
		if p := params[v]; (p != nil && !p.PerNeuron) || slices.Contains(keep, v) {
			continue
		}
		what := "`" + c.pretty(symbolic.Var(v)) + "`"
		for ref := range res.refs {
			if ref.local == v {
				what = "`" + ref.name + "` (" + ref.what + ")"
			}
		}
		c.report(rs.sc, t.Pos, spec.KineticReceptor, "%s may use only the receptor's constants (parameters that are not per neuron, and numbers), as the runtime computes each synapse's state in closed form: it uses %s",
			where, what)
		return nil, false
	}
	return symbolic.Substitute(res.e, func(n string) *symbolic.Expr {
		if p := params[n]; p != nil {
			p.Folded = rs.r.Name
			return symbolic.Const(p.Default)
		}
		return nil
	}), true
}
