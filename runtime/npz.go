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
	"slices"
	"strconv"
	"strings"
	"unicode"
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

// Float64s returns the elements of a float64 array, or of an int64 array converted (a file of
// numbers that numpy wrote as integers), and false for an array of another type.
func (a *Array) Float64s() ([]float64, bool) {
	switch {
	case a.F64 != nil:
		return a.F64, true
	case a.I64 != nil:
		x := make([]float64, len(a.I64))
		for i, v := range a.I64 {
			x[i] = float64(v)
		}
		return x, true
	}
	return nil, false
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
// fixed timestamps so that equal arrays give equal bytes), which numpy.load reads. Each name
// must be one or more identifiers (letters, digits and _, not starting with a digit) joined by
// dots, such as "hh.Na.m", so that no entry can be read as a path (../a).
func WriteNPZ(w io.Writer, arrays []Array) error {
	z := zip.NewWriter(w)
	seen := map[string]bool{}
	for i := range arrays {
		a := &arrays[i]
		switch {
		case !validName(a.Name):
			return fmt.Errorf("npz: array name %q is not identifiers (letters, digits and _) joined by dots", a.Name)
		case seen[a.Name]:
			return fmt.Errorf("npz: array name %q is repeated", a.Name)
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

var npyDict = regexp.MustCompile(`^\{'descr': '([<|>][a-zA-Z]\d+)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \}\s*$`)

const (
	// maxElems is the most elements an array may hold.
	maxElems = 1 << 31
	// maxNPYHeader is the longest NPY header (preamble and dictionary) read, in bytes: numpy's
	// headers for the dtypes read here are well under 1 KiB.
	maxNPYHeader = 1 << 16
	// MaxNPZBytes is the most bytes ReadNPZ decompresses from a file, all entries together.
	MaxNPZBytes = 4 << 30
)

// npyInfo is what an NPY header says.
type npyInfo struct {
	dtype string // "<f8", "|b1", "<i8", "<u8" or "<Uk"
	shape []int
	n     int   // elements, or the characters k of a '<Uk' text
	hlen  int64 // bytes of the header, preamble included
	body  int64 // bytes of data the dtype and shape need
}

// validName reports whether name is one or more identifiers (letters, digits and _, not
// starting with a digit) joined by dots, such as "hh.Na.m" or "__meta__": a name that cannot
// be read as a path.
func validName(name string) bool {
	for part := range strings.SplitSeq(name, ".") {
		if part == "" {
			return false
		}
		for i, r := range part {
			if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
				return false
			}
		}
	}
	return true
}

// readNPYHeader reads and checks an NPY header (formats 1.0 to 3.0) from r, whose data are
// total bytes in all, and checks that the dtype and shape need exactly the bytes that follow.
// It reads nothing past the header.
func readNPYHeader(name string, r io.Reader, total int64) (*npyInfo, error) {
	fail := func(format string, args ...any) (*npyInfo, error) {
		return nil, fmt.Errorf("array %s: %s", name, fmt.Sprintf(format, args...))
	}
	pre := make([]byte, 12)
	if total < 10 {
		return fail("not in the NPY format")
	}
	if _, err := io.ReadFull(r, pre[:10]); err != nil {
		return nil, readErr(name, err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return fail("not in the NPY format")
	}
	var hlen, start int64
	switch pre[6] {
	case 1:
		hlen, start = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		if total < 12 {
			return fail("truncated header")
		}
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, readErr(name, err)
		}
		hlen, start = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return fail("NPY format version %d.%d is not supported", pre[6], pre[7])
	}
	if start+hlen > total {
		return fail("truncated header")
	}
	if start+hlen > maxNPYHeader {
		return fail("header of %d bytes is too long (at most %d)", start+hlen, maxNPYHeader)
	}
	dict := make([]byte, hlen)
	if _, err := io.ReadFull(r, dict); err != nil {
		return nil, readErr(name, err)
	}
	m := npyDict.FindStringSubmatch(string(dict))
	if m == nil {
		return fail("malformed header %q", strings.TrimSpace(string(dict)))
	}
	if m[2] == "True" {
		return fail("Fortran order is not supported")
	}
	info := &npyInfo{dtype: m[1], shape: []int{}, n: 1, hlen: start + hlen}
	for _, f := range strings.Split(m[3], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 || d > maxElems {
			return fail("bad shape (%s): at most %d elements", m[3], maxElems)
		}
		info.shape = append(info.shape, d)
	}
	for _, d := range info.shape {
		if d != 0 && info.n > maxElems/d {
			return fail("shape (%s) is too large: at most %d elements", m[3], maxElems)
		}
		info.n *= d
	}
	if k, ok := strings.CutPrefix(m[1], "<U"); ok {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > maxElems || len(info.shape) != 0 {
			return fail("text must be a 0-d '<U' array of 1 to %d characters, got %s %v", maxElems, m[1], info.shape)
		}
		info.n, info.body = n, 4*int64(n)
	} else {
		size := map[string]int64{"<f8": 8, "|b1": 1, "<i8": 8, "<u8": 8}[m[1]]
		if size == 0 {
			return fail("dtype %s is not supported", m[1])
		}
		info.body = int64(info.n) * size
	}
	if found := total - info.hlen; found != info.body {
		if info.dtype[1] == 'U' {
			return fail("text must be a 0-d '<U' array of %d bytes, got %d", info.body, found)
		}
		return fail("shape (%s) of %s needs %d bytes of data, found %d", m[3], m[1], info.body, found)
	}
	return info, nil
}

// readErr words an error of reading an array's data.
func readErr(name string, err error) error {
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return &wordedError{fmt.Sprintf("array %s is corrupted (its checksum does not match)", name), err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("array %s: truncated data", name)
	}
	return fmt.Errorf("array %s: %w", name, err)
}

// wordedError is an error with a message of its own over the error it wraps.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }

// readNPYBody reads the data an NPY header describes from r into a new Array, a chunk at a
// time: it allocates the array itself and a small buffer. An error of reading is returned as
// err; a value that is not valid (a boolean byte other than 0 or 1, an invalid character) as
// bad, so that a caller can first verify a checksum and report a damaged file as damaged.
func readNPYBody(name string, r io.Reader, info *npyInfo) (a *Array, bad, err error) {
	a = &Array{Name: name, Shape: info.shape}
	buf := make([]byte, min(info.body, 1<<16))
	// The arrays grow as the data arrive, from at most a MiB: a header cannot make a file that
	// holds less data allocate more than that.
	first := min(info.n, 1<<17)
	// each calls f for every chunk of the data, a whole number of size-byte elements.
	each := func(size int, f func(b []byte) error) error {
		for done := int64(0); done < info.body; {
			k := min(int64(len(buf)/size*size), info.body-done)
			if _, err := io.ReadFull(r, buf[:k]); err != nil {
				return readErr(name, err)
			}
			if err := f(buf[:k]); err != nil {
				return err
			}
			done += k
		}
		return nil
	}
	switch info.dtype {
	case "<f8":
		a.F64 = make([]float64, 0, first)
		err = each(8, func(b []byte) error {
			for i := 0; i < len(b); i += 8 {
				a.F64 = append(a.F64, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
			}
			return nil
		})
	case "|b1":
		a.Bool = make([]bool, 0, first)
		err = each(1, func(b []byte) error {
			for _, c := range b {
				a.Bool = append(a.Bool, c == 1)
				switch c {
				case 0, 1:
				default:
					if bad == nil {
						bad = fmt.Errorf("array %s: a boolean holds byte %d", name, c)
					}
				}
			}
			return nil
		})
	case "<i8":
		a.I64 = make([]int64, 0, first)
		err = each(8, func(b []byte) error {
			for i := 0; i < len(b); i += 8 {
				a.I64 = append(a.I64, int64(binary.LittleEndian.Uint64(b[i:])))
			}
			return nil
		})
	case "<u8":
		a.U64 = make([]uint64, 0, first)
		err = each(8, func(b []byte) error {
			for i := 0; i < len(b); i += 8 {
				a.U64 = append(a.U64, binary.LittleEndian.Uint64(b[i:]))
			}
			return nil
		})
	default: // '<Uk'
		var sb strings.Builder
		end := false
		err = each(4, func(b []byte) error {
			for i := 0; i < len(b) && !end; i += 4 {
				r := rune(binary.LittleEndian.Uint32(b[i:]))
				if r == 0 {
					end = true
					break
				}
				if !utf8.ValidRune(r) && bad == nil {
					bad = fmt.Errorf("array %s: invalid character in text", name)
				}
				sb.WriteRune(r)
			}
			return nil
		})
		s := sb.String()
		a.Str = &s
	}
	if err != nil {
		return nil, nil, err
	}
	return a, bad, nil
}

// DecodeNPY reads one NPY array (formats 1.0 to 3.0, little-endian float64, bool, int64, uint64
// or unicode text, C order), checking its header against its size.
func DecodeNPY(name string, data []byte) (*Array, error) {
	r := bytes.NewReader(data)
	info, err := readNPYHeader(name, r, int64(len(data)))
	if err != nil {
		return nil, err
	}
	a, bad, err := readNPYBody(name, r, info)
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// NPZFile is an NPZ file opened for reading one array at a time. Opening it reads only the
// zip's directory; each array is decompressed only when it is read, and only after its
// declared size has been checked, so that a small file that claims huge arrays (a zip bomb)
// costs nothing.
type NPZFile struct {
	names  []string
	byName map[string]*zip.File
}

// OpenNPZ opens an NPZ file of size bytes. It fails when the file is not a zip file or holds
// an entry that is not NAME.npy (NAME identifiers joined by dots) or a name twice.
func OpenNPZ(r io.ReaderAt, size int64) (*NPZFile, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a readable NPZ (zip) file: %w", err)
	}
	f := &NPZFile{byName: make(map[string]*zip.File, len(z.File))}
	for _, e := range z.File {
		name, ok := strings.CutSuffix(e.Name, ".npy")
		if !ok || !validName(name) {
			return nil, fmt.Errorf("entry %q is not an NPY array NAME.npy (NAME identifiers joined by dots)", e.Name)
		}
		if f.byName[name] != nil {
			return nil, fmt.Errorf("array %s appears twice", name)
		}
		f.byName[name] = e
		f.names = append(f.names, name)
	}
	return f, nil
}

// Names returns the names of the file's arrays, in the order of the file.
func (f *NPZFile) Names() []string { return slices.Clone(f.names) }

// Has reports whether the file holds an array of that name.
func (f *NPZFile) Has(name string) bool { return f.byName[name] != nil }

// Size returns the size in bytes (header and data, uncompressed) that the zip's directory
// declares for an array, or -1 if there is no such array. A file may lie; Read never reads
// more than this.
func (f *NPZFile) Size(name string) int64 {
	e := f.byName[name]
	if e == nil {
		return -1
	}
	return int64(min(e.UncompressedSize64, math.MaxInt64))
}

// npyReader is an open entry of an NPZ file.
type npyReader struct {
	io.Reader
	rc    io.ReadCloser
	size  int64
	entry *zip.File
}

// open opens an array's entry for reading, refusing it when its declared size is over
// maxBytes. The reader never yields more than the declared size.
func (f *NPZFile) open(name string, maxBytes int64) (*npyReader, error) {
	e := f.byName[name]
	if e == nil {
		return nil, fmt.Errorf("array %s is missing", name)
	}
	size := f.Size(name)
	if size > maxBytes {
		return nil, fmt.Errorf("array %s is too large: %d bytes, at most %d expected", name, size, maxBytes)
	}
	rc, err := e.Open()
	if err != nil {
		return nil, readErr(name, err)
	}
	return &npyReader{Reader: io.LimitReader(rc, size), rc: rc, size: size, entry: e}, nil
}

// finish reads the end of an entry, so that the zip's checksum is verified, and closes it.
func (r *npyReader) finish(name string) error {
	var one [1]byte
	n, err := r.rc.Read(one[:])
	for tries := 0; err == nil && n == 0; tries++ {
		if tries == 100 {
			err = io.ErrNoProgress
			break
		}
		n, err = r.rc.Read(one[:])
	}
	if cerr := r.rc.Close(); err == io.EOF {
		err = cerr
	}
	if n > 0 || errors.Is(err, zip.ErrFormat) {
		return fmt.Errorf("array %s holds more data than the zip's directory declares (a damaged or crafted file)", name)
	}
	if err != nil && err != io.EOF {
		return readErr(name, err)
	}
	return nil
}

// Header reads only the NPY header of an array: its dtype ("<f8", "|b1", "<i8", "<u8",
// "<Uk") and shape, checked against the entry's declared size.
func (f *NPZFile) Header(name string) (dtype string, shape []int, err error) {
	r, err := f.open(name, math.MaxInt64)
	if err != nil {
		return "", nil, err
	}
	defer r.rc.Close()
	info, err := readNPYHeader(name, r, r.size)
	if err != nil {
		return "", nil, err
	}
	return info.dtype, info.shape, nil
}

// Read reads an array, first checking that its declared size is at most maxBytes (header and
// data): nothing is decompressed for a larger one. The zip's checksum is verified.
func (f *NPZFile) Read(name string, maxBytes int64) (*Array, error) {
	return f.read(name, maxBytes, nil)
}

// read reads an array as Read does and, when want is not nil, checks its header with want
// before reading its data.
func (f *NPZFile) read(name string, maxBytes int64, want func(info *npyInfo) error) (*Array, error) {
	r, err := f.open(name, maxBytes)
	if err != nil {
		return nil, err
	}
	defer r.rc.Close()
	info, err := readNPYHeader(name, r, r.size)
	if err != nil {
		// A damaged entry is reported as damaged: drain it (no more than it declares, which
		// the caller accepted) and check its checksum.
		if _, derr := io.Copy(io.Discard, r); derr != nil && errors.Is(derr, zip.ErrChecksum) {
			return nil, readErr(name, derr)
		}
		if ferr := r.finish(name); ferr != nil && errors.Is(ferr, zip.ErrChecksum) {
			return nil, ferr
		}
		return nil, err
	}
	if want != nil {
		if err := want(info); err != nil {
			return nil, err
		}
	}
	a, bad, err := readNPYBody(name, r, info)
	if err != nil {
		return nil, err
	}
	if err := r.finish(name); err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, bad
	}
	return a, nil
}

// ReadNPZ reads every array of an NPZ file. The zip's checksums are verified; an entry that is
// not NAME.npy, a damaged entry or a truncated file is an error that says which. It refuses,
// before decompressing anything, a file whose entries declare more than MaxNPZBytes in all; a
// caller that knows what a file should hold (as Sim.ReadState does) should use OpenNPZ and read
// each array with the size it expects.
func ReadNPZ(r io.ReaderAt, size int64) ([]Array, error) {
	f, err := OpenNPZ(r, size)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, name := range f.names {
		total += f.Size(name)
		if total > MaxNPZBytes || total < 0 {
			return nil, fmt.Errorf("the arrays are too large: over %d bytes uncompressed", int64(MaxNPZBytes))
		}
	}
	out := make([]Array, 0, len(f.names))
	for _, name := range f.names {
		a, err := f.Read(name, MaxNPZBytes)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}
