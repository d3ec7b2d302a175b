package runtime

import (
	"fmt"
	"math"
	"slices"
)

// PlasticRule is per-connection plasticity of a projection's synapses written as a rule, such
// as the function that neurogen generates from a spec's `plasticity:` expressions
// (Sim.SetPlasticRule). Each synapse (or, with PerPresynaptic, each presynaptic neuron, shared
// by its synapses) has the values of States, at Rest before its first event. They change only
// when an event arrives: Event relaxes them in closed form over Δ, the time since the previous
// event (its arrival step's time; the projection's delay is the same for all its events), or
// leaves them as they are for the first event, which has nothing before it; it returns the
// factor f of the event's delivery, which adds w·f (w the synapse's weight) into the target as
// a delivery without plasticity adds w; and it updates the values for the next event.
// TsodyksMarkram is such a rule, with states u and x and f = u·x.
type PlasticRule struct {
	// Name describes the rule (its spec, or a hash of it): state files record it, and refuse a
	// file whose projection has another.
	Name string
	// States names the values of each state, each an ASCII identifier other than "last"; Rest
	// holds their values at rest, finite.
	States []string
	Rest   []float64
	// Event applies one event to s, the len(States) values of one state in order: when relax
	// it relaxes them over delta ms first. It returns the factor of the delivered weight and
	// leaves s as the next event finds it. It must not keep s, and should not allocate.
	Event func(s []float64, delta float64, relax bool) float64
	// PerPresynaptic keeps one state per presynaptic neuron, shared by its synapses; else one
	// per synapse.
	PerPresynaptic bool
}

// check checks the rule.
func (r *PlasticRule) check() error {
	switch {
	case r.Name == "":
		return fmt.Errorf("plasticity rule: no Name")
	case r.Event == nil:
		return fmt.Errorf("plasticity rule %s: no Event function", r.Name)
	case len(r.States) == 0:
		return fmt.Errorf("plasticity rule %s: no States", r.Name)
	case len(r.Rest) != len(r.States):
		return fmt.Errorf("plasticity rule %s: %d values at rest for %d states", r.Name, len(r.Rest), len(r.States))
	}
	for i, n := range r.States {
		switch {
		case !isIdentifier(n) || n == "last":
			return fmt.Errorf("plasticity rule %s: state name %q is not an ASCII identifier other than last", r.Name, n)
		case slices.Index(r.States, n) < i:
			return fmt.Errorf("plasticity rule %s: state %s is named twice", r.Name, n)
		case math.IsNaN(r.Rest[i]) || math.IsInf(r.Rest[i], 0):
			return fmt.Errorf("plasticity rule %s: state %s is %g at rest, not a finite number", r.Name, n, r.Rest[i])
		}
	}
	return nil
}

// String describes the rule, as state files record it.
func (r *PlasticRule) String() string {
	per := "connection"
	if r.PerPresynaptic {
		per = "presynaptic"
	}
	return fmt.Sprintf("rule %s per=%s", r.Name, per)
}

// resetRule puts every state of a rule at rest.
func (s *stp) resetRule() {
	n := len(s.rule.Rest)
	for j := range s.last {
		copy(s.vals[j*n:(j+1)*n], s.rule.Rest)
		s.last[j], s.eff[j] = -1, 0
	}
}

// ruleEvent applies one event arriving at step k to state j of a rule, and keeps the factor of
// its delivery in eff[j].
func (s *stp) ruleEvent(j int, k int64) {
	n := len(s.rule.Rest)
	v := s.vals[j*n : (j+1)*n : (j+1)*n]
	l := s.last[j]
	delta := 0.0
	if l >= 0 {
		delta = float64(float64(k-l) * s.dt)
	}
	s.eff[j] = s.rule.Event(v, delta, l >= 0)
	s.last[j] = k
}

// SetPlasticRule gives the projection connected under name the plasticity rule r (a copy),
// every state at rest; it replaces plasticity set before (SetPlasticity's too). From then on
// each event's weight is w·f, f what r.Event returns for the synapse's state (or its
// presynaptic neuron's) when the event arrives, before delivery: as SetPlasticity, each state
// is updated on its own (with workers, split by presynaptic neuron), so the results are the
// same bits for any number of workers. State files hold the states (arrays NAME.stp.STATE, one
// per name of r.States, and NAME.stp.last) and r.String (in the projection's metadata), so
// that a resumed run continues bit for bit. Memory: 8·(len(r.States) + 2) bytes per synapse, or
// per presynaptic neuron with PerPresynaptic. The steps allocate nothing if r.Event does not.
func (s *Sim) SetPlasticRule(name string, r PlasticRule) error {
	c, err := s.plasticConn(name)
	if err != nil {
		return err
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	n := c.p.Len()
	if r.PerPresynaptic {
		n = c.p.NPre()
	}
	r.States, r.Rest = slices.Clone(r.States), slices.Clone(r.Rest)
	st := &stp{rule: &r, per: r.PerPresynaptic, dt: s.clock.Dt, vals: make([]float64, n*len(r.States)),
		last: make([]int64, n), eff: make([]float64, n)}
	st.reset()
	c.stp = st
	return nil
}

// PlasticRule returns the plasticity rule of the projection connected under name (a copy), and
// whether it has one.
func (s *Sim) PlasticRule(name string) (PlasticRule, bool) {
	for _, c := range s.conns {
		if c.name == name && c.stp != nil && c.stp.rule != nil {
			r := *c.stp.rule
			r.States, r.Rest = slices.Clone(r.States), slices.Clone(r.Rest)
			return r, true
		}
	}
	return PlasticRule{}, false
}

// ruleArrays are the arrays of the state of projection c's plasticity rule: one per state name,
// then the steps of the last events.
func ruleArrays(c *conn) []stateArray {
	s := c.stp
	what := "plasticity of projection " + c.name
	n, w := s.len(), len(s.rule.States)
	var out []stateArray
	for q, name := range s.rule.States {
		out = append(out, stateArray{name: c.name + ".stp." + name, what: what, dtype: "<f8", shape: []int{n}, check: checkFinite,
			get: func() Array {
				v := make([]float64, n)
				for j := range v {
					v[j] = s.vals[j*w+q]
				}
				return Array{F64: v}
			},
			set: func(a *Array) {
				for j, v := range a.F64 {
					s.vals[j*w+q] = v
				}
			}})
	}
	return append(out, lastArray(c.name, what, s))
}
