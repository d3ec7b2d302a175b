package check_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
)

// TestUseFile: `use: NAME.yaml` takes a channel from a file beside the spec (the format of
// library/channels, as `neurogen import` writes it), relative to the spec's directory, with the
// spec's values in place of the file's; a file that is missing or does not load is an error at
// the `use:`.
func TestUseFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "channels")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(sub, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("kslow.yaml", `neurogen: 1
channel: kslow
ion: K
g: {value: 2 mS/cm2}
current: g * n * (E_K - V)
gates:
  n:
    inf: 1 / (1 + exp(-(V + 30*mV)/(8*mV)))
    tau: 50 ms
`)
	write("bad.yaml", "neurogen: 1\nchannel: bad\ncurrent: g * (E - V\n")
	group := `neurogen: 1
model: UseFile
membrane: {C: 1 uF/cm2, V_init: -65 mV}
ions:
  K: {E: -90 mV}
channels:
  A: {use: channels/kslow.yaml}
  B: {use: channels/kslow.yaml, g: 0.5 mS/cm2}
`
	file := filepath.Join(dir, "group.yaml")
	m, err := check.Load(file, []byte(group), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]float64{}
	for _, p := range m.Params {
		g[p.Name] = p.Default
	}
	if g["A.g"] != 2 || g["B.g"] != 0.5 {
		t.Errorf("A.g = %g, B.g = %g mS/cm2; want 2 (the file's) and 0.5 (the spec's)", g["A.g"], g["B.g"])
	}
	if len(m.Channels) != 2 || m.Channels[0].Name != "A" || m.Channels[1].Name != "B" {
		t.Errorf("channels %v, want A and B", m.Channels)
	}

	for _, tc := range []struct{ use, want string }{
		{"channels/none.yaml", file + ":7:12: channel file: open " + filepath.Join(sub, "none.yaml") + ": no such file or directory"},
		{"channels/bad.yaml", file + ":7:12: channel file `channels/bad.yaml`: expected `)` to close the `(`, found end of expression (at " + filepath.Join(sub, "bad.yaml") + ":3:20)"},
	} {
		src := strings.Replace(group, "channels/kslow.yaml}", tc.use+"}", 1)
		_, err := check.Load(file, []byte(src), check.Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("use: %s: got %v, want an error starting %q", tc.use, err, tc.want)
		}
	}
}

// TestUseReceptorFile: a receptor's `use: NAME.yaml` takes it from a receptor file beside the
// spec (the format of library/receptors, as `neurogen import` writes an NMODL point process),
// with the spec's values in place of the file's; a missing file, and a field beside `use:` that
// is not a parameter, are errors at their place.
func TestUseReceptorFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "syn.yaml"), []byte(`neurogen: 1
receptor: syn
tau: {value: 3 ms}
E: {value: -80 mV}
states:
  g: {deriv: -g/tau, unit: nS}
current: g * (E - V)
event: g += w
`), 0o644); err != nil {
		t.Fatal(err)
	}
	group := `neurogen: 1
model: UseReceptorFile
membrane: {C: 1 uF/cm2, A: 100 um2, V_init: -65 mV}
channels:
  L: {g: 0.1 mS/cm2, E: -70 mV, current: g * (E - V)}
receptors:
  I: {use: syn.yaml}
  J: {use: syn.yaml, tau: 7 ms}
`
	file := filepath.Join(dir, "group.yaml")
	m, err := check.Load(file, []byte(group), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := map[string]float64{}
	for _, q := range m.Params {
		p[q.Name] = q.Default
	}
	if p["I.tau"] != 3 || p["J.tau"] != 7 || p["J.E"] != -80 {
		t.Errorf("I.tau = %g, J.tau = %g ms, J.E = %g mV; want 3 (the file's), 7 (the spec's) and -80", p["I.tau"], p["J.tau"], p["J.E"])
	}
	if len(m.Receptors) != 2 || len(m.Receptors[1].Events) != 1 || m.Receptors[1].Events[0].State.Name != "J.g" {
		t.Errorf("receptors %v, want I and J, J's event incrementing J.g", m.Receptors)
	}
	for _, tc := range []struct{ use, want string }{
		{"{use: none.yaml}", file + ":7:12: receptor file: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
		{"{use: syn.yaml, event: g += 2*w}", file + ":7:29: receptor `I` uses receptor file `syn.yaml`, which takes parameter values and `doc` only, not `event`"},
	} {
		src := strings.Replace(group, "{use: syn.yaml}", tc.use, 1)
		_, err := check.Load(file, []byte(src), check.Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error starting %q", tc.use, err, tc.want)
		}
	}
}
