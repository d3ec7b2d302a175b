package runtime

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Pairs are the connections of a file that ReadPairs read: connection k goes from presynaptic
// neuron Pre[k] to postsynaptic neuron Post[k], with weight Weight[k] and delay Delay[k] (ms)
// when the file has those columns (else nil).
type Pairs struct {
	Pre, Post     []int32
	Weight, Delay []float64
}

// ReadPairs reads the connections of a projection from the file at path (a network spec's
// `connect: {file: PATH}`), for FromPairs or FromPairsByDelay: an NPZ file of the arrays pre and
// post (int64, or float64 of whole numbers) and optionally weight and delay (float64, ms), all of
// one length; or a CSV file whose first line names its columns, pre, post and optionally weight
// and delay, in any order, then one connection per line. Indices must be from 0 to 2³¹−1, and
// weights and delays finite; every error names the file and where. The indices are checked
// against the groups' sizes by FromPairs.
func ReadPairs(path string) (*Pairs, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxValuesFile {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a file of connections may have", path, fi.Size(), MaxValuesFile)
	}
	cols := map[string][]float64{}
	// where names the file, and for a CSV file the line, of connection k.
	where := func(int) string { return path }
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npz":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		arrays, err := ReadNPZ(f, fi.Size())
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, a := range arrays {
			switch a.Name {
			case "pre", "post", "weight", "delay":
			default:
				continue
			}
			if len(a.Shape) != 1 {
				return nil, fmt.Errorf("%s: array %s of shape %v, want one value per connection", path, a.Name, a.Shape)
			}
			x, ok := a.Float64s()
			if !ok {
				return nil, fmt.Errorf("%s: array %s is neither float64 nor int64", path, a.Name)
			}
			cols[a.Name] = x
		}
	case ".csv":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(string(data)) == "" {
			return nil, fmt.Errorf("%s: empty: want a header line of pre, post and optionally weight and delay, then one connection per line", path)
		}
		where = func(k int) string { return fmt.Sprintf("%s:%d", path, k+2) }
		lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\n")
		var names []string
		for _, h := range strings.Split(lines[0], ",") {
			h = strings.TrimSpace(h)
			switch h {
			case "pre", "post", "weight", "delay":
			default:
				return nil, fmt.Errorf("%s:1: column %q: want a header line of pre, post and optionally weight and delay", path, h)
			}
			if _, dup := cols[h]; dup {
				return nil, fmt.Errorf("%s:1: column %s twice", path, h)
			}
			cols[h] = []float64{}
			names = append(names, h)
		}
		for ln, line := range lines[1:] {
			fs := strings.Split(strings.TrimRight(line, "\r"), ",")
			if len(fs) != len(names) {
				return nil, fmt.Errorf("%s:%d: %d values, want %d (%s)", path, ln+2, len(fs), len(names), strings.Join(names, ","))
			}
			for c, f := range fs {
				v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %q is not a number", path, ln+2, f)
				}
				cols[names[c]] = append(cols[names[c]], v)
			}
		}
	default:
		return nil, fmt.Errorf("%s: not a file of connections (.npz or .csv)", path)
	}
	pre, okPre := cols["pre"]
	post, okPost := cols["post"]
	if !okPre || !okPost {
		return nil, fmt.Errorf("%s: no pre and post columns", path)
	}
	p := &Pairs{Weight: cols["weight"], Delay: cols["delay"]}
	for name, x := range cols {
		if len(x) != len(pre) {
			return nil, fmt.Errorf("%s: %d values of %s, %d of pre", path, len(x), name, len(pre))
		}
	}
	index := func(name string, x []float64) ([]int32, error) {
		out := make([]int32, len(x))
		for k, v := range x {
			if v != math.Trunc(v) || v < 0 || v > math.MaxInt32 {
				return nil, fmt.Errorf("%s: %s of connection %d is %g, not an index from 0 to %d", where(k), name, k, v, math.MaxInt32)
			}
			out[k] = int32(v)
		}
		return out, nil
	}
	if p.Pre, err = index("pre", pre); err != nil {
		return nil, err
	}
	if p.Post, err = index("post", post); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name string
		x    []float64
	}{{"weight", p.Weight}, {"delay", p.Delay}} {
		for k, v := range c.x {
			if math.IsNaN(v) || math.IsInf(v, 0) || (c.name == "delay" && v < 0) {
				return nil, fmt.Errorf("%s: %s of connection %d is %g", where(k), c.name, k, v)
			}
		}
	}
	return p, nil
}
