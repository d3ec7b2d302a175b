package modelrun

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/units"
)

// Exit statuses of Main.
const (
	ExitOK    = 0
	ExitError = 1 // a failed run: a bug or an accident
	ExitUsage = 2 // a bad command line, reported with a hint
	ExitUser  = 3 // a UserError, for the user to read as it is
)

// TableRows is the number of neurons in the summary's table.
const TableRows = 20

// GroupName is the name of the model's group in the program's runtime.Sim, and so the prefix
// of its arrays in state files: group.V, group.Na.m, group.I_ext …
const GroupName = "group"

// Main runs a model program with the arguments args (without the program's name, which is
// name): "-config FILE" runs the Config in the JSON file FILE, as neurogen run writes it, and
// prints the Result as JSON; anything else is the program's own command line, whose flags are
// the model's parameters, and prints a summary. It returns the exit status.
func (p *Program) Main(name string, args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) == 2 && args[0] == "-config" {
		err = p.runConfig(args[1], stdout)
	} else {
		err = p.runCLI(name, args, stdout, stderr)
	}
	var ue UserError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errUsage):
		return ExitUsage // reported with the usage
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, ue.Err)
		return ExitUser
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, name+": ") {
		// A generated group's errors start with its package's name, which is most often the
		// program's too: say it once.
		msg = name + ": " + msg
	}
	fmt.Fprintln(stderr, msg)
	return ExitError
}

// runConfig runs the configuration in the JSON file path and prints the result as JSON.
func (p *Program) runConfig(path string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if cfg.N < 1 || cfg.Steps < 0 || !(cfg.Dt > 0) || len(cfg.Record) > 0 && cfg.Every < 1 {
		return fmt.Errorf("%s: bad configuration", path)
	}
	if err := PlanMemory(p.New(1).Model(), &cfg).CheckMemory("-n", cfg.N); err != nil {
		return UserError{err}
	}
	res, err := p.Simulate(&cfg)
	if err != nil {
		return err
	}
	out, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", out)
	return err
}

// errUsage is a bad command line, already reported.
var errUsage = errors.New("bad command line")

// runCLI runs the model as the command line args asks and prints a summary.
func (p *Program) runCLI(name string, args []string, stdout, stderr io.Writer) error {
	md := p.New(1).Model()
	cfg := Config{N: 1, Group: GroupName, MaxMemory: runtime.DefaultMonitorLimit, Every: 1, Rows: TableRows}
	usageErrorf := func(format string, args ...any) error {
		fmt.Fprintf(stderr, "%s: %s\n", name, fmt.Sprintf(format, args...))
		return errUsage
	}
	tMS, dtMS, everyMS := 100.0, 0.025, 0.0
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Func("n", "the number `N` of neurons (default 1)", func(s string) error {
		n, err := strconv.ParseInt(s, 0, 32)
		if err != nil || n < 1 {
			return errors.New("want a whole number of neurons, at least 1")
		}
		cfg.N = int(n)
		return nil
	})
	fs.Func("t", "the simulated time, a `DURATION` with a time unit: 100ms, 1s (default 100ms)", func(s string) error {
		return timeFlag(s, &tMS)
	})
	fs.Func("dt", "the time `STEP`, with a time unit (default 0.025ms)", func(s string) error {
		return timeFlag(s, &dtMS)
	})
	fs.Func("seed", "the `SEED` of the random initial state (default: the spec's)", func(s string) error {
		v, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return errors.New("want a non-negative integer")
		}
		cfg.Seed = &v
		return nil
	})
	fs.Func("method", "the integration `METHOD`: this program's only, "+md.Method+" (neurogen build -method builds another)", func(s string) error {
		if s != md.Method {
			return fmt.Errorf("this program integrates with %s; neurogen build -method %s builds one that uses %s", md.Method, s, s)
		}
		return nil
	})
	fs.StringVar(&cfg.Spikes, "spikes", "", "write every spike to `FILE.csv`, as lines neuron,time_ms")
	record := fs.String("record", "", "record the comma-separated `VARS` (V, gates such as Na.m, I_ext, CHANNEL.I); needs -o")
	fs.StringVar(&cfg.Output, "o", "", "write the recording to `FILE.npz` or FILE.csv")
	fs.Func("every", "record every `DURATION` of simulated time, from t = 0 (default: every step)", func(s string) error {
		return timeFlag(s, &everyMS)
	})
	neurons := fs.String("neurons", "", "the neurons to record: indices and ranges such as `0,3,10-19` (default: all)")
	fs.StringVar(&cfg.Save, "save", "", "write the state at the end to `STATE` (an NPZ state file)")
	fs.StringVar(&cfg.Resume, "resume", "", "start from the state in `STATE`, written by -save")
	fs.BoolVar(&cfg.AnyMethod, "resume-any-method", false, "resume a state saved by a program that integrates with another method")
	var as []*Assignment
	value := func(name string) func(string) error {
		return func(s string) error {
			v, err := ParseValue(s)
			if err != nil {
				return err
			}
			as = append(as, &Assignment{Text: "-" + name + " " + s, Name: name, Value: v})
			return nil
		}
	}
	fs.Func(InputName, "the external input, a `VALUE`: a current density (10uA/cm2) or a current (0.5nA, divided by the membrane area A), "+
		"linspace(FROM, TO) over the neurons, @FILE of one value per neuron (uA/cm2), or step(ON, OFF, VALUE), VALUE from time ON to OFF and 0 before and after", value(InputName))
	fs.Func(AreaName, areaUsage(md), value(AreaName))
	params := map[string]bool{AreaName: true}
	for _, prm := range md.Params {
		params[prm.Name] = true
		fs.Func(prm.Name, paramUsage(prm), value(prm.Name))
	}
	var msg bytes.Buffer
	fs.SetOutput(&msg)
	fs.Usage = func() {} // -h prints the usage below; a bad flag, one line
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			usage(fs, md, params)
			return nil
		}
		text := err.Error()
		if bad, ok := strings.CutPrefix(text, "flag provided but not defined: -"); ok {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			text = "unknown flag -" + bad
			if s := suggest.Closest(bad, names); s != "" {
				text += " (did you mean -" + s + "?)"
			}
		}
		fmt.Fprintf(stderr, "%s: %s\nrun '%s -h' for the flags\n", name, text, name)
		return errUsage
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q (flags only; -h lists them)", fs.Arg(0))
	}
	cfg.Dt = dtMS
	if cfg.Resume != "" {
		// -n and -dt default to the state's; given, they must match it.
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		st, err := ReadStateInfo(cfg.Resume)
		if err == nil {
			err = st.Match(md, cfg.AnyMethod)
		}
		if err != nil {
			return UserError{err}
		}
		switch {
		case given["n"] && cfg.N != st.Size:
			return usageErrorf("-n %d -resume %s: the state holds %d neurons; omit -n or give -n %d", cfg.N, cfg.Resume, st.Size, st.Size)
		case given["dt"] && math.Abs(cfg.Dt-st.Dt) > 1e-9*st.Dt:
			return usageErrorf("-dt %gms -resume %s: the state was made with steps of %g ms; omit -dt or give -dt %gms", cfg.Dt, cfg.Resume, st.Dt, st.Dt)
		}
		cfg.N, cfg.Dt = st.Size, st.Dt
	}
	steps, err := runtime.Steps(tMS, cfg.Dt)
	if err != nil {
		return usageErrorf("-t %g ms -dt %g ms: %v", tMS, cfg.Dt, err)
	}
	cfg.Steps = steps
	in, err := Resolve(md, as, cfg.N, cfg.Dt)
	if err != nil {
		return usageErrorf("%v", err)
	}
	cfg.Settings, cfg.Changes, cfg.Columns = in.Settings, in.Changes, in.Columns
	if *record != "" {
		if cfg.Output == "" {
			return usageErrorf("-record needs -o FILE.npz or FILE.csv")
		}
		for v := range strings.SplitSeq(*record, ",") {
			cfg.Record = append(cfg.Record, strings.TrimSpace(v))
		}
		switch strings.ToLower(filepath.Ext(cfg.Output)) {
		case ".npz":
			cfg.Format = "npz"
		case ".csv":
			cfg.Format = "csv"
		default:
			return usageErrorf("-o %s: want FILE.npz or FILE.csv", cfg.Output)
		}
		if everyMS > 0 {
			k, err := runtime.Steps(everyMS, cfg.Dt)
			if err != nil || k < 1 {
				return usageErrorf("-every %g ms is not a whole number of steps of %g ms", everyMS, cfg.Dt)
			}
			cfg.Every = k
		}
		if *neurons != "" {
			if cfg.Neurons, err = parseNeurons(*neurons, cfg.N); err != nil {
				return usageErrorf("-neurons %s: %v", *neurons, err)
			}
		}
	} else if cfg.Output != "" {
		return usageErrorf("-o needs -record VARS")
	}
	// The group, the program's bookkeeping and the recording must fit in memory.
	if err := PlanMemory(md, &cfg).CheckMemory("-n", cfg.N); err != nil {
		return usageErrorf("%v", err)
	}
	res, err := p.Simulate(&cfg)
	if err != nil {
		return err
	}
	WriteSummary(stdout, &Summary{Config: &cfg, Result: res, Spikes: cfg.Spikes, Output: cfg.Output, Save: cfg.Save, Resume: cfg.Resume})
	return nil
}

// timeFlag parses a time with a unit into *ms.
func timeFlag(s string, ms *float64) error {
	q, err := units.ParseQuantity(s)
	switch {
	case err != nil:
		return err
	case q.Unit.Name == "":
		return fmt.Errorf("missing time unit (did you mean %sms?)", strings.TrimSpace(s))
	case q.Unit.Dim != units.Time:
		return fmt.Errorf("want a time, such as 100ms or 1s; got %s", q.Unit.Dim.Describe())
	case !(q.Value > 0):
		return errors.New("want a positive time")
	}
	*ms = q.Value
	return nil
}

// parseNeurons parses indices and ranges such as 0,3,10-19, each below n.
func parseNeurons(s string, n int) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b < a || b >= n {
			return nil, fmt.Errorf("%q is not a neuron index or range below %d", part, n)
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	return out, nil
}

// paramUsage is the help line of a parameter.
func paramUsage(p runtime.Param) string {
	doc := p.Doc
	if doc == "" {
		doc = "parameter " + p.Name
	}
	s := fmt.Sprintf("%s (%s; default %g %s)", doc, p.Unit, p.Default, p.Unit)
	if p.Unit == "1" {
		s = fmt.Sprintf("%s (dimensionless; default %g)", doc, p.Default)
	}
	if p.PerNeuron {
		s += "; one per neuron: also linspace(FROM, TO) or @FILE"
	}
	return s
}

// areaUsage is the help line of the membrane area A.
func areaUsage(md *runtime.Model) string {
	return fmt.Sprintf("the membrane area (cm2; default %g cm2), which divides an %s given as a current (nA) into a density", md.A, InputName)
}

// usage prints the command line, the model's parameters with their units, defaults and docs,
// and the other flags.
func usage(fs *flag.FlagSet, md *runtime.Model, params map[string]bool) {
	w := fs.Output()
	fmt.Fprintf(w, "usage: %s [-n N] [-t DURATION] [-dt STEP] [-PARAMETER VALUE]... [-I_ext VALUE] [outputs]\n\n", fs.Name())
	fmt.Fprintf(w, "%s simulates a group of %s neurons (method %s), generated by neurogen from %s.\n", fs.Name(), md.Name, md.Method, md.Spec)
	if d := strings.TrimSpace(md.Doc); d != "" {
		fmt.Fprintf(w, "\n%s\n", d)
	}
	fmt.Fprintf(w, "\nModel parameters (a value with a unit of the parameter's dimension):\n\n")
	fmt.Fprintf(w, "  -%s VALUE\n    \t%s\n", AreaName, areaUsage(md))
	for _, p := range md.Params {
		fmt.Fprintf(w, "  -%s VALUE\n    \t%s\n", p.Name, paramUsage(p))
	}
	fmt.Fprintf(w, "\nRun and outputs:\n\n")
	fs.VisitAll(func(f *flag.Flag) {
		if params[f.Name] {
			return
		}
		arg, u := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  -%s %s\n    \t%s\n", f.Name, arg, u)
	})
}
