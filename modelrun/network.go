package modelrun

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/runtime"
)

// NetworkProgram is the main of a network program, which neurogen run and neurogen build compile
// with a network's generated package: it builds the network, runs it as its command line asks,
// records what it asks, and prints each group's summary (spikestats).
type NetworkProgram struct {
	Name string  // the network's name, as its spec gives it
	DT   float64 // its time step, ms
	// Seed is the spec's seed, the default of -seed.
	Seed uint64
	// New builds the network as its spec says, with seed for every random draw that gives no
	// seed of its own (the generated NewSeed); the groups are the Sim's, under their names.
	New func(seed uint64) (*runtime.Sim, error)
}

// DefaultRecordNeurons is how many neurons of a group -record records without -neurons: the
// first ones.
const DefaultRecordNeurons = 10

// networkRun is a network program's command line, parsed.
type networkRun struct {
	tMS, everyMS, binMS float64
	progressMS          float64 // the interval of progress reports on standard error; 0: none
	workers             int
	seed                uint64
	spikes              []string // -spikes, each file in its format
	out                 string
	save, resume        string   // -save, -resume: state files (runtime.Sim.Save, Load)
	record              []string // group.VAR, in order
	neurons             map[string]string
}

// Main runs a network program with the arguments args (without the program's name, which is
// name) and returns its exit status (ExitOK, ExitError, ExitUsage).
func (p *NetworkProgram) Main(name string, args []string, stdout, stderr io.Writer) int {
	r := networkRun{tMS: 100, workers: 1, neurons: map[string]string{}}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Func("t", "the simulated time, a `DURATION` with a time unit: 100ms, 1s (default 100ms)", func(s string) error {
		return timeFlag(s, &r.tMS)
	})
	fs.Uint64Var(&r.seed, "seed", p.Seed, "the `SEED` of every random draw of the spec that gives none of its own (initial values, connections, inputs)")
	fs.IntVar(&r.workers, "workers", 1, "the number `N` of goroutines that step the groups and deliver the spikes; the results are the same for any N")
	fs.Func("spikes", "write every spike to `FILE`.csv, lines group,neuron,time_ms, or FILE.npz, arrays GROUP.spike_neuron and GROUP.spike_time (repeatable: each file gets every spike)", func(s string) error {
		if !slices.Contains([]string{".csv", ".npz"}, strings.ToLower(filepath.Ext(s))) {
			return fmt.Errorf("%s: name it FILE.csv or FILE.npz", s)
		}
		r.spikes = append(r.spikes, s)
		return nil
	})
	fs.Func("record", "record the variables `GROUP.VAR[,GROUP.VAR…]`, such as exc.V,inh.E.g, into -o (repeatable)", func(s string) error {
		for v := range strings.SplitSeq(s, ",") {
			if g, _, ok := strings.Cut(strings.TrimSpace(v), "."); !ok || g == "" {
				return fmt.Errorf("%q: want GROUP.VAR, such as exc.V", v)
			}
			r.record = append(r.record, strings.TrimSpace(v))
		}
		return nil
	})
	fs.Func("neurons", "the neurons of a group that -record records, `GROUP:SET` such as exc:0-9,20 (repeatable; default each group's first 10)", func(s string) error {
		g, set, ok := strings.Cut(s, ":")
		if !ok || g == "" || set == "" {
			return fmt.Errorf("%q: want GROUP:SET, such as exc:0-9", s)
		}
		r.neurons[g] = set
		return nil
	})
	fs.StringVar(&r.save, "save", "", "write the network's state at the end of the run to `FILE` (runtime.Sim.Save): every group, receptor, delay line, plasticity and input generator, and the connectivity's hash")
	fs.StringVar(&r.resume, "resume", "", "start from the state in `FILE` that -save wrote, at its time, and run -t more: the run continues bit for bit (the same -seed, for the same connectivity)")
	fs.Func("every", "record every `DURATION` (default every step)", func(s string) error { return timeFlag(s, &r.everyMS) })
	fs.StringVar(&r.out, "o", "", "write the recording of -record to `FILE.npz`, arrays GROUP.t, GROUP.VAR …")
	fs.Func("bin", "the bin `DURATION` of the synchrony χ (default 1ms)", func(s string) error { return timeFlag(s, &r.binMS) })
	fs.Func("progress", "report the progress on standard error every `DURATION` of wall time, as lines \"neurogen-progress: STEPS NANOSECONDS\" (neurogen run draws its progress bar from them)", func(s string) error {
		return timeFlag(s, &r.progressMS)
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	usage := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "%s: %s\n", name, fmt.Sprintf(format, args...))
		return ExitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q: the network's values are in its spec", fs.Arg(0))
	case r.workers < 1:
		return usage("-workers %d: want at least 1", r.workers)
	case len(r.record) > 0 && r.out == "":
		return usage("-record needs -o FILE.npz")
	case r.out != "" && len(r.record) == 0:
		return usage("-o %s: nothing to record (-record GROUP.VAR)", r.out)
	case r.out != "" && strings.ToLower(filepath.Ext(r.out)) != ".npz":
		return usage("-o %s: a network's recording is written as FILE.npz", r.out)
	case r.out != "" && slices.Contains(r.spikes, r.out):
		return usage("-o and -spikes name one file, %s", r.out)
	case r.save != "" && (r.save == r.out || slices.Contains(r.spikes, r.save)):
		return usage("-save %s names the file of another output", r.save)
	}
	if err := p.run(&r, stdout, stderr); err != nil {
		var ue UserError
		if errors.As(err, &ue) {
			return usage("%v", ue.Err)
		}
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return ExitError
	}
	return ExitOK
}

// wholeSteps returns ms in steps of dt, or an error naming what when it is not a whole number.
func wholeSteps(what string, ms, dt float64) (int64, error) {
	k := math.Round(ms / dt)
	if math.Abs(k*dt-ms) > 1e-9*math.Max(ms, dt) {
		return 0, fmt.Errorf("%s %g ms is not a whole number of steps of %g ms", what, ms, dt)
	}
	return int64(k), nil
}

// spikeCollector is a runtime.Recorder that collects a group's spikes.
type spikeCollector struct {
	name string
	g    runtime.Group
	s    runtime.Spikes
}

func (c *spikeCollector) Record(int64, float64) { c.s.Collect(c.g) }

// run builds the network, runs it and prints its summary to stdout.
func (p *NetworkProgram) run(r *networkRun, stdout, stderr io.Writer) error {
	steps, err := wholeSteps("-t", r.tMS, p.DT)
	if err != nil {
		return UserError{err}
	}
	every := int64(1)
	if r.everyMS > 0 {
		if every, err = wholeSteps("-every", r.everyMS, p.DT); err != nil || every < 1 {
			return UserError{fmt.Errorf("-every %g ms is not a positive whole number of steps of %g ms", r.everyMS, p.DT)}
		}
	}
	sim, err := p.New(r.seed)
	if err != nil {
		return err
	}
	defer sim.Close()
	if err := sim.SetWorkers(r.workers); err != nil {
		return UserError{err}
	}
	if r.resume != "" {
		if err := sim.Load(r.resume); err != nil {
			return err
		}
	}
	t0 := sim.T() // the run's start: 0, or the resumed state's time
	names := sim.Names()
	for g := range r.neurons {
		if sim.Group(g) == nil {
			return UserError{fmt.Errorf("-neurons %s: no group %q; the groups are %s", g, g, strings.Join(names, ", "))}
		}
	}
	// The monitors of -record, one per group, in the order of the groups.
	vars := map[string][]string{}
	for _, v := range r.record {
		g, name, _ := strings.Cut(v, ".")
		if sim.Group(g) == nil {
			return UserError{fmt.Errorf("-record %s: no group %q; the groups are %s", v, g, strings.Join(names, ", "))}
		}
		vars[g] = append(vars[g], name)
	}
	for _, g := range slices.Sorted(maps.Keys(r.neurons)) {
		if len(vars[g]) == 0 {
			return UserError{fmt.Errorf("-neurons %s:%s: no variable of group %s is recorded: name one with -record, such as -record %s.V", g, r.neurons[g], g, g)}
		}
	}
	type monitor struct {
		group string
		m     *runtime.Monitor
	}
	var mons []monitor
	for _, g := range names {
		if len(vars[g]) == 0 {
			continue
		}
		grp := sim.Group(g)
		var neurons []int
		if set, ok := r.neurons[g]; ok {
			if neurons, err = parseNeurons(set, grp.Len()); err != nil {
				return UserError{fmt.Errorf("-neurons %s:%s: %v", g, set, err)}
			}
		} else {
			for i := range min(grp.Len(), DefaultRecordNeurons) {
				neurons = append(neurons, i)
			}
		}
		m, err := runtime.NewMonitor(grp, vars[g], neurons, int(every), steps, 0)
		if err != nil {
			return UserError{fmt.Errorf("-record: group %s: %v", g, err)}
		}
		m.RecordInitial(sim.Clock())
		sim.AddRecorder(m)
		mons = append(mons, monitor{g, m})
	}
	spikes := make([]*spikeCollector, len(names))
	total := 0
	for k, g := range names {
		spikes[k] = &spikeCollector{name: g, g: sim.Group(g)}
		sim.AddRecorder(spikes[k])
		total += sim.Group(g).Len()
	}
	start := time.Now()
	if err := runReporting(sim, steps, time.Duration(r.progressMS*float64(time.Millisecond)), stderr); err != nil {
		return err
	}
	wall := time.Since(start).Seconds()

	groups := make([]spikestats.Group, len(names))
	sums := make([]spikestats.Summary, len(names))
	for k, c := range spikes {
		groups[k] = spikestats.Group{Name: c.name, Neurons: c.g.Len(), Spikes: c.s}
		if sums[k], err = spikestats.Summarize(groups[k], spikestats.Options{Start: t0, End: t0 + float64(steps)*p.DT, Bin: r.binMS}); err != nil {
			return err
		}
	}
	for _, path := range r.spikes {
		err := writeOutput(path, func(w io.Writer) error {
			if strings.ToLower(filepath.Ext(path)) == ".csv" {
				return spikestats.WriteCSV(w, groups)
			}
			var arrays []runtime.Array
			for _, g := range groups {
				ns := make([]int64, g.Spikes.Len())
				for k, i := range g.Spikes.Neuron {
					ns[k] = int64(i)
				}
				ts := append(make([]float64, 0, len(ns)), g.Spikes.Time...) // not nil when empty
				arrays = append(arrays,
					runtime.Array{Name: g.Name + ".spike_neuron", Shape: []int{len(ns)}, I64: ns},
					runtime.Array{Name: g.Name + ".spike_time", Shape: []int{len(ns)}, F64: ts})
			}
			return runtime.WriteNPZ(w, arrays)
		})
		if err != nil {
			return err
		}
	}
	if r.out != "" {
		err := writeOutput(r.out, func(w io.Writer) error {
			var arrays []runtime.Array
			for _, m := range mons {
				arrays = append(arrays, m.m.Arrays(m.group)...)
			}
			return runtime.WriteNPZ(w, arrays)
		})
		if err != nil {
			return err
		}
	}
	if r.save != "" {
		if err := sim.Save(r.save); err != nil {
			return err
		}
	}
	bin := r.binMS
	if bin == 0 {
		bin = spikestats.DefaultBin
	}
	from := ""
	if r.resume != "" {
		from = " from t = " + strconv.FormatFloat(t0, 'g', 6, 64) + " ms (" + r.resume + ")"
	}
	groupWord := "groups"
	if len(names) == 1 {
		groupWord = "group"
	}
	fmt.Fprintf(stdout, "%s: %d neurons in %d %s, %s ms in %d steps of %s ms%s, %d worker(s): %s (%s neuron-steps/s)\n",
		p.Name, total, len(names), groupWord, strconv.FormatFloat(float64(steps)*p.DT, 'g', 6, 64), steps, strconv.FormatFloat(p.DT, 'g', -1, 64),
		from, r.workers, Seconds(wall), siRate(float64(total)*float64(steps)/wall))
	if err := spikestats.WriteTable(stdout, sums); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "CV of ISIs: the mean over the neurons with %d intervals or more (their number in parentheses); χ: Golomb–Rinzel synchrony in %g ms bins\n",
		spikestats.DefaultMinISIs, bin)
	for _, f := range append(r.spikes, r.out, r.save) {
		if f != "" {
			fmt.Fprintf(stdout, "wrote %s\n", f)
		}
	}
	return nil
}

// progressChunk is how many steps a run with progress reports makes between looks at the clock.
const progressChunk = 10

// runReporting runs sim for steps steps, as sim.Run does, and with every > 0 writes a line
// "neurogen-progress: STEPS NANOSECONDS" (the steps done, the wall time since the start) on w
// about every every, as a group's program does for Config.Progress. The steps are the same.
func runReporting(sim *runtime.Sim, steps int64, every time.Duration, w io.Writer) error {
	if every <= 0 {
		return sim.Run(int(steps))
	}
	start, last := time.Now(), time.Now()
	for done := int64(0); done < steps; {
		k := min(progressChunk, steps-done)
		if err := sim.Run(int(k)); err != nil {
			return err
		}
		done += k
		if now := time.Now(); done < steps && now.Sub(last) >= every {
			fmt.Fprintf(w, "neurogen-progress: %d %d\n", done, now.Sub(start).Nanoseconds())
			last = now
		}
	}
	return nil
}

// writeOutput writes a file by runtime.CreateOutput: whole or not at all.
func writeOutput(path string, write func(io.Writer) error) error {
	f, err := runtime.CreateOutput(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Discard()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}

// siRate writes a rate with an SI prefix: 3.25 M.
func siRate(x float64) string {
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		return "–"
	case x >= 1e9:
		return strconv.FormatFloat(x/1e9, 'f', 2, 64) + " G"
	case x >= 1e6:
		return strconv.FormatFloat(x/1e6, 'f', 2, 64) + " M"
	case x >= 1e3:
		return strconv.FormatFloat(x/1e3, 'f', 2, 64) + " k"
	}
	return strconv.FormatFloat(x, 'f', 0, 64) + " "
}
