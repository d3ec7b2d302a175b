package main

import (
	"path/filepath"
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
	code, stdout, stderr := neurogen(t, nil, "check", hh52(t))
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("neurogen check hh52.yaml: exit %d, stdout %q, stderr %q; want 0 and no output", code, stdout, stderr)
	}
	code, stdout, stderr = neurogen(t, nil, "check", "-v", hh52(t))
	if want := hh52(t) + ": ok\n"; code != exitOK || stdout != want || stderr != "" {
		t.Errorf("neurogen check -v hh52.yaml: exit %d, stdout %q, stderr %q; want 0 and stdout %q", code, stdout, stderr, want)
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

	// Several specs: every error of every spec, valid ones silent, in command-line order.
	code, stdout, stderr = neurogen(t, nil, "check", "sub/bad.yaml", hh52(t), "leaky.yaml", "missing.yaml")
	want = "sub/bad.yaml:4:1: `channels` is empty\n" + // `chanels` is read as `channels`

		"sub/bad.yaml:4:1: unknown field `chanels` (did you mean `channels`?)\n" +
		want +
		"neurogen check: open missing.yaml: no such file or directory\n"
	if code != exitError || stdout != "" || stderr != want {
		t.Errorf("neurogen check (several): exit %d, stdout %q, stderr:\n%s\nwant exit 1, stderr:\n%s", code, stdout, stderr, want)
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
