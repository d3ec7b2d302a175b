//go:build unix

package runtime_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSaveOutputs: Save writes through a symlink (the link stays, its target gets the state),
// writes /dev/null in place (it stays a device), and reports a full device.
func TestSaveOutputs(t *testing.T) {
	n := newNetwork(t)
	n.run(50)
	dir := t.TempDir()
	target := filepath.Join(dir, "real.npz")
	link := filepath.Join(dir, "link.npz")
	if err := os.Symlink("real.npz", link); err != nil {
		t.Fatal(err)
	}
	if err := n.sim.Save(link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("Save replaced the symlink: %v", err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, stateBytes(t, n.sim)) {
		t.Error("the symlink's target does not hold the state")
	}
	if names := dirFiles(t, dir); !slices.Equal(names, []string{"link.npz", "real.npz"}) {
		t.Errorf("the directory holds %v", names)
	}
	if err := n.sim.Save("/dev/null"); err != nil {
		t.Errorf("Save to /dev/null: %v", err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device (%v)", err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := n.sim.Save("/dev/full")
		if err == nil || !strings.Contains(err.Error(), "save state to /dev/full: writing /dev/full: ") || !strings.Contains(err.Error(), "no space left on device") {
			t.Errorf("Save to /dev/full: %v", err)
		}
	}
}
