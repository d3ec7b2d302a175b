package runtime

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
)

// count formats n things: "1 neuron", "3 neurons".
func count(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.FormatInt(n, 10) + " " + thing + "s"
}

// DefaultMonitorLimit is the memory limit (bytes) that NewMonitor and NewSpikeMonitor apply
// when they are given a limit of 0: 1 GiB.
const DefaultMonitorLimit int64 = 1 << 30

// InputVar is the name under which a Monitor records each neuron's external input, g.Input()
// (uA/cm2).
const InputVar = "I_ext"

// CurrentSuffix ends the name under which a Monitor records a channel's current density:
// "Na.I" is channel Na's current as g.Currents evaluates it (uA/cm2, inward positive), and
// "E.I" receptor E's.
const CurrentSuffix = ".I"

// Kinds of a monitored variable's source.
const (
	srcVar     = iota // a state variable or per-neuron parameter: g.Var(name)
	srcInput          // the external input: g.Input()
	srcCurrent        // a channel's current density: g.Currents, entry ch
)

type monVar struct {
	name string
	unit string
	kind int
	ch   int // srcCurrent: index in Model().Currents
}

// Monitor records chosen variables of chosen neurons of a group every few steps into storage
// that it allocates once, in NewMonitor, and never grows.
//
// What it records. Each variable is one of
//   - a state variable of the model (Model().Vars: "V", "Na.m", "Ca_i"),
//   - a per-neuron parameter (Model().Params with PerNeuron, such as "Ca.g_max"),
//   - "I_ext", each neuron's external input g.Input() (uA/cm2),
//   - "CHANNEL.I", channel CHANNEL's current density (uA/cm2, inward positive) as g.Currents
//     evaluates it, for each CHANNEL of Model().Currents (a receptor's too: "E.I").
//
// A state variable or parameter takes precedence over a current of the same name (a gate named
// I); no stock model has one.
//
// When it records. Record(step, t) is called after every step, step being the index of the step
// just made (0 for the first) and t its end time, (step+1)·dt. A monitor with every = k records
// after steps k−1, 2k−1, 3k−1, …: the state at the end of every k-th step, at the times k·dt,
// 2k·dt, …. RecordInitial, called before a run's first step, records the state at its start,
// t = 0 for a run from step 0, so that record j (from 0) of such a run is the state at time
// j·k·dt. The rule follows the absolute step count, so a run continued from step s keeps the same
// grid (and one continued from a saved state need not call RecordInitial: the state it starts
// from was the last record of the run that saved it, when that fell on the grid). Calls for the
// other steps return at once.
//
// Storage. For a run of `steps` steps from step 0 a monitor needs steps/every + 1 records
// (rounded down; the one is the initial state) and NewMonitor preallocates exactly that many
// rows. A record beyond them is not made: Record then only counts it in Dropped, and the storage
// never grows.
//
// Layout. Record r of variable v for the c-th monitored neuron is Values(v)[r*len(Neurons())+c]:
// each variable is a row-major matrix, one row per record, one column per monitored neuron, in
// the order of Neurons(). At returns one element, Trace one neuron's series.
//
// Record allocates nothing. A Monitor is not safe for concurrent use.
type Monitor struct {
	g       Group
	vars    []monVar
	neurons []int
	all     bool // neurons are 0 … g.Len()-1: rows are copied whole
	every   int64
	rows    int // records preallocated
	n       int // records made
	dropped int64
	t       []float64 // time of each record, ms
	step    []int64   // step index of each record
	data    []float64 // variable k's matrix is data[k*rows*cols : (k+1)*rows*cols]
	cur     []float64 // scratch for g.Currents; nil when no current is recorded
	bytes   int64
}

// NewMonitor returns a Monitor of the variables vars (see Monitor) of the neurons with indices
// neurons (nil: every neuron, in order) of group g, recording after every every-th step of a
// run of steps steps, and its initial state.
//
// It fails, before allocating anything, when a variable is unknown (the error suggests the
// nearest name and lists the recordable ones), a variable or neuron appears twice, a neuron
// index is out of range, vars or a non-nil neurons is empty, every < 1 or steps < 0, and when
// the monitor would hold more than limit bytes (see Bytes): then the error gives the size it
// needs, the limit, and how to record less. A limit of 0 means DefaultMonitorLimit; a negative
// limit means no limit.
func NewMonitor(g Group, vars []string, neurons []int, every int, steps int64, limit int64) (*Monitor, error) {
	if g == nil {
		return nil, errors.New("monitor: no group")
	}
	if every < 1 {
		return nil, fmt.Errorf("monitor: every = %d, want a whole number of steps ≥ 1", every)
	}
	if steps < 0 {
		return nil, fmt.Errorf("monitor: steps = %d, want ≥ 0", steps)
	}
	if len(vars) == 0 {
		return nil, errors.New("monitor: no variables to record")
	}
	md := g.Model()
	byName := map[string]monVar{}
	var names []string // recordable names, for the messages
	add := func(v monVar) {
		if _, ok := byName[v.name]; !ok {
			byName[v.name] = v
			names = append(names, v.name)
		}
	}
	for _, v := range md.Vars {
		add(monVar{name: v.Name, unit: v.Unit, kind: srcVar})
	}
	for _, p := range md.Params {
		if p.PerNeuron {
			add(monVar{name: p.Name, unit: p.Unit, kind: srcVar})
		}
	}
	add(monVar{name: InputVar, unit: "uA/cm2", kind: srcInput})
	for k, c := range md.Currents {
		add(monVar{name: c + CurrentSuffix, unit: "uA/cm2", kind: srcCurrent, ch: k})
	}
	m := &Monitor{g: g, every: int64(every)}
	seen := map[string]bool{}
	hasCur := false
	for _, name := range vars {
		v, ok := byName[name]
		if !ok {
			msg := fmt.Sprintf("monitor: model %s has no variable %q", md.Name, name)
			if s := suggest.Closest(name, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, fmt.Errorf("%s (it records %s)", msg, strings.Join(names, ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("monitor: variable %q is listed twice", name)
		}
		seen[name] = true
		if _, ok := VarOf(g, name); v.kind == srcVar && !ok {
			return nil, fmt.Errorf("monitor: group of model %s returns no slice for variable %q", md.Name, name)
		}
		hasCur = hasCur || v.kind == srcCurrent
		m.vars = append(m.vars, v)
	}
	n := g.Len()
	cols := n
	if neurons != nil {
		if len(neurons) == 0 {
			return nil, errors.New("monitor: no neurons to record (pass nil for all)")
		}
		at := map[int]int{}
		for k, i := range neurons {
			if i < 0 || i >= n {
				return nil, fmt.Errorf("monitor: neuron %d (entry %d) is out of range: the group has neurons 0 to %d", i, k, n-1)
			}
			if j, ok := at[i]; ok {
				return nil, fmt.Errorf("monitor: neuron %d is listed twice (entries %d and %d)", i, j, k)
			}
			at[i] = k
		}
		cols = len(neurons)
	}
	rows := addSat(steps/int64(every), 1)
	nv, nc := int64(len(m.vars)), int64(cols)
	ncur := int64(0)
	if hasCur {
		ncur = int64(len(md.Currents))
	}
	fixed := mulSat(8, addSat(nc, ncur))
	perRow := mulSat(8, addSat(mulSat(nv, nc), 2))
	need := MonitorBytes(len(m.vars), cols, rows, int(ncur))
	if limit == 0 {
		limit = DefaultMonitorLimit
	}
	if limit > 0 && need > limit || need == math.MaxInt64 || mulSat(rows, addSat(mulSat(nv, nc), 2)) > math.MaxInt {
		msg := fmt.Sprintf("monitor: %s × %s × %s (a %d-step run, every = %d) need %s",
			count(nv, "variable"), count(nc, "neuron"), count(rows, "record"), steps, every, fmtBytes(need))
		if limit < 0 || need <= limit {
			return nil, errors.New(msg + ", too much to allocate: record fewer variables or neurons, or a larger every")
		}
		msg += fmt.Sprintf(", over the limit of %s: record fewer variables or neurons, or a larger every", fmtBytes(limit))
		if limit > fixed {
			// steps/every + 1 ≤ rowsMax rows, the initial state's included.
			if rowsMax := (limit - fixed) / perRow; rowsMax >= 1 {
				msg += fmt.Sprintf(" (every = %d fits)", steps/rowsMax+1)
			}
		}
		return nil, errors.New(msg)
	}
	m.rows = int(rows)
	m.bytes = need
	if neurons == nil {
		m.all = true
		m.neurons = make([]int, n)
		for i := range m.neurons {
			m.neurons[i] = i
		}
	} else {
		m.neurons = slices.Clone(neurons)
	}
	m.t = make([]float64, m.rows)
	m.step = make([]int64, m.rows)
	m.data = make([]float64, len(m.vars)*m.rows*cols)
	if hasCur {
		m.cur = make([]float64, len(md.Currents))
	}
	return m, nil
}

// Record makes a record if step is due (see Monitor): the present values of the monitored
// variables, with time t (ms) and the step count step+1. A due record beyond the preallocated
// rows is counted in Dropped and not made. Record allocates nothing.
func (m *Monitor) Record(step int64, t float64) {
	if step < 0 || (step+1)%m.every != 0 {
		return
	}
	m.take(step+1, t)
}

// RecordInitial records the state before a run's first step, at clock c's time (0 for a run
// from the start), if its step count is on the monitor's grid (a multiple of every; always
// for a run from step 0). Call it once, before the run.
func (m *Monitor) RecordInitial(c Clock) {
	if c.Step >= 0 && c.Step%m.every == 0 {
		m.take(c.Step, c.T())
	}
}

// take makes a record of the present state, the state after step steps at time t, if a row is
// free.
func (m *Monitor) take(step int64, t float64) {
	if m.n >= m.rows {
		m.dropped++
		return
	}
	r, cols := m.n, len(m.neurons)
	for k := range m.vars {
		v := &m.vars[k]
		var src VarView
		switch v.kind {
		case srcVar:
			src, _ = VarOf(m.g, v.name)
		case srcInput:
			src = VarView{F64: m.g.Input()}
		default:
			continue
		}
		off := (k*m.rows + r) * cols
		out := m.data[off : off+cols]
		if m.all {
			src.CopyTo(out)
			continue
		}
		for c, i := range m.neurons {
			out[c] = src.At(i)
		}
	}
	if m.cur != nil {
		for c, i := range m.neurons {
			m.g.Currents(i, m.cur)
			for k := range m.vars {
				if v := &m.vars[k]; v.kind == srcCurrent {
					m.data[(k*m.rows+r)*cols+c] = m.cur[v.ch]
				}
			}
		}
	}
	m.t[r] = t
	m.step[r] = step
	m.n++
}

// Len returns the number of records made.
func (m *Monitor) Len() int { return m.n }

// Cap returns the number of records preallocated.
func (m *Monitor) Cap() int { return m.rows }

// Dropped returns the number of due records that were not made because every preallocated
// row was taken.
func (m *Monitor) Dropped() int64 { return m.dropped }

// Every returns the recording interval in steps.
func (m *Monitor) Every() int { return int(m.every) }

// Bytes returns the memory the monitor holds, in bytes: its records (8 bytes per variable and
// neuron, and 16 for the time and step of each row), the neuron indices and a scratch row of
// channel currents; not counting its small fixed overhead (names, the Monitor itself).
func (m *Monitor) Bytes() int64 { return m.bytes }

// Vars returns the names of the recorded variables, in the order given, in a new slice.
func (m *Monitor) Vars() []string {
	names := make([]string, len(m.vars))
	for k, v := range m.vars {
		names[k] = v.name
	}
	return names
}

// Unit returns the unit of variable name (neurogen's internal units: "mV", "1", "mM",
// "uA/cm2" …), or "" if the monitor does not record it.
func (m *Monitor) Unit(name string) string {
	if k := m.index(name); k >= 0 {
		return m.vars[k].unit
	}
	return ""
}

// Neurons returns the indices of the recorded neurons, in column order. The slice is the
// monitor's own: the caller must not change it.
func (m *Monitor) Neurons() []int { return m.neurons }

// Times returns the time (ms) of each record made. The slice is the monitor's own.
func (m *Monitor) Times() []float64 { return m.t[:m.n] }

// Steps returns the step count of each record: the number of steps made from the start of the
// simulation when it was taken (0 for the initial state), its time being that many steps of dt.
// The slice is the monitor's own.
func (m *Monitor) Steps() []int64 { return m.step[:m.n] }

// Values returns the records of variable name as a row-major matrix, Len() rows by
// len(Neurons()) columns: record r of the c-th monitored neuron is at r*len(Neurons())+c. The
// slice is the monitor's own storage (Reset reuses it); nil if the monitor does not record the
// variable.
func (m *Monitor) Values(name string) []float64 {
	k := m.index(name)
	if k < 0 {
		return nil
	}
	cols := len(m.neurons)
	return m.data[k*m.rows*cols : (k*m.rows+m.n)*cols]
}

// At returns record r (0 ≤ r < Len()) of variable name for the c-th monitored neuron
// (0 ≤ c < len(Neurons())). It panics if the monitor does not record name or r or c is out of
// range.
func (m *Monitor) At(name string, r, c int) float64 {
	k := m.index(name)
	if k < 0 {
		panic(fmt.Sprintf("runtime.Monitor.At: variable %q is not recorded", name))
	}
	cols := len(m.neurons)
	if r < 0 || r >= m.n || c < 0 || c >= cols {
		panic(fmt.Sprintf("runtime.Monitor.At: record %d, column %d out of range [0, %d) × [0, %d)", r, c, m.n, cols))
	}
	return m.data[(k*m.rows+r)*cols+c]
}

// Trace returns a new slice of the records of variable name for neuron (a group index, not a
// column), one per record; nil if the monitor does not record that variable or neuron.
func (m *Monitor) Trace(name string, neuron int) []float64 {
	k, c := m.index(name), slices.Index(m.neurons, neuron)
	if k < 0 || c < 0 {
		return nil
	}
	cols := len(m.neurons)
	out := make([]float64, m.n)
	for r := range out {
		out[r] = m.data[(k*m.rows+r)*cols+c]
	}
	return out
}

// Reset empties the monitor and zeroes Dropped, keeping its storage for another run.
func (m *Monitor) Reset() {
	m.n = 0
	m.dropped = 0
}

func (m *Monitor) index(name string) int {
	for k := range m.vars {
		if m.vars[k].name == name {
			return k
		}
	}
	return -1
}

// Arrays returns the records as NPZ arrays, named PREFIX.NAME (NAME alone when prefix is ""):
//
//	PREFIX.t        float64 [records]            time of each record, ms
//	PREFIX.step     int64   [records]            the step count of each record (0: the initial state)
//	PREFIX.neurons  int64   [neurons]            the monitored neurons, in column order
//	PREFIX.VAR      float64 [records, neurons]   one per variable, in the order given: "PREFIX.V", "PREFIX.Na.m", "PREFIX.Na.I"
//	PREFIX.units    text                         one line "NAME UNIT" for t and each variable: "t ms\nV mV\nNa.m 1\n…"
//	PREFIX.every    int64   []                   the recording interval, steps
//	PREFIX.dropped  int64   []                   Dropped()
//
// The float64 data of t and of the variables are the monitor's own storage, not copies. Arrays of
// several monitors (with different prefixes) may go into one file: WriteNPZ(w, append(a, b...)).
func (m *Monitor) Arrays(prefix string) []Array {
	name := prefixer(prefix)
	cols := len(m.neurons)
	ns := make([]int64, cols)
	for c, i := range m.neurons {
		ns[c] = int64(i)
	}
	var units strings.Builder
	units.WriteString("t ms\n")
	out := []Array{
		{Name: name("t"), Shape: []int{m.n}, F64: m.Times()},
		{Name: name("step"), Shape: []int{m.n}, I64: m.Steps()},
		{Name: name("neurons"), Shape: []int{cols}, I64: ns},
	}
	for _, v := range m.vars {
		out = append(out, Array{Name: name(v.name), Shape: []int{m.n, cols}, F64: m.Values(v.name)})
		units.WriteString(v.name + " " + v.unit + "\n")
	}
	u := units.String()
	out = append(out,
		Array{Name: name("units"), Shape: []int{}, Str: &u},
		Array{Name: name("every"), Shape: []int{}, I64: []int64{m.every}},
		Array{Name: name("dropped"), Shape: []int{}, I64: []int64{m.dropped}},
	)
	return out
}

// WriteNPZ writes Arrays(prefix) as an NPZ file, which numpy.load reads.
func (m *Monitor) WriteNPZ(w io.Writer, prefix string) error {
	return WriteNPZ(w, m.Arrays(prefix))
}

// WriteCSV writes the records as CSV in a wide layout: a header line "t_ms,neuron,VAR1,VAR2,…"
// (the variables in the order given, such as "t_ms,neuron,V,Na.m,Na.I"), then one line per
// record and monitored neuron, records in time order and neurons in column order within a
// record, such as "0.5,3,-64.99,0.053,-0.0041". Numbers are written in the shortest form that
// parses back to the same float64 (strconv.FormatFloat(x, 'g', -1, 64)); units are those of
// Unit.
func (m *Monitor) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("t_ms,neuron")
	for _, v := range m.vars {
		bw.WriteString("," + v.name)
	}
	bw.WriteString("\n")
	cols := len(m.neurons)
	var line []byte
	for r := range m.n {
		for c, i := range m.neurons {
			line = strconv.AppendFloat(line[:0], m.t[r], 'g', -1, 64)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(i), 10)
			for k := range m.vars {
				line = append(line, ',')
				line = strconv.AppendFloat(line, m.data[(k*m.rows+r)*cols+c], 'g', -1, 64)
			}
			line = append(line, '\n')
			bw.Write(line) // bufio.Writer keeps the first error; Flush returns it.
		}
	}
	return bw.Flush()
}

// SpikeMonitor records every spike of a group, (neuron, time), into storage of a fixed capacity
// allocated once, in NewSpikeMonitor. Record(step, t), called after each step, takes the spikes
// of that step: neuron i with g.Spiked()[i], at g.SpikeTimes()[i] (interpolated between the steps
// around the crossing, or the step's start with a refractory period), in neuron order, as Spikes.Collect does. When the storage is full it
// stops recording: every later spike is only counted in Dropped, so the record is complete up to
// the first dropped spike and never grows. SpikeCapacity sizes it from an upper bound on the
// rate. Record allocates nothing. A SpikeMonitor is not safe for concurrent use.
type SpikeMonitor struct {
	g       Group
	neuron  []int32
	time    []float64
	n       int
	dropped int64
}

// NewSpikeMonitor returns a SpikeMonitor of group g with room for capacity spikes, 12 bytes
// each. It fails when capacity < 0, when the group has more than 2³¹−1 neurons, and, before
// allocating, when the storage would exceed limit bytes (0: DefaultMonitorLimit; negative: no
// limit).
func NewSpikeMonitor(g Group, capacity int, limit int64) (*SpikeMonitor, error) {
	if g == nil {
		return nil, errors.New("spike monitor: no group")
	}
	if capacity < 0 {
		return nil, fmt.Errorf("spike monitor: capacity %d, want ≥ 0", capacity)
	}
	if g.Len() > math.MaxInt32 {
		return nil, fmt.Errorf("spike monitor: the group has %d neurons, more than the %d a spike record indexes", g.Len(), math.MaxInt32)
	}
	if limit == 0 {
		limit = DefaultMonitorLimit
	}
	need := mulSat(12, int64(capacity))
	if limit > 0 && need > limit {
		return nil, fmt.Errorf("spike monitor: room for %d spikes needs %s, over the limit of %s: lower the capacity to %d or less (expect fewer spikes: fewer neurons, a shorter run, a lower bound on the rate)",
			capacity, fmtBytes(need), fmtBytes(limit), limit/12)
	}
	return &SpikeMonitor{g: g, neuron: make([]int32, capacity), time: make([]float64, capacity)}, nil
}

// SpikeCapacity returns room enough for the spikes of n neurons over steps steps of dt ms when
// no neuron fires faster than maxRateHz: n·(⌈maxRateHz·steps·dt/1000⌉ + 1), since a neuron with
// that rate can spike once more than the rate times the duration in a window. It is never more
// than n·steps (a neuron spikes at most once per step) and saturates at the largest int. A
// negative n, steps or rate counts as 0; a NaN or infinite rate gives the bound n·steps. A dt
// that is not positive and finite is a programming error: SpikeCapacity panics with a message
// that names it.
func SpikeCapacity(n, steps int64, dt, maxRateHz float64) int {
	if !(dt > 0) || math.IsInf(dt, 1) {
		panic(fmt.Sprintf("runtime: SpikeCapacity: time step dt = %g ms is not positive and finite", dt))
	}
	if n <= 0 || steps <= 0 {
		return 0
	}
	per := float64(steps)
	if x := math.Ceil(max(maxRateHz, 0)*float64(steps)*dt/1000) + 1; x < per { // false for NaN
		per = x
	}
	total := per * float64(n)
	if total >= float64(math.MaxInt) {
		return math.MaxInt
	}
	return int(total)
}

// Record takes the spikes of the step just made (see SpikeMonitor); step and t are not used,
// the times being the group's (Group.SpikeTimes).
func (s *SpikeMonitor) Record(step int64, t float64) {
	times := s.g.SpikeTimes()
	for i, spiked := range s.g.Spiked() {
		if !spiked {
			continue
		}
		if s.n < len(s.neuron) {
			s.neuron[s.n] = int32(i)
			s.time[s.n] = times[i]
			s.n++
		} else {
			s.dropped++
		}
	}
}

// Len returns the number of spikes recorded.
func (s *SpikeMonitor) Len() int { return s.n }

// Cap returns the capacity, the most spikes it records.
func (s *SpikeMonitor) Cap() int { return len(s.neuron) }

// Dropped returns the number of spikes not recorded because the storage was full.
func (s *SpikeMonitor) Dropped() int64 { return s.dropped }

// Bytes returns the memory of its storage, 12 bytes per spike of capacity.
func (s *SpikeMonitor) Bytes() int64 { return 12 * int64(len(s.neuron)) }

// Spikes returns the record as a Spikes (for Counts, WriteCSV …) whose slices are the
// monitor's own storage: the caller must not append to them or change them.
func (s *SpikeMonitor) Spikes() Spikes {
	return Spikes{Neuron: s.neuron[:s.n:s.n], Time: s.time[:s.n:s.n]}
}

// Reset empties the record and zeroes Dropped, keeping its storage.
func (s *SpikeMonitor) Reset() {
	s.n = 0
	s.dropped = 0
}

// Arrays returns the record as NPZ arrays, named as Monitor.Arrays names them:
//
//	PREFIX.spike_neuron   int64   [spikes]   neuron of each spike
//	PREFIX.spike_time     float64 [spikes]   its time, ms (the monitor's own storage)
//	PREFIX.spike_dropped  int64   []         Dropped()
func (s *SpikeMonitor) Arrays(prefix string) []Array {
	name := prefixer(prefix)
	ns := make([]int64, s.n)
	for k, i := range s.neuron[:s.n] {
		ns[k] = int64(i)
	}
	return []Array{
		{Name: name("spike_neuron"), Shape: []int{s.n}, I64: ns},
		{Name: name("spike_time"), Shape: []int{s.n}, F64: s.time[:s.n]},
		{Name: name("spike_dropped"), Shape: []int{}, I64: []int64{s.dropped}},
	}
}

// WriteNPZ writes Arrays(prefix) as an NPZ file.
func (s *SpikeMonitor) WriteNPZ(w io.Writer, prefix string) error {
	return WriteNPZ(w, s.Arrays(prefix))
}

// WriteCSV writes the record as Spikes.WriteCSV does: "neuron,time_ms", then one line per spike.
func (s *SpikeMonitor) WriteCSV(w io.Writer) error {
	sp := s.Spikes()
	return sp.WriteCSV(w)
}

// prefixer returns a function naming arrays PREFIX.NAME, or NAME when prefix is "".
func prefixer(prefix string) func(string) string {
	return func(n string) string {
		if prefix == "" {
			return n
		}
		return prefix + "." + n
	}
}

// MonitorBytes is the memory (bytes) of a Monitor of vars variables of cols neurons with room
// for rows records, currents being the number of channels when it records a current (a scratch
// row for Group.Currents) and 0 otherwise: 8 bytes per variable, neuron and record, 16 per record
// for its time and step, 8 per neuron index and per scratch value. It saturates at
// math.MaxInt64. NewMonitor checks this size against its limit; Monitor.Bytes reports it.
func MonitorBytes(vars, cols int, rows int64, currents int) int64 {
	fixed := mulSat(8, addSat(int64(cols), int64(currents)))
	perRow := mulSat(8, addSat(mulSat(int64(vars), int64(cols)), 2))
	return addSat(fixed, mulSat(rows, perRow))
}

// mulSat and addSat are a·b and a+b for a, b ≥ 0, saturating at math.MaxInt64.
func mulSat(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// fmtBytes writes a size as "1.5 GiB (1610612736 bytes)".
func fmtBytes(b int64) string {
	if b == math.MaxInt64 {
		return "more than 8 EiB"
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	if b < 1024 {
		return fmt.Sprintf("%d bytes", b)
	}
	x, u := float64(b)/1024, 0
	for x >= 1024 && u < len(units)-1 {
		x, u = x/1024, u+1
	}
	return fmt.Sprintf("%.3g %s (%d bytes)", x, units[u], b)
}
