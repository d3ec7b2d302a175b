package runtime_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/generated/hh52rk4"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/runtime"
)

// zerosDeflated returns a raw deflate stream of n MiB of zero bytes, built without compressing
// n MiB: the block that encodes a MiB of zeros after zeros is repeated (deflate ≈ 1000:1).
func zerosDeflated(t testing.TB, prefix []byte, mib int) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	w.Write(prefix)
	w.Write(zeros)
	w.Flush()
	first := out.Len()
	w.Write(zeros)
	w.Flush()
	block := bytes.Clone(out.Bytes()[first:])
	out.Truncate(first)
	for range mib - 1 {
		out.Write(block)
	}
	// A final empty stored block ends the stream.
	out.Write([]byte{1, 0, 0, 0xff, 0xff})
	// Check a cheap sample: the stream inflates to the right length.
	if mib <= 4 {
		n, err := io.Copy(io.Discard, flate.NewReader(bytes.NewReader(out.Bytes())))
		if err != nil || n != int64(len(prefix))+int64(mib)<<20 {
			t.Fatalf("the zero stream inflates to %d bytes (%v), want %d", n, err, int64(len(prefix))+int64(mib)<<20)
		}
	}
	return out.Bytes()
}

// zerosCRC is the CRC-32 of prefix and n MiB of zeros. It remembers what it computed: a GiB
// takes a tenth of a second, and TestLoadZipBomb asks for twenty GiB entries, most with one
// prefix.
func zerosCRC(prefix []byte, mib int) uint32 {
	key := fmt.Sprintf("%x %d", prefix, mib)
	zerosCRCs.Lock()
	defer zerosCRCs.Unlock()
	if c, ok := zerosCRCs.m[key]; ok {
		return c
	}
	zeros := make([]byte, 1<<20)
	c := crc32.ChecksumIEEE(prefix)
	for range mib {
		c = crc32.Update(c, crc32.IEEETable, zeros)
	}
	if zerosCRCs.m == nil {
		zerosCRCs.m = map[string]uint32{}
	}
	zerosCRCs.m[key] = c
	return c
}

// zerosCRCs holds zerosCRC's results by prefix and length.
var zerosCRCs struct {
	sync.Mutex
	m map[string]uint32
}

// npyF64Header is the NPY header of a float64 array of n elements.
func npyF64Header(n int64) []byte {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }", n)
	dict += strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	h := []byte("\x93NUMPY\x01\x00")
	h = binary.LittleEndian.AppendUint16(h, uint16(len(dict)))
	return append(h, dict...)
}

// bombEntry is a zip entry of a float64 array of mib MiB of zeros, deflated; declared, when
// not 0, replaces the uncompressed size in the zip's directory (a lying header).
type bombEntry struct {
	name     string
	mib      int
	declared uint64
	elems    int64 // when not 0, the elements its NPY header declares (a lying header)
}

// bombFile writes a state file's entries (those of good not named by a bomb) and the bombs.
func bombFile(t testing.TB, good []byte, bombs []bombEntry) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	replaced := map[string]bool{}
	for _, bomb := range bombs {
		replaced[bomb.name+".npy"] = true
	}
	for _, f := range z.File {
		if replaced[f.Name] {
			continue
		}
		r, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		fw, err := w.CreateRaw(&f.FileHeader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(fw, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, bomb := range bombs {
		header := npyF64Header(int64(bomb.mib) << 17)
		if bomb.elems != 0 {
			header = npyF64Header(bomb.elems)
		}
		data := zerosDeflated(t, header, bomb.mib)
		size := uint64(len(header)) + uint64(bomb.mib)<<20
		if bomb.declared != 0 {
			size = bomb.declared
		}
		fw, err := w.CreateRaw(&zip.FileHeader{Name: bomb.name + ".npy", Method: zip.Deflate,
			CRC32: zerosCRC(header, bomb.mib), CompressedSize64: uint64(len(data)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLoadZipBomb: a small state file whose entries inflate to gigabytes is refused in well
// under a second and without allocating more than a few megabytes, whether its entries declare
// their size (one entry or eight, named as the Sim's arrays or not, the metadata itself) or lie
// about it; and the Sim is left as it was.
func TestLoadZipBomb(t *testing.T) {
	g := hh52.New(4)
	sim, lines, spikes := smallSim(t, g, 0.025, 1)
	good := stateBytes(t, sim)
	sim.Run(10)
	before := takeSnapshot(sim, lines, spikes)
	names := []string{"g.V", "g.Na.m", "g.Na.h", "g.K.n", "g.I_ext", "g.spike_time", "g.V.delay", "g.C"}
	var eight, foreign []bombEntry
	for i, name := range names {
		eight = append(eight, bombEntry{name: name, mib: 1024})
		foreign = append(foreign, bombEntry{name: fmt.Sprintf("bomb%d", i), mib: 1024})
	}
	for _, c := range []struct {
		what  string
		bombs []bombEntry
		want  string
	}{
		{"one GiB entry", []bombEntry{{name: "g.V", mib: 1024}}, "array g.V is too large: 1073741952 bytes, at most"},
		{"eight GiB entries", eight, "is too large: 1073741952 bytes"},
		{"eight foreign GiB entries", foreign, "array bomb0 is not listed in the metadata"},
		{"metadata of a GiB", []bombEntry{{name: "__meta__", mib: 1024}}, "array __meta__ is too large: 1073741952 bytes, at most"},
		{"lying entry", []bombEntry{{name: "g.V", mib: 1024, declared: 128 + 32}}, "array g.V"},
		{"lying entry and header", []bombEntry{{name: "g.V", mib: 1024, declared: 128 + 32, elems: 4}}, "array g.V holds more data than the zip's directory declares"},
		{"lying metadata", []bombEntry{{name: "__meta__", mib: 1024, declared: 1 << 16}}, "array __meta__"},
	} {
		data := bombFile(t, good, c.bombs)
		if len(data) > 10<<20 {
			t.Fatalf("%s: the bomb is %d bytes", c.what, len(data))
		}
		path := filepath.Join(t.TempDir(), "bomb.npz")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var m0, m1 goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&m0)
		start := time.Now()
		err := sim.Load(path)
		took := time.Since(start)
		goruntime.ReadMemStats(&m1)
		alloc := m1.TotalAlloc - m0.TotalAlloc
		t.Logf("%s: %d bytes refused in %v, %d bytes allocated: %v", c.what, len(data), took, alloc, err)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Load's error is %v, want one that says %q", c.what, err, c.want)
		}
		if took > time.Second {
			t.Errorf("%s: refused after %v, want under 1 s", c.what, took)
		}
		if alloc > 64<<20 {
			t.Errorf("%s: Load allocated %d MB, want under 64 MB", c.what, alloc>>20)
		}
		if d := takeSnapshot(sim, lines, spikes).diff(before); d != "" {
			t.Errorf("%s: the failed Load changed the sim: %s", c.what, d)
		}
	}
	// ReadStateMeta, which a program calls before it has a Sim, reads the metadata alone.
	for _, c := range []struct {
		what string
		data []byte
		want string
	}{
		{"metadata of a GiB", bombFile(t, good, []bombEntry{{name: "__meta__", mib: 1024}}), "array __meta__ is too large: 1073741952 bytes, at most 16777216 expected"},
		{"eight GiB entries", bombFile(t, good, eight), ""},
	} {
		start := time.Now()
		meta, err := runtime.ReadStateMeta(bytes.NewReader(c.data), int64(len(c.data)))
		switch {
		case c.want == "" && (err != nil || !strings.HasPrefix(meta, `{`) || !strings.Contains(meta, `"neurogen-state"`)):
			t.Errorf("ReadStateMeta, %s: %v, metadata %.40q", c.what, err, meta)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ReadStateMeta, %s: %v, want an error that says %q", c.what, err, c.want)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("ReadStateMeta, %s: took %v", c.what, took)
		}
	}
	// ReadNPZ, which knows no layout, refuses the eight-GiB file before inflating anything.
	data := bombFile(t, good, eight)
	start := time.Now()
	if _, err := runtime.ReadNPZ(bytes.NewReader(data), int64(len(data))); err == nil || !strings.Contains(err.Error(), "the arrays are too large") {
		t.Errorf("ReadNPZ of eight GiB entries: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("ReadNPZ of eight GiB entries took %v", took)
	}
	// Nor does an entry whose header and directory claim 3 GiB make ReadNPZ allocate them
	// before it finds that the data hold 1 MiB.
	const elems = 3 << 27
	data = bombFile(t, good, []bombEntry{{name: "g.V", mib: 1, elems: elems, declared: uint64(len(npyF64Header(elems))) + 8*elems}})
	var m0, m1 goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&m0)
	start = time.Now()
	_, err := runtime.ReadNPZ(bytes.NewReader(data), int64(len(data)))
	took := time.Since(start)
	goruntime.ReadMemStats(&m1)
	if err == nil || !strings.Contains(err.Error(), "array g.V: truncated data") {
		t.Errorf("ReadNPZ of an entry that claims 3 GiB and holds 1 MiB: %v", err)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; took > time.Second || alloc > 64<<20 {
		t.Errorf("ReadNPZ of an entry that claims 3 GiB and holds 1 MiB: %v, %d MB allocated", took, alloc>>20)
	}
}

// TestLoadImpossible: a state file with finite values that no run can reach, and SHA-256s
// recomputed so that only the values are wrong, is refused with an error that names the array
// and the element; and WriteState refuses to write such a state.
func TestLoadImpossible(t *testing.T) {
	n := newNetwork(t)
	n.run(700) // t = 17.5 ms
	good := stateBytes(t, n.sim)
	n.run(300)
	before := n.snapshot()
	for _, c := range []struct {
		array string
		i     int
		v     float64
		want  string
	}{
		{"hh.Na.m", 3, 5, "group \"hh\": array hh.Na.m: neuron 3 holds 5, but a gate is a fraction from 0 to 1"},
		{"tm.K.n", 0, -3, "group \"tm\": array tm.K.n: neuron 0 holds -3, but a gate is a fraction from 0 to 1"},
		{"hh.Na.h", 1, 1 + 1e-5, "array hh.Na.h: neuron 1 holds 1.00001, but a gate"},
		{"tr.IT.q", 2, -1e-5, "array tr.IT.q: neuron 2 holds -1e-05, but a gate"},
		{"tr.Ca_i", 1, 0, "group \"tr\": array tr.Ca_i: neuron 1 holds 0, but a concentration must be positive"},
		{"tr.Ca_i", 2, -2e-4, "array tr.Ca_i: neuron 2 holds -0.0002, but a concentration must be positive"},
		{"hh.C", 0, 0, "group \"hh\": array hh.C: its value holds 0, but the membrane capacitance must be positive"},
		{"ml.C", 0, -1, "group \"ml\": array ml.C: its value holds -1, but the membrane capacitance must be positive"},
		{"tm.spike_time", 4, 17.5 + 0.025, "group \"tm\": array tm.spike_time: neuron 4 spiked at 17.525 ms, after the clock's t = 17.5 ms (step 700)"},
		{"hh.spike_time", 0, 1e300, "array hh.spike_time: neuron 0 spiked at 1e+300 ms, after the clock's t = 17.5 ms"},
		{"hh.now", 0, 12.5, "group \"hh\": array hh.now: the group's time is 12.5 ms, but the clock is at t = 17.5 ms (step 700)"},
		{"tr.now", 0, 17.525, "array tr.now: the group's time is 17.525 ms, but the clock is at t = 17.5 ms"},
	} {
		f := parseState(t, good)
		f.array(c.array).F64[c.i] = c.v
		failLoad(t, fmt.Sprintf("%s[%d] = %g", c.array, c.i, c.v), n.sim, before, n.lines, n.spikes, f.bytes(t, true), c.want)
	}
	// Within rounding, and the values a run does make, load.
	for _, c := range []struct {
		array string
		i     int
		v     float64
	}{
		{"hh.Na.m", 3, 1 + 1e-12}, {"hh.Na.h", 0, -1e-12}, {"hh.Na.m", 2, 0}, {"hh.K.n", 1, 1},
		{"hh.now", 0, 0}, {"hh.now", 0, 17.5 * (1 + 1e-12)}, {"hh.spike_time", 2, 17.5}, {"hh.spike_time", 3, math.Inf(-1)},
	} {
		f := parseState(t, good)
		f.array(c.array).F64[c.i] = c.v
		data := f.bytes(t, true)
		if err := n.sim.ReadState(bytes.NewReader(data), int64(len(data))); err != nil {
			t.Errorf("%s[%d] = %g: %v", c.array, c.i, c.v, err)
		}
	}
	// A state that could not be loaded back is not written.
	n = newNetwork(t)
	n.run(10)
	n.hh.NaM[2] = 1.5
	if err := n.sim.WriteState(io.Discard); err == nil || !strings.Contains(err.Error(), "array hh.Na.m: neuron 2 holds 1.5, but a gate is a fraction from 0 to 1; a state that cannot be loaded back is not saved") {
		t.Errorf("WriteState of a gate at 1.5: %v", err)
	}
}

// TestLoadOtherBuild: a state saved by a build of the model with another method or precision
// is refused with an error that says what differs (and, for the method, how to load it
// anyway); LoadOptions.AnyMethod loads it; a file of format version 1, which records neither,
// still loads.
func TestLoadOtherBuild(t *testing.T) {
	newSim := func(g runtime.Group) *runtime.Sim {
		t.Helper()
		sim, err := runtime.NewSim(0.025)
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Add("g", g); err != nil {
			t.Fatal(err)
		}
		return sim
	}
	run := func(g runtime.Group) []byte {
		t.Helper()
		g.Input()[1] = 10
		sim := newSim(g)
		if err := sim.Run(400); err != nil {
			t.Fatal(err)
		}
		return stateBytes(t, sim)
	}
	staggered, f32, plain := run(hh52staggered.New(3)), run(hh52f32.New(3)), run(hh52.New(3))
	for _, c := range []struct {
		what string
		data []byte
		g    runtime.Group
		want string
	}{
		{"staggered into exp_auto", staggered, hh52.New(3),
			"group \"g\" (model HH52): the state was saved by a build that integrates with staggered, the sim's group with exp_auto (the staggered method keeps the gates half a step ahead of V, the others at V's time); to resume it under exp_auto anyway, load it with LoadOptions{AnyMethod: true}"},
		{"exp_auto into staggered", plain, hh52staggered.New(3), "integrates with exp_auto, the sim's group with staggered"},
		{"exp_auto into rk4", plain, hh52rk4.New(3), "integrates with exp_auto, the sim's group with rk4; to resume it under rk4 anyway, load it with LoadOptions{AnyMethod: true}"},
		{"float32 into float64", f32, hh52.New(3), "group \"g\" (model HH52): the file holds float32 state (generated with -float32), the sim's group float64 state"},
		{"float64 into float32", plain, hh52f32.New(3), "the file holds float64 state, the sim's group float32 state (generated with -float32)"},
	} {
		sim := newSim(c.g)
		before := takeSnapshot(sim, nil, nil)
		failLoad(t, c.what, sim, before, nil, nil, c.data, c.want)
	}
	// Forced, the staggered state loads into the exp_auto group, value for value.
	g := hh52.New(3)
	sim := newSim(g)
	path := filepath.Join(t.TempDir(), "staggered.npz")
	if err := os.WriteFile(path, staggered, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := sim.LoadWith(path, runtime.LoadOptions{AnyMethod: true}); err != nil {
		t.Fatal(err)
	}
	f := parseState(t, staggered)
	if !slices.Equal(g.NaH, f.array("g.Na.h").F64) || sim.Clock().Step != 400 {
		t.Errorf("the forced load gives Na.h %v at step %d, want %v at step 400", g.NaH, sim.Clock().Step, f.array("g.Na.h").F64)
	}
	// A file of format version 1 (no method, precision or layout) loads.
	f = parseState(t, staggered)
	f.meta["format_version"] = 1
	for _, g := range f.meta["groups"].([]any) {
		g := g.(map[string]any)
		delete(g, "method")
		delete(g, "float32")
		delete(g, "layout")
	}
	old := f.bytes(t, false)
	sim = newSim(hh52.New(3))
	if err := sim.ReadState(bytes.NewReader(old), int64(len(old))); err != nil {
		t.Errorf("a file of format version 1: %v", err)
	}
}

// TestLoadFloat32Values: a state file of a -float32 group whose values are not float32 values
// (0.1, a float64 nearer than a float32 can be; 1e39, beyond float32's range, which would load
// as +Inf) is refused with invalid-value, naming the array and the neuron, and changes
// nothing; the file as saved loads.
func TestLoadFloat32Values(t *testing.T) {
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(sim.Add("g", hh52f32.New(3)), sim.Run(40)); err != nil {
		t.Fatal(err)
	}
	good := stateBytes(t, sim)
	for _, c := range []struct {
		array string
		v     float64
		want  string
	}{
		{"g.V", 0.1, "array g.V: neuron 1 holds 0.1, which is not a float32 value"},
		{"g.V", 1e39, "array g.V: neuron 1 holds 1e+39, which is not a float32 value"},
	} {
		f := parseState(t, good)
		f.array(c.array).F64[1] = c.v
		bad := f.bytes(t, true)
		fresh, _ := runtime.NewSim(0.025)
		if err := fresh.Add("g", hh52f32.New(3)); err != nil {
			t.Fatal(err)
		}
		before := stateBytes(t, fresh)
		err := fresh.ReadState(bytes.NewReader(bad), int64(len(bad)))
		var se *runtime.StateError
		if !errors.As(err, &se) || se.Code != runtime.InvalidValue || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s = %g: %v, want invalid-value and %q", c.array, c.v, err, c.want)
		}
		if !bytes.Equal(stateBytes(t, fresh), before) {
			t.Errorf("%s = %g: a refused file changed the sim", c.array, c.v)
		}
		if err := fresh.ReadState(bytes.NewReader(good), int64(len(good))); err != nil {
			t.Errorf("the file as saved: %v", err)
		}
	}
}
