package modelrun

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"github.com/neurogen/neurogen/runtime"
)

// Program is what a model program knows of its model besides the Config of a run.
type Program struct {
	// New returns a group of n neurons of the model: the generated package's New.
	New func(n int) runtime.Group
	// Variant says how the package was generated, when not plainly: "tables", "simd",
	// "float32". The summary names it.
	Variant []string
	// RandomInit reports that V_init is drawn at random: the summary gives the seed.
	RandomInit bool
}

// UserError is an error for the user to read as it is (the runtime's message about a state
// file, a recording or an output file); a model program then exits with status ExitUser.
type UserError struct{ Err error }

func (e UserError) Error() string { return e.Err.Error() }

func (e UserError) Unwrap() error { return e.Err }

// spikeBudget bounds the spikes held between two drains of the spike monitor: the run goes in
// chunks of at most maxChunk steps, each short enough that every neuron may spike at every
// step of it without overflowing a spike monitor of spikeBudget spikes (12 bytes each).
const (
	spikeBudget = 1 << 20
	maxChunk    = 1000
)

// Simulate makes the run that cfg describes: it creates the group in a runtime.Sim, starts it
// from its initial state or from a saved state, applies the settings, runs it while recording
// what cfg asks for with a runtime.Monitor (the initial state included, unless the run is
// resumed: that state is the last record of the run that saved it), writes the spikes, the
// recording and the final state into the files cfg names, and returns the result. When
// cfg.Progress > 0 it writes a line "neurogen-progress: STEPS NANOSECONDS" on standard error at
// most every cfg.Progress ms: the steps done and the wall time of the run so far.
//
// A NaN or an infinity in the state stops the run at the first check that finds it (the
// initial state, every runtime.DefaultFiniteCheck steps, every record, the end of the run: see
// runtime.Sim.SetFiniteCheck) with a UserError, the runtime.NonFiniteError that names the
// variable, the neuron and the time; then no output file is written.
func (p *Program) Simulate(cfg *Config) (*Result, error) {
	g := p.New(cfg.N)
	sim, err := runtime.NewSim(cfg.Dt)
	if err != nil {
		return nil, err
	}
	if err := sim.Add(cfg.Group, g); err != nil {
		return nil, err
	}
	if cfg.Resume != "" {
		// The state holds everything, the seed and the parameters included; the settings
		// below change it from here on.
		st, err := ReadStateInfo(cfg.Resume)
		if err == nil {
			err = st.Match(g.Model(), cfg.AnyMethod)
		}
		if err == nil && st.Size != cfg.N {
			err = fmt.Errorf("load state from %s: the file holds %d neurons, the run has %d", cfg.Resume, st.Size, cfg.N)
		}
		if err != nil {
			return nil, UserError{err}
		}
		if err := sim.LoadWith(cfg.Resume, runtime.LoadOptions{AnyMethod: cfg.AnyMethod}); err != nil {
			return nil, UserError{err}
		}
	} else if cfg.Seed != nil {
		g.SetSeed(*cfg.Seed)
	}
	for _, s := range cfg.Settings {
		if err := apply(g, s); err != nil {
			return nil, err
		}
	}
	start := sim.Clock().Step
	changes := cfg.Changes
	for len(changes) > 0 && changes[0].Step <= start {
		if err := apply(g, changes[0].Setting); err != nil {
			return nil, err
		}
		changes = changes[1:]
	}
	if cfg.Resume == "" {
		g.Reset() // the initial state may depend on the seed and on the parameters
	}

	var mon *runtime.Monitor
	if len(cfg.Record) > 0 {
		// The monitor sizes itself for a run from step 0; a run from step start makes the
		// records at the steps k in (start, start+Steps] that are multiples of Every.
		steps := int64(cfg.Steps) + start%int64(cfg.Every)
		if mon, err = runtime.NewMonitor(g, cfg.Record, cfg.Neurons, cfg.Every, steps, cfg.MaxMemory); err != nil {
			return nil, UserError{err}
		}
		if cfg.Resume == "" {
			mon.RecordInitial(sim.Clock())
		}
		sim.AddRecorder(mon)
	}
	// The Sim checks the state for NaN and infinities every runtime.DefaultFiniteCheck steps, at
	// every record and at the end of each Run; the initial state is checked here.
	if err := sim.CheckFinite(); err != nil {
		return nil, UserError{err}
	}
	var in inputLog // the recorded neurons' input over the run, for the NPZ recording
	in.add(g, mon, float64(start)*cfg.Dt)
	chunk := max(1, min(maxChunk, spikeBudget/cfg.N))
	sm, err := runtime.NewSpikeMonitor(g, cfg.N*chunk, -1)
	if err != nil {
		return nil, err
	}
	sim.AddRecorder(sm)

	var csv *bufio.Writer
	var spikes *runtime.OutputFile
	if cfg.Spikes != "" {
		f, err := runtime.CreateOutput(cfg.Spikes)
		if err != nil {
			return nil, UserError{err}
		}
		defer f.Discard() // does nothing after Commit
		spikes = f
		csv = bufio.NewWriter(f)
		var none runtime.Spikes
		none.WriteCSV(csv) // the header
	}

	counts := make([]int, cfg.N)
	isi := newIntervals(cfg.N)
	var all runtime.Spikes // every spike of the run, for the NPZ recording
	var buf bytes.Buffer
	var elapsed time.Duration
	progress := time.Duration(cfg.Progress * float64(time.Millisecond))
	loopStart := time.Now()
	lastReport := loopStart
	for done := 0; done < cfg.Steps; {
		for len(changes) > 0 && changes[0].Step <= start+int64(done) {
			if err := apply(g, changes[0].Setting); err != nil {
				return nil, err
			}
			changes = changes[1:]
		}
		in.add(g, mon, float64(start+int64(done))*cfg.Dt)
		k := min(chunk, cfg.Steps-done)
		if len(changes) > 0 {
			k = int(min(int64(k), changes[0].Step-start-int64(done))) // up to the next change
		}
		t0 := time.Now()
		err := sim.Run(k)
		elapsed += time.Since(t0)
		if err != nil {
			return nil, UserError{err} // a NaN or an infinity in the state: nothing is written
		}
		done += k
		if sm.Dropped() > 0 {
			return nil, fmt.Errorf("the spike monitor dropped %d spikes", sm.Dropped())
		}
		sp := sm.Spikes()
		for k, i := range sp.Neuron {
			counts[i]++
			isi.add(int(i), counts[i], sp.Time[k])
		}
		if csv != nil {
			buf.Reset()
			if err := sp.WriteCSV(&buf); err != nil {
				return nil, err
			}
			b := buf.Bytes()
			csv.Write(b[bytes.IndexByte(b, '\n')+1:]) // without the header
		}
		if mon != nil && cfg.Format == "npz" {
			all.Neuron = append(all.Neuron, sp.Neuron...)
			all.Time = append(all.Time, sp.Time...)
		}
		sm.Reset()
		if now := time.Now(); progress > 0 && done < cfg.Steps && now.Sub(lastReport) >= progress {
			fmt.Fprintf(os.Stderr, "neurogen-progress: %d %d\n", done, now.Sub(loopStart).Nanoseconds())
			lastReport = now
		}
	}
	if csv != nil {
		if err := csv.Flush(); err != nil {
			return nil, UserError{fmt.Errorf("writing spikes: %w", err)}
		}
		if err := spikes.Commit(); err != nil {
			return nil, UserError{fmt.Errorf("writing spikes: %w", err)}
		}
	}
	m := g.Model()
	res := &Result{Model: m.Name, Method: m.Method, Variant: p.Variant, N: cfg.N, Steps: cfg.Steps, Start: start, SimSeconds: elapsed.Seconds()}
	if p.RandomInit {
		seed := g.Seed()
		res.Seed = &seed
	}
	res.ISICV, res.ISICVNeurons = isi.meanCV(counts)
	if mon != nil {
		if mon.Dropped() > 0 {
			return nil, fmt.Errorf("the monitor dropped %d records", mon.Dropped())
		}
		if err := writeRecording(cfg, m.Name, mon, &all, &in); err != nil {
			return nil, UserError{fmt.Errorf("writing the recording: %w", err)}
		}
		res.Records, res.MonitorBytes = mon.Len(), mon.Bytes()
	}
	if cfg.Save != "" {
		if err := sim.Save(cfg.Save); err != nil {
			return nil, UserError{err}
		}
	}

	for i, c := range counts {
		res.Spikes += c
		if c > 0 {
			res.Active++
		}
		if i < cfg.Rows {
			r := Row{Count: c}
			for _, col := range cfg.Columns {
				r.Values = append(r.Values, value(g, col, i))
			}
			res.Rows = append(res.Rows, r)
		}
	}
	return res, nil
}

// intervals accumulates each neuron's interspike intervals of the run: their number is the
// neuron's spike count less one, and their mean and sum of squared deviations are updated one
// interval at a time (Welford's method), so nothing grows with the run's length.
type intervals struct {
	last, mean, m2 []float64
}

func newIntervals(n int) *intervals {
	return &intervals{last: make([]float64, n), mean: make([]float64, n), m2: make([]float64, n)}
}

// add takes neuron i's spike at time t (ms), its count-th spike of the run.
func (s *intervals) add(i, count int, t float64) {
	if count > 1 {
		d := t - s.last[i]
		delta := d - s.mean[i]
		s.mean[i] += delta / float64(count-1)
		s.m2[i] += delta * (d - s.mean[i])
	}
	s.last[i] = t
}

// meanCV returns the mean over the neurons with at least 3 spikes (2 intervals) of the
// coefficient of variation of their intervals, the standard deviation (population form,
// dividing by the number of intervals) over the mean, and the number of those neurons.
func (s *intervals) meanCV(counts []int) (float64, int) {
	var sum float64
	n := 0
	for i, c := range counts {
		if c < 3 {
			continue
		}
		sum += math.Sqrt(s.m2[i]/float64(c-1)) / s.mean[i]
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// inputLog is the input (I_ext, uA/cm2) of the recorded neurons over a run: input[k] from
// time t[k] (ms) on, one value per neuron in the monitor's column order.
type inputLog struct {
	t     []float64
	input [][]float64
}

// add notes the recorded neurons' input from time t on, when it differs from the last noted.
func (l *inputLog) add(g runtime.Group, mon *runtime.Monitor, t float64) {
	if mon == nil {
		return
	}
	in, ns := g.Input(), mon.Neurons()
	if k := len(l.input) - 1; k >= 0 {
		same := true
		for c, i := range ns {
			if in[i] != l.input[k][c] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	row := make([]float64, len(ns))
	for c, i := range ns {
		row[c] = in[i]
	}
	l.t, l.input = append(l.t, t), append(l.input, row)
}

// writeRecording writes the monitor's records into cfg.Output: as NPZ, with the model's name
// (model), the group's size (group_size), the spikes of the run (spike_neuron, spike_time) and
// the recorded neurons' input (input, [changes, neurons], from the times input_t), or as CSV.
func writeRecording(cfg *Config, model string, mon *runtime.Monitor, spikes *runtime.Spikes, in *inputLog) error {
	f, err := runtime.CreateOutput(cfg.Output)
	if err != nil {
		return err
	}
	defer f.Discard() // does nothing after Commit
	w := bufio.NewWriter(f)
	if cfg.Format == "npz" {
		neuron := make([]int64, len(spikes.Neuron))
		for k, i := range spikes.Neuron {
			neuron[k] = int64(i)
		}
		times := append(make([]float64, 0, len(spikes.Time)), spikes.Time...) // not nil when there is no spike
		arrays := append(mon.Arrays(""),
			runtime.Array{Name: "model", Shape: []int{}, Str: &model},
			runtime.Array{Name: "group_size", Shape: []int{}, I64: []int64{int64(cfg.N)}},
			runtime.Array{Name: "spike_neuron", Shape: []int{len(neuron)}, I64: neuron},
			runtime.Array{Name: "spike_time", Shape: []int{len(spikes.Time)}, F64: times},
			runtime.Array{Name: "input", Shape: []int{len(in.t), len(mon.Neurons())}, F64: slices.Concat(in.input...)},
			runtime.Array{Name: "input_t", Shape: []int{len(in.t)}, F64: in.t})
		err = runtime.WriteNPZ(w, arrays)
	} else {
		err = mon.WriteCSV(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Commit()
	}
	return err
}

// apply applies a setting to the group.
func apply(g runtime.Group, s Setting) error {
	n := g.Len()
	if s.Values != nil && len(s.Values) != n {
		return fmt.Errorf("%s: %d values for %d neurons", s.Name, len(s.Values), n)
	}
	switch s.Target {
	case TargetParam:
		return g.SetParam(s.Name, s.From)
	case TargetInput:
		in := g.Input()
		for i := range in {
			in[i] = s.At(i, n)
		}
	case TargetVar:
		v := g.Var(s.Name)
		if v == nil {
			return fmt.Errorf("model %s has no per-neuron parameter %s", g.Model().Name, s.Name)
		}
		for i := range v {
			v[i] = s.At(i, n)
		}
	default:
		return fmt.Errorf("setting %s: unknown target %q", s.Name, s.Target)
	}
	return nil
}

// value returns neuron i's value of a column: a step's amplitude, the input density, or a
// per-neuron parameter.
func value(g runtime.Group, c Column, i int) float64 {
	switch {
	case c.Pulse != nil:
		return c.Pulse.At(i, g.Len())
	case c.Name == InputName:
		return g.Input()[i]
	}
	if v := g.Var(c.Name); v != nil {
		return v[i]
	}
	return 0
}
