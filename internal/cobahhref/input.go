// Package cobahhref holds the inputs of the COBAHH reference (Brette et al. 2007, benchmark 3, as
// Brian2's example) and reads what Brian2 made of them: the connectivity and initial values are
// drawn here, in Go, written as NPZ and read by testdata/reference/cobahh/brian2_cobahh.py, whose
// outputs (spikes and statistics, and the SHA-256 of the NPZ it read) are committed in
// testdata/reference/cobahh. Tests regenerate each NPZ and check its hash against Brian2's record,
// so a change to the draws is caught; Stats computes the reference's statistics from a spike
// list, so that a neurogen run can be compared with Brian2's without Python.
package cobahhref

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/neurogen/neurogen/runtime"
)

// The network's constants as networks.md and Brian2's example give them.
const (
	// P is the connection probability of every (pre, post) pair at N = 4000.
	P = 0.02
	// ExcFraction is the fraction of excitatory neurons: the first 80 % of the indices.
	ExcFraction = 0.8
	// El is the leak reversal (mV), around which v starts.
	El = -60.0
)

// The stream of the initial values' PCG generator, PCG(seed, streamInit).
const streamInit = 3

// Projections are the stock network spec's (specs/networks/cobahh.yaml) projections, one per
// (projection, target group), as check.LoadNetwork expands them; Make draws each with
// runtime.FixedProbability and the stream the spec gives it (TestProjectionsAreTheSpecs checks
// both against check.LoadNetwork).
var Projections = []struct{ Name, Pre, Post string }{
	{"exc_all", "exc", "exc"}, {"exc_all", "exc", "inh"},
	{"inh_all", "inh", "exc"}, {"inh_all", "inh", "inh"},
}

// SpecStream is the stream check.LoadNetwork gives a projection onto group post: the FNV-1a
// 64-bit hash of "projection", name and post, each followed by a zero byte.
func SpecStream(name, post string) uint64 {
	h := fnv.New64a()
	for _, p := range []string{"projection", name, post} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Input is one network's connectivity and initial values.
type Input struct {
	N    int
	Seed uint64
	// Pre and Post are the connections, global indices 0..N-1 (the first NExc excitatory),
	// sorted by Pre, then Post.
	Pre, Post []int32
	// V (mV), Ge and Gi (nS) are the initial values per neuron; m, n and h start at 0.
	V, Ge, Gi []float64
}

// NExc is the number of excitatory neurons of a network of n.
func NExc(n int) int { return int(ExcFraction * float64(n)) }

// Make draws the connectivity and initial values of a network of n neurons from seed.
//
// Connectivity: as the stock spec specs/networks/cobahh.yaml with `seed: S` would draw it:
// groups exc (the first NExc(n) neurons) and inh (the rest), and for each of Projections
// runtime.FixedProbability(pre size, post size, P·4000/n, {Seed: seed, Stream:
// SpecStream(name, post), NoSelf: pre == post}) (80 inputs per neuron on average at every n),
// in global indices. Initial values from PCG(seed, 3) with rand.NormFloat64, per neuron in index
// order: v = El + 5·z1 − 5 (mV), ge = (1.5·z2 + 4)·10 (nS), gi = (12·z3 + 20)·10 (nS), as Brian2's
// example draws them (neurogen reads them from the NPZ).
func Make(n int, seed uint64) (*Input, error) {
	if n < 2 {
		return nil, fmt.Errorf("cobahhref: a network of %d neurons, want at least 2", n)
	}
	p := min(P*4000/float64(n), 1)
	ne := NExc(n)
	size := map[string]int{"exc": ne, "inh": n - ne}
	first := map[string]int32{"exc": 0, "inh": int32(ne)}
	projs := make([]*runtime.Projection, len(Projections))
	total := 0
	for k, pr := range Projections {
		proj, err := runtime.FixedProbability(size[pr.Pre], size[pr.Post], p,
			runtime.ConnectOptions{Seed: seed, Stream: SpecStream(pr.Name, pr.Post), NoSelf: pr.Pre == pr.Post})
		if err != nil {
			return nil, fmt.Errorf("cobahhref: %s onto %s: %w", pr.Name, pr.Post, err)
		}
		projs[k] = proj
		total += proj.Len()
	}
	// Neuron i's row is its targets projection by projection, exc before inh (as Projections
	// lists them), so that it is ascending; the arrays are made at their size (32 M synapses at
	// N = 400 000: no row-by-row copies).
	in := &Input{N: n, Seed: seed, Pre: make([]int32, 0, total), Post: make([]int32, 0, total)}
	for g := range int32(n) {
		for k, pr := range Projections {
			i := g - first[pr.Pre]
			if i < 0 || int(i) >= size[pr.Pre] {
				continue
			}
			n0 := len(in.Post)
			in.Post = projs[k].AppendRow(in.Post, int(i))
			for q := n0; q < len(in.Post); q++ {
				in.Post[q] += first[pr.Post]
				in.Pre = append(in.Pre, g)
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, streamInit))
	in.V = make([]float64, n)
	in.Ge = make([]float64, n)
	in.Gi = make([]float64, n)
	for i := range n {
		in.V[i] = El + (5*r.NormFloat64() - 5)
		in.Ge[i] = (1.5*r.NormFloat64() + 4) * 10
		in.Gi[i] = (12*r.NormFloat64() + 20) * 10
	}
	return in, nil
}

// Arrays returns the input in the NPZ schema the Brian2 script reads: pre and post (int64:
// the runtime's NPZ has no int32), v (mV), ge and gi (nS), N and seed.
func (in *Input) Arrays() []runtime.Array {
	i64 := func(xs []int32) []int64 {
		out := make([]int64, len(xs))
		for k, x := range xs {
			out[k] = int64(x)
		}
		return out
	}
	n := len(in.Pre)
	return []runtime.Array{
		{Name: "pre", Shape: []int{n}, I64: i64(in.Pre)},
		{Name: "post", Shape: []int{n}, I64: i64(in.Post)},
		{Name: "v", Shape: []int{in.N}, F64: in.V},
		{Name: "ge", Shape: []int{in.N}, F64: in.Ge},
		{Name: "gi", Shape: []int{in.N}, F64: in.Gi},
		{Name: "N", Shape: []int{}, I64: []int64{int64(in.N)}},
		{Name: "seed", Shape: []int{}, U64: []uint64{in.Seed}},
	}
}

// WriteNPZ writes the input as NPZ (runtime.WriteNPZ: the same arrays give the same bytes).
func (in *Input) WriteNPZ(w io.Writer) error { return runtime.WriteNPZ(w, in.Arrays()) }

// SHA256 is the hex SHA-256 of the input's NPZ bytes, as the Brian2 script records it.
func (in *Input) SHA256() (string, error) {
	var b bytes.Buffer
	if err := in.WriteNPZ(&b); err != nil {
		return "", err
	}
	s := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(s[:]), nil
}

// GroupInit returns the initial values per group of the stock spec (exc: the first NExc
// neurons, inh: the rest) and per state as the spec names them, in the states' internal units,
// which a network spec's `init: {STATE: {file: …}}` reads: V (mV), E.g and I.g (mS: the input's
// nS × 1e-6), and the gates Na.m, Na.h and K.n at 0. The slices of V share the input's array;
// the others are new.
func (in *Input) GroupInit() map[string]map[string][]float64 {
	ne := NExc(in.N)
	mS := func(nS []float64) []float64 {
		out := make([]float64, len(nS))
		for i, g := range nS {
			out[i] = g * 1e-6
		}
		return out
	}
	part := func(lo, hi int) map[string][]float64 {
		zero := make([]float64, hi-lo)
		return map[string][]float64{
			"V": in.V[lo:hi], "E.g": mS(in.Ge[lo:hi]), "I.g": mS(in.Gi[lo:hi]),
			"Na.m": zero, "Na.h": zero, "K.n": zero,
		}
	}
	return map[string]map[string][]float64{"exc": part(0, ne), "inh": part(ne, in.N)}
}

// WriteInitFiles writes GroupInit as one NPY file per group and state, dir/GROUP_STATE.npy
// (GROUP_V.npy, GROUP_E.g.npy, …), for a network spec's `init: {STATE: {file: …}}`, and
// returns their paths, sorted.
func (in *Input) WriteInitFiles(dir string) ([]string, error) {
	var paths []string
	for group, states := range in.GroupInit() {
		for state, x := range states {
			path := filepath.Join(dir, group+"_"+state+".npy")
			var b bytes.Buffer
			if err := runtime.EncodeNPY(&b, &runtime.Array{Name: state, Shape: []int{len(x)}, F64: x}); err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				return nil, err
			}
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	return paths, nil
}
