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

type importReference struct {
	VHold      float64   `json:"V_hold"`
	Levels     []float64 `json:"levels"`
	Dt         float64   `json:"dt"`
	Steps      int       `json:"steps"`
	Every      int       `json:"every"`
	Celsius    float64   `json:"celsius"`
	ENa        float64   `json:"ena"`
	EK         float64   `json:"ek"`
	Cai        float64   `json:"cai"`
	Cao        float64   `json:"cao"`
	Mechanisms map[string]struct {
		File       string        `json:"file"`
		Digest     string        `json:"digest"`
		Method     string        `json:"method"`
		Vars       []string      `json:"vars"`
		Levels     [][][]float64 `json:"levels"` // level, variable, sample
		Difference float64       `json:"extrapolation_difference"`
	} `json:"mechanisms"`
}

// TestNEURONReference is issue 15's cross-check of the importer: every .mod file of
// nmodl/testdata/ref, imported and checked in a group, run in voltage clamp from a holding
// potential to four levels, matches NEURON's run of the same file (rate TABLEs off) within
// refTol: each current it writes and each state, every 20 steps of 0.025 ms for 25 ms. The
// code of each file must be the one the data were made from (its digest, comments left out).
func TestNEURONReference(t *testing.T) {
	b, err := os.ReadFile(refData)
	if err != nil {
		t.Fatal(err)
	}
	var ref importReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(refDir, "*.mod"))
	if len(files) < 12 || len(files) != len(ref.Mechanisms) {
		t.Fatalf("%d .mod files in %s, %d mechanisms in %s; want the same, at least 12", len(files), refDir, len(ref.Mechanisms), refData)
	}
	header := fmt.Sprintf(`membrane: {C: 1 uF/cm2, V_init: %g mV}
params: {T: %g degC}
ions:
  Na: {E: %g mV}
  K: {E: %g mV}
  Ca: {E: 120 mV, C_i: %g mM, C_o: %g mM}
`, ref.VHold, ref.Celsius, ref.ENa, ref.EK, ref.Cai, ref.Cao)
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
		t.Run(name, func(t *testing.T) {
			r, ok := ref.Mechanisms[name]
			if !ok || r.File != filepath.Base(f) {
				t.Fatalf("no mechanism %s from %s in %s", name, filepath.Base(f), refData)
			}
			if got := vclamp.Digest(map[string][]byte{r.File: src}); got != r.Digest {
				t.Fatalf("the code of %s is not what %s was made from: run /usr/bin/python3 tools/reference/nmodl/import_clamp.py", f, refData)
			}
			res := importFile(t, f)
			group(t, res, header) // checks the spec as written
			m := checked(t, res, header)
			testReference(t, m, name, &ref, r.Method, r.Difference, r.Vars, r.Levels)
		})
	}
}

func testReference(t *testing.T, m *ir.Model, suffix string, ref *importReference, method string, difference float64, vars []string, levels [][][]float64) {
	// Each variable as neurogen has it: a state of one of the mechanism's channels, or a
	// current (NEURON's outward in mA/cm2, neurogen's inward in uA/cm2): the channel's, or,
	// where the mechanism writes several, the channel named SUFFIX_CURRENT.
	value := make([]func(c *vclamp.Clamp) float64, len(vars))
	for k, v := range vars {
		for _, s := range m.States {
			if s.Kind == ir.Gate && (strings.HasSuffix(s.Name, "."+v) || strings.HasSuffix(s.Name, "."+v+"_")) {
				value[k] = func(c *vclamp.Clamp) float64 { return c.Value(s.Local) }
			}
		}
		if value[k] != nil {
			continue
		}
		for _, ch := range m.Channels {
			if len(m.Channels) == 1 || ch.Name == suffix+"_"+v {
				value[k] = func(c *vclamp.Clamp) float64 { return -c.Value(ch.Current.Local) / 1000 }
			}
		}
		if value[k] == nil {
			t.Fatalf("%s: no state or current %s in the imported model", suffix, v)
		}
	}
	coupled := method == "sparse"
	if (method == "derivimplicit" || coupled) && !(difference < refTol/10) {
		t.Fatalf("%s: NEURON's extrapolation to dt -> 0 is good to %g only", suffix, difference)
	}
	c, err := vclamp.New(m)
	if err != nil {
		t.Fatal(err)
	}
	// Relative to the value or, for a current that crosses zero or a state near 0, to 1e-3 of
	// the largest value of the variable in the whole protocol.
	scale := make([]float64, len(vars))
	for _, l := range levels {
		for j, series := range l {
			for _, v := range series {
				scale[j] = max(scale[j], math.Abs(v))
			}
		}
	}
	worst := 0.0
	for li, level := range ref.Levels {
		c.Start(ref.VHold, level)
		var p *vclamp.Propagator
		if coupled {
			p = c.Affine(ref.Dt, 256)
		}
		for k := 0; k*ref.Every <= ref.Steps; k++ {
			if k > 0 {
				for range ref.Every {
					if coupled {
						p.Step(c)
					} else {
						c.Step(ref.Dt)
					}
				}
			}
			for j, name := range vars {
				want, got := levels[li][j][k], value[j](c)
				d := math.Abs(got-want) / max(math.Abs(want), 1e-3*scale[j], 1e-300)
				worst = max(worst, d)
				if !(d <= refTol) {
					t.Fatalf("%s.%s at %v mV, %v ms: neurogen %.12g, NEURON %.12g (relative %.2g)", suffix, name, level, float64(k*ref.Every)*ref.Dt, got, want, d)
				}
			}
		}
	}
	t.Logf("%s (%s): largest relative difference %.2g", suffix, method, worst)
}

// checked is group's model through the middle end, as neurogen generates it (each gate's
// derivative and linear coefficient, which exp_auto steps by).
func checked(t *testing.T, res *importer.Result, header string) *ir.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	var b strings.Builder
	b.WriteString("neurogen: 1\nmodel: Imported\n" + header + "channels:\n")
	for _, c := range res.Channels {
		fsys[c.Name+".yaml"] = &fstest.MapFile{Data: c.YAML}
		fmt.Fprintf(&b, "  %s: {use: %s}\n", c.Name, c.Name)
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
