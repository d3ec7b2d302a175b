package runtime

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Array is one array of an NPZ file: a name and a shape, and its data in exactly one of the
// typed fields (the others nil). A 0-d array has an empty Shape and one element; Str is a 0-d
// array of text (numpy dtype '<U').
type Array struct {
	Name  string
	Shape []int
	F64   []float64
	Bool  []bool
	I64   []int64
	U64   []uint64
	Str   *string
}

// Len is the number of elements the shape holds.
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// descr returns the array's numpy dtype and element count.
func (a *Array) descr() (string, int, error) {
	set := 0
	var d string
	var n int
	if a.F64 != nil {
		set, d, n = set+1, "<f8", len(a.F64)
	}
	if a.Bool != nil {
		set, d, n = set+1, "|b1", len(a.Bool)
	}
	if a.I64 != nil {
		set, d, n = set+1, "<i8", len(a.I64)
	}
	if a.U64 != nil {
		set, d, n = set+1, "<u8", len(a.U64)
	}
	if a.Str != nil {
		set, d, n = set+1, fmt.Sprintf("<U%d", max(1, utf8.RuneCountInString(*a.Str))), 1
	}
	if set != 1 {
		return "", 0, fmt.Errorf("array %s: %d data fields set, want exactly one", a.Name, set)
	}
	return d, n, nil
}

// npyHeader builds an NPY 1.0 header for dtype d and shape, padded so that the data starts at a
// multiple of 64 bytes, as numpy writes it.
func npyHeader(d string, shape []int) []byte {
	var sb strings.Builder
	sb.WriteString("(")
	for i, s := range shape {
		if i > 0 {
			sb.WriteString(" ")
		}
		sb.WriteString(strconv.Itoa(s))
		sb.WriteString(",")
	}
	dims := strings.TrimSuffix(sb.String(), ",")
	if len(shape) == 1 {
		dims += ","
	}
	dims += ")"
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", d, dims)
	total := 10 + len(dict) + 1
	pad := (64 - total%64) % 64
	dict += strings.Repeat(" ", pad) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(dict)))
	b.WriteString(dict)
	return b.Bytes()
}

// EncodeNPY writes one array in the NPY 1.0 format.
func EncodeNPY(w io.Writer, a *Array) error {
	d, n, err := a.descr()
	if err != nil {
		return err
	}
	if a.Len() != n {
		return fmt.Errorf("array %s: shape %v holds %d elements, data has %d", a.Name, a.Shape, a.Len(), n)
	}
	if _, err := w.Write(npyHeader(d, a.Shape)); err != nil {
		return err
	}
	var buf []byte
	switch {
	case a.F64 != nil:
		buf = make([]byte, 8*len(a.F64))
		for i, v := range a.F64 {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
		}
	case a.Bool != nil:
		buf = make([]byte, len(a.Bool))
		for i, v := range a.Bool {
			if v {
				buf[i] = 1
			}
		}
	case a.I64 != nil:
		buf = make([]byte, 8*len(a.I64))
		for i, v := range a.I64 {
			binary.LittleEndian.PutUint64(buf[8*i:], uint64(v))
		}
	case a.U64 != nil:
		buf = make([]byte, 8*len(a.U64))
		for i, v := range a.U64 {
			binary.LittleEndian.PutUint64(buf[8*i:], v)
		}
	case a.Str != nil:
		runes := []rune(*a.Str)
		if len(runes) == 0 {
			runes = []rune{0}
		}
		buf = make([]byte, 4*len(runes))
		for i, r := range runes {
			binary.LittleEndian.PutUint32(buf[4*i:], uint32(r))
		}
	}
	_, err = w.Write(buf)
	return err
}

// WriteNPZ writes arrays as an NPZ file (a zip of NAME.npy entries, stored uncompressed, with
// fixed timestamps so that equal arrays give equal bytes), which numpy.load reads.
func WriteNPZ(w io.Writer, arrays []Array) error {
	z := zip.NewWriter(w)
	seen := map[string]bool{}
	for i := range arrays {
		a := &arrays[i]
		if a.Name == "" || seen[a.Name] {
			return fmt.Errorf("npz: array name %q empty or repeated", a.Name)
		}
		seen[a.Name] = true
		f, err := z.CreateHeader(&zip.FileHeader{Name: a.Name + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if err := EncodeNPY(f, a); err != nil {
			return err
		}
	}
	return z.Close()
}

var (
	npyDict  = regexp.MustCompile(`^\{'descr': '([<|>][a-zA-Z]\d+)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \}\s*$`)
	maxElems = 1 << 31
)

// DecodeNPY reads one NPY array (formats 1.0 to 3.0, little-endian float64, bool, int64, uint64
// or unicode text, C order), checking its header against its size.
func DecodeNPY(name string, data []byte) (*Array, error) {
	fail := func(format string, args ...any) (*Array, error) {
		return nil, fmt.Errorf("array %s: %s", name, fmt.Sprintf(format, args...))
	}
	if len(data) < 10 || string(data[:6]) != "\x93NUMPY" {
		return fail("not in the NPY format")
	}
	var hlen, start int
	switch data[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(data[8:10])), 10
	case 2, 3:
		if len(data) < 12 {
			return fail("truncated header")
		}
		hlen, start = int(binary.LittleEndian.Uint32(data[8:12])), 12
	default:
		return fail("NPY format version %d.%d is not supported", data[6], data[7])
	}
	if start+hlen > len(data) {
		return fail("truncated header")
	}
	m := npyDict.FindStringSubmatch(string(data[start : start+hlen]))
	if m == nil {
		return fail("malformed header %q", strings.TrimSpace(string(data[start:start+hlen])))
	}
	if m[2] == "True" {
		return fail("Fortran order is not supported")
	}
	a := &Array{Name: name, Shape: []int{}}
	for _, f := range strings.Split(m[3], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > maxElems {
			return fail("bad shape (%s)", m[3])
		}
		a.Shape = append(a.Shape, n)
	}
	n := 1
	for _, d := range a.Shape {
		if d != 0 && n > maxElems/d {
			return fail("shape (%s) too large", m[3])
		}
		n *= d
	}
	body := data[start+hlen:]
	size := map[string]int{"<f8": 8, "|b1": 1, "<i8": 8, "<u8": 8}[m[1]]
	if strings.HasPrefix(m[1], "<U") {
		k, _ := strconv.Atoi(m[1][2:])
		if len(a.Shape) != 0 || k < 1 || len(body) != 4*k {
			return fail("text must be a 0-d '<U' array of %d bytes, got %d", 4*k, len(body))
		}
		runes := make([]rune, 0, k)
		for i := 0; i < k; i++ {
			r := rune(binary.LittleEndian.Uint32(body[4*i:]))
			if r == 0 {
				break
			}
			if !utf8.ValidRune(r) {
				return fail("invalid character in text")
			}
			runes = append(runes, r)
		}
		s := string(runes)
		a.Str = &s
		return a, nil
	}
	if size == 0 {
		return fail("dtype %s is not supported", m[1])
	}
	if len(body) != n*size {
		return fail("shape (%s) of %s needs %d bytes of data, found %d", m[3], m[1], n*size, len(body))
	}
	switch m[1] {
	case "<f8":
		a.F64 = make([]float64, n)
		for i := range a.F64 {
			a.F64[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[8*i:]))
		}
	case "|b1":
		a.Bool = make([]bool, n)
		for i := range a.Bool {
			switch body[i] {
			case 0:
			case 1:
				a.Bool[i] = true
			default:
				return fail("a boolean holds byte %d", body[i])
			}
		}
	case "<i8":
		a.I64 = make([]int64, n)
		for i := range a.I64 {
			a.I64[i] = int64(binary.LittleEndian.Uint64(body[8*i:]))
		}
	case "<u8":
		a.U64 = make([]uint64, n)
		for i := range a.U64 {
			a.U64[i] = binary.LittleEndian.Uint64(body[8*i:])
		}
	}
	return a, nil
}

// ReadNPZ reads every array of an NPZ file. The zip's checksums are verified; an entry that is
// not NAME.npy, a damaged entry or a truncated file is an error that says which.
func ReadNPZ(r io.ReaderAt, size int64) ([]Array, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a readable NPZ (zip) file: %v", err)
	}
	var out []Array
	seen := map[string]bool{}
	for _, f := range z.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok || name == "" {
			return nil, fmt.Errorf("entry %q is not an NPY array", f.Name)
		}
		if seen[name] {
			return nil, fmt.Errorf("array %s appears twice", name)
		}
		seen[name] = true
		if f.UncompressedSize64 > uint64(8*maxElems) {
			return nil, fmt.Errorf("array %s is too large (%d bytes)", name, f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("array %s: %v", name, err)
		}
		data, err := io.ReadAll(rc)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			if errors.Is(err, zip.ErrChecksum) {
				return nil, fmt.Errorf("array %s is corrupted (its checksum does not match)", name)
			}
			return nil, fmt.Errorf("array %s: %v", name, err)
		}
		a, err := DecodeNPY(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}
