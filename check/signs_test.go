package check_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/spec"
)

// checkWarnings checks src and returns its warnings, one string each (file:line:col: message).
func checkWarnings(t *testing.T, file, src string, lib check.Library) []string {
	t.Helper()
	s, err := spec.Load(file, []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	m, err := check.Check(s, check.Options{Library: lib})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out []string
	for _, w := range m.Warnings {
		out = append(out, w.Error())
	}
	return out
}

// signSpec is a spec whose channels' currents are filled in from the arguments.
func signSpec(ca, na, leak string) string {
	return `neurogen: 1
model: Signs
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 36 degC}
ions:
  Ca: {E: nernst, C_i: 2.4e-4 mM, C_o: 2 mM, dynamics: detailed}
channels:
  CaT:
    ion: Ca
    g_max: 2 mS/cm2
    current: ` + ca + `
    gates:
      p: {inf: "1 / (1 + exp(-(V + 59*mV)/(6.2*mV)))", tau: 1 ms}
  Na:
    g_max: 120 mS/cm2
    E: 50 mV
    current: ` + na + `
    gates:
      m: {alpha: "0.1/ms", beta: 0.2 /ms}
      h: {inf: "0.5", tau: 2 ms}
  L:
    g_max: 0.3 mS/cm2
    E: -54.387 mV
    defs:
      s_inf: 1 / (1 + exp(-V/(10*mV)))
    current: ` + leak + `
`
}

// TestSignWarning: a current written outward positive, as NEURON writes it, gets a warning at
// its expression that names the convention and the fix; the inward-positive form gets none.
func TestSignWarning(t *testing.T) {
	inward := signSpec("g_max * p**2 * (E_Ca - V)", "g_max * m**3 * h * (E - V)", "g_max * s_inf * (E - V)")
	if w := checkWarnings(t, "in.yaml", inward, nil); len(w) != 0 {
		t.Errorf("inward-positive currents: warnings\n%s\nwant none", strings.Join(w, "\n"))
	}

	outward := signSpec("g_max * p**2 * (V - E_Ca)", "g_max*m**3*h*(V-E)", "-g_max * s_inf * (E - V)")
	w := checkWarnings(t, "out.yaml", outward, nil)
	want := []struct{ at, fix string }{
		{"out.yaml:11:14: ", "write `E_Ca - V` for `V - E_Ca`"},
		{"out.yaml:17:14: ", "write `E - V` for `V-E`"},
		{"out.yaml:26:14: ", "write the driving force as `(E - V)`, or negate the current"},
	}
	if len(w) != len(want) {
		t.Fatalf("outward-positive currents: warnings\n%s\nwant %d", strings.Join(w, "\n"), len(want))
	}
	for i, x := range want {
		if !strings.HasPrefix(w[i], x.at) || !strings.HasSuffix(w[i], x.fix) ||
			!strings.Contains(w[i], "inward positive, `g*(E - V)`, unlike NEURON's outward-positive `g*(v - e)`") {
			t.Errorf("warning %d:\n%s\nwant it at %q, naming the convention and ending %q", i, w[i], x.at, x.fix)
		}
	}
	for i, ch := range []string{"CaT", "Na", "L"} {
		if !strings.Contains(w[i], "channel `"+ch+"`") {
			t.Errorf("warning %d does not name channel %s: %s", i, ch, w[i])
		}
	}

	// The slope is what counts, not how the current is spelled: g*V - g*E is outward positive,
	// g*E - g*V inward, and -(V - E)*g inward.
	for _, c := range []struct {
		leak string
		warn bool
	}{
		{"g_max*V - g_max*E", true},
		{"g_max*E - g_max*V", false},
		{"-(V - E)*g_max", false},
		{"(V - E) * (-g_max)", false},
		{"g_max * s_inf * (V - E) / 2", true},
	} {
		src := signSpec("g_max * p**2 * (E_Ca - V)", "g_max * m**3 * h * (E - V)", c.leak)
		w := checkWarnings(t, "leak.yaml", src, nil)
		if got := len(w) == 1 && strings.HasPrefix(w[0], "leak.yaml:26:14: "); got != c.warn || len(w) > 1 {
			t.Errorf("current %s: warnings %q, want a warning at 26:14: %v", c.leak, w, c.warn)
		}
	}
}

// TestSignStock: no stock channel, and no spec of the repository, gets a warning; and every
// stock channel is judged: with its driving force turned around, each gets one.
func TestSignStock(t *testing.T) {
	names := library.Stock.Names()
	var b strings.Builder
	b.WriteString(`neurogen: 1
model: Stock
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 36 degC}
ions:
  Ca: {E: nernst, C_i: 2.4e-4 mM, C_o: 2 mM, dynamics: detailed}
  K: {E: -90 mV}
channels:
`)
	for _, n := range names {
		b.WriteString("  " + n + ": {use: " + n + "}\n")
	}
	src := b.String()
	if w := checkWarnings(t, "stock.yaml", src, nil); len(w) != 0 {
		t.Errorf("stock channels: warnings\n%s\nwant none", strings.Join(w, "\n"))
	}

	// The mutants: each stock current with V first in its driving force.
	fs := fstest.MapFS{}
	for _, n := range names {
		text, ok := library.Stock.Source(n)
		if !ok {
			t.Fatalf("no source for stock channel %s", n)
		}
		var out []string
		flipped := 0
		for _, line := range strings.Split(string(text), "\n") {
			if rest, ok := strings.CutPrefix(line, "current: "); ok {
				i := strings.LastIndex(rest, "(")
				x, ok := strings.CutSuffix(rest[i+1:], " - V)")
				if i < 0 || !ok {
					t.Fatalf("%s: current %q does not end in (X - V)", n, rest)
				}
				line = "current: " + rest[:i] + "(V - " + x + ")"
				flipped++
			}
			out = append(out, line)
		}
		if flipped != 1 {
			t.Fatalf("%s: %d `current:` lines, want 1", n, flipped)
		}
		fs["channels/"+n+".yaml"] = &fstest.MapFile{Data: []byte(strings.Join(out, "\n"))}
	}
	mutant := library.New(fs, "channels", "mutant")
	w := checkWarnings(t, "stock.yaml", src, mutant)
	if len(w) != len(names) {
		t.Fatalf("stock channels with (V - E): %d warnings, want %d:\n%s", len(w), len(names), strings.Join(w, "\n"))
	}
	for i, n := range names {
		at := "stock.yaml:" + strconv.Itoa(9+i) + ":"
		if !strings.HasPrefix(w[i], at) || !strings.Contains(w[i], "stock channel `"+n+"`") {
			t.Errorf("warning %d: %s\nwant it at the use: of %s (line %d)", i, w[i], n, 9+i)
		}
	}

	// Every spec of the repository.
	var files []string
	for _, pat := range []string{"../specs/*.yaml", "../docs/tutorial/*.yaml", "../examples/*/*.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 8 {
		t.Fatalf("found only %d specs: %v", len(files), files)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if w := checkWarnings(t, f, string(src), nil); len(w) != 0 {
			t.Errorf("%s: warnings\n%s\nwant none", f, strings.Join(w, "\n"))
		}
	}
}

// TestSignReceptor: a receptor's current is judged as a channel's, whether a current (nA,
// divided by the area) or a density, a difference of states included; the stock receptors
// get no warning.
func TestSignReceptor(t *testing.T) {
	spec := func(cur string) string {
		return `neurogen: 1
model: Syn
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max * (E - V)}
receptors:
  E: {use: ExpCond}
  S: {use: Exp2Cond}
  N: {use: NMDA}
  R:
    E: 0 mV
    tau: 5 ms
    states:
      A: {deriv: -A/tau, unit: nS}
      B: {deriv: -B/(2*tau), unit: nS}
    current: ` + cur + `
    event: A += w; B += w
`
	}
	for _, c := range []struct {
		cur  string
		warn bool
	}{
		{"(B - A) * (E - V)", false},
		{"(B - A) * (V - E)", true},
		{"A * (V - E) / (1*cm2)", true},
		{"A * (E - V) / (1*cm2)", false},
	} {
		w := checkWarnings(t, "syn.yaml", spec(c.cur), nil)
		got := len(w) == 1 && strings.HasPrefix(w[0], "syn.yaml:16:14: ") && strings.Contains(w[0], "receptor `R`")
		if got != c.warn || len(w) > 1 {
			t.Errorf("current %s: warnings %q, want a warning at 16:14 naming receptor R: %v", c.cur, w, c.warn)
		}
	}
}
