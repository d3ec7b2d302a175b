package runtime_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// The fuzz targets of state files. `go test ./runtime` runs them on their seeds, the files of
// testdata/fuzz/FuzzLoadState and testdata/fuzz/FuzzReadNPZ; `go test ./runtime -run=NONE
// -fuzz=FuzzLoadState -fuzztime=60s` fuzzes. The seeds are state files made by the code
// itself and damaged variants of them: `go test ./runtime -run=TestFuzzSeeds
// -update-fuzz-seeds` writes them anew.

var updateFuzzSeeds = flag.Bool("update-fuzz-seeds", false, "write the seed corpora of FuzzLoadState and FuzzReadNPZ to testdata/fuzz")

// fuzzSim is the Sim the state-file fuzzer loads into: two HH52 neurons, a line over V and one
// over spikes of 4 steps each, and a user state.
func fuzzSim(t testing.TB) (*runtime.Sim, []*runtime.Delay, []*runtime.SpikeDelay) {
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	g := hh52.New(2)
	if err := sim.Add("g", g); err != nil {
		t.Fatal(err)
	}
	l, err := sim.NewDelay("g", "V", 0.1, -65)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := sim.NewSpikeDelay("g", 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.AddState("syn.g", make([]float64, 2)); err != nil {
		t.Fatal(err)
	}
	return sim, []*runtime.Delay{l}, []*runtime.SpikeDelay{sp}
}

// fuzzSeeds returns the seeds: named state files, good and damaged, and small NPZ files.
func fuzzSeeds(t testing.TB) map[string][]byte {
	sim, lines, spikes := fuzzSim(t)
	g := sim.Group("g")
	g.Input()[0] = 20
	fresh := stateBytes(t, sim)
	for range 300 { // to 7.5 ms: neuron 0 has spiked, the lines are full
		lines[0].Push()
		spikes[0].Push()
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
	}
	sim.State("syn.g")[1] = 0.25
	good := stateBytes(t, sim)
	seeds := map[string][]byte{"fresh": fresh, "running": good}
	edit := func(name string, change func(f *stateFile), rehash bool) {
		f := parseState(t, good)
		change(f)
		seeds[name] = f.bytes(t, rehash)
	}
	edit("gate5", func(f *stateFile) { f.array("g.Na.m").F64[1] = 5 }, true)
	edit("spikeafter", func(f *stateFile) { f.array("g.spike_time").F64[0] = 100 }, true)
	edit("sha", func(f *stateFile) { f.array("g.V").F64[0] = -70 }, false)
	edit("step", func(f *stateFile) { f.meta["step"] = int64(1) << 62; f.meta["t"] = float64(int64(1)<<62) * 0.025 }, false)
	edit("method", func(f *stateFile) { f.meta["groups"].([]any)[0].(map[string]any)["method"] = "staggered" }, false)
	edit("version1", func(f *stateFile) {
		f.meta["format_version"] = 1
		g := f.meta["groups"].([]any)[0].(map[string]any)
		delete(g, "method")
		delete(g, "float32")
		delete(g, "layout")
	}, false)
	seeds["truncated"] = good[:len(good)/2]
	flipped := bytes.Clone(good)
	flipped[len(flipped)/3] ^= 0x40
	seeds["flipped"] = flipped
	// The good file deflated, as numpy.savez_compressed writes one.
	z, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(fw, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	seeds["deflated"] = b.Bytes()
	b.Reset()
	var arrays []runtime.Array
	for _, name := range []string{"f64_3", "f64_2x3", "bool_0d", "bool_2", "i64_2", "u64_1", "str"} {
		a := npyCases[name]
		arrays = append(arrays, a)
	}
	if err := runtime.WriteNPZ(&b, arrays); err != nil {
		t.Fatal(err)
	}
	seeds["npz"] = b.Bytes()
	return seeds
}

// TestFuzzSeeds writes the seed corpora with -update-fuzz-seeds.
func TestFuzzSeeds(t *testing.T) {
	if !*updateFuzzSeeds {
		t.Skip("writes the seed corpora with -update-fuzz-seeds")
	}
	for name, data := range fuzzSeeds(t) {
		targets := []string{"FuzzLoadState"}
		if name == "npz" || name == "deflated" || name == "truncated" || name == "running" {
			targets = append(targets, "FuzzReadNPZ")
		}
		for _, target := range targets {
			dir := filepath.Join("testdata", "fuzz", target)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			text := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzLoadState: whatever the file, ReadState does not panic; when it fails the Sim is as it
// was, and when it succeeds the state it loaded is one WriteState writes, which loads back to
// the same bytes.
func FuzzLoadState(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		sim, lines, spikes := fuzzSim(t)
		before := takeSnapshot(sim, lines, spikes)
		if err := sim.ReadState(bytes.NewReader(data), int64(len(data))); err != nil {
			if d := takeSnapshot(sim, lines, spikes).diff(before); d != "" {
				t.Fatalf("the failed ReadState (%v) changed the sim: %s", err, d)
			}
			return
		}
		var b bytes.Buffer
		if err := sim.WriteState(&b); err != nil {
			t.Fatalf("a loaded state is not written: %v", err)
		}
		again, _, _ := fuzzSim(t)
		if err := again.ReadState(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil {
			t.Fatalf("the state written after a load does not load: %v", err)
		}
		var c bytes.Buffer
		if err := again.WriteState(&c); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), c.Bytes()) {
			t.Fatal("a state loaded and written twice gives other bytes")
		}
	})
}

// FuzzReadNPZ: whatever the file, ReadNPZ does not panic; what it reads has consistent shapes
// and names that WriteNPZ accepts, and writing and reading it again is stable.
func FuzzReadNPZ(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		arrays, err := runtime.ReadNPZ(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, a := range arrays {
			n := 1
			for _, d := range a.Shape {
				n *= d
			}
			if a.Len() != n {
				t.Fatalf("array %s: shape %v, Len %d", a.Name, a.Shape, a.Len())
			}
		}
		var b bytes.Buffer
		if err := runtime.WriteNPZ(&b, arrays); err != nil {
			t.Fatalf("the arrays read are not written: %v", err)
		}
		back, err := runtime.ReadNPZ(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatalf("the arrays written do not read back: %v", err)
		}
		var c bytes.Buffer
		if err := runtime.WriteNPZ(&c, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), c.Bytes()) {
			t.Fatal(fmt.Sprintf("arrays written, read and written again give other bytes (%d, %d)", b.Len(), c.Len()))
		}
	})
}
