package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// invalidSpec has two errors that the checker finds (the loader finds none).
const invalidSpec = `neurogen: 1
model: Leaky
membrane:
  C: 1 uF/cm2
  V_init: -65 mV
channels:
  L:
    g_max: 0.3 mS/cm2
    E: -54 mS
    current: gmax * (E - V)
`

// malformedSpec has errors that the loader finds.
const malformedSpec = `neurogen: 1
model: Leaky
membrane: {C: 1 uF/cm2, V_init: -65 mV}
chanels: {}
`

func TestCheckValid(t *testing.T) {
	// One line per valid spec on standard output: the model, its states, channels (and ions),
	// and the method, as the spec declares them.
	want := hh52(t) + ": HH52 ok: 4 states (V, Na.m, Na.h, K.n), 3 channels (Na, K, L), method exp_auto\n"
	code, stdout, stderr := neurogen(t, nil, "check", hh52(t))
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("neurogen check hh52.yaml: exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = neurogen(t, nil, "check", "-q", hh52(t))
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("neurogen check -q hh52.yaml: exit %d, stdout %q, stderr %q; want 0 and no output", code, stdout, stderr)
	}
	wantV := want + "\t8 parameters: C = 1 uF/cm2, V_th = 0 mV, Na.g_max = 120 mS/cm2, Na.E = 50 mV, K.g_max = 36 mS/cm2, K.E = -77 mV, L.g_max = 0.3 mS/cm2, L.E = -54.387 mV\n"
	code, stdout, stderr = neurogen(t, nil, "check", "-v", hh52(t))
	if code != exitOK || stdout != wantV || stderr != "" {
		t.Errorf("neurogen check -v hh52.yaml: exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, wantV)
	}

	// An ion, one of each, and the standard input.
	const cell = `neurogen: 1
model: Cell
membrane: {C: 1 uF/cm2, V_init: -65 mV}
method: rk4
params: {T: 36 degC}
ions:
  Ca: {E: nernst, dynamics: detailed}
channels:
  CaL:
    g_max: 0.1 mS/cm2
    ion: Ca
    current: g_max * s * (E_Ca - V)
    gates:
      s: {inf: 1 / (1 + exp(-(V + 20*mV)/(5*mV))), tau: 2 ms}
`
	code, stdout, stderr = neurogen(t, strings.NewReader(cell), "check", "-")
	want = "<stdin>: Cell ok: 3 states (V, Ca_i, CaL.s), 1 channel (CaL), 1 ion (Ca), method rk4\n"
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("neurogen check - (cell): exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, want)
	}

	// Receptors, listed after the channels.
	const syn = `neurogen: 1
model: Syn
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max * (E - V)}
receptors:
  E: {use: ExpCond}
  S: {use: Exp2Cond, tau_decay: 10 ms}
`
	code, stdout, stderr = neurogen(t, strings.NewReader(syn), "check", "-")
	want = "<stdin>: Syn ok: 4 states (V, E.g, S.A, S.B), 1 channel (L), 2 receptors (E, S), method exp_auto\n"
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("neurogen check - (syn): exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, want)
	}
}

func TestListed(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "0 gates"},
		{1, "1 gate (g0)"},
		{2, "2 gates (g0, g1)"},
		{maxListed, "10 gates (g0, g1, g2, g3, g4, g5, g6, g7, g8, g9)"},
		{maxListed + 3, "13 gates (g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, … and 3 more)"},
	} {
		var names []string
		for i := range tt.n {
			names = append(names, fmt.Sprintf("g%d", i))
		}
		orig := slices.Clone(names)
		if got := listed(names, "gate"); got != tt.want {
			t.Errorf("listed(%d names) = %q, want %q", tt.n, got, tt.want)
		}
		if !slices.Equal(names, orig) {
			t.Errorf("listed(%d names) changed its argument to %q", tt.n, names)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // errors name the files as given: relative paths
	writeFile(t, "leaky.yaml", invalidSpec)
	writeFile(t, filepath.Join("sub", "bad.yaml"), malformedSpec)

	code, stdout, stderr := neurogen(t, nil, "check", "leaky.yaml")
	want := "leaky.yaml:10:14: undefined: `gmax` (did you mean `g_max`?)\n" +
		"leaky.yaml:10:24: mismatched dimensions in `-`: `E` is mS (conductance) but `V` is mV (voltage)\n"
	if code != exitError || stdout != "" || stderr != want {
		t.Errorf("neurogen check leaky.yaml: exit %d, stdout %q, stderr:\n%s\nwant exit 1, stderr:\n%s", code, stdout, stderr, want)
	}

	// Several specs: every error of every spec, in command-line order, and the valid one's
	// summary on standard output.
	code, stdout, stderr = neurogen(t, nil, "check", "sub/bad.yaml", hh52(t), "leaky.yaml", "missing.yaml")
	want = "sub/bad.yaml:4:1: `channels` is empty\n" + // `chanels` is read as `channels`

		"sub/bad.yaml:4:1: unknown field `chanels` (did you mean `channels`?)\n" +
		want +
		"neurogen check: open missing.yaml: no such file or directory\n"
	if wantOut := hh52(t) + ": HH52 ok: "; code != exitError || !strings.HasPrefix(stdout, wantOut) || strings.Count(stdout, "\n") != 1 || stderr != want {
		t.Errorf("neurogen check (several): exit %d, stdout %q, stderr:\n%s\nwant exit 1, stdout %q…, stderr:\n%s", code, stdout, stderr, wantOut, want)
	}

	// A directory is not a spec.
	code, _, stderr = neurogen(t, nil, "check", "sub")
	if want := "neurogen check: read sub: is a directory\n"; code != exitError || stderr != want {
		t.Errorf("neurogen check sub: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
}

func TestCheckStdin(t *testing.T) {
	code, stdout, stderr := neurogen(t, strings.NewReader(invalidSpec), "check", "-")
	if !strings.HasPrefix(stderr, "<stdin>:10:14: undefined: `gmax`") || code != exitError || stdout != "" {
		t.Errorf("neurogen check - (invalid): exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestCheckNetwork: check recognises a network spec by its `network:` key, checks it with the
// group specs it names (relative to its own directory), and says what it checked; errors of
// the network and of its group specs come out together, each at its file:line:col.
func TestCheckNetwork(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, filepath.Join("net", "cell.yaml"), "neurogen: 1\nmodel: Cell\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
		"channels: {L: {g_max: 0.1 mS/cm2, E: -65 mV}}\n")
	writeFile(t, filepath.Join("net", "net.yaml"), "neurogen: 1\nnetwork: Net\ngroups:\n  a: {model: cell.yaml, n: 10}\n"+
		"inputs:\n  kick: {to: a, current: \"step(1 ms, 2 ms, 1 uA/cm2)\"}\n")
	code, stdout, stderr := neurogen(t, nil, "check", "net/net.yaml")
	want := "net/net.yaml: network Net ok: 1 group (a: 10 × Cell), 0 projections, 1 input (kick step→a), dt 0.1 ms\n"
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("neurogen check net/net.yaml: exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, want)
	}
	// The warnings of a group spec, once however many groups use it.
	writeFile(t, filepath.Join("net", "out.yaml"), "neurogen: 1\nmodel: Out\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
		"channels: {L: {g_max: 0.1 mS/cm2, E: -65 mV, current: g_max*(V - E)}}\n")
	writeFile(t, filepath.Join("net", "net3.yaml"), "neurogen: 1\nnetwork: Net\ngroups:\n  a: {model: out.yaml, n: 1}\n  b: {model: out.yaml, n: 2}\n")
	code, stdout, stderr = neurogen(t, nil, "check", "-q", "net/net3.yaml")
	if code != exitOK || stdout != "" || strings.Count(stderr, "net/out.yaml:4:") != 1 || strings.Count(stderr, "warning:") != 1 {
		t.Errorf("neurogen check -q net/net3.yaml: exit %d, stdout %q, stderr %q; want 0 and one warning at net/out.yaml:4", code, stdout, stderr)
	}
	writeFile(t, filepath.Join("net", "bad.yaml"), "neurogen: 1\nmodel: Bad\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
		"channels: {L: {g_max: 0.1 mS/cm2, E: -65 mS}}\n")
	writeFile(t, filepath.Join("net", "net2.yaml"), "neurogen: 1\nnetwork: Net\ngroups:\n  a: {model: bad.yaml, n: 0}\n")
	code, stdout, stderr = neurogen(t, nil, "check", "net/net2.yaml")
	want = "net/bad.yaml:4:12: channel `L`: the default current `g_max * (E - V)` needs `g_max` in mS/cm2 and `E` in mV, got mS/cm2 and mS\n" +
		"net/net2.yaml:4:27: group `a`: `n` must be from 1 to 2147483647, got 0\n"
	if code != exitError || stdout != "" || stderr != want {
		t.Errorf("neurogen check net/net2.yaml: exit %d, stdout %q, stderr:\n%s\nwant exit 1, stderr:\n%s", code, stdout, stderr, want)
	}
}
