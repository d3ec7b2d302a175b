package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/plotting"
	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

// This file holds the figures: neurogen plot, which draws a recording, and neurogen run -plot,
// which records V (besides what -record asks for) and draws it after the run. Both read back
// what the model program wrote (an NPZ recording with the spikes and the input, or a CSV
// recording and a spikes CSV) and draw it with internal/plotting.

var plotCommand = &command{
	name:     "plot",
	summary:  "draw the recorded variables and spike raster of a recording",
	synopsis: "neurogen plot FILE.npz [-o OUT.png|OUT.svg] [-neurons SET] [-vars NAMES]",
	title:    "Plot a run",
	doc: `Plot draws the figure of a recording that neurogen run -record VARS -o FILE.npz wrote;
neurogen run -plot FILE draws the same figure straight after a run.

The figure of a run has a panel for each recorded variable and a spike raster below them,
all on one time axis (ms), labelled once, under the raster. The panels come in the order
recorded, V first; each is labelled with the variable and its unit, "V (mV)", "Na.I
(uA/cm2)", or the name alone for a dimensionless one such as a gate ("M.p"). Each panel
draws the variable of up to 8 neurons, a colour per neuron, the same in every panel and for
the neuron's ticks in the raster (black for the neurons not drawn). The legend, right of the
panels, names each neuron and its input: "neuron 3: I_ext 8.57 uA/cm2", "neuron 3: I_ext 10
uA/cm2 from 50 to 150 ms" for a step, or the neuron alone when the recording does not hold
the input. The raster has a row per neuron of the group, a tick for each spike at its time.
The title is the model's name. A long trace is drawn through the lowest and highest value of
each short interval, so that no spike is lost between pixels; a value that is not finite
leaves a gap. The extension of the file, .png or .svg, picks the format; any other is an
error (exit status 2). A PNG is 1000×700 pixels for one variable and 220 pixels taller for
each further one. The figure is written whole or not at all, and the same data give the same
bytes. The drawing is package internal/plotting, which takes plain slices.

-plot FILE draws the figure of a run into FILE after the run, and says what it drew on a
last line, "plotted V, K.n of neurons 0-7 and 211 spikes of 20 neurons to FILE". It records
V (added to -record's variables if they lack it) of the neurons of -neurons and draws every
variable recorded (up to 6) of the first 8 of them. Without -o, that recording only feeds
the figure: it goes into a temporary file that run removes, and -neurons defaults to the
first 8 neurons. With -o FILE.csv the spikes are read back from -spikes, or from a temporary
file, and the input from the run's table (for its first 20 neurons). -plot may not name the
file of -spikes, -save or -resume.

neurogen plot FILE.npz draws the same figure from a recording that neurogen run -record VARS
-o FILE.npz (or a built binary's -record VARS -o FILE.npz) wrote: the NPZ holds the
variables with their units, the times, the recorded neurons, their input (input, one row per
change of it, from the times input_t), the run's spikes, the model's name and the group's
size. It writes OUT (-o; default FILE with the extension .png). -neurons SET picks the
traces: all, or indices and ranges such as 0,3,10-12, each recorded in FILE and at most 8 of
them; the default is the first 8 recorded. -vars NAMES picks the variables and their order,
such as -vars V,M.p, each recorded in FILE and at most 6; the default is every variable
recorded, V first, up to 6. A recording without the spikes (an NPZ of
runtime.Monitor.WriteNPZ) gives an empty raster. A neuron or a variable that FILE does not
record is an error (exit status 2); a file that cannot be read, is not an NPZ file, is a
state file of -save, or holds no variable is an error (exit status 1) that says so.

	$ neurogen run specs/hh52.yaml -n 20 -t 200ms -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)' -plot a.png
	$ neurogen run specs/hh52.yaml -n 20 -t 200ms -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)' -record V,K.n -o a.npz
	$ neurogen plot a.npz -neurons 4,9,19 -o b.svg
	$ neurogen plot a.npz -vars K.n -o n.png

The exit status is 0 on success, 1 when FILE cannot be read or is not a recording or OUT
cannot be written, 2 for a bad command line (a neuron or a variable that FILE does not record
included).
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "FILE.npz",
	new: func(fs *flagSet) runner {
		r := &plotRunner{}
		fs.stringFlag(&r.out, "o", "OUT.png|OUT.svg", `
			write the figure to OUT, in the format its extension names (default: FILE with
			the extension .png)`)
		fs.valueFlag(givenValue{&r.neurons, &r.neuronsGiven}, "neurons", "SET", `
			the neurons whose traces to draw: all, or indices and ranges such as 0,3,10-12,
			at most 8 and each recorded in FILE (default: the first 8 recorded)`)
		fs.valueFlag(&r.vars, "vars", "NAMES", `
			the recorded variables to draw, comma-separated, a panel each in this order, at
			most 6, such as V,M.p (default: every variable recorded, V first, up to 6)`)
		return r
	},
}

type plotRunner struct {
	out          string
	neurons      neuronSet
	neuronsGiven bool
	vars         recordList
}

func (r *plotRunner) run(e *env, args []string) error {
	path := args[0]
	if path == "-" {
		return usageErrorf("plot reads a recording from a file, not the standard input")
	}
	out := r.out
	if out == "" {
		out = strings.TrimSuffix(path, filepath.Ext(path)) + ".png"
	}
	format, err := plotting.FormatOf(out)
	if err != nil {
		return usageErrorf("-o %v", err)
	}
	if samePath(path, out) {
		if r.out == "" {
			return usageErrorf("%s: the figure would replace the recording: name it with -o", path)
		}
		return usageErrorf("-o %s names the recording itself", out)
	}
	d, err := readNPZRecording(path)
	if err != nil {
		return err
	}
	var chosen []int
	if r.neuronsGiven {
		if chosen, err = d.choose(&r.neurons, path); err != nil {
			return err
		}
	}
	var vars []int
	if len(r.vars.names) > 0 {
		if vars, err = d.chooseVars(&r.vars, path); err != nil {
			return err
		}
	}
	return d.draw(e.stdout, chosen, vars, out, format)
}

// recording is what a figure is drawn from: variables of some neurons at the times of the
// records, their input, and the spikes of the whole group.
type recording struct {
	model   string
	t       []float64 // ms
	neurons []int     // the recorded neurons, in column order
	vars    []recordedVar

	// The recorded neurons' input, I_ext (uA/cm2), when known: inputs[k][c] is neuron
	// neurons[c]'s from time inputT[k] (ms) on, up to inputT[k+1].
	inputT []float64
	inputs [][]float64

	spikeNeuron []int
	spikeTime   []float64 // ms
	spikes      bool      // the recording holds the spikes of the run

	size       int     // the group's size, or 0 when not known: then the largest index seen + 1
	start, end float64 // the run's time span, ms; end ≤ start when not known
}

// recordedVar is one variable of a recording: data[r*len(neurons)+c] is its value at record r
// of neuron neurons[c].
type recordedVar struct {
	name, unit string
	data       []float64
}

// readNPZRecording reads an NPZ recording of neurogen run -record VARS -o FILE.npz.
func readNPZRecording(path string) (*recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a recording", path)
	}
	list, err := runtime.ReadNPZ(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	arrays := map[string]*runtime.Array{}
	for i := range list {
		arrays[list[i].Name] = &list[i]
	}
	fail := func(format string, args ...any) (*recording, error) {
		return nil, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	const how = "neurogen run SPEC -record V -o FILE.npz records it"
	if _, ok := arrays["__meta__"]; ok {
		return fail("a state file (of neurogen run -save), not a recording: plot draws a recording, as %s", how)
	}
	t, neurons := arrays["t"], arrays["neurons"]
	if t == nil || neurons == nil {
		return fail("no arrays t and neurons: not a recording of neurogen run (%s)", how)
	}
	if t.F64 == nil || len(t.Shape) != 1 {
		return fail("t is not a one-dimensional float64 array")
	}
	if neurons.I64 == nil || len(neurons.Shape) != 1 {
		return fail("neurons is not a one-dimensional int64 array")
	}
	rows, cols := t.Shape[0], neurons.Shape[0]
	d := &recording{t: t.F64, end: -1}
	for _, i := range neurons.I64 {
		if i < 0 || i > math.MaxInt32 {
			return fail("neurons holds the index %d", i)
		}
		d.neurons = append(d.neurons, int(i))
	}
	// The variables and their units: units lists them in the order recorded, after t. A file
	// without units (not of neurogen run) has its two-dimensional arrays as variables.
	var names, units []string
	if u := arrays["units"]; u != nil && u.Str != nil {
		for line := range strings.SplitSeq(*u.Str, "\n") {
			if name, unit, ok := strings.Cut(line, " "); ok && name != "t" {
				names, units = append(names, name), append(units, unit)
			}
		}
	} else {
		for _, a := range list {
			if len(a.Shape) == 2 && a.Name != "input" {
				names, units = append(names, a.Name), append(units, "")
			}
		}
	}
	for k, name := range names {
		a := arrays[name]
		if a == nil {
			return fail("units lists %s, which the file does not hold", name)
		}
		if a.F64 == nil || !slices.Equal(a.Shape, []int{rows, cols}) {
			return fail("%s is not a float64 array of shape [%d, %d] (records, neurons)", name, rows, cols)
		}
		d.vars = append(d.vars, recordedVar{name: name, unit: units[k], data: a.F64})
	}
	if len(d.vars) == 0 {
		return fail("the recording holds no variable: plot draws recorded variables, as %s", how)
	}
	// V first, the others in the order recorded.
	slices.SortStableFunc(d.vars, func(a, b recordedVar) int { return cmpBool(b.name == "V", a.name == "V") })
	if m := arrays["model"]; m != nil && m.Str != nil {
		d.model = *m.Str
	}
	if s := arrays["group_size"]; s != nil && len(s.I64) == 1 && s.I64[0] > 0 && s.I64[0] <= math.MaxInt32 {
		d.size = int(s.I64[0])
	}
	in, inT := arrays["input"], arrays["input_t"]
	if in != nil || inT != nil {
		if in == nil || inT == nil || inT.F64 == nil || len(inT.Shape) != 1 || in.F64 == nil || !slices.Equal(in.Shape, []int{len(inT.F64), cols}) {
			return fail("input and input_t are not float64 arrays of shapes [changes, neurons] and [changes]")
		}
		d.inputT = inT.F64
		for k := range inT.F64 {
			d.inputs = append(d.inputs, in.F64[k*cols:(k+1)*cols])
		}
	}
	sn, st := arrays["spike_neuron"], arrays["spike_time"]
	if sn != nil || st != nil {
		if sn == nil || st == nil || sn.I64 == nil || st.F64 == nil || len(sn.I64) != len(st.F64) {
			return fail("spike_neuron and spike_time are not int64 and float64 arrays of one length")
		}
		for k, i := range sn.I64 {
			if i < 0 || i > math.MaxInt32 {
				return fail("spike %d is of neuron %d", k, i)
			}
			d.spikeNeuron = append(d.spikeNeuron, int(i))
		}
		d.spikeTime, d.spikes = st.F64, true
	}
	// The run's span: from the grid point before the first record (t = 0 for a run from t = 0,
	// whose first record is its initial state; the step it resumed from for a resumed run) to
	// the last record. step holds the steps made at each record.
	step, every := arrays["step"], arrays["every"]
	if rows > 0 && step != nil && len(step.I64) == rows && every != nil && len(every.I64) == 1 && every.I64[0] > 0 {
		if k := step.I64[0]; k >= 0 {
			d.start, d.end = 0, d.t[rows-1]
			if k > 0 {
				d.start = float64(max(0, k-every.I64[0])) * d.t[0] / float64(k)
			}
			if n := len(d.spikeTime); n > 0 {
				d.end = max(d.end, slices.Max(d.spikeTime))
			}
		}
	}
	return d, nil
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// choose returns the recorded neurons of set, in increasing order: every neuron of set must be
// recorded, and there may be at most plotting.MaxTraces.
func (d *recording) choose(set *neuronSet, path string) ([]int, error) {
	if set.all {
		if len(d.neurons) > plotting.MaxTraces {
			return nil, usageErrorf("-neurons %s: %s records %d neurons, and a figure draws at most %d: name them, such as -neurons %s",
				set.text, path, len(d.neurons), plotting.MaxTraces, neuronList(d.neurons[:plotting.MaxTraces]))
		}
		return slices.Sorted(slices.Values(d.neurons)), nil
	}
	var out []int
	for _, r := range set.ranges {
		for i := r.lo; i <= r.hi; i++ {
			if i > math.MaxInt32 || !slices.Contains(d.neurons, int(i)) {
				return nil, usageErrorf("-neurons %s: neuron %d is not in %s, which records %s", set.text, i, path, plural(len(d.neurons), "neuron")+" "+neuronList(d.neurons))
			}
			if !slices.Contains(out, int(i)) {
				out = append(out, int(i))
			}
			if len(out) > plotting.MaxTraces {
				return nil, usageErrorf("-neurons %s: more than %d neurons, the most a figure draws", set.text, plotting.MaxTraces)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// neuronList formats indices as a list with ranges: "0-3, 7, 9-10".
func neuronList(ns []int) string {
	var parts []string
	for k := 0; k < len(ns); {
		j := k
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j > k {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[k], ns[j]))
		} else {
			parts = append(parts, strconv.Itoa(ns[k]))
		}
		k = j + 1
	}
	return strings.Join(parts, ", ")
}

// chooseVars returns the indices in d.vars of the variables of list, in its order: each must be
// recorded, and there may be at most plotting.MaxPanels.
func (d *recording) chooseVars(list *recordList, path string) ([]int, error) {
	var out []int
	for _, name := range list.names {
		k := slices.IndexFunc(d.vars, func(v recordedVar) bool { return v.name == name })
		if k < 0 {
			var have []string
			for _, v := range d.vars {
				have = append(have, v.name)
			}
			msg := fmt.Sprintf("-vars %s: %s does not record `%s`: it records %s", list.textOf(name), path, name, strings.Join(have, ", "))
			if s := suggest.Closest(name, have); s != "" {
				msg = fmt.Sprintf("-vars %s: %s does not record `%s` (did you mean `%s`?)", list.textOf(name), path, name, s)
			}
			return nil, usageErrorf("%s", msg)
		}
		out = append(out, k)
	}
	if len(out) > plotting.MaxPanels {
		return nil, usageErrorf("-vars %s: %d variables, and a figure draws at most %d", list.String(), len(out), plotting.MaxPanels)
	}
	return out, nil
}

// inputText describes the input of the recorded neuron in column c for a legend: "I_ext 8.57
// uA/cm2" when it is constant, "I_ext 10 uA/cm2 from 50 to 150 ms" for a step from 0 and
// back, a list of values and times otherwise; "" when the recording does not hold it.
func (d *recording) inputText(c int) string {
	type piece struct{ t, v float64 }
	var ps []piece
	for k, t := range d.inputT {
		if v := d.inputs[k][c]; len(ps) == 0 || v != ps[len(ps)-1].v {
			ps = append(ps, piece{t, v})
		}
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	switch {
	case len(ps) == 0:
		return ""
	case len(ps) == 1:
		return "I_ext " + g(ps[0].v) + " uA/cm2"
	case len(ps) == 2 && ps[0].v == 0:
		return "I_ext " + g(ps[1].v) + " uA/cm2 from " + g(ps[1].t) + " ms"
	case len(ps) == 3 && ps[0].v == 0 && ps[2].v == 0:
		return "I_ext " + g(ps[1].v) + " uA/cm2 from " + g(ps[1].t) + " to " + g(ps[2].t) + " ms"
	}
	parts := []string{g(ps[0].v)}
	for _, p := range ps[1:] {
		parts = append(parts, g(p.v)+" from "+g(p.t)+" ms")
	}
	return "I_ext " + strings.Join(parts, ", ") + " (uA/cm2)"
}

// draw draws the variables vars (indices in d.vars; nil: the first plotting.MaxPanels) of the
// neurons chosen (nil: the first plotting.MaxTraces recorded) and the raster into the file
// out, in format, and says what it drew on w.
func (d *recording) draw(w io.Writer, chosen, vars []int, out, format string) error {
	note := ""
	if chosen == nil {
		chosen = d.neurons[:min(len(d.neurons), plotting.MaxTraces)]
		if len(d.neurons) > len(chosen) {
			note = fmt.Sprintf(" (the first %d of %d recorded)", len(chosen), len(d.neurons))
		}
	}
	varNote := ""
	if vars == nil {
		for k := range min(len(d.vars), plotting.MaxPanels) {
			vars = append(vars, k)
		}
		if len(d.vars) > len(vars) {
			varNote = fmt.Sprintf(" (the first %d of %d recorded)", len(vars), len(d.vars))
		}
	}
	size := d.size
	for _, i := range d.spikeNeuron {
		size = max(size, i+1)
	}
	for _, i := range d.neurons {
		size = max(size, i+1)
	}
	fig := &plotting.Figure{
		Title: d.model, T: d.t,
		SpikeNeuron: d.spikeNeuron, SpikeTime: d.spikeTime, Neurons: size,
		Start: d.start, End: d.end,
	}
	var names []string
	for _, k := range vars {
		fig.Panels = append(fig.Panels, plotting.Panel{Name: d.vars[k].name, Unit: d.vars[k].unit})
		names = append(names, d.vars[k].name)
	}
	cols := len(d.neurons)
	for _, i := range chosen {
		c := slices.Index(d.neurons, i)
		tr := plotting.Trace{Neuron: i, Input: d.inputText(c)}
		for _, k := range vars {
			v := make([]float64, len(d.t))
			for r := range v {
				v[r] = d.vars[k].data[r*cols+c]
			}
			tr.Values = append(tr.Values, v)
		}
		fig.Traces = append(fig.Traces, tr)
	}
	p, err := newPendingFile(out)
	if err != nil {
		return err
	}
	defer p.discard()
	f, err := os.Create(p.tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = fig.Write(bw, format)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("drawing %s: %w", out, err)
	}
	if err := p.commit(); err != nil {
		return err
	}
	what := "no variable"
	if len(chosen) > 0 {
		what = strings.Join(names, ", ") + varNote + " of neuron " + neuronList(chosen) + note
		if len(chosen) > 1 {
			what = strings.Join(names, ", ") + varNote + " of neurons " + neuronList(chosen) + note
		}
	}
	spikes := "no spikes recorded"
	if d.spikes {
		spikes = plural(len(d.spikeTime), "spike") + " of " + plural(size, "neuron")
	}
	_, err = fmt.Fprintf(w, "plotted %s and %s to %s\n", what, spikes, out)
	return err
}

// runPlot is what neurogen run -plot does besides the run: it has V recorded besides -record's
// variables (into a temporary NPZ file when there is no -o), and draws the figure of them all
// after the run.
type runPlot struct {
	path, format string
	tmp          string // a temporary directory for a recording or spikes nobody asked for, or ""
	recording    string // the recording to read after the run
	spikes       string // the spikes CSV to read after the run, or "" (they are in an NPZ recording)
}

// checkPlot checks -plot's extension, and that it names no other file of the run.
func (r *runRunner) checkPlot() error {
	if r.plot == "" {
		return nil
	}
	if _, err := plotting.FormatOf(r.plot); err != nil {
		return usageErrorf("-plot %v", err)
	}
	for _, c := range []struct{ flag, path string }{{"-o", r.out}, {"-spikes", r.spikes}, {"-save", r.save}, {"-resume", r.resume}} {
		if samePath(r.plot, c.path) {
			return usageErrorf("-plot %s and %s %s name the same file", r.plot, c.flag, c.path)
		}
	}
	return nil
}

// planPlot makes the recording that -plot draws, once resolveRecording has checked the rest:
// V is recorded (added to -record's variables when missing), by default of the first
// plotting.MaxTraces neurons when the recording only feeds the figure, into a temporary NPZ
// file when there is no -o; and the spikes of a CSV recording go to a temporary file when there
// is no -spikes. It returns nil without -plot; the caller removes its files with close.
func (r *runRunner) planPlot(m *ir.Model, cfg *programConfig, start int64) (*runPlot, error) {
	if r.plot == "" {
		return nil, nil
	}
	if !slices.Contains(r.record.names, "V") {
		r.record.names = append(r.record.names, "V")
		r.record.texts = append(r.record.texts, "V (for -plot)")
	}
	if r.out == "" && !r.neuronsGiven {
		r.neurons = neuronSet{text: "(-plot's default)", ranges: []neuronRange{{0, uint64(min(cfg.N, plotting.MaxTraces) - 1)}}}
		r.neuronsGiven = true
	}
	if err := r.resolveRecording(m, cfg, start); err != nil {
		return nil, err
	}
	format, _ := plotting.FormatOf(r.plot)
	if err := probeWritable(r.plot); err != nil {
		return nil, err
	}
	p := &runPlot{path: r.plot, format: format, recording: r.out}
	if r.out == "" || cfg.Format == "csv" && r.spikes == "" {
		var err error
		if p.tmp, err = os.MkdirTemp("", "neurogen-plot-*"); err != nil {
			return nil, err
		}
	}
	switch {
	case r.out == "":
		cfg.Format = "npz"
		cfg.Output = filepath.Join(p.tmp, "recording.npz")
		p.recording = cfg.Output
	case cfg.Format == "csv" && r.spikes == "":
		cfg.Spikes = filepath.Join(p.tmp, "spikes.csv")
		p.spikes = cfg.Spikes
	case cfg.Format == "csv":
		p.spikes = r.spikes
	}
	return p, nil
}

// close removes the temporary directory.
func (p *runPlot) close() {
	if p != nil && p.tmp != "" {
		os.RemoveAll(p.tmp)
	}
}

// draw reads back the recording and the spikes of the run and draws the figure.
func (p *runPlot) draw(w io.Writer, m *ir.Model, cfg *programConfig, res *programResult) error {
	if p == nil {
		return nil
	}
	var d *recording
	var err error
	if p.spikes == "" {
		d, err = readNPZRecording(p.recording)
	} else {
		d, err = readCSVRecording(p.recording, p.spikes, m, cfg)
	}
	if err != nil {
		return fmt.Errorf("reading back the recording for -plot: %w", err)
	}
	d.model, d.size = m.Name, cfg.N
	d.start, d.end = float64(res.Start)*cfg.Dt, float64(res.Start+int64(cfg.Steps))*cfg.Dt
	if d.inputT == nil {
		// A CSV recording does not hold the input: the run's summary has it, for its first
		// neurons, as it was at the end of the run, as it was throughout (run sets it once).
		if in, ok := endInputs(d.neurons, cfg, res); ok {
			d.inputT, d.inputs = []float64{d.start}, [][]float64{in}
		}
	}
	return d.draw(w, nil, nil, p.path, p.format)
}

// endInputs returns the input at the end of the run of each of the neurons, from the rows of
// the run's summary, when they are all there and the input is not a step.
func endInputs(neurons []int, cfg *programConfig, res *programResult) ([]float64, bool) {
	col := slices.IndexFunc(cfg.Columns, func(c modelrun.Column) bool { return c.Name == inputName })
	if col < 0 || cfg.Columns[col].Pulse != nil {
		return nil, false
	}
	var in []float64
	for _, i := range neurons {
		if i >= len(res.Rows) || col >= len(res.Rows[i].Values) {
			return nil, false
		}
		in = append(in, res.Rows[i].Values[col])
	}
	return in, true
}

// readCSVRecording reads the variables of a CSV recording of cfg (see runtime.Monitor.WriteCSV),
// with their units in m, and the spikes from a spikes CSV (see runtime.Spikes.WriteCSV).
func readCSVRecording(path, spikes string, m *ir.Model, cfg *programConfig) (*recording, error) {
	d := &recording{neurons: cfg.Neurons, spikes: true}
	if d.neurons == nil {
		for i := range cfg.N {
			d.neurons = append(d.neurons, i)
		}
	}
	lines, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	if len(lines[0]) < 3 || lines[0][0] != "t_ms" || lines[0][1] != "neuron" {
		return nil, fmt.Errorf("%s: header %q, want t_ms,neuron,VAR…", path, strings.Join(lines[0], ","))
	}
	units := modelUnits(m)
	for _, name := range lines[0][2:] {
		d.vars = append(d.vars, recordedVar{name: name, unit: units[name]})
	}
	cols := len(d.neurons)
	if (len(lines)-1)%cols != 0 {
		return nil, fmt.Errorf("%s: %d lines of records, not a whole number of records of %d neurons", path, len(lines)-1, cols)
	}
	for j, line := range lines[1:] {
		r, c := j/cols, j%cols
		t, err1 := strconv.ParseFloat(line[0], 64)
		i, err2 := strconv.Atoi(line[1])
		if err := errors.Join(err1, err2); err != nil || i != d.neurons[c] {
			return nil, fmt.Errorf("%s:%d: not the record of neuron %d: %q", path, j+2, d.neurons[c], strings.Join(line, ","))
		}
		for k := range d.vars {
			v, err := strconv.ParseFloat(line[k+2], 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s is not a number: %q", path, j+2, d.vars[k].name, strings.Join(line, ","))
			}
			d.vars[k].data = append(d.vars[k].data, v)
		}
		if c == 0 {
			d.t = append(d.t, t)
		} else if t != d.t[r] {
			return nil, fmt.Errorf("%s:%d: time %g in record %d, at time %g", path, j+2, t, r, d.t[r])
		}
	}
	slices.SortStableFunc(d.vars, func(a, b recordedVar) int { return cmpBool(b.name == "V", a.name == "V") })
	lines, err = readCSV(spikes)
	if err != nil {
		return nil, err
	}
	for j, line := range lines {
		if j == 0 {
			continue // the header
		}
		i, err1 := strconv.Atoi(line[0])
		t, err2 := strconv.ParseFloat(line[1], 64)
		if errors.Join(err1, err2) != nil || i < 0 || i >= cfg.N {
			return nil, fmt.Errorf("%s:%d: not a spike: %q", spikes, j+1, strings.Join(line, ","))
		}
		d.spikeNeuron, d.spikeTime = append(d.spikeNeuron, i), append(d.spikeTime, t)
	}
	return d, nil
}

// modelUnits returns the units of what a model records (see recordable), as a
// runtime.Monitor gives them.
func modelUnits(m *ir.Model) map[string]string {
	units := map[string]string{inputName: "uA/cm2"}
	for _, s := range m.States {
		units[s.Name] = s.Unit
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			units[p.Name] = p.Unit
		}
	}
	for _, c := range m.Channels {
		units[c.Name+runtime.CurrentSuffix] = "uA/cm2"
	}
	return units
}

// readCSV reads the lines of a CSV file, each of the header's length.
func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lines, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lines, nil
}
