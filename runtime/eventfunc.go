package runtime

import (
	"fmt"
	"math/bits"
)

// Receptors with an event function (Model.Receptors[i].Apply) take their events one at a time:
// a projection into one calls Apply(g, j, w) for each synapse of weight w onto neuron j whose
// presynaptic neuron's spike arrives, in the order of the other deliveries (projections in the
// order connected, spikes in ascending presynaptic order, a row's synapses in order), each
// neuron's events by the worker that owns it, so that the results are the same bits for any
// number of workers. A Poisson input calls it k times for a neuron's k events of a step, in
// neuron order. Such an event is not the sum of its weights (g += w·(gmax − g)/gmax saturates),
// so the projection takes no short-term plasticity, and the group must hold the receptor's
// states in float64.

// applied is the event function of a projection's or Poisson input's receptor, and its group.
type applied struct {
	r *Receptor
	g Group
}

// newApplied checks receptor r of group g (named post), which has an event function, for the
// Sim.
func (s *Sim) newApplied(g Group, post string, r *Receptor, what string) (*applied, error) {
	x, ok := VarOf(g, r.Target)
	switch {
	case r.Target == "" || !ok:
		return nil, fmt.Errorf("%s: receptor %s of model %s has an event function but no state Target (%q) of the group", what, r.Name, g.Model().Name, r.Target)
	case x.F64 == nil:
		return nil, fmt.Errorf("%s: group %s (model %s) stores %s in single precision (-float32); a receptor whose event is not the sum of its weights (%s) must be float64", what, post, g.Model().Name, r.Target, r.Event)
	}
	return &applied{r: r, g: g}, nil
}

// connectAppliedReceptor is ConnectReceptor into receptor r of group gq (named post), which has
// an event function: the projection is connected into r.Target, and its deliveries call it.
func (s *Sim) connectAppliedReceptor(name, pre, post, receptor string, p *Projection, gq Group, r *Receptor) error {
	what := fmt.Sprintf("projection %s (%s → %s.receptor:%s)", name, pre, post, receptor)
	a, err := s.newApplied(gq, post, r, what)
	if err != nil {
		return err
	}
	err = s.connect(name, pre, post, "receptor:"+receptor, p, func(Group, string) ([]scaledVar, error) {
		return []scaledVar{{r.Target, 1}}, nil
	})
	if err != nil {
		return err
	}
	s.conns[len(s.conns)-1].apply = a
	return nil
}

// addPoissonApplied is AddPoissonReceptor into receptor r of group g, which has an event
// function: each of a neuron's events of a step calls it once.
func (s *Sim) addPoissonApplied(name, group, receptor string, rates []float64, weight float64, seed, stream uint64, g Group, r *Receptor) (*Poisson, error) {
	what := fmt.Sprintf("Poisson input %s (into %s.receptor:%s)", name, group, receptor)
	a, err := s.newApplied(g, group, r, what)
	if err != nil {
		return nil, err
	}
	p, err := s.addPoisson(name, group, "receptor:"+receptor, rates, weight, seed, stream, func(Group, string) ([]scaledVar, error) {
		return []scaledVar{{r.Target, 1}}, nil
	})
	if err != nil {
		return nil, err
	}
	p.apply = a
	return p, nil
}

// appliedStep is Poisson.step into a receptor with an event function: the neurons draw in
// order, and each of a neuron's k events applies the function once.
func (p *Poisson) appliedStep() {
	apply, g := p.apply.r.Apply, p.apply.g
	for i, lam := range p.lam {
		if lam == 0 {
			continue
		}
		for range p.count(i, lam) {
			apply(g, i, p.w)
		}
	}
}

// applied delivers one projection into a receptor with an event function into neurons
// lo ≤ j < hi, at step t.now.
func (t *target) applied(dv delivery, lo, hi int) {
	if p := dv.c.p; p.post16 != nil {
		appliedRange(t.now, dv.c, lo, hi, len(t.x), p.post16)
	} else {
		appliedRange(t.now, dv.c, lo, hi, len(t.x), p.post32)
	}
}

// appliedRange is target.applied at step k for c's targets post, n the target's length: the
// row's segments in order, as deliverBlocks reads them.
func appliedRange[T index](k int64, c *conn, lo, hi, n int, post []T) {
	p := c.p
	apply, g := c.apply.r.Apply, c.apply.g
	full := lo == 0 && hi == n
	starts, nb, blo, bhi := p.segments(lo, hi, full) // a row segment by segment (proj.go)
	for wi, word := range c.pre.row(k - int64(p.delay)) {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			for r := i*nb + blo; r <= i*nb+bhi; r++ {
				base := (r - i*nb) << blockBits
				a, b := int(starts[r]), int(starts[r+1])
				if !full {
					a, b = searchRow(post, a, b, lo-base), searchRow(post, a, b, hi-base)
				}
				for q := a; q < b; q++ {
					apply(g, base+int(post[q]), p.Weight(q))
				}
			}
		}
	}
}
