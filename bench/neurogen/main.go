// Command neurogen is the neurogen side of the benchmark harness (bench/run): it runs a
// generated HH52 package, picked by name from the variants registry below, and prints JSON.
//
// Usage:
//
//	go run ./bench/neurogen [-mode timing|spikes] [-variant NAME] [-n N] [-t MS] [-dt MS] [-workers W] [-reps R]
//	go run ./bench/neurogen -list
//
// Neuron i of N gets the constant input I_i = 20·i/(N−1) uA/cm2 (0 for N = 1), as in
// testdata/reference/hh52 (N = 8 there), and every run starts from the group's Reset state
// (V = −65 mV, gates at their steady state).
//
// In timing mode (the default) the group is stepped -reps times for -t ms with a runtime.Pool
// of -workers workers, after one untimed step, each repetition from a fresh Reset; the timed
// part of a repetition is the loop of Pool.Step calls alone, together with a count of the
// spikes of each step (the counterpart of Brian2's threshold and NEURON's NetCon). It prints
// the neuron-steps per second of every repetition, the spike count of each, the setup time
// (New and the input), and the bytes of state per neuron: the sum, over the group's slices
// that hold one element per neuron, of the size of an element (state variables, input, spike
// flag and time, per-neuron parameters).
//
// In spikes mode it runs once (-n defaults to 8, -t to 1000) and prints every neuron's spike
// times, interpolated by the generated Step, in the shape of the reference's JSON files, so
// that the reference set's compare.py reads them too. A run whose state leaves the
// finite numbers is marked "unstable".
//
// Built alone (go run ./bench/neurogen), it runs the stock packages, generated/hh52 (exp_auto)
// and generated/hh52rk4 (rk4). The other variants (the staggered method, rate tables, four
// lanes, float32) are not committed: bench/variants generates them into a module with a copy
// of this source and a variants_gen.go that adds them to variants, which bench/run builds.
// Adding a variant is one line there.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/runtime"
)

// variants maps a name given to -variant to the constructor of a generated HH52 group; the
// variants_gen.go of bench/variants adds the others.
var variants = map[string]func(n int) runtime.Group{
	"exp_auto": group(hh52.New),    // generated/hh52: exponential Euler (the spec's exp_auto)
	"rk4":      group(hh52rk4.New), // generated/hh52rk4: classic Runge–Kutta
}

// group turns a generated package's New into a constructor of runtime.Groups.
func group[G runtime.Group](newGroup func(n int) G) func(n int) runtime.Group {
	return func(n int) runtime.Group { return newGroup(n) }
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config is what a run was asked to do.
type config struct {
	mode    string
	variant string
	n       int
	tMS     float64
	dtMS    float64
	workers int
	reps    int
}

// run is the whole command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("neurogen-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.mode, "mode", "timing", "timing (neuron-steps per second) or spikes (spike times per neuron)")
	fs.StringVar(&c.variant, "variant", "exp_auto", "generated package to run (-list lists them)")
	fs.IntVar(&c.n, "n", 0, "number of neurons (default 1000 in timing mode, 8 in spikes mode)")
	fs.Float64Var(&c.tMS, "t", 0, "simulated time per run, ms (default 100 in timing mode, 1000 in spikes mode)")
	fs.Float64Var(&c.dtMS, "dt", 0.025, "time step, ms")
	fs.IntVar(&c.workers, "workers", 1, "workers of the runtime.Pool that steps the group")
	fs.IntVar(&c.reps, "reps", 3, "timed repetitions (timing mode)")
	list := fs.Bool("list", false, "list the variants and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, name := range variantNames() {
			g := variants[name](1)
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", name, g.Model().Name, g.Model().Method)
		}
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "neurogen-bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if c.n == 0 {
		c.n = map[string]int{"spikes": 8}[c.mode]
		if c.n == 0 {
			c.n = 1000
		}
	}
	if c.tMS == 0 {
		c.tMS = map[string]float64{"spikes": 1000}[c.mode]
		if c.tMS == 0 {
			c.tMS = 100
		}
	}
	var (
		res any
		err error
	)
	switch {
	case variants[c.variant] == nil:
		err = fmt.Errorf("no variant %q (have %s)", c.variant, strings.Join(variantNames(), ", "))
	case c.n < 1 || c.workers < 1 || c.reps < 1:
		err = fmt.Errorf("-n, -workers and -reps must be at least 1")
	case c.mode == "timing":
		res, err = timing(c)
	case c.mode == "spikes":
		res, err = spikes(c)
	default:
		err = fmt.Errorf("-mode %q: want timing or spikes", c.mode)
	}
	if err != nil {
		fmt.Fprintf(stderr, "neurogen-bench: %v\n", err)
		return 1
	}
	out, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		fmt.Fprintf(stderr, "neurogen-bench: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return 0
}

func variantNames() []string {
	names := make([]string, 0, len(variants))
	for name := range variants {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// newGroup makes the variant's group of c.n neurons with the reference's inputs.
func newGroup(c config) (runtime.Group, []float64) {
	g := variants[c.variant](c.n)
	in := g.Input()
	for i := range in {
		in[i] = inputAt(i, c.n)
	}
	return g, slices.Clone(in)
}

// inputAt is neuron i's input of n, uA/cm2: 20·i/(n−1), spread like the reference's 8 neurons.
func inputAt(i, n int) float64 {
	if n < 2 {
		return 0
	}
	return 20 * float64(i) / float64(n-1)
}

// header is what every result says about the run.
type header struct {
	Tool      string  `json:"tool"`
	Simulator string  `json:"simulator"`
	Model     string  `json:"model"`
	Label     string  `json:"label"`
	Config    string  `json:"config"`
	Variant   string  `json:"variant"`
	Method    string  `json:"method"`
	Threads   int     `json:"threads"`
	N         int     `json:"n"`
	TMS       float64 `json:"t_ms"`
	DtMS      float64 `json:"dt_ms"`
	Steps     int     `json:"steps"`
	Version   string  `json:"version"`
	Go        string  `json:"go"`
	GOAMD64   string  `json:"goamd64,omitempty"`
	GOMAXPROC int     `json:"gomaxprocs"`
}

func newHeader(c config, g runtime.Group, steps int) header {
	m := g.Model()
	h := header{
		Tool: "neurogen", Simulator: "neurogen", Model: m.Name,
		Label:   fmt.Sprintf("neurogen %s", c.variant),
		Config:  c.variant,
		Variant: c.variant, Method: m.Method, Threads: c.workers,
		N: c.n, TMS: c.tMS, DtMS: c.dtMS, Steps: steps,
		Version:   fmt.Sprintf("runtime API %d", runtime.APIVersion),
		Go:        goruntime.Version(),
		GOMAXPROC: goruntime.GOMAXPROCS(0),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "GOAMD64":
				h.GOAMD64 = s.Value
			case "vcs.revision":
				h.Version += " @" + s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				if s.Value == "true" {
					h.Version += "+modified"
				}
			}
		}
	}
	return h
}

// timingResult is the output of timing mode.
type timingResult struct {
	header
	SetupS          float64   `json:"setup_s"`
	RunS            []float64 `json:"run_s"`
	NeuronStepsPerS []float64 `json:"neuron_steps_per_s"`
	SpikeCounts     []int     `json:"spike_counts"`
	BytesPerNeuron  int       `json:"bytes_per_neuron"`
	BytesNote       string    `json:"bytes_note"`
}

func timing(c config) (*timingResult, error) {
	steps, err := runtime.Steps(c.tMS, c.dtMS)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	g, _ := newGroup(c)
	setup := time.Since(t0).Seconds()
	pool, err := runtime.NewPool(c.workers)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	bytes, fields := stateBytesPerNeuron(g)
	r := &timingResult{
		header:         newHeader(c, g, steps),
		SetupS:         setup,
		BytesPerNeuron: bytes,
		BytesNote:      "the group's per-neuron slices: " + strings.Join(fields, ", "),
	}
	spiked := g.Spiked()
	// One untimed step first, so that nothing made once per group and dt (a variant's rate
	// tables) is counted in the first repetition.
	pool.Step(g, 0, c.dtMS)
	for range c.reps {
		g.Reset() // leaves the input as it is
		count := 0
		start := time.Now()
		for k := range steps {
			pool.Step(g, float64(k)*c.dtMS, c.dtMS)
			for _, s := range spiked {
				if s {
					count++
				}
			}
		}
		el := time.Since(start).Seconds()
		if !finite(g) {
			return nil, fmt.Errorf("variant %s at dt %g ms: the state left the finite numbers", c.variant, c.dtMS)
		}
		r.RunS = append(r.RunS, el)
		r.NeuronStepsPerS = append(r.NeuronStepsPerS, float64(c.n)*float64(steps)/el)
		r.SpikeCounts = append(r.SpikeCounts, count)
	}
	return r, nil
}

// spikesResult is the output of spikes mode, in the shape of the reference's JSON files.
type spikesResult struct {
	header
	SpikeDetection string      `json:"spike_detection"`
	Unstable       bool        `json:"unstable"`
	RunS           float64     `json:"run_s"`
	SpikeCount     int         `json:"spike_count_total"`
	IuAcm2         []float64   `json:"I_uA_cm2"`
	SpikeTimes     [][]float64 `json:"spikes"`
}

func spikes(c config) (*spikesResult, error) {
	steps, err := runtime.Steps(c.tMS, c.dtMS)
	if err != nil {
		return nil, err
	}
	g, in := newGroup(c)
	pool, err := runtime.NewPool(c.workers)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	var sp runtime.Spikes
	start := time.Now()
	for k := range steps {
		pool.Step(g, float64(k)*c.dtMS, c.dtMS)
		sp.Collect(g)
	}
	el := time.Since(start).Seconds()
	r := &spikesResult{
		header:         newHeader(c, g, steps),
		SpikeDetection: "upward crossing of V_th interpolated linearly by the generated Step",
		Unstable:       !finite(g),
		RunS:           el,
		SpikeCount:     sp.Len(),
		IuAcm2:         in,
		SpikeTimes:     make([][]float64, c.n),
	}
	for i := range r.SpikeTimes {
		r.SpikeTimes[i] = []float64{}
	}
	for k, i := range sp.Neuron {
		r.SpikeTimes[i] = append(r.SpikeTimes[i], sp.Time[k])
	}
	return r, nil
}

// finite reports whether every neuron's state variables are finite numbers.
func finite(g runtime.Group) bool {
	for _, v := range g.Model().Vars {
		view, _ := runtime.VarOf(g, v.Name)
		for i := range view.Len() {
			if x := view.At(i); math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
	}
	return true
}

// stateBytesPerNeuron is the sum of the element sizes of g's slices (exported or not, in nested
// structs too) that hold one element per neuron, and those slices' field names.
func stateBytesPerNeuron(g runtime.Group) (int, []string) {
	n := g.Len()
	total := 0
	var names []string
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return
		}
		for i := range v.NumField() {
			f, name := v.Field(i), prefix+v.Type().Field(i).Name
			switch {
			case f.Kind() == reflect.Slice && f.Len() == n:
				total += int(f.Type().Elem().Size())
				names = append(names, fmt.Sprintf("%s (%d B)", name, f.Type().Elem().Size()))
			case f.Kind() == reflect.Struct:
				walk(f, name+".")
			}
		}
	}
	walk(reflect.ValueOf(g), "")
	return total, names
}
