package main

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/plotting"
	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/runtime"
)

// smallNet writes a network of two COBAHH groups, a driven by Poisson input and projecting onto
// b twice, the second time with plasticity written as expressions, into the current directory,
// and returns its path.
func smallNet(t *testing.T) string {
	t.Helper()
	neuron, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "cobahh_neuron.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "specs/neuron.yaml", string(neuron))
	writeFile(t, "specs/net.yaml", `neurogen: 1
network: Small
seed: 4
groups:
  a: {model: neuron.yaml, n: 20, init: {V: "normal(-65 mV, 5 mV)"}}
  b: {model: neuron.yaml, n: 5}
projections:
  ab: {from: a, to: b, receptor: E, connect: {p: 0.5}, weight: 10 nS}
  ab_plastic:
    from: a
    to: b
    receptor: E
    connect: {p: 0.5}
    weight: 4 nS
    plasticity:
      per: presynaptic
      tau: 50 ms
      states: {s: {init: 1, deriv: (1 - s)/tau}}   # s: the generated function's own name for its states
      weight: w*s
      update: [s = 0.5*s]
inputs:
  drive: {to: a, receptor: E, poisson: 200 Hz, weight: 20 nS}
`)
	return "specs/net.yaml"
}

// chdirNetwork makes the working directory of a test that runs network programs one at the same
// path in every such test and every test run (gomodtest.SharedDir), empty, and removed when the
// test ends. A network's program holds its spec's directory (SpecDir, where its data files
// are), so the same network written there gives the same program, which the program cache then
// links once rather than once per test.
func chdirNetwork(t *testing.T) {
	t.Helper()
	t.Chdir(gomodtest.SharedDir(t, "network"))
}

// readSpikesCSV reads a spikes CSV of a network run: its spikes by group.
func readSpikesCSV(t *testing.T, path string) map[string]*runtime.Spikes {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if lines[0] != "group,neuron,time_ms" {
		t.Fatalf("%s: header %q", path, lines[0])
	}
	out := map[string]*runtime.Spikes{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		i, err1 := strconv.Atoi(f[1])
		x, err2 := strconv.ParseFloat(f[2], 64)
		if len(f) != 3 || err1 != nil || err2 != nil {
			t.Fatalf("%s: line %q", path, l)
		}
		if out[f[0]] == nil {
			out[f[0]] = &runtime.Spikes{}
		}
		out[f[0]].Neuron = append(out[f[0]].Neuron, int32(i))
		out[f[0]].Time = append(out[f[0]].Time, x)
	}
	return out
}

// TestRunNetwork runs a network spec: the summary per group agrees with the spikes it wrote, the
// recording holds the groups and neurons asked for, the figure has a raster per group; the
// same run with 2 workers writes the same spikes, and -seed changes them; build makes the same
// program.
func TestRunNetwork(t *testing.T) {
	chdirNetwork(t)
	net := smallNet(t)
	if code, stdout, stderr := neurogen(t, nil, "check", net); code != exitOK || !strings.Contains(stdout, "ab_plastic a→b.E") {
		t.Fatalf("check: exit %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr := neurogen(t, nil, "run", net, "-t", "50ms", "-spikes", "s.csv", "-record", "a.V,b.E.g", "-neurons", "a:0-2,7", "-every", "1ms", "-o", "r.npz", "-plot", "f.png")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sp := readSpikesCSV(t, "s.csv")
	if sp["a"] == nil || sp["b"] == nil {
		t.Fatalf("spikes of a and b wanted, got groups %v:\n%s", sp, stdout)
	}
	for _, g := range []struct {
		name string
		n    int
	}{{"a", 20}, {"b", 5}} {
		s, err := spikestats.Summarize(spikestats.Group{Name: g.name, Neurons: g.n, Spikes: *sp[g.name]}, spikestats.Options{End: 50})
		if err != nil {
			t.Fatal(err)
		}
		var table bytes.Buffer
		if err := spikestats.WriteTable(&table, []spikestats.Summary{s}); err != nil {
			t.Fatal(err)
		}
		row := strings.Split(table.String(), "\n")[1]
		if !strings.Contains(stdout, strings.TrimSpace(row)) {
			t.Errorf("the summary lacks group %s's row %q, from its spikes:\n%s", g.name, row, stdout)
		}
	}
	for _, want := range []string{"Small: 25 neurons in 2 groups, 50 ms in 500 steps of 0.1 ms, 1 worker(s)", "wrote s.csv", "wrote r.npz", "wrote f.png", "build: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "plot-spikes") {
		t.Errorf("the output names the figure's own spikes file:\n%s", stdout)
	}
	f, err := os.Open("r.npz")
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	arrays, err := runtime.ReadNPZ(f, fi.Size())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string]string{}
	for _, a := range arrays {
		shapes[a.Name] = fmt.Sprint(a.Shape, a.I64)
	}
	// 51 records (t = 0, 1, …, 50 ms); a's neurons as -neurons says, b's first 5 (default 10).
	for name, want := range map[string]string{"a.V": "[51 4] []", "a.neurons": "[4] [0 1 2 7]", "b.E.g": "[51 5] []", "b.neurons": "[5] [0 1 2 3 4]"} {
		if shapes[name] != want {
			t.Errorf("r.npz: %s is %s, want %s", name, shapes[name], want)
		}
	}
	img, err := os.ReadFile("f.png")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width != plotting.DefaultWidth || cfg.Height != 2*plotting.RasterHeight+plotting.RatesHeight {
		t.Errorf("f.png: %d×%d (%v), want %d×%d", cfg.Width, cfg.Height, err, plotting.DefaultWidth, 2*plotting.RasterHeight+plotting.RatesHeight)
	}

	first, _ := os.ReadFile("s.csv")
	if code, _, stderr := neurogen(t, nil, "run", net, "-t", "50ms", "-workers", "2", "-spikes", "s2.csv"); code != exitOK {
		t.Fatalf("-workers 2: exit %d: %s", code, stderr)
	}
	if second, _ := os.ReadFile("s2.csv"); !bytes.Equal(first, second) {
		t.Error("2 workers wrote other spikes than 1")
	}
	if code, _, stderr := neurogen(t, nil, "run", net, "-t", "50ms", "-seed", "5", "-spikes", "s3.csv"); code != exitOK {
		t.Fatalf("-seed 5: exit %d: %s", code, stderr)
	}
	if third, _ := os.ReadFile("s3.csv"); bytes.Equal(first, third) {
		t.Error("-seed 5 wrote the spikes of the spec's seed 4")
	}

	code, stdout, stderr = neurogen(t, nil, "build", net, "-o", "small")
	if code != exitOK || !strings.Contains(stdout, "wrote small, the network Small") {
		t.Fatalf("build: exit %d: %s%s", code, stdout, stderr)
	}
	run(t, exec.Command("./small", "-t", "50ms", "-spikes", "s4.csv"))
	if fourth, _ := os.ReadFile("s4.csv"); !bytes.Equal(first, fourth) {
		t.Error("the built program wrote other spikes than run")
	}
	// The program takes the seed at run time: ./small -seed 5 is run -seed 5.
	run(t, exec.Command("./small", "-t", "50ms", "-seed", "5", "-spikes", "s5.csv"))
	third, _ := os.ReadFile("s3.csv")
	if fifth, _ := os.ReadFile("s5.csv"); !bytes.Equal(third, fifth) {
		t.Error("./small -seed 5 wrote other spikes than run -seed 5")
	}
	run(t, exec.Command("./small", "-t", "50ms", "-seed", "4", "-spikes", "s6.csv"))
	if sixth, _ := os.ReadFile("s6.csv"); !bytes.Equal(first, sixth) {
		t.Error("./small -seed 4 (the spec's seed) wrote other spikes than the spec's seed")
	}

	// -float32: the groups keep their states in float32, starting from float32 of the float64
	// run's initial values, and receive the projections' (plastic ones included) and the
	// Poisson input's events; 3 workers write the spikes of 1.
	for _, w := range []string{"1", "3"} {
		code, stdout, stderr := neurogen(t, nil, "run", net, "-float32", "-t", "50ms", "-workers", w, "-spikes", "f"+w+".csv",
			"-record", "a.V,b.E.g", "-neurons", "a:0-2,7", "-every", "1ms", "-o", "f"+w+".npz")
		if code != exitOK {
			t.Fatalf("-float32 -workers %s: exit %d: %s%s", w, code, stdout, stderr)
		}
	}
	f1, _ := os.ReadFile("f1.csv")
	if f3, _ := os.ReadFile("f3.csv"); len(f1) < 100 || !bytes.Equal(f1, f3) {
		t.Errorf("-float32: 3 workers wrote other spikes than 1 (%d and %d bytes)", len(f1), len(f3))
	}
	rec64, rec32 := readNPZ(t, "r.npz"), readNPZ(t, "f1.npz")
	v64, v32 := rec64["a.V"].F64, rec32["a.V"].F64
	for i := range 4 {
		if v32[i] != float64(float32(v64[i])) || v32[i] == v64[i] {
			t.Errorf("-float32: a.V of recorded neuron %d starts at %v, want float32(%v)", i, v32[i], v64[i])
		}
	}
	g64, g32 := rec64["b.E.g"].F64, rec32["b.E.g"].F64
	var sum64, sum32 float64
	for k := range g64 {
		sum64 += g64[k]
		sum32 += g32[k]
	}
	if !(sum32 > 0) || math.Abs(sum32-sum64) > 0.2*sum64 {
		t.Errorf("-float32: b.E.g sums to %g over the recording, the float64 run's to %g", sum32, sum64)
	}
}

// TestRunNetworkErrors: the flags of a group's run, and names and sets that the network does
// not have, are refused before anything is built (exit 2), each saying what is wrong.
func TestRunNetworkErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	net := smallNet(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "3"}, "-n (the spec gives each group's size) is for a group's spec"},
		{[]string{"-set", "I_ext=1uA/cm2"}, "-set is for a group's spec"},
		{[]string{"-record", "c.V", "-o", "r.npz"}, `-record c.V: no group "c" in network Small; its groups are a, b`},
		{[]string{"-record", "a.W", "-o", "r.npz"}, "-record a.W: group a (COBAHHNeuron) has no variable W"},
		{[]string{"-record", "V", "-o", "r.npz"}, "-record V: name a network's variables GROUP.VAR, such as a.V"},
		{[]string{"-record", "a.V", "-o", "r.csv"}, "-o r.csv: a network's recording is written as FILE.npz"},
		{[]string{"-record", "a.V", "-neurons", "0-3", "-o", "r.npz"}, "-neurons 0-3: name the group of a network, GROUP:SET"},
		{[]string{"-record", "a.V", "-neurons", "b:5", "-o", "r.npz"}, "-neurons b:5: neuron 5 is out of range: the group has neurons 0 to 4"},
		{[]string{"-t", "0.05ms"}, "-t 0.05ms: want a positive whole number of the network's steps of 0.1 ms"},
		{[]string{"-workers", "0"}, "-workers 0: want at least 1"},
		{[]string{"-spikes", "s.txt"}, "-spikes s.txt: name it FILE.csv"},
	} {
		code, _, stderr := neurogen(t, nil, append([]string{"run", net}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", c.args, code, stderr, exitUsage, c.want)
		}
	}
	code, _, stderr := neurogen(t, nil, "run", hh52(t), "-neurons", "a:0-3", "-record", "V", "-o", "r.npz")
	if code != exitUsage || !strings.Contains(stderr, "GROUP:SET is for a network spec's run") {
		t.Errorf("-neurons a:0-3 for a group's spec: exit %d, %q", code, stderr)
	}
}

// TestRunNetworkDataFiles: a network's data files are read from its spec's directory wherever
// run runs: initial values and a waveform named relative to specs/, run from the directory
// above it; a file of the wrong length is an error that names it.
func TestRunNetworkDataFiles(t *testing.T) {
	chdirNetwork(t)
	neuron, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "cobahh_neuron.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "specs/neuron.yaml", string(neuron))
	writeFile(t, "specs/v.csv", "-60\n-61\n-62\n")
	writeFile(t, "specs/wave.csv", "0\n2\n")
	writeFile(t, "specs/net.yaml", `neurogen: 1
network: Files
groups:
  a: {model: neuron.yaml, n: 3, init: {V: {file: v.csv}}}
inputs:
  w: {to: a, current_file: {file: wave.csv, dt: 1 ms, unit: nA}}
`)
	code, stdout, stderr := neurogen(t, nil, "run", "specs/net.yaml", "-t", "5ms", "-spikes", "s.csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	writeFile(t, "specs/v.csv", "-60\n-61\n")
	code, stdout, stderr = neurogen(t, nil, "run", "specs/net.yaml", "-t", "5ms")
	if code == exitOK || !strings.Contains(stdout+stderr, "v.csv: 2 values, want one per neuron (3)") {
		t.Errorf("a file of 2 values for 3 neurons: exit %d:\n%s\n%s", code, stdout, stderr)
	}
}

// TestRunNetworkSIMDTables: run -simd of a network builds its groups' four-lane Step
// (GOEXPERIMENT=simd) and writes the spikes of the plain run byte for byte (groups of 20 and
// 5 neurons: whole vectors, and one neuron left to the scalar loop); -tables writes the same
// spikes in the same order, each within 1e-4 ms of the exact step's; build -simd -tables makes
// the program that run -simd -tables runs.
func TestRunNetworkSIMDTables(t *testing.T) {
	gomodtest.NeedGo(t)
	chdirNetwork(t)
	net := smallNet(t)
	// Each program is built where the program cache builds (TestMain's cache), whose
	// directories the go build cache knows from earlier test runs: only a link. The runs with
	// -keep come after, find their program in the cache and write its module into k and kt,
	// rather than compile the runtime anew in a new directory.
	for _, flags := range [][]string{nil, {"-simd"}, {"-tables"}, {"-simd", "-tables"}, {"-simd", "-keep", "k"}, {"-tables", "-keep", "kt"}} {
		args := append([]string{"run", net, "-t", "50ms", "-spikes", "s" + strings.Join(flags, "") + ".csv"}, flags...)
		if code, _, stderr := neurogen(t, nil, args...); code != exitOK {
			t.Fatalf("neurogen %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	plain, _ := os.ReadFile("s.csv")
	// The neuron has a refractory period, so its spikes are stamped with their step's start
	// (Brian2's stamp): -tables gives the same bytes whenever it keeps every spike in its step,
	// and only the program's source shows that the tables were used.
	if src, err := os.ReadFile(filepath.Join("kt", "model", "cobahhneuron", "cobahhneuron.go")); err != nil || !bytes.Contains(src, []byte("type rateTable struct")) {
		t.Errorf("the -tables program's model has no rate tables (%v)", err)
	}
	if simd, _ := os.ReadFile("s-simd-keepk.csv"); !bytes.Equal(plain, simd) {
		t.Error("-simd wrote other spikes than the plain run")
	}
	if _, err := os.Stat(filepath.Join("k", "model", "cobahhneuron", "cobahhneuron_x4.go")); err != nil {
		t.Errorf("the -simd program has no four-lane Step: %v", err)
	}
	info := gomodtest.Run(t, ".", nil, "version", "-m", filepath.Join("k", "bin", progbuild.ExeName("small")))
	if !strings.Contains(info, "GOEXPERIMENT=simd") {
		t.Errorf("the -simd program was not built with GOEXPERIMENT=simd:\n%s", info)
	}
	exact := readSpikesCSV(t, "s.csv")
	total := 0
	for _, name := range []string{"s-tables-keepkt.csv", "s-simd-tables.csv"} {
		got := readSpikesCSV(t, name)
		for g, sp := range exact {
			total += len(sp.Time)
			if got[g] == nil || len(got[g].Time) != len(sp.Time) {
				t.Fatalf("%s: group %s has other spikes than the exact run's %d", name, g, len(sp.Time))
			}
			for k := range sp.Time {
				if got[g].Neuron[k] != sp.Neuron[k] || math.Abs(got[g].Time[k]-sp.Time[k]) > 1e-4 {
					t.Errorf("%s: group %s, spike %d: neuron %d at %v ms; exact: neuron %d at %v ms", name, g, k, got[g].Neuron[k], got[g].Time[k], sp.Neuron[k], sp.Time[k])
				}
			}
		}
	}
	if total < 100 {
		t.Errorf("%d spikes: too few to compare", total)
	}
	withTables, _ := os.ReadFile("s-simd-tables.csv")
	if tables, _ := os.ReadFile("s-tables-keepkt.csv"); !bytes.Equal(tables, withTables) {
		t.Error("-simd -tables wrote other spikes than -tables")
	}
	code, stdout, stderr := neurogen(t, nil, "build", net, "-simd", "-tables", "-o", "small")
	if code != exitOK || !strings.Contains(stdout, "wrote small, the network Small") {
		t.Fatalf("build -simd -tables: exit %d: %s%s", code, stdout, stderr)
	}
	run(t, exec.Command("./small", "-t", "50ms", "-spikes", "b.csv"))
	if built, _ := os.ReadFile("b.csv"); !bytes.Equal(built, withTables) {
		t.Error("the program of build -simd -tables wrote other spikes than run -simd -tables")
	}
}

// TestShowNetwork: show of a network spec lists its groups, initial values, receptors, each
// projection's rule, synapse count (exact for the fixed rules, the expectation for p), weight,
// delay, plasticity and seed, and its inputs; -go prints the files gen writes, the model's
// package byte for byte as gen of the model alone; -float32 and -simd without -go are refused.
func TestShowNetwork(t *testing.T) {
	t.Chdir(t.TempDir())
	neuron, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "cobahh_neuron.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "specs/neuron.yaml", string(neuron))
	writeFile(t, "specs/net.yaml", `neurogen: 1
network: Shown
dt: 0.1 ms
seed: 4
groups:
  a: {model: neuron.yaml, n: 30, init: {V: "normal(-65 mV, 5 mV)", E.g: 10 nS}}
  b: {model: neuron.yaml, n: 12}
projections:
  aa: {from: a, to: a, receptor: E, connect: {all: true}, weight: 1 nS, delay: 0.5 ms}
  ab: {from: a, to: b, receptor: I, connect: {in_degree: 7}, weight: "normal(6 nS, 1 nS)", weight_type: float32, seed: 9,
       plasticity: {model: tsodyks_markram, U: 0.5, tau_rec: 800 ms}}
  bb: {from: b, to: b, receptor: E, connect: {p: 0.5}, weight: 2 nS}
  b1: {from: b, to: b, receptor: I, connect: {one_to_one: true}, weight: 3 nS}
  ba:
    from: b
    to: a
    receptor: I
    connect: {in_degree: 2}
    weight: 3 nS
    plasticity:
      U: 0.2
      tau: 1 s
      states:
        u: {init: U, relax: U + (u - U)*exp(-delta/tau)}
      weight: w*u
      update: [u += U*(1 - u)]
inputs:
  drive: {to: a, receptor: E, poisson: 200 Hz, weight: 20 nS}
  noise: {to: b, ou: {mean: 0 nA, sd: 0.1 nA, tau: 5 ms}, seed: 3}
`)
	code, stdout, stderr := neurogen(t, nil, "show", "specs/net.yaml")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// aa: 30 × 29 without self-connections; ab: 7 × 12; bb: 0.5 × 12 × 11 expected; b1: 12;
	// ba: 2 × 30.
	total := 30*29 + 7*12 + 0.5*12*11 + 12 + 2*30
	for _, want := range []string{
		"Network Shown, from specs/net.yaml: time step 0.1 ms, seed 4",
		"  a      30       COBAHHNeuron  exp_auto  specs/neuron.yaml\n",
		"  b      12       COBAHHNeuron  exp_auto  specs/neuron.yaml\n",
		"  42 neurons in 2 groups\n",
		"a.V    normal(-65 mV, 5 mV)",
		"a.E.g  1e-05 mS (10 nS)",
		"  a, b    E         g += w  mS    g * (E - V)  ExpCond\n",
		"  aa: a → a.E (g += w)\n    rule        all to all, no self-connections\n    synapses    870\n    weight      1e-06 mS (1 nS)\n    delay       5 steps (0.5 ms)\n    seed        the network's, stream ",
		"  ab: a → b.I (g += w)\n    rule        7 inputs per neuron\n    synapses    84\n    weight      normal(6e-06 mS, 1e-06 mS) (normal(6 nS, 1 nS)), per synapse as float32\n    delay       0 steps (0 ms)\n" +
			"    plasticity  Tsodyks–Markram, U 0.5, tau_rec 800 ms, tau_facil 0 ms, a state per connection\n    seed        9, stream ",
		"    rule        each pair with probability 0.5, no self-connections\n    synapses    ≈ 66\n",
		"    rule        one to one\n    synapses    12\n",
		"    plasticity  expressions, a state per connection; U 0.2, tau 1 s\n      u         0.2 at rest, relaxes to U + (u - U)*exp(-delta/tau)\n" +
			"      weight    w*u\n      update    u += U*(1 - u)\n",
		fmt.Sprintf("  %d synapses in all\n", int(total)),
		"  drive: Poisson trains into a.E at 0.2 1/ms (200 Hz), weight 2e-05 mS; seed the network's, stream ",
		"  noise: into b, Ornstein–Uhlenbeck noise of mean 0 uA/cm2, sd 0.5 uA/cm2, tau 5 ms; seed 3, stream ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	// -go: gen's files, each after a "// file NAME" line.
	code, stdout, stderr = neurogen(t, nil, "show", "specs/net.yaml", "-go", "-simd")
	if code != exitOK {
		t.Fatalf("-go -simd: exit %d: %s", code, stderr)
	}
	var names []string
	files := map[string]string{}
	for _, part := range strings.Split(stdout, "// file ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		names = append(names, name)
		files[name] = body
	}
	if want := []string{"cobahhneuron/cobahhneuron.go", "cobahhneuron/cobahhneuron_nox4.go", "cobahhneuron/cobahhneuron_x4.go", "shown.go"}; !slices.Equal(names, want) {
		t.Errorf("-go -simd prints the files %q, want %q", names, want)
	}
	if !strings.Contains(files["shown.go"], "func NewSeed(seed uint64) (*Network, error) {") || !strings.Contains(files["shown.go"], "func (n *Network) ConnectAb(") ||
		!strings.Contains(files["shown.go"], "func plasticBa(s []float64, delta float64, relax bool) float64 {") {
		t.Errorf("shown.go is not the network's package:\n%.800s", files["shown.go"])
	}
	if code, _, stderr := neurogen(t, nil, "gen", "specs/neuron.yaml", "-o", "alone", "-simd"); code != exitOK {
		t.Fatalf("gen: %s", stderr)
	}
	alone, err := os.ReadFile(filepath.Join("alone", "cobahhneuron_x4.go"))
	if err != nil || string(alone) != files["cobahhneuron/cobahhneuron_x4.go"] {
		t.Errorf("show -go -simd's cobahhneuron_x4.go is not gen's (%v)", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-float32"}, "-float32 changes only the generated code: use it with -go"},
		{[]string{"-simd"}, "-simd changes only the generated code: use it with -go"},
	} {
		code, _, stderr := neurogen(t, nil, append([]string{"show", "specs/net.yaml"}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("show %q: exit %d, %q; want %d and %q", c.args, code, stderr, exitUsage, c.want)
		}
	}
}

// TestRunNetworkSaveResume: a network run of 60 ms saved at 30 ms and resumed (with 2 workers)
// for 30 ms more writes the spikes of the whole run, the first run's then the resumed one's, and
// ends in the whole run's state, byte for byte; the resumed run's summary says where it starts,
// its figure is drawn; a state resumed under another seed (other connectivity) is refused.
func TestRunNetworkSaveResume(t *testing.T) {
	gomodtest.NeedGo(t)
	chdirNetwork(t)
	net := smallNet(t)
	for _, args := range [][]string{
		{"-t", "60ms", "-spikes", "whole.csv", "-save", "whole.npz"},
		{"-t", "30ms", "-spikes", "first.csv", "-save", "half.npz"},
		{"-t", "30ms", "-spikes", "second.csv", "-resume", "half.npz", "-save", "end.npz", "-workers", "2", "-plot", "second.png"},
	} {
		code, stdout, stderr := neurogen(t, nil, append([]string{"run", net}, args...)...)
		if code != exitOK {
			t.Fatalf("run %q: exit %d: %s", args, code, stderr)
		}
		if args[len(args)-1] == "second.png" {
			for _, want := range []string{"Small: 25 neurons in 2 groups, 30 ms in 300 steps of 0.1 ms from t = 30 ms (half.npz), 2 worker(s)", "wrote end.npz", "wrote second.png"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("the resumed run's output lacks %q:\n%s", want, stdout)
				}
			}
		}
	}
	whole, first, second := readSpikesCSV(t, "whole.csv"), readSpikesCSV(t, "first.csv"), readSpikesCSV(t, "second.csv")
	n := 0
	for _, g := range []string{"a", "b"} {
		var joined runtime.Spikes
		for _, part := range []*runtime.Spikes{first[g], second[g]} {
			if part != nil {
				joined.Neuron = append(joined.Neuron, part.Neuron...)
				joined.Time = append(joined.Time, part.Time...)
			}
		}
		if whole[g] == nil || second[g] == nil || !slices.Equal(whole[g].Neuron, joined.Neuron) || !slices.Equal(whole[g].Time, joined.Time) {
			t.Errorf("group %s: the saved and resumed runs' spikes are not the whole run's", g)
		} else {
			n += len(whole[g].Time)
		}
		if second[g] != nil && second[g].Time[0] < 30 {
			t.Errorf("group %s: the resumed run has a spike at %v ms, before its start", g, second[g].Time[0])
		}
	}
	if n < 100 {
		t.Errorf("%d spikes: too few to compare", n)
	}
	a, _ := os.ReadFile("whole.npz")
	if b, _ := os.ReadFile("end.npz"); len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the resumed run ends in another state than the whole run")
	}
	// The state holds the plasticity rule's state, one x per presynaptic neuron, depressed.
	arrays, err := runtime.ReadNPZ(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(arrays, func(a runtime.Array) bool { return a.Name == "ab_plastic.stp.s" })
	if i < 0 || len(arrays[i].F64) != 20 || !slices.ContainsFunc(arrays[i].F64, func(x float64) bool { return x < 1 }) {
		t.Errorf("whole.npz: ab_plastic.stp.s missing, not one per presynaptic neuron, or never depressed")
	}
	code, _, stderr := neurogen(t, nil, "run", net, "-t", "1ms", "-resume", "half.npz", "-seed", "5")
	if code != exitError || !strings.Contains(stderr, "half.npz") {
		t.Errorf("-resume under another seed: exit %d, %q; want %d and an error naming the file", code, stderr, exitError)
	}
	t.Logf("another seed: %s", stderr)
}

// TestShowNetworkOneGroup: show counts one group as one.
func TestShowNetworkOneGroup(t *testing.T) {
	t.Chdir(t.TempDir())
	neuron, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "cobahh_neuron.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "neuron.yaml", string(neuron))
	writeFile(t, "net.yaml", "neurogen: 1\nnetwork: One\ngroups:\n  a: {model: neuron.yaml, n: 7}\n")
	code, stdout, stderr := neurogen(t, nil, "show", "net.yaml")
	if code != exitOK || !strings.Contains(stdout, "\n  7 neurons in 1 group\n") {
		t.Errorf("show: exit %d, stderr %q; want a line \"  7 neurons in 1 group\" in\n%s", code, stderr, stdout)
	}
}
