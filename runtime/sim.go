package runtime

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// Recorder is called after every step of a Sim, once the groups have stepped and the delay
// lines have been pushed; monitors implement it. step is the index of the step just made (0 for
// the first) and t its end time, (step+1)·dt in ms.
type Recorder interface {
	Record(step int64, t float64)
}

// Sim runs named groups on one clock, with their delay lines and recorders, and the network
// that couples them: projections (Connect) deliver spikes into per-neuron states such as a
// receptor's conductance, and Poisson inputs (AddPoisson) drive them; see network.go's
// comment for the order within a step. Current inputs (AddCurrent, AddStep, AddRamp,
// AddWaveform, AddOU; current.go) set the Input of the groups they drive at the start of each
// step. Other synaptic currents can be plain Go between steps:
// read the delay lines, write each group's Input, then Step (see the example). Every group steps with the Sim's dt. A Sim is not safe for concurrent use.
//
// Groups step in the calling goroutine unless SetWorkers gives the Sim a Pool of workers: each
// worker then owns a part of every group's neurons, the same at every step (see stepGroups),
// and the workers step all the groups in one hand-over, groups at the same time, with results
// bit for bit those of the serial steps whatever the number of workers. A group's Step must
// therefore not read another group's state (groups are coupled by the network, delay lines and
// the code between steps). The workers also deliver the spikes and push the delay lines (when
// they hold many values), each its own neurons; recorders and the code between steps stay in
// the calling goroutine. Close stops the workers of a Sim no longer needed.
type Sim struct {
	clock     Clock
	names     []string
	groups    []Group
	delays    []*Delay
	spikes    []*SpikeDelay
	states    []userState
	recorders []Recorder
	pool      *Pool // nil: the groups step in the calling goroutine

	// The network (network.go): projections, their targets and presynaptic spike histories,
	// and the Poisson inputs.
	conns     []*conn
	targets   []*target
	histories []*history
	inputs    []*Poisson
	currents  []*Current // current inputs (current.go), in the order added
	parts     parts      // the targets' split between workers, during a step
	units     units      // the groups' split between workers, during a step
	lines     lineParts  // the delay lines' split between workers, during a step
	stpParts  stpParts   // the plasticity updates' split between workers, during a step

	checkEvery int64 // steps between checks for non-finite values (SetFiniteCheck); 0: off
	finiteStep int64 // the step count of the last check that passed; -1: none
}

// isNil reports whether g is nil, or an interface holding a nil pointer, map, slice, func or
// channel.
func isNil(g Group) bool {
	if g == nil {
		return true
	}
	switch v := reflect.ValueOf(g); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return v.IsNil()
	}
	return false
}

// sameGroup reports whether a and b are the same group: equal pointers (or equal values of a
// comparable type).
func sameGroup(a, b Group) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

// userState is a slice of the user's state that the Sim saves, loads and resets (AddState).
type userState struct {
	name   string
	values []float64
	init   []float64 // the values at AddState, which Reset restores
}

// NewSim returns a Sim with no groups whose clock is at step 0 and steps dt ms (positive and
// finite).
func NewSim(dt float64) (*Sim, error) {
	if !(dt > 0) || math.IsInf(dt, 1) {
		return nil, fmt.Errorf("time step %g ms is not positive and finite", dt)
	}
	return &Sim{clock: Clock{Dt: dt}, checkEvery: DefaultFiniteCheck, finiteStep: -1}, nil
}

// Add adds g to the Sim under name, an ASCII identifier (letters, digits and `_`, not starting
// with a digit) not used by another group of the Sim. Groups step in the order added. Add
// refuses a nil g, a typed nil such as (*hh52.Group)(nil) included, and a group that the Sim
// holds already under another name (it would step twice per step).
func (s *Sim) Add(name string, g Group) error {
	if !isIdentifier(name) {
		return fmt.Errorf("group name %q is not an ASCII identifier (letters, digits and _, not starting with a digit)", name)
	}
	if g == nil {
		return fmt.Errorf("group %s is nil", name)
	}
	if isNil(g) {
		return fmt.Errorf("group %s is a nil %T", name, g)
	}
	if s.Group(name) != nil {
		return fmt.Errorf("group name %s is already in use", name)
	}
	for i, h := range s.groups {
		if sameGroup(g, h) {
			return fmt.Errorf("group %s is the group %s, added already: a group steps once per step (make another with New)", name, s.names[i])
		}
	}
	for _, u := range s.states {
		if stateGroup(u.name) == name {
			return fmt.Errorf("group name %s is the prefix of the state %s added with AddState", name, u.name)
		}
	}
	if s.hasInput(name) {
		return fmt.Errorf("group name %s is the name of an input", name)
	}
	s.names = append(s.names, name)
	s.groups = append(s.groups, g)
	return nil
}

// AddState adds values, a slice of the user's own state (a synaptic conductance, a plastic
// weight, an adaptation current written in plain Go), to the state of the Sim: Save writes it
// into state files as the float64 array name, Load verifies it (the same name and length, finite
// values) and copies the file's values into it with everything else, and Reset restores the
// values it held when AddState was called. The Sim keeps values, not a copy: write the state in
// place, never append to it or replace the slice.
//
// name is one or more ASCII identifiers joined by dots, such as "syn.g" or "e2i.weight"; its
// first identifier may not be the name of a group of the Sim (state files hold the group's arrays
// under GROUP.…), nor may name be that of another state. The values must be finite whenever the
// state is saved. AddState allocates a copy of values for Reset; the Sim's steps allocate nothing.
func (s *Sim) AddState(name string, values []float64) error {
	for part := range strings.SplitSeq(name, ".") {
		if !isIdentifier(part) {
			return fmt.Errorf("state name %q is not ASCII identifiers joined by dots, such as syn.g", name)
		}
	}
	switch {
	case name == metaName:
		return fmt.Errorf("state name %s is reserved for the metadata of state files", name)
	case s.Group(stateGroup(name)) != nil:
		return fmt.Errorf("state name %s: %s is a group of the sim, whose arrays are named %s.…; choose another prefix", name, stateGroup(name), stateGroup(name))
	case values == nil:
		return fmt.Errorf("state %s is nil", name)
	}
	for _, u := range s.states {
		if u.name == name {
			return fmt.Errorf("state name %s is already in use", name)
		}
	}
	s.states = append(s.states, userState{name: name, values: values, init: slices.Clone(values)})
	return nil
}

// stateGroup is the first identifier of a state's name.
func stateGroup(name string) string {
	g, _, _ := strings.Cut(name, ".")
	return g
}

// State returns the values added under name with AddState, or nil.
func (s *Sim) State(name string) []float64 {
	for _, u := range s.states {
		if u.name == name {
			return u.values
		}
	}
	return nil
}

// StateNames returns the names of the states added with AddState, in the order added.
func (s *Sim) StateNames() []string {
	var out []string
	for _, u := range s.states {
		out = append(out, u.name)
	}
	return out
}

// isIdentifier reports whether name is an ASCII identifier.
func isIdentifier(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return name != ""
}

// Group returns the group added under name, or nil.
func (s *Sim) Group(name string) Group {
	for i, n := range s.names {
		if n == name {
			return s.groups[i]
		}
	}
	return nil
}

// Names returns the names of the groups, in the order added.
func (s *Sim) Names() []string { return append([]string(nil), s.names...) }

// Clock returns the Sim's clock: its step count and dt. Clock().T() is the present time.
func (s *Sim) Clock() Clock { return s.clock }

// Dt is the time step in ms.
func (s *Sim) Dt() float64 { return s.clock.Dt }

// T is the present time in ms: the number of steps made times dt.
func (s *Sim) T() float64 { return s.clock.T() }

// NewDelay makes a delay line over the variable of group that Group.Var returns (V, a gate
// "Na.m", a concentration "Ca_i", a per-neuron parameter) holding up to maxDelay ms, which is
// rounded up to a whole number of steps, at least one (a maxDelay within a relative 1e-9 of a
// whole number of steps is that number). Reads of steps before the line's history return init,
// a finite number. A variable has at most one line (make it as long as its longest use needs).
//
// The line records the slice Group.Var returns now; groups keep their slices for life.
func (s *Sim) NewDelay(group, variable string, maxDelay, init float64) (*Delay, error) {
	g := s.Group(group)
	if g == nil {
		return nil, fmt.Errorf("delay line %s.%s: no group %s in the sim", group, variable, group)
	}
	src, ok := VarOf(g, variable)
	if !ok {
		return nil, fmt.Errorf("delay line %s.%s: group %s (model %s) has no per-neuron variable %s", group, variable, group, g.Model().Name, variable)
	}
	if src.Len() != g.Len() {
		return nil, fmt.Errorf("delay line %s.%s: the variable has %d values for %d neurons", group, variable, src.Len(), g.Len())
	}
	if math.IsNaN(init) || math.IsInf(init, 0) {
		return nil, fmt.Errorf("delay line %s.%s: initial value %g is not a finite number", group, variable, init)
	}
	steps, err := s.maxSteps("delay line "+group+"."+variable, maxDelay, src.Len())
	if err != nil {
		return nil, err
	}
	for _, l := range s.delays {
		if l.group == group && l.name == variable {
			return nil, fmt.Errorf("delay line %s.%s: the variable already has a delay line (of %g ms); make one line as long as the longest delay", group, variable, l.MaxDelay())
		}
	}
	l := newDelay(group, variable, src, steps, s.clock.Dt, init)
	s.delays = append(s.delays, l)
	return l, nil
}

// NewSpikeDelay makes a delay line over the spike flags of group (Group.Spiked) holding up to
// maxDelay ms, rounded up to a whole number of steps as for NewDelay. A group has at most one
// spike line.
func (s *Sim) NewSpikeDelay(group string, maxDelay float64) (*SpikeDelay, error) {
	g := s.Group(group)
	if g == nil {
		return nil, fmt.Errorf("spike delay line %s: no group %s in the sim", group, group)
	}
	src := g.Spiked()
	if len(src) != g.Len() {
		return nil, fmt.Errorf("spike delay line %s: the group has %d spike flags for %d neurons", group, len(src), g.Len())
	}
	steps, err := s.maxSteps("spike delay line "+group, maxDelay, len(src))
	if err != nil {
		return nil, err
	}
	for _, l := range s.spikes {
		if l.group == group {
			return nil, fmt.Errorf("spike delay line %s: the group already has one (of %g ms); make one line as long as the longest delay", group, l.MaxDelay())
		}
	}
	l := newSpikeDelay(group, src, steps, s.clock.Dt)
	s.spikes = append(s.spikes, l)
	return l, nil
}

// maxSteps converts the maximum delay of a line of n neurons to steps, rounding up.
func (s *Sim) maxSteps(what string, maxDelay float64, n int) (int, error) {
	dt := s.clock.Dt
	if !(maxDelay > 0) || math.IsInf(maxDelay, 1) {
		return 0, fmt.Errorf("%s: maximum delay %g ms is not positive and finite", what, maxDelay)
	}
	r := maxDelay / dt
	steps := math.Round(r)
	if math.Abs(r-steps) > stepTolerance*max(1, steps) {
		steps = math.Ceil(r)
	}
	if steps*float64(max(n, 1)) > float64(maxElems) {
		return 0, fmt.Errorf("%s: maximum delay %g ms is %.0f steps of %g ms, too many to store for %d neurons", what, maxDelay, steps, dt, n)
	}
	return int(steps), nil
}

// AddRecorder adds r, to be called after every step, after the recorders added before it.
func (s *Sim) AddRecorder(r Recorder) { s.recorders = append(s.recorders, r) }

// SetWorkers sets the number of workers that step the groups, the calling goroutine included:
// n−1 goroutines are started now and live until Close or the next SetWorkers. With 1, the
// default, groups step in the calling goroutine, as they do in a Sim of at most ChunkSize
// neurons in all. The result of a step does not depend on n. It fails when n < 1.
func (s *Sim) SetWorkers(n int) error {
	if n < 1 {
		return fmt.Errorf("%d workers: a sim needs at least one", n)
	}
	if n == s.Workers() {
		return nil
	}
	s.Close()
	if n > 1 {
		p, err := NewPool(n)
		if err != nil {
			return err
		}
		s.pool = p
	}
	return nil
}

// Workers returns the number of workers that step the groups: 1 unless SetWorkers set more.
func (s *Sim) Workers() int {
	if s.pool == nil {
		return 1
	}
	return s.pool.Workers()
}

// Close stops the worker goroutines that SetWorkers started; the Sim then steps its groups in
// the calling goroutine, as with one worker, and stays usable. Closing a Sim again does nothing.
func (s *Sim) Close() {
	if s.pool != nil {
		s.pool.Close()
		s.pool = nil
	}
}

// Step makes one step: first the current inputs (AddCurrent, AddStep, AddRamp, AddWaveform,
// AddOU) set the Input() of the groups they drive to their values at the present time t (see
// current.go's comment), then every group's Step(t, dt) from t, in the order the
// groups were added (with more than one worker (SetWorkers), all the groups at once, each
// split between the workers), then the
// network's synapse phase (Connect, AddPoisson: the spikes of the step are recorded and the
// projections and inputs deliver into their targets, split over the workers by postsynaptic
// neuron), then every delay line's Push, then every recorder's Record, then the clock advances. When the check for
// non-finite values is due (SetFiniteCheck), it then checks the state and returns the
// *NonFiniteError of the first NaN or infinity, if any; the step is made all the same. It
// allocates nothing.
func (s *Sim) Step() error {
	t, dt := s.clock.T(), s.clock.Dt
	if len(s.currents) > 0 {
		s.drive(s.clock.Step)
	}
	network := len(s.histories) > 0 || len(s.inputs) > 0
	recorded := false
	neurons := 0
	for _, g := range s.groups {
		neurons += g.Len()
	}
	if s.pool != nil && neurons > minParallelNeurons {
		if network {
			s.fitHistories() // before the workers record the spikes into the histories
		}
		s.stepGroups(t, dt)
		recorded = true
	} else {
		for _, g := range s.groups {
			g.Step(t, dt)
		}
	}
	if network {
		s.propagate(s.clock.Step, recorded)
	}
	s.pushLines()
	if len(s.recorders) > 0 {
		step := s.clock.Step
		t := float64(step+1) * dt // the clock's T once it has advanced
		for _, r := range s.recorders {
			r.Record(step, t)
		}
	}
	s.clock.Advance()
	if s.checkDue(s.clock.Step - 1) {
		return s.CheckFinite()
	}
	return nil
}

// stepGroups steps every group from t to t+dt with the workers, in one hand-over. Worker w of
// W owns the same neurons of each group at every step, part w: neurons [b(w), b(w+1)) with
// b(w) = ⌊n·w/W⌋ rounded down to a multiple of 64 (n the group's size), so that their state
// stays in its core's cache; the projections deliver into the same parts (network.go). A part is
// cut into pieces, each stepped with StepRange and followed by the recording of its spikes into
// the group's spike history, if it has one: chunks of ChunkSize, then the last ChunkSize
// neurons or fewer in pieces of ChunkSize/4, which a worker done with its own pieces takes from
// the end of another's. A group of at most 64 neurons is one piece, stepped with Step, owned
// by worker i mod W for group i. Pieces start at multiples of 64 neurons and so own their words
// of a history row.
func (s *Sim) stepGroups(t, dt float64) {
	u := &s.units
	u.t, u.dt, u.k = t, dt, s.clock.Step
	u.pieces, u.own = u.pieces[:0], u.own[:0]
	workers := s.pool.Workers()
	for w := range workers {
		u.own = append(u.own, len(u.pieces))
		for i, g := range s.groups {
			n := g.Len()
			if n <= 64 {
				if i%workers == w {
					u.pieces = append(u.pieces, piece{g: g, hi: n, whole: true, h: s.spikeHistory(i)})
				}
				continue
			}
			lo, hi := part(n, w, workers), part(n, w+1, workers)
			h := s.spikeHistory(i)
			for ; hi-lo > ChunkSize; lo += ChunkSize {
				u.pieces = append(u.pieces, piece{g: g, lo: lo, hi: lo + ChunkSize, h: h})
			}
			for ; lo < hi; lo += ChunkSize / 4 {
				u.pieces = append(u.pieces, piece{g: g, lo: lo, hi: min(lo+ChunkSize/4, hi), h: h})
			}
		}
	}
	u.own = append(u.own, len(u.pieces))
	s.pool.runOwned(u, u.own)
	for _, g := range s.groups {
		if g.Len() > 64 {
			g.SetNow(t + dt)
		}
	}
	clear(u.pieces) // hold no reference to the groups between steps
}

// part returns the first neuron of part w of n neurons split between workers workers: n for
// w = workers, else ⌊n·w/workers⌋ rounded down to a multiple of 64.
func part(n, w, workers int) int {
	if w == workers {
		return n
	}
	return n * w / workers &^ 63
}

// minParallelNeurons is the most neurons (summed over the groups) that a Sim with workers steps
// in the calling goroutine: below it, handing over costs more than it saves.
const minParallelNeurons = ChunkSize

// pushLines pushes every delay line and spike line. With workers, and lines of at least
// minParallelPush values in all, each worker copies the part of every line that it steps (the
// neurons of stepGroups's part), then the lines advance.
func (s *Sim) pushLines() {
	total := 0
	for _, l := range s.delays {
		total += l.n
	}
	for _, l := range s.spikes {
		total += l.n
	}
	if s.pool == nil || total < minParallelPush {
		for _, l := range s.delays {
			l.Push()
		}
		for _, l := range s.spikes {
			l.Push()
		}
		return
	}
	p := &s.lines
	p.delays, p.spikes, p.n = s.delays, s.spikes, s.pool.Workers()
	p.own = p.own[:0]
	for q := range p.n + 1 {
		p.own = append(p.own, q)
	}
	s.pool.runOwned(p, p.own)
	for _, l := range s.delays {
		l.advance()
	}
	for _, l := range s.spikes {
		l.advance()
	}
	p.delays, p.spikes = nil, nil
}

// minParallelPush is the fewest values (summed over the delay and spike lines) that the
// workers push: below it, handing over costs more than it saves.
const minParallelPush = 1 << 14

// lineParts splits the pushes of the lines into n parts, part q of each line being neurons
// [part(len, q, n), part(len, q+1, n)).
type lineParts struct {
	delays []*Delay
	spikes []*SpikeDelay
	n      int
	own    []int // worker q owns part q
}

// StepRange pushes parts lo ≤ q < hi of every line (t and dt are unused).
func (p *lineParts) StepRange(lo, hi int, _, _ float64) {
	for q := lo; q < hi; q++ {
		for _, l := range p.delays {
			l.pushRange(part(l.n, q, p.n), part(l.n, q+1, p.n))
		}
		for _, l := range p.spikes {
			l.pushRange(part(l.n, q, p.n), part(l.n, q+1, p.n))
		}
	}
}

// spikeHistory returns the spike history of group i, or nil.
func (s *Sim) spikeHistory(i int) *history {
	for _, h := range s.histories {
		if h.group == s.names[i] {
			return h
		}
	}
	return nil
}

// units is the work of stepGroups: pieces of groups, each stepped by one worker.
type units struct {
	pieces []piece
	own    []int // worker w owns pieces own[w] ≤ q < own[w+1]
	t, dt  float64
	k      int64 // the step
}

// piece is a group's neurons [lo, hi), or the whole group (stepped with Step), and the
// group's spike history (or nil).
type piece struct {
	g      Group
	lo, hi int
	whole  bool
	h      *history
}

// StepRange steps pieces lo ≤ q < hi and records their spikes (t and dt are u's).
func (u *units) StepRange(lo, hi int, _, _ float64) {
	for _, p := range u.pieces[lo:hi] {
		if p.whole {
			p.g.Step(u.t, u.dt)
		} else {
			p.g.StepRange(p.lo, p.hi, u.t, u.dt)
		}
		if p.h != nil {
			p.h.recordRange(u.k, p.lo, p.hi)
		}
	}
}

// Run makes steps steps (none when steps ≤ 0). With the check for non-finite values on
// (SetFiniteCheck), it first checks every group's parameters (CheckParams: a value written
// into a group's Params directly is refused here, with a *ParamError, before any step), stops
// at the first check that finds a NaN or an infinity and returns its *NonFiniteError, and it
// checks the state at its end.
func (s *Sim) Run(steps int) error {
	if s.checkEvery > 0 && steps > 0 {
		// A parameter that no step can use is an error before the first step, not a NaN later.
		for i, g := range s.groups {
			if e := checkParams(s.names[i], g); e != nil {
				return e
			}
		}
	}
	for range steps {
		if err := s.Step(); err != nil {
			return err
		}
	}
	if s.checkEvery > 0 && s.finiteStep != s.clock.Step {
		return s.CheckFinite()
	}
	return nil
}

// Reset puts every group in its initial state (Group.Reset), empties every delay line and spike
// history, puts every Poisson input's random source back to its seed (and every OU input's,
// drawing its start again), restores every state added with AddState to its values then, puts
// every projection's short-term plasticity and kinetic synapses at rest, and puts the clock
// back to step 0.
// Recorders keep what they have recorded.
func (s *Sim) Reset() {
	for _, g := range s.groups {
		g.Reset()
	}
	for _, l := range s.delays {
		l.Reset()
	}
	for _, l := range s.spikes {
		l.Reset()
	}
	for _, u := range s.states {
		copy(u.values, u.init)
	}
	for _, h := range s.histories {
		clear(h.bits)
	}
	for _, p := range s.inputs {
		p.reset()
	}
	for _, c := range s.conns {
		if c.stp != nil {
			c.stp.reset()
		}
		if c.kin != nil {
			c.kin.reset()
		}
	}
	for _, c := range s.currents {
		c.reset()
	}
	s.clock.Step = 0
	s.finiteStep = -1
}
