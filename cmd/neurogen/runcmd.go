package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

var runCommand = &command{
	name:    "run",
	summary: "simulate a spec's neuron group and summarise its spikes",
	synopsis: `neurogen run SPEC [-n N] [-t DURATION] [-dt STEP] [-set NAME=VALUE]...
[-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-seed SEED]
[-spikes FILE.csv] [-keep DIR] [-rebuild] [-progress=false]
[-record VARS -o FILE.npz|FILE.csv [-every DURATION] [-neurons SET]
[-max-memory SIZE]] [-save STATE] [-resume STATE [-resume-any-method]]
[-plot FILE.png|FILE.svg]`,
	doc: `Run generates the package of SPEC, builds it with the go command into a small program (in a
temporary module, offline: the runtime's source comes with neurogen), simulates N neurons for
DURATION from their initial state (or from a saved state, with -resume), and prints a summary:
the run (its model, method and variant: tables, simd, float32), its timings, each neuron's
spike count, rate and input (the first 20 neurons), and the totals.

The program depends only on the model (SPEC and -method), not on the values of a run, and is
kept in a cache: a later run of the same model, whatever its -n, -t, -set and other values,
starts it at once without building ("build cached" in the summary). The cache is the
directory $NEUROGEN_CACHE, or neurogen in the user's cache directory (~/.cache/neurogen on
Linux); it holds the 50 programs used last, about 5 MB each, and rm -rf clears it.
NEUROGEN_CACHE=off turns it off.

Quote linspace and step for the shell:

	neurogen run hh52.yaml -n 8 -t 1s -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)'
	neurogen run hh52.yaml -n 2 -t 200ms -set 'I_ext=step(50ms, 150ms, 10uA/cm2)'

Record, save, and go on from the saved state:

	neurogen run hh52.yaml -n 4 -t 500ms -record V,Na.m -every 0.1ms -o a.npz -save s.npz
	neurogen run hh52.yaml -resume s.npz -t 500ms -record V -o b.npz

The exit status is 0 on success, 1 for errors in the spec, the build or the run, 2 for a bad
command line (a value error is found before anything is built).
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "SPEC",
	new: func(fs *flagSet) runner {
		r := &runRunner{n: 1}
		r.t.Set("100ms")
		r.dt.Set("0.025ms")
		r.maxMemory = memoryValue{bytes: runtime.DefaultMonitorLimit, text: "1GiB"}
		r.define(fs)
		return r
	},
}

// define defines the flags of run on fs.
func (r *runRunner) define(fs *flagSet) {
	// -n and -dt default to a resumed state's: run needs to know whether they were given.
	fs.valueFlag(givenValue{&r.n, &r.nGiven}, "n", "N", "the number of neurons (default 1)")
	fs.valueFlag(&r.t, "t", "DURATION", `
		the simulated time, with a time unit: 100ms, 1s (default 100ms); a whole number
		of steps`)
	fs.valueFlag(givenValue{&r.dt, &r.dtGiven}, "dt", "STEP", "the time step, with a time unit (default 0.025ms)")
	fs.valueFlag(&r.sets, "set", "NAME=VALUE", `
		set a parameter (by its spec name: C, V_th, Na.g_max, …), the membrane area A
		or the external input I_ext of every neuron; repeat for several, the last for a
		NAME wins. VALUE is a quantity with a unit of the parameter's dimension
		(120mS/cm2; a bare number for a dimensionless one); linspace(FROM, TO), which
		gives neuron i of N the value FROM + (TO−FROM)·i/(N−1), or @FILE, N values in the
		internal unit from a .npy, text or CSV file: these two only for I_ext and
		parameters declared per_neuron: true; or, for I_ext, step(ON, OFF, VALUE), VALUE
		from time ON to OFF and 0 before and after. I_ext is a current density (5uA/cm2)
		or a current (0.5nA), which is divided by the membrane area A (an area: 2e-4cm2).
		The binaries of neurogen build take the same values as flags -NAME VALUE`)
	r.defineMethodTables(fs)
	r.defineSIMD(fs)
	r.defineFloat32(fs)
	fs.valueFlag(&r.seed, "seed", "SEED", "the seed of the random initial state (default: the spec's)")
	fs.stringFlag(&r.spikes, "spikes", "FILE.csv", `write every spike to FILE.csv, as lines "neuron,time_ms" after that header`)
	fs.stringFlag(&r.keep, "keep", "DIR", `
		write the program's module into DIR, a new or empty directory (or one of an
		earlier -keep), build it there unless the cache holds the program, and keep it
		there for inspection, with the program in DIR/bin`)
	rebuildFlag(fs, &r.rebuild)
	fs.boolFlag(&r.progress, "progress", true, `
		draw no progress bar. By default a run that takes more than a second draws one on
		standard error when that is a terminal (never into a file or a pipe): the simulated
		time done, the speed in neuron-steps/s and the time left; it is cleared at the end`)

	fs.section("Recording")
	fs.valueFlag(&r.record, "record", "VARS", `
		record the comma-separated variables VARS (repeatable: the lists add up): state
		variables (V, Na.m, Ca_i), per-neuron parameters, I_ext, and channel currents
		CHANNEL.I (uA/cm2, inward positive); needs -o`)
	fs.stringFlag(&r.out, "o", "FILE.npz|FILE.csv", `
		write the recording to FILE, in the format its extension names. NPZ: arrays t
		(ms), step, neurons, one [records, neurons] array per variable, units, every,
		dropped, model (its name), group_size, the spikes of the run, spike_neuron
		and spike_time (ms), and the recorded neurons' input, input (uA/cm2, a row
		per change) from the times input_t (ms). CSV: a line "t_ms,neuron,VAR…" per
		record and neuron`)
	fs.valueFlag(givenValue{&r.every, &r.everyGiven}, "every", "DURATION", `
		record every DURATION of simulated time, a whole number of steps (default: every
		step); records fall at the times k·DURATION from t = 0, also in a resumed run.
		A run records its initial state at t = 0 first (T/DURATION + 1 records); a
		resumed run does not, as it was the last record of the run that saved it`)
	fs.valueFlag(givenValue{&r.neurons, &r.neuronsGiven}, "neurons", "SET", `
		the neurons to record: all, or indices and ranges such as 0,3,10-19 (default:
		all when N ≤ 100; a larger group needs -neurons)`)
	fs.valueFlag(givenValue{&r.maxMemory, &r.maxMemoryGiven}, "max-memory", "SIZE", `
		refuse, before the run, a recording that would take more memory than SIZE, such
		as 512MiB or 2GiB, or none for no limit (default 1GiB)`)

	fs.section("Plotting")
	fs.stringFlag(&r.plot, "plot", "FILE.png|FILE.svg", `
		after the run, draw the recorded variables of up to 8 recorded neurons (the
		first 8 of -neurons), a panel each, above a spike raster of the whole group into
		FILE, PNG or SVG as its extension says: the figure of neurogen plot. It records
		V if -record does not; without -o that recording only feeds the figure, and
		-neurons defaults to the first 8 neurons`)

	fs.section("Saving and resuming")
	fs.stringFlag(&r.save, "save", "STATE", `
		write the complete state at the end of the run to STATE, a state file (an NPZ
		file, see runtime.Sim.WriteState; arrays group.V, group.Na.m, …), atomically`)
	fs.stringFlag(&r.resume, "resume", "STATE", `
		start from the state in STATE, written by -save, instead of the initial state:
		the step count and time t continue from the file's, and -t is the time to run on.
		-n and -dt default to the file's (when given they must match it), -seed is an
		error, and -set applies after loading, changing values from that point on.
		STATE must hold the same model (its variables and parameters); the program's
		loader reports any mismatch. A state is also refused as physically impossible
		(a gate outside [0, 1], a concentration or C <= 0, a spike after its clock)`)
	fs.boolFlag(&r.anyMethod, "resume-any-method", false, `
		resume a state saved by a run that integrates with another method (-method), which
		is refused without it: a staggered state keeps its gates half a step ahead of V`)
}

type runRunner struct {
	codeFlags // -method, -tables, -table-error, -simd (built with GOEXPERIMENT=simd), -float32

	n      countValue
	t, dt  timeValue
	sets   setList
	seed   seedValue
	spikes string
	keep   string

	rebuild  bool // build even if the cache holds the program
	progress bool // draw a progress bar on a terminal

	record    recordList
	out       string
	every     timeValue
	neurons   neuronSet
	maxMemory memoryValue
	save      string
	resume    string
	anyMethod bool   // -resume-any-method
	plot      string // the -plot figure, or ""

	nGiven, dtGiven, everyGiven, neuronsGiven, maxMemoryGiven bool
}

// errInterrupted is the error of a build or run ended by an interrupt.
var errInterrupted = errors.New("interrupted")

// tableRows is the number of neurons in the summary's table.
const tableRows = modelrun.TableRows

// programConfig is the configuration of a model program, which neurogen run writes.
type programConfig = modelrun.Config

// programResult is what a model program prints.
type programResult = modelrun.Result

// exitUserError is the exit status of a model program whose error is the user's to read as it
// is (a state file that does not load, a recording over its limit, a file it cannot write);
// other failures are bugs or accidents, and neurogen run says that the program failed.
const exitUserError = modelrun.ExitUser

// recordFormats are the formats of -o, by extension.
var recordFormats = map[string]string{".npz": "npz", ".csv": "csv"}

func (r *runRunner) run(e *env, args []string) error {
	if err := r.validate(); err != nil {
		return err
	}
	if err := r.checkCombinations(); err != nil {
		return err
	}
	m, err := r.loadSpec(e, "run", args[0])
	if err != nil {
		return err
	}
	var state *stateInfo
	if r.resume != "" {
		if state, err = readStateInfo(r.resume); err != nil {
			return err
		}
		if err := state.Match(runtimeModel(m), r.anyMethod); err != nil {
			return err
		}
		if err := r.matchState(state); err != nil {
			return err
		}
	}
	steps, err := r.steps()
	if err != nil {
		return err
	}
	in, err := modelrun.Resolve(runtimeModel(m), r.sets, int(r.n), r.dt.ms)
	if err != nil {
		return usageErrorf("-set %v", err)
	}
	cfg := &programConfig{N: int(r.n), Dt: r.dt.ms, Steps: steps, Settings: in.Settings, Changes: in.Changes,
		Columns: in.Columns, Rows: tableRows, Group: groupName, Resume: r.resume, AnyMethod: r.anyMethod, Save: r.save, MaxMemory: r.maxMemory.bytes}
	if r.seed.set {
		cfg.Seed = &r.seed.seed
	}
	var start int64
	if state != nil {
		start = state.Step
	}
	if err := r.resolveRecording(m, cfg, start); err != nil {
		return err
	}
	plot, err := r.planPlot(m, cfg, start) // -plot: V recorded for the figure (plotcmd.go)
	if err != nil {
		return err
	}
	defer plot.close()
	// The group, the program's bookkeeping and the recording must fit in memory.
	if err := modelrun.PlanMemory(runtimeModel(m), cfg).CheckMemory("-n", cfg.N); err != nil {
		return usageErrorf("%v", err)
	}

	// Everything about the command line is checked; from here on errors exit 1.
	goCmd, err := lookGo()
	if err != nil {
		return err
	}
	var pending []*pendingFile
	defer func() {
		for _, p := range pending {
			p.discard()
		}
	}()
	for _, o := range []struct {
		path string
		tmp  *string
	}{{r.spikes, &cfg.Spikes}, {r.out, &cfg.Output}} {
		if o.path == "" {
			continue
		}
		p, err := newPendingFile(o.path)
		if err != nil {
			return err
		}
		pending = append(pending, p)
		*o.tmp = p.tmp
	}
	if r.save != "" {
		if err := probeWritable(r.save); err != nil {
			return err
		}
	}
	dir := r.keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "neurogen-run-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := prepareDir(dir); err != nil {
		return err
	}

	// An interrupt ends the build or the run, and the deferred clean-up still happens.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	buildStart := time.Now()
	bin, cached, err := r.program(ctx, e, goCmd, m, dir)
	if err != nil {
		return err
	}
	buildTime := time.Since(buildStart)

	res, err := runProgram(ctx, bin, dir, cfg, newProgressBar(e.stderr, r.progress, cfg))
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := p.commit(); err != nil {
			return err
		}
	}
	build := modelrun.Seconds(buildTime.Seconds())
	if cached {
		build = "cached (" + build + ")"
	}
	modelrun.WriteSummary(e.stdout, &modelrun.Summary{Config: cfg, Result: res, Build: build,
		Spikes: r.spikes, Output: r.out, Save: r.save, Resume: r.resume, Keep: r.keep})
	return plot.draw(e.stdout, m, cfg, res)
}

// checkCombinations checks the flags that go together, or not, before anything is read.
func (r *runRunner) checkCombinations() error {
	rec := len(r.record.names) > 0 || r.plot != "" // -plot records V
	switch {
	case r.resume != "" && r.seed.set:
		return usageErrorf("-seed %s -resume %s: the state to resume already holds V and the seed; drop -seed", r.seed.String(), r.resume)
	case len(r.record.names) > 0 && r.out == "":
		return usageErrorf("-record %s: missing -o FILE.npz or FILE.csv, the file to write the recording into", r.record.String())
	case !rec && r.out != "":
		return usageErrorf("-o %s: nothing to record: name the variables with -record, such as -record V", r.out)
	case !rec && r.everyGiven:
		return usageErrorf("-every %s: nothing to record: name the variables with -record, such as -record V", r.every.text)
	case !rec && r.neuronsGiven:
		return usageErrorf("-neurons %s: nothing to record: name the variables with -record, such as -record V", r.neurons.text)
	case !rec && r.maxMemoryGiven:
		return usageErrorf("-max-memory %s: nothing to record: name the variables with -record, such as -record V", r.maxMemory.text)
	}
	if r.out != "" {
		if _, ok := recordFormats[strings.ToLower(filepath.Ext(r.out))]; !ok {
			return usageErrorf("-o %s: name the recording FILE.npz (NPZ, for numpy) or FILE.csv (CSV)", r.out)
		}
	}
	for _, c := range []struct{ a, b, pa, pb string }{
		{"-o", "-spikes", r.out, r.spikes}, {"-o", "-save", r.out, r.save}, {"-spikes", "-save", r.spikes, r.save},
	} {
		if samePath(c.pa, c.pb) {
			return usageErrorf("%s %s and %s %s name the same file", c.a, c.pa, c.b, c.pb)
		}
	}
	return r.checkPlot()
}

// matchState takes -n and -dt from the state to resume, or checks them against it.
func (r *runRunner) matchState(st *stateInfo) error {
	if r.nGiven && int(r.n) != st.Size {
		return usageErrorf("-n %d -resume %s: the state holds %d neurons; omit -n or give -n %d", int(r.n), r.resume, st.Size, st.Size)
	}
	r.n = countValue(st.Size)
	if r.dtGiven && math.Abs(r.dt.ms-st.Dt) > 1e-9*st.Dt {
		return usageErrorf("-dt %s -resume %s: the state was made with steps of %g ms; omit -dt or give -dt %gms", r.dt.text, r.resume, st.Dt, st.Dt)
	}
	r.dt.ms = st.Dt // exactly the file's, which the runtime insists on
	if !r.dtGiven {
		r.dt.text = strconv.FormatFloat(st.Dt, 'g', -1, 64) + "ms"
	}
	return nil
}

// resolveRecording checks -record, -every, -neurons and -max-memory against the model and
// the run, and puts them in cfg.
func (r *runRunner) resolveRecording(m *check.Model, cfg *programConfig, start int64) error {
	if len(r.record.names) == 0 {
		return nil
	}
	if err := r.record.resolve(m); err != nil {
		return err
	}
	every := 1
	if r.everyGiven {
		if !(r.every.ms > 0) {
			return usageErrorf("-every %s: the recording interval must be positive", r.every.text)
		}
		n, err := runtime.Steps(r.every.ms, r.dt.ms)
		if err != nil || n < 1 {
			return usageErrorf("-every %s: the recording interval must be a whole number of steps of %s", r.every.text, r.dt.text)
		}
		every = n
	} else {
		r.every.ms = r.dt.ms
	}
	var neurons []int
	switch {
	case r.neuronsGiven:
		var err error
		if neurons, err = r.neurons.resolve(cfg.N); err != nil {
			return err
		}
	case cfg.N > defaultAllNeurons:
		return usageErrorf("-record %s: the group has %d neurons: say which to record with -neurons (all, or indices and ranges such as 0-%d)",
			r.record.String(), cfg.N, defaultAllNeurons-1)
	}
	if err := checkMonitorMemory(r, m, cfg.N, neurons, every, start, int64(cfg.Steps)); err != nil {
		return err
	}
	cfg.Record, cfg.Every, cfg.Neurons = r.record.names, every, neurons
	cfg.Format = recordFormats[strings.ToLower(filepath.Ext(r.out))]
	return nil
}

// steps checks -n, -t and -dt and returns the number of steps.
func (r *runRunner) steps() (int, error) {
	switch {
	case !(r.dt.ms > 0):
		return 0, usageErrorf("-dt %s: the time step must be positive", r.dt.text)
	case r.t.ms < 0:
		return 0, usageErrorf("-t %s: the duration must not be negative", r.t.text)
	}
	steps, err := runtime.Steps(r.t.ms, r.dt.ms)
	if err != nil {
		return 0, usageErrorf("-t %s -dt %s: %v", r.t.text, r.dt.text, err)
	}
	return steps, nil
}

// runProgram runs the model program bin with the configuration cfg (written into dir) and
// returns its result, drawing its progress on bar (which may be nil).
func runProgram(ctx context.Context, bin, dir string, cfg *programConfig, bar *progressBar) (*programResult, error) {
	data, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgPath, append(data, '\n'), 0o666); err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-config", cfgPath)
	progress := &programStderr{buf: &stderr, bar: bar}
	cmd.Stdout, cmd.Stderr = &stdout, progress
	err = cmd.Run()
	progress.close() // the bar is cleared before any message
	if err != nil {
		if ctx.Err() != nil || killedByInterrupt(err) {
			return nil, errInterrupted
		}
		msg := strings.TrimSpace(stderr.String())
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == exitUserError && msg != "" {
			return nil, errors.New(msg) // the runtime's message, as it is
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("the model program failed: %s", msg)
	}
	var res programResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("the model program printed no result (a bug in neurogen): %v", err)
	}
	return &res, nil
}

// pendingFile is an output file written whole or not at all: the model program writes tmp, a
// temporary file beside the destination (beside a symlink's target: the link is written
// through), which commit renames over the destination. A destination that cannot be replaced (a
// device such as /dev/null, a FIFO, or a file in a directory where no temporary file can be
// made) has no temporary file: the program writes it in place, and commit and discard do
// nothing.
type pendingFile struct {
	dst, tmp string // tmp is the file the program writes
	out      *runtime.OutputFile
}

// newPendingFile creates the temporary file for dst, which also checks early that dst's
// directory exists and is writable.
func newPendingFile(dst string) (*pendingFile, error) {
	t, err := runtime.ResolveOutput(dst)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write %s: %v", dst, err)
	}
	if t.InPlace {
		return &pendingFile{dst: dst, tmp: t.File}, nil
	}
	f, err := t.Create()
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot write %s: %v", dst, pe.Err)
		}
		return nil, err
	}
	if err := f.Close(); err != nil { // the program writes it by name; commit renames it by name
		f.Discard()
		return nil, err
	}
	return &pendingFile{dst: dst, tmp: f.Name(), out: f}, nil
}

// commit renames the temporary file over the destination.
func (p *pendingFile) commit() error {
	if p.out == nil {
		return nil
	}
	if err := p.out.Commit(); err != nil {
		return fmt.Errorf("writing %s: %v", p.dst, err)
	}
	return nil
}

// discard removes the temporary file unless it was committed, and what a killed program left
// while writing it (the program writes tmp through a temporary file of its own).
func (p *pendingFile) discard() {
	if p.out != nil {
		p.out.Discard()
		runtime.RemoveOutputLeftovers(p.tmp)
	}
}
