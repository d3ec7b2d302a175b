package export_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/nmodl/export"
	"github.com/neurogen/neurogen/spec"
)

var update = flag.Bool("update", false, "rewrite the golden .mod files under testdata (TestGolden)")

func load(t *testing.T, file string, src []byte) *ir.Model {
	t.Helper()
	m, err := check.Load(file, src, check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGolden: the .mod files of testdata/NAME.yaml are those in testdata/NAME/ (go test
// ./nmodl/export -run TestGolden -update rewrites them). The goldens compile with nrnivmodl and
// run in NEURON: tools/reference/nmodl checks the same exporter's files against neurogen.
func TestGolden(t *testing.T) {
	specs, _ := filepath.Glob("testdata/*.yaml")
	if len(specs) == 0 {
		t.Fatal("no testdata/*.yaml")
	}
	for _, file := range specs {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		files, err := export.Files(load(t, file, src))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		dir := strings.TrimSuffix(file, ".yaml")
		if *update {
			os.RemoveAll(dir)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, b := range files {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		want, _ := filepath.Glob(filepath.Join(dir, "*.mod"))
		var got []string
		for name := range files {
			got = append(got, filepath.Join(dir, name))
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: files (-want +got):\n%s", file, diff)
		}
		for name, b := range files {
			w, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			if diff := cmp.Diff(string(w), string(b)); diff != "" {
				t.Errorf("%s: %s (-want +got):\n%s", file, name, diff)
			}
		}
	}
}

// TestConventions: the numbers of the conversion back to NMODL, read from the text: g_max
// in S/cm2 (mS/cm2 / 1000), the current outward in mA/cm2 (so the expression uses g_max itself,
// 1000 × 1/1000), the ion written and read, celsius for T.
func TestConventions(t *testing.T) {
	src, err := os.ReadFile("testdata/thalamic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := export.Files(load(t, "testdata/thalamic.yaml", src))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"TC_Na.mod": {
			"SUFFIX TC_Na", "USEION na WRITE ina", "g_max = 0.12 (S/cm2)", "E = 50 (mV)",
			"ina = g_max * h * m^3 * (v - E)", "m = m_alpha / (m_alpha + m_beta)",
			"m' = m_alpha * (1 - m) - m * m_beta", "m_alpha = 1 / exprel(-0.1 * (v + 40))",
			"FUNCTION exprel(z)",
		},
		"TC_CaT.mod": {
			"USEION ca READ cai, cao WRITE ica", "g_max = 0.002 (S/cm2)", "celsius (degC)",
			"T_ref = 297.15 (K)", "log(cao / cai) * (celsius + 273.15)", "if (v - V_sh >= -80) {",
			"p' = pow(T_base_p, 0.1 * (celsius + 273.15 - T_ref)) * (p_inf - p) / p_tau",
		},
		"TC_Ca_pool.mod": {
			"SUFFIX TC_Ca_pool", "USEION ca READ ica WRITE cai", "STATE {\n\tcai (mM)\n}", "cai = C_i",
			"d = 0.0001 (cm)", "cai' = (C_rest - cai) / tau + vmax(-5.182134828308865e-06 * ica / d, 0)",
		},
		"TC_L.mod": {
			"NONSPECIFIC_CURRENT i", "g_max = 0.0003 (S/cm2)", "i = g_max * (v - E)", "RANGE g_max, E, i",
		},
	} {
		text := string(files[name])
		if text == "" {
			t.Errorf("no %s", name)
			continue
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
		for _, line := range strings.Split(text[strings.Index(text, "NEURON {"):], "\n") {
			code, _, _ := strings.Cut(line, ":")
			for _, bad := range []string{"**", "?"} {
				if strings.Contains(code, bad) {
					t.Errorf("%s: %q, which NMODL does not have, in %q", name, bad, line)
				}
			}
		}
		for i, r := range text {
			if r >= 0x80 {
				t.Errorf("%s: non-ASCII %q at %d (nocmodl reads ASCII)", name, r, i)
				break
			}
		}
	}
	if _, ok := files["TC_L.mod"]; ok && strings.Contains(string(files["TC_L.mod"]), "STATE") {
		t.Error("TC_L.mod: a channel without gates has a STATE block (nocmodl refuses an empty DERIVATIVE)")
	}
}

// TestRefused: what cannot be exported yet is refused, at its place in the spec, all at once.
func TestRefused(t *testing.T) {
	const src = `neurogen: 1
model: Bad
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  B:
    g_max: 1 mS/cm2
    E: 0 mV
    current: g_max * x * (E - V)
    gates:
      x: {deriv: "x*(1 - x)/ms", init: 0.5}
  C:
    g_max: 1 mS/cm2
    E: 0 mV
    current: g_max * y * (E - V)
    gates:
      y: {deriv: "y > 0.5 ? (1 - y)/ms : -y/ms", init: 0}
  D: {g_max: 1 mS/cm2, E: 0 mV, current: g_max * (E - V) + 0.5*I_ext}
`
	_, err := export.Files(load(t, "bad.yaml", []byte(src)))
	if err == nil {
		t.Fatal("no error")
	}
	list, ok := err.(spec.ErrorList)
	if !ok {
		t.Fatalf("error %T, want spec.ErrorList", err)
	}
	want := []string{
		"bad.yaml:10:19: channel `B`: cannot export to NMODL: gate `B.x`'s derivative is not linear in it, which NEURON's cnexp (neurogen's exp_auto) needs",
		"bad.yaml:16:19: channel `C`: cannot export to NMODL: gate `C.y`'s derivative has a conditional (`? :`) that depends on the gates, which a DERIVATIVE block cannot hold",
		"bad.yaml:17:42: channel `D`: cannot export to NMODL: it uses the group's input `I_ext`, which an NMODL density mechanism does not see (in NEURON, inject it with an IClamp)",
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestConditionals: a conditional in a current or an initial value is written with if/else; one
// in a gate's derivative whose condition does not depend on the gates is computed by rates(), as
// an indicator s where its branches do (c ? a : b = s·a + (1 − s)·b).
func TestConditionals(t *testing.T) {
	const src = `neurogen: 1
model: Cond
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  A:
    g_max: 1 mS/cm2
    E: 0 mV
    current: "V > 0*mV ? g_max * (E - V) : 0.5 * g_max * (E - V)"
  C:
    g_max: 1 mS/cm2
    E: 0 mV
    current: g_max * y * (E - V)
    gates:
      y: {deriv: "V > -20*mV ? (1 - y)/ms : -y/(3*ms)", init: "V > -20*mV ? 1 : 0"}
`
	files, err := export.Files(load(t, "cond.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"Cond_A.mod": {"BREAKPOINT {\n\tLOCAL c1\n", "\tif (v > 0) {\n\t\tc1 = ", "\ti = -0.001 * c1\n"},
		"Cond_C.mod": {
			"RANGE g_max, E, y__on, i", "STATE {\n\ty_\n}", // y0 would be math.h's Bessel function
			"INITIAL {\n\tLOCAL c1\n\trates()\n\tif (v > -20) {\n\t\tc1 = 1\n\t} else {\n\t\tc1 = 0\n\t}\n\ty_ = c1\n}",
			"\ty_' = y__on * (1 - y_) - 0.3333333333333333 * y_ * (1 - y__on)\n",
			"PROCEDURE rates() {\n\tLOCAL c2\n", "\tif (v > -20) {\n\t\tc2 = 1\n\t} else {\n\t\tc2 = 0\n\t}\n\ty__on = c2\n",
		},
	} {
		text := string(files[name])
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, text)
			}
		}
	}
}

// TestSuffix: SUFFIX is the model's and the channel's names, as an NMODL name.
func TestSuffix(t *testing.T) {
	for _, tc := range []struct{ model, channel, want string }{
		{"HH52", "Na", "HH52_Na"},
		{"my-cell 2", "K.dr", "my_cell_2_K_dr"},
		{"2cell", "K", "_2cell_K"},
	} {
		got := export.Suffix(&ir.Model{Name: tc.model}, &ir.Channel{Name: tc.channel})
		if got != tc.want {
			t.Errorf("Suffix(%q, %q) = %q, want %q", tc.model, tc.channel, got, tc.want)
		}
	}
}

// TestTimeAndT: the time t is NEURON's t; a parameter named T that is not a temperature (not
// in K) is a parameter like any other, not celsius.
func TestTimeAndT(t *testing.T) {
	const src = `neurogen: 1
model: M
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 16.3}
channels:
  L: {g_max: 1 mS/cm2, E: 0 mV, current: "g_max * (E - V) * T * (1 + tanh((t - 3*ms)/ms))"}
`
	files, err := export.Files(load(t, "m.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	text := string(files["M_L.mod"])
	for _, want := range []string{"T = 16.3 (1)", "RANGE T, g_max, E, i", "i = T * g_max * (v - E) * (tanh(t - 3) + 1)"} {
		if !strings.Contains(text, want) {
			t.Errorf("M_L.mod lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "celsius") {
		t.Errorf("M_L.mod reads celsius for a T that is no temperature:\n%s", text)
	}
}

// TestNotes: what NEURON needs set is noted: celsius where a rate uses T, ion_style where a
// pool writes cai and a channel reads a fixed eca; nothing for HH52.
func TestNotes(t *testing.T) {
	const pool = `neurogen: 1
model: P
membrane: {C: 1 uF/cm2, V_init: -70 mV}
params: {T: 36 degC}
ions:
  Ca: {E: 120 mV, C_i: 2.4e-4 mM, dynamics: detailed}
channels:
  IT: {use: ICaT_HM1992}
`
	hh52, err := os.ReadFile("../../specs/hh52.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		src  []byte
		want []string
	}{
		{"p.yaml", []byte(pool), []string{
			"the rates use the temperature: in NEURON, set celsius to the spec's T, 36 degC (NEURON's default is 6.3 degC)",
			`P_Ca_pool writes cai and channels read eca, which the spec fixes: in NEURON, keep eca from being computed from cai with ion_style("ca_ion", 3, 1, 0, 0, 0) and set eca`,
		}},
		{"hh52.yaml", hh52, nil},
	} {
		got := export.Notes(load(t, tc.file, tc.src))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: notes (-want +got):\n%s", tc.file, diff)
		}
	}
}
