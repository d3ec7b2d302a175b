package runtime_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// FuzzReadDataFiles: whatever a network's data file holds, read as each kind it may be (the
// connections of ReadPairs as .csv and .npz, the initial values of ReadValues as .csv and .npy,
// the waveform of ReadWaveform as .csv and .npy), the readers do not panic; an error names
// the file; what they return keeps their contracts: pairs of one length with indices from 0,
// finite weights and finite, non-negative delays; one finite value per neuron; a waveform of
// whole samples, 1 or n columns, finite. Its seed corpus (testdata/fuzz/FuzzReadDataFiles,
// and the seeds added here) runs with the tests.
func FuzzReadDataFiles(f *testing.F) {
	f.Add([]byte("pre,post,weight,delay\n0,1,0.5,1.5\n2,0,1e-3,0\n"))
	f.Add([]byte("post, pre\r\n3,1\r\n"))
	f.Add([]byte("# V\n-65, -64.5 -60\n"))
	f.Add([]byte("t,I\n0.1,0.2,0.3\n1\n"))
	var b bytes.Buffer
	if err := runtime.WriteNPZ(&b, []runtime.Array{
		{Name: "pre", Shape: []int{2}, I64: []int64{0, 2}},
		{Name: "post", Shape: []int{2}, F64: []float64{1, 0}},
		{Name: "weight", Shape: []int{2}, F64: []float64{0.5, 1}},
	}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	b.Reset()
	if err := runtime.EncodeNPY(&b, &runtime.Array{Shape: []int{2, 3}, F64: []float64{1, 2, 3, 4, 5, 6}}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	const n = 3 // neurons
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		write := func(ext string) string {
			path := filepath.Join(dir, "data"+ext)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}
		named := func(what, path string, err error) {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("%s: the error %q does not name the file", what, err)
			}
		}
		finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
		for _, ext := range []string{".csv", ".npz"} {
			path := write(ext)
			p, err := runtime.ReadPairs(path)
			if err != nil {
				named("ReadPairs", path, err)
				continue
			}
			m := len(p.Pre)
			if len(p.Post) != m || p.Weight != nil && len(p.Weight) != m || p.Delay != nil && len(p.Delay) != m {
				t.Fatalf("ReadPairs(%s): %d pre, %d post, %d weights, %d delays", ext, m, len(p.Post), len(p.Weight), len(p.Delay))
			}
			for k := range m {
				if p.Pre[k] < 0 || p.Post[k] < 0 {
					t.Errorf("ReadPairs(%s): connection %d from %d to %d", ext, k, p.Pre[k], p.Post[k])
				}
				if p.Weight != nil && !finite(p.Weight[k]) || p.Delay != nil && !(finite(p.Delay[k]) && p.Delay[k] >= 0) {
					t.Errorf("ReadPairs(%s): connection %d of weight %g, delay %g", ext, k, p.Weight[k], p.Delay[k])
				}
			}
		}
		for _, ext := range []string{".csv", ".npy"} {
			path := write(ext)
			if v, err := runtime.ReadValues(path, n); err != nil {
				named("ReadValues", path, err)
			} else if len(v) != n || !all(v, finite) {
				t.Errorf("ReadValues(%s) = %v, want %d finite values", ext, v, n)
			}
			v, cols, err := runtime.ReadWaveform(path, n)
			if err != nil {
				named("ReadWaveform", path, err)
				continue
			}
			if cols != 1 && cols != n || len(v) == 0 || len(v)%cols != 0 || !all(v, finite) {
				t.Errorf("ReadWaveform(%s) = %d values in %d columns: %v", ext, len(v), cols, v)
			}
		}
	})
}

func all(v []float64, ok func(float64) bool) bool {
	for _, x := range v {
		if !ok(x) {
			return false
		}
	}
	return true
}
