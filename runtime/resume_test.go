package runtime_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestResumeInFreshProcess builds testdata/resume, a program that runs HH52 and TraubMiles
// neurons in one Sim coupled through delayed spikes with a delay per synapse, and checks that a
// run of 2T steps and a run of T steps, saved, loaded by a fresh process and run T steps more,
// end in the same state file, byte for byte (synaptic conductances of the user's included), with
// the same spikes and the same monitor records, while delayed spikes were in flight at the save.
func TestResumeInFreshProcess(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := gomodtest.TempModule(t, "example.com/resume")
	src, err := os.ReadFile(filepath.Join("testdata", "resume", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), src)
	bin := filepath.Join(dir, "resume")
	gomodtest.Run(t, dir, nil, "build", "-o", bin, ".")
	const T = 2000 // 50 ms
	out := t.TempDir()
	file := func(name string) string { return filepath.Join(out, name) }
	report := regexp.MustCompile(`^step (\d+) pending (\d+) spikes (\d+)\n$`)
	run := func(args ...string) (step, pending, spikes int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("resume %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		m := report.FindStringSubmatch(stdout.String())
		if m == nil {
			t.Fatalf("resume %s printed %q", strings.Join(args, " "), stdout.String())
		}
		step, _ = strconv.Atoi(m[1])
		pending, _ = strconv.Atoi(m[2])
		spikes, _ = strconv.Atoi(m[3])
		return step, pending, spikes
	}
	steps := strconv.Itoa(T)
	run("-steps", strconv.Itoa(2*T), "-save", file("straight.npz"), "-spikes", file("straight.csv"), "-record", file("straight.rec"))
	step, pending, first := run("-steps", steps, "-save", file("half.npz"), "-spikes", file("first.csv"), "-record", file("first.rec"))
	if step != T || pending == 0 || first == 0 {
		t.Fatalf("at the save: step %d, %d delayed spikes in flight, %d spikes so far; want step %d and some of each", step, pending, first, T)
	}
	t.Logf("at step %d: %d spikes, %d delayed spikes in flight", T, first, pending)
	step, _, second := run("-load", file("half.npz"), "-steps", steps, "-save", file("resumed.npz"), "-spikes", file("second.csv"), "-record", file("second.rec"))
	if step != 2*T || second == 0 {
		t.Fatalf("after the resumed run: step %d, %d spikes", step, second)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(file(name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	straight, resumed := read("straight.npz"), read("resumed.npz")
	if !bytes.Equal(straight, resumed) {
		a := parseState(t, straight)
		b := parseState(t, resumed)
		for i := range a.arrays {
			x, y := &a.arrays[i], b.array(a.arrays[i].Name)
			if y == nil || !bytes.Equal(dataBytes(x), dataBytes(y)) || (x.Str != nil) != (y.Str != nil) || x.Str != nil && *x.Str != *y.Str {
				t.Errorf("array %s differs between the straight and the resumed run", x.Name)
			}
		}
		t.Fatal("the final state files differ")
	}
	spikes := string(read("first.csv")) + strings.TrimPrefix(string(read("second.csv")), "group,neuron,step,time_ms\n")
	if want := string(read("straight.csv")); spikes != want {
		t.Errorf("the spikes of the two halves differ from the straight run's:\n%s\nwant\n%s", spikes, want)
	}
	// The monitors' records: the halves' records, one after the other, are the straight run's.
	straightRec, firstRec, secondRec := parseNPZ(t, read("straight.rec")), parseNPZ(t, read("first.rec")), parseNPZ(t, read("second.rec"))
	for _, name := range []string{"exc.t", "exc.V", "exc.Na.m", "exc.K.I", "exc.I_ext", "inh.t", "inh.V", "inh.K.n", "inh.Na.I"} {
		a, b, whole := firstRec[name], secondRec[name], straightRec[name]
		if a == nil || b == nil || whole == nil {
			t.Fatalf("record %s is missing", name)
		}
		if len(a.F64) == 0 || len(b.F64) == 0 || !bytes.Equal(dataBytes(whole), append(dataBytes(a), dataBytes(b)...)) {
			t.Errorf("records of %s: the straight run's (%d values) are not the halves' (%d and %d values)", name, len(whole.F64), len(a.F64), len(b.F64))
		}
	}
	for _, name := range []string{"exc.step", "inh.step"} {
		if whole, a, b := straightRec[name].I64, firstRec[name].I64, secondRec[name].I64; !slices.Equal(whole, append(slices.Clone(a), b...)) {
			t.Errorf("the step indices %s of the halves are not the straight run's", name)
		}
	}
}

// parseNPZ reads an NPZ file in memory into a map by array name.
func parseNPZ(t *testing.T, data []byte) map[string]*runtime.Array {
	t.Helper()
	arrays, err := runtime.ReadNPZ(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*runtime.Array{}
	for i := range arrays {
		out[arrays[i].Name] = &arrays[i]
	}
	return out
}
