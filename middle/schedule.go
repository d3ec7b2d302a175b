package middle

import (
	"fmt"
	"slices"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Schedule returns m with its statements scheduled: subexpressions that occur more than once
// become shared temporaries (named after a spec definition, m.Defs, when one matches, else
// s1, s2, …), a call of group-wide parameters alone gets a statement of its own, statements
// that depend on group-wide values only (parameters, the time) move to Pre, before the loop
// over neurons, and each statement comes after the ones it uses. The statements of m, Pre then
// Body, are taken in order as the values to compute; the links of the model (derivatives,
// currents, rates) follow them. m is left as it is.
func Schedule(m *ir.Model) *ir.Model {
	c, _ := clone(m)
	s := &scheduler{
		m:         c,
		names:     newNamer(c),
		count:     map[string]int{},
		done:      map[string]string{},
		preferred: map[string]*ir.Stmt{},
		params:    groupParams(c),
	}
	for _, d := range c.Defs {
		if d.Expr != nil && !trivial(d.Expr) {
			if _, dup := s.preferred[d.Expr.Key()]; !dup {
				s.preferred[d.Expr.Key()] = d
			}
		}
	}
	outs := slices.Concat(c.Pre, c.Body)
	for _, o := range outs {
		s.countUses(o.Expr, true)
	}
	var stmts []*ir.Stmt
	s.emit = func(st *ir.Stmt) { stmts = append(stmts, st) }
	for _, o := range outs {
		e := o.Expr
		o.Expr = s.rewrite(e, true)
		s.emit(o)
		if _, ok := s.done[e.Key()]; !ok && !trivial(e) {
			s.done[e.Key()] = o.Local
		}
	}
	// Hoist what depends on group-wide values only.
	hoistable := map[string]bool{c.Time: true}
	for _, p := range c.Params {
		if !p.PerNeuron {
			hoistable[p.Local] = true
		}
	}
	c.Pre, c.Body = nil, nil
	for _, st := range stmts {
		if !symbolic.DependsOn(st.Expr, func(n string) bool { return !hoistable[n] }) {
			hoistable[st.Local] = true
			c.Pre = append(c.Pre, st)
		} else {
			c.Body = append(c.Body, st)
		}
	}
	return c
}

type scheduler struct {
	m         *ir.Model
	names     *namer
	count     map[string]int      // occurrences of each subexpression, counting a repeated one's insides once
	done      map[string]string   // key → local of the statement that computes it
	preferred map[string]*ir.Stmt // key → the spec definition it is
	params    map[string]float64  // the group-wide parameters' locals, at their defaults
	emit      func(*ir.Stmt)
	ncse      int
}

// groupParams returns the group-wide parameters of m by local, at their defaults.
func groupParams(m *ir.Model) map[string]float64 {
	params := map[string]float64{}
	for _, p := range m.Params {
		if !p.PerNeuron {
			params[p.Local] = p.Default
		}
	}
	return params
}

// trivial expressions are never worth a statement of their own.
func trivial(e *symbolic.Expr) bool {
	switch e.Op {
	case symbolic.OpConst, symbolic.OpVar:
		return true
	case symbolic.OpMul:
		return len(e.Args) == 2 && e.Args[0].Op == symbolic.OpConst && e.Args[1].Op == symbolic.OpVar
	}
	return false
}

func (s *scheduler) countUses(e *symbolic.Expr, root bool) {
	if !trivial(e) && !root {
		s.count[e.Key()]++
		if s.count[e.Key()] > 1 {
			return
		}
	}
	if e.Op == symbolic.OpPow && !trivial(e.Args[0]) {
		// x**3 is written x*x*x: a compound base is used more than once.
		if v, ok := e.Args[1].IsConst(); ok && v == float64(int(v)) && (v >= 2 || v <= -2) && v >= -4 && v <= 4 {
			s.count[e.Args[0].Key()]++
		}
	}
	for _, a := range e.Args {
		s.countUses(a, false)
	}
}

// invariantCall reports whether e is a function call of group-wide parameters alone (a shared
// exponential's factor e^(d − k·d₀)): it gets a statement of its own, which goes before the loop
// over neurons, computed once per call instead of once per neuron.
func (s *scheduler) invariantCall(e *symbolic.Expr) bool {
	return e.Op == symbolic.OpCall && !symbolic.DependsOn(e, func(n string) bool {
		_, ok := s.params[n]
		return !ok
	})
}

// rewrite replaces the shared subexpressions of e with their statements' locals, emitting
// those statements first.
func (s *scheduler) rewrite(e *symbolic.Expr, root bool) *symbolic.Expr {
	if trivial(e) {
		return e
	}
	key := e.Key()
	if name, ok := s.done[key]; ok {
		return symbolic.Var(name)
	}
	args := make([]*symbolic.Expr, len(e.Args))
	changed := false
	for i, a := range e.Args {
		args[i] = s.rewrite(a, false)
		changed = changed || args[i] != a
	}
	r := e
	if changed {
		r = symbolic.Rebuild(e, args)
	}
	if root {
		return r
	}
	d := s.preferred[key]
	if d == nil && s.count[key] < 2 && !s.invariantCall(e) {
		return r
	}
	var st *ir.Stmt
	if d != nil {
		st = &ir.Stmt{Local: s.names.Name(d.Local), Expr: r, Comment: slices.Clone(d.Comment), Pos: d.Pos}
	} else {
		s.ncse++
		st = &ir.Stmt{Local: s.names.Name(fmt.Sprintf("s%d", s.ncse)), Expr: r,
			Comment: []string{"shared: " + s.m.Pretty(e)}}
	}
	s.done[key] = st.Local
	s.emit(st)
	return symbolic.Var(st.Local)
}
