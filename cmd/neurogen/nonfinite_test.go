package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/modelrun"
)

// runawaySpec is a valid model whose V blows up in finite time: its inward current grows as
// exp(V − E), 10 mV/ms at rest, so V reaches infinity after about 0.1 ms.
const runawaySpec = `neurogen: 1
model: Runaway
doc: A membrane whose inward current grows as exp(V), so that V blows up in finite time.
membrane: {C: 1 uF/cm2, V_th: 0 mV, V_init: -65 mV}
channels:
  X:
    g_max: 1 mS/cm2
    E: -65 mV
    current: g_max * exp((V - E)/(1*mV)) * (10*mV)
`

// TestRunNonFinite: a run whose V blows up stops at the first check that sees it (here the
// record at 0.5 ms) with an error that names the group, the variable, the neuron and the time,
// exit status 1, and none of its files written: a file that was there is left as it was, and
// no temporary file is left beside it. A program of neurogen build says the same, with the exit
// status of an error for the user to read (3).
func TestRunNonFinite(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	spec := filepath.Join(dir, "runaway.yaml")
	writeFile(t, spec, runawaySpec)
	out := filepath.Join(dir, "out")
	spikes, rec, save := filepath.Join(out, "s.csv"), filepath.Join(out, "r.npz"), filepath.Join(out, "st.npz")
	writeFile(t, save, "an earlier state\n")
	noFiles := func(what string) {
		t.Helper()
		if b, err := os.ReadFile(save); err != nil || string(b) != "an earlier state\n" {
			t.Errorf("%s: the earlier -save file holds %q (%v), want it as it was", what, b, err)
		}
		ents, err := os.ReadDir(out)
		if err != nil || len(ents) != 1 {
			t.Errorf("%s: %s holds %d files (%v), want the earlier state only", what, out, len(ents), err)
		}
		for _, f := range []string{spikes, rec} {
			if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: %s exists (%v)", what, f, err)
			}
		}
	}
	args := []string{"-n", "3", "-t", "5ms", "-record", "V", "-every", "0.5ms", "-o", rec, "-spikes", spikes, "-save", save}
	// Every neuron's V is infinite (or NaN) by the record at 0.5 ms, the first check after
	// the initial state's.
	msg := `group "group": V of neuron 0 is (\+Inf|NaN) at t = 0\.5 ms \(step 20\), and 2 other values are not finite; every value was finite at t = 0 ms \(step 0\)` + "\n"
	code, stdout, stderr := neurogen(t, nil, append([]string{"run", spec, "-progress=false"}, args...)...)
	if want := regexp.MustCompile(`^neurogen run: ` + msg + `$`); code != exitError || stdout != "" || !want.MatchString(stderr) {
		t.Errorf("neurogen run of a model that blows up: exit %d, stdout %q, stderr\n%s\nwant exit %d, stderr matching %s", code, stdout, stderr, exitError, want)
	}
	noFiles("neurogen run")

	bin := filepath.Join(dir, "runaway")
	if code, stdout, stderr := neurogen(t, nil, "build", spec, "-o", bin); code != exitOK {
		t.Fatalf("neurogen build: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	cmd := exec.Command(bin, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if want := regexp.MustCompile(`^` + msg + `$`); !errors.As(err, &exit) || exit.ExitCode() != modelrun.ExitUser || o.Len() != 0 || !want.MatchString(e.String()) {
		t.Errorf("the built program: %v, stdout %q, stderr\n%s\nwant exit %d, stderr matching %s", err, o.String(), e.String(), modelrun.ExitUser, want)
	}
	noFiles("the built program")
}
