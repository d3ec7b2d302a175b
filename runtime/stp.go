package runtime

import (
	"fmt"
	"math"
	"math/bits"
)

// TsodyksMarkram is short-term plasticity of a projection's synapses (Sim.SetPlasticity): the
// model of Tsodyks & Markram (1997) with facilitation (Markram, Wang & Tsodyks 1998), in the
// event-based form of NEST's tsodyks2_synapse. Each synapse (or, with PerPresynaptic, each
// presynaptic neuron, shared by its synapses) has a utilisation u and a fraction x of available
// resources, starting at rest, u = U and x = 1. They change only when an event arrives, in closed
// form, Δ being the time since the previous event it received (its arrival step's time; the
// projection's delay is the same for all its events):
//
//	x ← 1 − (1 − x)·e^(−Δ/TauRec)          resources recover towards 1
//	u ← U + (u − U)·e^(−Δ/TauFacil)         utilisation relaxes to U (u = U when TauFacil is 0)
//	delivered weight w·(u·x)                 w the synapse's weight, into the target as without
//	x ← x − u·x                              the release
//	u ← u + U·(1 − u)                        facilitation, after the release
//
// (the first event, with nothing before it, skips the recovery: the state is at rest). Between
// events n and n+1 this is Markram et al.'s recurrence u_(n+1) = U + u_n(1−U)e^(−Δ/τ_facil),
// x_(n+1) = 1 + (x_n − u_n·x_n − 1)e^(−Δ/τ_rec), release u_n·x_n, with u_1 = U and x_1 = 1.
// Brian2's example "Tsodyks-Markram" increments u before the release instead (Mongillo et al.
// 2008); with TauFacil = 0 (depression only) the two agree.
type TsodyksMarkram struct {
	U        float64 // the utilisation increment and resting utilisation, in (0, 1]
	TauRec   float64 // the time constant of recovery from depression, ms, > 0
	TauFacil float64 // the time constant of facilitation, ms, ≥ 0 (0: none, u stays U)
	// PerPresynaptic keeps one state per presynaptic neuron, shared by its synapses (they see the
	// same spikes): less memory, the same results as per synapse when every synapse of a neuron
	// starts at rest together. Else one state per synapse.
	PerPresynaptic bool
}

// check checks the parameters.
func (tm TsodyksMarkram) check() error {
	switch {
	case !(tm.U > 0 && tm.U <= 1):
		return fmt.Errorf("Tsodyks–Markram U = %g: want 0 < U ≤ 1", tm.U)
	case !(tm.TauRec > 0) || math.IsInf(tm.TauRec, 1):
		return fmt.Errorf("Tsodyks–Markram tau_rec = %g ms: want a positive finite time", tm.TauRec)
	case !(tm.TauFacil >= 0) || math.IsInf(tm.TauFacil, 1):
		return fmt.Errorf("Tsodyks–Markram tau_facil = %g ms: want zero or a positive finite time", tm.TauFacil)
	}
	return nil
}

// String describes the parameters, as state files record them.
func (tm TsodyksMarkram) String() string {
	per := "connection"
	if tm.PerPresynaptic {
		per = "presynaptic"
	}
	return fmt.Sprintf("tsodyks_markram U=%v tau_rec=%v ms tau_facil=%v ms per=%s", tm.U, tm.TauRec, tm.TauFacil, per)
}

// stp is the short-term plasticity state of one projection: per synapse, or per presynaptic
// neuron (per). It is the stock Tsodyks–Markram model (tm), or else a rule (SetPlasticRule,
// plastic.go) whose states are held in vals.
type stp struct {
	tm   TsodyksMarkram
	rule *PlasticRule // nil: the stock model
	per  bool         // a state per presynaptic neuron
	dt   float64      // the Sim's step, ms
	u, x []float64    // the stock model's state after the last event (at rest before any)
	vals []float64    // a rule's: the len(rule.States) values of state j at [j·k, (j+1)·k)
	last []int64      // the arrival step of the last event; −1: none yet
	eff  []float64    // u·x released by the last event: what the step's deliveries multiply w by
}

// newSTP returns the state of n synapses (or presynaptic neurons), at rest.
func newSTP(tm TsodyksMarkram, n int, dt float64) *stp {
	s := &stp{tm: tm, per: tm.PerPresynaptic, dt: dt, u: make([]float64, n), x: make([]float64, n), last: make([]int64, n), eff: make([]float64, n)}
	s.reset()
	return s
}

// len is the number of states: synapses, or presynaptic neurons.
func (s *stp) len() int { return len(s.last) }

// reset puts every state at rest.
func (s *stp) reset() {
	if s.rule != nil {
		s.resetRule()
		return
	}
	for j := range s.u {
		s.u[j], s.x[j], s.last[j], s.eff[j] = s.tm.U, 1, -1, 0
	}
}

// event applies one event arriving at step k to state j, and keeps its release in eff[j].
func (s *stp) event(j int, k int64) {
	if s.rule != nil {
		s.ruleEvent(j, k)
		return
	}
	U := s.tm.U
	u, x := s.u[j], s.x[j]
	if l := s.last[j]; l >= 0 {
		delta := float64(float64(k-l) * s.dt)
		x = 1 - float64((1-x)*Exp(-delta/s.tm.TauRec))
		if s.tm.TauFacil > 0 {
			u = U + float64((u-U)*Exp(-delta/s.tm.TauFacil))
		} else {
			u = U
		}
	}
	r := float64(u * x)
	s.eff[j] = r
	s.x[j] = x - r
	s.u[j] = u + float64(U*(1-u))
	s.last[j] = k
}

// minParallelSTP is the fewest plastic states (synapses, or presynaptic neurons, summed over
// projections) whose updates a step splits between the workers.
const minParallelSTP = 1 << 14

// plasticity applies the events that arrive at step k to the plasticity states of every
// plastic projection, before any target receives them. Each state is updated on its own, by
// whichever goroutine takes its part, so the releases are the same bits for any number of
// workers. It allocates nothing.
func (s *Sim) plasticity(k int64) {
	total := 0
	for _, c := range s.conns {
		if c.stp != nil {
			total += c.stp.len()
		}
	}
	if total == 0 {
		return
	}
	s.stpParts.conns, s.stpParts.k = s.conns, k
	if s.pool == nil || total < minParallelSTP {
		s.stpParts.n = 1
		s.stpParts.StepRange(0, 1, 0, 0)
	} else {
		s.stpParts.n = s.pool.Workers()
		s.pool.run(&s.stpParts, s.stpParts.n, 1)
	}
	s.stpParts.conns = nil
}

// stpParts splits the plasticity updates of a step into n parts: part q of each projection
// takes the spikes of its presynaptic row's words [q·W/n, (q+1)·W/n), W the row's words, and
// updates the states of their synapses (or of those presynaptic neurons).
type stpParts struct {
	conns []*conn
	n     int
	k     int64
}

// StepRange updates parts lo ≤ q < hi (t and dt are unused).
func (sp *stpParts) StepRange(lo, hi int, _, _ float64) {
	for _, c := range sp.conns {
		if c.stp == nil {
			continue
		}
		w := c.pre.words
		c.updateSTP(sp.k, lo*w/sp.n, hi*w/sp.n)
	}
}

// updateSTP applies the events that projection c delivers at step k from the presynaptic
// neurons of the spike row's words [a, b) to their states.
func (c *conn) updateSTP(k int64, a, b int) {
	s, p := c.stp, c.p
	d := int64(p.delay)
	if k < d || a >= b {
		return
	}
	row := c.pre.row(k - d)[a:b]
	for wo, word := range row {
		wi := a + wo
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			if s.per {
				s.event(i, k)
				continue
			}
			for q := int(p.start[i]); q < int(p.start[i+1]); q++ {
				s.event(q, k)
			}
		}
	}
}

// plastic delivers one projection with short-term plasticity into x, the neurons from lo (all
// of them when full), in the same order as deliver: each synapse adds scale·(w·r), r the
// release of its last event (this step's), w·r itself where scale is 1.
func plastic[T index, F value](x []F, lo int, full bool, row []uint64, post []T, dv delivery) {
	p, s := dv.c.p, dv.c.stp
	start := p.start
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			a, b := int(start[i]), int(start[i+1])
			if !full {
				a, b = searchRow(post, a, b, lo), searchRow(post, a, b, lo+len(x))
			}
			for q := a; q < b; q++ {
				w := p.Weight(q)
				r := s.eff[i]
				if !s.per {
					r = s.eff[q]
				}
				w = float64(w * r) // rounded: no fused multiply–add
				if dv.scale != 1 {
					w = float64(dv.scale * w)
				}
				x[int(post[q])-lo] += F(w)
			}
		}
	}
}

// plasticBlocks is plastic for a projection whose targets are in blocks, segment by segment
// as deliverBlocks reads them.
func plasticBlocks[T index, F value](x []F, lo int, full bool, row []uint64, post []T, dv delivery) {
	p, s := dv.c.p, dv.c.stp
	hi := lo + len(x)
	starts, nb, blo, bhi := p.segments(lo, hi, full)
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			for seg := i*nb + blo; seg <= i*nb+bhi; seg++ {
				base := (seg - i*nb) << blockBits
				a, b := int(starts[seg]), int(starts[seg+1])
				if !full {
					a, b = searchRow(post, a, b, lo-base), searchRow(post, a, b, hi-base)
				}
				off := base - lo
				for q := a; q < b; q++ {
					w := p.Weight(q)
					r := s.eff[i]
					if !s.per {
						r = s.eff[q]
					}
					w = float64(w * r) // rounded: no fused multiply–add
					if dv.scale != 1 {
						w = float64(dv.scale * w)
					}
					x[off+int(post[q])] += F(w)
				}
			}
		}
	}
}

// SetPlasticity gives the projection connected under name short-term plasticity (see
// TsodyksMarkram), every state at rest; a second call replaces the first. From then on each
// event's weight is w·u·x: the synapses' states change only at the events they receive, before
// delivery, each state on its own (with workers, split by presynaptic neuron), so that the
// releases and the sums into the targets are the same bits for any number of workers. State files hold the states (arrays
// NAME.stp.u, NAME.stp.x, NAME.stp.last) and the parameters (in the projection's metadata), so
// that a resumed run continues bit for bit. Memory: 32 bytes per synapse, or per presynaptic
// neuron with PerPresynaptic. The steps allocate nothing.
func (s *Sim) SetPlasticity(name string, tm TsodyksMarkram) error {
	c, err := s.plasticConn(name)
	if err != nil {
		return err
	}
	if err := tm.check(); err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	n := c.p.Len()
	if tm.PerPresynaptic {
		n = c.p.NPre()
	}
	c.stp = newSTP(tm, n, s.clock.Dt)
	return nil
}

// plasticConn returns the projection connected under name, for SetPlasticity and
// SetPlasticRule, or an error if there is none or its receptor takes no plasticity: a kinetic
// one, or one whose event is not the sum of its weights.
func (s *Sim) plasticConn(name string) (*conn, error) {
	for _, c := range s.conns {
		if c.name != name {
			continue
		}
		if c.kin != nil {
			return nil, fmt.Errorf("projection %s is into a kinetic receptor: it takes no short-term plasticity", name)
		}
		if c.apply != nil {
			return nil, fmt.Errorf("projection %s is into receptor %s, whose event (%s) is not the sum of its weights: it takes no short-term plasticity", name, c.apply.r.Name, c.apply.r.Event)
		}
		return c, nil
	}
	return nil, fmt.Errorf("plasticity of projection %s: no such projection (Sim.Connect)", name)
}

// Plasticity returns the stock short-term plasticity of the projection connected under name,
// and whether it has one (a rule of SetPlasticRule is PlasticRule's).
func (s *Sim) Plasticity(name string) (TsodyksMarkram, bool) {
	for _, c := range s.conns {
		if c.name == name && c.stp != nil && c.stp.rule == nil {
			return c.stp.tm, true
		}
	}
	return TsodyksMarkram{}, false
}
