package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

// This file holds what neurogen run knows about recording, saving and resuming: the values of
// -record, -neurons and -max-memory, the names a model records, the monitor's memory, and the
// metadata of a state file to resume from.

// groupName is the name of the model's group in the model program's runtime.Sim, and so the
// prefix of its arrays in state files: group.V, group.Na.m, group.I_ext …
const groupName = modelrun.GroupName

// givenValue is a flag.Value that records whether the command line set it.
type givenValue struct {
	flag.Value
	given *bool
}

func (v givenValue) String() string {
	if v.Value == nil {
		return ""
	}
	return v.Value.String()
}

func (v givenValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		return err
	}
	*v.given = true
	return nil
}

// recordList is the flag.Value of -record: comma-separated names, which repeated flags add to.
// Set checks the syntax and repeats; resolve checks the names against a model.
type recordList struct {
	texts []string // each -record as given
	names []string // every name, in order
}

func (l *recordList) String() string { return strings.Join(l.texts, " ") }

func (l *recordList) Set(s string) error {
	var names []string
	for part := range strings.SplitSeq(s, ",") {
		name := strings.TrimSpace(part)
		switch {
		case name == "":
			return errors.New("want comma-separated names such as V,Na.m,I_ext, with no empty name")
		case slices.Contains(l.names, name), slices.Contains(names, name):
			return fmt.Errorf("`%s` is listed twice", name)
		}
		names = append(names, name)
	}
	l.texts = append(l.texts, s)
	l.names = append(l.names, names...)
	return nil
}

// recordable returns the names a runtime.Monitor of the model records, in its order: the state
// variables, the per-neuron parameters, I_ext and each channel's current CHANNEL.I.
func recordable(m *ir.Model) []string {
	var names []string
	for _, s := range m.States {
		names = append(names, s.Name)
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			names = append(names, p.Name)
		}
	}
	names = append(names, inputName)
	for _, c := range m.Channels {
		names = append(names, c.Name+runtime.CurrentSuffix)
	}
	return names
}

// resolve checks the names against the model.
func (l *recordList) resolve(m *ir.Model) error {
	ok := recordable(m)
	for _, name := range l.names {
		if slices.Contains(ok, name) {
			continue
		}
		if p := findParam(m, name); p != nil {
			return usageErrorf("-record %s: `%s` is one value for the whole group, not a value per neuron; declare it `per_neuron: true` in the spec to record it", l.textOf(name), name)
		}
		if s := suggest.Closest(name, ok); s != "" {
			return usageErrorf("-record %s: unknown variable `%s` (did you mean `%s`?)", l.textOf(name), name, s)
		}
		return usageErrorf("-record %s: unknown variable `%s`: model %s records %s", l.textOf(name), name, m.Name, strings.Join(ok, ", "))
	}
	return nil
}

// textOf returns the -record flag that holds name.
func (l *recordList) textOf(name string) string {
	for _, t := range l.texts {
		for part := range strings.SplitSeq(t, ",") {
			if strings.TrimSpace(part) == name {
				return t
			}
		}
	}
	return name
}

// neuronRange is neurons lo … hi, both included.
type neuronRange struct{ lo, hi uint64 }

// neuronSet is the flag.Value of -neurons: "all", or indices and ranges such as "0,3,10-19".
// Set checks the syntax; resolve checks the indices against the group's size.
type neuronSet struct {
	text   string
	all    bool
	ranges []neuronRange
	// groups are the sets of a network's run, -neurons GROUP:SET, one per -neurons that names
	// a group, in order (they add up; text and the others are of the last plain SET).
	groups []groupNeurons
}

// groupNeurons is one -neurons GROUP:SET.
type groupNeurons struct {
	text, group string
	set         neuronSet
}

func (s *neuronSet) String() string { return s.text }

// errNeuronSet describes the syntax of a neuron set.
const errNeuronSet = "want all, or indices and ranges such as 0,3,10-19"

func (s *neuronSet) Set(text string) error {
	t := strings.TrimSpace(text)
	if g, set, ok := strings.Cut(t, ":"); ok {
		if !isIdent(g) {
			return fmt.Errorf("%q is not a group name: want GROUP:SET, such as exc:0-9", g)
		}
		var sub neuronSet
		if err := sub.Set(set); err != nil {
			return err
		}
		if len(sub.groups) > 0 {
			return fmt.Errorf("%q: one group per -neurons", text)
		}
		sub.text = text
		s.groups = append(s.groups, groupNeurons{text: text, group: g, set: sub})
		return nil
	}
	groups := s.groups
	defer func() { s.groups = groups }()
	if t == "all" {
		*s = neuronSet{text: text, all: true}
		return nil
	}
	var ranges []neuronRange
	for part := range strings.SplitSeq(t, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return errors.New("empty element: " + errNeuronSet)
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := parseIndex(lo)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = parseIndex(hi)
		}
		switch {
		case err1 != nil || err2 != nil:
			return fmt.Errorf("%q is neither an index nor a range: %s", part, errNeuronSet)
		case b < a:
			return fmt.Errorf("range %s runs backwards: write %d-%d", part, b, a)
		}
		ranges = append(ranges, neuronRange{a, b})
	}
	*s = neuronSet{text: text, ranges: ranges}
	return nil
}

// isIdent reports whether s is a name as a spec's groups have: a letter or _, then letters,
// digits and _.
func isIdent(s string) bool {
	for k, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || k > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// parseIndex parses a neuron index: decimal digits.
func parseIndex(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errors.New("not an index")
	}
	return strconv.ParseUint(s, 10, 64)
}

// resolve returns the neurons of a group of n, in increasing order, each once, or nil for all
// of them.
func (s *neuronSet) resolve(n int) ([]int, error) {
	if s.all {
		return nil, nil
	}
	rs := slices.Clone(s.ranges)
	for _, r := range rs {
		if r.hi >= uint64(n) {
			bad := r.hi
			if r.lo >= uint64(n) {
				bad = r.lo
			}
			return nil, usageErrorf("-neurons %s: neuron %d is out of range: the group has neurons 0 to %d", s.text, bad, n-1)
		}
	}
	slices.SortFunc(rs, func(a, b neuronRange) int { return cmp.Compare(a.lo, b.lo) })
	var out []int
	next := uint64(0) // the first neuron not yet in out
	for _, r := range rs {
		for i := max(r.lo, next); i <= r.hi; i++ {
			out = append(out, int(i))
		}
		next = max(next, r.hi+1)
	}
	if len(out) == n {
		return nil, nil // every neuron, in order: the monitor copies rows whole
	}
	return out, nil
}

// defaultAllNeurons is the largest group whose neurons -record records all of without
// -neurons.
const defaultAllNeurons = 100

// memoryValue is the flag.Value of -max-memory: a size in bytes, or none (negative).
type memoryValue struct {
	bytes int64
	text  string
}

func (v *memoryValue) String() string { return v.text }

var sizeSyntax = regexp.MustCompile(`^([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)$`)

// sizeUnits are the units of -max-memory.
var sizeUnits = map[string]float64{
	"": 1, "B": 1,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
	"kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
}

func (v *memoryValue) Set(s string) error {
	t := strings.TrimSpace(s)
	if t == "none" {
		*v = memoryValue{bytes: -1, text: s}
		return nil
	}
	const want = "want a size such as 512MiB, 2GiB or 1e9 (bytes), or none"
	m := sizeSyntax.FindStringSubmatch(t)
	if m == nil {
		return errors.New(want)
	}
	unit, ok := sizeUnits[m[2]]
	if !ok {
		return fmt.Errorf("unknown unit %q: %s", m[2], want)
	}
	x, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return errors.New(want)
	}
	b := math.Floor(x * unit)
	switch {
	case b < 1:
		return errors.New("the limit must be at least 1 byte (or none)")
	case b >= math.MaxInt64:
		return errors.New("too large (write none for no limit)")
	}
	*v = memoryValue{bytes: int64(b), text: s}
	return nil
}

// monitorRows is the number of rows that the model program's monitor preallocates for a run
// of steps steps from step start, recording every every-th step: one for the initial state and
// one for each multiple of every in (start, start+steps], as runtime.NewMonitor allocates for a
// run of monitorSteps steps. A run from step 0 records its initial state; a resumed run does
// not (that state is the last record of the run that saved it) and leaves its row empty.
func monitorRows(start, steps int64, every int) int64 {
	e := int64(every)
	return (steps+start%e)/e + 1
}

// monitorRecords is the number of records a run of steps steps from step start makes.
func monitorRecords(start, steps int64, every int) int64 {
	if start > 0 {
		return monitorRows(start, steps, every) - 1
	}
	return monitorRows(start, steps, every)
}

// monitorSteps is the run length to give runtime.NewMonitor for a run of steps steps from step
// start, so that it preallocates exactly monitorRows rows: it sizes for a run from step 0.
func monitorSteps(start, steps int64, every int) int64 {
	return steps + start%int64(every)
}

// monitorBytes is the memory of a runtime.Monitor of the model recording vars, as
// runtime.MonitorBytes counts it (a current among vars adds a scratch row of every channel's).
func monitorBytes(m *ir.Model, vars []string, cols int, rows int64) int64 {
	own := map[string]bool{inputName: true} // what is not a channel's current
	for _, s := range m.States {
		own[s.Name] = true
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			own[p.Name] = true
		}
	}
	ncur := 0
	for _, v := range vars {
		if !own[v] {
			ncur = len(m.Channels)
		}
	}
	return runtime.MonitorBytes(len(vars), cols, rows, ncur)
}

// checkMonitorMemory refuses, before anything is built, a recording that would hold more than
// limit bytes (negative: no limit), saying what it would take and the -every (a duration, with
// steps of dt ms) that would fit. The program's runtime.NewMonitor checks again with the real
// group; TestRecordMemory holds the two sizes equal.
func checkMonitorMemory(r *runRunner, m *ir.Model, n int, neurons []int, every int, start, steps int64) error {
	vars, limit, dt := r.record.names, r.maxMemory.bytes, r.dt.ms
	cols := n
	if neurons != nil {
		cols = len(neurons)
	}
	size := func(every int) int64 { return monitorBytes(m, vars, cols, monitorRows(start, steps, every)) }
	need := size(every)
	if limit < 0 || need <= limit {
		return nil
	}
	hint := "raise -max-memory"
	if top := min(steps, math.MaxInt32); top > int64(every) && size(int(top)) <= limit {
		// The smallest interval that fits, by bisection: the size falls as every grows. (An
		// interval of the whole run, or more, records at most once.)
		lo, hi := int64(every), top // size(lo) > limit ≥ size(hi)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if size(int(mid)) <= limit {
				hi = mid
			} else {
				lo = mid
			}
		}
		hint = fmt.Sprintf("-every %.10gms (%d steps) fits, or raise -max-memory", float64(hi)*dt, hi)
	}
	interval := r.every.text
	if !r.everyGiven {
		interval = r.dt.text
	}
	what := plural(len(vars), "variable") + " of " + plural(cols, "neuron")
	return usageErrorf("-record %s: %s, %s every %s, need %s, over -max-memory %s (%d bytes): record fewer variables or neurons, %s",
		r.record.String(), what, plural(int(min(monitorRecords(start, steps, every), math.MaxInt32)), "record"), interval, modelrun.ByteSize(need), r.maxMemory.text, limit, hint)
}

// plural formats n things: "1 neuron", "3 neurons".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// stateInfo is what neurogen run reads of a state file's metadata before it builds the
// program: the clock and the group (see modelrun.StateInfo).
type stateInfo = modelrun.StateInfo

// readStateInfo reads the metadata of the state file at path, which must hold one group, named
// groupName, as neurogen run -save writes it.
func readStateInfo(path string) (*stateInfo, error) { return modelrun.ReadStateInfo(path) }

// probeWritable checks that a file can be created in the directory of path, by creating and
// removing a temporary file there.
func probeWritable(path string) error {
	p, err := newPendingFile(path)
	if err != nil {
		return err
	}
	p.discard()
	return nil
}

// samePath reports whether two paths name the same file, as far as the file system tells.
// Symlinks count: two links to one file, or a link and its target, are the same file, and so
// are two names of one existing file (os.SameFile). Two names of one device are not: writing
// /dev/null twice harms nothing.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if ta, err := runtime.ResolveOutput(a); err == nil {
		if tb, err := runtime.ResolveOutput(b); err == nil {
			if ta.Special || tb.Special {
				return false
			}
			a, b = ta.File, tb.File
			if fa, err := os.Stat(a); err == nil {
				if fb, err := os.Stat(b); err == nil {
					return os.SameFile(fa, fb)
				}
			}
		}
	}
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}
