package modelrun_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	ghh52 "github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

// twoGroups is a network of two unconnected HH52 groups at dt 0.025 ms: a, 3 neurons driven at
// 10, 15 and 20 uA/cm2 (they spike), and b, 2 neurons without input (they do not).
func twoGroups(uint64) (*runtime.Sim, error) {
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		return nil, err
	}
	a, b := ghh52.New(3), ghh52.New(2)
	for i := range a.Input() {
		a.Input()[i] = 10 + 5*float64(i)
	}
	if err := sim.Add("a", a); err != nil {
		return nil, err
	}
	return sim, sim.Add("b", b)
}

var twoNet = &modelrun.NetworkProgram{Name: "Two", DT: 0.025, New: twoGroups}

func netCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := twoNet.Main("two", args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestNetworkProgramOneGroup: the summary of a network of one group says so.
func TestNetworkProgramOneGroup(t *testing.T) {
	t.Chdir(t.TempDir())
	one := &modelrun.NetworkProgram{Name: "One", DT: 0.025, New: func(uint64) (*runtime.Sim, error) {
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			return nil, err
		}
		return sim, sim.Add("a", ghh52.New(3))
	}}
	var stdout, stderr bytes.Buffer
	if code := one.Main("one", []string{"-t", "1ms"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "One: 3 neurons in 1 group, 1 ms in 40 steps of 0.025 ms") {
		t.Errorf("exit %d, stderr %q; the summary starts %q", code, stderr.String(), stdout.String())
	}
}

// The program's spikes, recording and summary are those of the same run made from Go.
func TestNetworkProgram(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := netCLI("-t", "50ms", "-workers", "2", "-spikes", "s.csv", "-record", "a.V,b.V", "-neurons", "a:1-2", "-every", "0.5ms", "-o", "r.npz", "-progress", "0.001ms")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// -progress: reports of whole chunks of steps, increasing, before the end; nothing else.
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	last := int64(0)
	for _, l := range lines {
		var done, ns int64
		if _, err := fmt.Sscanf(l, "neurogen-progress: %d %d", &done, &ns); err != nil || done <= last || done >= 2000 || done%10 != 0 || ns <= 0 {
			t.Fatalf("stderr line %q (after %d steps): want neurogen-progress: STEPS NANOSECONDS, increasing", l, last)
		}
		last = done
	}
	if len(lines) < 10 {
		t.Errorf("%d progress reports for 2000 steps every microsecond; want many", len(lines))
	}
	// The same run from Go.
	sim, err := twoGroups(0)
	if err != nil {
		t.Fatal(err)
	}
	var spA, spB runtime.Spikes
	var v1at10 float64 // a.V of neuron 1 at 10 ms
	for k := range 2000 {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		spA.Collect(sim.Group("a"))
		spB.Collect(sim.Group("b"))
		if k == 399 {
			v1at10 = sim.Group("a").(*ghh52.Group).V[1]
		}
	}
	if spA.Len() < 6 || spB.Len() != 0 {
		t.Fatalf("the run from Go: %d spikes in a, %d in b; want a's neurons spiking, b's not", spA.Len(), spB.Len())
	}
	var want bytes.Buffer
	if err := spikestats.WriteCSV(&want, []spikestats.Group{{Name: "a", Neurons: 3, Spikes: spA}, {Name: "b", Neurons: 2, Spikes: spB}}); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile("s.csv"); err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("s.csv (%v):\n%s\nwant\n%s", err, got, want.Bytes())
	}
	rec := readNPZ(t, "r.npz")
	if v := rec["a.V"]; len(v.Shape) != 2 || v.Shape[0] != 101 || v.Shape[1] != 2 || v.F64[20*2+0] != v1at10 {
		t.Errorf("a.V: shape %v, neuron 1 at 10 ms %v; want [101 2] and %v", v.Shape, v.F64[40], v1at10)
	}
	if n := rec["b.neurons"]; len(n.I64) != 2 {
		t.Errorf("b.neurons %v: want its 2 neurons (the first 10 by default)", n.I64)
	}
	sa, _ := spikestats.Summarize(spikestats.Group{Name: "a", Neurons: 3, Spikes: spA}, spikestats.Options{End: 50})
	for _, line := range []string{
		"Two: 5 neurons in 2 groups, 50 ms in 2000 steps of 0.025 ms, 2 worker(s)",
		fmt.Sprintf("a        3  %6d       3  %9.3f", spA.Len(), sa.Rate),
		"wrote s.csv", "wrote r.npz",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the summary lacks %q:\n%s", line, out)
		}
	}
	// -spikes FILE.npz, and a second -spikes: the same spikes in each.
	if code, _, errs := netCLI("-t", "50ms", "-spikes", "s.npz", "-spikes", "t.csv"); code != 0 {
		t.Fatalf("-spikes s.npz: exit %d: %s", code, errs)
	}
	if got, err := os.ReadFile("t.csv"); err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("t.csv (%v):\n%s\nwant\n%s", err, got, want.Bytes())
	}
	sp := readNPZ(t, "s.npz")
	if got := sp["a.spike_time"].F64; len(got) != spA.Len() || got[len(got)-1] != spA.Time[spA.Len()-1] {
		t.Errorf("s.npz: a.spike_time %v, want %v", got, spA.Time)
	}
}

func TestNetworkProgramErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-record", "a.V"}, "-record needs -o FILE.npz"},
		{[]string{"-record", "V", "-o", "r.npz"}, `"V": want GROUP.VAR`},
		{[]string{"-record", "c.V", "-o", "r.npz"}, `-record c.V: no group "c"; the groups are a, b`},
		{[]string{"-record", "a.W", "-o", "r.npz"}, "-record: group a:"},
		{[]string{"-record", "a.V", "-neurons", "a:3", "-o", "r.npz"}, `"3" is not a neuron index or range below 3`},
		{[]string{"-record", "a.V", "-neurons", "b:0-1", "-o", "r.npz"}, "-neurons b:0-1: no variable of group b is recorded: name one with -record, such as -record b.V"},
		{[]string{"-t", "10.01ms"}, "-t 10.01 ms is not a whole number of steps of 0.025 ms"},
		{[]string{"-t", "10"}, "missing time unit"},
		{[]string{"-workers", "0"}, "-workers 0"},
		{[]string{"-spikes", "s.txt"}, "FILE.csv or FILE.npz"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		code, _, errs := netCLI(c.args...)
		if code != modelrun.ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", c.args, code, errs, modelrun.ExitUsage, c.want)
		}
	}
	if _, err := os.Stat("r.npz"); err == nil {
		t.Error("a failed run wrote r.npz")
	}
}
