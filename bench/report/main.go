// Command report collects the raw results of a run of the benchmark harness (bench/run) and
// prints them as Markdown tables: the speed of HH52 in neurogen, Brian2 and NEURON, neurogen's
// ratio to each peer, and the work-precision table (largest spike-time error against the
// reference's truth, and time per simulated second, for every method and step).
//
// Usage:
//
//	go run ./bench/report -dir bench/results/RUN [-truth testdata/reference/hh52/truth.json]
//
// It reads RUN/raw/*.json, written by the runners: speed_*.json (timing runs of the speed
// table), wptime_*.json (timing runs for the work-precision table only), wpspikes_*.json (spike
// times, one run or {"runs": [...]} per file) and neurogen_build.json; RUN/meta.env (KEY=VALUE
// lines about the run) and RUN/notes.txt (one note a line, such as a skipped peer). It writes
// RUN/tables.md and RUN/results.json (every number it printed, with the raw repetitions) and
// prints the tables.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/spikecmp"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// Run is one runner's record; timing and spike runs share the header fields.
type Run struct {
	Tool        string  `json:"tool"`
	Label       string  `json:"label"`
	Config      string  `json:"config"`
	Variant     string  `json:"variant,omitempty"`
	Method      string  `json:"method"`
	Mech        string  `json:"mech,omitempty"`
	Secondorder *int    `json:"secondorder,omitempty"`
	Threads     int     `json:"threads"`
	N           int     `json:"n"`
	TMS         float64 `json:"t_ms"`
	DtMS        float64 `json:"dt_ms"`
	Steps       int     `json:"steps"`
	Version     string  `json:"version"`

	// timing runs
	SetupS          float64   `json:"setup_s"`
	CompileS        float64   `json:"compile_s"`
	CompileNote     string    `json:"compile_note,omitempty"`
	RunS            []float64 `json:"run_s,omitempty"`
	NeuronStepsPerS []float64 `json:"neuron_steps_per_s,omitempty"`
	SpikeCounts     []int     `json:"spike_counts,omitempty"`
	BytesPerNeuron  float64   `json:"bytes_per_neuron,omitempty"`
	BytesNote       string    `json:"bytes_note,omitempty"`

	// spike runs
	Unstable bool        `json:"unstable,omitempty"`
	I        []float64   `json:"I_uA_cm2,omitempty"`
	Spikes   [][]float64 `json:"spikes,omitempty"`

	file string
}

// UnmarshalJSON reads run_s, a list in timing runs and a number in spike runs.
func (r *Run) UnmarshalJSON(b []byte) error {
	type plain Run
	var aux struct {
		plain
		RunS json.RawMessage `json:"run_s"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*r = Run(aux.plain)
	if len(aux.RunS) > 0 && aux.RunS[0] == '[' {
		return json.Unmarshal(aux.RunS, &r.RunS)
	}
	return nil
}

// median is the median of xs (the mean of the middle two for an even count); NaN if empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// rate is the run's median neuron-steps per second.
func (r *Run) rate() float64 { return median(r.NeuronStepsPerS) }

// simulator is the name shown in the tables.
func (r *Run) simulator() string {
	switch r.Tool {
	case "brian2":
		return "Brian2 " + strings.TrimPrefix(r.Version, "v")
	case "neuron":
		if f := strings.Fields(r.Version); len(f) >= 4 && f[0] == "NEURON" {
			return "NEURON " + strings.TrimSuffix(f[3], ".dev0")
		}
		return "NEURON"
	}
	return "neurogen"
}

// configuration is the method and implementation shown in the tables.
func (r *Run) configuration() string {
	switch r.Tool {
	case "brian2":
		return "C++ standalone, " + r.Method
	case "neuron":
		so := 0
		if r.Secondorder != nil {
			so = *r.Secondorder
		}
		return fmt.Sprintf("%s, secondorder=%d", r.Config, so)
	}
	if r.Variant == r.Method {
		return r.Variant
	}
	return fmt.Sprintf("%s (%s)", r.Variant, r.Method)
}

// wpKey names the method of a run for the work-precision table, the same for its spike run
// and its timing run.
func (r *Run) wpKey() string {
	switch r.Tool {
	case "neuron":
		so := 0
		if r.Secondorder != nil {
			so = *r.Secondorder
		}
		return fmt.Sprintf("neuron|%s|%d", r.Mech, so)
	case "brian2":
		return "brian2|" + r.Method
	}
	return "neurogen|" + r.Variant
}

// build is what bench/run measured of building neurogen's side.
type build struct {
	GenS     float64 `json:"gen_s"`
	CompileS float64 `json:"compile_s"`
	Note     string  `json:"note"`
}

// Report is everything the tables show, written as results.json.
type Report struct {
	Meta     map[string]string `json:"meta"`
	Notes    []string          `json:"notes"`
	Speed    []SpeedRow        `json:"speed"`
	Ratios   []RatioRow        `json:"ratios"`
	WP       []WPRow           `json:"work_precision"`
	WPTiming string            `json:"work_precision_timing"`
	Build    *build            `json:"neurogen_build,omitempty"`
}

// SpeedRow is one configuration at one N.
type SpeedRow struct {
	Simulator     string  `json:"simulator"`
	Configuration string  `json:"configuration"`
	Run           *Run    `json:"run"`
	Median        float64 `json:"median_neuron_steps_per_s"`
	NsPerStep     float64 `json:"ns_per_neuron_step"`
}

// RatioRow is a neurogen variant's speed divided by each peer's at one N and thread count.
type RatioRow struct {
	N        int                `json:"n"`
	Threads  int                `json:"threads"`
	Variant  string             `json:"variant"`
	Neurogen float64            `json:"neurogen_neuron_steps_per_s"`
	Ratio    map[string]float64 `json:"ratio_to"`
}

// WPRow is one method at one step in the work-precision table.
type WPRow struct {
	Simulator     string      `json:"simulator"`
	Configuration string      `json:"configuration"`
	DtMS          float64     `json:"dt_ms"`
	Unstable      bool        `json:"unstable"`
	Cmp           *Comparison `json:"comparison,omitempty"`
	// MSPerSimSecond is the time per simulated second per neuron, ms; NaN if unmeasured.
	MSPerSimSecond float64 `json:"ms_per_simulated_second_per_neuron"`
	NsPerStep      float64 `json:"ns_per_neuron_step"`
	TimingFrom     string  `json:"timing_from"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "results directory of a run of bench/run (required)")
	truthPath := fs.String("truth", "testdata/reference/hh52/truth.json", "the reference's truth.json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: report -dir RESULTS_DIR [-truth truth.json]")
		return 2
	}
	rep, err := collect(*dir, *truthPath)
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}
	var md strings.Builder
	rep.markdown(&md)
	js, err := json.MarshalIndent(rep, "", " ")
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(*dir, "tables.md"), []byte(md.String()), 0o644); err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(*dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}
	io.WriteString(stdout, md.String())
	return 0
}

// nullable is x, or nil (JSON null) where x is not a finite number, which JSON cannot hold.
func nullable(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// MarshalJSON writes the row with null for an unmeasured time.
func (r WPRow) MarshalJSON() ([]byte, error) {
	type plain WPRow
	return json.Marshal(struct {
		plain
		MSPerSimSecond *float64 `json:"ms_per_simulated_second_per_neuron"`
		NsPerStep      *float64 `json:"ns_per_neuron_step"`
	}{plain(r), nullable(r.MSPerSimSecond), nullable(r.NsPerStep)})
}

// MarshalJSON writes the row with null for a rate that could not be measured.
func (r SpeedRow) MarshalJSON() ([]byte, error) {
	type plain SpeedRow
	return json.Marshal(struct {
		plain
		Median    *float64 `json:"median_neuron_steps_per_s"`
		NsPerStep *float64 `json:"ns_per_neuron_step"`
	}{plain(r), nullable(r.Median), nullable(r.NsPerStep)})
}

// readRuns reads a runner's file: one run, or {"runs": [...]}.
func readRuns(path string) ([]*Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var multi struct {
		Runs []*Run `json:"runs"`
	}
	if err := json.Unmarshal(b, &multi); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if multi.Runs != nil {
		for _, r := range multi.Runs {
			r.file = filepath.Base(path)
		}
		return multi.Runs, nil
	}
	r := new(Run)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r.file = filepath.Base(path)
	return []*Run{r}, nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

func collect(dir, truthPath string) (*Report, error) {
	rep := &Report{Meta: map[string]string{}}
	lines, err := readLines(filepath.Join(dir, "meta.env"))
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if k, v, ok := strings.Cut(l, "="); ok {
			rep.Meta[k] = v
		}
	}
	if rep.Notes, err = readLines(filepath.Join(dir, "notes.txt")); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "raw", "*.json"))
	if err != nil {
		return nil, err
	}
	var speed, wptime, wpspikes []*Run
	for _, f := range files {
		base := filepath.Base(f)
		if base == "neurogen_build.json" {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			rep.Build = new(build)
			if err := json.Unmarshal(b, rep.Build); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			continue
		}
		runs, err := readRuns(f)
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(base, "speed_"):
			speed = append(speed, runs...)
		case strings.HasPrefix(base, "wptime_"):
			wptime = append(wptime, runs...)
		case strings.HasPrefix(base, "wpspikes_"):
			wpspikes = append(wpspikes, runs...)
		}
	}
	speed, wptime = merge(speed), merge(wptime)
	if rep.Build != nil {
		for _, r := range append(slices.Clone(speed), wptime...) {
			if r.Tool == "neurogen" {
				r.CompileS = rep.Build.GenS + rep.Build.CompileS
				r.CompileNote = rep.Build.Note
			}
		}
	}
	rep.speedRows(speed)
	if len(wpspikes) > 0 {
		b, err := os.ReadFile(truthPath)
		if err != nil {
			return nil, fmt.Errorf("the truth for the work-precision table: %w", err)
		}
		var truth spikecmp.Run
		if err := json.Unmarshal(b, &truth); err != nil {
			return nil, fmt.Errorf("%s: %w", truthPath, err)
		}
		rep.wpRows(wpspikes, wptime, speed, &truth)
	}
	return rep, nil
}

// merge joins the timing records of one configuration, which bench/run writes one repetition a
// file (interleaving the simulators' repetitions, so that they see the same load), into one
// record with every repetition, in file order; its setup time is the median of theirs.
func merge(runs []*Run) []*Run {
	type key struct {
		tool, config, method, variant, mech string
		so, threads, n                      int
		t, dt                               float64
	}
	var out []*Run
	byKey := map[key]*Run{}
	setups := map[*Run][]float64{}
	for _, r := range runs {
		so := -1
		if r.Secondorder != nil {
			so = *r.Secondorder
		}
		k := key{r.Tool, r.Config, r.Method, r.Variant, r.Mech, so, r.Threads, r.N, r.TMS, r.DtMS}
		m := byKey[k]
		if m == nil {
			byKey[k] = r
			out = append(out, r)
			setups[r] = []float64{r.SetupS}
			continue
		}
		m.RunS = append(m.RunS, r.RunS...)
		m.NeuronStepsPerS = append(m.NeuronStepsPerS, r.NeuronStepsPerS...)
		m.SpikeCounts = append(m.SpikeCounts, r.SpikeCounts...)
		setups[m] = append(setups[m], r.SetupS)
	}
	for _, r := range out {
		r.SetupS = median(setups[r])
	}
	return out
}

// toolOrder sorts the simulators: neurogen, then Brian2, then NEURON.
var toolOrder = map[string]int{"neurogen": 0, "brian2": 1, "neuron": 2}

func (rep *Report) speedRows(runs []*Run) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		if a.N != b.N {
			return a.N < b.N
		}
		if a.Threads != b.Threads {
			return a.Threads < b.Threads
		}
		return toolOrder[a.Tool] < toolOrder[b.Tool]
	})
	type key struct {
		tool, variant string
		n, threads    int
	}
	best := map[key]*Run{}
	for _, r := range runs {
		m := r.rate()
		rep.Speed = append(rep.Speed, SpeedRow{
			Simulator: r.simulator(), Configuration: r.configuration(), Run: r,
			Median: m, NsPerStep: 1e9 / m,
		})
		best[key{r.Tool, r.Variant, r.N, r.Threads}] = r
	}
	for _, r := range runs {
		if r.Tool != "neurogen" {
			continue
		}
		row := RatioRow{N: r.N, Threads: r.Threads, Variant: r.Variant, Neurogen: r.rate(), Ratio: map[string]float64{}}
		for _, peer := range []string{"brian2", "neuron"} {
			if p := best[key{peer, "", r.N, r.Threads}]; p != nil {
				row.Ratio[peer] = r.rate() / p.rate()
			}
		}
		if r.Threads > 1 {
			if one := best[key{"neurogen", r.Variant, r.N, 1}]; one != nil {
				row.Ratio["neurogen_1_worker"] = r.rate() / one.rate()
			}
		}
		rep.Ratios = append(rep.Ratios, row)
	}
}

func (rep *Report) wpRows(spikes, wptime, speed []*Run, truth *spikecmp.Run) {
	// the timing of each method: its own wptime run, else the one-thread speed run at the
	// largest N up to 10000 of the same method.
	timing := map[string]*Run{}
	for _, r := range speed {
		if r.Threads != 1 || r.N > 10000 {
			continue
		}
		if t := timing[r.wpKey()]; t == nil || r.N > t.N {
			timing[r.wpKey()] = r
		}
	}
	for _, r := range wptime {
		timing[r.wpKey()] = r
	}
	var describe []string
	for _, r := range spikes {
		row := WPRow{Simulator: r.simulator(), Configuration: r.configuration(), DtMS: r.DtMS,
			Unstable: r.Unstable, MSPerSimSecond: math.NaN(), NsPerStep: math.NaN()}
		if !r.Unstable {
			c := compareWithTruth(r, truth)
			row.Cmp = &c
		}
		if t := timing[r.wpKey()]; t != nil {
			row.NsPerStep = 1e9 / t.rate()
			row.MSPerSimSecond = row.NsPerStep * 1e-6 * 1000 / r.DtMS
			row.TimingFrom = fmt.Sprintf("%s, N = %d, %g ms at dt %g ms, %d thread(s), median of %d",
				t.file, t.N, t.TMS, t.DtMS, t.Threads, len(t.NeuronStepsPerS))
			d := fmt.Sprintf("N = %d, %g ms at dt %g ms, %d thread, median of %d runs", t.N, t.TMS, t.DtMS, t.Threads, len(t.NeuronStepsPerS))
			if !slices.Contains(describe, d) {
				describe = append(describe, d)
			}
		}
		rep.WP = append(rep.WP, row)
	}
	sort.SliceStable(rep.WP, func(i, j int) bool {
		a, b := rep.WP[i], rep.WP[j]
		if a.Simulator != b.Simulator {
			return simOrder(a.Simulator) < simOrder(b.Simulator)
		}
		if a.Configuration != b.Configuration {
			return a.Configuration < b.Configuration
		}
		return a.DtMS > b.DtMS
	})
	rep.WPTiming = "time per simulated second per neuron: the ns per neuron-step of the method measured at " +
		strings.Join(describe, "; ") + ", times the steps per simulated second (1000/dt)"
}

func simOrder(s string) int {
	switch {
	case strings.HasPrefix(s, "neurogen"):
		return 0
	case strings.HasPrefix(s, "Brian2"):
		return 1
	}
	return 2
}

// num formats x with 3 significant digits, or a dash for NaN.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// fixed formats x with d decimals, or a dash for NaN.
func fixed(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}

func (rep *Report) markdown(w *strings.Builder) {
	m := rep.Meta
	fmt.Fprintf(w, "Run of `bench/run%s` on %s: %s, %s CPUs, %s; %s, git %s. Load average %s at the start, %s at the end.\n\n",
		m["FLAGS"], m["DATE"], m["CPU"], m["NPROC"], m["OS"], m["GO"], m["GIT"], m["LOAD_START"], m["LOAD_END"])
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(rep.Notes) > 0 {
		w.WriteString("\n")
	}
	if len(rep.Speed) > 0 {
		r0 := rep.Speed[0].Run
		fmt.Fprintf(w, "**Speed.** HH52, %g ms at dt %g ms, inputs 0 to 20 uA/cm2 spread over the N neurons; "+
			"neuron-steps per second of the simulation loop alone (with spike detection), median of the runs listed; "+
			"compile and setup timed separately.\n\n", r0.TMS, r0.DtMS)
		w.WriteString("| N | simulator | configuration | threads | M neuron-steps/s | ns per neuron-step | runs (M/s) | compile (s) | setup (s) | bytes/neuron | spikes |\n")
		w.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, s := range rep.Speed {
			r := s.Run
			var runs []string
			for _, x := range r.NeuronStepsPerS {
				runs = append(runs, fixed(x/1e6, 2))
			}
			bytes := fixed(r.BytesPerNeuron, 0)
			if r.Tool == "neuron" {
				bytes = "≈" + bytes + " (RSS)"
			}
			spk := "–"
			if len(r.SpikeCounts) > 0 {
				spk = strconv.Itoa(r.SpikeCounts[0])
				for _, c := range r.SpikeCounts[1:] {
					if c != r.SpikeCounts[0] {
						spk += " (varies)"
						break
					}
				}
			}
			fmt.Fprintf(w, "| %d | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n",
				r.N, s.Simulator, s.Configuration, r.Threads, fixed(s.Median/1e6, 2), fixed(s.NsPerStep, 0),
				strings.Join(runs, ", "), fixed(r.CompileS, 2), fixed(r.SetupS, 2), bytes, spk)
		}
		w.WriteString("\n")
	}
	if len(rep.Ratios) > 0 {
		w.WriteString("**neurogen ÷ peer** (median neuron-steps/s, same N, 1 worker vs 1 thread and 2 vs 2):\n\n")
		w.WriteString("| N | workers | neurogen | M/s | ÷ Brian2 | ÷ NEURON | ÷ neurogen 1 worker |\n")
		w.WriteString("|---|---|---|---|---|---|---|\n")
		for _, r := range rep.Ratios {
			get := func(k string) string {
				if x, ok := r.Ratio[k]; ok {
					return fixed(x, 2) + "×"
				}
				return "–"
			}
			fmt.Fprintf(w, "| %d | %d | %s | %s | %s | %s | %s |\n", r.N, r.Threads, r.Variant, fixed(r.Neurogen/1e6, 2),
				get("brian2"), get("neuron"), get("neurogen_1_worker"))
		}
		w.WriteString("\n")
	}
	if len(rep.WP) > 0 {
		w.WriteString("**Work-precision.** HH52, 8 neurons (I_i = 20·i/7 uA/cm2), 1000 ms, against the truth " +
			"(testdata/reference/hh52/truth.json, 387 spikes): the k-th spike of each neuron paired with the truth's k-th. " +
			"Count differences: not explained / explained by spikes drifting across the end of the window. " +
			"Time per simulated second per neuron: " + strings.TrimPrefix(rep.WPTiming, "time per simulated second per neuron: ") + ".\n\n")
		w.WriteString("| simulator | method | dt (ms) | largest error (ms) | mean error (ms) | spikes | count differences | ms per simulated s per neuron |\n")
		w.WriteString("|---|---|---|---|---|---|---|---|\n")
		for _, r := range rep.WP {
			if r.Unstable || r.Cmp == nil {
				fmt.Fprintf(w, "| %s | %s | %g | unstable | – | – | – | %s |\n", r.Simulator, r.Configuration, r.DtMS, num(r.MSPerSimSecond))
				continue
			}
			c := r.Cmp
			fmt.Fprintf(w, "| %s | %s | %g | %s | %s | %d | %d / %d | %s |\n", r.Simulator, r.Configuration, r.DtMS,
				num(c.MaxErr), num(c.MeanErr), c.RunSpikes, c.CountDiff, c.EdgeDiff, num(r.MSPerSimSecond))
		}
		w.WriteString("\n")
		rep.cheapest(w, 0.1)
	}
}

// cheapest writes, for each simulator, the configuration that reaches a largest error of at
// most bound ms in the least time per simulated second.
func (rep *Report) cheapest(w *strings.Builder, bound float64) {
	best := map[string]WPRow{}
	var order []string
	for _, r := range rep.WP {
		if r.Unstable || r.Cmp == nil || math.IsNaN(r.MSPerSimSecond) || r.Cmp.CountDiff+r.Cmp.EdgeDiff > 0 || !(r.Cmp.MaxErr <= bound) {
			continue
		}
		b, ok := best[r.Simulator]
		if !ok {
			order = append(order, r.Simulator)
		}
		if !ok || r.MSPerSimSecond < b.MSPerSimSecond {
			best[r.Simulator] = r
		}
	}
	if len(order) == 0 {
		return
	}
	fmt.Fprintf(w, "Cheapest configuration with a largest error of at most %g ms (and no count difference): ", bound)
	var parts []string
	for _, s := range order {
		r := best[s]
		parts = append(parts, fmt.Sprintf("%s %s at dt %g ms, %s ms per simulated s per neuron (error %s ms)",
			s, r.Configuration, r.DtMS, num(r.MSPerSimSecond), num(r.Cmp.MaxErr)))
	}
	w.WriteString(strings.Join(parts, "; ") + ".\n")
}
