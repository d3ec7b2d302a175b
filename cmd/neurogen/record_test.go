package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	hh52pkg "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/runtime"
)

// TestRecordValueErrors checks that bad recording, saving and resuming flags are found before
// anything is built, with a message that names the flag and the way out.
func TestRecordValueErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	copySpec(t, "hh52.yaml")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-record", "V"}, "-record V: missing -o FILE.npz or FILE.csv, the file to write the recording into"},
		{[]string{"-o", "a.npz"}, "-o a.npz: nothing to record: name the variables with -record, such as -record V"},
		{[]string{"-every", "1ms"}, "-every 1ms: nothing to record: name the variables with -record, such as -record V"},
		{[]string{"-neurons", "0-3"}, "-neurons 0-3: nothing to record: name the variables with -record, such as -record V"},
		{[]string{"-max-memory", "1GiB"}, "-max-memory 1GiB: nothing to record: name the variables with -record, such as -record V"},
		{[]string{"-record", "V", "-o", "a.txt"}, "-o a.txt: name the recording FILE.npz (NPZ, for numpy) or FILE.csv (CSV)"},
		{[]string{"-record", "V,V"}, `invalid value "V,V" for flag -record: ` + "`V` is listed twice"},
		{[]string{"-record", "V", "-record", "Na.m,V"}, `invalid value "Na.m,V" for flag -record: ` + "`V` is listed twice"},
		{[]string{"-record", "V,,Na.m"}, `invalid value "V,,Na.m" for flag -record: want comma-separated names such as V,Na.m,I_ext, with no empty name`},
		{[]string{"-record", "Vm", "-o", "a.npz"}, "-record Vm: unknown variable `Vm` (did you mean `V`?)"},
		{[]string{"-record", "V,Na.g_max", "-o", "a.npz"}, "-record V,Na.g_max: `Na.g_max` is one value for the whole group, not a value per neuron; declare it `per_neuron: true` in the spec to record it"},
		{[]string{"-record", "Ca.I", "-o", "a.csv"}, "-record Ca.I: unknown variable `Ca.I` (did you mean `Na.I`?)"},
		{[]string{"-record", "V", "-o", "a.npz", "-every", "0.01ms"}, "-every 0.01ms: the recording interval must be a whole number of steps of 0.025ms"},
		{[]string{"-record", "V", "-o", "a.npz", "-every", "0ms"}, "-every 0ms: the recording interval must be positive"},
		{[]string{"-record", "V", "-o", "a.npz", "-every", "1mV"}, `invalid value "1mV" for flag -every: want a time, such as 100ms or 1s; got mV (voltage)`},
		{[]string{"-record", "V", "-o", "a.npz", "-neurons", "5"}, "-neurons 5: neuron 5 is out of range: the group has neurons 0 to 0"},
		{[]string{"-record", "V", "-o", "a.npz", "-n", "10", "-neurons", "2,8-12"}, "-neurons 2,8-12: neuron 12 is out of range: the group has neurons 0 to 9"},
		{[]string{"-record", "V", "-o", "a.npz", "-neurons", "3-1"}, `invalid value "3-1" for flag -neurons: range 3-1 runs backwards: write 1-3`},
		{[]string{"-record", "V", "-o", "a.npz", "-neurons", "1,,2"}, `invalid value "1,,2" for flag -neurons: empty element: want all, or indices and ranges such as 0,3,10-19`},
		{[]string{"-record", "V", "-o", "a.npz", "-neurons", "-4"}, `invalid value "-4" for flag -neurons: "-4" is neither an index nor a range: want all, or indices and ranges such as 0,3,10-19`},
		{[]string{"-record", "V", "-o", "a.npz", "-n", "1000"}, "-record V: the group has 1000 neurons: say which to record with -neurons (all, or indices and ranges such as 0-99)"},
		{[]string{"-record", "V", "-o", "a.npz", "-max-memory", "3parsec"}, `invalid value "3parsec" for flag -max-memory: unknown unit "parsec": want a size such as 512MiB, 2GiB or 1e9 (bytes), or none`},
		{[]string{"-record", "V", "-o", "a.npz", "-max-memory", "0.5"}, `invalid value "0.5" for flag -max-memory: the limit must be at least 1 byte (or none)`},
		// 100 neurons × 40001 records (t = 0 and 40000 steps) × 8 bytes + 16 bytes of time and
		// step per record and 8 per neuron index: 32 641 616 bytes. Every 32 steps, 1251
		// records: 1 021 616 ≤ 1 MiB; every 31 steps, 1291 records: 1 054 256 > 1 MiB.
		{[]string{"-record", "V", "-o", "a.npz", "-n", "100", "-t", "1s", "-max-memory", "1MiB"},
			"-record V: 1 variable of 100 neurons, 40001 records every 0.025ms, need 31.1 MiB, over -max-memory 1MiB (1048576 bytes): record fewer variables or neurons, -every 0.8ms (32 steps) fits, or raise -max-memory"},
		{[]string{"-record", "V", "-o", "x.npz", "-spikes", "./x.npz"}, "-o x.npz and -spikes ./x.npz name the same file"},
		{[]string{"-save", "s.npz", "-spikes", "s.npz"}, "-spikes s.npz and -save s.npz name the same file"},
		{[]string{"-resume", "s.npz", "-seed", "3"}, "-seed 3 -resume s.npz: the state to resume already holds V and the seed; drop -seed"},
	} {
		args := append([]string{"run", "hh52.yaml", "-keep", "keep"}, tc.args...)
		code, stdout, stderr := neurogen(t, nil, args...)
		want := "neurogen run: " + tc.msg + "\nrun 'neurogen run -h' for usage\n"
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("neurogen run %s:\nexit %d, stdout %q, stderr %q\nwant exit 2, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, want)
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 1 {
		t.Errorf("the failed runs left files behind: %v", entries)
	}
}

// TestRecordMemory holds the size that neurogen run checks before it builds to the size of the
// runtime.Monitor that the model program then allocates.
func TestRecordMemory(t *testing.T) {
	m := hh52Model(t)
	for _, tc := range []struct {
		vars               []string
		n                  int
		neurons            []int
		every              int
		start, steps       int64
		wantRows, wantCols int64
	}{
		{[]string{"V"}, 3, nil, 1, 0, 100, 101, 3}, // t = 0 and steps 1 … 100
		{[]string{"V", "Na.m", "K.I"}, 5, []int{1, 4}, 4, 0, 100, 26, 2},
		{[]string{"Na.I", "I_ext"}, 2, nil, 7, 5, 100, 16, 2},   // counts 7, 14, …, 105 of 6 … 105, and a spare row
		{[]string{"K.n"}, 1, nil, 10, 13, 17, 3, 1},             // counts 20 and 30 of 14 … 30
		{[]string{"V", "L.I"}, 4, []int{0}, 10, 20, 9, 1, 1},    // counts 21 … 29: none
		{[]string{"V"}, 2, nil, 3, 2, 1, 2, 2},                  // count 3 alone
		{[]string{"K.I", "Na.I", "L.I"}, 2, nil, 1, 0, 0, 1, 2}, // no step: t = 0 alone
	} {
		if got := monitorRows(tc.start, tc.steps, tc.every); got != tc.wantRows {
			t.Errorf("monitorRows(%d, %d, %d) = %d, want %d", tc.start, tc.steps, tc.every, got, tc.wantRows)
		}
		g := hh52pkg.New(tc.n)
		mon, err := runtime.NewMonitor(g, tc.vars, tc.neurons, tc.every, monitorSteps(tc.start, tc.steps, tc.every), -1)
		if err != nil {
			t.Fatal(err)
		}
		// Run the monitor over the steps, as the model program does: from step 0 it records the
		// initial state too. It makes exactly monitorRecords records and drops none.
		if tc.start == 0 {
			mon.RecordInitial(runtime.Clock{Dt: 0.025})
		}
		for k := tc.start; k < tc.start+tc.steps; k++ {
			mon.Record(k, float64(k+1)*0.025)
		}
		records := monitorRecords(tc.start, tc.steps, tc.every)
		if want := tc.wantRows - min(tc.start, 1); records != want || int64(mon.Len()) != records || mon.Dropped() != 0 || int64(mon.Cap()) != tc.wantRows {
			t.Errorf("%v every %d from step %d for %d steps: %d records (monitorRecords %d) in %d rows, %d dropped; want %d in %d, 0",
				tc.vars, tc.every, tc.start, tc.steps, mon.Len(), records, mon.Cap(), mon.Dropped(), want, tc.wantRows)
		}
		if got, want := monitorBytes(m, tc.vars, int(tc.wantCols), tc.wantRows), mon.Bytes(); got != want {
			t.Errorf("%v of %d neurons, %d rows: neurogen run counts %d bytes, the monitor %d", tc.vars, tc.wantCols, tc.wantRows, got, want)
		}
	}
	if got := monitorBytes(m, []string{"V"}, math.MaxInt32, math.MaxInt64/2); got != math.MaxInt64 {
		t.Errorf("a huge monitor counts %d bytes, want saturation at %d", got, int64(math.MaxInt64))
	}
}

// hh52Model returns the checked model of the stock HH52 spec.
func hh52Model(t *testing.T) *ir.Model {
	t.Helper()
	m, err := loadModel(nil, hh52(t), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// readNPZ reads an NPZ file into a map by array name.
func readNPZ(t *testing.T, path string) map[string]runtime.Array {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	arrays, err := runtime.ReadNPZ(f, fi.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]runtime.Array{}
	for _, a := range arrays {
		out[a.Name] = a
	}
	return out
}

// runOK runs neurogen with args and fails the test unless it succeeds; it returns the summary.
func runOK(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := neurogen(t, nil, args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// sameBits reports whether two float64 slices hold the same bits.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestRunRecordResume runs HH52 for 2T in one go and for T, saved, then T more resumed from the
// state file in a new model program, and checks that the two give the same final state, the
// same spikes and the same records, bit for bit; it checks the records themselves against the
// generated package run from Go and the recorded currents against the spec's formulas.
func TestRunRecordResume(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	t.Chdir(dir)
	copySpec(t, "hh52.yaml")
	const (
		n     = 3
		every = 4 // steps of 0.025 ms: -every 0.1ms
		steps = 800
	)
	vars := []string{"V", "Na.m", "Na.h", "K.n", "Na.I", "K.I", "L.I", "I_ext"}
	common := []string{"-n", "3", "-set", "I_ext=linspace(6uA/cm2, 12uA/cm2)", "-record", strings.Join(vars, ","), "-every", "0.1ms"}
	one := func(args ...string) []string { return append(append([]string{"run", "hh52.yaml"}, common...), args...) }

	runOK(t, one("-t", "20ms", "-o", "full.npz", "-spikes", "full.csv", "-save", "full.state")...)
	first := runOK(t, one("-t", "10ms", "-o", "a.npz", "-spikes", "a.csv", "-save", "half.state")...)
	// -n comes from the state; -set I_ext is not given again: the state holds the input.
	second := runOK(t, "run", "hh52.yaml", "-resume", "half.state", "-t", "10ms", "-record", strings.Join(vars, ","),
		"-every", "0.1ms", "-o", "b.npz", "-spikes", "b.csv", "-save", "end.state")
	for _, want := range []string{
		"recorded V, Na.m, Na.h, K.n, Na.I, K.I, L.I, I_ext of 3 neurons every 0.1 ms: 101 records", // t = 0, 0.1, … 10 ms
		"state at t = 10 ms (step 400) saved to half.state\n",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("the summary of the first half does not say %q:\n%s", want, first)
		}
	}
	for _, want := range []string{
		"HH52 (exp_auto): 3 neurons, 10 ms in 400 steps of 0.025 ms, from t = 10 ms (step 400) of half.state\n",
		"state at t = 20 ms (step 800) saved to end.state\n",
		// t = 10.1 … 20 ms: the state at 10 ms is the last record of the first half.
		"recorded V, Na.m, Na.h, K.n, Na.I, K.I, L.I, I_ext of 3 neurons every 0.1 ms: 100 records",
	} {
		if !strings.Contains(second, want) {
			t.Errorf("the summary of the resumed half does not say %q:\n%s", want, second)
		}
	}

	// The final states: every array the same, bit for bit.
	full, end := readNPZ(t, "full.state"), readNPZ(t, "end.state")
	if len(full) != len(end) {
		t.Errorf("the state files hold %d and %d arrays", len(full), len(end))
	}
	for name, a := range full {
		b, ok := end[name]
		switch {
		case !ok:
			t.Errorf("the resumed state has no %s", name)
		case name == "__meta__":
			if *a.Str != *b.Str {
				t.Errorf("the metadata differ:\n%s\n%s", *a.Str, *b.Str)
			}
		case !sameBits(a.F64, b.F64) || !slices.Equal(a.Bool, b.Bool) || !slices.Equal(a.U64, b.U64) || !slices.Equal(a.I64, b.I64):
			t.Errorf("%s differs after the resumed run", name)
		}
	}

	// The spikes: the two halves make the whole.
	readLines := func(path string) []string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	fullSpikes, a, b := readLines("full.csv"), readLines("a.csv"), readLines("b.csv")
	if joined := append(slices.Clone(a), b[1:]...); !slices.Equal(fullSpikes, joined) {
		t.Errorf("spikes of the whole run:\n%s\nspikes of the halves:\n%s", strings.Join(fullSpikes, "\n"), strings.Join(joined, "\n"))
	}
	if len(b) < 3 {
		t.Errorf("only %d spikes in the second half: the test needs spikes after the resume", len(b)-1)
	}

	// The records: the halves make the whole, the spikes in the NPZ files too; the resumed half
	// does not repeat the record at the time it resumes from.
	rf, ra, rb := readNPZ(t, "full.npz"), readNPZ(t, "a.npz"), readNPZ(t, "b.npz")
	if ta, tb := ra["t"].F64, rb["t"].F64; len(ta) != steps/every/2+1 || ta[0] != 0 || len(tb) != steps/every/2 || math.Abs(tb[0]-10.1) > 1e-12 {
		t.Errorf("the first half records %d times from %v ms, the second %d from %v ms; want 101 from 0, 100 from 10.1", len(ta), ta[0], len(tb), tb[0])
	}
	for _, name := range append([]string{"t"}, vars...) {
		whole := rf[name].F64
		if len(whole) != (steps/every+1)*n && name != "t" || !sameBits(whole, append(slices.Clone(ra[name].F64), rb[name].F64...)) {
			t.Errorf("records of %s: the whole run's (%d values) are not the halves' (%d and %d values)", name, len(whole), len(ra[name].F64), len(rb[name].F64))
		}
	}
	if !slices.Equal(rf["step"].I64, append(slices.Clone(ra["step"].I64), rb["step"].I64...)) {
		t.Errorf("the step indices of the records differ")
	}
	if !sameBits(rf["spike_time"].F64, append(slices.Clone(ra["spike_time"].F64), rb["spike_time"].F64...)) ||
		!slices.Equal(rf["spike_neuron"].I64, append(slices.Clone(ra["spike_neuron"].I64), rb["spike_neuron"].I64...)) {
		t.Errorf("the NPZ spikes of the whole run are not those of the halves")
	}

	// The records are the generated package's own values, at the times k·0.1 ms from t = 0.
	g := hh52pkg.New(n)
	for i, x := range []float64{6, 9, 12} {
		g.Input()[i] = x
	}
	g.Reset()
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	times := rf["t"].F64
	cur := make([]float64, 3)
	for r := range steps/every + 1 {
		if r > 0 {
			sim.Run(every)
		}
		if want := float64(r) * 0.1; math.Abs(times[r]-want) > 1e-12 {
			t.Fatalf("record %d is at t = %v ms, want %v", r, times[r], want)
		}
		for i := range n {
			g.Currents(i, cur)
			for _, name := range vars {
				var want float64
				switch name {
				case "Na.I":
					want = cur[0]
				case "K.I":
					want = cur[1]
				case "L.I":
					want = cur[2]
				case "I_ext":
					want = g.Input()[i]
				default:
					want = g.Var(name)[i]
				}
				if got := rf[name].F64[r*n+i]; math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("record %d of neuron %d: %s = %v, the generated package gives %v", r, i, name, got, want)
				}
			}
		}
	}

	// The currents follow the spec's formulas from the recorded gates (inward positive).
	at := func(name string, j int) float64 { return rf[name].F64[j] }
	for j := range rf["V"].F64 {
		V, m, h, k := at("V", j), at("Na.m", j), at("Na.h", j), at("K.n", j)
		for _, c := range []struct {
			name string
			want float64
		}{
			{"Na.I", 120 * m * m * m * h * (50 - V)},
			{"K.I", 36 * k * k * k * k * (-77 - V)},
			{"L.I", 0.3 * (-54.387 - V)},
		} {
			if got := at(c.name, j); math.Abs(got-c.want) > 1e-12*(1+math.Abs(c.want)) {
				t.Fatalf("value %d: %s = %v, the spec's formula gives %v", j, c.name, got, c.want)
			}
		}
	}

	// The same records as CSV: a line per record and neuron, the values round-trip.
	runOK(t, one("-t", "20ms", "-o", "full.csv.csv")...)
	f, err := os.Open("full.csv.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{"t_ms", "neuron"}, vars...); !slices.Equal(recs[0], want) {
		t.Errorf("CSV header %v, want %v", recs[0], want)
	}
	if len(recs) != 1+(steps/every+1)*n {
		t.Fatalf("CSV has %d lines, want %d", len(recs), 1+(steps/every+1)*n)
	}
	for j, rec := range recs[1:] {
		if rec[1] != strconv.Itoa(j%n) {
			t.Fatalf("CSV line %d is of neuron %s, want %d", j+2, rec[1], j%n)
		}
		for k, name := range vars {
			x, err := strconv.ParseFloat(rec[2+k], 64)
			if err != nil || math.Float64bits(x) != math.Float64bits(rf[name].F64[j]) {
				t.Fatalf("CSV line %d: %s = %s, the NPZ holds %v", j+2, name, rec[2+k], rf[name].F64[j])
			}
		}
	}
}

// TestRunResumeErrors checks that a state that does not fit the spec, a damaged state and a
// model program that fails leave the files that -o, -spikes and -save name as they were.
func TestRunResumeErrors(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	t.Chdir(dir)
	copySpec(t, "hh52.yaml")
	wb, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "wangbuzsaki.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "wb.yaml", string(wb))
	runOK(t, "run", "wb.yaml", "-n", "2", "-t", "1ms", "-save", "wb.state")
	runOK(t, "run", "hh52.yaml", "-n", "2", "-t", "1ms", "-save", "hh.state")
	runOK(t, "run", "hh52.yaml", "-n", "2", "-t", "1ms", "-method", "staggered", "-save", "staggered.state")
	state, err := os.ReadFile("hh.state")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "cut.state", string(state[:len(state)/2]))
	for _, name := range []string{"out.npz", "spikes.csv", "saved.state"} {
		writeFile(t, name, "precious "+name)
	}
	outputs := []string{"-record", "V", "-o", "out.npz", "-spikes", "spikes.csv", "-save", "saved.state"}

	for _, tc := range []struct {
		state string
		msg   string // a part of the error
	}{
		{"wb.state", "neurogen run: load state from wb.state: the file holds a state of model WangBuzsaki, not of HH52: resume it with the spec of WangBuzsaki\n"},
		{"cut.state", "cut.state"},
		{"staggered.state", "neurogen run: load state from staggered.state: the state was saved by a program that integrates with staggered, this one with exp_auto (the staggered method keeps the gates half a step ahead of V, the others at V's time); to resume it under exp_auto anyway, add -resume-any-method\n"},
		{"nosuch.state", "no such file"},
	} {
		code, stdout, stderr := neurogen(t, nil, append([]string{"run", "hh52.yaml", "-resume", tc.state}, outputs...)...)
		if code != exitError || stdout != "" || !strings.HasPrefix(stderr, "neurogen run: ") || !strings.Contains(stderr, tc.msg) || strings.Contains(stderr, "group group") {
			t.Errorf("neurogen run -resume %s: exit %d, stdout %q, stderr %q; want exit 1 and an error that names %q", tc.state, code, stdout, stderr, tc.msg)
		}
		t.Logf("-resume %s: %s", tc.state, strings.TrimSpace(stderr))
		for _, name := range []string{"out.npz", "spikes.csv", "saved.state"} {
			if b, err := os.ReadFile(name); err != nil || string(b) != "precious "+name {
				t.Errorf("-resume %s: %s was changed", tc.state, name)
			}
		}
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"cut.state", "hh.state", "hh52.yaml", "out.npz", "saved.state", "spikes.csv", "staggered.state", "wb.state", "wb.yaml"}; !slices.Equal(names, want) {
		t.Errorf("the directory holds %v, want %v: temporary files left behind?", names, want)
	}
	// -resume-any-method resumes the staggered state under exp_auto.
	runOK(t, "run", "hh52.yaml", "-t", "1ms", "-resume", "staggered.state", "-resume-any-method")

	// The metadata neurogen run reads before building: the right group and size.
	info, err := readStateInfo("hh.state")
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != 2 || info.Step != 40 || info.Dt != 0.025 {
		t.Errorf("hh.state: %d neurons at step %d, dt %v; want 2, 40, 0.025", info.Size, info.Step, info.Dt)
	}
	meta, _ := json.Marshal(info)
	t.Logf("hh.state: %s", meta)
}
