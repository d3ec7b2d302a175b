package main

import (
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/modelrun"
)

// TestRunMemory: neurogen run refuses an -n that does not fit in the available memory (here a
// pretended 1 GiB) before it builds anything, with the largest -n that fits; a recording
// counts too.
func TestRunMemory(t *testing.T) {
	old := modelrun.MemoryAvailable
	modelrun.MemoryAvailable = func() (int64, bool) { return 1 << 30, true }
	defer func() { modelrun.MemoryAvailable = old }()
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	builds := progbuild.Builds()
	code, stdout, stderr := neurogen(t, nil, "run", "hh52.yaml", "-n", "300000000")
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "neurogen run: -n 300000000: the run needs about 26") ||
		!strings.Contains(stderr, "and only 1 GiB is available: at most -n 1") {
		t.Errorf("neurogen run -n 300000000: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Without a recording 10 million neurons fit in 1 GiB; recording V at every one of 400
	// steps does not (the -max-memory limit is lifted so that only memory speaks).
	code, _, stderr = neurogen(t, nil, "run", "hh52.yaml", "-n", "10000000", "-t", "10ms", "-record", "V", "-neurons", "all", "-o", "r.npz", "-max-memory", "none", "-spikes", "nodir/s.csv")
	if code != exitUsage || !strings.Contains(stderr, "-n 10000000: the run needs about ") {
		t.Errorf("neurogen run -n 10000000 -record V: exit %d, stderr %q", code, stderr)
	}
	if n := progbuild.Builds() - builds; n != 0 {
		t.Errorf("%d programs were built", n)
	}
}
