package runtime_test

import (
	"math"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/runtime"
)

// TestNewSimAndAdd checks the errors of NewSim and Add, and Group and Names.
func TestNewSimAndAdd(t *testing.T) {
	for _, dt := range []float64{0, -0.1, math.Inf(1), math.NaN()} {
		if _, err := runtime.NewSim(dt); err == nil {
			t.Errorf("NewSim(%g) did not fail", dt)
		}
	}
	_, err := runtime.NewSim(-1)
	if want := "time step -1 ms is not positive and finite"; err == nil || err.Error() != want {
		t.Errorf("NewSim(-1): %v, want %q", err, want)
	}
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	exc, inh := hh52.New(3), traubmiles.New(2)
	if err := sim.Add("exc", exc); err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("_inh2", inh); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		g    runtime.Group
		err  string
	}{
		{"exc", hh52.New(1), "group name exc is already in use"},
		{"", hh52.New(1), `group name "" is not an ASCII identifier (letters, digits and _, not starting with a digit)`},
		{"2exc", hh52.New(1), `group name "2exc" is not an ASCII identifier (letters, digits and _, not starting with a digit)`},
		{"ex.c", hh52.New(1), `group name "ex.c" is not an ASCII identifier (letters, digits and _, not starting with a digit)`},
		{"exé", hh52.New(1), `group name "exé" is not an ASCII identifier (letters, digits and _, not starting with a digit)`},
		{"nil", nil, "group nil is nil"},
		{"typednil", (*hh52.Group)(nil), "group typednil is a nil *hh52.Group"},
		{"again", exc, "group again is the group exc, added already: a group steps once per step (make another with New)"},
	} {
		if err := sim.Add(c.name, c.g); err == nil || err.Error() != c.err {
			t.Errorf("Add(%q): %v, want %q", c.name, err, c.err)
		}
	}
	if sim.Group("exc") != exc || sim.Group("_inh2") != inh || sim.Group("none") != nil {
		t.Error("Group does not return the groups added")
	}
	if names := sim.Names(); !slices.Equal(names, []string{"exc", "_inh2"}) {
		t.Errorf("Names() = %v", names)
	}
	if sim.Dt() != 0.025 || sim.T() != 0 || sim.Clock() != (runtime.Clock{Dt: 0.025}) {
		t.Errorf("a new Sim: dt %g, t %g, clock %+v", sim.Dt(), sim.T(), sim.Clock())
	}
}

// TestAddState checks the errors of AddState, State and StateNames, and that Reset restores
// a state's values at AddState while the Sim keeps the user's slice.
func TestAddState(t *testing.T) {
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("exc", hh52.New(2)); err != nil {
		t.Fatal(err)
	}
	g, w := []float64{0.5, 0}, []float64{}
	if err := sim.AddState("syn.g", g); err != nil {
		t.Fatal(err)
	}
	if err := sim.AddState("w", w); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		values []float64
		err    string
	}{
		{"syn.g", []float64{1}, "state name syn.g is already in use"},
		{"exc.g", []float64{1}, "state name exc.g: exc is a group of the sim, whose arrays are named exc.…; choose another prefix"},
		{"exc", []float64{1}, "state name exc: exc is a group of the sim, whose arrays are named exc.…; choose another prefix"},
		{"syn..g", []float64{1}, `state name "syn..g" is not ASCII identifiers joined by dots, such as syn.g`},
		{"", []float64{1}, `state name "" is not ASCII identifiers joined by dots, such as syn.g`},
		{"syn.2g", []float64{1}, `state name "syn.2g" is not ASCII identifiers joined by dots, such as syn.g`},
		{"__meta__", []float64{1}, "state name __meta__ is reserved for the metadata of state files"},
		{"syn.h", nil, "state syn.h is nil"},
	} {
		if err := sim.AddState(c.name, c.values); err == nil || err.Error() != c.err {
			t.Errorf("AddState(%q): %v, want %q", c.name, err, c.err)
		}
	}
	if err, want := sim.Add("syn", hh52.New(1)), "group name syn is the prefix of the state syn.g added with AddState"; err == nil || err.Error() != want {
		t.Errorf("Add(syn): %v, want %q", err, want)
	}
	if names := sim.StateNames(); !slices.Equal(names, []string{"syn.g", "w"}) {
		t.Errorf("StateNames() = %v", names)
	}
	if v := sim.State("syn.g"); &v[0] != &g[0] || sim.State("none") != nil {
		t.Error("State does not return the user's slice")
	}
	g[0], g[1] = 3, 4
	sim.Run(3)
	sim.Reset()
	if g[0] != 0.5 || g[1] != 0 || sim.Clock().Step != 0 {
		t.Errorf("after Reset: syn.g = %v at step %d, want [0.5 0] at step 0", g, sim.Clock().Step)
	}
}

// stepChecker checks, at each Record, what a Sim's Step promises: the groups have stepped, the
// delay lines have been pushed, the clock has not advanced yet.
type stepChecker struct {
	t     *testing.T
	sim   *runtime.Sim
	g     *passive
	line  *runtime.Delay
	calls []float64 // t of each call
	order *[]string
	name  string
}

func (r *stepChecker) Record(step int64, t float64) {
	if step != int64(len(r.calls)) || t != float64(step+1)*r.sim.Dt() {
		r.t.Errorf("Record(%d, %g) at call %d, want t = (step+1)·dt", step, t, len(r.calls))
	}
	if c := r.sim.Clock(); c.Step != step {
		r.t.Errorf("Record(%d): the clock is already at step %d", step, c.Step)
	}
	if len(r.g.stepTimes) != int(step)+1 || r.g.stepTimes[step] != float64(step)*r.sim.Dt() {
		r.t.Errorf("Record(%d): the group stepped at %v", step, r.g.stepTimes)
	}
	if r.line.Pushes() != step+1 || !slices.Equal(r.line.Row(1), r.g.v) {
		r.t.Errorf("Record(%d): the line has %d pushes, its latest %v, V %v", step, r.line.Pushes(), r.line.Row(1), r.g.v)
	}
	r.calls = append(r.calls, t)
	*r.order = append(*r.order, r.name)
}

// TestSimStep: groups step at the clock's time, lines are pushed, then recorders are called in
// the order added, then the clock advances; Reset starts again.
func TestSimStep(t *testing.T) {
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	g := newPassive(2)
	runtime.SetInputCurrent(g, 1, 2e-3)
	if err := sim.Add("p", g); err != nil {
		t.Fatal(err)
	}
	line, err := sim.NewDelay("p", "V", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	r1 := &stepChecker{t: t, sim: sim, g: g, line: line, order: &order, name: "r1"}
	r2 := &stepChecker{t: t, sim: sim, g: g, line: line, order: &order, name: "r2"}
	sim.AddRecorder(r1)
	sim.AddRecorder(r2)
	sim.Run(5)
	if sim.Clock().Step != 5 || sim.T() != 0.5 {
		t.Errorf("after 5 steps of 0.1 ms: step %d, t %g", sim.Clock().Step, sim.T())
	}
	if !slices.Equal(order, []string{"r1", "r2", "r1", "r2", "r1", "r2", "r1", "r2", "r1", "r2"}) {
		t.Errorf("recorders called in order %v", order)
	}
	sim.Run(0)
	sim.Run(-3)
	if sim.Clock().Step != 5 {
		t.Errorf("Run(0) and Run(-3) made steps: at step %d", sim.Clock().Step)
	}
	sim.Reset()
	if sim.Clock().Step != 0 || line.Pushes() != 0 || g.v[1] != g.EL {
		t.Errorf("after Reset: step %d, %d pushes, V %v", sim.Clock().Step, line.Pushes(), g.v)
	}
	g.stepTimes, r1.calls, r2.calls = nil, nil, nil
	sim.Step()
	if len(r1.calls) != 1 || r1.calls[0] != 0.1 {
		t.Errorf("after Reset, the first step was recorded at %v", r1.calls)
	}
}

// The monitors are recorders a Sim can drive.
var (
	_ runtime.Recorder = (*runtime.Monitor)(nil)
	_ runtime.Recorder = (*runtime.SpikeMonitor)(nil)
)

type noopRecorder struct{ n int64 }

func (r *noopRecorder) Record(step int64, t float64) { r.n++ }

// TestSimStepAllocs: a step of a network allocates nothing: two generated groups, delay lines
// on V, a gate and spikes read per neuron and for an index set, a user state, a Monitor of
// variables and currents, a SpikeMonitor and another recorder.
func TestSimStepAllocs(t *testing.T) {
	sim, exc := newHHSim(t, 20)
	inh := traubmiles.New(10)
	if err := sim.Add("inh", inh); err != nil {
		t.Fatal(err)
	}
	var errs []error
	var lines []*runtime.Delay
	for _, v := range []string{"V", "Na.m"} {
		l, err := sim.NewDelay("hh", v, 2, 0)
		lines, errs = append(lines, l), append(errs, err)
	}
	inhV, err := sim.NewDelay("inh", "V", 1, -60)
	errs = append(errs, err)
	hhSpikes, err := sim.NewSpikeDelay("hh", 3)
	errs = append(errs, err)
	_, err = sim.NewSpikeDelay("inh", 3)
	errs = append(errs, err)
	syn := make([]float64, 10)
	errs = append(errs, sim.AddState("syn.g", syn))
	mon, err := runtime.NewMonitor(exc, []string{"V", "Na.m", "Na.I", "I_ext"}, []int{0, 3, 19}, 2, 1000, 0)
	errs = append(errs, err)
	sm, err := runtime.NewSpikeMonitor(exc, 10000, 0)
	errs = append(errs, err)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rec := &noopRecorder{}
	sim.AddRecorder(mon)
	sim.AddRecorder(sm)
	sim.AddRecorder(rec)
	inh.Input()[3] = 5
	src, d := []int32{0, 5, 19, 7, 2, 2, 11, 4, 9, 13}, []int32{1, 120, 40, 3, 77, 120, 9, 60, 2, 100}
	arrived, late := make([]bool, 10), make([]float64, 10)
	step := func() {
		hhSpikes.ReadIndexEach(src, d, arrived)
		lines[0].ReadIndex(src, 80, late)
		for j := range syn {
			syn[j] *= 0.99
			if arrived[j] {
				syn[j] += 0.1
			}
			inh.Input()[j] = syn[j]*(0-inh.V[j]) + 0.01*(late[j]-inh.V[j]) + 0.001*inhV.At(j, 40)
		}
		sim.Step()
	}
	if allocs := testing.AllocsPerRun(500, step); allocs != 0 {
		t.Errorf("a step with delays and monitors: %g allocations, want 0", allocs)
	}
	if rec.n != 501 || mon.Len() != 250 || sm.Len() == 0 || !slices.ContainsFunc(exc.SpikeTimes(), func(t float64) bool { return t > 0 }) {
		t.Errorf("%d steps recorded, %d records, %d spikes; spike times %v", rec.n, mon.Len(), sm.Len(), exc.SpikeTimes())
	}
}
