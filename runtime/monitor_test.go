package runtime_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/runtime"
)

// recorder is the method set through which a simulation drives a monitor (runtime.Recorder).
type recorder interface{ Record(step int64, t float64) }

var (
	_ recorder = (*runtime.Monitor)(nil)
	_ recorder = (*runtime.SpikeMonitor)(nil)
)

// handValue reads variable name of neuron i from g as the monitor should: a state variable or
// per-neuron parameter from g.Var, I_ext from g.Input, CHANNEL.I from g.Currents.
func handValue(g runtime.Group, name string, i int) float64 {
	if ch, ok := strings.CutSuffix(name, ".I"); ok && g.Var(name) == nil {
		k := slices.Index(g.Model().Currents, ch)
		dst := make([]float64, len(g.Model().Currents))
		g.Currents(i, dst)
		return dst[k]
	}
	if name == "I_ext" {
		return g.Input()[i]
	}
	return g.Var(name)[i]
}

// runAndRead steps g steps times from t = 0, calling RecordInitial of each monitor before the
// first step and rec.Record after each step as a simulation would, and reads by hand the
// initial values and those after every every-th step of vars for neurons, returning them per
// variable, row-major (records × neurons), with the times of the records.
func runAndRead(g runtime.Group, dt float64, steps int64, every int64, vars []string, neurons []int, recs ...recorder) (map[string][]float64, []float64) {
	want := map[string][]float64{}
	times := []float64{0}
	for _, r := range recs {
		if m, ok := r.(*runtime.Monitor); ok {
			m.RecordInitial(runtime.Clock{Dt: dt})
		}
	}
	for _, v := range vars {
		for _, i := range neurons {
			want[v] = append(want[v], handValue(g, v, i))
		}
	}
	for step := range steps {
		g.Step(float64(step)*dt, dt)
		t := float64(step+1) * dt
		for _, r := range recs {
			r.Record(step, t)
		}
		if (step+1)%every == 0 {
			times = append(times, t)
			for _, v := range vars {
				for _, i := range neurons {
					want[v] = append(want[v], handValue(g, v, i))
				}
			}
		}
	}
	return want, times
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func allNeurons(n int) []int {
	ns := make([]int, n)
	for i := range ns {
		ns[i] = i
	}
	return ns
}

// checkMonitor compares every recorded value, time and accessor of m with what was read by hand.
func checkMonitor(t *testing.T, m *runtime.Monitor, vars []string, neurons []int, want map[string][]float64, times []float64, every int64) {
	t.Helper()
	if m.Len() != len(times) || m.Dropped() != 0 {
		t.Fatalf("Len %d, Dropped %d; want %d, 0", m.Len(), m.Dropped(), len(times))
	}
	if !sameBits(m.Times(), times) {
		t.Errorf("Times %v, want %v", m.Times(), times)
	}
	for j, s := range m.Steps() {
		if s != int64(j)*every {
			t.Errorf("record %d after %d steps, want %d", j, s, int64(j)*every)
		}
	}
	if !slices.Equal(m.Neurons(), neurons) || !slices.Equal(m.Vars(), vars) {
		t.Errorf("Neurons %v, Vars %v; want %v, %v", m.Neurons(), m.Vars(), neurons, vars)
	}
	for _, v := range vars {
		got := m.Values(v)
		if !sameBits(got, want[v]) {
			t.Errorf("%s: recorded %v\nread by hand %v", v, got, want[v])
			continue
		}
		for c, i := range neurons {
			tr := m.Trace(v, i)
			for r := range m.Len() {
				if x := m.At(v, r, c); math.Float64bits(x) != math.Float64bits(want[v][r*len(neurons)+c]) || math.Float64bits(tr[r]) != math.Float64bits(x) {
					t.Fatalf("%s record %d column %d: At %v, Trace %v, want %v", v, r, c, x, tr[r], want[v][r*len(neurons)+c])
				}
			}
		}
	}
}

// TestMonitorHH52 records V, the gates, the input and every current of a subset of HH52 neurons
// every 7 steps and compares them bit for bit with values read from the group by hand after the
// same steps.
func TestMonitorHH52(t *testing.T) {
	g := hh52.New(6)
	for i := range g.Len() {
		g.Input()[i] = 4 * float64(i)
	}
	vars := []string{"V", "Na.m", "Na.h", "K.n", "I_ext", "Na.I", "K.I", "L.I"}
	neurons := []int{5, 0, 3}
	const dt, steps, every = 0.025, 1000, 7
	m, err := runtime.NewMonitor(g, vars, neurons, every, steps, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Cap() != steps/every+1 || m.Every() != every {
		t.Fatalf("Cap %d, Every %d; want %d, %d", m.Cap(), m.Every(), steps/every+1, every)
	}
	want, times := runAndRead(g, dt, steps, every, vars, neurons, m)
	checkMonitor(t, m, vars, neurons, want, times, every)
	for j, x := range m.Times() {
		if x != float64(j*every)*dt {
			t.Fatalf("record %d at %v ms, want j·every·dt = %v", j, x, float64(j*every)*dt)
		}
	}
	// The run makes neuron 5 fire: V goes above 0 in some record, so the records are not flat.
	if slices.Max(m.Trace("V", 5)) < 0 {
		t.Error("neuron 5 never recorded above 0 mV")
	}
	for v, u := range map[string]string{"V": "mV", "Na.m": "1", "I_ext": "uA/cm2", "K.I": "uA/cm2", "nope": ""} {
		if m.Unit(v) != u {
			t.Errorf("Unit(%q) = %q, want %q", v, m.Unit(v), u)
		}
	}
	if m.Values("Na.g_max") != nil || m.Trace("V", 1) != nil {
		t.Error("Values or Trace of something not recorded is not nil")
	}
}

// TestMonitorThalamicRelay records Ca_i, gates and the calcium and h currents of every neuron
// of a thalamic relay group at every step, and its spikes, which must be those Spikes.Collect
// takes over the same run.
func TestMonitorThalamicRelay(t *testing.T) {
	g := thalamicrelay.New(4)
	for i := range g.Len() {
		g.Input()[i] = []float64{-1, 0, 3, 8}[i]
	}
	vars := []string{"Ca_i", "V", "IT.p", "IT.q", "IT.I", "Ih.I", "INa.I"}
	const dt, steps, every = 0.025, 8000, 1
	m, err := runtime.NewMonitor(g, vars, nil, every, steps, 0)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := runtime.NewSpikeMonitor(g, runtime.SpikeCapacity(4, steps, dt, 500), 0)
	if err != nil {
		t.Fatal(err)
	}
	var sp runtime.Spikes
	collect := recorderFunc(func(int64, float64) { sp.Collect(g) })
	want, times := runAndRead(g, dt, steps, every, vars, allNeurons(4), m, sm, collect)
	checkMonitor(t, m, vars, allNeurons(4), want, times, every)
	if ca := m.Trace("Ca_i", 3); slices.Max(ca) <= 2*slices.Min(ca) {
		t.Errorf("Ca_i of the firing neuron stays within [%g, %g] mM", slices.Min(ca), slices.Max(ca))
	}
	if sp.Len() == 0 {
		t.Fatal("no spikes in the run")
	}
	got := sm.Spikes()
	if !slices.Equal(got.Neuron, sp.Neuron) || !sameBits(got.Time, sp.Time) || sm.Dropped() != 0 {
		t.Errorf("spike monitor: %v at %v, dropped %d\nSpikes.Collect: %v at %v", got.Neuron, got.Time, sm.Dropped(), sp.Neuron, sp.Time)
	}
	t.Logf("%d spikes, counts %v, capacity %d", sp.Len(), sp.Counts(4), sm.Cap())
}

type recorderFunc func(step int64, t float64)

func (f recorderFunc) Record(step int64, t float64) { f(step, t) }

// TestMonitorPerNeuronParam records a per-neuron parameter.
func TestMonitorPerNeuronParam(t *testing.T) {
	g := morrislecar.New(3)
	gca := g.Var("Ca.g_max")
	copy(gca, []float64{4, 4.4, 5})
	m, err := runtime.NewMonitor(g, []string{"Ca.g_max", "V"}, []int{2, 1}, 2, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, times := runAndRead(g, 0.05, 4, 2, []string{"Ca.g_max", "V"}, []int{2, 1}, m)
	checkMonitor(t, m, []string{"Ca.g_max", "V"}, []int{2, 1}, want, times, 2)
	if v := m.Values("Ca.g_max"); !slices.Equal(v, []float64{5, 4.4, 5, 4.4, 5, 4.4}) {
		t.Errorf("Ca.g_max recorded %v", v)
	}
	if m.Unit("Ca.g_max") != "mS/cm2" {
		t.Errorf("unit of Ca.g_max %q", m.Unit("Ca.g_max"))
	}
}

// TestMonitorDropped records more than the preallocated rows: the extra records are counted,
// not made, and the storage does not grow.
func TestMonitorDropped(t *testing.T) {
	g := hh52.New(2)
	g.Input()[1] = 10
	m, err := runtime.NewMonitor(g, []string{"V", "K.I"}, nil, 2, 11, 0) // the initial state, after steps 1, 3, 5, 7, 9
	if err != nil {
		t.Fatal(err)
	}
	if m.Cap() != 6 {
		t.Fatalf("Cap %d, want 11/2 + 1 = 6", m.Cap())
	}
	want, times := runAndRead(g, 0.01, 11, 2, []string{"V", "K.I"}, []int{0, 1}, m)
	checkMonitor(t, m, []string{"V", "K.I"}, []int{0, 1}, want, times, 2)
	before := slices.Clone(m.Values("V"))
	bytesBefore := m.Bytes()
	for step := int64(11); step < 40; step++ {
		g.Step(float64(step)*0.01, 0.01)
		m.Record(step, float64(step+1)*0.01)
	}
	// Due after steps 11, 13, …, 39: 15 records.
	if m.Len() != 6 || m.Dropped() != 15 || !slices.Equal(m.Values("V"), before) || cap(m.Times()) != 6 || m.Bytes() != bytesBefore {
		t.Errorf("after the run: Len %d, Dropped %d, cap %d, V %v; want 6, 15, 6, %v", m.Len(), m.Dropped(), cap(m.Times()), m.Values("V"), before)
	}
	m.Record(-1, 0) // not a step: ignored
	m.Reset()
	if m.Len() != 0 || m.Dropped() != 0 || len(m.Values("V")) != 0 {
		t.Errorf("after Reset: Len %d, Dropped %d", m.Len(), m.Dropped())
	}
	m.Record(1, 0.02)
	if m.Len() != 1 || m.Times()[0] != 0.02 {
		t.Errorf("after Reset and one record: Len %d, Times %v", m.Len(), m.Times())
	}

	// A spike monitor full after its capacity drops the rest.
	g = hh52.New(3)
	for i := range 3 {
		g.Input()[i] = 10
	}
	sm, err := runtime.NewSpikeMonitor(g, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sp runtime.Spikes
	for step := range int64(10000) {
		g.Step(float64(step)*0.01, 0.01)
		sm.Record(step, float64(step+1)*0.01)
		sp.Collect(g)
	}
	got := sm.Spikes()
	if sp.Len() <= 4 || sm.Len() != 4 || sm.Cap() != 4 || sm.Dropped() != int64(sp.Len()-4) ||
		!slices.Equal(got.Neuron, sp.Neuron[:4]) || !slices.Equal(got.Time, sp.Time[:4]) {
		t.Errorf("spike monitor of capacity 4: %d spikes %v %v, dropped %d; the run had %d: %v %v",
			sm.Len(), got.Neuron, got.Time, sm.Dropped(), sp.Len(), sp.Neuron, sp.Time)
	}
	sm.Reset()
	if sm.Len() != 0 || sm.Dropped() != 0 {
		t.Errorf("after Reset: Len %d, Dropped %d", sm.Len(), sm.Dropped())
	}
}

// TestMonitorBytesAndLimit checks Bytes against the layout and the limit error.
func TestMonitorBytesAndLimit(t *testing.T) {
	g := hh52.New(100)
	vars := []string{"V", "Na.m", "Na.I"}
	const steps, every = 100000, 10
	m, err := runtime.NewMonitor(g, vars, nil, every, steps, -1)
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(steps/every + 1)
	want := 8 * (3*rows*100 + 2*rows + 100 + 3) // records, t and step, neuron indices, a row of the 3 currents
	if m.Bytes() != want {
		t.Fatalf("Bytes %d, want %d", m.Bytes(), want)
	}
	if _, err := runtime.NewMonitor(g, vars, nil, every, steps, want); err != nil {
		t.Fatalf("limit = Bytes: %v", err)
	}
	_, err = runtime.NewMonitor(g, vars, nil, every, steps, want-1)
	if err == nil {
		t.Fatal("no error one byte over the limit")
	}
	msg := err.Error()
	for _, s := range []string{strconv.FormatInt(want, 10) + " bytes", strconv.FormatInt(want-1, 10) + " bytes", "limit", "fewer variables or neurons", "larger every"} {
		if !strings.Contains(msg, s) {
			t.Errorf("limit error lacks %q: %s", s, msg)
		}
	}
	t.Log(msg)
	// The every it suggests fits, and one less does not.
	sub := regexp.MustCompile(`every = (\d+) fits`).FindStringSubmatch(msg)
	if sub == nil {
		t.Fatalf("no every suggested: %s", msg)
	}
	k, _ := strconv.Atoi(sub[1])
	if _, err := runtime.NewMonitor(g, vars, nil, k, steps, want-1); err != nil {
		t.Errorf("suggested every = %d: %v", k, err)
	}
	if _, err := runtime.NewMonitor(g, vars, nil, k-1, steps, want-1); err == nil {
		t.Errorf("every = %d fits too: the suggestion is not the least", k-1)
	}
	// Fails before allocating: these would need exabytes.
	for _, limit := range []int64{0, -1, math.MaxInt64} {
		_, err := runtime.NewMonitor(g, vars, nil, 1, math.MaxInt64, limit)
		if err == nil || !strings.Contains(err.Error(), "need") {
			t.Errorf("limit %d, %d steps: %v", limit, int64(math.MaxInt64), err)
		}
	}
	if _, err := runtime.NewMonitor(g, vars, nil, 1, 1<<40, 0); err == nil || !strings.Contains(err.Error(), "1 GiB (1073741824 bytes)") {
		t.Errorf("default limit: %v", err)
	}
	// Spike monitors.
	sm, err := runtime.NewSpikeMonitor(g, 1000, 12000)
	if err != nil || sm.Bytes() != 12000 {
		t.Fatalf("spike monitor of 1000 spikes in 12000 bytes: %v, Bytes %d", err, sm.Bytes())
	}
	if _, err := runtime.NewSpikeMonitor(g, 1001, 12000); err == nil || !strings.Contains(err.Error(), "12012 bytes") || !strings.Contains(err.Error(), "1000 or less") {
		t.Errorf("spike monitor over the limit: %v", err)
	}
	if _, err := runtime.NewSpikeMonitor(g, math.MaxInt, 0); err == nil {
		t.Error("spike monitor of MaxInt spikes under the default limit")
	}
	if _, err := runtime.NewSpikeMonitor(g, -1, 0); err == nil {
		t.Error("negative capacity accepted")
	}
}

// TestMonitorErrors checks the errors of NewMonitor.
func TestMonitorErrors(t *testing.T) {
	g := hh52.New(4)
	for _, c := range []struct {
		vars    []string
		neurons []int
		every   int
		steps   int64
		want    string
	}{
		{[]string{"Na.M"}, nil, 1, 10, `no variable "Na.M"; did you mean "Na.m"?`},
		{[]string{"V", "v"}, nil, 1, 10, `did you mean "V"?`},
		{[]string{"Na.i"}, nil, 1, 10, `did you mean "Na.I"?`},
		{[]string{"I_EXT"}, nil, 1, 10, `did you mean "I_ext"?`},
		{[]string{"K.nn"}, nil, 1, 10, `did you mean "K.n"?`},
		{[]string{"Ca_i"}, nil, 1, 10, `model HH52 has no variable "Ca_i"`},
		{[]string{"Na.g_max"}, nil, 1, 10, `(it records V, Na.m, Na.h, K.n, I_ext, Na.I, K.I, L.I)`},
		{[]string{"V", "Na.m", "V"}, nil, 1, 10, `variable "V" is listed twice`},
		{[]string{"V"}, []int{0, 3, 0}, 1, 10, `neuron 0 is listed twice (entries 0 and 2)`},
		{[]string{"V"}, []int{1, 4}, 1, 10, `neuron 4 (entry 1) is out of range: the group has neurons 0 to 3`},
		{[]string{"V"}, []int{-1}, 1, 10, `neuron -1 (entry 0) is out of range`},
		{[]string{"V"}, []int{}, 1, 10, `no neurons`},
		{nil, nil, 1, 10, `no variables`},
		{[]string{"V"}, nil, 0, 10, `every = 0`},
		{[]string{"V"}, nil, 1, -1, `steps = -1`},
	} {
		m, err := runtime.NewMonitor(g, c.vars, c.neurons, c.every, c.steps, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewMonitor(%q, %v, %d, %d): %v, want an error with %q", c.vars, c.neurons, c.every, c.steps, err, c.want)
		}
		if m != nil {
			t.Errorf("NewMonitor(%q …) returned a monitor with its error", c.vars)
		}
	}
	if _, err := runtime.NewMonitor(g, []string{"zzzzzz"}, nil, 1, 10, 0); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("far from every name: %v", err)
	}
	// Zero steps is a monitor of the initial state only, not an error.
	m, err := runtime.NewMonitor(g, []string{"V"}, nil, 3, 0, 0)
	if err != nil || m.Cap() != 1 {
		t.Fatalf("steps = 0: Cap %d, %v; want 1", m.Cap(), err)
	}
	m.RecordInitial(runtime.Clock{Dt: 0.01})
	m.Record(2, 0.03)
	if m.Len() != 1 || m.Dropped() != 1 || m.Times()[0] != 0 {
		t.Errorf("monitor of 0 steps: Len %d, Dropped %d, Times %v; want 1, 1, [0]", m.Len(), m.Dropped(), m.Times())
	}
	// A run continued from step 4 records its initial state only if 4 is on the grid.
	m, _ = runtime.NewMonitor(g, []string{"V"}, nil, 3, 10, 0)
	m.RecordInitial(runtime.Clock{Dt: 0.01, Step: 4})
	m.RecordInitial(runtime.Clock{Dt: 0.01, Step: 6})
	if m.Len() != 1 || m.Steps()[0] != 6 || m.Times()[0] != 0.06 {
		t.Errorf("RecordInitial at steps 4 and 6, every 3: steps %v, times %v; want [6], [0.06]", m.Steps(), m.Times())
	}
}

// TestSpikeCapacity checks the bound.
func TestSpikeCapacity(t *testing.T) {
	for _, c := range []struct {
		n, steps  int64
		dt, rate  float64
		want      int
		rationale string
	}{
		{10, 100000, 0.01, 100, 10 * (100 + 1), "1 s at 100 Hz"},
		{10, 100000, 0.01, 99.99, 10 * (100 + 1), "rounded up"},
		{3, 10, 0.01, 1000, 3 * 2, "0.1 ms at 1 kHz: 0.1 + 1, up"},
		{3, 10, 0.01, 1e9, 30, "at most one spike per step"},
		{3, 10, 0.01, math.Inf(1), 30, "infinite rate"},
		{3, 10, 0.01, math.NaN(), 30, "NaN rate"},
		{3, 10, 0.01, 0, 3, "no rate: one spike each"},
		{3, 10, 0.01, -5, 3, "negative rate"},
		{0, 10, 0.01, 100, 0, "no neurons"},
		{3, 0, 0.01, 100, 0, "no steps"},
		{math.MaxInt64, math.MaxInt64, 1, 1, math.MaxInt, "saturates"},
	} {
		if got := runtime.SpikeCapacity(c.n, c.steps, c.dt, c.rate); got != c.want {
			t.Errorf("SpikeCapacity(%d, %d, %g, %g) = %d, want %d (%s)", c.n, c.steps, c.dt, c.rate, got, c.want, c.rationale)
		}
	}
	// A time step that is not positive and finite panics: -1 ms once gave a capacity of -90.
	for _, dt := range []float64{-1, 0, math.NaN(), math.Inf(1)} {
		func() {
			defer func() {
				want := fmt.Sprintf("runtime: SpikeCapacity: time step dt = %g ms is not positive and finite", dt)
				if r := recover(); r != want {
					t.Errorf("SpikeCapacity(10, 100, %g, 100): panic %#v, want %q", dt, r, want)
				}
			}()
			runtime.SpikeCapacity(10, 100, dt, 100)
		}()
	}
}

// recordedHH52 returns a monitor and a spike monitor of a short HH52 run with spikes.
func recordedHH52(t *testing.T) (*runtime.Monitor, *runtime.SpikeMonitor, runtime.Spikes) {
	t.Helper()
	g := hh52.New(5)
	for i := range g.Len() {
		g.Input()[i] = 3 * float64(i)
	}
	m, err := runtime.NewMonitor(g, []string{"V", "Na.m", "I_ext", "K.I"}, []int{4, 2, 1}, 40, 4000, 0)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := runtime.NewSpikeMonitor(g, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sp runtime.Spikes
	for step := range int64(4000) {
		g.Step(float64(step)*0.025, 0.025)
		m.Record(step, float64(step+1)*0.025)
		sm.Record(step, float64(step+1)*0.025)
		sp.Collect(g)
	}
	if sp.Len() == 0 || m.Len() != 100 {
		t.Fatalf("%d spikes, %d records", sp.Len(), m.Len())
	}
	return m, sm, sp
}

// TestMonitorNPZ writes both monitors into one NPZ file and reads it back.
func TestMonitorNPZ(t *testing.T) {
	m, sm, sp := recordedHH52(t)
	arrays := append(m.Arrays("mon"), sm.Arrays("mon")...)
	var buf bytes.Buffer
	if err := runtime.WriteNPZ(&buf, arrays); err != nil {
		t.Fatal(err)
	}
	back, err := runtime.ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]runtime.Array{}
	var names []string
	for _, a := range back {
		byName[a.Name] = a
		names = append(names, a.Name)
	}
	wantNames := []string{"mon.t", "mon.step", "mon.neurons", "mon.V", "mon.Na.m", "mon.I_ext", "mon.K.I", "mon.units", "mon.every", "mon.dropped",
		"mon.spike_neuron", "mon.spike_time", "mon.spike_dropped"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("arrays %v, want %v", names, wantNames)
	}
	check := func(name string, shape []int, ok bool) {
		t.Helper()
		if a := byName[name]; !slices.Equal(a.Shape, shape) || !ok {
			t.Errorf("%s: shape %v (want %v) or data differ", name, a.Shape, shape)
		}
	}
	check("mon.t", []int{100}, sameBits(byName["mon.t"].F64, m.Times()))
	check("mon.step", []int{100}, slices.Equal(byName["mon.step"].I64, m.Steps()))
	check("mon.neurons", []int{3}, slices.Equal(byName["mon.neurons"].I64, []int64{4, 2, 1}))
	for _, v := range m.Vars() {
		check("mon."+v, []int{100, 3}, sameBits(byName["mon."+v].F64, m.Values(v)))
	}
	units := "t ms\nV mV\nNa.m 1\nI_ext uA/cm2\nK.I uA/cm2\n"
	check("mon.units", []int{}, byName["mon.units"].Str != nil && *byName["mon.units"].Str == units)
	check("mon.every", []int{}, slices.Equal(byName["mon.every"].I64, []int64{40}))
	check("mon.dropped", []int{}, slices.Equal(byName["mon.dropped"].I64, []int64{0}))
	spn := make([]int64, sp.Len())
	for k, i := range sp.Neuron {
		spn[k] = int64(i)
	}
	check("mon.spike_neuron", []int{sp.Len()}, slices.Equal(byName["mon.spike_neuron"].I64, spn))
	check("mon.spike_time", []int{sp.Len()}, sameBits(byName["mon.spike_time"].F64, sp.Time))
	check("mon.spike_dropped", []int{}, slices.Equal(byName["mon.spike_dropped"].I64, []int64{0}))

	// WriteNPZ is WriteNPZ of Arrays; no prefix gives bare names.
	var one bytes.Buffer
	if err := m.WriteNPZ(&one, ""); err != nil {
		t.Fatal(err)
	}
	back, err = runtime.ReadNPZ(bytes.NewReader(one.Bytes()), int64(one.Len()))
	if err != nil || len(back) != 10 || back[0].Name != "t" || back[3].Name != "V" {
		t.Errorf("WriteNPZ with no prefix: %v, %d arrays", err, len(back))
	}
	one.Reset()
	if err := sm.WriteNPZ(&one, "sp"); err != nil {
		t.Fatal(err)
	}
	if back, err = runtime.ReadNPZ(bytes.NewReader(one.Bytes()), int64(one.Len())); err != nil || len(back) != 3 || back[0].Name != "sp.spike_neuron" {
		t.Errorf("SpikeMonitor.WriteNPZ: %v, %v", err, back)
	}
}

// TestMonitorCSV writes the records as CSV and parses them back to the same bits.
func TestMonitorCSV(t *testing.T) {
	m, sm, sp := recordedHH52(t)
	var buf bytes.Buffer
	if err := m.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"t_ms", "neuron", "V", "Na.m", "I_ext", "K.I"}; !slices.Equal(recs[0], want) {
		t.Fatalf("header %v, want %v", recs[0], want)
	}
	if len(recs) != 1+m.Len()*3 {
		t.Fatalf("%d lines, want %d", len(recs), 1+m.Len()*3)
	}
	for k, rec := range recs[1:] {
		r, c := k/3, k%3
		tm, err1 := strconv.ParseFloat(rec[0], 64)
		i, err2 := strconv.Atoi(rec[1])
		if err1 != nil || err2 != nil || math.Float64bits(tm) != math.Float64bits(m.Times()[r]) || i != m.Neurons()[c] {
			t.Fatalf("line %d: %v", k+2, rec)
		}
		for j, v := range m.Vars() {
			x, err := strconv.ParseFloat(rec[2+j], 64)
			if err != nil || math.Float64bits(x) != math.Float64bits(m.At(v, r, c)) {
				t.Fatalf("line %d, %s: %q, want %v", k+2, v, rec[2+j], m.At(v, r, c))
			}
		}
	}
	// The spike monitor's CSV is Spikes.WriteCSV's.
	var got, want bytes.Buffer
	if err := sm.WriteCSV(&got); err != nil {
		t.Fatal(err)
	}
	if err := sp.WriteCSV(&want); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("spike CSV\n%s\nwant\n%s", got.String(), want.String())
	}
}

// TestMonitorAllocs checks that Record allocates nothing, for 10 000 neurons, whether it records
// every neuron or some, a row or nothing (not due, or full).
func TestMonitorAllocs(t *testing.T) {
	const n = 10000
	g := hh52.New(n)
	for i := range n {
		g.Input()[i] = 10
	}
	some := make([]int, 0, n/7)
	for i := 0; i < n; i += 7 {
		some = append(some, i)
	}
	const runs = 50
	for _, c := range []struct {
		name    string
		neurons []int
		vars    []string
	}{
		{"all", nil, []string{"V", "Na.m", "I_ext", "Na.I", "L.I"}},
		{"some", some, []string{"V", "K.n", "I_ext", "K.I"}},
	} {
		m, err := runtime.NewMonitor(g, c.vars, c.neurons, 1, runs, 0) // runs+1 rows
		if err != nil {
			t.Fatal(err)
		}
		step := int64(0)
		if a := testing.AllocsPerRun(runs, func() { m.Record(step, float64(step+1)*0.01); step++ }); a != 0 || m.Len() != runs+1 {
			t.Errorf("%s: Record allocates %g times (%d records)", c.name, a, m.Len())
		}
		if a := testing.AllocsPerRun(runs, func() { m.Record(step, float64(step+1)*0.01); step++ }); a != 0 || m.Dropped() != runs+1 {
			t.Errorf("%s: Record into a full monitor allocates %g times (%d dropped)", c.name, a, m.Dropped())
		}
	}
	// Run until the neurons spike: all n together, as they are alike.
	step := int64(0)
	for ; step < 10000; step++ {
		g.Step(float64(step)*0.01, 0.01)
		if g.Spiked()[0] {
			break
		}
	}
	if !g.Spiked()[n-1] {
		t.Fatal("no spike")
	}
	sm, err := runtime.NewSpikeMonitor(g, (runs+1)*n, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(runs, func() { sm.Record(step, 0) }); a != 0 || sm.Len() != (runs+1)*n {
		t.Errorf("SpikeMonitor.Record of %d spikes allocates %g times (%d recorded)", n, a, sm.Len())
	}
	if a := testing.AllocsPerRun(runs, func() { sm.Record(step, 0) }); a != 0 || sm.Dropped() != (runs+1)*n {
		t.Errorf("SpikeMonitor.Record into a full record allocates %g times (%d dropped)", a, sm.Dropped())
	}
}

// python returns the path of a python3 with numpy, or skips the test.
func python(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if py, err = exec.LookPath("python3"); err != nil {
			t.Skip("no python3")
		}
	}
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Skipf("no numpy for %s: %v %s", py, err, out)
	}
	return py
}

// TestMonitorNPZNumpy writes both monitors into an NPZ file, and tools/npz_check.py loads it
// with numpy and checks every array's dtype, shape and values, bit for bit, against a JSON
// sidecar made from the monitors' accessors.
func TestMonitorNPZNumpy(t *testing.T) {
	py := python(t)
	m, sm, _ := recordedHH52(t)
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := runtime.WriteNPZ(&buf, append(m.Arrays("mon"), sm.Arrays("spk")...)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "run.npz")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Dtype  string   `json:"dtype,omitempty"`
		Shape  []int    `json:"shape"`
		Values any      `json:"values,omitempty"`
		Bits   []string `json:"bits,omitempty"`
		Text   *string  `json:"text,omitempty"`
	}
	bits := func(xs []float64) []string {
		out := make([]string, len(xs))
		for k, x := range xs {
			out[k] = fmt.Sprintf("%016x", math.Float64bits(x))
		}
		return out
	}
	sp := sm.Spikes()
	units := "t ms\nV mV\nNa.m 1\nI_ext uA/cm2\nK.I uA/cm2\n"
	arrays := map[string]entry{
		"mon.t":             {Dtype: "<f8", Shape: []int{m.Len()}, Values: m.Times(), Bits: bits(m.Times())},
		"mon.step":          {Dtype: "<i8", Shape: []int{m.Len()}, Values: m.Steps()},
		"mon.neurons":       {Dtype: "<i8", Shape: []int{3}, Values: m.Neurons()},
		"mon.units":         {Dtype: fmt.Sprintf("<U%d", utf8.RuneCountInString(units)), Shape: []int{}, Text: &units},
		"mon.every":         {Dtype: "<i8", Shape: []int{}, Values: []int{40}},
		"mon.dropped":       {Dtype: "<i8", Shape: []int{}, Values: []int{0}},
		"spk.spike_neuron":  {Dtype: "<i8", Shape: []int{sp.Len()}, Values: sp.Neuron},
		"spk.spike_time":    {Dtype: "<f8", Shape: []int{sp.Len()}, Values: sp.Time, Bits: bits(sp.Time)},
		"spk.spike_dropped": {Dtype: "<i8", Shape: []int{}, Values: []int{0}},
	}
	for _, v := range m.Vars() {
		arrays["mon."+v] = entry{Dtype: "<f8", Shape: []int{m.Len(), 3}, Bits: bits(m.Values(v))}
	}
	writeSidecar := func(arrays map[string]entry) string {
		b, err := json.Marshal(map[string]any{"only": true, "arrays": arrays})
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, "expect.json")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	script := filepath.Join("..", "tools", "npz_check.py")
	out, err := exec.Command(py, script, file, "--expect", writeSidecar(arrays), "--shape", "mon.V=100,3", "--dtype", "mon.K.I=float64").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("ok: 13 arrays, 13 checked")) {
		t.Fatalf("npz_check: %v\n%s", err, out)
	}
	t.Logf("npz_check:\n%s", out)

	// The script does check: a value one ulp off, a wrong shape and a missing array fail it.
	vb := bits(m.Values("V"))
	x, _ := strconv.ParseUint(vb[7], 16, 64)
	vb[7] = fmt.Sprintf("%016x", x+1)
	arrays["mon.V"] = entry{Dtype: "<f8", Shape: []int{m.Len(), 3}, Bits: vb}
	arrays["mon.neurons"] = entry{Shape: []int{4}}
	arrays["mon.nothing"] = entry{Shape: []int{}}
	out, err = exec.Command(py, script, file, "--expect", writeSidecar(arrays)).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("npz_check of wrong expectations: %v\n%s", err, out)
	}
	for _, s := range []string{"FAIL mon.V: 1 elements differ; first at flat index 7", "FAIL mon.neurons: shape [3], expected [4]", "FAIL mon.nothing: missing"} {
		if !bytes.Contains(out, []byte(s)) {
			t.Errorf("npz_check output lacks %q:\n%s", s, out)
		}
	}
}

func ExampleNewMonitor() {
	g := hh52.New(2)
	g.Input()[1] = 10            // uA/cm2
	const dt, steps = 0.01, 1000 // 10 ms
	// V and the sodium current of both neurons at t = 0 and at the end of every 200th step
	// (2, 4, … 10 ms).
	m, err := runtime.NewMonitor(g, []string{"V", "Na.I"}, nil, 200, steps, 1<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	m.RecordInitial(runtime.Clock{Dt: dt}) // the state at t = 0
	sm, _ := runtime.NewSpikeMonitor(g, runtime.SpikeCapacity(2, steps, dt, 200), 1<<20)
	for step := range int64(steps) {
		g.Step(float64(step)*dt, dt)
		m.Record(step, float64(step+1)*dt) // as a Sim calls its recorders
		sm.Record(step, float64(step+1)*dt)
	}
	fmt.Printf("%d records of %v in %d bytes\n", m.Len(), m.Vars(), m.Bytes())
	for r, t := range m.Times() {
		fmt.Printf("t = %2g ms: V %7.2f %7.2f mV\n", t, m.At("V", r, 0), m.At("V", r, 1))
	}
	fmt.Printf("%d spikes, first at %.3f ms\n", sm.Len(), sm.Spikes().Time[0])
	_, err = runtime.NewMonitor(g, []string{"V", "Na.m"}, nil, 1, 1e6, 1<<20)
	fmt.Println(err)
	// Output:
	// 6 records of [V Na.I] in 328 bytes
	// t =  0 ms: V  -65.00  -65.00 mV
	// t =  2 ms: V  -64.99   18.61 mV
	// t =  4 ms: V  -64.99  -41.03 mV
	// t =  6 ms: V  -64.99  -74.12 mV
	// t =  8 ms: V  -65.00  -70.93 mV
	// t = 10 ms: V  -65.00  -66.81 mV
	// 1 spikes, first at 1.935 ms
	// monitor: 2 variables × 2 neurons × 1000001 records (a 1000000-step run, every = 1) need 45.8 MiB (48000064 bytes), over the limit of 1 MiB (1048576 bytes): record fewer variables or neurons, or a larger every (every = 46 fits)
}
