package importer_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/vclamp"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/nmodl/importer"
)

// The reference .mod files, written from published equations (each cites its paper), and
// their voltage clamps in NEURON (tools/reference/nmodl/import_clamp.py, which says how).
const (
	refDir  = "../testdata/ref"
	refData = "../../testdata/reference/nmodl/import.json"
)

// refTol is the largest relative difference allowed between neurogen and NEURON, relative to
// the value or, for a current that crosses zero or a state near 0, to 1e-3 of the largest value
// of the variable in the protocol. At a fixed V, cnexp and neurogen's exp_auto step a gate whose derivative is
// linear in it, and reads no other state, the same way, exactly, so they agree to rounding (about
// 1e-10 here, most of it the 12 digits of the data). NEURON's derivimplicit and sparse are
// backward Euler, first order in dt: import_clamp.py extrapolates its runs at dt/200, dt/400 and
// dt/800 to dt -> 0 (Richardson, error O(dt^3)), and records how far that is from the
// extrapolation from dt/100, dt/200 and dt/400 (extrapolation_difference in the data, which
// bounds its error; the test checks it is below refTol/10). km's one gate is linear in itself,
// so exp_auto is exact for it too, and neurogen's step is compared; nav's eight states drive one
// another (a KINETIC scheme), where exp_auto, which holds the others fixed over a step, is first
// order, so its imported equations are stepped by their exact propagator at the level (at a
// fixed V the scheme is linear, x(t + dt) = P·x(t) + q; vclamp.Affine computes P and q by RK4
// at dt/256, exact to rounding at these rates).
const refTol = 1e-6

// poolRK4 is the number of RK4 steps per step of the pool case. RK4 at dt/4 is within 1.1e-7
// of NEURON's data, at dt/8 6.5e-9, at dt/32 2e-10: fourth order, so its own error is about
// 1e-7, a tenth of refTol.
const poolRK4 = 4

type refMech struct {
	File       string        `json:"file"`
	Digest     string        `json:"digest"`
	Method     string        `json:"method"`
	Vars       []string      `json:"vars"`
	Levels     [][][]float64 `json:"levels"` // level, variable, sample
	Difference float64       `json:"extrapolation_difference"`
}

type importReference struct {
	VHold      float64             `json:"V_hold"`
	Levels     []float64           `json:"levels"`
	Dt         float64             `json:"dt"`
	Steps      int                 `json:"steps"`
	Every      int                 `json:"every"`
	Celsius    float64             `json:"celsius"`
	ENa        float64             `json:"ena"`
	EK         float64             `json:"ek"`
	Cai        float64             `json:"cai"`
	Cao        float64             `json:"cao"`
	Mechanisms map[string]*refMech `json:"mechanisms"`
	Pool       struct {
		Mechanisms map[string]*refMech `json:"mechanisms"`
		Difference float64             `json:"extrapolation_difference"`
	} `json:"pool"`
	Cell struct {
		Files      []string           `json:"files"`
		Digest     string             `json:"digest"`
		VInit      float64            `json:"V_init"`
		I          float64            `json:"I"`
		TStop      float64            `json:"tstop"`
		Celsius    float64            `json:"celsius"`
		Params     map[string]float64 `json:"params"`
		Spikes     []float64          `json:"spikes"`
		Difference float64            `json:"extrapolation_difference"`
	} `json:"cell"`
}

func loadReference(t *testing.T) *importReference {
	t.Helper()
	b, err := os.ReadFile(refData)
	if err != nil {
		t.Fatal(err)
	}
	var ref importReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

// refFile reads a reference .mod file, imports it and checks that its code is what the data
// were made from (its digest, comments left out).
func refFile(t *testing.T, file, digest string) *importer.Result {
	t.Helper()
	f := filepath.Join(refDir, file)
	src, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := vclamp.Digest(map[string][]byte{file: src}); got != digest {
		t.Fatalf("the code of %s is not what %s was made from: run /usr/bin/python3 tools/reference/nmodl/import_clamp.py", f, refData)
	}
	return importFile(t, f)
}

// refHeader is the group spec's header for the voltage clamps: NEURON's celsius, ena, ek and
// [Ca]o; Ca's entry, where a pool is given, is the pool's (and [Ca]i the pool's).
func refHeader(ref *importReference, pool *importer.Pool, t *testing.T) string {
	ca := fmt.Sprintf("  Ca: {E: 120 mV, C_i: %g mM, C_o: %g mM}\n", ref.Cai, ref.Cao)
	if pool != nil {
		ca = poolEntry(t, *pool, fmt.Sprintf("    C_o: %g mM\n", ref.Cao))
	}
	return fmt.Sprintf(`membrane: {C: 1 uF/cm2, V_init: %g mV}
params: {T: %g degC}
ions:
  Na: {E: %g mV}
  K: {E: %g mV}
`, ref.VHold, ref.Celsius, ref.ENa, ref.EK) + ca
}

// TestNEURONReference is issue 15's cross-check of the importer: every .mod file of
// nmodl/testdata/ref, imported and checked in a group, run in voltage clamp from a holding
// potential to four levels, matches NEURON's run of the same file (rate TABLEs off) within
// refTol: each current it writes and each state, every 20 steps of 0.025 ms for 25 ms. A
// calcium pool (cad.mod), which NEURON runs with the channels it serves, is TestNEURONPool's.
func TestNEURONReference(t *testing.T) {
	ref := loadReference(t)
	files, _ := filepath.Glob(filepath.Join(refDir, "*.mod"))
	pools := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		suffix := regexp.MustCompile(`\bSUFFIX\s+(\w+)`).FindSubmatch(src)
		if suffix == nil {
			t.Fatalf("%s: no SUFFIX", f)
		}
		name := string(suffix[1])
		if regexp.MustCompile(`WRITE[^\n]*\bcai\b`).Match(src) {
			pools++
			continue
		}
		t.Run(name, func(t *testing.T) {
			r, ok := ref.Mechanisms[name]
			if !ok || r.File != filepath.Base(f) {
				t.Fatalf("no mechanism %s from %s in %s", name, filepath.Base(f), refData)
			}
			res := refFile(t, r.File, r.Digest)
			header := refHeader(ref, nil, t)
			m := checked(t, res, header, nil)
			testReference(t, m, ref, map[string]*refMech{name: r}, r.Method)
		})
	}
	if len(files) < 12 || len(files)-pools != len(ref.Mechanisms) {
		t.Fatalf("%d .mod files in %s (%d pools), %d mechanisms in %s; want the same, at least 12", len(files), refDir, pools, len(ref.Mechanisms), refData)
	}
}

// TestNEURONPool: a calcium pool that writes cai (cad.mod, derivimplicit), a T-type channel
// whose GHK current fills it and reads its [Ca]i (cat.mod) and an SK channel that reads it
// (sk.mod), in one section in NEURON and in one group in neurogen, in the same voltage clamp:
// [Ca]i, the currents and the gates agree within refTol.
func TestNEURONPool(t *testing.T) {
	ref := loadReference(t)
	mechs := ref.Pool.Mechanisms
	if mechs["cad"] == nil || mechs["cat"] == nil || mechs["sk"] == nil || len(mechs) != 3 {
		t.Fatalf("the pool case of %s has %d mechanisms, want cad, cat and sk", refData, len(mechs))
	}
	pool := refFile(t, mechs["cad"].File, mechs["cad"].Digest)
	if len(pool.Pools) != 1 {
		t.Fatalf("%s gives %d pools", mechs["cad"].File, len(pool.Pools))
	}
	cells := &importer.Result{}
	for _, s := range []string{"cat", "sk"} {
		cells.Channels = append(cells.Channels, refFile(t, mechs[s].File, mechs[s].Digest).Channels...)
	}
	if !(ref.Pool.Difference < refTol/10) {
		t.Fatalf("NEURON's extrapolation to dt -> 0 is good to %g only", ref.Pool.Difference)
	}
	header := refHeader(ref, &pool.Pools[0], t)
	testReference(t, checked(t, cells, header, nil), ref, mechs, "pool")
}

// testReference runs the voltage clamp of ref on m and compares the variables of each
// mechanism with NEURON's. method says how NEURON integrated them, and so how neurogen's side
// steps (see refTol): cnexp and derivimplicit (a gate linear in itself) by exp_auto, sparse by
// the scheme's exact propagator, pool (a pool and its channels, not linear) by RK4 at
// dt/poolRK4.
func testReference(t *testing.T, m *ir.Model, ref *importReference, mechs map[string]*refMech, method string) {
	type variable struct {
		name   string
		series [][]float64 // per level
		value  func(c *vclamp.Clamp) float64
		scale  float64
	}
	var vars []*variable
	for suffix, r := range mechs {
		if (r.Method == "derivimplicit" || r.Method == "sparse") && !(r.Difference < refTol/10) {
			t.Fatalf("%s: NEURON's extrapolation to dt -> 0 is good to %g only", suffix, r.Difference)
		}
		var chans []*ir.Channel
		for _, ch := range m.Channels {
			if ch.Name == suffix || strings.HasPrefix(ch.Name, suffix+"_") {
				chans = append(chans, ch)
			}
		}
		for k, v := range r.Vars {
			x := &variable{name: suffix + "." + v}
			for _, l := range r.Levels {
				x.series = append(x.series, l[k])
				for _, s := range l[k] {
					x.scale = max(x.scale, math.Abs(s))
				}
			}
			vars = append(vars, x)
			// Each variable as neurogen has it: a gate of one of the mechanism's channels, a
			// pool's concentration (mM), or a current (NEURON's outward in mA/cm2, neurogen's
			// inward in uA/cm2): the channel's, or, where the mechanism writes several, the
			// channel named SUFFIX_CURRENT.
			for _, ch := range chans {
				for _, g := range ch.Gates {
					if g.Name == ch.Name+"."+v || g.Name == ch.Name+"."+v+"_" {
						x.value = func(c *vclamp.Clamp) float64 { return c.Value(g.Local) }
					}
				}
				if x.value == nil && (len(chans) == 1 || ch.Name == suffix+"_"+v) && strings.HasPrefix(v, "i") {
					x.value = func(c *vclamp.Clamp) float64 { return -c.Value(ch.Current.Local) / 1000 }
				}
			}
			for _, in := range m.Ions {
				if in.State != nil && v == strings.ToLower(in.Name)+"i" && len(chans) == 0 {
					x.value = func(c *vclamp.Clamp) float64 { return c.Value(in.State.Local) }
				}
			}
			if x.value == nil {
				t.Fatalf("%s: no state or current %s in the imported model", suffix, v)
			}
		}
	}
	c, err := vclamp.New(m)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for li, level := range ref.Levels {
		c.Start(ref.VHold, level)
		var p *vclamp.Propagator
		if method == "sparse" {
			p = c.Affine(ref.Dt, 256)
		}
		for k := 0; k*ref.Every <= ref.Steps; k++ {
			if k > 0 {
				for range ref.Every {
					switch method {
					case "sparse":
						p.Step(c)
					case "pool":
						c.StepRK4(ref.Dt, poolRK4)
					default:
						c.Step(ref.Dt)
					}
				}
			}
			for _, x := range vars {
				want, got := x.series[li][k], x.value(c)
				d := math.Abs(got-want) / max(math.Abs(want), 1e-3*x.scale, 1e-300)
				worst = max(worst, d)
				if !(d <= refTol) {
					t.Fatalf("%s at %v mV, %v ms: neurogen %.12g, NEURON %.12g (relative %.2g)", x.name, level, float64(k*ref.Every)*ref.Dt, got, want, d)
				}
			}
		}
	}
	t.Logf("%s: largest relative difference %.2g", method, worst)
}

// checked is group's model through the middle end, as neurogen generates it (each gate's
// derivative and linear coefficient, which exp_auto steps by).
func checked(t *testing.T, res *importer.Result, header string, overrides map[string]string) *ir.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	var b strings.Builder
	b.WriteString("neurogen: 1\nmodel: Imported\n" + header + "channels:\n")
	for _, c := range res.Channels {
		fsys[c.Name+".yaml"] = &fstest.MapFile{Data: c.YAML}
		fmt.Fprintf(&b, "  %s: {use: %s%s}\n", c.Name, c.Name, overrides[c.Name])
	}
	m, err := check.Load("group.yaml", []byte(b.String()), check.Options{Library: library.New(fsys, ".", "imported")})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReferenceCoverage: the reference .mod files together hold every construct of issue 15's
// first acceptance item, and their import maps gates of each form (the notes say which).
func TestReferenceCoverage(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(refDir, "*.mod"))
	var code, notes strings.Builder
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := regexp.MustCompile(`(?s)\bCOMMENT\b.*?\bENDCOMMENT\b`).ReplaceAllString(string(src), "")
		s = regexp.MustCompile(`:[^\n]*`).ReplaceAllString(s, "")
		code.WriteString(s)
		for _, n := range importFile(t, f).Notes {
			notes.WriteString(n + "\n")
		}
	}
	for what, re := range map[string]string{
		"HH alpha/beta gates":              `gate \w+, alpha/beta`,
		"HH inf/tau gates":                 `gate \w+, inf/tau`,
		"a KINETIC scheme's states":        `gate \w+, kinetic`,
		"METHOD cnexp":                     `METHOD cnexp`,
		"METHOD derivimplicit":             `METHOD derivimplicit`,
		"METHOD sparse":                    `METHOD sparse`,
		"a KINETIC scheme":                 `KINETIC \w+ \{`,
		"CONSERVE":                         `CONSERVE \w+`,
		"an instantaneous gate":            `(?s)BREAKPOINT \{[^}]*\w+ = \w+\(v\)`,
		"a channel reading cai":            `USEION ca READ cai\n`,
		"a calcium pool writing cai":       `USEION ca READ ica, cai WRITE cai\n`,
		"a GHK current as a FUNCTION":      `FUNCTION ghk\(`,
		"q10 factors from celsius":         `\^\(\(celsius - \w+\)/10`,
		"a TABLE":                          `TABLE \w+`,
		"a vtrap helper":                   `FUNCTION vtrap\(`,
		"if/else on v in a rate":           `if \(v < [-\d]+\) \{[^}]*\} else`,
		"a nonspecific current":            `NONSPECIFIC_CURRENT \w+`,
		"a current through several ions":   `(?s)USEION na READ ena WRITE ina\n\s*USEION k`,
		"a rate reading celsius (not q10)": `273\.15 \+ celsius`,
	} {
		src := code.String()
		if strings.HasPrefix(what, "HH") || strings.HasPrefix(what, "a KINETIC scheme's") {
			src = notes.String()
		}
		if !regexp.MustCompile(re).MatchString(src) {
			t.Errorf("no %s (%s) in %s", what, re, refDir)
		}
	}
}

// cellTol is the largest difference allowed between a spike time of neurogen's and NEURON's
// (ms). NEURON's fixed step is first order in dt (backward Euler for v, the gates staggered
// half a step): its spike times at dt 0.004, 0.002, 0.001 and 0.0005 ms are up to 0.071, 0.035,
// 0.018 and 0.0088 ms late, halving with dt; import_clamp.py extrapolates the three finest to dt -> 0
// (Richardson, O(dt^3)), 7.4e-6 ms from the extrapolation of the three coarsest, and the
// crossings of 0 mV, interpolated linearly between steps, add an O(dt^2) error that does not
// extrapolate away, about 1e-5 ms at these slopes. neurogen's side is the imported equations
// integrated by RK4 at cellStep, the crossings found on the cubic through V and dV/dt at the
// step's ends (at 0.005 and 0.0025 ms the spike times move by less than 4e-6 ms). They agree to
// 1e-5 ms; 1e-4 ms is ten times that; a wrong rate, sign or unit moves the ninth spike by
// milliseconds.
const (
	cellTol  = 1e-4 // ms
	cellStep = 0.01 // ms
)

// TestNEURONCell: a whole cell of the reference files (HH's Na, K and leak, the T-type calcium
// channel, the SK channel and the calcium pool they share, with the T channel's permeability
// and SK's conductance lowered so that calcium builds up over the spikes and SK adapts the
// firing), driven by a constant current from rest, fires its spikes in neurogen when NEURON
// does, within cellTol.
func TestNEURONCell(t *testing.T) {
	ref := loadReference(t)
	cell := &ref.Cell
	srcs := map[string][]byte{}
	cells := &importer.Result{}
	var pool *importer.Pool
	for _, f := range cell.Files {
		src, err := os.ReadFile(filepath.Join(refDir, f))
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = src
		res := importFile(t, filepath.Join(refDir, f))
		cells.Channels = append(cells.Channels, res.Channels...)
		if len(res.Pools) > 0 {
			pool = &res.Pools[0]
		}
	}
	if got := vclamp.Digest(srcs); got != cell.Digest {
		t.Fatalf("the code of %v is not what %s was made from: run /usr/bin/python3 tools/reference/nmodl/import_clamp.py", cell.Files, refData)
	}
	if pool == nil || len(cells.Channels) != 5 || len(cell.Spikes) < 5 {
		t.Fatalf("%v: pool %v, %d channels, %d spikes in %s", cell.Files, pool, len(cells.Channels), len(cell.Spikes), refData)
	}
	if !(cell.Difference < cellTol/10) {
		t.Fatalf("NEURON's spike times extrapolated to dt -> 0 are good to %g ms only", cell.Difference)
	}
	// NEURON's range variables set in the cell, as overrides of the channels' parameters.
	units := map[string]string{"pcabar_cat": "cm/s", "gbar_sk": "S/cm2"}
	overrides := map[string]string{}
	for name, v := range cell.Params {
		p, ch, _ := strings.Cut(name, "_")
		if units[name] == "" {
			t.Fatalf("no unit for %s", name)
		}
		overrides[ch] += fmt.Sprintf(", %s: %g %s", p, v, units[name])
	}
	header := fmt.Sprintf(`membrane: {C: 1 uF/cm2, V_init: %g mV}
params: {T: %g degC}
ions:
  Na: {E: %g mV}
  K: {E: %g mV}
`, cell.VInit, cell.Celsius, ref.ENa, ref.EK) + poolEntry(t, *pool, fmt.Sprintf("    C_o: %g mM\n", ref.Cao))
	m := checked(t, cells, header, overrides)

	c, err := vclamp.New(m)
	if err != nil {
		t.Fatal(err)
	}
	var V *ir.State
	for _, s := range m.States {
		if s.Kind == ir.Voltage {
			V = s
		}
	}
	c.Set(m.Input, cell.I)
	c.Start(cell.VInit, cell.VInit)
	c.Release()
	var spikes []float64
	n := int(math.Round(cell.TStop / cellStep))
	for k := range n {
		v0, d0 := c.Value(V.Local), c.Value(V.Deriv.Local)
		c.StepRK4(cellStep, 1)
		v1, d1 := c.Value(V.Local), c.Value(V.Deriv.Local)
		if v0 < 0 && v1 >= 0 {
			// The cubic through (v0, d0) and (v1, d1) on the step, its root by bisection.
			h := cellStep
			p := func(s float64) float64 {
				return (2*s*s*s-3*s*s+1)*v0 + (s*s*s-2*s*s+s)*h*d0 + (-2*s*s*s+3*s*s)*v1 + (s*s*s-s*s)*h*d1
			}
			lo, hi := 0.0, 1.0
			for range 60 {
				if mid := (lo + hi) / 2; p(mid) < 0 {
					lo = mid
				} else {
					hi = mid
				}
			}
			spikes = append(spikes, (float64(k)+lo)*h)
		}
	}
	if len(spikes) != len(cell.Spikes) {
		t.Fatalf("neurogen fires at %v ms, NEURON at %v", spikes, cell.Spikes)
	}
	worst := 0.0
	for i, s := range spikes {
		d := math.Abs(s - cell.Spikes[i])
		worst = max(worst, d)
		if !(d <= cellTol) {
			t.Errorf("spike %d: neurogen %.6f ms, NEURON %.6f ms", i+1, s, cell.Spikes[i])
		}
	}
	t.Logf("%d spikes, the largest difference %.2g ms", len(spikes), worst)
}
