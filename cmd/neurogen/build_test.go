package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	ghh52 "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hhbrainpy"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/generated/traubmilespyramidal"
	"github.com/neurogen/neurogen/generated/wangbuzsaki"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestBuild builds each stock model with neurogen build and checks the binary against the
// checked-in package of the same spec and method used from Go: its -h lists every parameter
// of the model with its unit, and a run with a conductance changed on the command line (to 0.8
// of its default, written with its unit) and inputs spread over the neurons gives the same
// spikes, bit for bit, as the package run from Go with that parameter set.
func TestBuild(t *testing.T) {
	gomodtest.NeedGo(t)
	specs := filepath.Join("..", "..", "specs")
	for _, c := range []struct {
		spec string
		new  func(n int) runtime.Group
		top  float64 // the largest input, uA/cm2
	}{
		{"hh52", func(n int) runtime.Group { return ghh52.New(n) }, 20},
		{"hh_brainpy", func(n int) runtime.Group { return hhbrainpy.New(n) }, 20},
		{"morrislecar", func(n int) runtime.Group { return morrislecar.New(n) }, 150},
		{"thalamic_relay", func(n int) runtime.Group { return thalamicrelay.New(n) }, 20},
		{"traubmiles", func(n int) runtime.Group { return traubmiles.New(n) }, 20},
		{"traubmiles_pyramidal", func(n int) runtime.Group { return traubmilespyramidal.New(n) }, 20},
		{"wangbuzsaki", func(n int) runtime.Group { return wangbuzsaki.New(n) }, 20},
	} {
		t.Run(c.spec, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, c.spec)
			code, stdout, stderr := neurogen(t, nil, "build", filepath.Join(specs, c.spec+".yaml"), "-o", bin)
			if code != exitOK || !strings.HasPrefix(stdout, "wrote "+bin) {
				t.Fatalf("neurogen build: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			m := c.new(1).Model()
			help, err := exec.Command(bin, "-h").Output()
			if err != nil {
				t.Fatalf("%s -h: %v", bin, err)
			}
			var changed runtime.Param
			for _, p := range m.Params {
				want := fmt.Sprintf("  -%s VALUE\n", p.Name)
				unit := "(" + p.Unit + "; default "
				if p.Unit == "1" {
					unit = "(dimensionless; default "
				}
				if !strings.Contains(string(help), want) || !strings.Contains(string(help), unit) {
					t.Errorf("%s -h does not list -%s with its unit %s:\n%s", c.spec, p.Name, p.Unit, help)
				}
				if changed.Name == "" && strings.HasSuffix(p.Name, ".g_max") && !p.PerNeuron {
					changed = p
				}
			}
			if changed.Name == "" {
				t.Fatalf("%s has no group-wide g_max to change", c.spec)
			}
			value := 0.8 * changed.Default
			const n, T, dt = 5, 200.0, 0.025
			spikesCSV := filepath.Join(dir, "spikes.csv")
			cmd := exec.Command(bin, "-n", fmt.Sprint(n), "-t", fmt.Sprint(T, "ms"),
				"-I_ext", fmt.Sprintf("linspace(0uA/cm2, %guA/cm2)", c.top), "-"+changed.Name, fmt.Sprintf("%v%s", value, changed.Unit),
				"-spikes", spikesCSV)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
			}
			got := readSpikes(t, spikesCSV)

			// The same from Go.
			g := c.new(n)
			if err := g.SetParam(changed.Name, value); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				g.Input()[i] = c.top * float64(i) / (n - 1)
			}
			g.Reset()
			sameSpikes(t, fmt.Sprintf("%s -%s %v%s", c.spec, changed.Name, value, changed.Unit), got, simulateGo(g, T, dt, nil))
		})
	}
}

// TestBuildErrors: build's own errors, and those of the binary's command line.
func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	copySpec(t, "hh52.yaml")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"build", "hh52.yaml"}, exitUsage, "neurogen build: missing -o BINARY: the program to write\nrun 'neurogen build -h' for usage\n"},
		{[]string{"build", "hh52.yaml", "-o", "x", "-method", "rk5"}, exitUsage, ""},
		{[]string{"build", "nope.yaml", "-o", "x"}, exitError, ""},
	} {
		code, _, stderr := neurogen(t, nil, c.args...)
		if code != c.code || (c.msg != "" && stderr != c.msg) {
			t.Errorf("neurogen %s: exit %d, stderr %q; want %d %q", strings.Join(c.args, " "), code, stderr, c.code, c.msg)
		}
	}
	if _, err := os.Stat("x"); err == nil {
		t.Error("a failed build wrote its binary")
	}
	gomodtest.NeedGo(t)
	if code, _, stderr := neurogen(t, nil, "build", "hh52.yaml", "-o", "hh"); code != exitOK {
		t.Fatalf("neurogen build: %s", stderr)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		// The values are checked as neurogen run -set checks them, with the same words.
		{[]string{"-Na.g_max", "100"}, "hh: -Na.g_max 100: `Na.g_max` is a conductance density (mS/cm2): write 100 with a unit, such as 100mS/cm2\n"},
		{[]string{"-Na.g_max", "100mV"}, "hh: -Na.g_max 100mV: `Na.g_max` is a conductance density (mS/cm2), not mV (voltage)\n"},
		{[]string{"-t", "10"}, "missing time unit (did you mean 10ms?)"},
		{[]string{"-Na.g_max", "linspace(1mS/cm2, 2mS/cm2)"}, "`Na.g_max` is one value for the whole group, so it cannot vary across neurons"},
		{[]string{"-A", "1"}, "hh: -A 1: `A` is an area (cm2): write 1 with a unit, such as 1cm2\n"},
		{[]string{"-Na.gmax", "100mS/cm2"}, "hh: unknown flag -Na.gmax (did you mean -Na.g_max?)\nrun 'hh -h' for the flags\n"},
		{[]string{"-record", "V"}, "-record needs -o FILE.npz or FILE.csv"},
		{[]string{"stray"}, `unexpected argument "stray"`},
		{[]string{"-method", "rk4"}, "this program integrates with exp_auto; neurogen build -method rk4 builds one that uses rk4"},
	} {
		out, err := exec.Command("./hh", c.args...).CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), c.msg) {
			t.Errorf("hh %s: %v, output %q; want exit 2 and %q", strings.Join(c.args, " "), err, out, c.msg)
		}
	}
}

// TestBuildInputs: a built binary's per-neuron values from a CSV file and from a .npy file,
// and its step input, give the spikes of the checked-in package run from Go with the same
// values, bit for bit: Morris–Lecar's per-neuron Ca.g_max, and HH52 driven by a pulse.
func TestBuildInputs(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	t.Chdir(dir)
	root, err := filepath.Abs(filepath.Join(gomodtest.Root(t), "specs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"morrislecar", "hh52"} {
		if code, _, stderr := neurogen(t, nil, "build", filepath.Join(root, s+".yaml"), "-o", s); code != exitOK {
			t.Fatalf("neurogen build %s: %s", s, stderr)
		}
	}
	run := func(bin string, args ...string) map[int][]float64 {
		t.Helper()
		out, err := exec.Command("./"+bin, append(args, "-spikes", "s.csv")...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, out)
		}
		return readSpikes(t, "s.csv")
	}
	// Per-neuron Ca.g_max, 3.6 to 4.4 mS/cm2, from a CSV file with a header and from a .npy.
	const n = 5
	gCa := []float64{3.6, 3.8, 4.0, 4.2, 4.4}
	var csv strings.Builder
	csv.WriteString("g_Ca\n")
	for _, v := range gCa {
		fmt.Fprintf(&csv, "%v\n", v)
	}
	writeFile(t, "gca.csv", csv.String())
	f, err := os.Create("gca.npy")
	if err != nil {
		t.Fatal(err)
	}
	if err := runtime.EncodeNPY(f, &runtime.Array{Name: "g", Shape: []int{n}, F64: gCa}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g := morrislecar.New(n)
	copy(g.Var("Ca.g_max"), gCa)
	for i := range n {
		g.Input()[i] = 100
	}
	g.Reset()
	want := simulateGo(g, 300, 0.025, nil)
	for _, file := range []string{"@gca.csv", "@gca.npy"} {
		got := run("morrislecar", "-n", fmt.Sprint(n), "-t", "300ms", "-I_ext", "100uA/cm2", "-Ca.g_max", file)
		sameSpikes(t, "morrislecar -Ca.g_max "+file, got, want)
	}

	// A pulse of 10 uA/cm2 from 20 to 60 ms into HH52.
	h := ghh52.New(2)
	want = simulateGo(h, 100, 0.025, map[int]float64{800: 10, 2400: 0})
	sameSpikes(t, "hh52 -I_ext step(20ms, 60ms, 10uA/cm2)", run("hh52", "-n", "2", "-t", "100ms", "-I_ext", "step(20ms, 60ms, 10uA/cm2)"), want)

	// The binary and neurogen run (of the same program, from the cache) print the same summary
	// for the same inputs, apart from the timings: the step's amplitude and window in the table.
	binOut, err := exec.Command("./hh52", "-n", "2", "-t", "100ms", "-I_ext", "step(20ms, 60ms, linspace(5uA/cm2, 10uA/cm2))", "-Na.g_max", "100mS/cm2").CombinedOutput()
	if err != nil {
		t.Fatalf("hh52 -I_ext step: %v\n%s", err, binOut)
	}
	code, runOut, stderr := neurogen(t, nil, "run", filepath.Join(root, "hh52.yaml"), "-n", "2", "-t", "100ms",
		"-set", "I_ext=step(20ms, 60ms, linspace(5uA/cm2, 10uA/cm2))", "-set", "Na.g_max=100mS/cm2")
	if code != exitOK {
		t.Fatalf("neurogen run -set I_ext=step(…): %s", stderr)
	}
	timings := regexp.MustCompile(`(?m)^simulation .*\n`)
	b, r := timings.ReplaceAllString(string(binOut), ""), timings.ReplaceAllString(runOut, "")
	if b != r || !strings.Contains(b, "I_ext (uA/cm2, 20 ms to 60 ms)\n") || !regexp.MustCompile(`(?m)^\s+1\s+\d+\s+\S+\s+10$`).MatchString(b) {
		t.Errorf("the summaries differ, or lack the step's amplitudes:\nhh52:\n%s\nneurogen run:\n%s", b, r)
	}
}

// simulateGo runs g for T ms at dt from Go, setting every neuron's input to inputs[k] before
// step k, and returns each neuron's spikes.
func simulateGo(g runtime.Group, T, dt float64, inputs map[int]float64) map[int][]float64 {
	clk := &runtime.Clock{Dt: dt}
	var sp runtime.Spikes
	for k := range int(T / dt) {
		if v, ok := inputs[k]; ok {
			for i := range g.Input() {
				g.Input()[i] = v
			}
		}
		runtime.Run(g, clk, 1, &sp)
	}
	out := map[int][]float64{}
	for k, i := range sp.Neuron {
		out[int(i)] = append(out[int(i)], sp.Time[k])
	}
	return out
}

// sameSpikes fails t unless got and want hold the same spikes, bit for bit, and some.
func sameSpikes(t *testing.T, what string, got, want map[int][]float64) {
	t.Helper()
	total := 0
	for i, ws := range want {
		total += len(ws)
		if len(got[i]) != len(ws) {
			t.Errorf("%s: neuron %d: %d spikes from the binary, %d from Go", what, i, len(got[i]), len(ws))
			return
		}
		for k := range ws {
			if math.Float64bits(got[i][k]) != math.Float64bits(ws[k]) {
				t.Errorf("%s: neuron %d, spike %d: %v from the binary, %v from Go", what, i, k, got[i][k], ws[k])
				return
			}
		}
	}
	if total == 0 || len(got) != len(want) {
		t.Errorf("%s: %d spikes from Go, neurons %d and %d: nothing to compare", what, total, len(got), len(want))
	}
	t.Logf("%s: %d spikes, the same bits", what, total)
}
