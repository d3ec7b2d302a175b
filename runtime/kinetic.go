package runtime

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Kinetic receptors (Model.Receptors[i].Kinetic, KineticReceptor) are delivered as Destexhe,
// Mainen and Sejnowski (1994) computed them. A projection into one keeps, per synapse, its state
// r at its last transition (the start or end of its transmitter pulse), the step of that
// transition and the step its pulse ends. In the synapse phase of step k, for each
// postsynaptic neuron of a worker's range:
//
//  1. the pulses that end at step k end: those of the synapses whose events arrived D steps
//     earlier (the row of the presynaptic spikes of step k − delay − D of the spike history; a
//     synapse whose stored end is not k was restarted since, and is skipped). Each moves w·r,
//     r = r∞ + (r₀ − r∞)·e^(BOn·Δ) (r∞ = −AOn/BOn, Δ the time since its last transition), from
//     the neuron's On to its Off, and w from WOn;
//  2. the events that arrive at step k start a pulse, ending at step k + D: a synapse not in
//     a pulse moves w·r, r = r₀·e^(BOff·Δ), from Off to On, and adds w to WOn; a synapse in
//     its pulse only has the pulse's end put off (a restart, as Destexhe's NET_RECEIVE does).
//
// Between, the group's Step integrates On, Off and WOn, with which the synapses' closed forms
// agree: the pulse of an event arriving at step k holds the transmitter over the steps k + 1,
// …, k + D (from t_(k+1) for D·dt), as Brian2 does with `on_pre` in its synapse phase. The
// order is fixed (ends, then starts; projections in the order connected, spikes in ascending
// presynaptic order, a row's synapses in order), and every synapse is updated by the worker
// that owns its postsynaptic neuron, so the results are the same bits for any number of
// workers. A projection's weights and delay must not change while pulses are on: an end moves
// the weight and reads the row that its start read.

// kinetic is the per-synapse state of a projection into a kinetic receptor.
type kinetic struct {
	k            KineticReceptor
	dt           float64
	d            int64     // the pulse's steps, Dur/dt
	rinf         float64   // −AOn/BOn, where r tends during a pulse
	on, off, won []float64 // the group's sums (KineticReceptor.On, Off, WOn)
	r            []float64 // per synapse: r at its last transition (0 at rest)
	last         []int64   // the step of its last transition; −1: none yet
	end          []int64   // the step its pulse ends; −1: none yet (not in a pulse if ≤ now)
}

// reset puts every synapse at rest, with no pulse.
func (kn *kinetic) reset() {
	clear(kn.r)
	for q := range kn.last {
		kn.last[q], kn.end[q] = -1, -1
	}
}

// value returns synapse q's r at step k: in its pulse, or after it.
func (kn *kinetic) value(q int, k int64, inPulse bool) float64 {
	r0, l := kn.r[q], kn.last[q]
	if l < 0 {
		return 0
	}
	delta := float64(float64(k-l) * kn.dt)
	if inPulse {
		return kn.rinf + float64((r0-kn.rinf)*Exp(float64(kn.k.BOn*delta)))
	}
	return float64(r0 * Exp(float64(kn.k.BOff*delta)))
}

// stop ends the pulse of synapse q, of weight w, at step k: w·r moves from on to off, and w
// leaves won.
func (kn *kinetic) stop(q int, k int64, w float64, on, off, won *float64) {
	r := kn.value(q, k, true)
	wr := float64(w * r)
	*on -= wr
	*off += wr
	*won -= w
	kn.r[q], kn.last[q] = r, k
}

// start starts a pulse of synapse q, of weight w, at step k, or restarts the pulse it is in:
// w·r moves from off to on, and w joins won.
func (kn *kinetic) start(q int, k int64, w float64, on, off, won *float64) {
	if kn.end[q] > k {
		kn.end[q] = k + kn.d // a restart: the pulse goes on
		return
	}
	r := kn.value(q, k, false)
	wr := float64(w * r)
	*off -= wr
	*on += wr
	*won += w
	kn.r[q], kn.last[q], kn.end[q] = r, k, k+kn.d
}

// newKinetic checks kinetic receptor k of group gq (named post) for the Sim and returns the
// state of n synapses into it, at rest.
func (s *Sim) newKinetic(gq Group, post string, k *KineticReceptor, n int, what string) (*kinetic, error) {
	steps := k.Dur / s.clock.Dt
	d := math.Round(steps)
	if math.Abs(steps-d) > 1e-9*max(1, d) || d < 1 || d > MaxDelaySteps {
		return nil, fmt.Errorf("%s: the transmitter pulse of %g ms is %.4g steps of %g ms: it must be a whole number of steps, from 1 to MaxDelaySteps (%d)", what, k.Dur, steps, s.clock.Dt, MaxDelaySteps)
	}
	if !(k.BOn < 0) || !(k.BOff < 0) || math.IsNaN(k.AOn) || math.IsInf(k.AOn, 0) {
		return nil, fmt.Errorf("%s: the kinetic receptor's coefficients (AOn %g, BOn %g, BOff %g /ms) are not finite with BOn and BOff negative", what, k.AOn, k.BOn, k.BOff)
	}
	xs, err := s.resolve(gq, post, what, []scaledVar{{k.On, 1}, {k.Off, 1}, {k.WOn, 1}})
	if err != nil {
		return nil, err
	}
	for q, x := range xs {
		if x.F64 == nil {
			return nil, fmt.Errorf("%s: group %s (model %s) stores %s in single precision (-float32); a kinetic receptor's states must be float64", what, post, gq.Model().Name, []string{k.On, k.Off, k.WOn}[q])
		}
	}
	kn := &kinetic{k: *k, dt: s.clock.Dt, d: int64(d), rinf: -k.AOn / k.BOn, on: xs[0].F64, off: xs[1].F64, won: xs[2].F64,
		r: make([]float64, n), last: make([]int64, n), end: make([]int64, n)}
	kn.reset()
	return kn, nil
}

// connectKineticReceptor is ConnectReceptor into kinetic receptor k of group gq (named post):
// the projection is connected into the receptor's On, and keeps each synapse's state; the
// spike history of pre grows to hold the rows of the pulses' ends.
func (s *Sim) connectKineticReceptor(name, pre, post, receptor string, p *Projection, gq Group, k *KineticReceptor) error {
	what := fmt.Sprintf("projection %s (%s → %s.receptor:%s)", name, pre, post, receptor)
	if p == nil {
		return fmt.Errorf("%s: no projection (nil)", what)
	}
	for _, in := range s.inputs {
		if in.name == name && in.kin != nil {
			return fmt.Errorf("%s: Poisson input %s, into a kinetic receptor too, has the name: their synapses' states would both be %s.kin in state files", what, name, name)
		}
	}
	kn, err := s.newKinetic(gq, post, k, p.Len(), what)
	if err != nil {
		return err
	}
	err = s.connect(name, pre, post, "receptor:"+receptor, p, func(Group, string) ([]scaledVar, error) {
		return []scaledVar{{k.On, 1}}, nil
	})
	if err != nil {
		return err
	}
	c := s.conns[len(s.conns)-1]
	c.kin = kn
	c.pre.grow(p.Delay()+int(kn.d)+1, s.clock.Step)
	return nil
}

// addPoissonKinetic is AddPoissonReceptor into kinetic receptor k of group g: each neuron's
// train is one synapse of weight w onto it, whose events (one or more in a step are one
// event: a synapse takes one per step) start or restart its pulse, after the projections'.
func (s *Sim) addPoissonKinetic(name, group, receptor string, rates []float64, weight float64, seed, stream uint64, g Group, k *KineticReceptor) (*Poisson, error) {
	what := fmt.Sprintf("Poisson input %s (into %s.receptor:%s)", name, group, receptor)
	for _, c := range s.conns {
		if c.name == name && c.kin != nil {
			return nil, fmt.Errorf("%s: projection %s, into a kinetic receptor too, has the name: their synapses' states would both be %s.kin in state files", what, name, name)
		}
	}
	kn, err := s.newKinetic(g, group, k, g.Len(), what)
	if err != nil {
		return nil, err
	}
	p, err := s.addPoisson(name, group, "receptor:"+receptor, rates, weight, seed, stream, func(Group, string) ([]scaledVar, error) {
		return []scaledVar{{k.On, 1}}, nil
	})
	if err != nil {
		return nil, err
	}
	p.kin = kn
	return p, nil
}

// kineticStep is Poisson.step into a kinetic receptor, at step k: the pulses that end, then
// the neurons whose trains have an event start or restart theirs, in order.
func (p *Poisson) kineticStep(k int64) {
	kn := p.kin
	n := len(p.lam)
	on, off, won := kn.on[:n], kn.off[:n], kn.won[:n]
	for i, e := range kn.end[:n] {
		if e == k {
			kn.stop(i, k, p.w, &on[i], &off[i], &won[i])
		}
	}
	for i, lam := range p.lam {
		if lam == 0 {
			continue
		}
		if p.count(i, lam) > 0 {
			kn.start(i, k, p.w, &on[i], &off[i], &won[i])
		}
	}
}

// kinetic delivers one projection into a kinetic receptor into neurons lo ≤ j < hi: the
// pulses that end at step t.now, then those that start (see the comment above).
func (t *target) kinetic(dv delivery, lo, hi int) {
	if p := dv.c.p; p.post16 != nil {
		kineticRange(t.now, dv.c, lo, hi, len(t.x), p.post16)
	} else {
		kineticRange(t.now, dv.c, lo, hi, len(t.x), p.post32)
	}
}

// kineticRange is target.kinetic at step k for c's targets post, n the target's length.
func kineticRange[T index](k int64, c *conn, lo, hi, n int, post []T) {
	kn, p := c.kin, c.p
	d := int64(p.delay)
	full := lo == 0 && hi == n
	on, off, won := kn.on[lo:hi:hi], kn.off[lo:hi:hi], kn.won[lo:hi:hi]
	starts, nb, blo, bhi := p.segments(lo, hi, full) // a row segment by segment (proj.go)
	if k-d-kn.d >= 0 {
		for wi, word := range c.pre.row(k - d - kn.d) {
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
						if kn.end[q] != k {
							continue // restarted since: its pulse ends later
						}
						j := base + int(post[q]) - lo
						kn.stop(q, k, p.Weight(q), &on[j], &off[j], &won[j])
					}
				}
			}
		}
	}
	for wi, word := range c.pre.row(k - d) {
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
					j := base + int(post[q]) - lo
					kn.start(q, k, p.Weight(q), &on[j], &off[j], &won[j])
				}
			}
		}
	}
}

// Kinetic returns, for the projection connected under name into a kinetic receptor, each
// synapse's state at the clock's time (in the order of the projection's synapses), computed
// in closed form from its last transition; for the Poisson input named name into one, its
// synapse onto each neuron's; nil for another projection or input. The sum of w·r over a
// neuron's synapses is the receptor's On + Off.
func (s *Sim) Kinetic(name string) []float64 {
	var kn *kinetic
	for _, c := range s.conns {
		if c.name == name && c.kin != nil {
			kn = c.kin
		}
	}
	for _, p := range s.inputs {
		if p.name == name && p.kin != nil {
			kn = p.kin
		}
	}
	if kn == nil {
		return nil
	}
	// Transitions of the synapse phase of step k are at t_(k+1): the clock's step less one.
	k := s.clock.Step - 1
	out := make([]float64, len(kn.r))
	for q := range out {
		out[q] = kn.value(q, k, kn.end[q] > k)
	}
	return out
}

// checkLoad checks the per-synapse state that a state file of clock step `step` gives kn
// (arrays NAME.kin.r, .last and .end in byName, of the right dtype and shape and each checked
// on its own): every transition at a step already made, the synapses at rest at rest, r
// between 0 and r∞ (where the closed forms keep it), and each pulse either over (ended at its
// last transition) or on and ending within D steps of the file's last step, D steps or more
// after its start. A damaged file would otherwise leave a synapse's weight in WOn for good or
// give r from a time in the future.
func (kn *kinetic) checkLoad(byName map[string]*Array, name string, step int64) error {
	r, last, end := byName[name+".kin.r"].F64, byName[name+".kin.last"].I64, byName[name+".kin.end"].I64
	lo, hi := min(0, kn.rinf), max(0, kn.rinf)
	tol := 1e-12 * max(1, math.Abs(kn.rinf))
	for q := range r {
		l, e := last[q], end[q]
		var err error
		switch {
		case l >= step:
			err = fmt.Errorf("array %s.kin.last: element %d is step %d, not before the file's step %d", name, q, l, step)
		case (l < 0) != (e < 0):
			err = fmt.Errorf("arrays %s.kin.last and .kin.end: element %d: its last transition is at step %d and its pulse ends at step %d: want −1 in both (at rest) or in neither", name, q, l, e)
		case l < 0 && r[q] != 0:
			err = fmt.Errorf("array %s.kin.r: element %d is %g for a synapse at rest (no transition yet): want 0", name, q, r[q])
		case r[q] < lo-tol || r[q] > hi+tol:
			err = fmt.Errorf("array %s.kin.r: element %d is %g, outside [%g, %g] where the receptor's kinetics keep it", name, q, r[q], lo, hi)
		case e < step && l >= 0 && e != l:
			err = fmt.Errorf("array %s.kin.end: element %d: the pulse ended at step %d, before the file's step %d, but the last transition is at step %d", name, q, e, step, l)
		case e >= step && (e > step-1+kn.d || l > e-kn.d):
			err = fmt.Errorf("array %s.kin.end: element %d: a pulse of %d steps started at step %d cannot end at step %d with the file at step %d", name, q, kn.d, l, e, step)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkLoadRows checks, for projection c into a kinetic receptor, that each synapse whose pulse
// is on at the file's step `step` ends at a step whose row of the file's spike history (array
// PRE.spiked.history in byName) holds its presynaptic neuron's spike, D + delay steps before:
// the row its end is found from (kineticRange), without which the pulse would never end.
func (c *conn) checkLoadRows(byName map[string]*Array, step int64) error {
	kn, p, h := c.kin, c.p, c.pre
	end := byName[c.name+".kin.end"].I64
	spiked := byName[h.group+".spiked.history"].Bool
	for i := range p.nPre {
		for q := int(p.start[i]); q < int(p.start[i+1]); q++ {
			e := end[q]
			if e < step {
				continue
			}
			k := e - kn.d - int64(p.delay)
			if k < 0 || !spiked[int(k%int64(h.rows))*h.n+i] {
				return fmt.Errorf("array %s.kin.end: element %d: its pulse ends at step %d, but its presynaptic neuron %d did not spike at step %d (%d steps before, the pulse and the delay) in the file's spike history of %s", c.name, q, e, i, k, kn.d+int64(p.delay), h.group)
			}
		}
	}
	return nil
}

// kineticArrays are the arrays NAME.kin.r, .last and .end of the per-synapse state kn of a
// projection or Poisson input (what) into a kinetic receptor.
func kineticArrays(name, what string, kn *kinetic) []stateArray {
	what = "kinetic receptor state of " + what
	n := len(kn.r)
	steps := func(a *Array) error {
		for i, v := range a.I64 {
			if v < -1 {
				return fmt.Errorf("element %d is %d: want −1 (none yet) or a step", i, v)
			}
		}
		return nil
	}
	return []stateArray{
		{name: name + ".kin.r", what: what, dtype: "<f8", shape: []int{n}, check: checkFinite,
			get: func() Array { return Array{F64: slices.Clone(kn.r)} },
			set: func(a *Array) { copy(kn.r, a.F64) }},
		{name: name + ".kin.last", what: what, dtype: "<i8", shape: []int{n}, check: steps,
			get: func() Array { return Array{I64: slices.Clone(kn.last)} },
			set: func(a *Array) { copy(kn.last, a.I64) }},
		{name: name + ".kin.end", what: what, dtype: "<i8", shape: []int{n}, check: steps,
			get: func() Array { return Array{I64: slices.Clone(kn.end)} },
			set: func(a *Array) { copy(kn.end, a.I64) }},
	}
}
