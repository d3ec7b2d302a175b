//go:build unix

package runtime

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// write writes data to path through Create and Commit.
func writeOutput(t *testing.T, path, data string) error {
	t.Helper()
	f, err := CreateOutput(path)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte(data)); err != nil {
		f.Discard()
		return err
	}
	return f.Commit()
}

// names lists a directory.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRegular: a new file and a replaced one get the data, atomically: until Commit the old
// content stays, and the replaced file keeps its mode.
func TestOutputRegular(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := writeOutput(t, path, "one"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", fi.Mode())
	}
	os.Chmod(path, 0o600)
	f, err := CreateOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("two"))
	if got := readString(t, path); got != "one" {
		t.Errorf("before Commit the file holds %q, want the old %q", got, "one")
	}
	if !strings.HasPrefix(filepath.Base(f.Name()), ".out.csv.tmp-"+strconv.Itoa(os.Getpid())+"-") {
		t.Errorf("temporary file %s is not named .out.csv.tmp-PID-*", f.Name())
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "two" {
		t.Errorf("after Commit the file holds %q", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, want 0600", fi.Mode())
	}
	// Discard leaves the old file and no temporary file.
	f, _ = CreateOutput(path)
	f.Write([]byte("three"))
	f.Discard()
	if got := readString(t, path); got != "two" {
		t.Errorf("after Discard the file holds %q", got)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"out.csv"}) {
		t.Errorf("the directory holds %v", got)
	}
	// A stage that fails leaves the old file.
	f, _ = CreateOutput(path)
	f.Write([]byte("four"))
	f.fault = func(s string) error {
		if s == "rename" {
			return errors.New("injected")
		}
		return nil
	}
	if err := f.Commit(); err == nil || !strings.Contains(err.Error(), "rename ") {
		t.Errorf("a failing rename: %v", err)
	}
	if got := readString(t, path); got != "two" {
		t.Errorf("after a failed rename the file holds %q", got)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"out.csv"}) {
		t.Errorf("after a failed rename the directory holds %v", got)
	}
}

// TestClosedThenCommitted: a temporary file closed and then written by another writer (as the
// model program does for neurogen run) is committed with what that writer left.
func TestOutputClosedThenCommitted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spikes.csv")
	f, err := CreateOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Name(), []byte("by another"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "by another" {
		t.Errorf("the file holds %q", got)
	}
}

// TestSymlink: a symlink is written through, relative and chained links included; the links
// stay links, and the temporary file goes beside the target.
func TestOutputSymlink(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	target := filepath.Join(data, "real.csv")
	os.WriteFile(target, []byte("old"), 0o640)
	link := filepath.Join(dir, "link.csv")
	os.Symlink("data/real.csv", link)
	link2 := filepath.Join(dir, "link2.csv")
	os.Symlink(link, link2)
	for _, path := range []string{link, link2} {
		tg, err := ResolveOutput(path)
		if err != nil {
			t.Fatal(err)
		}
		if tg.File != target || tg.Special {
			t.Errorf("ResolveOutput(%s) = %+v, want File %s", path, tg, target)
		}
		if err := writeOutput(t, path, "via "+filepath.Base(path)); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink (%v)", path, err)
		}
		if got := readString(t, target); got != "via "+filepath.Base(path) {
			t.Errorf("after writing %s the target holds %q", path, got)
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
			t.Errorf("the target's mode became %v", fi.Mode())
		}
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"data", "link.csv", "link2.csv"}) {
		t.Errorf("the directory holds %v", got)
	}
	// A dangling link creates its target.
	dangling := filepath.Join(dir, "dangling.csv")
	os.Symlink("data/new.csv", dangling)
	if err := writeOutput(t, dangling, "new"); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(data, "new.csv")); got != "new" {
		t.Errorf("the dangling link's target holds %q", got)
	}
	// A loop and a directory are refused.
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if _, err := ResolveOutput(loop); err == nil || !strings.Contains(err.Error(), "too many levels of symbolic links") {
		t.Errorf("a symlink loop: %v", err)
	}
	if _, err := ResolveOutput(data); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
}

// TestDevice: /dev/null is written in place and stays a device; /dev/full reports "no space
// left on device"; a FIFO gets the data in place.
func TestOutputDevice(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	if err := writeOutput(t, "/dev/null", "nothing"); err != nil {
		t.Errorf("writing /dev/null: %v", err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := writeOutput(t, "/dev/full", "too much")
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("writing /dev/full: %v, want no space left on device", err)
		}
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := writeOutput(t, fifo, "through the pipe"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v", fi.Mode())
	}
}

// deadPID returns the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot run true:", err)
	}
	return cmd.Process.Pid
}

// TestLeftovers: the next write removes the temporary files of killed writes to the same file,
// and nothing else.
func TestOutputLeftovers(t *testing.T) {
	if !canTellProcesses {
		t.Skip("no process ids to tell")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.npz")
	dead := strconv.Itoa(deadPID(t))
	live := strconv.Itoa(os.Getppid())
	old := time.Now().Add(-2 * staleAge)
	files := map[string]bool{ // name: removed
		".state.npz.tmp-" + dead + "-123":  true,  // a killed write
		".state.npz.tmp-987654":            true,  // an old-form leftover, old (touched below)
		".state.npz.tmp-55555":             false, // an old-form one, recent: may be running
		".state.npz.tmp-" + live + "-456":  false, // a write still running
		".other.npz.tmp-" + dead + "-123":  false, // another file's
		".state.npz.tmp-" + dead + "-x":    false, // not our pattern
		".state.npz.tmp-" + dead + "-1.gz": false,
		"state.npz.tmp-" + dead + "-1":     false,
	}
	for name := range files {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	os.Chtimes(filepath.Join(dir, ".state.npz.tmp-987654"), old, old)
	if err := writeOutput(t, path, "state"); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", name, gone, removed)
		}
	}
	if got := readString(t, path); got != "state" {
		t.Errorf("the file holds %q", got)
	}
}

// TestOutputInPlace: a regular file whose directory does not let a temporary file be made, but
// which is itself writable, is written in place (the same file, truncated), not refused; one
// that is not writable either is refused.
func TestOutputInPlace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("the old content, longer than the new"), 0o640)
	before, _ := os.Stat(path)
	oldDir, oldFile := writableDir, writableFile
	defer func() { writableDir, writableFile = oldDir, oldFile }()
	writableDir = func(d string) bool { return d != dir }
	tg, err := ResolveOutput(path)
	if err != nil || !tg.InPlace || tg.Special {
		t.Fatalf("ResolveOutput = %+v, %v; want InPlace", tg, err)
	}
	if err := writeOutput(t, path, "new"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if got := readString(t, path); got != "new" || !os.SameFile(before, after) || after.Mode().Perm() != 0o640 {
		t.Errorf("in place: %q, same file %v, mode %v", got, os.SameFile(before, after), after.Mode())
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"out.csv"}) {
		t.Errorf("the directory holds %v", got)
	}
	// A file that cannot be written either: the temporary file's error names the file.
	writableFile = func(string) bool { return false }
	if tg, _ := ResolveOutput(path); tg.InPlace {
		t.Error("an unwritable file in an unwritable directory is InPlace")
	}
	// Without the pretence, a real read-only directory (unless root, whom nothing stops).
	writableDir, writableFile = oldDir, oldFile
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o755)
		p := filepath.Join(ro, "f.csv")
		os.WriteFile(p, []byte("old"), 0o644)
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
		if err := writeOutput(t, p, "new"); err != nil || readString(t, p) != "new" {
			t.Errorf("a writable file in a read-only directory: %v", err)
		}
		if err := writeOutput(t, filepath.Join(ro, "g.csv"), "x"); err == nil || !strings.Contains(err.Error(), "create "+filepath.Join(ro, "g.csv")+": permission denied") {
			t.Errorf("a new file in a read-only directory: %v", err)
		}
	}
}
