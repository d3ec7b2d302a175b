package runtime

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
)

// A network is groups of a Sim coupled by projections (Sim.Connect) and driven by inputs
// (Sim.AddPoisson). Sim.Step makes each step in Brian2's order (Network.schedule): the groups
// advance from t to t+dt; their spikes of the step are known (Group.Spiked, the threshold);
// then the synapses deliver: a spike of presynaptic neuron i with a projection's delay d
// (whole steps) adds the weight of each of i's synapses to the target state (a per-neuron
// variable of the postsynaptic group, such as a receptor's conductance "E.g") at the synapse
// phase of the step d steps after the one that emitted it, so with d = 0 at once, and the spike
// enters the derivatives of the next step, as in Brian2. Then the Poisson inputs add their
// events, then delay lines and recorders run as without a network.
//
// Each presynaptic group keeps a bit per neuron for each of the last D+1 steps (D the longest
// delay of its projections): its spike history, from which each projection reads the step d
// steps ago. Weights are added one at a time into the target state, as Brian2's `ge += we`
// does: for each postsynaptic neuron, projections in the order connected, then spikes in
// ascending presynaptic order, then a row's synapses in order (multapses in turn). With several
// workers (Sim.SetWorkers), the postsynaptic neurons of a target are split into ranges, one per
// worker; each worker scans every spike and, within a row, only its range (found by binary
// search in the sorted row), so every neuron's sum is made in the same order whatever the
// number of workers: the same bits for 1, 2 or 3 workers. A target state that a group stores
// in single precision (Float32Vars, -float32) gets each weight rounded to float32 and added in
// float32 arithmetic, in the same order: the same bits for any number of workers too.

// history is the spike history of a presynaptic group: a bitset row per step of the last rows
// steps; the row of step k is k mod rows.
type history struct {
	group string
	g     Group
	n     int
	words int      // uint64 words per row
	rows  int      // 1 + the longest delay of the group's projections
	bits  []uint64 // rows·words
}

// row returns the bitset of the spikes of step k (k ≥ 0).
func (h *history) row(k int64) []uint64 {
	r := int(k % int64(h.rows))
	return h.bits[r*h.words : (r+1)*h.words]
}

// record writes the group's spikes of step k into its row.
func (h *history) record(k int64) { h.recordRange(k, 0, h.n) }

// recordRange writes the spikes of neurons [lo, hi) of step k into its row, lo a multiple of 64
// and hi one or n: it writes the words of those neurons alone.
func (h *history) recordRange(k int64, lo, hi int) {
	row := h.row(k)[lo>>6 : (hi+63)>>6]
	clear(row)
	for i, s := range h.g.Spiked()[lo:hi] {
		if s {
			row[i>>6] |= 1 << (i & 63)
		}
	}
}

// conn is a projection of the Sim.
type conn struct {
	name  string
	pre   *history
	post  string // the postsynaptic group
	label string // the target: a state's name, or "receptor:NAME"
	p     *Projection
	stp   *stp     // short-term plasticity (SetPlasticity), or nil
	kin   *kinetic // the synapses' state, for a projection into a kinetic receptor; else nil
	apply *applied // the receptor's event function, for a receptor with one (eventfunc.go); else nil
}

// target is a per-neuron state that projections add into.
type target struct {
	group, name string
	x           []float64 // the state, or nil when it is x32
	x32         []float32 // the state of a group that stores it in single precision, or nil
	deliveries  []delivery
	now         int64 // the step being delivered, for StepRange
}

// len is the number of neurons of the target.
func (t *target) len() int { return len(t.x) + len(t.x32) }

// delivery is a projection into a target, each weight times scale.
type delivery struct {
	c     *conn
	scale float64
}

// Poisson is a Poisson input (Sim.AddPoisson): for each neuron of a group an independent
// Poisson train of events at a rate, each event adding a weight to a per-neuron state.
type Poisson struct {
	name, group, target string
	x                   []float64 // the target state, when it is one float64 state with scale 1
	xs                  []VarView // the target states otherwise; else nil
	scales              []float64 // the factor of the weight for each of xs
	rate                []float64 // Hz, per neuron
	emlam               []float64 // e^(−rate·dt), per neuron
	lam                 []float64 // rate·dt, per neuron
	w                   float64
	dt                  float64 // the Sim's step, ms
	seed, stream        uint64
	src                 *rand.PCG
	kin                 *kinetic // into a kinetic receptor: one synapse per neuron (kinetic.go); else nil
	apply               *applied // into a receptor with an event function (eventfunc.go); else nil
}

// Name is the input's name.
func (p *Poisson) Name() string { return p.name }

// Weight is what each event adds to the target state.
func (p *Poisson) Weight() float64 { return p.w }

// Connect adds the projection p, named name (an ASCII identifier not used by another
// projection), from the spikes of group pre to the per-neuron state target of group post
// (VarOf(target): a receptor's state such as "E.g", any state variable or per-neuron
// parameter, float64 or float32; or else a state added with AddState, such as "syn.g", of one value per neuron of
// post, for synapses written in plain Go): from then on, every step delivers the spikes of pre
// into it as the network comment above says, each synapse adding its weight, p.Delay() steps
// after the spike. p must have pre's size for NPre and post's for NPost; pre and post may be
// the same group. The projection's weights and delay are read at every step, and may be
// changed between steps; its connectivity may not. Connect allocates the spike history of pre
// (a bit per neuron and step of the longest delay), or grows it keeping the spikes it holds;
// spikes of steps made before pre's first projection was connected are not delivered. A delay
// made longer after Connect (SetDelay) grows the history at the next step or Save, keeping
// the spikes it holds. The steps allocate nothing but there.
func (s *Sim) Connect(name, pre, post, targetVar string, p *Projection) error {
	return s.connect(name, pre, post, targetVar, p, func(gq Group, what string) ([]scaledVar, error) {
		return []scaledVar{{targetVar, 1}}, nil
	})
}

// ConnectReceptor is Connect into a receptor of group post, as its Model's Receptors describe
// it: each event of weight w (a synapse's weight, in the receptor's WeightUnit: "mS" for a
// conductance, 1 nS being 1e-6 mS) adds Scale·w to each of the receptor's Targets (w itself
// where Scale is 1, without a multiplication), in the order they are listed.
func (s *Sim) ConnectReceptor(name, pre, post, receptor string, p *Projection) error {
	if g := s.Group(post); g != nil {
		if r := g.Model().Receptor(receptor); r != nil && r.Kinetic != nil {
			return s.connectKineticReceptor(name, pre, post, receptor, p, g, r.Kinetic) // kinetic.go
		}
		if r := g.Model().Receptor(receptor); r != nil && r.Apply != nil {
			return s.connectAppliedReceptor(name, pre, post, receptor, p, g, r) // eventfunc.go
		}
	}
	return s.connect(name, pre, post, "receptor:"+receptor, p, func(gq Group, what string) ([]scaledVar, error) {
		return receptorVars(gq, post, receptor, what)
	})
}

// scaledVar is a state a projection adds into, and the factor of the weights.
type scaledVar struct {
	name  string
	scale float64
}

// connect is Connect and ConnectReceptor: label names the target in messages and metadata,
// and vars lists the states to add into.
func (s *Sim) connect(name, pre, post, label string, p *Projection, vars func(gq Group, what string) ([]scaledVar, error)) error {
	what := fmt.Sprintf("projection %s (%s → %s.%s)", name, pre, post, label)
	if !isIdentifier(name) {
		return fmt.Errorf("projection name %q is not an ASCII identifier (letters, digits and _, not starting with a digit)", name)
	}
	for _, c := range s.conns {
		if c.name == name {
			return fmt.Errorf("%s: the name is already in use", what)
		}
	}
	if p == nil {
		return fmt.Errorf("%s: no projection (nil)", what)
	}
	gp, gq := s.Group(pre), s.Group(post)
	switch {
	case gp == nil:
		return fmt.Errorf("%s: no group %s in the sim", what, pre)
	case gq == nil:
		return fmt.Errorf("%s: no group %s in the sim", what, post)
	case p.NPre() != gp.Len():
		return fmt.Errorf("%s: the projection is from %d neurons, group %s has %d", what, p.NPre(), pre, gp.Len())
	case p.NPost() != gq.Len():
		return fmt.Errorf("%s: the projection is to %d neurons, group %s has %d", what, p.NPost(), post, gq.Len())
	case len(gp.Spiked()) != gp.Len():
		return fmt.Errorf("%s: group %s has %d spike flags for %d neurons", what, pre, len(gp.Spiked()), gp.Len())
	}
	vs, err := vars(gq, what)
	if err != nil {
		return err
	}
	xs, err := s.resolve(gq, post, what, vs)
	if err != nil {
		return err
	}
	h := s.history(pre, gp)
	h.grow(p.Delay()+1, s.clock.Step)
	c := &conn{name: name, pre: h, post: post, label: label, p: p}
	for k, v := range vs {
		t := s.target(post, v.name, xs[k])
		t.deliveries = append(t.deliveries, delivery{c, v.scale})
	}
	s.conns = append(s.conns, c)
	return nil
}

// resolve returns the slices of the states vs of group g (named name): VarOf (float64, or
// float32 for a group generated with -float32), or else a state added with AddState, of one
// float64 per neuron.
func (s *Sim) resolve(g Group, name, what string, vs []scaledVar) ([]VarView, error) {
	xs := make([]VarView, len(vs))
	for k, v := range vs {
		x, ok := VarOf(g, v.name)
		if !ok {
			x.F64 = s.State(v.name)
			if x.F64 == nil {
				return nil, fmt.Errorf("%s: group %s (model %s) has no per-neuron variable %s, nor is it a state of the sim (AddState)", what, name, g.Model().Name, v.name)
			}
		}
		if x.Len() != g.Len() {
			return nil, fmt.Errorf("%s: %s.%s holds %d values for %d neurons", what, name, v.name, x.Len(), g.Len())
		}
		xs[k] = x
	}
	return xs, nil
}

// receptorVars returns the targets of receptor of group g (named name), as Model.Receptors
// lists them.
func receptorVars(g Group, name, receptor, what string) ([]scaledVar, error) {
	m := g.Model()
	r := m.Receptor(receptor)
	if r == nil {
		var names []string
		for _, r := range m.Receptors {
			names = append(names, r.Name)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: group %s (model %s) has no receptors", what, name, m.Name)
		}
		return nil, fmt.Errorf("%s: group %s (model %s) has no receptor %s; it has %s", what, name, m.Name, receptor, strings.Join(names, ", "))
	}
	if r.Kinetic != nil {
		return nil, fmt.Errorf("%s: receptor %s of model %s is kinetic (a state per synapse): only a projection's spikes (ConnectReceptor) can go into it", what, receptor, m.Name)
	}
	if len(r.Targets) == 0 {
		return nil, fmt.Errorf("%s: receptor %s of model %s lists no targets", what, receptor, m.Name)
	}
	var out []scaledVar
	for _, t := range r.Targets {
		if math.IsNaN(t.Scale) || math.IsInf(t.Scale, 0) {
			return nil, fmt.Errorf("%s: receptor %s of model %s scales its event into %s by %g, not a finite number", what, receptor, m.Name, t.Var, t.Scale)
		}
		out = append(out, scaledVar{t.Var, t.Scale})
	}
	return out, nil
}

// target returns the Sim's target for group.name, made if new.
func (s *Sim) target(group, name string, x VarView) *target {
	for _, t := range s.targets {
		if t.group == group && t.name == name {
			return t
		}
	}
	t := &target{group: group, name: name, x: x.F64, x32: x.F32}
	s.targets = append(s.targets, t)
	return t
}

// history returns the spike history of group, made if new (with one row).
func (s *Sim) history(group string, g Group) *history {
	for _, h := range s.histories {
		if h.group == group {
			return h
		}
	}
	h := &history{group: group, g: g, n: g.Len(), words: (g.Len() + 63) / 64, rows: 1}
	h.bits = make([]uint64, h.words)
	s.histories = append(s.histories, h)
	return h
}

// grow makes the history hold at least rows steps, keeping the spikes of the steps before now
// that it holds: a projection with a longer delay may be added at any time.
func (h *history) grow(rows int, now int64) {
	if rows <= h.rows {
		return
	}
	old := *h
	h.bits = make([]uint64, rows*h.words)
	h.rows = rows
	for k := max(0, now-int64(old.rows)); k < now; k++ {
		copy(h.row(k), old.row(k))
	}
}

// fitHistories grows each presynaptic group's spike history to hold the rows its projections
// read now: a projection's delay may have been made longer since Connect (SetDelay), and a
// kinetic receptor's pulse ends read D rows further back. It allocates only where a history
// grows.
func (s *Sim) fitHistories() {
	for _, c := range s.conns {
		rows := c.p.delay + 1
		if c.kin != nil {
			rows += int(c.kin.d)
		}
		c.pre.grow(rows, s.clock.Step)
	}
}

// Projections returns the names of the projections, in the order connected.
func (s *Sim) Projections() []string {
	var out []string
	for _, c := range s.conns {
		out = append(out, c.name)
	}
	return out
}

// Inputs returns the Poisson inputs, in the order added.
func (s *Sim) Inputs() []*Poisson { return slices.Clone(s.inputs) }

// Projection returns the projection connected under name, or nil.
func (s *Sim) Projection(name string) *Projection {
	for _, c := range s.conns {
		if c.name == name {
			return c.p
		}
	}
	return nil
}

// propagate is the synapse phase of step k: it records every presynaptic group's spikes of the
// step (unless the workers did, recorded: Sim.stepGroups), delivers the projections into their
// targets, then the Poisson inputs. It allocates nothing.
func (s *Sim) propagate(k int64, recorded bool) {
	if !recorded {
		s.fitHistories()
		for _, h := range s.histories {
			h.record(k)
		}
	}
	s.plasticity(k)
	total := 0
	for _, t := range s.targets {
		t.now = k
		total += t.len()
	}
	if s.pool == nil || total < minParallelTargets {
		for _, t := range s.targets {
			t.StepRange(0, t.len(), 0, 0)
		}
	} else {
		// One hand-over to the workers for all targets: part q of every target goes to
		// worker q, which stepped those neurons (Sim.stepGroups), unless another is done first.
		s.parts.targets, s.parts.n = s.targets, s.pool.Workers()
		s.parts.own = s.parts.own[:0]
		for q := range s.parts.n + 1 {
			s.parts.own = append(s.parts.own, q)
		}
		s.pool.runOwned(&s.parts, s.parts.own)
		s.parts.targets = nil
	}
	for _, p := range s.inputs {
		p.step(k)
	}
}

// minParallelTargets is the fewest target values (summed over targets) that a step delivers
// with the workers: below it, handing over costs more than it saves.
const minParallelTargets = 1024

// parts splits every target into n parts, part q of each being the neurons that worker q steps
// (Sim.stepGroups): [part(len, q, n), part(len, q+1, n)), whose ends are multiples of 64, so
// that no two workers write one cache line. Any split gives the same sums: each neuron's are
// made in one order.
type parts struct {
	targets []*target
	n       int
	own     []int // worker q owns part q
}

// StepRange delivers parts lo ≤ q < hi of every target (t and dt are unused).
func (p *parts) StepRange(lo, hi int, _, _ float64) {
	for _, t := range p.targets {
		n := t.len()
		for q := lo; q < hi; q++ {
			if a, b := part(n, q, p.n), part(n, q+1, p.n); a < b {
				t.StepRange(a, b, 0, 0)
			}
		}
	}
}

// StepRange delivers into neurons lo ≤ j < hi of the target the spikes that arrive at the
// step t.now (t and dt are unused: the signature is a Pool's).
func (t *target) StepRange(lo, hi int, _, _ float64) {
	if t.x32 != nil {
		stepRange(t, t.x32[lo:hi:hi], lo, lo == 0 && hi == len(t.x32))
		return
	}
	stepRange(t, t.x[lo:hi:hi], lo, lo == 0 && hi == len(t.x))
}

// value is the storage of a target: float64, or float32 for a group generated with -float32.
type value interface{ float32 | float64 }

// index is the storage of a Projection's targets.
type index interface{ uint16 | int32 }

// stepRange is StepRange into x, the target's neurons from lo (all of them when full): each
// event adds its weight rounded to the target's precision (float32(w) into a float32 target),
// in the target's arithmetic.
func stepRange[F value](t *target, x []F, lo int, full bool) {
	for _, dv := range t.deliveries {
		c := dv.c
		p := c.p
		d := int64(p.delay)
		if t.now < d {
			continue // spikes from before the first step: none
		}
		if c.kin != nil {
			t.kinetic(dv, lo, lo+len(x)) // kinetic.go
			continue
		}
		if c.apply != nil {
			t.applied(dv, lo, lo+len(x)) // eventfunc.go
			continue
		}
		row := c.pre.row(t.now - d)
		switch {
		case c.stp != nil && p.nb > 1:
			plasticBlocks(x, lo, full, row, p.post16, dv)
		case c.stp != nil && p.post16 != nil:
			plastic(x, lo, full, row, p.post16, dv)
		case c.stp != nil:
			plastic(x, lo, full, row, p.post32, dv)
		case dv.scale != 1 && p.nb > 1:
			scaledBlocks(x, lo, full, row, p.post16, dv)
		case dv.scale != 1 && p.post16 != nil:
			scaled(x, lo, full, row, p.post16, dv)
		case dv.scale != 1:
			scaled(x, lo, full, row, p.post32, dv)
		case p.nb > 1:
			deliverBlocks(x, lo, full, row, p.post16, p)
		case p.post16 != nil:
			deliver(x, lo, full, row, p.start, p.post16, p)
		default:
			deliver(x, lo, full, row, p.start, p.post32, p)
		}
	}
}

// deliver adds the weights of p's synapses from the spikes of row into x, the neurons from lo
// (all of them when full); start and post are p's rows, without blocks.
func deliver[T index, F value](x []F, lo int, full bool, row []uint64, start []int32, post []T, p *Projection) {
	w32, w64, w := p.w32, p.w64, F(p.w)
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			a, b := int(start[i]), int(start[i+1])
			if !full {
				a, b = rowPart(post, a, b, lo, lo+len(x))
			}
			switch {
			case w32 != nil:
				for q := a; q < b; q++ {
					x[int(post[q])-lo] += F(w32[q])
				}
			case w64 != nil:
				for q := a; q < b; q++ {
					x[int(post[q])-lo] += F(w64[q])
				}
			default:
				for _, j := range post[a:b] {
					x[int(j)-lo] += w
				}
			}
		}
	}
}

// deliverBlocks is deliver for a projection whose targets are in blocks: each spike's row is
// read segment by segment (one per block of targets: Projection.segments), each in order, so
// that the sums are made in the same order as deliver's.
func deliverBlocks[T index, F value](x []F, lo int, full bool, row []uint64, post []T, p *Projection) {
	w32, w64, w := p.w32, p.w64, F(p.w)
	hi := lo + len(x)
	starts, nb, blo, bhi := p.segments(lo, hi, full)
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			for r := i*nb + blo; r <= i*nb+bhi; r++ {
				base := (r - i*nb) << blockBits
				a, b := int(starts[r]), int(starts[r+1])
				if !full {
					a, b = rowPart(post, a, b, lo-base, hi-base)
				}
				off := base - lo
				switch {
				case w32 != nil:
					for q := a; q < b; q++ {
						x[off+int(post[q])] += F(w32[q])
					}
				case w64 != nil:
					for q := a; q < b; q++ {
						x[off+int(post[q])] += F(w64[q])
					}
				default:
					for _, j := range post[a:b] {
						x[off+int(j)] += w
					}
				}
			}
		}
	}
}

// scaled delivers one projection whose weights are scaled (a receptor's target of Scale ≠ 1)
// into x as deliver does, in the same order.
func scaled[T index, F value](x []F, lo int, full bool, row []uint64, post []T, dv delivery) {
	p := dv.c.p
	start := p.start
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			a, b := int(start[i]), int(start[i+1])
			if !full {
				a, b = rowPart(post, a, b, lo, lo+len(x))
			}
			for q := a; q < b; q++ {
				w := p.Weight(q)
				x[int(post[q])-lo] += F(float64(dv.scale * w)) // rounded: no fused multiply–add
			}
		}
	}
}

// scaledBlocks is scaled for a projection whose targets are in blocks, segment by segment
// as deliverBlocks reads them.
func scaledBlocks[T index, F value](x []F, lo int, full bool, row []uint64, post []T, dv delivery) {
	p := dv.c.p
	hi := lo + len(x)
	starts, nb, blo, bhi := p.segments(lo, hi, full)
	for wi, word := range row {
		for word != 0 {
			i := wi<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			for r := i*nb + blo; r <= i*nb+bhi; r++ {
				base := (r - i*nb) << blockBits
				a, b := int(starts[r]), int(starts[r+1])
				if !full {
					a, b = rowPart(post, a, b, lo-base, hi-base)
				}
				off := base - lo
				for q := a; q < b; q++ {
					w := p.Weight(q)
					x[off+int(post[q])] += F(float64(dv.scale * w)) // rounded: no fused multiply–add
				}
			}
		}
	}
}

// rowPart returns the part [a', b') of the sorted row post[a:b] whose targets j have
// lo ≤ j < hi: where the row's first target is not below lo, or its last is below hi, there is
// no bound to search for (a worker's part of the neurons starts at 0 or ends at the last).
func rowPart[T index](post []T, a, b, lo, hi int) (int, int) {
	if a < b && int(post[a]) < lo {
		a = searchRow(post, a, b, lo)
	}
	if a < b && int(post[b-1]) >= hi {
		b = searchRow(post, a, b, hi)
	}
	return a, b
}

// searchRow returns the first q in [a, b) with post[q] ≥ j, or b.
func searchRow[T index](post []T, a, b int, j int) int {
	for a < b {
		m := int(uint(a+b) >> 1)
		if int(post[m]) < j {
			a = m + 1
		} else {
			b = m
		}
	}
	return a
}

// AddPoisson adds a Poisson input named name (an ASCII identifier, not the name of a group, a
// state's prefix or another input) into the per-neuron state target of group (VarOf, float64 or float32, or
// else a state added with AddState of one value per neuron): at every step,
// each neuron i receives a number of events drawn from the Poisson distribution of mean
// rate_i·dt (rate in Hz, dt in ms/1000), and each event adds weight to its target state, in the
// synapse phase after the projections (see the network comment). rates holds one rate for
// every neuron or one per neuron (finite, ≥ 0); the Poisson keeps a copy.
//
// Its draws are its own: the source is rand.NewPCG(seed, stream), and at each step the neurons
// draw in order, each one uniform u = (x>>11)·2^−53 for the source's next x, and the count is
// the least k with u < F(k), F the Poisson distribution function summed term by term
// (p_0 = e^−λ with the runtime's Exp, p_k = p_(k−1)·λ/k). A neuron of rate 0 draws nothing.
// The draws do not depend on the number of workers (they are made in the calling goroutine);
// state files hold the source's state, so that a resumed run draws what the straight run would.
func (s *Sim) AddPoisson(name, group, targetVar string, rates []float64, weight float64, seed, stream uint64) (*Poisson, error) {
	return s.addPoisson(name, group, targetVar, rates, weight, seed, stream, func(Group, string) ([]scaledVar, error) {
		return []scaledVar{{targetVar, 1}}, nil
	})
}

// AddPoissonReceptor is AddPoisson into a receptor of group, as its Model's Receptors describe
// it: each event adds Scale·weight to each of the receptor's targets (weight itself where Scale
// is 1), weight in the receptor's WeightUnit.
func (s *Sim) AddPoissonReceptor(name, group, receptor string, rates []float64, weight float64, seed, stream uint64) (*Poisson, error) {
	if g := s.Group(group); g != nil {
		if r := g.Model().Receptor(receptor); r != nil && r.Kinetic != nil {
			return s.addPoissonKinetic(name, group, receptor, rates, weight, seed, stream, g, r.Kinetic) // kinetic.go
		}
		if r := g.Model().Receptor(receptor); r != nil && r.Apply != nil {
			return s.addPoissonApplied(name, group, receptor, rates, weight, seed, stream, g, r) // eventfunc.go
		}
	}
	return s.addPoisson(name, group, "receptor:"+receptor, rates, weight, seed, stream, func(g Group, what string) ([]scaledVar, error) {
		return receptorVars(g, group, receptor, what)
	})
}

// addPoisson is AddPoisson and AddPoissonReceptor: label names the target in messages and
// metadata, and vars lists the states to add into.
func (s *Sim) addPoisson(name, group, label string, rates []float64, weight float64, seed, stream uint64, vars func(Group, string) ([]scaledVar, error)) (*Poisson, error) {
	what := fmt.Sprintf("Poisson input %s (into %s.%s)", name, group, label)
	if err := s.checkInputName(name, what); err != nil {
		return nil, err
	}
	g := s.Group(group)
	if g == nil {
		return nil, fmt.Errorf("%s: no group %s in the sim", what, group)
	}
	vs, err := vars(g, what)
	if err != nil {
		return nil, err
	}
	xs, err := s.resolve(g, group, what, vs)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(weight) || math.IsInf(weight, 0) {
		return nil, fmt.Errorf("%s: weight %g is not a finite number", what, weight)
	}
	if len(rates) != 1 && len(rates) != g.Len() {
		return nil, fmt.Errorf("%s: %d rates for %d neurons: give one, or one per neuron", what, len(rates), g.Len())
	}
	p := &Poisson{name: name, group: group, target: label, x: xs[0].F64, w: weight, dt: s.clock.Dt, seed: seed, stream: stream,
		src: rand.NewPCG(seed, stream)}
	if len(vs) > 1 || vs[0].scale != 1 || xs[0].F64 == nil {
		p.x = nil
		for k := range vs {
			p.xs = append(p.xs, xs[k])
			p.scales = append(p.scales, vs[k].scale)
		}
	}
	if err := p.setRates(rates, g.Len()); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	s.inputs = append(s.inputs, p)
	return p, nil
}

// SetRates sets the rates, in Hz: one for every neuron, or one per neuron (finite, ≥ 0), from
// the next step on, for rates that vary in time. Rates are not part of the state that state
// files hold (as a projection's weights are not): a resumed run sets them as the straight
// run did. It allocates nothing.
func (p *Poisson) SetRates(rates []float64) error {
	if len(rates) != 1 && len(rates) != len(p.rate) {
		return fmt.Errorf("Poisson input %s: %d rates for %d neurons: give one, or one per neuron", p.name, len(rates), len(p.rate))
	}
	if err := p.setRates(rates, len(p.rate)); err != nil {
		return fmt.Errorf("Poisson input %s: %w", p.name, err)
	}
	return nil
}

// setRates sets the rates (one or n).
func (p *Poisson) setRates(rates []float64, n int) error {
	for i, r := range rates {
		if !(r >= 0) || math.IsInf(r, 1) {
			return fmt.Errorf("rate %g Hz (neuron %d) is not zero or positive and finite", r, i)
		}
	}
	if len(p.rate) != n {
		p.rate = make([]float64, n)
		p.lam = make([]float64, n)
		p.emlam = make([]float64, n)
	}
	for i := range n {
		r := rates[0]
		if len(rates) == n {
			r = rates[i]
		}
		p.rate[i] = r
		p.lam[i] = r * p.dt / 1000
		p.emlam[i] = Exp(-p.lam[i])
	}
	return nil
}

// poissonMaxCount bounds the events of one neuron in one step, so that a uniform draw at the
// far end of [0, 1) ends the sum even where rounding keeps F below it.
const poissonMaxCount = 1 << 16

// count draws the number of events of neuron i, of mean lam, in one step.
func (p *Poisson) count(i int, lam float64) int {
	u := float64(p.src.Uint64()>>11) * 0x1p-53
	pk := p.emlam[i]
	f := pk
	k := 0
	for u >= f && k < poissonMaxCount {
		k++
		pk = float64(pk*lam) / float64(k)
		if pk == 0 {
			break
		}
		f += pk
	}
	return k
}

// step draws and adds the events of step n.
func (p *Poisson) step(n int64) {
	if p.kin != nil {
		p.kineticStep(n) // kinetic.go
		return
	}
	if p.apply != nil {
		p.appliedStep() // eventfunc.go
		return
	}
	x := p.x
	if p.xs == nil {
		x = x[:len(p.lam)]
	}
	for i, lam := range p.lam {
		if lam == 0 {
			continue
		}
		if k := p.count(i, lam); k > 0 {
			w := float64(float64(k) * p.w) // rounded: no fused multiply–add
			if p.xs == nil {
				x[i] += w
				continue
			}
			for q, y := range p.xs {
				v := w
				if sc := p.scales[q]; sc != 1 {
					v = float64(sc * w)
				}
				if y.F32 != nil {
					y.F32[i] += float32(v) // in the target's precision
				} else {
					y.F64[i] += v
				}
			}
		}
	}
}

// reset puts the input's source back to its seed.
func (p *Poisson) reset() {
	p.src.Seed(p.seed, p.stream)
	if p.kin != nil {
		p.kin.reset()
	}
}

// Rates returns a copy of the rates, Hz per neuron.
func (p *Poisson) Rates() []float64 { return slices.Clone(p.rate) }
