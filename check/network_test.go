package check_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/spec"
)

// loadNetwork loads and checks a network spec file as `neurogen check` does.
func loadNetwork(t *testing.T, file string) (*ir.Network, error) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return check.LoadNetwork(file, src, check.NetworkOptions{})
}

// near reports whether a and b agree to 1e-12 relative.
func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// TestNetworkGood checks a valid network: every value in internal units against the spec's,
// converted by hand.
func TestNetworkGood(t *testing.T) {
	net, err := loadNetwork(t, "testdata/networks/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if net.Name != "Good" || net.DT != 0.05 || net.Seed != 11 || len(net.Groups) != 3 {
		t.Fatalf("network: %+v", net)
	}
	a, b, c := net.Groups[0], net.Groups[1], net.Groups[2]
	if a.Model != b.Model {
		t.Error("groups a and b, of one spec file, have two models: the file is checked once")
	}
	if a.Model.Method != ir.RK4 || c.Model.Method != ir.RK4 {
		t.Errorf("methods %v %v, want the network's rk4", a.Model.Method, c.Model.Method)
	}
	if a.N != 40 || b.N != 10 || c.N != 1 || c.Model.Name != "Inline" || c.Model.A != 1e-4 {
		t.Errorf("groups: n %d %d %d, inline model %q A %g", a.N, b.N, c.N, c.Model.Name, c.Model.A)
	}
	type init struct {
		state string
		dist  ir.Dist
		file  string
	}
	inits := func(g *ir.Group) (out []init) {
		for _, si := range g.Init {
			d := si.Value
			d.Text = ""
			out = append(out, init{si.State.Name, d, si.File})
		}
		return out
	}
	want := []init{{"V", ir.Dist{Kind: ir.Normal, A: -65, B: 5}, ""}, {"Na.m", ir.Dist{}, ""}}
	if diff := cmp.Diff(want, inits(a), cmp.AllowUnexported(init{})); diff != "" {
		t.Errorf("init of a (-want +got):\n%s", diff)
	}
	want = []init{{"V", ir.Dist{Kind: ir.Uniform, A: -70, B: -60}, ""}, {"Na.m", ir.Dist{}, "m.npy"}}
	if diff := cmp.Diff(want, inits(b), cmp.AllowUnexported(init{})); diff != "" {
		t.Errorf("init of b (-want +got):\n%s", diff)
	}
	if a.Init[0].Stream == b.Init[0].Stream {
		t.Error("the draws of V in a and b share a stream")
	}

	// Currents in uA/cm2: A is 20000 um2 = 2e-4 cm2 for a and b, 1e-4 cm2 for c.
	type in struct {
		name          string
		kind          ir.InputKind
		group         string
		times, values []float64
		fileDT, scale float64
		mean, sd, tau float64
		seed          uint64
	}
	var got []in
	for _, x := range net.Inputs {
		got = append(got, in{x.Name, x.Kind, x.Group.Name, x.Times, x.Values, x.FileDT, x.Scale, x.Mean, x.SD, x.Tau, x.Seed})
	}
	wantIn := []in{
		{name: "kick/a", kind: ir.Step, group: "a", times: []float64{10, 1000}, values: []float64{2.5}, seed: 11},
		{name: "kick/c", kind: ir.Step, group: "c", times: []float64{10, 1000}, values: []float64{5}, seed: 11},
		{name: "slope", kind: ir.Ramp, group: "b", times: []float64{0, 100}, values: []float64{0, 2}, seed: 11},
		{name: "steps", kind: ir.Piecewise, group: "b", times: []float64{0, 5, 7.5}, values: []float64{5, -5, 0}, seed: 11},
		{name: "wave", kind: ir.CurrentFile, group: "a", fileDT: 0.5, scale: 5e-3, seed: 11},
		{name: "noise", kind: ir.OU, group: "c", mean: 1, sd: 0.2, tau: 5, seed: 3},
		{name: "drive", kind: ir.Poisson, group: "a", seed: 11},
		{name: "spread", kind: ir.Poisson, group: "b", seed: 9},
	}
	if diff := cmp.Diff(wantIn, got, cmp.AllowUnexported(in{}), cmp.Comparer(near)); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	// Poisson trains: rates in 1/ms, weights in mS, into the receptor named.
	type poisson struct {
		rate     ir.Dist
		receptor string
		weight   float64
	}
	var gotP []poisson
	for _, x := range net.Inputs[6:] {
		r := x.Rate
		r.Text = ""
		name := ""
		if x.Target != nil {
			name = x.Target.Name
		}
		gotP = append(gotP, poisson{r, name, x.Weight})
	}
	wantP := []poisson{{ir.Dist{A: 0.005}, "E", 1e-6}, {ir.Dist{Kind: ir.Uniform, A: 0.001, B: 0.01}, "S", 0.5e-6}}
	if diff := cmp.Diff(wantP, gotP, cmp.AllowUnexported(poisson{}), cmp.Comparer(near)); diff != "" {
		t.Errorf("Poisson inputs (-want +got):\n%s", diff)
	}

	// Projections: one per target group; weights in mS, delays in ms and whole steps of 0.05 ms.
	type proj struct {
		name, pre, post, receptor string
		rule                      ir.ConnectRule
		p                         float64
		k                         int
		file                      string
		self, multapses, rounding bool
		float32                   bool
		weight, delay             ir.Dist
		steps                     int
		seed                      uint64
	}
	var gotJ []proj
	streams := map[uint64]string{}
	for _, p := range net.Projections {
		w, d := p.Weight, p.Delay
		w.Text, d.Text = "", ""
		if p.Target == nil || p.Target.Name != p.Receptor {
			t.Errorf("projection %s: receptor %s, target %v", p.Name, p.Receptor, p.Target)
		}
		if prev, dup := streams[p.Stream]; dup {
			t.Errorf("projections %s and %s share a random stream", prev, p.Name)
		}
		streams[p.Stream] = p.Name
		gotJ = append(gotJ, proj{p.Name, p.Pre.Name, p.Post.Name, p.Receptor, p.Rule, p.P, p.K, p.File, p.Self, p.Multapses, p.Rounding, p.Float32, w, d, p.DelaySteps, p.Seed})
	}
	nS := 1e-6 // mS
	wantJ := []proj{
		{name: "ab", pre: "a", post: "b", receptor: "E", rule: ir.AllToAll, weight: ir.Dist{A: 2 * nS}, delay: ir.Dist{A: 1.5}, steps: 30, seed: 11},
		{name: "aa", pre: "a", post: "a", receptor: "I", rule: ir.FixedInDegree, k: 39, rounding: true, float32: true,
			weight: ir.Dist{Kind: ir.Normal, A: nS, B: 0.2 * nS}, delay: ir.Dist{Kind: ir.Uniform, A: 1, B: 2}, seed: 5},
		{name: "bb", pre: "b", post: "b", receptor: "S", rule: ir.OneToOne, rounding: true,
			weight: ir.Dist{Kind: ir.Uniform, A: 0.5 * nS, B: nS}, delay: ir.Dist{A: 0.07}, steps: 1, seed: 11},
		{name: "ca", pre: "c", post: "a", receptor: "E", rule: ir.FromFile, file: "c.npz", seed: 11}, // weights from the file
		{name: "pa/a", pre: "a", post: "a", receptor: "E", rule: ir.FixedProbability, p: 0.1, self: true, multapses: true, weight: ir.Dist{A: nS}, seed: 11},
		{name: "pa/b", pre: "a", post: "b", receptor: "E", rule: ir.FixedProbability, p: 0.1, self: true, multapses: true, weight: ir.Dist{A: nS}, seed: 11},
	}
	if diff := cmp.Diff(wantJ, gotJ, cmp.AllowUnexported(proj{}), cmp.Comparer(near)); diff != "" {
		t.Errorf("projections (-want +got):\n%s", diff)
	}
	// Short-term plasticity: times in ms; tau_facil 0 and per connection by default; one
	// for both targets of pa.
	var gotPl []*ir.Plasticity
	for _, p := range net.Projections {
		gotPl = append(gotPl, p.Plasticity)
	}
	fac := &ir.Plasticity{Model: "tsodyks_markram", U: 0.1, TauRec: 100, TauFacil: 1000, PerPresynaptic: true}
	wantPl := []*ir.Plasticity{{Model: "tsodyks_markram", U: 0.5, TauRec: 800}, nil, nil, nil, fac, fac}
	if diff := cmp.Diff(wantPl, gotPl, cmp.Comparer(near)); diff != "" {
		t.Errorf("plasticity (-want +got):\n%s", diff)
	}
}

// TestNetworkErrors checks the errors of each network spec in testdata/networks/errors as
// TestErrors does for group specs: a golden file of the output of `neurogen check`, and the
// inline `# ERROR code` annotations.
func TestNetworkErrors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "networks", "errors", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases in testdata/networks/errors (%v)", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			file := filepath.ToSlash(file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = check.LoadNetwork(file, src, check.NetworkOptions{})
			var list spec.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("%s: error %v, want a spec.ErrorList", file, err)
			}
			got := formatErrors(list)
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run the test with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("errors of %s differ from %s (-want +got):\n%s", file, golden, diff)
			}
			ann, err := annotations(src)
			if err != nil {
				t.Fatal(err)
			}
			matchAnnotations(t, file, list, ann)
		})
	}
}

// FuzzCheckNetwork checks that LoadNetwork never panics on any network spec, each of whose
// groups is the group spec of testdata/networks/neuron.yaml, or of kinetic_neuron.yaml (kinetic
// receptors) where the file named has "kinetic" in its name (every data file exists), and that
// it returns a network or a spec.ErrorList whose errors in the network spec lie in its file.
func FuzzCheckNetwork(f *testing.F) {
	for _, pat := range []string{"../specs/networks/*.yaml", "testdata/networks/*.yaml", "testdata/networks/errors/*.yaml"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	cell, err := os.ReadFile("testdata/networks/neuron.yaml")
	if err != nil {
		f.Fatal(err)
	}
	kinetic, err := os.ReadFile("testdata/networks/kinetic_neuron.yaml")
	if err != nil {
		f.Fatal(err)
	}
	opts := check.NetworkOptions{
		ReadFile: func(name string) ([]byte, error) {
			if strings.Contains(name, "kinetic") {
				return kinetic, nil
			}
			return cell, nil
		},
		Stat: func(string) error { return nil },
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		net, err := check.LoadNetwork("f.yaml", src, opts)
		if err == nil {
			if net == nil {
				t.Fatal("neither a network nor an error")
			}
			return
		}
		var list spec.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty spec.ErrorList", err, err)
		}
		text := strings.ReplaceAll(string(src), "\r\n", "\n")
		lines := strings.Count(text, "\n") + strings.Count(text, "\r") + 1 // as spec.Pos counts them
		for _, e := range list {
			if p := e.Pos.Position(); p.File == "f.yaml" && (p.Line < 1 || p.Line > lines || p.Col < 1) {
				t.Errorf("error %q has a bad position (%d lines)", e, lines)
			}
		}
	})
}

// TestNetworkSeedOption: NetworkOptions.Seed replaces the spec's seed for every draw that gives
// none of its own (projections, inputs; initial values use the network's), and leaves the
// others alone.
func TestNetworkSeedOption(t *testing.T) {
	const file = "testdata/networks/good.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	seed := uint64(99)
	net, err := check.LoadNetwork(file, src, check.NetworkOptions{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	if net.Seed != 99 {
		t.Errorf("the network's seed is %d, want 99", net.Seed)
	}
	own := map[string]uint64{"aa": 5, "noise": 3, "spread": 9} // seed: in the spec
	for _, p := range net.Projections {
		want, ok := own[p.Name]
		if !ok {
			want = 99
		}
		if p.Seed != want {
			t.Errorf("projection %s: seed %d, want %d", p.Name, p.Seed, want)
		}
	}
	for _, in := range net.Inputs {
		want, ok := own[in.Name]
		if !ok {
			want = 99
		}
		if in.Seed != want {
			t.Errorf("input %s: seed %d, want %d", in.Name, in.Seed, want)
		}
	}
}

// TestMaxVInit: a generated network holds the initial V it reads from a file to the bound the
// checker holds a spec's V to.
func TestMaxVInit(t *testing.T) {
	if check.MaxVInit != runtime.MaxV {
		t.Errorf("check.MaxVInit = %g, runtime.MaxV = %g: they must agree", check.MaxVInit, runtime.MaxV)
	}
}

// TestMaxDelaySteps: a delay or a kinetic receptor's transmitter pulse longer than the
// runtime's longest (runtime.MaxDelaySteps, 2^20 steps) is refused at its place in the spec,
// not when the network is built; the longest delay itself is not.
func TestMaxDelaySteps(t *testing.T) {
	if check.MaxDelaySteps != runtime.MaxDelaySteps {
		t.Errorf("check.MaxDelaySteps = %d, runtime.MaxDelaySteps = %d: they must agree", check.MaxDelaySteps, runtime.MaxDelaySteps)
	}
	const file = "testdata/networks/maxdelay.yaml" // kinetic_neuron.yaml is beside it
	src := func(dt, delay string) string {
		return "neurogen: 1\nnetwork: Long\ndt: " + dt + "\ngroups:\n  exc: {model: kinetic_neuron.yaml, n: 2}\n" +
			"projections:\n  ampa: {from: exc, to: exc, receptor: A, connect: {all: true}, weight: 1 nS, delay: " + delay + "}\n"
	}
	for _, c := range []struct {
		dt, delay string
		want      string // "": valid
	}{
		{"0.1 ms", "104857.6 ms", ""}, // 2^20 steps
		{"0.1 ms", "104857.7 ms", "7:86: projection `ampa`: `delay` of 104857.7 ms is 1.049e+06 steps of 0.1 ms, more than the longest delay, 1048576 steps"},
		{"0.1 ms", "200 s", "more than the longest delay, 1048576 steps"},
		{"0.0000001 ms", "0 ms", "7:40: projection `ampa`: the transmitter pulse of receptor `A` (group `exc`) lasts 1 ms, 1e+07 steps of 1e-07 ms: more than the longest pulse, 1048576 steps"},
	} {
		net, err := check.LoadNetwork(file, []byte(src(c.dt, c.delay)), check.NetworkOptions{})
		if c.want == "" {
			if err != nil || net.Projections[0].DelaySteps != runtime.MaxDelaySteps {
				t.Errorf("delay %s: %v", c.delay, err)
			}
			continue
		}
		var list spec.ErrorList
		if !errors.As(err, &list) || len(list) != 1 || list[0].Code != spec.OutOfRange || !strings.Contains(list[0].Error(), c.want) {
			t.Errorf("dt %s, delay %s: %v, want one out-of-range error with %q", c.dt, c.delay, err, c.want)
		}
	}
}

// TestNetworkKinetic: projections into kinetic receptors check as any other, their weights in
// the receptor's `weight:` unit (AMPA's nS, 5 nS = 5e-6 mS; GABAB's a number), their targets
// the model's kinetic receptors with pulses of whole steps (AMPA 1 ms, GABAB 0.3 ms at 0.1 ms).
func TestNetworkKinetic(t *testing.T) {
	net, err := loadNetwork(t, "testdata/networks/kinetic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Projections) != 2 {
		t.Fatalf("%d projections", len(net.Projections))
	}
	for i, want := range []struct {
		receptor string
		weight   float64
		dur      float64
		unit     string
	}{{"A", 5e-6, 1, "mS"}, {"B", 2, 0.3, "1"}} {
		p := net.Projections[i]
		k := p.Target.Kinetic
		if p.Receptor != want.receptor || k == nil || !near(p.Weight.A, want.weight) || !near(k.Dur, want.dur) || p.Target.WeightUnit != want.unit {
			t.Errorf("projection %s: into %s (kinetic %v), weight %g %s; want %s, kinetic, %g %s, a pulse of %g ms",
				p.Name, p.Receptor, k != nil, p.Weight.A, p.Target.WeightUnit, want.receptor, want.weight, want.unit, want.dur)
		}
	}
	if net.Projections[0].DelaySteps != 5 {
		t.Errorf("delay %d steps, want 5", net.Projections[0].DelaySteps)
	}
}

// TestPoissonRateFile: `poisson: {file: PATH, unit: UNIT}` gives each target group's Poisson
// input the file and the factor that turns its rates into 1/ms.
func TestPoissonRateFile(t *testing.T) {
	const src = `neurogen: 1
network: RateFile
groups:
  a: {model: neuron.yaml, n: 4}
  b: {model: neuron.yaml, n: 6}
inputs:
  f: {to: [a, b], receptor: E, poisson: {file: m.npy, unit: kHz}, weight: 2 nS}
`
	net, err := check.LoadNetwork("testdata/networks/ratefile.yaml", []byte(src), check.NetworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Inputs) != 2 {
		t.Fatalf("%d inputs, want 2 (one per target group)", len(net.Inputs))
	}
	for i, in := range net.Inputs {
		if in.Kind != ir.Poisson || in.Group != net.Groups[i] || in.File != "m.npy" || in.Scale != 1 || in.Receptor != "E" || in.Weight != 2e-6 {
			t.Errorf("input %s: kind %s, group %s, file %q, scale %g, receptor %s, weight %g; want poisson, %s, m.npy, 1 (kHz is 1/ms), E, 2e-6 mS",
				in.Name, in.Kind, in.Group.Name, in.File, in.Scale, in.Receptor, in.Weight, net.Groups[i].Name)
		}
	}
}

// TestGroupSeed: a group's `seed:` seeds the draws of its initial values and stays when
// NetworkOptions.Seed replaces the network's; a group without one takes the network's; a seed
// that is not an integer from 0 to 2⁶⁴−1 is an error at its place.
func TestGroupSeed(t *testing.T) {
	const src = `neurogen: 1
network: GroupSeed
seed: 3
groups:
  a: {model: neuron.yaml, n: 4, seed: 5, init: {V: "normal(-65 mV, 5 mV)"}}
  b: {model: neuron.yaml, n: 6, init: {V: "normal(-65 mV, 5 mV)"}}
`
	const file = "testdata/networks/groupseed.yaml"
	for _, opt := range []*uint64{nil, new(uint64(99))} {
		net, err := check.LoadNetwork(file, []byte(src), check.NetworkOptions{Seed: opt})
		if err != nil {
			t.Fatal(err)
		}
		netSeed := uint64(3)
		if opt != nil {
			netSeed = *opt
		}
		a, b := net.Groups[0], net.Groups[1]
		if a.Seed != 5 || !a.OwnSeed || b.Seed != netSeed || b.OwnSeed {
			t.Errorf("seed option %v: a's seed %d (own %t), b's %d (own %t); want 5 (own) and the network's %d",
				opt, a.Seed, a.OwnSeed, b.Seed, b.OwnSeed, netSeed)
		}
	}
	bad := strings.Replace(src, "seed: 5", "seed: -5", 1)
	_, err := check.LoadNetwork(file, []byte(bad), check.NetworkOptions{})
	if want := file + ":5:39: group `a`: `seed` must be an integer from 0 to 18446744073709551615, got -5"; err == nil || err.Error() != want {
		t.Errorf("seed -5: %v, want %s", err, want)
	}
}
