package modelrun_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	ghh52 "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

var hh52 = &modelrun.Program{New: func(n int) runtime.Group { return ghh52.New(n) }}

func TestParseValue(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"10uA/cm2", "10 uA/cm2"},
		{" -65 mV ", "-65 mV"},
		{"2.5e-3", "2.5e-3"},
		{"linspace(0uA/cm2, 20 uA/cm2)", "linspace(0 uA/cm2, 20 uA/cm2)"},
		{"@in.txt", "@in.txt"},
		{"step(50ms, 150ms, 10uA/cm2)", "step(50 ms, 150 ms, 10 uA/cm2)"},
		{"step(0, 1s, linspace(1nA, 2nA))", "step(0, 1 s, linspace(1 nA, 2 nA))"},
	} {
		v, err := modelrun.ParseValue(c.in)
		if err != nil {
			t.Errorf("ParseValue(%q): %v", c.in, err)
			continue
		}
		if got := v.String(); got != c.want {
			t.Errorf("ParseValue(%q).String() = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, msg string }{
		{"", "missing value"},
		{"@", "missing file name after @"},
		{"linspace(1uA/cm2)", "want linspace(FROM, TO) with two quantities"},
		{"linspace(0, 1uA/cm2", "want linspace(FROM, TO) with two quantities"},
		{"step(50ms, 150ms)", "want step(ON, OFF, VALUE)"},
		{"step(50, 150ms, 1uA/cm2)", "step: want times ON and OFF with a time unit, such as 50ms; got 50"},
		{"step(150ms, 50ms, 1uA/cm2)", "step: want 0 ≤ ON < OFF; got ON 150ms, OFF 50ms"},
		{"step(0ms, 5ms, step(0ms, 1ms, 1uA/cm2))", "step: VALUE cannot be a step itself"},
		{"5 furlongs", `unknown unit "furlongs"`},
	} {
		_, err := modelrun.ParseValue(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseValue(%q): error %v, want one containing %q", c.in, err, c.msg)
		}
	}
}

// assignments parses NAME=VALUE for each argument.
func assignments(t *testing.T, args ...string) []*modelrun.Assignment {
	t.Helper()
	var as []*modelrun.Assignment
	for _, s := range args {
		a, err := modelrun.ParseAssignment(s)
		if err != nil {
			t.Fatalf("ParseAssignment(%q): %v", s, err)
		}
		as = append(as, a)
	}
	return as
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(csvPath, []byte("I_ext\n1\n2.5\n4\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	md := ghh52.New(1).Model() // A = 1e-3 cm2
	for _, c := range []struct {
		args    []string
		n       int
		want    []modelrun.Setting
		changes []modelrun.Change
		headers []string
	}{
		{[]string{"I_ext=5uA/cm2", "Na.g_max=0.1S/cm2", "C=2uF/cm2"}, 2,
			[]modelrun.Setting{{Name: "I_ext", Target: "input", From: 5, To: 5}, {Name: "Na.g_max", Target: "param", From: 100, To: 100}, {Name: "C", Target: "param", From: 2, To: 2}},
			nil, []string{"I_ext (uA/cm2)"}},
		// A current is divided by the area A, the spec's or the one set, before or after.
		{[]string{"I_ext=1nA"}, 1, []modelrun.Setting{{Name: "I_ext", Target: "input", From: 1, To: 1}}, nil, nil},
		{[]string{"I_ext=1nA", "A=20000um2"}, 1, []modelrun.Setting{{Name: "I_ext", Target: "input", From: 5, To: 5}}, nil, nil},
		{[]string{"A=2e-4cm2", "I_ext=linspace(0nA, 1nA)"}, 3, []modelrun.Setting{{Name: "I_ext", Target: "input", From: 0, To: 5}}, nil, nil},
		// The last assignment to a name wins, in the place of the first.
		{[]string{"V_th=10mV", "I_ext=1uA/cm2", "V_th=-10mV"}, 1,
			[]modelrun.Setting{{Name: "V_th", Target: "param", From: -10, To: -10}, {Name: "I_ext", Target: "input", From: 1, To: 1}}, nil, nil},
		{[]string{"I_ext=@" + csvPath}, 3, []modelrun.Setting{{Name: "I_ext", Target: "input", Values: []float64{1, 2.5, 4}}}, nil, nil},
		// A step: 0 before and after, VALUE from step ON/dt to OFF/dt.
		{[]string{"I_ext=step(50ms, 150ms, 10uA/cm2)"}, 2,
			[]modelrun.Setting{{Name: "I_ext", Target: "input"}},
			[]modelrun.Change{{Step: 2000, Setting: modelrun.Setting{Name: "I_ext", Target: "input", From: 10, To: 10}}, {Step: 6000, Setting: modelrun.Setting{Name: "I_ext", Target: "input"}}},
			[]string{"I_ext (uA/cm2, 50 ms to 150 ms)"}},
	} {
		in, err := modelrun.Resolve(md, assignments(t, c.args...), c.n, 0.025)
		if err != nil {
			t.Errorf("Resolve %v: %v", c.args, err)
			continue
		}
		for i := range c.want {
			if c.want[i].Name == "I_ext" && c.want[i].Values == nil {
				c.want[i].From, c.want[i].To = round(c.want[i].From), round(c.want[i].To)
			}
		}
		for i := range in.Settings {
			in.Settings[i].From, in.Settings[i].To = round(in.Settings[i].From), round(in.Settings[i].To)
		}
		if !reflect.DeepEqual(in.Settings, c.want) {
			t.Errorf("Resolve %v: settings\n%+v\nwant\n%+v", c.args, in.Settings, c.want)
		}
		if !reflect.DeepEqual(in.Changes, c.changes) {
			t.Errorf("Resolve %v: changes\n%+v\nwant\n%+v", c.args, in.Changes, c.changes)
		}
		if c.headers != nil {
			var got []string
			for _, col := range in.Columns {
				got = append(got, col.Header)
			}
			if !reflect.DeepEqual(got, c.headers) {
				t.Errorf("Resolve %v: columns %q, want %q", c.args, got, c.headers)
			}
		}
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"Na.gmax=100mS/cm2"}, "Na.gmax=100mS/cm2: unknown parameter `Na.gmax` (did you mean `Na.g_max`?)"},
		{[]string{"a=1cm2"}, "a=1cm2: unknown parameter `a` (did you mean `A`?)"},
		{[]string{"B=1cm2"}, "B=1cm2: unknown parameter `B`: model HH52 has no parameter of that name"}, // one letter is no nearer another than the rest
		{[]string{"A=5mV"}, "A=5mV: `A` is an area (cm2), not mV (voltage)"},
		{[]string{"A=5"}, "A=5: `A` is an area (cm2): write 5 with a unit, such as 5cm2"},
		{[]string{"A=-1cm2"}, "A=-1cm2: `A` must be positive, got -1cm2"},
		{[]string{"A=linspace(1cm2, 2cm2)"}, "`A` is one value for the whole group"},
		{[]string{"C=1"}, "C=1: `C` is a capacitance density (uF/cm2): write 1 with a unit, such as 1uF/cm2"},
		{[]string{"C=0uF/cm2"}, "C=0uF/cm2: `C` must be positive, got 0uF/cm2"},
		{[]string{"C=-1uF/cm2"}, "C=-1uF/cm2: `C` must be positive, got -1uF/cm2"},
		{[]string{"C=-0uF/cm2"}, "C=-0uF/cm2: `C` must be positive, got -0uF/cm2"},
		{[]string{"C=1uF/cm2", "C=0nF/cm2"}, "C=0nF/cm2: `C` must be positive, got 0nF/cm2"},
		{[]string{"V_th=linspace(-10mV, 10mV)"}, "`V_th` is one value for the whole group, so it cannot vary across neurons"},
		{[]string{"V_th=@" + csvPath}, "`V_th` is one value for the whole group, not one per neuron"},
		{[]string{"V_th=step(1ms, 2ms, 1mV)"}, "step(ON, OFF, VALUE) is for I_ext only"},
		{[]string{"I_ext=@" + csvPath}, "holds 3 values for 4 neurons"},
		{[]string{"I_ext=@nosuch.txt"}, "no such file"},
		{[]string{"I_ext=step(0.01ms, 1ms, 1uA/cm2)"}, "is not a whole number of steps of 0.025 ms"},
		{[]string{"I_ext=step(1ms, 2ms, 1mV)"}, "`I_ext` is a current density (uA/cm2) or a current (nA), not mV (voltage)"},
	} {
		_, err := modelrun.Resolve(md, assignments(t, c.args...), 4, 0.025)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Resolve %v: error %v, want one containing %q", c.args, err, c.msg)
		}
	}

	// A dimensionless parameter takes a bare number, and only that.
	tr := thalamicrelay.New(1).Model()
	// A parameter that the model marks Positive (a divisor of the calcium dynamics) is refused
	// at 0 or less, as C is.
	for _, c := range []struct{ set, msg string }{
		{"Ca.tau=0ms", "Ca.tau=0ms: `Ca.tau` must be positive, got 0ms"},
		{"Ca.d=-1um", "Ca.d=-1um: `Ca.d` must be positive, got -1um"},
	} {
		if _, err := modelrun.Resolve(tr, assignments(t, c.set), 1, 0.025); err == nil || err.Error() != c.msg {
			t.Errorf("%s: %v, want %q", c.set, err, c.msg)
		}
	}
	if in, err := modelrun.Resolve(tr, assignments(t, "Ca.tau=20ms", "Ca.C_rest=0mM"), 1, 0.025); err != nil || in.Settings[0].From != 20 {
		t.Errorf("Ca.tau=20ms Ca.C_rest=0mM: %v, %+v", err, in)
	}
	if in, err := modelrun.Resolve(tr, assignments(t, "INa.T_base=3"), 1, 0.025); err != nil || in.Settings[0].From != 3 {
		t.Errorf("INa.T_base=3: %v, %+v", err, in)
	}
	if _, err := modelrun.Resolve(tr, assignments(t, "INa.T_base=3mV"), 1, 0.025); err == nil || err.Error() != "INa.T_base=3mV: `INa.T_base` is dimensionless: write a bare number, not 3mV" {
		t.Errorf("INa.T_base=3mV: %v", err)
	}

	// A per-neuron parameter takes values per neuron, and gets a column.
	in, err := modelrun.Resolve(morrislecar.New(1).Model(), assignments(t, "Ca.g_max=linspace(4mS/cm2, 5mS/cm2)", "Ca.E=100mV"), 3, 0.025)
	if err != nil {
		t.Fatal(err)
	}
	if s := in.Settings[0]; s.Target != modelrun.TargetVar || s.From != 4 || s.To != 5 || len(in.Columns) != 2 || in.Columns[1].Header != "Ca.g_max (mS/cm2)" {
		t.Errorf("morrislecar Ca.g_max=linspace: %+v, columns %+v", s, in.Columns)
	}
}

// round rounds x to 1e-9, for values that went through a unit conversion (1 nA / 2e-4 cm2).
func round(x float64) float64 { return math.Round(x*1e9) / 1e9 }

// cli runs the model program of hh52 in-process with args and returns its exit status and
// outputs.
func cli(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := hh52.Main("hh", args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestMainStep runs a step input through the program's command line and checks the spikes
// against the same run from Go, and the summary's table.
func TestMainStep(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := cli("-n", "2", "-t", "100ms", "-I_ext", "step(20ms, 60ms, linspace(8uA/cm2, 10uA/cm2))", "-spikes", "s.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// From Go: the pulse from step 800 to step 2400.
	g := ghh52.New(2)
	g.Reset()
	clk := &runtime.Clock{Dt: 0.025}
	var sp runtime.Spikes
	for k := range 4000 {
		switch k {
		case 800:
			g.Input()[0], g.Input()[1] = 8, 10
		case 2400:
			g.Input()[0], g.Input()[1] = 0, 0
		}
		runtime.Run(g, clk, 1, &sp)
	}
	var want strings.Builder
	if err := sp.WriteCSV(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("s.csv")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() || len(sp.Neuron) == 0 {
		t.Errorf("spikes of the step input:\n%s\nwant (from Go):\n%s", got, want.String())
	}
	counts := map[int32]int{}
	for _, i := range sp.Neuron {
		counts[i]++
	}
	// The table gives each neuron's amplitude under a head that gives the window.
	for _, line := range []string{
		"HH52 (exp_auto): 2 neurons, 100 ms in 4000 steps of 0.025 ms\n",
		"rate (Hz)   I_ext (uA/cm2, 20 ms to 60 ms)\n",
		fmt.Sprintf("        0   %6d   %9.4g   %30s\n", counts[0], float64(counts[0])*10, "8"),
		fmt.Sprintf("        1   %6d   %9.4g   %30s\n", counts[1], float64(counts[1])*10, "10"),
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the summary lacks %q:\n%s", line, out)
		}
	}
}

func TestMainErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-Na.gmax", "100mS/cm2"}, "hh: unknown flag -Na.gmax (did you mean -Na.g_max?)\nrun 'hh -h' for the flags\n"},
		{[]string{"-Iext", "1uA/cm2"}, "hh: unknown flag -Iext (did you mean -I_ext?)\n"},
		{[]string{"-frobnicate"}, "hh: unknown flag -frobnicate\n"},
		{[]string{"-Na.g_max", "100"}, "hh: -Na.g_max 100: `Na.g_max` is a conductance density (mS/cm2): write 100 with a unit, such as 100mS/cm2\n"},
		{[]string{"-A", "1mV"}, "hh: -A 1mV: `A` is an area (cm2), not mV (voltage)\n"},
		{[]string{"-C", "0uF/cm2"}, "hh: -C 0uF/cm2: `C` must be positive, got 0uF/cm2\n"},
		{[]string{"-A", "0cm2"}, "hh: -A 0cm2: `A` must be positive, got 0cm2\n"},
		{[]string{"-I_ext", "step(1ms, 2ms)"}, `hh: invalid value "step(1ms, 2ms)" for flag -I_ext: want step(ON, OFF, VALUE)`},
		{[]string{"-t", "10"}, "missing time unit (did you mean 10ms?)"},
	} {
		code, out, errs := cli(c.args...)
		if code != modelrun.ExitUsage || out != "" || !strings.HasPrefix(errs, c.msg) && !strings.Contains(errs, c.msg) {
			t.Errorf("hh %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, out, errs, c.msg)
		}
	}
	// -h lists A with the parameters.
	code, out, _ := cli("-h")
	if code != 0 || !strings.Contains(out, "  -A VALUE\n    \tthe membrane area (cm2; default 0.001 cm2)") || !strings.Contains(out, "  -C VALUE\n") || !strings.Contains(out, "  -V_th VALUE\n") {
		t.Errorf("hh -h: exit %d, output:\n%s", code, out)
	}
}

// TestSummaryVariant: the summary's first line names the method and the variant of the
// package, and the seed of a drawn V_init.
func TestSummaryVariant(t *testing.T) {
	seed := uint64(7)
	for _, c := range []struct {
		res  modelrun.Result
		want string
	}{
		{modelrun.Result{Model: "HH52", Method: "exp_auto"}, "HH52 (exp_auto): 8 neurons, 10 ms in 400 steps of 0.025 ms\n"},
		{modelrun.Result{Model: "HH52", Method: "exp_auto", Variant: []string{"tables", "simd"}}, "HH52 (exp_auto, tables, simd): 8 neurons, 10 ms in 400 steps of 0.025 ms\n"},
		{modelrun.Result{Model: "ML", Method: "rk4", Variant: []string{"float32"}, Seed: &seed}, "ML (rk4, float32): 8 neurons, 10 ms in 400 steps of 0.025 ms, seed 7\n"},
	} {
		var b strings.Builder
		cfg := &modelrun.Config{N: 8, Dt: 0.025, Steps: 400}
		modelrun.WriteSummary(&b, &modelrun.Summary{Config: cfg, Result: &c.res})
		if !strings.HasPrefix(b.String(), c.want) {
			t.Errorf("summary:\n%s\nwant it to begin %q", b.String(), c.want)
		}
	}
}

// TestSimulateRecordInitial: a recording starts with the initial state at t = 0: T/dt steps
// recorded every step give T/dt + 1 records; a resumed run does not record its first state
// again, the last record of the run that saved it.
func TestSimulateRecordInitial(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "s.npz")
	a := &modelrun.Config{N: 2, Dt: 0.025, Steps: 40, Group: "group", Record: []string{"V", "I_ext"}, Every: 1,
		Output: filepath.Join(dir, "a.npz"), Format: "npz", Save: state, Rows: 2,
		Settings: []modelrun.Setting{{Name: "I_ext", Target: "input", From: 10, To: 10}}}
	if _, err := hh52.Simulate(a); err != nil {
		t.Fatal(err)
	}
	ra := readNPZ(t, a.Output)
	if n := len(ra["t"].F64); n != 41 {
		t.Fatalf("40 steps recorded every step: %d records, want 41", n)
	}
	for k := range 41 {
		if ra["t"].F64[k] != float64(k)*0.025 || ra["step"].I64[k] != int64(k) {
			t.Fatalf("record %d: t %v, step %d; want %v, %d", k, ra["t"].F64[k], ra["step"].I64[k], float64(k)*0.025, k)
		}
	}
	if v0 := ra["V"].F64[:2]; v0[0] != -65 || v0[1] != -65 {
		t.Errorf("the first record holds V = %v, want V_init -65 mV", v0)
	}
	if in := ra["I_ext"].F64[:2]; in[0] != 10 {
		t.Errorf("the first record holds I_ext = %v, want the input set before the run, 10", in)
	}
	// From Go, the state after step 1 is the second record.
	g := ghh52.New(2)
	g.Input()[0], g.Input()[1] = 10, 10
	g.Reset()
	g.Step(0, 0.025)
	if got := ra["V"].F64[2]; got != g.Var("V")[0] {
		t.Errorf("record 1: V = %v, want %v (after one step from Go)", got, g.Var("V")[0])
	}

	b := &modelrun.Config{N: 2, Dt: 0.025, Steps: 40, Group: "group", Record: []string{"V"}, Every: 4,
		Output: filepath.Join(dir, "b.csv"), Format: "csv", Resume: state, Rows: 2}
	res, err := hh52.Simulate(b)
	if err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(b.Output)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if res.Records != 10 || len(lines) != 1+2*10 || !strings.HasPrefix(lines[1], "1.1,0,") || !strings.HasPrefix(lines[len(lines)-1], "2,1,") {
		t.Errorf("resumed at t = 1 ms, 40 steps every 4: %d records, CSV:\n%s\nwant 10 records from t = 1.1 ms to 2 ms", res.Records, csv)
	}
	if math.IsNaN(ra["V"].F64[len(ra["V"].F64)-1]) {
		t.Error("NaN in the recording")
	}
}

// TestSimulateStepInputLog: a step's changes happen before the steps they name, and the NPZ
// recording logs the recorded neurons' input from the times it changes.
func TestSimulateStepInputLog(t *testing.T) {
	dir := t.TempDir()
	in, err := modelrun.Resolve(ghh52.New(1).Model(), assignments(t, "I_ext=step(1ms, 2ms, linspace(4uA/cm2, 8uA/cm2))"), 2, 0.025)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &modelrun.Config{N: 2, Dt: 0.025, Steps: 120, Group: modelrun.GroupName, Record: []string{"I_ext"}, Every: 20,
		Output: filepath.Join(dir, "r.npz"), Format: "npz", Settings: in.Settings, Changes: in.Changes, Columns: in.Columns, Rows: 2}
	res, err := hh52.Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := readNPZ(t, cfg.Output)
	// Records at 0, 0.5, … 3 ms: the pulse drives the steps from 1 ms (step 40) to 2 ms (step
	// 80), and a record at the end of a step holds the input that drove it: 0 at 1 ms, the
	// pulse at 1.5 and 2 ms.
	wantI := []float64{0, 0, 0, 0, 0, 0, 4, 8, 4, 8, 0, 0, 0, 0}
	if got := r["I_ext"].F64; !reflect.DeepEqual(got, wantI) {
		t.Errorf("recorded I_ext %v, want %v", got, wantI)
	}
	if got, want := r["input_t"].F64, []float64{0, 1, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("input_t %v, want %v", got, want)
	}
	if got, want := r["input"].F64, []float64{0, 0, 4, 8, 0, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("input %v, want %v", got, want)
	}
	// The summary's column gives each neuron's amplitude, not the input at the end (0).
	if res.Rows[0].Values[0] != 4 || res.Rows[1].Values[0] != 8 {
		t.Errorf("the rows give the inputs %v and %v, want the amplitudes 4 and 8", res.Rows[0].Values, res.Rows[1].Values)
	}
}

// TestMainResume: the program's -resume takes -n and -dt from the state, refuses others, and
// its recording does not repeat the record at the time it resumes from.
func TestMainResume(t *testing.T) {
	t.Chdir(t.TempDir())
	if code, _, errs := cli("-n", "3", "-dt", "0.05ms", "-t", "10ms", "-I_ext", "10uA/cm2", "-save", "s.npz", "-record", "V", "-o", "a.csv"); code != 0 {
		t.Fatalf("hh -save: exit %d: %s", code, errs)
	}
	code, out, errs := cli("-resume", "s.npz", "-t", "10ms", "-record", "V", "-o", "b.csv")
	if code != 0 {
		t.Fatalf("hh -resume: exit %d: %s", code, errs)
	}
	if want := "HH52 (exp_auto): 3 neurons, 10 ms in 200 steps of 0.05 ms, from t = 10 ms (step 200) of s.npz\n"; !strings.HasPrefix(out, want) {
		t.Errorf("the resumed run's summary does not begin %q:\n%s", want, out)
	}
	a, _ := os.ReadFile("a.csv")
	b, _ := os.ReadFile("b.csv")
	la, lb := strings.Split(strings.TrimSpace(string(a)), "\n"), strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(la) != 1+3*201 || len(lb) != 1+3*200 || !strings.HasPrefix(la[1], "0,0,") || !strings.HasPrefix(la[len(la)-1], "10,2,") || !strings.HasPrefix(lb[1], "10.05,0,") {
		t.Errorf("a.csv: %d lines from %q to %q; b.csv: %d lines from %q; want 604 from t = 0 to 10 ms, 601 from 10.05 ms", len(la), la[1], la[len(la)-1], len(lb), lb[1])
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-resume", "s.npz", "-n", "2"}, "hh: -n 2 -resume s.npz: the state holds 3 neurons; omit -n or give -n 3\n"},
		{[]string{"-resume", "s.npz", "-dt", "0.025ms"}, "hh: -dt 0.025ms -resume s.npz: the state was made with steps of 0.05 ms; omit -dt or give -dt 0.05ms\n"},
	} {
		if code, _, errs := cli(c.args...); code != modelrun.ExitUsage || errs != c.msg {
			t.Errorf("hh %s: exit %d, stderr %q; want 2, %q", strings.Join(c.args, " "), code, errs, c.msg)
		}
	}
	_, err := hh52.Simulate(&modelrun.Config{N: 2, Dt: 0.05, Steps: 4, Group: modelrun.GroupName, Resume: "s.npz"})
	if want := "load state from s.npz: the file holds 3 neurons, the run has 2"; err == nil || err.Error() != want {
		t.Errorf("Simulate of 2 neurons from a state of 3: %v, want %q", err, want)
	}
}

// TestSimulateResumeOther: a state of another model, of another layout or precision of the
// same model, of another method (unless AnyMethod) or with an impossible clock is refused
// with a message that says so.
func TestSimulateResumeOther(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		p    *modelrun.Program
		name string
	}{
		{&modelrun.Program{New: func(n int) runtime.Group { return morrislecar.New(n) }}, "ml"},
		{&modelrun.Program{New: func(n int) runtime.Group { return hh52f32.New(n) }}, "f32"},
		{&modelrun.Program{New: func(n int) runtime.Group { return hh52staggered.New(n) }}, "staggered"},
		{hh52, "hh"},
	} {
		state := filepath.Join(dir, c.name+".state")
		if _, err := c.p.Simulate(&modelrun.Config{N: 2, Dt: 0.025, Steps: 4, Group: modelrun.GroupName, Save: state}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ state, want string }{
		{"ml.state", "the file holds a state of model MorrisLecar, not of HH52: resume it with the spec of MorrisLecar"},
		{"f32.state", "the file holds float32 state (generated with -float32), this program float64 state"},
		{"staggered.state", "the state was saved by a program that integrates with staggered, this one with exp_auto (the staggered method keeps the gates half a step ahead of V, the others at V's time); to resume it under exp_auto anyway, add -resume-any-method"},
		{"huge.state", "clock: step 9223372036854775807 is not from 0 to 9007199254740992 (2^53), the last step a clock counts exactly"},
	} {
		if c.state == "huge.state" {
			// The state of hh at step 2^63-1, as a crafted file says.
			arrays := readNPZ(t, filepath.Join(dir, "hh.state"))
			var list []runtime.Array
			for _, a := range arrays {
				if a.Name == "__meta__" {
					text := strings.Replace(*a.Str, `"step": 4,`, `"step": 9223372036854775807,`, 1)
					a.Str = &text
				}
				list = append(list, a)
			}
			var b bytes.Buffer
			if err := runtime.WriteNPZ(&b, list); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, c.state), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, c.state)
		_, err := hh52.Simulate(&modelrun.Config{N: 2, Dt: 0.025, Steps: 4, Group: modelrun.GroupName, Resume: path})
		var ue modelrun.UserError
		if !errors.As(err, &ue) || err.Error() != "load state from "+path+": "+c.want {
			t.Errorf("resume %s: %v, want a UserError %q", c.state, err, c.want)
		}
	}
	// With AnyMethod, the staggered state resumes.
	res, err := hh52.Simulate(&modelrun.Config{N: 2, Dt: 0.025, Steps: 4, Group: modelrun.GroupName, Resume: filepath.Join(dir, "staggered.state"), AnyMethod: true})
	if err != nil || res == nil {
		t.Errorf("resume staggered.state with AnyMethod: %v", err)
	}
}

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
		t.Fatal(err)
	}
	m := map[string]runtime.Array{}
	for _, a := range arrays {
		m[a.Name] = a
	}
	return m
}

// blowUp is an HH52 group whose V of neuron i turns NaN at the end of the step that ends at
// time at (ms) or later: a run of it must stop with an error.
type blowUp struct {
	*ghh52.Group
	i  int
	at float64
}

func (g *blowUp) Step(t, dt float64) {
	g.Group.Step(t, dt)
	if t+dt >= g.at-1e-9 {
		g.V[g.i] = math.NaN()
	}
}

// TestMainNonFinite: a model program whose state turns NaN stops at the first check that sees
// it, the next multiple of runtime.DefaultFiniteCheck steps or the next record, says where and
// when on standard error, exits with ExitUser, and writes none of its files; an earlier spikes
// file is left as it was. Its -config run (neurogen run's) says the same.
func TestMainNonFinite(t *testing.T) {
	dt := 0.025
	p := &modelrun.Program{New: func(n int) runtime.Group { return &blowUp{Group: ghh52.New(n), i: 2, at: 37 * dt} }}
	dir := t.TempDir()
	spikes, rec, save := filepath.Join(dir, "s.csv"), filepath.Join(dir, "r.npz"), filepath.Join(dir, "st.npz")
	if err := os.WriteFile(spikes, []byte("old\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	noFiles := func(what string) {
		t.Helper()
		if b, err := os.ReadFile(spikes); err != nil || string(b) != "old\n" {
			t.Errorf("%s: the spikes file holds %q (%v), want its old content", what, b, err)
		}
		for _, f := range []string{rec, save} {
			if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: %s exists (%v)", what, f, err)
			}
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: the directory holds %d files, want the spikes file only", what, len(ents))
		}
	}
	check := runtime.DefaultFiniteCheck
	for _, c := range []struct {
		args []string
		want string
	}{
		// NaN from step 37 on: found at the first check after it, whose steps between the
		// NaN and the check have turned neuron 2's three gates NaN too.
		{[]string{"-n", "4", "-t", "10ms", "-I_ext", "10uA/cm2", "-spikes", spikes, "-save", save},
			fmt.Sprintf(`group "group": V of neuron 2 is NaN at t = %g ms (step %d), and 3 other values are not finite; every value was finite at t = 0 ms (step 0)`+"\n",
				float64(check)*dt, check)},
		// Recorded every step: found at once, in the record of step 37.
		{[]string{"-n", "4", "-t", "10ms", "-I_ext", "10uA/cm2", "-spikes", spikes, "-record", "V", "-o", rec, "-save", save},
			`group "group": V of neuron 2 is NaN at t = 0.925 ms (step 37); every value was finite at t = 0.9 ms (step 36)` + "\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := p.Main("prog", c.args, &stdout, &stderr)
		if code != modelrun.ExitUser || stderr.String() != c.want || stdout.Len() != 0 {
			t.Errorf("prog %s: exit %d, stdout %q, stderr\n%s\nwant exit %d, stderr\n%s", strings.Join(c.args, " "), code, stdout.String(), stderr.String(), modelrun.ExitUser, c.want)
		}
		noFiles(strings.Join(c.args, " "))
	}

	// neurogen run's -config: a NaN initial state is found before the first step.
	p = &modelrun.Program{New: func(n int) runtime.Group { return &initNaN{ghh52.New(n)} }}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"n": 2, "dt_ms": 0.025, "steps": 400, "group": "group", "save": "`+save+`"}`), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := p.Main("prog", []string{"-config", cfg}, &stdout, &stderr)
	if want := `group "group": K.n of neuron 1 is +Inf at t = 0 ms (step 0)` + "\n"; code != modelrun.ExitUser || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("prog -config: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, stdout.String(), stderr.String(), modelrun.ExitUser, want)
	}
	noFiles("-config")
}

// initNaN is an HH52 group whose Reset leaves neuron 1's gate K.n at +Inf.
type initNaN struct{ *ghh52.Group }

func (g *initNaN) Reset() {
	g.Group.Reset()
	g.KN[1] = math.Inf(1)
}

// setRefused is an HH52 group whose SetParam refuses every value with an error that starts
// with the package's name, as a generated group's refusal of a folded parameter does.
type setRefused struct{ *ghh52.Group }

func (g *setRefused) SetParam(name string, v float64) error {
	return fmt.Errorf("hh52: parameter %s is folded into the kinetics", name)
}

// TestMainErrorPrefix: an error that already names the program is printed with its name once,
// and one that does not gets the program's name in front.
func TestMainErrorPrefix(t *testing.T) {
	p := &modelrun.Program{New: func(n int) runtime.Group { return &setRefused{ghh52.New(n)} }}
	for _, c := range []struct{ prog, want string }{
		{"hh52", "hh52: parameter Na.g_max is folded into the kinetics\n"},
		{"cell", "cell: hh52: parameter Na.g_max is folded into the kinetics\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := p.Main(c.prog, []string{"-t", "1ms", "-Na.g_max", "100mS/cm2"}, &stdout, &stderr)
		if code != modelrun.ExitError || stderr.String() != c.want {
			t.Errorf("%s: exit %d, stderr %q; want exit %d, stderr %q", c.prog, code, stderr.String(), modelrun.ExitError, c.want)
		}
	}
}
