package runtime

import (
	"fmt"
	"math"
)

// line is what Delay and SpikeDelay share: the ring's geometry, its head and count of pushes.
type line struct {
	group, name string  // the group's name in the Sim, and the variable ("spiked" for spikes)
	n           int     // values per row: the group's size
	max         int     // rows: the maximum delay in steps
	dt          float64 // the Sim's time step, ms
	head        int     // the row the next Push writes; the latest push is row head−1
	pushes      int64   // pushes since the line was made or last Reset
}

// Len is the number of neurons: values per row.
func (l *line) Len() int { return l.n }

// MaxSteps is the longest delay the line holds, in steps.
func (l *line) MaxSteps() int { return l.max }

// MaxDelay is the longest delay the line holds, in ms: MaxSteps·dt.
func (l *line) MaxDelay() float64 { return float64(l.max) * l.dt }

// Pushes is the number of steps the line has recorded since it was made or last Reset.
func (l *line) Pushes() int64 { return l.pushes }

// Name is the line's name in state files, "GROUP.VAR" ("GROUP.spiked" for spikes).
func (l *line) Name() string { return l.group + "." + l.name }

// slot returns the ring row that holds the values d steps ago, panicking when d is not in
// [1, max] with a message that names fn, the method called.
func (l *line) slot(fn string, d int) int {
	if uint(d-1) >= uint(l.max) {
		l.badDelay(fn, d)
	}
	s := l.head - d
	if s < 0 {
		s += l.max
	}
	return s
}

// badDelay panics for a delay outside [1, max].
func (l *line) badDelay(fn string, d int) {
	panic(fmt.Sprintf("runtime: %s: delay line %s: delay of %d steps is outside [1, %d]", fn, l.Name(), d, l.max))
}

// badNeuron panics for a neuron index outside [0, n).
func (l *line) badNeuron(fn string, i int) {
	panic(fmt.Sprintf("runtime: %s: delay line %s: neuron %d is outside [0, %d)", fn, l.Name(), i, l.n))
}

// checkIndexLen panics unless d (when nd is not negative) and dst both have at least len(idx)
// elements: the reads by index set write dst[k] for every k of idx and never beyond len(dst).
func (l *line) checkIndexLen(fn string, nidx, nd, ndst int) {
	if ndst < nidx || nd >= 0 && nd < nidx {
		what := fmt.Sprintf("%d values", ndst)
		if nd >= 0 {
			what = fmt.Sprintf("%d delays into %d values", nd, ndst)
		}
		panic(fmt.Sprintf("runtime: %s: delay line %s: %d indices with %s, want at least %d of each", fn, l.Name(), nidx, what, nidx))
	}
}

// advance moves the head on after a push.
func (l *line) advance() {
	l.head++
	if l.head == l.max {
		l.head = 0
	}
	l.pushes++
}

// clear puts the head at row 0 with no pushes.
func (l *line) clear() {
	l.head = 0
	l.pushes = 0
}

// Steps converts a delay in ms to a whole number of steps. It fails when the delay is not a
// finite number, is negative, is zero or shorter than one step, is longer than the line's
// maximum, or is not a whole number of steps: delay/dt must be within a relative 1e-9 of a
// whole number (the tolerance of the package's Steps), so that with dt = 0.1 ms Steps(0.3) is 3
// although 0.3/0.1 is 2.9999999999999996, and Steps(0.25) is an error.
func (l *line) Steps(delay float64) (int, error) {
	r, err := l.ratio(delay)
	if err != nil {
		return 0, err
	}
	n := math.Round(r)
	whole := math.Abs(r-n) <= stepTolerance*max(1, n)
	switch {
	case r < 1-stepTolerance:
		return 0, fmt.Errorf("delay %g ms is shorter than one step of %g ms", delay, l.dt)
	case r > float64(l.max)*(1+stepTolerance):
		return 0, fmt.Errorf("delay %g ms is longer than the line's maximum of %g ms (%d steps of %g ms)",
			delay, l.MaxDelay(), l.max, l.dt)
	case !whole:
		return 0, fmt.Errorf("delay %g ms is not a whole number of steps of %g ms", delay, l.dt)
	}
	return int(n), nil
}

// StepsNearest converts a delay in ms to the nearest whole number of steps, rounding halves up;
// delay/dt is first nudged up by the relative 1e-9 of Steps, so that 0.15 ms at dt = 0.1 ms
// (0.15/0.1 is 1.4999999999999998) is 2 steps. It fails, as Steps does, when the delay is not
// finite, is negative or is zero, and when the rounded count is below one step or above the
// line's maximum.
func (l *line) StepsNearest(delay float64) (int, error) {
	r, err := l.ratio(delay)
	if err != nil {
		return 0, err
	}
	n := math.Floor(r + 0.5 + stepTolerance*max(1, r))
	switch {
	case n < 1:
		return 0, fmt.Errorf("delay %g ms rounds to 0 steps of %g ms: the shortest delay is one step", delay, l.dt)
	case n > float64(l.max):
		return 0, fmt.Errorf("delay %g ms rounds to %.0f steps of %g ms, longer than the line's maximum of %g ms (%d steps)",
			delay, n, l.dt, l.MaxDelay(), l.max)
	}
	return int(n), nil
}

// ratio returns delay/dt for a positive, finite delay.
func (l *line) ratio(delay float64) (float64, error) {
	switch {
	case math.IsNaN(delay) || math.IsInf(delay, 0):
		return 0, fmt.Errorf("delay %g ms is not a finite number", delay)
	case delay < 0:
		return 0, fmt.Errorf("delay %g ms is negative", delay)
	case delay == 0:
		return 0, fmt.Errorf("delay 0 ms is zero: the shortest delay is one step of %g ms", l.dt)
	}
	return delay / l.dt, nil
}

// Delay is a delay line over a float64 per-neuron variable of a group: it keeps the variable's
// recent history so that code between steps can read it as it was some steps ago. Its variable
// is anything Group.Var returns: V, a gate such as "Na.m", a concentration such as "Ca_i", a
// per-neuron parameter. SpikeDelay is the same over the spike flags (Group.Spiked). A Sim makes
// both (Sim.NewDelay, Sim.NewSpikeDelay) and pushes them after every step.
//
// Semantics, exactly. Steps are numbered from 0. Push is called after every step (Sim.Step
// calls it once every group has stepped) and records the values that step produced. At the
// start of step k, before it runs, a read with delay d steps (1 ≤ d ≤ MaxSteps) returns what
// step k−d produced:
//
//   - a spike emitted at step s (Spiked()[i] true after step s) is read with delay d at exactly
//     step s+d, and at no other step;
//   - V read with delay d is V at the end of step k−d; with d = 1 it is V as it is now, before
//     step k runs;
//   - when step k−d never happened (k−d < 0), or happened before the line was made or last
//     Reset, the read returns the line's initial value: the init given to Sim.NewDelay, false
//     for spikes.
//
// Pushes counts the steps a line has recorded. For a line made before the first step it is the
// clock's step count: at the start of step k, Pushes() == k.
//
// Delays in time: Steps converts a delay in ms to steps and insists on a whole number of steps;
// StepsNearest rounds to the nearest. Both refuse a delay shorter than one step or longer than
// the line's maximum.
//
// Storage is a ring of MaxSteps rows of Len values (MaxSteps·Len values in all), filled with the
// initial value by Reset. Push and every read allocate nothing. A read with a delay outside
// [1, MaxSteps], a neuron index outside [0, Len) or a destination too short panics, as an index
// out of range does.
type Delay struct {
	line
	src  VarView   // the variable, as VarOf returned it when the line was made
	init float64   // the value of steps before the line's history
	buf  []float64 // max rows of n values: row r holds neurons r·n … r·n+n−1
}

// newDelay returns a line of max rows over src, reset.
func newDelay(group, name string, src VarView, maxSteps int, dt, init float64) *Delay {
	l := &Delay{
		line: line{group: group, name: name, n: src.Len(), max: maxSteps, dt: dt},
		src:  src,
		init: init,
		buf:  make([]float64, maxSteps*src.Len()),
	}
	l.Reset()
	return l
}

// Init is the value the line returns for steps before its history.
func (l *Delay) Init() float64 { return l.init }

// Push records the variable's present values as the latest step. Sim.Step calls it after the
// groups have stepped; a program that uses a Sim never calls it. It allocates nothing.
func (l *Delay) Push() {
	l.pushRange(0, l.n)
	l.advance()
}

// pushRange copies the values of neurons [lo, hi) into the row the next Push writes, without
// moving the head: Sim.Step's workers push a line in parts, then advance it.
func (l *Delay) pushRange(lo, hi int) {
	row := l.buf[l.head*l.n+lo : l.head*l.n+hi]
	if l.src.F64 != nil {
		copy(row, l.src.F64[lo:hi])
		return
	}
	for i, x := range l.src.F32[lo:hi] {
		row[i] = float64(x)
	}
}

// Reset fills the line with its initial value and forgets every push.
func (l *Delay) Reset() {
	for i := range l.buf {
		l.buf[i] = l.init
	}
	l.clear()
}

// Row returns every neuron's value d steps ago (1 ≤ d ≤ MaxSteps). The slice is a view into
// the line, valid until the next Push; the caller must not change it. A d outside [1, MaxSteps]
// panics with a message that names it.
func (l *Delay) Row(d int) []float64 {
	s := l.slot("Delay.Row", d)
	return l.buf[s*l.n : (s+1)*l.n : (s+1)*l.n]
}

// At returns neuron i's value d steps ago. A neuron outside [0, Len) or a delay outside
// [1, MaxSteps] panics with a message that names it.
func (l *Delay) At(i, d int) float64 {
	if uint(i) >= uint(l.n) {
		l.badNeuron("Delay.At", i)
	}
	return l.buf[l.slot("Delay.At", d)*l.n+i]
}

// ReadEach sets dst[i] to neuron i's value d[i] steps ago, for every neuron: per-neuron
// delays. d and dst must have Len elements, and each d[i] be in [1, MaxSteps]; otherwise it
// panics with a message that names the lengths or the delay.
func (l *Delay) ReadEach(d []int32, dst []float64) {
	l.checkLen("Delay.ReadEach", len(d), len(dst))
	for i, di := range d {
		dst[i] = l.buf[l.slot("Delay.ReadEach", int(di))*l.n+i]
	}
}

// ReadIndex sets dst[k] to neuron idx[k]'s value d steps ago, for every k: an index set with
// one delay. It is not an append: it writes dst[:len(idx)], and dst must have at least len(idx)
// elements (a shorter one, such as buf[:0], panics rather than write beyond len(dst)); each
// idx[k] must be in [0, Len) and d in [1, MaxSteps]. Otherwise it panics with a message that
// names the bad length, index or delay.
func (l *Delay) ReadIndex(idx []int32, d int, dst []float64) {
	l.checkIndexLen("Delay.ReadIndex", len(idx), -1, len(dst))
	s := l.slot("Delay.ReadIndex", d)
	row := l.buf[s*l.n : (s+1)*l.n : (s+1)*l.n]
	dst = dst[:len(idx)]
	for k, i := range idx {
		if uint(i) >= uint(len(row)) {
			l.badNeuron("Delay.ReadIndex", int(i))
		}
		dst[k] = row[i]
	}
}

// ReadIndexEach sets dst[k] to neuron idx[k]'s value d[k] steps ago, for every k: an index set
// with a delay for each element. It writes dst[:len(idx)] and reads d[:len(idx)]: d and dst
// must have at least len(idx) elements, each idx[k] be in [0, Len) and each d[k] in
// [1, MaxSteps]; otherwise it panics with a message that names the bad length, index or delay.
func (l *Delay) ReadIndexEach(idx, d []int32, dst []float64) {
	l.checkIndexLen("Delay.ReadIndexEach", len(idx), len(d), len(dst))
	d, dst = d[:len(idx)], dst[:len(idx)]
	for k, i := range idx {
		if uint(i) >= uint(l.n) {
			l.badNeuron("Delay.ReadIndexEach", int(i))
		}
		dst[k] = l.buf[l.slot("Delay.ReadIndexEach", int(d[k]))*l.n+int(i)]
	}
}

// SpikeDelay is a delay line over a group's spike flags (Group.Spiked), stored as one bool per
// neuron and step. Its semantics are those of Delay, with false as the initial value: a spike
// emitted at step s is read with delay d at step s+d. A Sim makes it (Sim.NewSpikeDelay) and
// pushes it after every step.
type SpikeDelay struct {
	line
	src []bool // the group's Spiked slice
	buf []bool // max rows of n flags
}

// newSpikeDelay returns a line of max rows over src, reset.
func newSpikeDelay(group string, src []bool, maxSteps int, dt float64) *SpikeDelay {
	return &SpikeDelay{
		line: line{group: group, name: "spiked", n: len(src), max: maxSteps, dt: dt},
		src:  src,
		buf:  make([]bool, maxSteps*len(src)),
	}
}

// Push records the present spike flags as the latest step. Sim.Step calls it after the groups
// have stepped; a program that uses a Sim never calls it. It allocates nothing.
func (l *SpikeDelay) Push() {
	l.pushRange(0, l.n)
	l.advance()
}

// pushRange copies the flags of neurons [lo, hi) into the row the next Push writes, without
// moving the head.
func (l *SpikeDelay) pushRange(lo, hi int) {
	copy(l.buf[l.head*l.n+lo:l.head*l.n+hi], l.src[lo:hi])
}

// Reset clears the line (no spikes) and forgets every push.
func (l *SpikeDelay) Reset() {
	clear(l.buf)
	l.clear()
}

// Row returns every neuron's spike flag d steps ago (1 ≤ d ≤ MaxSteps). The slice is a view
// into the line, valid until the next Push; the caller must not change it. A d outside
// [1, MaxSteps] panics with a message that names it.
func (l *SpikeDelay) Row(d int) []bool {
	s := l.slot("SpikeDelay.Row", d)
	return l.buf[s*l.n : (s+1)*l.n : (s+1)*l.n]
}

// At reports whether neuron i spiked d steps ago. A neuron outside [0, Len) or a delay outside
// [1, MaxSteps] panics with a message that names it.
func (l *SpikeDelay) At(i, d int) bool {
	if uint(i) >= uint(l.n) {
		l.badNeuron("SpikeDelay.At", i)
	}
	return l.buf[l.slot("SpikeDelay.At", d)*l.n+i]
}

// ReadEach sets dst[i] to whether neuron i spiked d[i] steps ago, for every neuron. d and dst
// must have Len elements, and each d[i] be in [1, MaxSteps]; otherwise it panics with a message
// that names the lengths or the delay.
func (l *SpikeDelay) ReadEach(d []int32, dst []bool) {
	l.checkLen("SpikeDelay.ReadEach", len(d), len(dst))
	for i, di := range d {
		dst[i] = l.buf[l.slot("SpikeDelay.ReadEach", int(di))*l.n+i]
	}
}

// ReadIndex sets dst[k] to whether neuron idx[k] spiked d steps ago, for every k. It is not an
// append: it writes dst[:len(idx)], and dst must have at least len(idx) elements, each idx[k] be
// in [0, Len) and d in [1, MaxSteps]; otherwise it panics with a message that names the bad
// length, index or delay.
func (l *SpikeDelay) ReadIndex(idx []int32, d int, dst []bool) {
	l.checkIndexLen("SpikeDelay.ReadIndex", len(idx), -1, len(dst))
	s := l.slot("SpikeDelay.ReadIndex", d)
	row := l.buf[s*l.n : (s+1)*l.n : (s+1)*l.n]
	dst = dst[:len(idx)]
	for k, i := range idx {
		if uint(i) >= uint(len(row)) {
			l.badNeuron("SpikeDelay.ReadIndex", int(i))
		}
		dst[k] = row[i]
	}
}

// ReadIndexEach sets dst[k] to whether neuron idx[k] spiked d[k] steps ago, for every k. It
// writes dst[:len(idx)] and reads d[:len(idx)]: d and dst must have at least len(idx) elements,
// each idx[k] be in [0, Len) and each d[k] in [1, MaxSteps]; otherwise it panics with a message
// that names the bad length, index or delay.
func (l *SpikeDelay) ReadIndexEach(idx, d []int32, dst []bool) {
	l.checkIndexLen("SpikeDelay.ReadIndexEach", len(idx), len(d), len(dst))
	d, dst = d[:len(idx)], dst[:len(idx)]
	for k, i := range idx {
		if uint(i) >= uint(l.n) {
			l.badNeuron("SpikeDelay.ReadIndexEach", int(i))
		}
		dst[k] = l.buf[l.slot("SpikeDelay.ReadIndexEach", int(d[k]))*l.n+int(i)]
	}
}

// checkLen panics unless the per-neuron delays and the destination both have one element per
// neuron.
func (l *line) checkLen(fn string, nd, ndst int) {
	if nd != l.n || ndst != l.n {
		panic(fmt.Sprintf("runtime: %s: delay line %s: %d delays into %d values, want %d of each", fn, l.Name(), nd, ndst, l.n))
	}
}
