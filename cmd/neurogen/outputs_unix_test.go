//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// TestRunOutputs: -spikes, -o and -save write through symlinks (the links stay, their targets
// get the data, the temporary files of killed saves to them are removed), write /dev/null in
// place, and report a full device with exit status 1.
func TestRunOutputs(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	if err := os.Mkdir("data", 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"spikes.csv": "data/s.csv", "rec.csv": "data/r.csv", "end.state": "data/e.npz"} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	// The leftovers of killed saves: a process that is gone wrote them.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := strconv.Itoa(cmd.Process.Pid)
	for _, name := range []string{".s.csv.tmp-" + dead + "-1", ".e.npz.tmp-" + dead + "-2", ".r.csv.tmp-" + dead + "-3"} {
		writeFile(t, filepath.Join("data", name), "a killed save's")
	}
	writeFile(t, filepath.Join("data", "keep.tmp-"+dead+"-4"), "not a temporary file of an output") // not ours
	common := []string{"run", "hh52.yaml", "-n", "2", "-t", "20ms", "-set", "I_ext=10uA/cm2"}
	runOK(t, append(common, "-spikes", "spikes.csv", "-record", "V", "-o", "rec.csv", "-save", "end.state")...)
	for _, link := range []string{"spikes.csv", "rec.csv", "end.state"} {
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink (%v)", link, err)
		}
	}
	entries, err := os.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"e.npz", "keep.tmp-" + dead + "-4", "r.csv", "s.csv"}; !slices.Equal(names, want) {
		t.Errorf("data holds %v, want %v", names, want)
	}
	spikes, _ := os.ReadFile("data/s.csv")
	if lines := strings.Split(strings.TrimSpace(string(spikes)), "\n"); len(lines) < 3 || lines[0] != "neuron,time_ms" {
		t.Errorf("the spikes' target holds %q, want a header and the spikes of 20 ms at 10 uA/cm2", spikes)
	}
	if rec, _ := os.ReadFile("data/r.csv"); !strings.HasPrefix(string(rec), "t_ms,") {
		t.Errorf("the recording's target holds %.40q", rec)
	}
	if st, _ := os.ReadFile("data/e.npz"); !strings.HasPrefix(string(st), "PK") {
		t.Errorf("the state's target holds %.20q, not a zip", st)
	}

	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	runOK(t, append(common, "-spikes", "/dev/null", "-record", "V", "-o", "rec.csv")...)
	runOK(t, append(common, "-save", "/dev/null")...)
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device (%v)", err)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	for _, flag := range []string{"-spikes", "-save"} {
		code, _, stderr := neurogen(t, nil, append(common, flag, "/dev/full")...)
		if code != exitError || !strings.Contains(stderr, "/dev/full") || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("neurogen run %s /dev/full: exit %d, stderr %q; want 1 and no space left on device", flag, code, stderr)
		}
	}
}
