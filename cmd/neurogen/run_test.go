package main

import (
	"bytes"
	"encoding/csv"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	hh52pkg "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/internal/spikecmp"
)

// perNeuronSpec is HH52 with the leak's g_max declared per neuron.
func perNeuronSpec(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(hh52(t))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "    g_max: 0.3 mS/cm2\n", "    g_max: {value: 0.3 mS/cm2, per_neuron: true}\n", 1)
	if s == string(src) {
		t.Fatal("the leak's g_max is not in hh52.yaml as expected")
	}
	path := filepath.Join(t.TempDir(), "pn.yaml")
	writeFile(t, path, s)
	return path
}

// TestRunValueErrors checks that bad values are found before anything is built: -keep names a
// directory that run would create.
func TestRunValueErrors(t *testing.T) {
	spec := hh52(t)
	pn := perNeuronSpec(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-t", "100"}, `invalid value "100" for flag -t: missing time unit (did you mean 100ms?)`},
		{[]string{"-dt", "0.025"}, `invalid value "0.025" for flag -dt: missing time unit (did you mean 0.025ms?)`},
		{[]string{"-t", "5mV"}, `invalid value "5mV" for flag -t: want a time, such as 100ms or 1s; got mV (voltage)`},
		{[]string{"-t", "5 furlongs"}, `invalid value "5 furlongs" for flag -t: unknown unit "furlongs"`},
		{[]string{"-dt", "0ms"}, `-dt 0ms: the time step must be positive`},
		{[]string{"-dt", "-0.1ms"}, `-dt -0.1ms: the time step must be positive`},
		{[]string{"-t", "-1ms"}, `-t -1ms: the duration must not be negative`},
		{[]string{"-t", "10ms", "-dt", "0.3ms"}, `-t 10ms -dt 0.3ms: duration 10 ms is not a whole number of steps of 0.3 ms`},
		{[]string{"-n", "0"}, `invalid value "0" for flag -n: need at least 1 neuron`},
		{[]string{"-n", "ten"}, `invalid value "ten" for flag -n: not an integer`},
		{[]string{"-n", "1e99"}, `invalid value "1e99" for flag -n: not an integer`},
		{[]string{"-n", "99999999999"}, `invalid value "99999999999" for flag -n: too many neurons (at most 2147483647)`},
		{[]string{"-seed", "-1"}, `invalid value "-1" for flag -seed: want a non-negative integer`},
		{[]string{"-method", "rk5"}, `-method rk5: unknown method (did you mean rk2?)`},
		{[]string{"-set", "Na.g_max"}, `invalid value "Na.g_max" for flag -set: want NAME=VALUE, such as Na.g_max=100mS/cm2`},
		{[]string{"-set", "=5mV"}, `invalid value "=5mV" for flag -set: missing NAME before =`},
		{[]string{"-set", "C="}, `invalid value "C=" for flag -set: missing value after C=`},
		{[]string{"-set", "I_ext=linspace(1uA/cm2)"}, `invalid value "I_ext=linspace(1uA/cm2)" for flag -set: want linspace(FROM, TO) with two quantities, such as linspace(0uA/cm2, 20uA/cm2)`},
		{[]string{"-set", "I_ext=linspace(0, 1uA/cm2"}, `invalid value "I_ext=linspace(0, 1uA/cm2" for flag -set: want linspace(FROM, TO) with two quantities, such as linspace(0uA/cm2, 20uA/cm2)`},
		{[]string{"-set", "I_ext=1e999uA/cm2"}, `invalid value "I_ext=1e999uA/cm2" for flag -set: number out of range in "1e999uA/cm2"`},
		{[]string{"-set", "Na.gmax=100mS/cm2"}, "-set Na.gmax=100mS/cm2: unknown parameter `Na.gmax` (did you mean `Na.g_max`?)"},
		{[]string{"-set", "Iext=5uA/cm2"}, "-set Iext=5uA/cm2: unknown parameter `Iext` (did you mean `I_ext`?)"},
		{[]string{"-set", "frobnication=1"}, "-set frobnication=1: unknown parameter `frobnication`: model HH52 has no parameter of that name"},
		{[]string{"-set", "Na.g_max=5uA/cm2"}, "-set Na.g_max=5uA/cm2: `Na.g_max` is a conductance density (mS/cm2), not uA/cm2 (current density)"},
		{[]string{"-set", "Na.g_max=120"}, "-set Na.g_max=120: `Na.g_max` is a conductance density (mS/cm2): write 120 with a unit, such as 120mS/cm2"},
		{[]string{"-set", "C=0uF/cm2"}, "-set C=0uF/cm2: `C` must be positive, got 0uF/cm2"},
		{[]string{"-set", "A=-2cm2"}, "-set A=-2cm2: `A` must be positive, got -2cm2"},
		{[]string{"-set", "V_th=linspace(-10mV, 10mV)"}, "-set V_th=linspace(-10mV, 10mV): `V_th` is one value for the whole group, so it cannot vary across neurons; declare it `per_neuron: true` in the spec"},
		{[]string{"-set", "I_ext=5mV"}, "-set I_ext=5mV: `I_ext` is a current density (uA/cm2) or a current (nA), not mV (voltage)"},
		{[]string{"-set", "I_ext=linspace(0uA/cm2, 5)"}, "-set I_ext=linspace(0uA/cm2, 5): `I_ext` is a current density (uA/cm2) or a current (nA): write 5 with a unit, such as 5uA/cm2"},
		{[]string{"-set", "I_ext=linspace(-1e308uA/cm2, 1e308uA/cm2)"}, "-set I_ext=linspace(-1e308uA/cm2, 1e308uA/cm2): value out of range"},
		// The first bad -set is reported, even if a later one would replace it.
		{[]string{"-set", "C=1", "-set", "C=1uF/cm2"}, "-set C=1: `C` is a capacitance density (uF/cm2): write 1 with a unit, such as 1uF/cm2"},
	} {
		keep := filepath.Join(t.TempDir(), "keep")
		args := append([]string{"run", spec, "-keep", keep}, tc.args...)
		code, stdout, stderr := neurogen(t, nil, args...)
		want := "neurogen run: " + tc.msg + "\nrun 'neurogen run -h' for usage\n"
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("neurogen run %s:\nexit %d, stdout %q, stderr %q\nwant exit 2, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, want)
		}
		if _, err := os.Stat(keep); err == nil {
			t.Errorf("neurogen run %s made the -keep directory before failing", strings.Join(tc.args, " "))
		}
	}

	// A per-neuron parameter takes linspace; the dimensions are checked all the same.
	code, _, stderr := neurogen(t, nil, "run", pn, "-set", "L.g_max=linspace(0mS/cm2, 1mV)")
	if want := "neurogen run: -set L.g_max=linspace(0mS/cm2, 1mV): `L.g_max` is a conductance density (mS/cm2), not mV (voltage)\n"; code != exitUsage || !strings.HasPrefix(stderr, want) {
		t.Errorf("neurogen run pn.yaml -set L.g_max=linspace(0mS/cm2, 1mV): exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

func TestRunSpecErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, "leaky.yaml", invalidSpec)
	code, stdout, stderr := neurogen(t, nil, "run", "leaky.yaml", "-set", "I_ext=1uA/cm2")
	want := "leaky.yaml:10:14: undefined: `gmax` (did you mean `g_max`?)\n" +
		"leaky.yaml:10:24: mismatched dimensions in `-`: `E` is mS (conductance) but `V` is mV (voltage)\n"
	if code != exitError || stdout != "" || stderr != want {
		t.Errorf("neurogen run leaky.yaml: exit %d, stdout %q, stderr:\n%s\nwant exit 1, stderr:\n%s", code, stdout, stderr, want)
	}
	code, _, stderr = neurogen(t, nil, "run", "nosuch.yaml")
	if want := "neurogen run: open nosuch.yaml: no such file or directory\n"; code != exitError || stderr != want {
		t.Errorf("neurogen run nosuch.yaml: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
	copySpec(t, "hh52.yaml")
	code, _, stderr = neurogen(t, nil, "run", "hh52.yaml", "-spikes", "nodir/spikes.csv")
	if want := "neurogen run: cannot write nodir/spikes.csv: no such file or directory\n"; code != exitError || stderr != want {
		t.Errorf("neurogen run -spikes nodir/spikes.csv: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
	writeFile(t, filepath.Join("mine", "notes.txt"), "precious")
	code, _, stderr = neurogen(t, nil, "run", "hh52.yaml", "-keep", "mine")
	if want := "neurogen run: -keep mine: the directory is not empty and holds no model program of neurogen run; give a new or empty directory\n"; code != exitError || stderr != want {
		t.Errorf("neurogen run -keep mine: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
	if _, err := os.Stat(filepath.Join("mine", "notes.txt")); err != nil {
		t.Errorf("-keep touched a directory it did not make: %v", err)
	}
}

// TestRunWithoutGo checks the error for a missing go command, and that a failed run leaves no
// spikes file behind, not even a temporary one.
func TestRunWithoutGo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr := neurogen(t, nil, "run", hh52(t), "-spikes", filepath.Join(dir, "spikes.csv"))
	want := "neurogen run: " + progbuild.ErrNoGo.Error() + "\n"
	if code != exitError || stdout != "" || stderr != want {
		t.Errorf("neurogen run without go: exit %d, stdout %q, stderr %q; want 1, %q", code, stdout, stderr, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed run left %d files in the directory of the spikes file", len(entries))
	}
}

// TestProgramVariant: the variant that a model program's summary names follows -tables
// (and -table-error), -simd and -float32, in that order.
func TestProgramVariant(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, nil},
		{[]string{"-table-error", "1e-5"}, []string{"tables"}},
		{[]string{"-float32", "-simd", "-tables"}, []string{"tables", "simd", "float32"}},
	} {
		fs := newFlagSet("run")
		r := runCommand.new(fs).(*runRunner)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if err := r.validate(); err != nil {
			t.Fatal(err)
		}
		if got := r.variant(); !slices.Equal(got, c.want) {
			t.Errorf("run %v: variant %q, want %q", c.args, got, c.want)
		}
	}
}

// readSpikes reads a spikes CSV file: the spike times of each neuron.
func readSpikes(t *testing.T, path string) map[int][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "neuron,time_ms" {
		t.Fatalf("%s: no header neuron,time_ms", path)
	}
	// Step by step: each neuron's spikes in time order, and no spike more than a step (at most
	// 1 ms here) before one written earlier.
	spikes := map[int][]float64{}
	last := math.Inf(-1)
	for _, r := range rows[1:] {
		i, err1 := strconv.Atoi(r[0])
		tm, err2 := strconv.ParseFloat(r[1], 64)
		s := spikes[i]
		if err1 != nil || err2 != nil || tm < last-1 || (len(s) > 0 && tm <= s[len(s)-1]) {
			t.Fatalf("%s: bad line %q (spikes step by step)", path, r)
		}
		last = max(last, tm)
		spikes[i] = append(s, tm)
	}
	return spikes
}

// truthFirstSpike returns the first spike time of the truth's neuron with input I (uA/cm2).
func truthFirstSpike(t *testing.T, I float64) float64 {
	t.Helper()
	truth, err := spikecmp.LoadRun(filepath.Join(gomodtest.Root(t), "testdata", "reference", "hh52", "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range truth.I {
		if math.Abs(in-I) < 1e-9 && len(truth.Spikes[i]) > 0 {
			return truth.Spikes[i][0]
		}
	}
	t.Fatalf("the truth has no neuron with input %g uA/cm2 that spikes", I)
	return 0
}

func TestRunHH52(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "spikes.csv")
	keep := filepath.Join(dir, "module")
	code, stdout, stderr := neurogen(t, nil, "run", hh52(t), "-n", "3", "-t", "50ms",
		"-set", "I_ext=linspace(0uA/cm2,20uA/cm2)", "-spikes", csvPath, "-keep", keep)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run: exit %d, stderr:\n%s", code, stderr)
	}
	t.Logf("neurogen run:\n%s", stdout)

	spikes := readSpikes(t, csvPath)
	if len(spikes[0]) != 0 || len(spikes[1]) == 0 || len(spikes[2]) == 0 || len(spikes) != 2 {
		t.Errorf("spikes by neuron: %v; want spikes of neurons 1 and 2 only", spikes)
	}
	// Exponential Euler at dt = 0.025 ms is a first-order method: its first spike is late by
	// about 0.06 ms against the truth (Brian2's is at 1.334 ms).
	if got, want := spikes[2][0], truthFirstSpike(t, 20); math.Abs(got-want) > 0.1 {
		t.Errorf("first spike of neuron 2 (20 uA/cm2) at %g ms, want %g ± 0.1 ms", got, want)
	}
	for _, tm := range append(spikes[1], spikes[2]...) {
		if tm <= 0 || tm >= 50 {
			t.Errorf("spike at %g ms, outside the run (0, 50 ms)", tm)
		}
	}

	// The summary agrees with the CSV.
	for _, want := range []string{
		"HH52 (exp_auto): 3 neurons, 50 ms in 2000 steps of 0.025 ms\n",
		"spikes written to " + csvPath + "\n",
		"model program kept in " + keep + "\n",
		"total: " + strconv.Itoa(len(spikes[1])+len(spikes[2])) + " spikes, 2 of 3 neurons active, mean rate ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary does not contain %q", want)
		}
	}
	for i, I := range []string{"0", "10", "20"} {
		row := regexp.MustCompile(`(?m)^\s+` + strconv.Itoa(i) + `\s+` + strconv.Itoa(len(spikes[i])) + `\s+\S+\s+` + I + `$`)
		if !row.MatchString(stdout) {
			t.Errorf("the summary has no row %q", row)
		}
	}
	if !regexp.MustCompile(`(?m)^simulation .+ \(\S+ neuron-steps/s\); build .+$`).MatchString(stdout) {
		t.Errorf("the summary has no timings")
	}

	// The kept module: the program's source, gofmt-clean, and the run's configuration.
	mainGo, err := os.ReadFile(filepath.Join(keep, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if f, err := format.Source(mainGo); err != nil || !bytes.Equal(f, mainGo) {
		t.Errorf("the model program's main.go is not gofmt-clean: %v", err)
	}
	for _, f := range []string{"go.mod", "config.json", "model/hh52.go", "neurogen/go.mod", "neurogen/runtime/group.go"} {
		if _, err := os.Stat(filepath.Join(keep, f)); err != nil {
			t.Errorf("the kept module lacks %s: %v", f, err)
		}
	}

	// A group-wide parameter changes the result, and -keep reuses its own directory.
	code, stdout, stderr = neurogen(t, nil, "run", hh52(t), "-n", "3", "-t", "50ms",
		"-set", "I_ext=linspace(0uA/cm2,20uA/cm2)", "-set", "Na.g_max=0mS/cm2", "-keep", keep)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run -set Na.g_max=0mS/cm2: exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "\ntotal: 0 spikes, 0 of 3 neurons active, mean rate 0 Hz\n") {
		t.Errorf("without sodium current HH52 still spikes:\n%s", stdout)
	}

	// A step input, given as a current with the membrane area set: 2 nA / 2e-4 cm2 = 10 uA/cm2
	// from 10 to 30 ms, the spikes of the package run from Go with that pulse.
	code, stdout, stderr = neurogen(t, nil, "run", hh52(t), "-n", "2", "-t", "50ms", "-set", "I_ext=step(10ms, 30ms, 2nA)",
		"-set", "A=2e-4cm2", "-spikes", csvPath)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run -set I_ext=step(10ms, 30ms, 2nA): exit %d, stderr:\n%s", code, stderr)
	}
	sameSpikes(t, "run -set I_ext=step(10ms, 30ms, 2nA)", readSpikes(t, csvPath), simulateGo(hh52pkg.New(2), 50, 0.025, map[int]float64{400: 10, 1200: 0}))
	if !regexp.MustCompile(`(?m)I_ext \(uA/cm2, 10 ms to 30 ms\)\n\s+0\s+\d+\s+\S+\s+10\n`).MatchString(stdout) {
		t.Errorf("the summary does not give the step's amplitude and window:\n%s", stdout)
	}
	// One input per neuron from a file.
	inputs := filepath.Join(dir, "in.txt")
	writeFile(t, inputs, "I_ext (uA/cm2)\n0\n15.5\n")
	code, stdout, stderr = neurogen(t, nil, "run", hh52(t), "-n", "2", "-t", "50ms", "-set", "I_ext=@"+inputs)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run -set I_ext=@in.txt: exit %d, stderr:\n%s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^\s+0\s+0\s+0\s+0\n\s+1\s+[1-9]\d*\s+\S+\s+15.5\n`).MatchString(stdout) {
		t.Errorf("the summary does not give the inputs of in.txt, 0 and 15.5, with spikes for the second:\n%s", stdout)
	}
}

// TestRunOptions runs with an absolute input current, a per-neuron parameter set by linspace,
// -method, -seed and more neurons than the table shows.
func TestRunOptions(t *testing.T) {
	gomodtest.NeedGo(t)
	code, stdout, stderr := neurogen(t, nil, "run", perNeuronSpec(t), "-n", "25", "-t", "20ms", "-dt", "0.05ms",
		"-method", "rk4", "-seed", "7", "-set", "I_ext=10nA", "-set", "I_ext=20nA", // the last wins: 20 uA/cm2
		"-set", "L.g_max=linspace(0mS/cm2, 2.4mS/cm2)", "-set", "C=1uF/cm2")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run: exit %d, stderr:\n%s", code, stderr)
	}
	t.Logf("neurogen run:\n%s", stdout)
	for _, want := range []string{
		"HH52 (rk4): 25 neurons, 20 ms in 400 steps of 0.05 ms\n",
		"I_ext (uA/cm2)   L.g_max (mS/cm2)\n",
		"\n… 5 more\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary does not contain %q", want)
		}
	}
	// Neuron 10: L.g_max = 2.4·10/24 = 1 mS/cm2, I_ext = 20 nA / 0.001 cm2 = 20 uA/cm2.
	if !regexp.MustCompile(`(?m)^\s+10\s+\d+\s+\S+\s+20\s+1$`).MatchString(stdout) {
		t.Errorf("the summary has no row for neuron 10 with I_ext 20 and L.g_max 1")
	}
	if strings.Count(stdout, "\n") > 40 {
		t.Errorf("the summary is longer than a screen")
	}
}
