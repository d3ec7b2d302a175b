package runtime_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/morrislecar"
	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/traubmiles"
	"github.com/neurogen/neurogen/runtime"
)

// network is a Sim of four generated models coupled in plain Go through delay lines, with
// heterogeneous per-neuron delays: every kind of state a state file holds (variables, a
// concentration, a per-neuron parameter, group-wide parameters, a voltage clamp, seeds, lines
// over values and over spikes).
type network struct {
	sim    *runtime.Sim
	hh     *hh52.Group
	tm     *traubmiles.Group
	ml     *morrislecar.Group
	tr     *thalamicrelay.Group
	lines  []*runtime.Delay
	spikes []*runtime.SpikeDelay

	hhSpikes, tmSpikes *runtime.SpikeDelay
	hhV, trCa          *runtime.Delay
	src, dly           []int32 // tm neuron j hears hh neuron src[j] after dly[j] steps
	arrived            []bool
	vdel               []float64
	syn                []float64 // tm's synaptic conductance, user state (mS/cm2): Sim.AddState
}

const netDt = 0.025

// newNetwork builds the network in its initial state.
func newNetwork(t testing.TB) *network {
	t.Helper()
	sim, err := runtime.NewSim(netDt)
	if err != nil {
		t.Fatal(err)
	}
	n := &network{sim: sim, hh: hh52.New(8), tm: traubmiles.New(6), ml: morrislecar.New(4), tr: thalamicrelay.New(3)}
	for i := range 8 {
		n.hh.Input()[i] = 7 + 2*float64(i)
	}
	n.hh.SetSeed(11)
	n.tm.Params.VT = -58
	for i := range 4 {
		n.ml.CaGMax[i] = 4 + 0.1*float64(i)
		n.ml.Input()[i] = 60 + 10*float64(i)
	}
	n.tr.Input()[1] = 2
	n.tr.SetVoltageClamp(true)
	n.tr.V[2] = -50
	for _, g := range []struct {
		name string
		g    runtime.Group
	}{{"hh", n.hh}, {"tm", n.tm}, {"ml", n.ml}, {"tr", n.tr}} {
		if err := sim.Add(g.name, g.g); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	n.hhSpikes, err = sim.NewSpikeDelay("hh", 5)
	must(err)
	n.tmSpikes, err = sim.NewSpikeDelay("tm", 1)
	must(err)
	n.spikes = []*runtime.SpikeDelay{n.hhSpikes, n.tmSpikes}
	n.hhV, err = sim.NewDelay("hh", "V", 2, -65)
	must(err)
	tmM, err := sim.NewDelay("tm", "Na.m", 0.5, 0)
	must(err)
	n.trCa, err = sim.NewDelay("tr", "Ca_i", 1, 2.4e-4)
	must(err)
	mlG, err := sim.NewDelay("ml", "Ca.g_max", 0.1, 4.4)
	must(err)
	n.lines = []*runtime.Delay{n.hhV, tmM, n.trCa, mlG}
	n.src = []int32{7, 6, 5, 7, 3, 0}
	n.dly = []int32{200, 37, 120, 80, 199, 1}
	n.arrived = make([]bool, 6)
	n.vdel = make([]float64, 6)
	n.syn = make([]float64, 6)
	n.syn[4] = 0.5 // not zero at the start, so that Reset has something to restore
	must(sim.AddState("syn.g", n.syn))
	return n
}

// step writes every group's input from the delay lines, then steps the Sim.
func (n *network) step() {
	n.hhSpikes.ReadIndexEach(n.src, n.dly, n.arrived)
	n.hhV.ReadIndex(n.src, 80, n.vdel)
	for j := range n.tm.Input() {
		n.syn[j] *= 0.9875 // decays with τ ≈ 2 ms
		if n.arrived[j] {
			n.syn[j] += 0.2
		}
		in := 1 + 0.05*(n.vdel[j]-n.tm.V[j]) + n.syn[j]*(0-n.tm.V[j])
		if n.arrived[j] {
			in += 150
		}
		n.tm.Input()[j] = in
	}
	inh := 0
	for _, s := range n.tmSpikes.Row(20) {
		if s {
			inh++
		}
	}
	for i := range n.hh.Input() {
		n.hh.Input()[i] = 7 + 2*float64(i) - 40*float64(inh)
	}
	n.tr.Input()[0] = 1e3 * n.trCa.At(1, 40)
	n.sim.Step()
}

func (n *network) run(steps int) {
	for range steps {
		n.step()
	}
}

// pending counts the spikes of hh that tm neurons have yet to read.
func (n *network) pending() int {
	p := 0
	for j, i := range n.src {
		for a := 1; a <= int(n.dly[j]); a++ {
			if n.hhSpikes.At(int(i), a) {
				p++
			}
		}
	}
	return p
}

// snapshot is everything a Sim holds, read through the public API, as float64 bits.
type snapshot map[string][]uint64

func bitsOf(v []float64) []uint64 {
	out := make([]uint64, len(v))
	for i, x := range v {
		out[i] = math.Float64bits(x)
	}
	return out
}

func boolBits(v []bool) []uint64 {
	out := make([]uint64, len(v))
	for i, b := range v {
		if b {
			out[i] = 1
		}
	}
	return out
}

func takeSnapshot(sim *runtime.Sim, lines []*runtime.Delay, spikes []*runtime.SpikeDelay) snapshot {
	s := snapshot{}
	for _, name := range sim.Names() {
		g := sim.Group(name)
		m := g.Model()
		for _, v := range m.Vars {
			s[name+"."+v.Name] = bitsOf(g.Var(v.Name))
		}
		for _, p := range m.Params {
			if p.PerNeuron {
				s[name+"."+p.Name] = bitsOf(g.Var(p.Name))
			} else {
				v, _ := g.Param(p.Name)
				s[name+"."+p.Name] = bitsOf([]float64{v})
			}
		}
		s[name+".I_ext"] = bitsOf(g.Input())
		s[name+".spiked"] = boolBits(g.Spiked())
		s[name+".spike_time"] = bitsOf(g.SpikeTimes())
		s[name+".seed"] = []uint64{g.Seed()}
		s[name+".voltage_clamp"] = boolBits([]bool{g.VoltageClamp()})
		s[name+".now"] = bitsOf([]float64{g.Now()})
	}
	for _, l := range lines {
		var rows []uint64
		for d := l.MaxSteps(); d >= 1; d-- {
			rows = append(rows, bitsOf(l.Row(d))...)
		}
		s[l.Name()+".delay"] = rows
		s[l.Name()+".delay.pushes"] = []uint64{uint64(l.Pushes())}
	}
	for _, l := range spikes {
		var rows []uint64
		for d := l.MaxSteps(); d >= 1; d-- {
			rows = append(rows, boolBits(l.Row(d))...)
		}
		s[l.Name()+".delay"] = rows
		s[l.Name()+".delay.pushes"] = []uint64{uint64(l.Pushes())}
	}
	for _, name := range sim.StateNames() {
		s[name] = bitsOf(sim.State(name))
	}
	c := sim.Clock()
	s["clock"] = []uint64{uint64(c.Step), math.Float64bits(c.Dt)}
	return s
}

func (n *network) snapshot() snapshot { return takeSnapshot(n.sim, n.lines, n.spikes) }

// diff describes the first differences between two snapshots, or returns "".
func (s snapshot) diff(o snapshot) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if !slices.Equal(s[k], o[k]) {
			out = append(out, k)
		}
	}
	for k := range o {
		if _, ok := s[k]; !ok {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "differ in " + strings.Join(out, ", ")
}

// stateBytes is WriteState into memory.
func stateBytes(t testing.TB, sim *runtime.Sim) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sim.WriteState(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestStateRoundTrip: a state read into a fresh Sim is the state written, bit for bit, and the
// two Sims then run on identically, delayed spikes in flight included.
func TestStateRoundTrip(t *testing.T) {
	const T = 1500
	a := newNetwork(t)
	a.run(T)
	if a.pending() == 0 {
		t.Fatal("no delayed spikes in flight at the save point")
	}
	saved := stateBytes(t, a.sim)
	atT := a.snapshot()
	a.run(T)
	b := newNetwork(t)
	if b.snapshot().diff(atT) == "" {
		t.Fatal("a new network is already in the saved state")
	}
	if err := b.sim.ReadState(bytes.NewReader(saved), int64(len(saved))); err != nil {
		t.Fatal(err)
	}
	if d := b.snapshot().diff(atT); d != "" {
		t.Fatalf("the state read and the state written %s", d)
	}
	if again := stateBytes(t, b.sim); !bytes.Equal(again, saved) {
		t.Fatal("writing the state read gives other bytes")
	}
	t.Logf("%d delayed spikes in flight at step %d; state file %d bytes", b.pending(), T, len(saved))
	b.run(T)
	if d := b.snapshot().diff(a.snapshot()); d != "" {
		t.Fatalf("after %d more steps, the resumed run and the straight run %s", T, d)
	}
	if !bytes.Equal(stateBytes(t, a.sim), stateBytes(t, b.sim)) {
		t.Fatal("the final state files differ")
	}
}

// decodeArray returns the little-endian bytes of an array's data, as numpy's tobytes() does,
// written independently of the runtime's encoder.
func dataBytes(a *runtime.Array) []byte {
	var b []byte
	switch {
	case a.F64 != nil:
		for _, v := range a.F64 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	case a.Bool != nil:
		for _, v := range a.Bool {
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		}
	case a.I64 != nil:
		for _, v := range a.I64 {
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
	case a.U64 != nil:
		for _, v := range a.U64 {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
	}
	return b
}

// stateFile is a state file taken apart: its arrays and its metadata.
type stateFile struct {
	arrays []runtime.Array
	meta   map[string]any
}

func parseState(t testing.TB, data []byte) *stateFile {
	t.Helper()
	arrays, err := runtime.ReadNPZ(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if arrays[0].Name != "__meta__" || arrays[0].Str == nil {
		t.Fatalf("the first array is %s, not the metadata", arrays[0].Name)
	}
	f := &stateFile{arrays: arrays}
	if err := json.Unmarshal([]byte(*arrays[0].Str), &f.meta); err != nil {
		t.Fatal(err)
	}
	return f
}

// array returns the array of that name, or nil.
func (f *stateFile) array(name string) *runtime.Array {
	for i := range f.arrays {
		if f.arrays[i].Name == name {
			return &f.arrays[i]
		}
	}
	return nil
}

// bytes writes the file back, with the metadata as it now is and, if rehash, every array's
// SHA-256 in the metadata recomputed (so that only the change made is wrong).
func (f *stateFile) bytes(t testing.TB, rehash bool) []byte {
	t.Helper()
	if rehash {
		var list []any
		for i := range f.arrays[1:] {
			a := &f.arrays[1+i]
			sum := sha256.Sum256(dataBytes(a))
			list = append(list, map[string]any{"name": a.Name, "dtype": dtypeOf(a), "shape": a.Shape, "sha256": hex.EncodeToString(sum[:])})
		}
		f.meta["arrays"] = list
	}
	js, err := json.Marshal(f.meta)
	if err != nil {
		t.Fatal(err)
	}
	text := string(js)
	f.arrays[0].Str = &text
	var b bytes.Buffer
	if err := runtime.WriteNPZ(&b, f.arrays); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dtypeOf(a *runtime.Array) string {
	switch {
	case a.F64 != nil:
		return "<f8"
	case a.Bool != nil:
		return "|b1"
	case a.I64 != nil:
		return "<i8"
	case a.U64 != nil:
		return "<u8"
	}
	return "?"
}

// TestStateFileLayout checks the arrays of a state file, their dtypes, shapes and SHA-256s, and
// the metadata, against the documented format.
func TestStateFileLayout(t *testing.T) {
	n := newNetwork(t)
	n.run(300)
	f := parseState(t, stateBytes(t, n.sim))
	var names []string
	for _, a := range f.arrays {
		names = append(names, a.Name)
	}
	want := []string{"__meta__"}
	for _, g := range []struct {
		name string
		vars []string
	}{
		{"hh", []string{"V", "Na.m", "Na.h", "K.n", "C", "V_th", "Na.g_max", "Na.E", "K.g_max", "K.E", "L.g_max", "L.E"}},
		{"tm", []string{"V", "Na.m", "Na.h", "K.n", "C", "V_th", "V_T", "Na.g_max", "Na.E", "K.g_max", "K.E", "L.g_max", "L.E"}},
	} {
		for _, v := range g.vars {
			want = append(want, g.name+"."+v)
		}
		for _, v := range []string{"I_ext", "spiked", "spike_time", "seed", "voltage_clamp", "now"} {
			want = append(want, g.name+"."+v)
		}
	}
	if !slices.Equal(names[:len(want)], want) {
		t.Errorf("the file's first arrays are\n%v\nwant\n%v", names[:len(want)], want)
	}
	for _, name := range []string{"ml.Ca.g_max", "tr.Ca_i", "hh.V.delay", "tm.Na.m.delay", "tr.Ca_i.delay", "ml.Ca.g_max.delay", "hh.spiked.delay", "tm.spiked.delay"} {
		if f.array(name) == nil {
			t.Errorf("no array %s", name)
		}
	}
	if tail := names[len(names)-13 : len(names)-1]; !slices.Equal(tail, []string{
		"hh.V.delay", "hh.V.delay.pushes", "tm.Na.m.delay", "tm.Na.m.delay.pushes", "tr.Ca_i.delay", "tr.Ca_i.delay.pushes",
		"ml.Ca.g_max.delay", "ml.Ca.g_max.delay.pushes", "hh.spiked.delay", "hh.spiked.delay.pushes", "tm.spiked.delay", "tm.spiked.delay.pushes",
	}) {
		t.Errorf("the delay lines' arrays are %v", tail)
	}
	if a := f.array("syn.g"); names[len(names)-1] != "syn.g" || a == nil || dtypeOf(a) != "<f8" || !slices.Equal(a.Shape, []int{6}) || !slices.Equal(a.F64, n.syn) {
		t.Errorf("the last array is %s, want syn.g, <f8 [6], the user's state", names[len(names)-1])
	}
	check := func(name, dtype string, shape ...int) *runtime.Array {
		t.Helper()
		a := f.array(name)
		if a == nil || dtypeOf(a) != dtype || !slices.Equal(a.Shape, shape) {
			t.Fatalf("array %s: %v, want %s %v", name, a, dtype, shape)
		}
		return a
	}
	check("hh.V", "<f8", 8)
	check("hh.C", "<f8")
	check("ml.Ca.g_max", "<f8", 4)
	check("hh.spiked", "|b1", 8)
	check("hh.seed", "<u8")
	check("tr.voltage_clamp", "|b1")
	check("hh.now", "<f8")
	if a := check("hh.seed", "<u8"); a.U64[0] != 11 {
		t.Errorf("hh.seed = %d, want 11", a.U64[0])
	}
	if a := check("tr.voltage_clamp", "|b1"); !a.Bool[0] {
		t.Error("tr.voltage_clamp is false")
	}
	// A line's rows are oldest first: the last is the latest push, V now.
	ring := check("hh.V.delay", "<f8", 80, 8)
	if !slices.Equal(ring.F64[79*8:], n.hh.V) || !slices.Equal(ring.F64[:8], n.hhV.Row(80)) {
		t.Error("hh.V.delay is not in chronological order, oldest first")
	}
	check("hh.spiked.delay", "|b1", 200, 8)
	if a := check("hh.V.delay.pushes", "<i8"); a.I64[0] != 300 {
		t.Errorf("hh.V.delay.pushes = %d, want 300", a.I64[0])
	}
	// The metadata, decoded strictly into the documented fields.
	var meta struct {
		Format        string  `json:"format"`
		FormatVersion int     `json:"format_version"`
		RuntimeAPI    int     `json:"runtime_api"`
		Neurogen      string  `json:"neurogen_version"`
		Step          int64   `json:"step"`
		T             float64 `json:"t"`
		Dt            float64 `json:"dt"`
		Groups        []struct {
			Name, Model string
			SpecHash    string `json:"spec_hash"`
			LayoutHash  string `json:"layout_hash"`
			Size        int
			Method      string
			Float32     bool
			Layout      []string
		} `json:"groups"`
		Delays []struct {
			Array, Group, Var, Kind string
			MaxSteps                int `json:"max_steps"`
			Init                    float64
		} `json:"delays"`
		States []struct {
			Name string
			Size int
		} `json:"states"`
		Arrays []any `json:"arrays"`
	}
	dec := json.NewDecoder(strings.NewReader(*f.arrays[0].Str))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&meta); err != nil {
		t.Fatal(err)
	}
	if meta.Format != "neurogen-state" || meta.FormatVersion != 2 || meta.RuntimeAPI != runtime.APIVersion || meta.Neurogen != runtime.Version ||
		meta.Step != 300 || meta.T != 300*netDt || meta.Dt != netDt {
		t.Errorf("metadata %+v", meta)
	}
	if len(meta.Groups) != 4 || meta.Groups[0].Name != "hh" || meta.Groups[0].Model != "HH52" || meta.Groups[0].Size != 8 ||
		meta.Groups[0].SpecHash != n.hh.Model().SpecHash || meta.Groups[0].LayoutHash != n.hh.Model().LayoutHash ||
		meta.Groups[3].Name != "tr" || meta.Groups[3].Model != "ThalamicRelay" || meta.Groups[3].Size != 3 {
		t.Errorf("metadata groups %+v", meta.Groups)
	}
	// Each group's method, precision and layout, which hh52's generated Model describes.
	hhLayout := []string{"var V (mV, voltage)", "var Na.m (1, gate)", "var Na.h (1, gate)", "var K.n (1, gate)",
		"param C (uF/cm2, one per group)", "param V_th (mV, one per group)", "param Na.g_max (mS/cm2, one per group)", "param Na.E (mV, one per group)",
		"param K.g_max (mS/cm2, one per group)", "param K.E (mV, one per group)", "param L.g_max (mS/cm2, one per group)", "param L.E (mV, one per group)"}
	if g := meta.Groups[0]; g.Method != "exp_auto" || g.Float32 || !slices.Equal(g.Layout, hhLayout) {
		t.Errorf("metadata of group hh: method %q, float32 %v, layout\n%s\nwant exp_auto, false,\n%s", g.Method, g.Float32, strings.Join(g.Layout, "\n"), strings.Join(hhLayout, "\n"))
	}
	if g := meta.Groups[2]; !slices.Contains(g.Layout, "param Ca.g_max (mS/cm2, per neuron)") {
		t.Errorf("metadata of group ml: layout %q has no per-neuron Ca.g_max", g.Layout)
	}
	if d := meta.Delays; len(d) != 6 || fmt.Sprint(d[0]) != "{hh.V.delay hh V float64 80 -65}" || fmt.Sprint(d[5]) != "{tm.spiked.delay tm spiked spikes 40 0}" {
		t.Errorf("metadata delays %+v", d)
	}
	if s := meta.States; len(s) != 1 || s[0].Name != "syn.g" || s[0].Size != 6 {
		t.Errorf("metadata states %+v", s)
	}
	m := f.meta
	listed := m["arrays"].([]any)
	if len(listed) != len(f.arrays)-1 {
		t.Fatalf("the metadata lists %d arrays, the file holds %d besides it", len(listed), len(f.arrays)-1)
	}
	for i, l := range listed {
		l := l.(map[string]any)
		a := &f.arrays[i+1]
		sum := sha256.Sum256(dataBytes(a))
		shape, _ := json.Marshal(l["shape"])
		wantShape, _ := json.Marshal(a.Shape)
		if l["name"] != a.Name || l["dtype"] != dtypeOf(a) || !bytes.Equal(shape, wantShape) || l["sha256"] != hex.EncodeToString(sum[:]) {
			t.Errorf("metadata lists %v for array %s (%s %v, sha256 %x)", l, a.Name, dtypeOf(a), a.Shape, sum)
		}
	}
}

// failLoad loads data into sim from a file and checks that it fails with an error that
// contains every one of want and names the file, and that the sim is as it was.
func failLoad(t *testing.T, what string, sim *runtime.Sim, before snapshot, lines []*runtime.Delay, spikes []*runtime.SpikeDelay, data []byte, want ...string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bad.npz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err := sim.Load(path)
	if err == nil {
		t.Errorf("%s: Load did not fail", what)
		return
	}
	for _, w := range append([]string{"load state from " + path + ": "}, want...) {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: Load's error %q does not say %q", what, err, w)
		}
	}
	if d := takeSnapshot(sim, lines, spikes).diff(before); d != "" {
		t.Errorf("%s: the failed Load changed the sim: its state and the state before %s", what, d)
	}
}

// zipEntry returns the offset in a zip file of an entry's data and its length.
func zipEntry(t *testing.T, data []byte, name string) (off, n int64) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			return off, int64(f.CompressedSize64)
		}
	}
	t.Fatalf("no entry %s", name)
	return 0, 0
}

// TestLoadFaults: a damaged, incomplete, inconsistent or foreign state file is refused with an
// error that names the file and the problem, and the Sim is left exactly as it was.
func TestLoadFaults(t *testing.T) {
	n := newNetwork(t)
	n.run(700)
	good := stateBytes(t, n.sim)
	n.run(300) // the sim is no longer in the file's state
	before := n.snapshot()
	fail := func(what string, data []byte, want ...string) {
		t.Helper()
		failLoad(t, what, n.sim, before, n.lines, n.spikes, data, want...)
	}

	// Truncated at every 1/16 of the file.
	for k := range 16 {
		fail(fmt.Sprintf("truncated to %d/16", k), good[:len(good)*k/16], "not a readable NPZ (zip) file")
	}
	// A flipped byte in the data of every array and in the metadata: the zip's checksum.
	f := parseState(t, good)
	for _, a := range f.arrays {
		off, size := zipEntry(t, good, a.Name+".npy")
		hlen := 10 + int64(binary.LittleEndian.Uint16(good[off+8:]))
		bad := slices.Clone(good)
		bad[off+hlen+(size-hlen)/2] ^= 0x10
		fail("flipped byte in "+a.Name, bad, "array "+a.Name+" is corrupted (its checksum does not match)")
	}
	// A changed value with a good zip checksum: the SHA-256 in the metadata.
	f = parseState(t, good)
	f.array("tm.Na.h").F64[3] += 1e-12
	fail("changed value", f.bytes(t, false), "array tm.Na.h is corrupted: its SHA-256 is ")
	// Arrays missing, extra, of the wrong dtype or shape, listed in the metadata or not.
	f = parseState(t, good)
	f.arrays = slices.DeleteFunc(f.arrays, func(a runtime.Array) bool { return a.Name == "hh.Na.h" })
	fail("missing array, listed", f.bytes(t, false), "array hh.Na.h is listed in the metadata but missing from the file")
	fail("missing array", f.bytes(t, true), "group \"hh\": array hh.Na.h is missing")
	f = parseState(t, good)
	f.arrays = slices.DeleteFunc(f.arrays, func(a runtime.Array) bool { return a.Name == "tr.Ca_i.delay.pushes" })
	fail("missing pushes", f.bytes(t, true), "delay line tr.Ca_i: array tr.Ca_i.delay.pushes is missing")
	f = parseState(t, good)
	f.arrays = append(f.arrays, runtime.Array{Name: "hh.extra", Shape: []int{8}, F64: make([]float64, 8)})
	fail("extra array, unlisted", f.bytes(t, false), "array hh.extra is not listed in the metadata")
	fail("extra array", f.bytes(t, true), "array hh.extra is not part of the sim's state (unexpected array)")
	f = parseState(t, good)
	seed := f.array("ml.seed")
	seed.I64, seed.U64 = []int64{int64(seed.U64[0])}, nil
	fail("wrong dtype", f.bytes(t, true), "group \"ml\": array ml.seed is <i8 [], want <u8 []")
	f = parseState(t, good)
	f.array("tm.C").Shape, f.array("tm.C").F64 = []int{1}, []float64{1}
	fail("wrong shape", f.bytes(t, true), "group \"tm\": array tm.C is <f8 [1], want <f8 []")
	f = parseState(t, good)
	f.meta["arrays"].([]any)[1].(map[string]any)["shape"] = []int{3}
	fail("metadata shape", f.bytes(t, false), "array hh.Na.m is <f8 [8], but the metadata says <f8 [3]")
	// Values that must be finite.
	for _, c := range []struct {
		array string
		i     int
		v     float64
		want  string
	}{
		{"hh.V", 2, math.NaN(), "group \"hh\": array hh.V: neuron 2 holds NaN, not a finite number"},
		{"tr.Ca_i", 0, math.Inf(1), "group \"tr\": array tr.Ca_i: neuron 0 holds +Inf, not a finite number"},
		{"ml.Ca.g_max", 3, math.NaN(), "group \"ml\": array ml.Ca.g_max: neuron 3 holds NaN"},
		{"tm.V_T", 0, math.NaN(), "group \"tm\": array tm.V_T: its value holds NaN"},
		{"hh.I_ext", 1, math.Inf(-1), "group \"hh\": array hh.I_ext: neuron 1 holds -Inf"},
		{"hh.spike_time", 1, math.NaN(), "group \"hh\": array hh.spike_time: neuron 1 holds NaN, neither a time nor -Inf (no spike yet)"},
		{"hh.spike_time", 4, math.Inf(1), "group \"hh\": array hh.spike_time: neuron 4 holds +Inf"},
		{"tm.now", 0, math.NaN(), "group \"tm\": array tm.now: its value holds NaN"},
		{"hh.V.delay", 8*3 + 5, math.NaN(), "delay line hh.V: array hh.V.delay: row 3, neuron 5 holds NaN"},
		{"syn.g", 5, math.Inf(1), "state syn.g: array syn.g: neuron 5 holds +Inf, not a finite number"},
	} {
		f = parseState(t, good)
		f.array(c.array).F64[c.i] = c.v
		fail("non-finite "+c.array, f.bytes(t, true), c.want)
	}
	// Delay lines out of step with the clock.
	f = parseState(t, good)
	f.array("hh.spiked.delay.pushes").I64[0] = 701
	fail("too many pushes", f.bytes(t, true), "delay line hh.spiked: array hh.spiked.delay.pushes: 701 pushes at step 700 (want 0 to 700)")
	f = parseState(t, good)
	f.array("hh.spiked.delay.pushes").I64[0] = -1
	fail("negative pushes", f.bytes(t, true), "-1 pushes at step 700")
	f = parseState(t, good)
	f.array("hh.spiked.delay.pushes").I64[0] = 10
	f.array("hh.spiked.delay").Bool[8*3] = true
	fail("spikes before the first push", f.bytes(t, true), "delay line hh.spiked: array hh.spiked.delay: row 3 holds values although the line has been pushed only 10 times")
	f = parseState(t, good)
	f.array("hh.V.delay.pushes").I64[0] = 10
	fail("values before the first push", f.bytes(t, true), "delay line hh.V: array hh.V.delay: row 0 holds values although the line has been pushed only 10 times")
	// Metadata that does not fit.
	for _, c := range []struct {
		what string
		edit func(m map[string]any)
		want string
	}{
		{"format", func(m map[string]any) { m["format"] = "other" }, `metadata: format "other", not "neurogen-state": not a neurogen state file`},
		{"version", func(m map[string]any) { m["format_version"] = 3 }, "metadata: format version 3; this runtime reads versions 1 and 2"},
		{"api", func(m map[string]any) { m["runtime_api"] = 0 }, "metadata: written for runtime API version 0; this runtime is version 1"},
		{"unknown field", func(m map[string]any) { m["colour"] = "red" }, `metadata (__meta__): json: unknown field "colour"`},
		{"dt", func(m map[string]any) { m["dt"] = 0.01 }, "clock: the file's time step is 0.01 ms, the sim's 0.025 ms"},
		{"t", func(m map[string]any) { m["t"] = 17.5 + 1e-12 }, "clock: step 700 at t = 17.500000000001 ms is not consistent with dt = 0.025 ms"},
		{"step", func(m map[string]any) { m["step"] = -1; m["t"] = -0.025 }, "clock: step -1 at t = -0.025 ms"},
		{"layout hash", func(m map[string]any) { m["groups"].([]any)[0].(map[string]any)["layout_hash"] = "x" },
			"group \"hh\" (model HH52): the file's layout hash is x, the sim's group's ce864ad8"},
		{"layout", func(m map[string]any) {
			g := m["groups"].([]any)[0].(map[string]any)
			g["layout_hash"], g["layout"].([]any)[2] = "x", "var Na.j (1, gate)"
		}, "group \"hh\" (model HH52): the file's state has another layout: where it has var Na.j (1, gate), the sim's group has var Na.h (1, gate) (was the spec changed?)"},
		{"layout longer", func(m map[string]any) {
			g := m["groups"].([]any)[0].(map[string]any)
			g["layout_hash"], g["layout"] = "x", append(g["layout"].([]any), "param Q (1, one per group)")
		}, "where it has param Q (1, one per group), the sim's group has nothing"},
		{"layout, version 1", func(m map[string]any) {
			g := m["groups"].([]any)[0].(map[string]any)
			g["layout_hash"] = "x"
			delete(g, "layout")
		}, "group \"hh\" (model HH52): the file's state has another layout (variables or parameters; layout x), the sim's group layout ce864ad8"},
		{"float32", func(m map[string]any) {
			g := m["groups"].([]any)[0].(map[string]any)
			g["layout_hash"], g["float32"] = "x", true
		}, "group \"hh\" (model HH52): the file holds float32 state (generated with -float32), the sim's group float64 state"},
		{"method", func(m map[string]any) { m["groups"].([]any)[0].(map[string]any)["method"] = "staggered" },
			"group \"hh\" (model HH52): the state was saved by a build that integrates with staggered, the sim's group with exp_auto (the staggered method keeps the gates half a step ahead of V, the others at V's time); to resume it under exp_auto anyway, load it with LoadOptions{AnyMethod: true}"},
		{"huge step", func(m map[string]any) { m["step"] = math.MaxInt64; m["t"] = float64(math.MaxInt64) * netDt },
			"clock: step 9223372036854775807 is past the last step a clock counts exactly, 9007199254740992 (2^53)"},
		{"step 2^62", func(m map[string]any) { m["step"] = 1 << 62; m["t"] = float64(1<<62) * netDt },
			"clock: step 4611686018427387904 is past the last step"},
		{"model", func(m map[string]any) { m["groups"].([]any)[1].(map[string]any)["model"] = "HH52" },
			"group \"tm\": the file holds model HH52 (layout "},
		{"size", func(m map[string]any) { m["groups"].([]any)[2].(map[string]any)["size"] = 5 },
			"group \"ml\" (model MorrisLecar): the file holds 5 neurons, the sim's group has 4"},
		{"group missing", func(m map[string]any) { m["groups"] = m["groups"].([]any)[:3] }, "group \"tr\" is in the sim but not in the file"},
		{"group extra", func(m map[string]any) { m["groups"].([]any)[3].(map[string]any)["name"] = "tx" }, "group \"tx\" (model ThalamicRelay) is in the file but not in the sim"},
		{"group twice", func(m map[string]any) { m["groups"] = append(m["groups"].([]any), m["groups"].([]any)[0]) }, "metadata: group hh is listed twice"},
		{"line max", func(m map[string]any) { m["delays"].([]any)[0].(map[string]any)["max_steps"] = 81 }, "delay line hh.V.delay: the file's holds 81 steps, the sim's 80"},
		{"line init", func(m map[string]any) { m["delays"].([]any)[0].(map[string]any)["init"] = -64 }, "delay line hh.V.delay: the file's initial value is -64, the sim's -65"},
		{"line kind", func(m map[string]any) { m["delays"].([]any)[4].(map[string]any)["kind"] = "float64" },
			"delay line hh.spiked.delay: the file's is a float64 line over hh.spiked, the sim's a spikes line over hh.spiked"},
		{"line missing", func(m map[string]any) { m["delays"] = m["delays"].([]any)[1:] }, "delay line hh.V.delay is in the sim but not in the file"},
		{"line extra", func(m map[string]any) { m["delays"].([]any)[0].(map[string]any)["array"] = "hh.W.delay" }, "delay line hh.W.delay (hh.V) is in the file but not in the sim"},
		{"state missing", func(m map[string]any) { m["states"] = []any{} }, "state syn.g is in the sim (AddState) but not in the file"},
		{"state extra", func(m map[string]any) { m["states"].([]any)[0].(map[string]any)["name"] = "syn.w" }, "state syn.w (6 values) is in the file but not in the sim (AddState)"},
		{"state size", func(m map[string]any) { m["states"].([]any)[0].(map[string]any)["size"] = 7 }, "state syn.g: the file holds 7 values, the sim's state has 6"},
		{"state twice", func(m map[string]any) { m["states"] = append(m["states"].([]any), m["states"].([]any)[0]) }, "metadata: state syn.g is listed twice"},
	} {
		f = parseState(t, good)
		c.edit(f.meta)
		fail("metadata "+c.what, f.bytes(t, false), c.want)
	}
	npz := func(arrays []runtime.Array) []byte {
		var b bytes.Buffer
		if err := runtime.WriteNPZ(&b, arrays); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	f = parseState(t, good)
	fail("no metadata", npz(f.arrays[1:]), "no __meta__ array: not a neurogen state file")
	f.arrays[0].Str, f.arrays[0].I64 = nil, []int64{1}
	fail("metadata not text", npz(f.arrays), "array __meta__ is not a 0-d text array")
	f = parseState(t, good)
	*f.arrays[0].Str += "{}"
	fail("metadata with a tail", npz(f.arrays), "metadata (__meta__): text after the JSON object")
	fail("not a zip", []byte("neurogen"), "not a readable NPZ (zip) file")
	// A file that does not exist.
	if err := n.sim.Load(filepath.Join(t.TempDir(), "none.npz")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
	// After all that, the good file loads.
	path := filepath.Join(t.TempDir(), "good.npz")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := n.sim.Load(path); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stateBytes(t, n.sim), good) {
		t.Error("after the good Load, the sim's state is not the file's")
	}
}

// smallSim returns a Sim of one group "g" with a line over V and one over spikes, run a little.
func smallSim(t *testing.T, g runtime.Group, dt float64, maxDelay float64) (*runtime.Sim, []*runtime.Delay, []*runtime.SpikeDelay) {
	t.Helper()
	sim, err := runtime.NewSim(dt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Input() {
		g.Input()[i] = 10 + float64(i)
	}
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	l, err := sim.NewDelay("g", "V", maxDelay, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.NewSpikeDelay("g", maxDelay)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(400)
	return sim, []*runtime.Delay{l}, []*runtime.SpikeDelay{s}
}

// TestLoadForeign: a state file of another model, size, time step or set of delay lines is
// refused, and the Sim is left as it was.
func TestLoadForeign(t *testing.T) {
	src, _, _ := smallSim(t, hh52.New(4), 0.025, 1)
	data := stateBytes(t, src)
	for _, c := range []struct {
		what     string
		g        runtime.Group
		dt, maxD float64
		want     string
	}{
		{"wrong model", traubmiles.New(4), 0.025, 1, "group \"g\": the file holds model HH52 (layout ce864ad80e662def9e5f090524832f0136e820f081ecd1ddd22867c03c931080), the sim's group is model TraubMiles (layout "},
		{"wrong size", hh52.New(5), 0.025, 1, "group \"g\" (model HH52): the file holds 4 neurons, the sim's group has 5"},
		{"wrong dt", hh52.New(4), 0.01, 1, "clock: the file's time step is 0.025 ms, the sim's 0.01 ms"},
		{"wrong line", hh52.New(4), 0.025, 2, "delay line g.V.delay: the file's holds 40 steps, the sim's 80"},
	} {
		sim, lines, spikes := smallSim(t, c.g, c.dt, c.maxD)
		failLoad(t, c.what, sim, takeSnapshot(sim, lines, spikes), lines, spikes, data, c.want)
	}
}

// refusing is a passive group whose SetParam refuses E_L, as a group might refuse a value it
// cannot take.
type refusing struct{ *passive }

func (g refusing) SetParam(name string, v float64) error {
	if name == "E_L" {
		return errors.New("E_L is fixed")
	}
	return g.passive.SetParam(name, v)
}

// TestLoadUndoesParams: when a group refuses a parameter while a state is applied, the
// parameters already set are put back and nothing else changes.
func TestLoadUndoesParams(t *testing.T) {
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	a, b := newPassive(2), newPassive(2)
	if err := sim.Add("a", a); err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("b", refusing{b}); err != nil {
		t.Fatal(err)
	}
	a.gL, b.gL = 0.2, 0.3
	sim.Run(10)
	data := stateBytes(t, sim)
	a.gL, b.gL, a.EL, b.EL = 0.5, 0.6, -70, -71
	sim.Run(3)
	before := takeSnapshot(sim, nil, nil)
	failLoad(t, "refused parameter", sim, before, nil, nil, data, "group \"b\": array b.E_L: E_L is fixed")
	if a.gL != 0.5 || a.EL != -70 || b.gL != 0.6 {
		t.Errorf("parameters after the failed load: %g %g %g", a.gL, a.EL, b.gL)
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct {
	w io.Writer
	n int
}

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// dirFiles lists the names in dir.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSaveFaults: a write, sync, close or rename that fails leaves the previous file as it was
// and no temporary file behind, and a failing writer gets an error; the Sim is unchanged.
func TestSaveFaults(t *testing.T) {
	n := newNetwork(t)
	n.run(200)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.npz")
	if err := n.sim.Save(path); err != nil {
		t.Fatal(err)
	}
	previous, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(previous, stateBytes(t, n.sim)) {
		t.Fatal("Save and WriteState give different bytes")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("a new state file has mode %v, want 0644", fi.Mode())
	}
	n.run(100)
	before := n.snapshot()
	size := len(stateBytes(t, n.sim))
	intact := func(what string, err error, want ...string) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
		}
		for _, w := range want {
			if err != nil && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", what, err, w)
			}
		}
		if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, previous) {
			t.Errorf("%s: the previous file changed (%v)", what, err)
		}
		if names := dirFiles(t, dir); !slices.Equal(names, []string{"state.npz"}) {
			t.Errorf("%s: the directory holds %v", what, names)
		}
		if d := n.snapshot().diff(before); d != "" {
			t.Errorf("%s: the sim changed: %s", what, d)
		}
	}
	for _, k := range []int{0, 1, 100, size / 2, size - 1} {
		var b bytes.Buffer
		err := n.sim.WriteState(&failingWriter{w: &b, n: k})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("WriteState failing after %d of %d bytes: %v", k, size, err)
		}
		undo := runtime.SetSaveFaults(func(w io.Writer) io.Writer { return &failingWriter{w: w, n: k} }, nil)
		err = n.sim.Save(path)
		undo()
		intact(fmt.Sprintf("write failing after %d of %d bytes", k, size), err, "save state to "+path+": writing ", "disk full")
	}
	for _, stage := range []string{"chmod", "sync", "close", "rename"} {
		undo := runtime.SetSaveFaults(nil, func(s string) error {
			if s == stage {
				return errDiskFull
			}
			return nil
		})
		err := n.sim.Save(path)
		undo()
		intact(stage+" failing", err, "save state to "+path+": "+stage+" ", "disk full")
	}
	// A state that could not be loaded back is not saved over a good one.
	v := n.hh.V[3]
	n.hh.V[3] = math.NaN()
	err = n.sim.Save(path)
	n.hh.V[3] = v
	intact("NaN in V", err, "save state to "+path+": group \"hh\": array hh.V: neuron 3 holds NaN, not a finite number; a state that cannot be loaded back is not saved")
	// Renaming over a directory fails; the directory stays as it was.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := n.sim.Save(sub); err == nil {
		t.Error("Save over a directory did not fail")
	}
	if names := dirFiles(t, dir); !slices.Equal(names, []string{"state.npz", "sub"}) {
		t.Errorf("after a Save over a directory, the directory holds %v", names)
	}
	if err := n.sim.Save(filepath.Join(dir, "none", "state.npz")); err == nil {
		t.Error("Save into a missing directory did not fail")
	}
	// A failure to sync the directory comes after the rename: the new file is in place.
	undo := runtime.SetSaveFaults(nil, func(s string) error {
		if s == "syncdir" {
			return errDiskFull
		}
		return nil
	})
	err = n.sim.Save(path)
	undo()
	if err == nil || !strings.Contains(err.Error(), "the file is in place, but syncing its directory failed: disk full") {
		t.Errorf("syncdir failing: %v", err)
	}
	// Save keeps the mode of the file it replaces.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := n.sim.Save(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("the replaced file has mode %v, want 0600", fi.Mode())
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, stateBytes(t, n.sim)) {
		t.Error("the saved file is not the state")
	}
}

// TestStateNameClash: a model whose parameter takes the name of one of the group's own arrays
// cannot be saved, with an error that says which.
func TestStateNameClash(t *testing.T) {
	g := newPassive(2)
	g.model.Params = append(g.model.Params, runtime.Param{Name: "spiked", Unit: "1"})
	clash := clashing{g}
	sim, err := runtime.NewSim(0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Add("p", clash); err != nil {
		t.Fatal(err)
	}
	err = sim.WriteState(io.Discard)
	if want := "group \"p\": array name p.spiked is taken by group \"p\""; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("WriteState: %v, want %q", err, want)
	}
}

// clashing is a passive group with a parameter named "spiked".
type clashing struct{ *passive }

func (g clashing) Param(name string) (float64, bool) {
	if name == "spiked" {
		return 1, true
	}
	return g.passive.Param(name)
}

// TestLoadFaultCodes: a state file that cannot be loaded is refused with a StateError whose
// code says which kind of fault, through Load's wrapping with the file name; TestLoadFaults
// holds the wording.
func TestLoadFaultCodes(t *testing.T) {
	n := newNetwork(t)
	n.run(700)
	good := stateBytes(t, n.sim)
	n.run(300)
	edit := func(change func(f *stateFile), rehash bool) []byte {
		f := parseState(t, good)
		change(f)
		return f.bytes(t, rehash)
	}
	off, size := zipEntry(t, good, "hh.V.npy")
	flipped := slices.Clone(good)
	flipped[off+size-3] ^= 0x10
	for _, c := range []struct {
		what string
		data []byte
		want runtime.StateCode
	}{
		{"truncated", good[:len(good)/2], runtime.Unreadable},
		{"flipped byte", flipped, runtime.Corrupted},
		{"changed value", edit(func(f *stateFile) { f.array("tm.Na.h").F64[3] += 1e-12 }, false), runtime.Corrupted},
		{"other format", edit(func(f *stateFile) { f.meta["format"] = "other" }, true), runtime.NotAStateFile},
		{"newer version", edit(func(f *stateFile) { f.meta["format_version"] = 3 }, true), runtime.UnsupportedStateVersion},
		{"other dt", edit(func(f *stateFile) { f.meta["dt"] = 0.01 }, true), runtime.ClockMismatch},
		{"other layout", edit(func(f *stateFile) {
			f.meta["groups"].([]any)[0].(map[string]any)["layout_hash"] = "x"
		}, true), runtime.SimMismatch},
		{"extra array", edit(func(f *stateFile) {
			f.arrays = append(f.arrays, runtime.Array{Name: "hh.extra", Shape: []int{8}, F64: make([]float64, 8)})
		}, true), runtime.SimMismatch},
		{"NaN", edit(func(f *stateFile) { f.array("hh.V").F64[2] = math.NaN() }, true), runtime.InvalidValue},
		{"too many pushes", edit(func(f *stateFile) { f.array("hh.spiked.delay.pushes").I64[0] = 701 }, true), runtime.InvalidValue},
	} {
		path := filepath.Join(t.TempDir(), "bad.npz")
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := n.sim.Load(path)
		var se *runtime.StateError
		if !errors.As(err, &se) || se.Code != c.want {
			t.Errorf("%s: Load: %v, want a StateError %s", c.what, err, c.want)
		}
	}
}
