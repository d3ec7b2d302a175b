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
	"io"
	"math/rand/v2"

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

// Streams of the PCG generators: PCG(seed, stream) for each draw, so that one draw's change
// leaves the others alone.
const (
	streamExc  = 1 // connections from the excitatory neurons
	streamInh  = 2 // connections from the inhibitory neurons
	streamInit = 3 // v, ge, gi, in that order per neuron
)

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
// Connectivity: the excitatory rows (pre in [0, NExc)) from PCG(seed, 1), then the inhibitory
// rows from PCG(seed, 2), each by fixedProbability with P·4000/n (80 inputs per neuron on
// average at every n), no self-connections. Initial values from PCG(seed, 3), per neuron in index
// order: v = El + 5·z1 − 5 (mV), ge = (1.5·z2 + 4)·10 (nS), gi = (12·z3 + 20)·10 (nS), with z
// from rand.NormFloat64, as Brian2's example draws them.
func Make(n int, seed uint64) (*Input, error) {
	if n < 2 {
		return nil, fmt.Errorf("cobahhref: a network of %d neurons, want at least 2", n)
	}
	p := P * 4000 / float64(n)
	if p > 1 {
		p = 1
	}
	in := &Input{N: n, Seed: seed}
	ne := NExc(n)
	in.Pre, in.Post = fixedProbability(rand.New(rand.NewPCG(seed, streamExc)), 0, ne, n, p, in.Pre, in.Post)
	in.Pre, in.Post = fixedProbability(rand.New(rand.NewPCG(seed, streamInh)), ne, n, n, p, in.Pre, in.Post)
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

// fixedProbability appends the connections of presynaptic rows [lo, hi) onto nPost targets,
// each (pre, post) pair with probability p and no self-connection, in row order, targets
// ascending: for each row, for each target, one r.Float64() < p (a draw for the self pair too,
// so that the stream does not depend on which rows overlap the targets).
//
// TEMPORARY: a local builder with the contract of the runtime's FixedProbability (seeded,
// deterministic, no self-connections), until package runtime has its connectivity builders;
// then this is replaced by runtime's and the reference regenerated.
func fixedProbability(r *rand.Rand, lo, hi, nPost int, p float64, pre, post []int32) ([]int32, []int32) {
	for i := lo; i < hi; i++ {
		for j := range nPost {
			if r.Float64() < p && i != j {
				pre = append(pre, int32(i))
				post = append(post, int32(j))
			}
		}
	}
	return pre, post
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
