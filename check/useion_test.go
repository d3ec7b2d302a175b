package check_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// TestUseIonFile: an ion's `use: NAME.yaml` takes its dynamics from an ion file beside the
// spec (`neurogen: 1`, `ion: Ca` and the fields of an ion, as `neurogen import` writes a
// calcium pool), with the spec's values in place of the file's; a file that is missing, does
// not load or is of another ion, `dynamics` beside `use:` and a parameter the file does not
// have are errors at their place.
func TestUseIonFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pool.yaml", `neurogen: 1
ion: Ca
doc: a shell that decays
C_i: 1e-4 mM
k: {value: 0.01 mM*cm2/(uA*ms)}
tau: 80 ms
rest: 5e-5 mM
dynamics: "k*I_Ca + (rest - Ca_i)/tau"
`)
	write("na.yaml", "neurogen: 1\nion: Na\nC_i: 10 mM\ndynamics: 0*mM/ms\n")
	write("bad.yaml", "neurogen: 1\nC_i: 1e-4 mM\ndynamics: 0*mM/ms\n")
	group := `neurogen: 1
model: UseIon
membrane: {C: 1 uF/cm2, V_init: -65 mV}
ions:
  Ca: {use: pool.yaml, E: 120 mV, tau: 40 ms}
channels:
  CaL: {ion: Ca, g: 1 mS/cm2, current: g * (E_Ca - V)}
`
	file := filepath.Join(dir, "group.yaml")
	m, err := check.Load(file, []byte(group), check.Options{Unoptimized: true})
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]float64{}
	for _, p := range m.Params {
		vals[p.Local] = p.Default
	}
	var ca *ir.Ion
	for _, in := range m.Ions {
		if in.Name == "Ca" {
			ca = in
		}
	}
	if ca == nil || ca.State == nil || ca.Dynamics != ir.Custom || ca.Doc != "a shell that decays" {
		t.Fatalf("ion Ca: %+v", ca)
	}
	// The file's k and rest, the spec's tau (40 ms, not 80).
	const ci, I = 2e-4, 3.0
	env := func(n string) float64 {
		switch n {
		case ca.State.Local:
			return ci
		case ca.Current.Local:
			return I
		}
		if v, ok := vals[n]; ok {
			return v
		}
		t.Fatalf("unknown symbol %s", n)
		return 0
	}
	if got, want := symbolic.Eval(ca.State.Deriv.Expr, env), 0.01*I+(5e-5-ci)/40; math.Abs(got-want) > 1e-15 {
		t.Errorf("dCa_i/dt = %.17g, want %.17g", got, want)
	}
	if got := symbolic.Eval(ca.State.Init, env); got != 1e-4 {
		t.Errorf("[Ca]i starts at %g, want the file's C_i 1e-4", got)
	}

	for _, tc := range []struct{ old, new, want string }{
		{"use: pool.yaml,", "use: none.yaml,", file + ":5:13: ion file: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
		{"use: pool.yaml,", "use: na.yaml,", file + ":5:13: ion file na.yaml is of ion `Na`, not `Ca`"},
		{"use: pool.yaml,", "use: bad.yaml,", file + ":5:13: ion file bad.yaml: " + filepath.Join(dir, "bad.yaml") + ":1:1: missing `ion: NAME`"},
		{"tau: 40 ms}", "tau: 40 ms, dynamics: first_order}", file + ":5:57: ion `Ca` uses pool.yaml, which gives its dynamics: beside `use:` it takes values (valence, E, C_i, C_o, parameters) and doc, not `dynamics`"},
		{"tau: 40 ms}", "taur: 40 ms}", file + ":5:35: ion file `pool.yaml` has no parameter `taur` (did you mean `tau`?) (its parameters: k, tau, rest)"},
	} {
		src := strings.Replace(group, tc.old, tc.new, 1)
		_, err := check.Load(file, []byte(src), check.Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s -> %s: got %v, want an error starting %q", tc.old, tc.new, err, tc.want)
		}
	}
}
