package main

import (
	"strings"
	"testing"
)

// TestSignWarningPrinted: a current written outward positive is valid, so check and gen
// succeed, but both print the warning, positioned, on standard error.
func TestSignWarningPrinted(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, "leak.yaml", `neurogen: 1
model: Leaky
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  L:
    g_max: 0.3 mS/cm2
    E: -54 mV
    current: g_max * (V - E)
`)
	const want = "leak.yaml:8:14: warning: the current of channel `L` increases with V at its reversal potential, so it is outward positive: " +
		"neurogen's currents are inward positive, `g*(E - V)`, unlike NEURON's outward-positive `g*(v - e)`; write `E - V` for `V - E`\n"
	code, stdout, stderr := neurogen(t, nil, "check", "leak.yaml")
	if code != exitOK || !strings.Contains(stdout, "ok") || stderr != want {
		t.Errorf("neurogen check: exit %d, stdout %q, stderr:\n%s\nwant exit 0, the spec ok, stderr:\n%s", code, stdout, stderr, want)
	}
	code, _, stderr = neurogen(t, nil, "gen", "leak.yaml", "-o", "leaky")
	if code != exitOK || !strings.Contains(stderr, want) {
		t.Errorf("neurogen gen: exit %d, stderr:\n%s\nwant exit 0 and the warning", code, stderr)
	}
}
