package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportNMODL: export nmodl writes one .mod file per channel of HH52, each named after the
// model and the channel, with the conductance in S/cm2 and the current outward in mA/cm2, and
// prints their paths.
func TestExportNMODL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mod")
	code, stdout, stderr := neurogen(t, nil, "export", "nmodl", hh52(t), "-o", dir)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var want string
	for _, ch := range []string{"K", "L", "Na"} {
		want += "wrote " + filepath.Join(dir, "HH52_"+ch+".mod") + "\n"
	}
	if stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	for file, lines := range map[string][]string{
		"HH52_Na.mod": {"SUFFIX HH52_Na", "g_max = 0.12 (S/cm2)", "i = g_max * h * m^3 * (v - E)"},
		"HH52_K.mod":  {"g_max = 0.036 (S/cm2)", "i = g_max * n^4 * (v - E)", "n' = n_alpha * (1 - n) - n * n_beta"},
		"HH52_L.mod":  {"g_max = 0.0003 (S/cm2)", "E = -54.387 (mV)", "i = g_max * (v - E)"},
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if !strings.Contains(string(b), l) {
				t.Errorf("%s lacks %q", file, l)
			}
		}
	}
}

func TestExportErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	src := "neurogen: 1\nmodel: B\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\nchannels:\n  A: {g_max: 1 mS/cm2, E: 0 mV, current: \"g_max*(E - V) + 0.5*I_ext\"}\n"
	if err := os.WriteFile(bad, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"export"}, exitUsage, "neurogen export: missing FORMAT (nmodl) and SPEC\nrun 'neurogen export -h' for usage\n"},
		{[]string{"export", "nmodl"}, exitUsage, "neurogen export: missing SPEC\nrun 'neurogen export -h' for usage\n"},
		{[]string{"export", "nmdl", "x.yaml"}, exitUsage, "neurogen export: unknown format \"nmdl\" (did you mean nmodl?)\nrun 'neurogen export -h' for usage\n"},
		{[]string{"export", "nmodl", bad, "-o", t.TempDir()}, exitError, bad + ":5:43: channel `A`: cannot export to NMODL: it uses the group's input `I_ext`, which an NMODL density mechanism does not see (in NEURON, inject it with an IClamp)\n"},
	} {
		code, stdout, stderr := neurogen(t, nil, tc.args...)
		if code != tc.code || stdout != "" || stderr != tc.stderr {
			t.Errorf("neurogen %s:\nexit %d, stdout %q, stderr %q\nwant exit %d, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.stderr)
		}
	}
}
