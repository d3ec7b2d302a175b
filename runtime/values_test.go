package runtime_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// TestReadValues: NPY (float64 and int64) and text files give their values; a wrong count, a
// non-number, a non-finite value, a 2-D array and another extension are errors that name the file.
func TestReadValues(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	npy := func(name string, a *runtime.Array) string {
		var b bytes.Buffer
		if err := runtime.EncodeNPY(&b, a); err != nil {
			t.Fatal(err)
		}
		return write(name, b.Bytes())
	}
	want := []float64{-65.5, 1e-6, 0}
	for _, p := range []string{
		npy("f.npy", &runtime.Array{Name: "x", Shape: []int{3}, F64: want}),
		write("v.csv", []byte("# V\n-65.5\n1e-6\n0\n")),
		write("v.txt", []byte("-65.5, 1e-6 0\r\n")),
	} {
		got, err := runtime.ReadValues(p, 3)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: %v, %v; want %v", filepath.Base(p), got, err, want)
		}
	}
	if got, err := runtime.ReadValues(npy("i.npy", &runtime.Array{Name: "x", Shape: []int{2}, I64: []int64{3, -4}}), 2); err != nil || !slices.Equal(got, []float64{3, -4}) {
		t.Errorf("int64 NPY: %v, %v", got, err)
	}
	for _, c := range []struct {
		path string
		n    int
		want string
	}{
		{write("short.csv", []byte("1\n2\n")), 3, "2 values, want one per neuron (3)"},
		{write("word.csv", []byte("1\nx\n3\n")), 3, "word.csv:2: \"x\" is not a number"},
		{write("nan.csv", []byte("1\nNaN\n3\n")), 3, "value 1 is NaN, not finite"},
		{npy("m.npy", &runtime.Array{Name: "x", Shape: []int{1, 3}, F64: want}), 3, "shape [1 3]"},
		{write("v.json", []byte("[1,2,3]")), 3, "not a file of values"},
	} {
		_, err := runtime.ReadValues(c.path, c.n)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", filepath.Base(c.path), err, c.want)
		}
	}
}

// TestCheckValues: a file's initial values are held to the ranges the checker holds a spec's
// to, by the state's kind, and the error names the first value out of range.
func TestCheckValues(t *testing.T) {
	for _, tc := range []struct {
		kind string
		x    []float64
		want string // "" for no error
	}{
		{runtime.KindGate, []float64{0, 0.5, 1}, ""},
		{runtime.KindGate, []float64{0, 1.5, -1}, "value 1 is 1.5, out of range: a gate's value is from 0 to 1"},
		{runtime.KindGate, []float64{-1e-300}, "value 0 is -1e-300, out of range: a gate's value is from 0 to 1"},
		{runtime.KindConcentration, []float64{2e-4, 2}, ""},
		{runtime.KindConcentration, []float64{1, 0}, "value 1 is 0, out of range: a concentration is positive"},
		{runtime.KindVoltage, []float64{-1000, 1000, -65}, ""},
		{runtime.KindVoltage, []float64{-65, -65, 1000.5}, "value 2 is 1000.5, out of range: a membrane potential is within ±1000 mV"},
		{runtime.KindReceptor, []float64{-5, 1e300}, ""},
		{runtime.KindReceptor, []float64{math.Inf(1)}, "value 0 is +Inf, not finite"},
		{runtime.KindGate, []float64{math.NaN()}, "value 0 is NaN, not finite"},
	} {
		err := runtime.CheckValues(tc.kind, tc.x)
		if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && got != tc.want {
			t.Errorf("CheckValues(%s, %v) = %v, want %q", tc.kind, tc.x, err, tc.want)
		}
	}
}
