package main

import (
	"strings"
	"testing"

	"github.com/neurogen/neurogen/library"
)

// TestReceptors: the list has a header and a line per stock receptor with its states (a kinetic
// receptor's state per synapse marked), event (a kinetic one's transmitter pulse)
// and the first line of its doc; with a name, the receptor's file exactly; an unknown name is a
// usage error that suggests the closest.
func TestReceptors(t *testing.T) {
	code, stdout, stderr := neurogen(t, nil, "receptors")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen receptors: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if names := library.StockReceptors.Names(); len(lines) != len(names)+1 {
		t.Fatalf("%d lines for %d stock receptors:\n%s", len(lines), len(names), stdout)
	}
	for _, want := range []string{
		"NAME       STATES              EVENT              DOC",
		"AMPA       r (per synapse)     T = Cmax for Cdur  AMPA receptor, kinetic (Destexhe, Mainen and Sejnowski 1994).",
		"AlphaCond  x, g                x += w             Alpha-function synaptic conductance, the limit of Exp2Cond as its time constants meet.",
		"Exp2Cond   A, B                A += w; B += w     Bi-exponential synaptic conductance, normalised to a peak of w.",
		"ExpCond    g                   g += w             Exponential synaptic conductance.",
		"GABAB      R (per synapse), G  T = Cmax for Cdur  GABA_B receptor, kinetic, with G-protein activation of K+ channels.",
	} {
		if !strings.Contains("\n"+stdout, "\n"+want+"\n") {
			t.Errorf("the list lacks the line\n%s\nin\n%s", want, stdout)
		}
	}
	for _, name := range library.StockReceptors.Names() {
		src, _ := library.StockReceptors.Source(name)
		code, stdout, stderr := neurogen(t, nil, "receptors", name)
		if code != exitOK || stdout != string(src) || stderr != "" {
			t.Errorf("neurogen receptors %s: exit %d, stderr %q, stdout the file: %t", name, code, stderr, stdout == string(src))
		}
	}
	code, stdout, stderr = neurogen(t, nil, "receptors", "ExpCnd")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `unknown stock receptor "ExpCnd" (did you mean "ExpCond"?)`) {
		t.Errorf("neurogen receptors ExpCnd: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
