package runtime_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// TestReadPairs: NPZ (int64 or whole float64 indices) and CSV (columns named in any order) give
// their connections; missing columns, unequal lengths, bad indices, non-finite weights, negative
// delays and other extensions are errors that name the file.
func TestReadPairs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	npz := func(name string, arrays ...runtime.Array) string {
		var b bytes.Buffer
		if err := runtime.WriteNPZ(&b, arrays); err != nil {
			t.Fatal(err)
		}
		return write(name, b.String())
	}
	p, err := runtime.ReadPairs(npz("a.npz",
		runtime.Array{Name: "pre", Shape: []int{2}, I64: []int64{4, 0}},
		runtime.Array{Name: "post", Shape: []int{2}, F64: []float64{1, 7}},
		runtime.Array{Name: "delay", Shape: []int{2}, F64: []float64{0.5, 1}}))
	if err != nil || !slices.Equal(p.Pre, []int32{4, 0}) || !slices.Equal(p.Post, []int32{1, 7}) || p.Weight != nil || !slices.Equal(p.Delay, []float64{0.5, 1}) {
		t.Errorf("a.npz: %+v, %v", p, err)
	}
	p, err = runtime.ReadPairs(write("b.csv", "weight,post,pre\n0.5,2,1\n1.5,0,3\n"))
	if err != nil || !slices.Equal(p.Pre, []int32{1, 3}) || !slices.Equal(p.Post, []int32{2, 0}) || !slices.Equal(p.Weight, []float64{0.5, 1.5}) || p.Delay != nil {
		t.Errorf("b.csv: %+v, %v", p, err)
	}
	for _, c := range []struct{ path, want string }{
		{write("nopost.csv", "pre,weight\n1,2\n"), "no pre and post columns"},
		{write("col.csv", "pre,post,w\n1,2,3\n"), `column "w"`},
		{write("short.csv", "pre,post\n1,2\n3\n"), "short.csv:3: 1 values, want 2"},
		{write("frac.csv", "pre,post\n1.5,2\n"), "frac.csv:2: pre of connection 0 is 1.5"},
		{write("neg.csv", "pre,post,delay\n1,2,0\n1,2,-1\n"), "neg.csv:3: delay of connection 1 is -1"},
		{write("inf.csv", "pre,post,weight\n1,2,Inf\n"), "inf.csv:2: weight of connection 0 is +Inf"},
		{npz("neg.npz", runtime.Array{Name: "pre", Shape: []int{2}, I64: []int64{1, -2}}, runtime.Array{Name: "post", Shape: []int{2}, I64: []int64{0, 0}}), "neg.npz: pre of connection 1 is -2"},
		{write("empty.csv", " \n"), "empty.csv: empty: want a header line"},
		{npz("len.npz", runtime.Array{Name: "pre", Shape: []int{2}, I64: []int64{1, 2}}, runtime.Array{Name: "post", Shape: []int{1}, I64: []int64{0}}), "1 values of post, 2 of pre"},
		{write("c.txt", "pre,post\n"), "not a file of connections"},
	} {
		_, err := runtime.ReadPairs(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", filepath.Base(c.path), err, c.want)
		}
	}
}
