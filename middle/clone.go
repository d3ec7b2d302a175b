package middle

import (
	"slices"

	"github.com/neurogen/neurogen/ir"
)

// clone returns a copy of m that shares nothing that a pass may change with it: its states,
// channels, receptors, ions, rates and statements are new values, linked to each other as m's are, and its
// lists are new slices. Parameters, expressions (immutable) and the reports are shared.
// stmt maps each statement of m to its copy.
func clone(m *ir.Model) (c *ir.Model, stmt map[*ir.Stmt]*ir.Stmt) {
	c = new(ir.Model)
	*c = *m
	stmt = map[*ir.Stmt]*ir.Stmt{}
	copyStmts := func(list []*ir.Stmt) []*ir.Stmt {
		out := make([]*ir.Stmt, len(list))
		for i, st := range list {
			cp := *st
			cp.Comment = slices.Clone(st.Comment)
			out[i] = &cp
			stmt[st] = &cp
		}
		return out
	}
	c.Pre, c.Body = copyStmts(m.Pre), copyStmts(m.Body)
	c.Defs = copyStmts(m.Defs)
	states := map[*ir.State]*ir.State{}
	channels := map[*ir.Channel]*ir.Channel{}
	ions := map[*ir.Ion]*ir.Ion{}
	c.States = make([]*ir.State, len(m.States))
	for i, st := range m.States {
		cp := *st
		if st.Gate != nil {
			g := *st.Gate
			cp.Gate = &g
		}
		c.States[i], states[st] = &cp, &cp
	}
	c.Channels = make([]*ir.Channel, len(m.Channels))
	for i, ch := range m.Channels {
		cp := *ch
		c.Channels[i], channels[ch] = &cp, &cp
	}
	c.Ions = make([]*ir.Ion, len(m.Ions))
	for i, ion := range m.Ions {
		cp := *ion
		c.Ions[i], ions[ion] = &cp, &cp
	}
	receptors := map[*ir.ReceptorInfo]*ir.ReceptorInfo{}
	c.Receptors = make([]*ir.ReceptorInfo, len(m.Receptors))
	for i, r := range m.Receptors {
		cp := *r
		c.Receptors[i], receptors[r] = &cp, &cp
	}
	c.Rates = make([]*ir.Rate, len(m.Rates))
	for i, r := range m.Rates {
		cp := *r
		cp.Poles = slices.Clone(r.Poles)
		c.Rates[i] = &cp
	}
	c.Params = slices.Clone(m.Params)
	c.Rewrites = slices.Clone(m.Rewrites)
	c.SharedExps = slices.Clone(m.SharedExps)
	c.Warnings = slices.Clone(m.Warnings)
	// Relink.
	for _, st := range c.States {
		st.Deriv, st.Linear = stmt[st.Deriv], stmt[st.Linear]
		st.Coupled = slices.Clone(st.Coupled)
		for i, c := range st.Coupled {
			st.Coupled[i] = &ir.Coupling{From: states[c.From], Coef: stmt[c.Coef]}
		}
		if st.Channel != nil {
			st.Channel = channels[st.Channel]
		}
		if st.Ion != nil {
			st.Ion = ions[st.Ion]
		}
		if st.Receptor != nil {
			st.Receptor = receptors[st.Receptor]
		}
	}
	for _, ch := range c.Channels {
		ch.Current = stmt[ch.Current]
		ch.Gates = slices.Clone(ch.Gates)
		for i, g := range ch.Gates {
			ch.Gates[i] = states[g]
		}
	}
	for _, ion := range c.Ions {
		ion.Current = stmt[ion.Current]
		if ion.State != nil {
			ion.State = states[ion.State]
		}
		ion.Channels = slices.Clone(ion.Channels)
		for i, ch := range ion.Channels {
			ion.Channels[i] = channels[ch]
		}
	}
	for _, r := range c.Receptors {
		r.Current = stmt[r.Current]
		r.States = slices.Clone(r.States)
		for i, st := range r.States {
			r.States[i] = states[st]
		}
		r.Events = slices.Clone(r.Events)
		for i := range r.Events {
			r.Events[i].State = states[r.Events[i].State]
		}
		r.Assigns = slices.Clone(r.Assigns)
		for i := range r.Assigns {
			r.Assigns[i].State = states[r.Assigns[i].State]
		}
		if r.Kinetic != nil {
			k := *r.Kinetic
			k.On, k.Off, k.WOn = states[k.On], states[k.Off], states[k.WOn]
			r.Kinetic = &k
		}
	}
	for _, r := range c.Rates {
		r.Stmt = stmt[r.Stmt]
	}
	return c, stmt
}

// relink points every link of m (a state's derivative and linear coefficient, a channel's, an
// ion's and a receptor's current, a rate) that is a key of to at the statement it maps to.
func relink(m *ir.Model, to map[*ir.Stmt]*ir.Stmt) {
	re := func(p **ir.Stmt) {
		if n, ok := to[*p]; ok {
			*p = n
		}
	}
	for _, st := range m.States {
		re(&st.Deriv)
		re(&st.Linear)
		for _, c := range st.Coupled {
			re(&c.Coef)
		}
	}
	for _, ch := range m.Channels {
		re(&ch.Current)
	}
	for _, ion := range m.Ions {
		re(&ion.Current)
	}
	for _, r := range m.Receptors {
		re(&r.Current)
	}
	for _, r := range m.Rates {
		re(&r.Stmt)
	}
}
