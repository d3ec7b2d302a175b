package runtime_test

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/runtime"
)

// numpyBytes are what numpy 1.24.2's numpy.save writes for each array (hex), recorded with
// /usr/bin/python3 -c "import numpy as np, io; b = io.BytesIO(); np.save(b, A); print(b.getvalue().hex())".
// EncodeNPY must write the same bytes: the header dict, its padding to 64 bytes, the data.
var numpyBytes = map[string]string{
	"f64_3":   "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f83f00000000000000c00000000000000a40",
	"f64_2x3": "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000000000000000000000000000f03f0000000000000040000000000000084000000000000010400000000000001440",
	"bool_0d": "934e554d5059010076007b276465736372273a20277c6231272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a01",
	"bool_2":  "934e554d5059010076007b276465736372273a20277c6231272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0100",
	"i64_2":   "934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0100000000000000feffffffffffffff",
	"u64_1":   "934e554d5059010076007b276465736372273a20273c7538272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028312c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0700000000000000",
	"str":     "934e554d5059010076007b276465736372273a20273c5535272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a68000000e90000006c0000006c0000006f000000",
}

func str(s string) *string { return &s }

var npyCases = map[string]runtime.Array{
	"f64_3":   {Name: "f64_3", Shape: []int{3}, F64: []float64{1.5, -2, 3.25}},
	"f64_2x3": {Name: "f64_2x3", Shape: []int{2, 3}, F64: []float64{0, 1, 2, 3, 4, 5}},
	"bool_0d": {Name: "bool_0d", Shape: []int{}, Bool: []bool{true}},
	"bool_2":  {Name: "bool_2", Shape: []int{2}, Bool: []bool{true, false}},
	"i64_2":   {Name: "i64_2", Shape: []int{2}, I64: []int64{1, -2}},
	"u64_1":   {Name: "u64_1", Shape: []int{1}, U64: []uint64{7}},
	"str":     {Name: "str", Shape: []int{}, Str: str("héllo")},
}

// TestNPYMatchesNumpy: the encoder follows the NPY format as numpy writes it, byte for byte, and
// the decoder reads numpy's bytes back to the same array.
func TestNPYMatchesNumpy(t *testing.T) {
	for name, a := range npyCases {
		want, err := hex.DecodeString(numpyBytes[name])
		if err != nil || len(want) == 0 {
			t.Fatalf("%s: no reference", name)
		}
		if off := 10 + int(want[8]) + int(want[9])<<8; off%64 != 0 {
			t.Errorf("%s: numpy's data offset %d is not a multiple of 64", name, off)
		}
		var b bytes.Buffer
		if err := runtime.EncodeNPY(&b, &a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s: EncodeNPY wrote\n%q\nnumpy writes\n%q", name, b.Bytes(), want)
		}
		got, err := runtime.DecodeNPY(name, want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(a, *got); diff != "" {
			t.Errorf("%s: decoded (-want +got):\n%s", name, diff)
		}
	}
}

func TestNPZRoundTrip(t *testing.T) {
	var arrays []runtime.Array
	for _, name := range []string{"f64_3", "f64_2x3", "bool_0d", "bool_2", "i64_2", "u64_1", "str"} {
		arrays = append(arrays, npyCases[name])
	}
	arrays = append(arrays, runtime.Array{Name: "special", Shape: []int{4}, F64: []float64{math.Inf(1), math.Copysign(0, -1), math.NaN(), 5e-324}})
	var b bytes.Buffer
	if err := runtime.WriteNPZ(&b, arrays); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := runtime.WriteNPZ(&again, arrays); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("two writes of the same arrays differ (%v)", err)
	}
	got, err := runtime.ReadNPZ(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(arrays) {
		t.Fatalf("read %d arrays, wrote %d", len(got), len(arrays))
	}
	for i := range arrays {
		w, g := arrays[i], got[i]
		if w.F64 != nil {
			for k := range w.F64 {
				if math.Float64bits(w.F64[k]) != math.Float64bits(g.F64[k]) {
					t.Errorf("%s[%d]: %v read back as %v", w.Name, k, w.F64[k], g.F64[k])
				}
			}
			w.F64, g.F64 = nil, nil
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s (-wrote +read):\n%s", w.Name, diff)
		}
	}
}

func TestNPZErrors(t *testing.T) {
	var b bytes.Buffer
	if err := runtime.WriteNPZ(&b, []runtime.Array{npyCases["f64_3"]}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	// A flipped byte in the array's data: the zip checksum catches it.
	bad := bytes.Clone(data)
	i := bytes.Index(bad, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}) // 1.5
	bad[i+6] ^= 0x01
	if _, err := runtime.ReadNPZ(bytes.NewReader(bad), int64(len(bad))); err == nil || !strings.Contains(err.Error(), "array f64_3 is corrupted") {
		t.Errorf("flipped data byte: %v", err)
	}
	// Truncated files.
	for n := 0; n < len(data); n += len(data) / 16 {
		if _, err := runtime.ReadNPZ(bytes.NewReader(data[:n]), int64(n)); err == nil {
			t.Errorf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	// Headers that do not fit their data.
	for _, tc := range []struct{ name, npy, want string }{
		{"magic", "NUMPY", "not in the NPY format"},
		{"short", string(npyHeader("<f8", "(3,)", "False")) + "12345678", "needs 24 bytes of data, found 8"},
		{"fortran", string(npyHeader("<f8", "(1,)", "True")) + "12345678", "Fortran order"},
		{"dtype", string(npyHeader("<c16", "(1,)", "False")) + strings.Repeat("x", 16), "dtype <c16 is not supported"},
		{"bool", string(npyHeader("|b1", "(1,)", "False")) + "\x02", "a boolean holds byte 2"},
		// Sizes that would overflow: said as they are, never as a negative number of bytes.
		{"huge text", string(npyHeader("<U4611686018427387903", "()", "False")) + "abcd", "text must be a 0-d '<U' array of 1 to 2147483648 characters, got <U4611686018427387903"},
		{"huge shape", string(npyHeader("<f8", "(2147483648, 2147483648)", "False")), "shape (2147483648, 2147483648) is too large: at most 2147483648 elements"},
		{"huge dimension", string(npyHeader("<f8", "(9223372036854775807,)", "False")), "bad shape (9223372036854775807,): at most 2147483648 elements"},
		{"long header", "\x93NUMPY\x02\x00\xff\xff\xff\x7f" + strings.Repeat(" ", 100), "truncated header"},
	} {
		if _, err := runtime.DecodeNPY("x", []byte(tc.npy)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestNPZNames: WriteNPZ refuses a name that is not identifiers joined by dots, such as one
// that would make its entry a path; OpenNPZ and ReadNPZ refuse such an entry.
func TestNPZNames(t *testing.T) {
	for _, name := range []string{"../../a", "a/b", "/a", "a..b", ".a", "a.", "", "1a", "a.1b", "a b", "a\\b", "C:a"} {
		err := runtime.WriteNPZ(io.Discard, []runtime.Array{{Name: name, Shape: []int{}, F64: []float64{1}}})
		if err == nil || !strings.Contains(err.Error(), "is not identifiers (letters, digits and _) joined by dots") {
			t.Errorf("WriteNPZ of array %q: %v", name, err)
		}
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, err := z.Create(name + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		runtime.EncodeNPY(w, &runtime.Array{Shape: []int{}, F64: []float64{1}})
		z.Close()
		if _, err := runtime.ReadNPZ(bytes.NewReader(b.Bytes()), int64(b.Len())); err == nil || !strings.Contains(err.Error(), "is not an NPY array NAME.npy") {
			t.Errorf("ReadNPZ of entry %q: %v", name+".npy", err)
		}
	}
	for _, name := range []string{"__meta__", "hh.Na.m", "g.V.delay.pushes", "x2.y_3", "τ.m"} {
		var b bytes.Buffer
		if err := runtime.WriteNPZ(&b, []runtime.Array{{Name: name, Shape: []int{}, F64: []float64{1}}}); err != nil {
			t.Errorf("WriteNPZ of array %q: %v", name, err)
			continue
		}
		if a, err := runtime.ReadNPZ(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil || a[0].Name != name {
			t.Errorf("ReadNPZ of array %q: %v", name, err)
		}
	}
}

// npyHeader writes an NPY 1.0 header by hand, as the format specification describes it.
func npyHeader(d, shape, fortran string) []byte {
	dict := "{'descr': '" + d + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }"
	dict += strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	return append([]byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, byte(len(dict)), byte(len(dict) >> 8)}, dict...)
}

// TestNPZErrorCause: an error of reading an NPZ file wraps its cause, which callers can test
// for with errors.Is, and names what failed.
func TestNPZErrorCause(t *testing.T) {
	junk := []byte("this is not a zip file, nor an NPZ")
	_, err := runtime.OpenNPZ(bytes.NewReader(junk), int64(len(junk)))
	if !errors.Is(err, zip.ErrFormat) || !strings.Contains(err.Error(), "not a readable NPZ") {
		t.Errorf("OpenNPZ of junk: %v, want an error that wraps zip.ErrFormat", err)
	}
}

// Float64s gives float64 arrays as they are, int64 arrays converted, and nothing for others.
func TestArrayFloat64s(t *testing.T) {
	if x, ok := (&runtime.Array{F64: []float64{1.5, -2}}).Float64s(); !ok || len(x) != 2 || x[0] != 1.5 || x[1] != -2 {
		t.Errorf("float64: %v %v", x, ok)
	}
	if x, ok := (&runtime.Array{I64: []int64{3, -1 << 40}}).Float64s(); !ok || len(x) != 2 || x[0] != 3 || x[1] != -(1<<40) {
		t.Errorf("int64: %v %v", x, ok)
	}
	if x, ok := (&runtime.Array{Bool: []bool{true}}).Float64s(); ok || x != nil {
		t.Errorf("bool: %v %v, want none", x, ok)
	}
}
