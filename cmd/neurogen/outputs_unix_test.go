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

// TestRunOutputsSameFile: two outputs that name one file through a symlink are refused like
// two spellings of one path; two writes to /dev/null are not.
func TestRunOutputsSameFile(t *testing.T) {
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	if err := os.Symlink("x.csv", "link.csv"); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := neurogen(t, nil, "run", "hh52.yaml", "-record", "V", "-o", "x.csv", "-spikes", "link.csv")
	if want := "neurogen run: -o x.csv and -spikes link.csv name the same file\n"; code != exitUsage || !strings.HasPrefix(stderr, want) {
		t.Errorf("-o x.csv -spikes link.csv: exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
	if !samePath("link.csv", "x.csv") || samePath("/dev/null", "/dev/null") || samePath("x.csv", "y.csv") {
		t.Error("samePath does not follow symlinks, or takes two writes to /dev/null for a clash")
	}
}

// TestBuildOutputs: neurogen build -o writes through a symlink (the target becomes the
// executable program, the link stays) and never replaces /dev/null.
func TestBuildOutputs(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	if err := os.Mkdir("bin", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("bin/hh", "hh"); err != nil {
		t.Fatal(err)
	}
	runOK(t, "build", "hh52.yaml", "-o", "hh")
	if fi, err := os.Lstat("hh"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("hh is no longer a symlink (%v)", err)
	}
	fi, err := os.Stat("bin/hh")
	if err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("the link's target is not an executable program: %v %v", fi, err)
	}
	out, err := exec.Command("./hh", "-n", "1", "-t", "1ms").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "HH52") {
		t.Errorf("./hh: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir("bin"); len(entries) != 1 {
		t.Errorf("bin holds %d files, want the program alone", len(entries))
	}
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	runOK(t, "build", "hh52.yaml", "-o", "/dev/null")
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device (%v)", err)
	}
}

// TestPendingFileDiscard: discarding a pending output removes its temporary file and the one a
// killed model program left while writing it, and nothing else.
func TestPendingFileDiscard(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, "spikes.csv", "the previous run's")
	p, err := newPendingFile("spikes.csv")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	// The program writes p.tmp through .TMP.tmp-PID-RANDOM; killed, it leaves that behind.
	writeFile(t, "."+filepath.Base(p.tmp)+".tmp-"+strconv.Itoa(cmd.Process.Pid)+"-7", "half")
	p.discard()
	entries, _ := os.ReadDir(".")
	if len(entries) != 1 || entries[0].Name() != "spikes.csv" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after discard the directory holds %v, want spikes.csv alone", names)
	}
	if b, _ := os.ReadFile("spikes.csv"); string(b) != "the previous run's" {
		t.Errorf("spikes.csv holds %q", b)
	}
}
