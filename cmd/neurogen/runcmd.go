package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/runtime"
)

var runCommand = &command{
	name:    "run",
	summary: "simulate a spec's neuron group and summarise its spikes",
	usage: `usage: neurogen run SPEC [-n N] [-t DURATION] [-dt STEP] [-set NAME=VALUE]...
                    [-method METHOD] [-seed SEED] [-spikes FILE.csv] [-keep DIR]

Run generates the package of SPEC, builds it with the go command into a small program (in a
temporary module, offline: the runtime's source comes with neurogen), simulates N neurons for
DURATION from their initial state, and prints a summary: the run, its timings, each neuron's
spike count, rate and input (the first 20 neurons), and the totals.

Flags:

	-n N
		the number of neurons (default 1)
	-t DURATION
		the simulated time, with a time unit: 100ms, 1s (default 100ms); a whole number
		of steps
	-dt STEP
		the time step, with a time unit (default 0.025ms)
	-set NAME=VALUE
		set a parameter (by its spec name: C, V_th, Na.g_max, …) or the external input
		I_ext of every neuron; repeat for several, the last for a NAME wins. VALUE is a
		quantity with a unit of the parameter's dimension (120mS/cm2; a bare number for a
		dimensionless one), or linspace(FROM, TO), which gives neuron i of N the value
		FROM + (TO−FROM)·i/(N−1): only for I_ext and parameters declared
		per_neuron: true. I_ext is a current density (5uA/cm2) or a current (0.5nA),
		which is divided by the membrane area A.
	-method METHOD
		the integration method, overriding the spec's: exp_auto, euler, rk2 or rk4
	-seed SEED
		the seed of the random initial state (default: the spec's)
	-spikes FILE.csv
		write every spike to FILE.csv, as lines "neuron,time_ms" after that header
	-keep DIR
		build in DIR, a new or empty directory (or one of an earlier -keep), and keep the
		module there for inspection

Quote linspace for the shell:

	neurogen run hh52.yaml -n 8 -t 1s -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)'

The exit status is 0 on success, 1 for errors in the spec, the build or the run, 2 for a bad
command line (a value error is found before anything is built).
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "SPEC",
	new: func(fs *flag.FlagSet) runner {
		r := &runRunner{n: 1}
		r.t.Set("100ms")
		r.dt.Set("0.025ms")
		fs.Var(&r.n, "n", "")
		fs.Var(&r.t, "t", "")
		fs.Var(&r.dt, "dt", "")
		fs.Var(&r.sets, "set", "")
		fs.StringVar(&r.method, "method", "", "")
		fs.Var(&r.seed, "seed", "")
		fs.StringVar(&r.spikes, "spikes", "", "")
		fs.StringVar(&r.keep, "keep", "", "")
		return r
	},
}

type runRunner struct {
	n      countValue
	t, dt  timeValue
	sets   setList
	method string
	seed   seedValue
	spikes string
	keep   string
}

// errInterrupted is the error of a build or run ended by an interrupt.
var errInterrupted = errors.New("interrupted")

// tableRows is the number of neurons in the summary's table.
const tableRows = 20

// programConfig is the configuration of a model program, as its template reads it.
type programConfig struct {
	N        int       `json:"n"`
	Dt       float64   `json:"dt_ms"`
	Steps    int       `json:"steps"`
	Seed     *uint64   `json:"seed"`
	Settings []setting `json:"settings"`
	Spikes   string    `json:"spikes"`
	Columns  []string  `json:"columns"`
	Rows     int       `json:"rows"`
}

// programResult is what a model program prints.
type programResult struct {
	Model      string  `json:"model"`
	Method     string  `json:"method"`
	N          int     `json:"n"`
	Steps      int     `json:"steps"`
	SimSeconds float64 `json:"sim_seconds"`
	Spikes     int     `json:"spikes"`
	Active     int     `json:"active"`
	Rows       []struct {
		Count  int       `json:"count"`
		Values []float64 `json:"values"`
	} `json:"rows"`
}

func (r *runRunner) run(e *env, args []string) error {
	if err := validMethod(r.method); err != nil {
		return err
	}
	steps, err := r.steps()
	if err != nil {
		return err
	}
	path := args[0]
	if path == "-" {
		return usageErrorf("run reads its spec from a file, not the standard input")
	}
	m, err := loadModel(e, path, check.Options{Method: r.method})
	if err != nil {
		printError(e, "run", err)
		return errReported{}
	}
	settings, err := r.sets.resolve(m)
	if err != nil {
		return err
	}
	cfg := &programConfig{N: int(r.n), Dt: r.dt.ms, Steps: steps, Settings: settings, Rows: tableRows}
	if r.seed.set {
		cfg.Seed = &r.seed.seed
	}
	cfg.Columns = []string{inputName}
	for _, s := range settings {
		if s.Target == targetVar {
			cfg.Columns = append(cfg.Columns, s.Name)
		}
	}

	// Everything about the command line is checked; from here on errors exit 1.
	goCmd, err := lookGo()
	if err != nil {
		return err
	}
	var spikes *pendingFile
	if r.spikes != "" {
		if spikes, err = newPendingFile(r.spikes); err != nil {
			return err
		}
		defer spikes.discard()
		cfg.Spikes = spikes.tmp
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
	generated, err := generate(m, path)
	if err != nil {
		return err
	}
	files, err := moduleFiles(m.Name, m.Package, generated)
	if err != nil {
		return err
	}
	if err := writeFiles(dir, files); err != nil {
		return err
	}
	bin, err := buildProgram(ctx, goCmd, dir, m.Package)
	if err != nil {
		return err
	}
	buildTime := time.Since(buildStart)

	res, err := runProgram(ctx, bin, dir, cfg)
	if err != nil {
		return err
	}
	if spikes != nil {
		if err := spikes.commit(); err != nil {
			return err
		}
	}
	writeSummary(e.stdout, &summary{
		model: m, cfg: cfg, res: res, duration: r.t.ms, build: buildTime,
		spikes: r.spikes, keep: r.keep,
	})
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
// returns its result.
func runProgram(ctx context.Context, bin, dir string, cfg *programConfig) (*programResult, error) {
	data, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgPath, append(data, '\n'), 0o666); err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, cfgPath)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, errInterrupted
		}
		msg := strings.TrimSpace(stderr.String())
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

// pendingFile is an output file written whole or not at all: the model program writes tmp,
// a temporary file beside the destination, which commit renames to the destination.
type pendingFile struct {
	dst, tmp string
}

// newPendingFile creates the temporary file for dst, which also checks early that dst's
// directory exists and is writable.
func newPendingFile(dst string) (*pendingFile, error) {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot write %s: %v", dst, pe.Err)
		}
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &pendingFile{dst: dst, tmp: f.Name()}, nil
}

// commit renames the temporary file to the destination.
func (p *pendingFile) commit() error {
	if err := os.Chmod(p.tmp, 0o644); err != nil {
		return err
	}
	if err := os.Rename(p.tmp, p.dst); err != nil {
		return err
	}
	p.tmp = ""
	return nil
}

// discard removes the temporary file unless it was committed.
func (p *pendingFile) discard() {
	if p.tmp != "" {
		os.Remove(p.tmp)
	}
}
