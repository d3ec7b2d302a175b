package runtime_test

import (
	"math"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// newHHSim returns a Sim of dt 0.025 ms with group "hh": n HH52 neurons driven by 0 … 20
// uA/cm2, most of which spike every 15 ms or so.
func newHHSim(t testing.TB, n int) (*runtime.Sim, *hh52.Group) {
	t.Helper()
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	g := hh52.New(n)
	for i := range n {
		g.Input()[i] = 20 * float64(i) / float64(max(1, n-1))
	}
	if err := sim.Add("hh", g); err != nil {
		t.Fatal(err)
	}
	return sim, g
}

// event is a spike of neuron i at step k: emitted (k is the step that produced it) or read
// from a delay line (k is the step at whose start it was read).
type event struct{ k, i int }

// TestSpikeDelaySemantics: a spike emitted at step s is read at exactly step s+d, with one
// delay for all neurons, a delay per neuron and an index set, and never before the line has
// history.
func TestSpikeDelaySemantics(t *testing.T) {
	const n, steps = 6, 3000 // 75 ms
	sim, g := newHHSim(t, n)
	line, err := sim.NewSpikeDelay("hh", 2) // 80 steps
	if err != nil {
		t.Fatal(err)
	}
	if line.MaxSteps() != 80 || line.Len() != n || line.Name() != "hh.spiked" {
		t.Fatalf("line of %d steps over %d neurons named %s, want 80, %d, hh.spiked", line.MaxSteps(), line.Len(), line.Name(), n)
	}
	homogeneous := []int{1, 2, 37, 80}
	each := []int32{1, 80, 7, 40, 2, 63}
	idx := []int32{5, 0, 3, 3, 1}
	idxEach := []int32{80, 1, 12, 13, 40}
	var emitted []event
	read := map[int][]event{} // by homogeneous delay
	var readEach, readIndex, readIndexEach []event
	dst := make([]bool, n)
	dstIdx := make([]bool, len(idx))
	for k := range steps {
		if line.Pushes() != int64(k) {
			t.Fatalf("step %d: %d pushes", k, line.Pushes())
		}
		for _, d := range homogeneous {
			for i, s := range line.Row(d) {
				if s != line.At(i, d) {
					t.Fatalf("step %d: Row(%d)[%d] = %v, At(%d, %d) = %v", k, d, i, s, i, d, !s)
				}
				if s {
					read[d] = append(read[d], event{k, i})
				}
			}
		}
		line.ReadEach(each, dst)
		for i, s := range dst {
			if s {
				readEach = append(readEach, event{k, i})
			}
		}
		line.ReadIndex(idx, 37, dstIdx)
		for j, s := range dstIdx {
			if s {
				readIndex = append(readIndex, event{k, j})
			}
		}
		line.ReadIndexEach(idx, idxEach, dstIdx)
		for j, s := range dstIdx {
			if s {
				readIndexEach = append(readIndexEach, event{k, j})
			}
		}
		sim.Step()
		for i, s := range g.Spiked() {
			if s {
				emitted = append(emitted, event{k, i})
			}
		}
	}
	if len(emitted) < 10 {
		t.Fatalf("only %d spikes in %d steps", len(emitted), steps)
	}
	// expect returns the reads that the emitted spikes make: each spike of neuron i at step s
	// is read at step s+d, for those s+d inside the run.
	expect := func(delay func(i int) (int, bool)) []event {
		var out []event
		for _, e := range emitted {
			if d, ok := delay(e.i); ok && e.k+d < steps {
				out = append(out, event{e.k + d, e.i})
			}
		}
		slices.SortFunc(out, func(a, b event) int { return (a.k-b.k)*1000 + a.i - b.i })
		return out
	}
	for _, d := range homogeneous {
		if want := expect(func(int) (int, bool) { return d, true }); !slices.Equal(read[d], want) {
			t.Errorf("Row(%d): spikes read at %v, want %v", d, read[d], want)
		}
	}
	if want := expect(func(i int) (int, bool) { return int(each[i]), true }); !slices.Equal(readEach, want) {
		t.Errorf("ReadEach(%v): spikes read at %v, want %v", each, readEach, want)
	}
	// For an index set, element j reads neuron idx[j].
	for _, c := range []struct {
		name string
		got  []event
		d    func(j int) int
	}{
		{"ReadIndex", readIndex, func(int) int { return 37 }},
		{"ReadIndexEach", readIndexEach, func(j int) int { return int(idxEach[j]) }},
	} {
		var want []event
		for k := range steps {
			for j, i := range idx {
				if slices.Contains(emitted, event{k - c.d(j), int(i)}) {
					want = append(want, event{k, j})
				}
			}
		}
		if !slices.Equal(c.got, want) {
			t.Errorf("%s: spikes read at %v, want %v", c.name, c.got, want)
		}
		if len(want) == 0 {
			t.Errorf("%s: no spikes read", c.name)
		}
	}
}

// TestDelayValues: V (and a gate) read with delay d at the start of step k is what step k−d
// left, recorded by hand; before the line has that step, the line's initial value.
func TestDelayValues(t *testing.T) {
	const n, steps, init = 5, 1200, -99.5
	sim, g := newHHSim(t, n)
	lineV, err := sim.NewDelay("hh", "V", 1, init) // 40 steps
	if err != nil {
		t.Fatal(err)
	}
	lineM, err := sim.NewDelay("hh", "Na.m", 0.5, 0.25) // 20 steps
	if err != nil {
		t.Fatal(err)
	}
	if lineV.MaxSteps() != 40 || lineM.MaxSteps() != 20 || lineV.Init() != init || lineV.Name() != "hh.V" {
		t.Fatalf("lines of %d and %d steps, init %g, name %s", lineV.MaxSteps(), lineM.MaxSteps(), lineV.Init(), lineV.Name())
	}
	var histV, histM [][]float64 // after each step
	// want returns what a line with history hist and initial value init holds for neuron i,
	// d steps before step k.
	want := func(hist [][]float64, init float64, k, i, d int) float64 {
		if k-d < 0 {
			return init
		}
		return hist[k-d][i]
	}
	each := []int32{1, 40, 3, 17, 40}
	idx := []int32{4, 4, 0, 2}
	idxEach := []int32{2, 39, 40, 1}
	dst := make([]float64, n)
	dstIdx := make([]float64, len(idx))
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	for k := range steps {
		for _, d := range []int{1, 2, 20, 39, 40} {
			row := lineV.Row(d)
			for i := range n {
				if w := want(histV, init, k, i, d); !same(row[i], w) || !same(lineV.At(i, d), w) {
					t.Fatalf("step %d: V of neuron %d %d steps ago is %g (At %g), want %g", k, i, d, row[i], lineV.At(i, d), w)
				}
			}
		}
		if k > 0 && !slices.Equal(lineV.Row(1), g.V) {
			t.Fatalf("step %d: V 1 step ago is %v, V now %v", k, lineV.Row(1), g.V)
		}
		for d := 1; d <= 20; d++ {
			for i, v := range lineM.Row(d) {
				if w := want(histM, 0.25, k, i, d); !same(v, w) {
					t.Fatalf("step %d: Na.m of neuron %d %d steps ago is %g, want %g", k, i, d, v, w)
				}
			}
		}
		lineV.ReadEach(each, dst)
		for i, v := range dst {
			if w := want(histV, init, k, i, int(each[i])); !same(v, w) {
				t.Fatalf("step %d: ReadEach: neuron %d, %d steps ago: %g, want %g", k, i, each[i], v, w)
			}
		}
		lineV.ReadIndex(idx, 7, dstIdx)
		for j, v := range dstIdx {
			if w := want(histV, init, k, int(idx[j]), 7); !same(v, w) {
				t.Fatalf("step %d: ReadIndex: element %d (neuron %d): %g, want %g", k, j, idx[j], v, w)
			}
		}
		lineV.ReadIndexEach(idx, idxEach, dstIdx)
		for j, v := range dstIdx {
			if w := want(histV, init, k, int(idx[j]), int(idxEach[j])); !same(v, w) {
				t.Fatalf("step %d: ReadIndexEach: element %d (neuron %d, %d steps): %g, want %g", k, j, idx[j], idxEach[j], v, w)
			}
		}
		sim.Step()
		histV = append(histV, slices.Clone(g.V))
		histM = append(histM, slices.Clone(g.NaM))
	}
	// The line really saw spikes' voltages, not only rest.
	if top := slices.Max(slices.Concat(histV...)); top < 20 {
		t.Errorf("V never rose above %g mV", top)
	}
}

// TestDelayLateAndReset: a line made during a run has no history from before it was made, and
// Reset empties it.
func TestDelayLateAndReset(t *testing.T) {
	sim, g := newHHSim(t, 3)
	sim.Run(100)
	line, err := sim.NewDelay("hh", "V", 0.1, 7) // 4 steps
	if err != nil {
		t.Fatal(err)
	}
	spikes, err := sim.NewSpikeDelay("hh", 0.1)
	if err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 4; d++ {
		if !slices.Equal(line.Row(d), []float64{7, 7, 7}) || slices.Contains(spikes.Row(d), true) {
			t.Fatalf("a new line holds %v, %v %d steps ago", line.Row(d), spikes.Row(d), d)
		}
	}
	sim.Step()
	if line.Pushes() != 1 || !slices.Equal(line.Row(1), g.V) || !slices.Equal(line.Row(2), []float64{7, 7, 7}) {
		t.Fatalf("after a step: %d pushes, %v and %v, want 1, %v and 7s", line.Pushes(), line.Row(1), line.Row(2), g.V)
	}
	sim.Run(500)
	sim.Reset()
	if sim.Clock().Step != 0 || line.Pushes() != 0 || spikes.Pushes() != 0 {
		t.Fatalf("after Reset: clock at %d, %d and %d pushes", sim.Clock().Step, line.Pushes(), spikes.Pushes())
	}
	for d := 1; d <= 4; d++ {
		if !slices.Equal(line.Row(d), []float64{7, 7, 7}) || slices.Contains(spikes.Row(d), true) {
			t.Fatalf("after Reset the line holds %v, %v %d steps ago", line.Row(d), spikes.Row(d), d)
		}
	}
}

// TestDelaySteps checks Steps, StepsNearest and their errors, message by message.
func TestDelaySteps(t *testing.T) {
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("hh", hh52.New(2)); err != nil {
		t.Fatal(err)
	}
	line, err := sim.NewDelay("hh", "V", 5, 0) // 50 steps
	if err != nil {
		t.Fatal(err)
	}
	spikes, err := sim.NewSpikeDelay("hh", 5)
	if err != nil {
		t.Fatal(err)
	}
	if line.MaxSteps() != 50 || line.MaxDelay() != 5 {
		t.Fatalf("a line of 5 ms at 0.1 ms holds %d steps, %g ms", line.MaxSteps(), line.MaxDelay())
	}
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		delay   float64
		steps   int
		nearest int
		err     string // of Steps
		errNear string // of StepsNearest, when not err
	}{
		{delay: 0.1, steps: 1, nearest: 1},
		{delay: 0.3, steps: 3, nearest: 3}, // 0.3/0.1 = 2.9999999999999996
		{delay: 5, steps: 50, nearest: 50},
		{delay: 5 * (1 + 1e-10), steps: 50, nearest: 50},
		{delay: 0.1 * (1 - 1e-10), steps: 1, nearest: 1},
		{delay: 0.25, nearest: 3, err: "delay 0.25 ms is not a whole number of steps of 0.1 ms"},
		{delay: 0.15, nearest: 2, err: "delay 0.15 ms is not a whole number of steps of 0.1 ms"},
		{delay: 0.14, nearest: 1, err: "delay 0.14 ms is not a whole number of steps of 0.1 ms"},
		{delay: 5.04, nearest: 50, err: "delay 5.04 ms is longer than the line's maximum of 5 ms (50 steps of 0.1 ms)"},
		{delay: 0.05, nearest: 1, err: "delay 0.05 ms is shorter than one step of 0.1 ms"},
		{delay: 0.04, err: "delay 0.04 ms is shorter than one step of 0.1 ms",
			errNear: "delay 0.04 ms rounds to 0 steps of 0.1 ms: the shortest delay is one step"},
		{delay: 5.06, err: "delay 5.06 ms is longer than the line's maximum of 5 ms (50 steps of 0.1 ms)",
			errNear: "delay 5.06 ms rounds to 51 steps of 0.1 ms, longer than the line's maximum of 5 ms (50 steps)"},
		{delay: 6, err: "delay 6 ms is longer than the line's maximum of 5 ms (50 steps of 0.1 ms)",
			errNear: "delay 6 ms rounds to 60 steps of 0.1 ms, longer than the line's maximum of 5 ms (50 steps)"},
		{delay: 0, err: "delay 0 ms is zero: the shortest delay is one step of 0.1 ms"},
		{delay: -0.1, err: "delay -0.1 ms is negative"},
		{delay: -1e-300, err: "delay -1e-300 ms is negative"},
		{delay: nan, err: "delay NaN ms is not a finite number"},
		{delay: inf, err: "delay +Inf ms is not a finite number"},
		{delay: -inf, err: "delay -Inf ms is not a finite number"},
	} {
		for _, l := range []interface {
			Steps(float64) (int, error)
			StepsNearest(float64) (int, error)
		}{line, spikes} {
			n, err := l.Steps(c.delay)
			if c.err == "" && (err != nil || n != c.steps) || c.err != "" && (err == nil || err.Error() != c.err) {
				t.Errorf("Steps(%g) = %d, %v; want %d, %q", c.delay, n, err, c.steps, c.err)
			}
			wantErr := c.errNear
			if c.nearest == 0 && wantErr == "" {
				wantErr = c.err
			}
			n, err = l.StepsNearest(c.delay)
			if wantErr == "" && (err != nil || n != c.nearest) || wantErr != "" && (err == nil || err.Error() != wantErr) {
				t.Errorf("StepsNearest(%g) = %d, %v; want %d, %q", c.delay, n, err, c.nearest, wantErr)
			}
		}
	}
}

// TestNewDelayErrors checks the errors of NewDelay and NewSpikeDelay, and the rounding up of
// the maximum delay.
func TestNewDelayErrors(t *testing.T) {
	sim, _ := newHHSim(t, 2) // dt 0.025 ms
	l, err := sim.NewDelay("hh", "K.n", 0.06, 0)
	if err != nil || l.MaxSteps() != 3 {
		t.Fatalf("a line of 0.06 ms at 0.025 ms: %v, %d steps; want 3 (rounded up)", err, l.MaxSteps())
	}
	l, err = sim.NewDelay("hh", "Na.h", 0.075, 0) // 0.075/0.025 = 2.9999999999999996
	if err != nil || l.MaxSteps() != 3 {
		t.Fatalf("a line of 0.075 ms at 0.025 ms: %v, %d steps; want 3", err, l.MaxSteps())
	}
	l, err = sim.NewDelay("hh", "Na.m", 0.001, 0)
	if err != nil || l.MaxSteps() != 1 {
		t.Fatalf("a line of 0.001 ms at 0.025 ms: %v, %d steps; want 1 (rounded up)", err, l.MaxSteps())
	}
	for _, c := range []struct {
		group, variable string
		max, init       float64
		err             string
	}{
		{"ex", "V", 1, 0, "delay line ex.V: no group ex in the sim"},
		{"hh", "W", 1, 0, "delay line hh.W: group hh (model HH52) has no per-neuron variable W"},
		{"hh", "V", 1, math.NaN(), "delay line hh.V: initial value NaN is not a finite number"},
		{"hh", "V", 0, 0, "delay line hh.V: maximum delay 0 ms is not positive and finite"},
		{"hh", "V", math.Inf(1), 0, "delay line hh.V: maximum delay +Inf ms is not positive and finite"},
		{"hh", "V", 1e12, 0, "delay line hh.V: maximum delay 1e+12 ms is 40000000000000 steps of 0.025 ms, too many to store for 2 neurons"},
		{"hh", "K.n", 1, 0, "delay line hh.K.n: the variable already has a delay line (of 0.07500000000000001 ms); make one line as long as the longest delay"},
	} {
		if _, err := sim.NewDelay(c.group, c.variable, c.max, c.init); err == nil || err.Error() != c.err {
			t.Errorf("NewDelay(%q, %q, %g, %g): %v, want %q", c.group, c.variable, c.max, c.init, err, c.err)
		}
	}
	if _, err := sim.NewSpikeDelay("hh", 1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		group string
		max   float64
		err   string
	}{
		{"ex", 1, "spike delay line ex: no group ex in the sim"},
		{"hh", 1, "spike delay line hh: the group already has one (of 1 ms); make one line as long as the longest delay"},
	} {
		if _, err := sim.NewSpikeDelay(c.group, c.max); err == nil || err.Error() != c.err {
			t.Errorf("NewSpikeDelay(%q, %g): %v, want %q", c.group, c.max, err, c.err)
		}
	}
}

// TestDelayReadPanics: a delay outside [1, MaxSteps] or a neuron outside the group panics with
// a message that says so.
func TestDelayReadPanics(t *testing.T) {
	sim, _ := newHHSim(t, 3)
	line, err := sim.NewDelay("hh", "V", 0.1, 0) // 4 steps
	if err != nil {
		t.Fatal(err)
	}
	spikes, err := sim.NewSpikeDelay("hh", 0.1)
	if err != nil {
		t.Fatal(err)
	}
	short := make([]float64, 4)[:0] // room beyond len, which a read must not write
	for _, c := range []struct {
		read func()
		msg  string
	}{
		{func() { line.Row(0) }, "Delay.Row: delay line hh.V: delay of 0 steps is outside [1, 4]"},
		{func() { line.Row(5) }, "Delay.Row: delay line hh.V: delay of 5 steps is outside [1, 4]"},
		{func() { line.At(3, 1) }, "Delay.At: delay line hh.V: neuron 3 is outside [0, 3)"},
		{func() { spikes.Row(-1) }, "SpikeDelay.Row: delay line hh.spiked: delay of -1 steps is outside [1, 4]"},
		{func() { spikes.At(-1, 1) }, "SpikeDelay.At: delay line hh.spiked: neuron -1 is outside [0, 3)"},
		{func() { line.ReadEach([]int32{1, 1}, make([]float64, 3)) }, "Delay.ReadEach: delay line hh.V: 2 delays into 3 values, want 3 of each"},
		{func() { line.ReadEach([]int32{1, 0, 1}, make([]float64, 3)) }, "Delay.ReadEach: delay line hh.V: delay of 0 steps is outside [1, 4]"},
		{func() { line.ReadIndex([]int32{3}, 1, make([]float64, 1)) }, "Delay.ReadIndex: delay line hh.V: neuron 3 is outside [0, 3)"},
		{func() { line.ReadIndex([]int32{0, 1}, 1, short) }, "Delay.ReadIndex: delay line hh.V: 2 indices with 0 values, want at least 2 of each"},
		{func() { spikes.ReadIndex([]int32{0}, 1, nil) }, "SpikeDelay.ReadIndex: delay line hh.spiked: 1 indices with 0 values, want at least 1 of each"},
		{func() { spikes.ReadIndex([]int32{-2}, 1, make([]bool, 1)) }, "SpikeDelay.ReadIndex: delay line hh.spiked: neuron -2 is outside [0, 3)"},
		{func() { spikes.ReadIndexEach([]int32{0}, []int32{5}, make([]bool, 1)) }, "SpikeDelay.ReadIndexEach: delay line hh.spiked: delay of 5 steps is outside [1, 4]"},
		{func() { line.ReadIndexEach([]int32{-1}, []int32{1}, make([]float64, 1)) }, "Delay.ReadIndexEach: delay line hh.V: neuron -1 is outside [0, 3)"},
		{func() { line.ReadIndexEach([]int32{0, 1}, []int32{1}, make([]float64, 2)) }, "Delay.ReadIndexEach: delay line hh.V: 2 indices with 1 delays into 2 values, want at least 2 of each"},
		{func() { spikes.ReadIndexEach([]int32{0, 1}, []int32{1, 1}, make([]bool, 1)) }, "SpikeDelay.ReadIndexEach: delay line hh.spiked: 2 indices with 2 delays into 1 values, want at least 2 of each"},
	} {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || s != "runtime: "+c.msg {
					t.Errorf("panicked with %#v, want %q", r, "runtime: "+c.msg)
				}
			}()
			c.read()
		}()
	}
	if spare := short[:4]; spare[0] != 0 || spare[1] != 0 {
		t.Errorf("ReadIndex into buf[:0] wrote its spare capacity: %v", spare)
	}
}

// TestDelayAllocs: reads and pushes allocate nothing.
func TestDelayAllocs(t *testing.T) {
	sim, _ := newHHSim(t, 4)
	line, err := sim.NewDelay("hh", "V", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	spikes, err := sim.NewSpikeDelay("hh", 1)
	if err != nil {
		t.Fatal(err)
	}
	d, idx := []int32{1, 2, 3, 40}, []int32{3, 1}
	dst, dstB := make([]float64, 4), make([]bool, 4)
	sum := 0.0
	allocs := testing.AllocsPerRun(100, func() {
		line.Push()
		spikes.Push()
		sum += line.Row(3)[1] + line.At(2, 40)
		if spikes.Row(1)[0] || spikes.At(3, 2) {
			sum++
		}
		line.ReadEach(d, dst)
		line.ReadIndex(idx, 5, dst)
		line.ReadIndexEach(idx, d, dst)
		spikes.ReadEach(d, dstB)
		spikes.ReadIndex(idx, 5, dstB)
		spikes.ReadIndexEach(idx, d, dstB)
	})
	if allocs != 0 {
		t.Errorf("Push and reads: %g allocations, want 0", allocs)
	}
}
