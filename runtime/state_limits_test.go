package runtime_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/neurogen/neurogen/generated/hh52"
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

// zerosCRC is the CRC-32 of prefix and n MiB of zeros.
func zerosCRC(prefix []byte, mib int) uint32 {
	zeros := make([]byte, 1<<20)
	c := crc32.ChecksumIEEE(prefix)
	for range mib {
		c = crc32.Update(c, crc32.IEEETable, zeros)
	}
	return c
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
}
