package check

import (
	"fmt"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// schedule turns the named outputs into statements: subexpressions that occur more than once
// become shared temporaries (named after a spec definition when one matches), statements that
// depend on group-wide values only move before the loop, and each statement comes after the
// ones it uses.
func (c *checker) schedule(outs []output) {
	s := &scheduler{
		c:         c,
		count:     map[string]int{},
		names:     map[string]string{},
		preferred: map[string]*def{},
		params:    map[string]float64{},
	}
	for _, d := range c.defs {
		if d.expr != nil && !trivial(d.expr) {
			if _, dup := s.preferred[d.expr.Key()]; !dup {
				s.preferred[d.expr.Key()] = d
			}
		}
	}
	exprs := make([]*symbolic.Expr, len(outs))
	for i, o := range outs {
		exprs[i] = o.expr
	}
	for _, p := range c.m.Params {
		if !p.PerNeuron {
			s.params[p.Local] = p.Default
		}
	}
	c.m.SharedExps = shareExps(exprs, s.params)
	for i := range outs {
		outs[i].expr = exprs[i]
	}
	for _, o := range outs {
		s.countUses(o.expr, true)
	}
	var stmts []*ir.Stmt
	s.emit = func(st *ir.Stmt) { stmts = append(stmts, st) }
	for _, o := range outs {
		e := s.rewrite(o.expr, true)
		s.emit(&ir.Stmt{Local: o.local, Expr: e, Comment: o.comment, Pos: o.pos})
		if _, ok := s.names[o.expr.Key()]; !ok && !trivial(o.expr) {
			s.names[o.expr.Key()] = o.local
		}
	}
	// Hoist what depends on group-wide values only.
	hoistable := map[string]bool{c.m.Time: true}
	for _, p := range c.m.Params {
		if !p.PerNeuron {
			hoistable[p.Local] = true
		}
	}
	for _, st := range stmts {
		if !symbolic.DependsOn(st.Expr, func(n string) bool { return !hoistable[n] }) {
			hoistable[st.Local] = true
			c.m.Pre = append(c.m.Pre, st)
		} else {
			c.m.Body = append(c.m.Body, st)
		}
	}
}

type scheduler struct {
	c         *checker
	count     map[string]int     // occurrences of each subexpression, counting a repeated one's insides once
	names     map[string]string  // key → local of the statement that computes it
	preferred map[string]*def    // key → the spec definition it is
	params    map[string]float64 // the group-wide parameters' locals, at their defaults
	emit      func(*ir.Stmt)
	ncse      int
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
	if name, ok := s.names[key]; ok {
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
		comment := []string{d.comment}
		for _, rw := range d.rws {
			if containsKey(d.expr, symbolic.Call("exprel", rw.U).Key()) {
				comment = append(comment, s.c.rewriteNote(rw))
			}
		}
		st = &ir.Stmt{Local: s.c.locals.Name(d.local), Expr: r, Comment: comment, Pos: d.text.Pos}
	} else {
		s.ncse++
		st = &ir.Stmt{Local: s.c.locals.Name(fmt.Sprintf("s%d", s.ncse)), Expr: r,
			Comment: []string{"shared: " + s.c.pretty(e)}}
	}
	s.names[key] = st.Local
	s.emit(st)
	return symbolic.Var(st.Local)
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
