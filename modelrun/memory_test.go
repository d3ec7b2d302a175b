package modelrun_test

import (
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"

	ghh52 "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/modelrun"
)

// fakeMemory makes MemoryAvailable say bytes (known) for the rest of the test.
func fakeMemory(t *testing.T, bytes int64, known bool) {
	old := modelrun.MemoryAvailable
	modelrun.MemoryAvailable = func() (int64, bool) { return bytes, known }
	t.Cleanup(func() { modelrun.MemoryAvailable = old })
}

// TestMemoryEstimate: the estimate of a group's memory is at least what New allocates, and not
// more than twice that plus the program's bookkeeping.
func TestMemoryEstimate(t *testing.T) {
	const n = 200_000
	md := hh52.New(1).Model()
	plan := modelrun.PlanMemory(md, &modelrun.Config{N: n})
	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	g := ghh52.New(n)
	goruntime.ReadMemStats(&after)
	goruntime.KeepAlive(g)
	alloc := int64(after.TotalAlloc - before.TotalAlloc)
	perNeuron := plan.Bytes(2*n) - plan.Bytes(n) // the fixed part cancels
	if perNeuron*1 < alloc {
		t.Errorf("the estimate per %d neurons is %d bytes, less than the %d bytes New allocates", n, perNeuron, alloc)
	}
	// 8 bytes per float64 array (V, 3 gates, input, spike times), 1 for spiked, 44 for the
	// program's counts, intervals and spike monitor.
	if want := int64(n * (6*8 + 1 + 44)); perNeuron != want {
		t.Errorf("the estimate per %d neurons is %d bytes, want %d", n, perNeuron, want)
	}
	// A recording of every neuron adds runtime.MonitorBytes; one of some neurons is fixed.
	rec := modelrun.PlanMemory(md, &modelrun.Config{N: n, Steps: 99, Every: 10, Record: []string{"V", "Na.m"}})
	if got, want := rec.Bytes(n)-plan.Bytes(n), int64(8*n+10*8*(2*n+2)); got != want {
		t.Errorf("a recording of 2 variables of %d neurons, 10 records: %d bytes, want %d", n, got, want)
	}
	some := modelrun.PlanMemory(md, &modelrun.Config{N: n, Steps: 99, Every: 10, Record: []string{"V"}, Neurons: []int{1, 2}})
	if got, want := some.Bytes(2*n)-some.Bytes(n), perNeuron; got != want {
		t.Errorf("a recording of 2 neurons grows with n: %d bytes per %d neurons, want %d", got, n, want)
	}
}

// TestCheckMemory: a run that does not fit in the available memory is refused before anything
// is allocated, with the largest -n that fits; an unknown amount of memory checks nothing.
func TestCheckMemory(t *testing.T) {
	const avail = 1 << 30
	fakeMemory(t, avail, true)
	md := hh52.New(1).Model()
	plan := modelrun.PlanMemory(md, &modelrun.Config{})
	if err := plan.CheckMemory("-n", 1000); err != nil {
		t.Errorf("1000 neurons in 1 GiB: %v", err)
	}
	err := plan.CheckMemory("-n", 300_000_000)
	if err == nil {
		t.Fatal("300000000 neurons in 1 GiB: no error")
	}
	msg := err.Error()
	_, fits, ok := strings.Cut(msg, "at most -n ")
	k, _ := strconv.Atoi(strings.TrimSuffix(fits, " fits"))
	if !ok || !strings.HasPrefix(msg, "-n 300000000: the run needs about 26") || !strings.Contains(msg, "and only 1 GiB is available") {
		t.Fatalf("300000000 neurons in 1 GiB: %q", msg)
	}
	if plan.Bytes(k) > avail || plan.Bytes(k+1) <= avail {
		t.Errorf("the largest n that fits is said to be %d: %d and %d bytes for 1 GiB", k, plan.Bytes(k), plan.Bytes(k+1))
	}
	fakeMemory(t, 1<<20, true)
	if err := plan.CheckMemory("-n", 1); err == nil || !strings.Contains(err.Error(), "not even one neuron fits") {
		t.Errorf("one neuron in 1 MiB: %v", err)
	}
	fakeMemory(t, 0, false)
	if err := plan.CheckMemory("-n", 300_000_000); err != nil {
		t.Errorf("with the memory unknown: %v", err)
	}
}

// TestMainMemory: the built program refuses an -n that does not fit, with exit status 2, and
// so does a -config run (exit 3), before building the group.
func TestMainMemory(t *testing.T) {
	fakeMemory(t, 1<<30, true)
	code, out, errs := cli("-n", "300000000")
	if code != modelrun.ExitUsage || out != "" || !strings.HasPrefix(errs, "hh: -n 300000000: the run needs about ") || !strings.Contains(errs, "at most -n ") {
		t.Errorf("hh -n 300000000: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"n": 300000000, "dt_ms": 0.025, "steps": 10, "group": "group"}`), 0o666); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	code = hh52.Main("hh", []string{"-config", cfg}, &stdout, &stderr)
	if code != modelrun.ExitUser || !strings.HasPrefix(stderr.String(), "-n 300000000: the run needs about ") {
		t.Errorf("hh -config {n: 300000000}: exit %d, stderr %q", code, stderr.String())
	}
}
