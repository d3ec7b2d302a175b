package runtime

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
)

// Projection is the connectivity of one projection from a presynaptic group of NPre neurons to
// a postsynaptic group of NPost, in compressed rows by presynaptic neuron: the targets of
// presynaptic neuron i are synapses Start()[i] to Start()[i+1]−1 (Target, Row), in ascending
// order (a target twice is a multapse, two synapses between the same pair). Each synapse has a weight: one constant
// for the projection (SetWeight), or one per synapse stored as float32 (SetWeights32) or
// float64 (SetWeights64). All synapses of a projection have the same delay, a whole number of
// steps (SetDelay); 0 delivers a spike at the end of the step that emitted it, so that it
// enters the next step's derivatives, as in Brian2.
//
// Memory: 2 bytes per synapse for its target when the postsynaptic group has at most
// MaxNarrowPost neurons (stored as uint16, as GeNN narrows its sparse indices; Post16). Onto a
// larger group, the neurons fall into blocks of 65 536, and each row into one segment per
// block: a target is stored as its offset in its block (uint16), and each segment's start as
// an int32 (Blocks), 4·NPre·⌈NPost/65 536⌉ bytes more, when that takes less memory than int32
// targets; else 4 bytes per target (int32; Post32). Then 4 more for a float32 weight (8 for a
// float64 one, none for a constant), and 4 bytes per presynaptic neuron for the row starts:
// 6 bytes per synapse with float32 weights onto a group of up to 65 536 neurons, plus
// 4·(NPre+1) bytes and the segments' starts (Bytes).
//
// A Projection is validated when made (NewProjection and the builders) and cannot be changed
// afterwards but for its weights and delay, whose setters check them: its slices are the
// Projection's own, to be read and never written.
type Projection struct {
	nPre, nPost int
	start       []int32
	post16      []uint16 // the targets (their offsets in their blocks when nb > 1), or nil
	post32      []int32  // the targets, when stored in 4 bytes; else nil
	nb          int      // the blocks of blockSize neurons, when the targets are offsets in them; else 1
	bstart      []int32  // when nb > 1, the start of row i's segment in block b at bstart[i·nb+b], nPre·nb+1 of them
	w32         []float32
	w64         []float64
	w           float64 // the constant weight when w32 and w64 are nil
	delay       int
	hash        string // Hash, once computed; the setters clear it
}

// MaxSynapses is the most synapses a Projection holds: its row starts are int32.
const MaxSynapses = math.MaxInt32

// MaxNarrowPost is the most postsynaptic neurons for which a Projection stores its targets in
// 2 bytes (uint16) in plain rows; onto more, it stores them in blocks (see Projection).
const MaxNarrowPost = 1 << 16

// blockBits is the logarithm of the neurons of a block of a blocked projection's targets.
const blockBits = 16

// MaxDelaySteps is the longest delay of a Projection, in steps.
const MaxDelaySteps = 1 << 20

// NewProjection returns the projection from nPre to nPost neurons whose rows are start and
// post (see Projection), with the constant weight 1 and no delay. It keeps start, and post when
// it stores the targets as int32 (else a uint16 copy of them), which the caller must not
// change afterwards. It fails, saying where, unless len(start) is nPre+1,
// start[0] is 0, the starts do not decrease, start[nPre] is len(post), every target is in
// [0, nPost) and every row is in ascending order (equal neighbours, multapses, are allowed).
func NewProjection(nPre, nPost int, start, post []int32) (*Projection, error) {
	switch {
	case nPre < 0 || nPost < 0 || nPre > math.MaxInt32 || nPost > math.MaxInt32:
		return nil, fmt.Errorf("projection of %d to %d neurons: sizes must be from 0 to %d", nPre, nPost, math.MaxInt32)
	case len(start) != nPre+1:
		return nil, fmt.Errorf("projection of %d to %d neurons: %d row starts, want nPre+1 = %d", nPre, nPost, len(start), nPre+1)
	case start[0] != 0:
		return nil, fmt.Errorf("projection of %d to %d neurons: row 0 starts at %d, want 0", nPre, nPost, start[0])
	case int(start[nPre]) != len(post):
		return nil, fmt.Errorf("projection of %d to %d neurons: the rows end at %d, but there are %d targets", nPre, nPost, start[nPre], len(post))
	}
	for i := range nPre {
		if start[i+1] < start[i] {
			return nil, fmt.Errorf("projection of %d to %d neurons: row %d starts at %d and ends at %d, before it", nPre, nPost, i, start[i], start[i+1])
		}
	}
	for i := range nPre {
		lo, hi := start[i], start[i+1]
		prev := int32(-1)
		for k := lo; k < hi; k++ {
			j := post[k]
			if j < 0 || int(j) >= nPost {
				return nil, fmt.Errorf("projection of %d to %d neurons: synapse %d (row %d) targets neuron %d, outside [0, %d)", nPre, nPost, k, i, j, nPost)
			}
			if j < prev {
				return nil, fmt.Errorf("projection of %d to %d neurons: row %d is not in ascending order: target %d after %d (synapse %d)", nPre, nPost, i, j, prev, k)
			}
			prev = j
		}
	}
	p := &Projection{nPre: nPre, nPost: nPost, start: start, w: 1, nb: 1}
	nb := (nPost + 1<<blockBits - 1) >> blockBits
	blocked := nb > 1 && int64(nb)*int64(nPre) < MaxSynapses && 4*int64(nb)*int64(nPre) < 2*int64(len(post))
	if nPost > MaxNarrowPost && !blocked {
		p.post32 = post
		return p, nil
	}
	p.post16 = make([]uint16, len(post))
	for k, j := range post {
		p.post16[k] = uint16(j) // the low 16 bits: the target, or its offset in its block
	}
	if nPost > MaxNarrowPost {
		p.nb, p.bstart = nb, make([]int32, nPre*nb+1)
		for i := range nPre {
			q, end := int(start[i]), int(start[i+1])
			for b := range nb {
				p.bstart[i*nb+b] = int32(q)
				for q < end && int(post[q])>>blockBits == b {
					q++
				}
			}
		}
		p.bstart[nPre*nb] = int32(len(post))
	}
	return p, nil
}

// segments returns what delivery loops over: the starts of the rows' segments (the row starts,
// or with blocks bstart), the segments per row, and the first and last block that may hold
// targets in [lo, hi) (every block when full). Segment r = i·nb + b of row i holds the targets
// base + post16[q] (base = b·65 536) for q in [starts[r], starts[r+1]).
func (p *Projection) segments(lo, hi int, full bool) (starts []int32, nb, blo, bhi int) {
	switch {
	case p.nb <= 1:
		return p.start, 1, 0, 0
	case full:
		return p.bstart, p.nb, 0, p.nb - 1
	}
	return p.bstart, p.nb, lo >> blockBits, (hi - 1) >> blockBits
}

// Blocks returns the blocks of 65 536 neurons of a projection whose targets Post16 holds as
// offsets in their blocks, and the starts of the rows' segments, row i's segment in block b
// at starts[i·nb+b]; or 1 and nil when the targets are stored as they are.
func (p *Projection) Blocks() (nb int, starts []int32) {
	if p.nb <= 1 {
		return 1, nil
	}
	return p.nb, p.bstart
}

// NPre is the number of presynaptic neurons.
func (p *Projection) NPre() int { return p.nPre }

// NPost is the number of postsynaptic neurons.
func (p *Projection) NPost() int { return p.nPost }

// Len is the number of synapses.
func (p *Projection) Len() int { return len(p.post16) + len(p.post32) }

// Start returns the row starts, nPre+1 of them; read only.
func (p *Projection) Start() []int32 { return p.start }

// Target returns the postsynaptic neuron of synapse k (with blocks, by a binary search for its
// segment).
func (p *Projection) Target(k int) int {
	switch {
	case p.post32 != nil:
		return int(p.post32[k])
	case p.nb > 1:
		_ = p.post16[k] // k in range
		r := sort.Search(len(p.bstart)-1, func(r int) bool { return int(p.bstart[r+1]) > k })
		return (r%p.nb)<<blockBits + int(p.post16[k])
	}
	return int(p.post16[k])
}

// Post16 returns the targets of every synapse, row by row, when they are stored in 2 bytes
// each (their offsets in their blocks when Blocks says so), else nil; read only.
func (p *Projection) Post16() []uint16 { return p.post16 }

// Post32 returns the targets of every synapse, row by row, when they are stored in 4 bytes
// each, else nil; read only.
func (p *Projection) Post32() []int32 { return p.post32 }

// Row returns the targets of presynaptic neuron i, in ascending order, in a new slice.
func (p *Projection) Row(i int) []int32 { return p.AppendRow(nil, i) }

// AppendRow appends the targets of presynaptic neuron i, in ascending order, to dst and
// returns the extended slice.
func (p *Projection) AppendRow(dst []int32, i int) []int32 {
	a, b := p.start[i], p.start[i+1]
	if p.post32 != nil {
		return append(dst, p.post32[a:b]...)
	}
	starts, nb, _, bhi := p.segments(0, 0, true)
	for r := i * nb; r <= i*nb+bhi; r++ {
		base := int32((r - i*nb) << blockBits)
		for _, j := range p.post16[starts[r]:starts[r+1]] {
			dst = append(dst, base+int32(j))
		}
	}
	return dst
}

// Delay is the delay of every synapse, in steps.
func (p *Projection) Delay() int { return p.delay }

// SetDelay sets the delay of every synapse to steps whole steps, from 0 to MaxDelaySteps.
func (p *Projection) SetDelay(steps int) error {
	if steps < 0 || steps > MaxDelaySteps {
		return fmt.Errorf("projection delay of %d steps: want 0 to %d", steps, MaxDelaySteps)
	}
	p.delay, p.hash = steps, ""
	return nil
}

// Weight returns synapse k's weight.
func (p *Projection) Weight(k int) float64 {
	switch {
	case p.w32 != nil:
		return float64(p.w32[k])
	case p.w64 != nil:
		return p.w64[k]
	}
	_ = p.Target(k) // k in range
	return p.w
}

// ConstantWeight returns the weight of every synapse and true when the projection has one
// weight for all; otherwise 0 and false.
func (p *Projection) ConstantWeight() (float64, bool) {
	if p.w32 != nil || p.w64 != nil {
		return 0, false
	}
	return p.w, true
}

// Weights32 returns the per-synapse float32 weights (SetWeights32), or nil; read only.
func (p *Projection) Weights32() []float32 { return p.w32 }

// Weights64 returns the per-synapse float64 weights (SetWeights64), or nil; read only.
func (p *Projection) Weights64() []float64 { return p.w64 }

// SetWeight gives every synapse the weight w, a finite number, stored once.
func (p *Projection) SetWeight(w float64) error {
	if math.IsNaN(w) || math.IsInf(w, 0) {
		return fmt.Errorf("projection weight %g is not a finite number", w)
	}
	p.w, p.w32, p.w64, p.hash = w, nil, nil, ""
	return nil
}

// SetWeights32 gives synapse k the weight w[k], stored as float32 (4 bytes a synapse): one
// finite weight per synapse, in the order of the targets. The Projection keeps w.
func (p *Projection) SetWeights32(w []float32) error {
	if len(w) != p.Len() {
		return fmt.Errorf("%d weights for %d synapses", len(w), p.Len())
	}
	for k, v := range w {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("weight of synapse %d is %g, not a finite number", k, v)
		}
	}
	p.w, p.w32, p.w64, p.hash = 0, w, nil, ""
	return nil
}

// SetWeights64 gives synapse k the weight w[k], stored as float64 (8 bytes a synapse): one
// finite weight per synapse, in the order of the targets. The Projection keeps w.
func (p *Projection) SetWeights64(w []float64) error {
	if len(w) != p.Len() {
		return fmt.Errorf("%d weights for %d synapses", len(w), p.Len())
	}
	for k, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("weight of synapse %d is %g, not a finite number", k, v)
		}
	}
	p.w, p.w32, p.w64, p.hash = 0, nil, w, ""
	return nil
}

// Bytes is the memory the connectivity takes: 4 bytes per row start (and per segment start with
// blocks), 2 or 4 per target (see Projection), plus 4 or 8 per weight when weights are per
// synapse.
func (p *Projection) Bytes() int64 {
	return 4*int64(len(p.start)+len(p.bstart)) + 2*int64(len(p.post16)) + 4*int64(len(p.post32)) + 4*int64(len(p.w32)) + 8*int64(len(p.w64))
}

// Hash returns the hex SHA-256 of the connectivity: the sizes, the delay, the row starts, the
// targets and the weights (their storage and bits), all little-endian. State files record it, so
// that a state is never resumed on other connectivity. It hashes each target as a number,
// whatever its storage (Post16 or Post32), so that it is the same for the same pairs. It is computed once and kept until a
// setter changes the weights or the delay.
func (p *Projection) Hash() string {
	if p.hash != "" {
		return p.hash
	}
	h := sha256.New()
	buf := make([]byte, 0, 1<<15)
	put := func(v uint64) {
		buf = binary.LittleEndian.AppendUint64(buf, v)
		if len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write([]byte("neurogen-projection-1"))
	put(uint64(p.nPre))
	put(uint64(p.nPost))
	put(uint64(p.delay))
	for _, v := range p.start {
		put(uint64(uint32(v)))
	}
	if p.post32 != nil {
		for _, v := range p.post32 {
			put(uint64(uint32(v)))
		}
	} else {
		starts, nb, _, _ := p.segments(0, 0, true)
		for r := range len(starts) - 1 {
			base := uint64(r%nb) << blockBits
			for _, v := range p.post16[starts[r]:starts[r+1]] {
				put(base + uint64(v))
			}
		}
	}
	switch {
	case p.w32 != nil:
		put(32)
		for _, v := range p.w32 {
			put(uint64(math.Float32bits(v)))
		}
	case p.w64 != nil:
		put(64)
		for _, v := range p.w64 {
			put(math.Float64bits(v))
		}
	default:
		put(0)
		put(math.Float64bits(p.w))
	}
	h.Write(buf)
	p.hash = hex.EncodeToString(h.Sum(nil))
	return p.hash
}

// ConnectOptions are the options of the builders.
type ConnectOptions struct {
	// Seed and Stream seed the random draws of FixedProbability and FixedInDegree: the source
	// is math/rand/v2's PCG-DXSM generator rand.NewPCG(Seed, Stream). Give each projection of a
	// network its own Stream (or Seed), so that each draws from its own sequence.
	Seed, Stream uint64
	// NoSelf refuses self-connections, i → i: for a group projecting onto itself.
	NoSelf bool
	// Multapses allows more than one synapse between the same pair: FixedInDegree then draws
	// its k inputs with replacement, and FromPairs accepts a pair twice.
	Multapses bool
}

// checkSizes checks the sizes of a projection to be built.
func checkSizes(what string, nPre, nPost int) error {
	if nPre < 0 || nPost < 0 || nPre > math.MaxInt32 || nPost > math.MaxInt32 {
		return fmt.Errorf("%s: %d to %d neurons: sizes must be from 0 to %d", what, nPre, nPost, math.MaxInt32)
	}
	return nil
}

// AllToAll connects every presynaptic neuron to every postsynaptic one (but itself, with
// NoSelf). It draws nothing.
func AllToAll(nPre, nPost int, opt ConnectOptions) (*Projection, error) {
	if err := checkSizes("all-to-all", nPre, nPost); err != nil {
		return nil, err
	}
	n := int64(nPre) * int64(nPost)
	if opt.NoSelf {
		n -= int64(min(nPre, nPost))
	}
	if n > MaxSynapses {
		return nil, fmt.Errorf("all-to-all: %d to %d neurons is %d synapses, more than %d", nPre, nPost, n, MaxSynapses)
	}
	start := make([]int32, nPre+1)
	post := make([]int32, 0, n)
	for i := range nPre {
		for j := range nPost {
			if !(opt.NoSelf && i == j) {
				post = append(post, int32(j))
			}
		}
		start[i+1] = int32(len(post))
	}
	return NewProjection(nPre, nPost, start, post)
}

// OneToOne connects neuron i of one group to neuron i of another of the same size n.
func OneToOne(n int) (*Projection, error) {
	if err := checkSizes("one-to-one", n, n); err != nil {
		return nil, err
	}
	start := make([]int32, n+1)
	post := make([]int32, n)
	for i := range n {
		post[i] = int32(i)
		start[i+1] = int32(i + 1)
	}
	return NewProjection(n, n, start, post)
}

// FixedProbability connects each pair (i, j) independently with probability p (0 ≤ p ≤ 1),
// but i → i with NoSelf; the mean number of inputs of a neuron is p·nPre (p·(nPre−1) with
// NoSelf). Its algorithm is fixed, so that the same options give the same connectivity on
// every machine and in every version (a Brian2 reference reads connectivity it made):
//
// The source is rand.NewPCG(opt.Seed, opt.Stream). A uniform number u is 1 − (x>>11)·2^−53 for
// x the source's next Uint64, in (0, 1]. Rows are drawn in order of i. Within row i, the
// candidates j = 0 … nPost−1 are visited by geometric skipping: from j = −1, each draw of u
// moves j on by 1 + ⌊ln u / ln(1−p)⌋ (the number of failures before a success of Bernoulli
// trials of probability p), and j is connected if it is below nPost, else the row ends (that
// draw is the row's last). With NoSelf, j = i is skipped when landed on, so the other pairs stay
// independent with probability p. The logarithm is computed by this package with the algorithm
// of FreeBSD's msun (as Go's portable math.Log) and every product rounded before it is added, so
// it gives the same bits on every machine; p = 0 draws nothing and connects nothing, p = 1 draws
// nothing and connects every pair.
func FixedProbability(nPre, nPost int, p float64, opt ConnectOptions) (*Projection, error) {
	if err := checkSizes("fixed probability", nPre, nPost); err != nil {
		return nil, err
	}
	if !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("fixed probability: connection probability %g is not from 0 to 1", p)
	}
	if p == 1 {
		return AllToAll(nPre, nPost, opt)
	}
	start := make([]int32, nPre+1)
	var post []int32
	if p > 0 {
		src := rand.NewPCG(opt.Seed, opt.Stream)
		post = make([]int32, 0, int(min(float64(nPre)*float64(nPost)*p*1.01+100, float64(MaxSynapses))))
		lq := detLog(1 - p) // < 0
		limit := float64(nPost)
		for i := range nPre {
			j := -1
			for {
				skip := math.Floor(detLog(unitOpen(src)) / lq) // ≥ 0, possibly huge or +Inf
				if skip >= limit-float64(j)-1 {
					break
				}
				j += 1 + int(skip)
				if opt.NoSelf && j == i {
					continue
				}
				if len(post) == MaxSynapses {
					return nil, fmt.Errorf("fixed probability: %d to %d neurons with p = %g: more than %d synapses", nPre, nPost, p, MaxSynapses)
				}
				post = append(post, int32(j))
			}
			start[i+1] = int32(len(post))
		}
	}
	return NewProjection(nPre, nPost, start, post)
}

// FixedInDegree gives each postsynaptic neuron exactly k inputs drawn at random from the nPre
// presynaptic neurons (but itself, with NoSelf): distinct ones, or with Multapses drawn with
// replacement. Its algorithm is fixed, so that the same options give the same connectivity on
// every machine and in every version:
//
// The source is rand.NewPCG(opt.Seed, opt.Stream). A bounded draw below m takes the source's
// next Uint64 x and, by Lemire's method, returns the high word of x·m, drawing again while the
// low word is below (2^64 − m) mod m. Postsynaptic neurons are drawn in order of j. Their m
// candidates are the presynaptic neurons 0 … nPre−1, less j with NoSelf (candidate c is neuron
// c, or c+1 for c ≥ j with NoSelf when j < nPre). With Multapses, k bounded draws below m
// choose k candidates in turn. Without, Floyd's algorithm chooses k distinct ones: for t = m−k
// … m−1, draw r below t+1, and choose r unless chosen already, then t. The rows are then filled
// in order of j, so that each is in ascending order.
func FixedInDegree(nPre, nPost, k int, opt ConnectOptions) (*Projection, error) {
	if err := checkSizes("fixed in-degree", nPre, nPost); err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, fmt.Errorf("fixed in-degree: in-degree %d is negative", k)
	}
	if n := int64(k) * int64(nPost); n > MaxSynapses {
		return nil, fmt.Errorf("fixed in-degree: %d inputs each for %d neurons is %d synapses, more than %d", k, nPost, n, MaxSynapses)
	}
	src := rand.NewPCG(opt.Seed, opt.Stream)
	pres := make([]int32, k*nPost) // the inputs of post j at pres[j·k:(j+1)·k]
	chosen := make([]int32, nPre)  // chosen[c] = j+1: candidate c is chosen for post j
	for j := range nPost {
		m := nPre
		if opt.NoSelf && j < nPre {
			m--
		}
		if k > m && (!opt.Multapses || m == 0) && k > 0 {
			what := "distinct presynaptic neurons"
			if opt.NoSelf {
				what += " other than itself"
			}
			return nil, fmt.Errorf("fixed in-degree: neuron %d needs %d inputs, but there are only %d %s", j, k, m, what)
		}
		in := pres[j*k : (j+1)*k]
		if opt.Multapses {
			for q := range in {
				in[q] = int32(bounded(src, uint64(m)))
			}
		} else {
			stamp := int32(j + 1)
			q := 0
			for t := m - k; t < m; t++ {
				c := int32(bounded(src, uint64(t+1)))
				if chosen[c] == stamp {
					c = int32(t)
				}
				chosen[c] = stamp
				in[q] = c
				q++
			}
		}
		if opt.NoSelf && j < nPre {
			for q, c := range in {
				if int(c) >= j {
					in[q] = c + 1
				}
			}
		}
	}
	// Rows by presynaptic neuron, filled in order of j.
	start := make([]int32, nPre+1)
	for _, i := range pres {
		start[i+1]++
	}
	for i := range nPre {
		start[i+1] += start[i]
	}
	next := slices.Clone(start[:nPre])
	post := make([]int32, len(pres))
	for j := range nPost {
		for _, i := range pres[j*k : (j+1)*k] {
			post[next[i]] = int32(j)
			next[i]++
		}
	}
	return NewProjection(nPre, nPost, start, post)
}

// FromPairs connects pre[k] to post[k] for every k, sorted into rows by presynaptic neuron and
// within a row by target (pairs that are equal keep their order). weights, when not nil, holds
// each pair's weight, stored per synapse as float64 in the sorted order; nil leaves the constant
// weight 1. It fails, naming the first offending pair, for an index outside its group, a pair
// i → i with NoSelf, or a pair given twice without Multapses.
func FromPairs(nPre, nPost int, pre, post []int32, weights []float64, opt ConnectOptions) (*Projection, error) {
	if err := checkSizes("connections from pairs", nPre, nPost); err != nil {
		return nil, err
	}
	switch {
	case len(pre) != len(post):
		return nil, fmt.Errorf("connections from pairs: %d presynaptic and %d postsynaptic indices", len(pre), len(post))
	case weights != nil && len(weights) != len(pre):
		return nil, fmt.Errorf("connections from pairs: %d weights for %d pairs", len(weights), len(pre))
	case len(pre) > MaxSynapses:
		return nil, fmt.Errorf("connections from pairs: %d pairs, more than %d", len(pre), MaxSynapses)
	}
	start := make([]int32, nPre+1)
	for k := range pre {
		i, j := pre[k], post[k]
		switch {
		case i < 0 || int(i) >= nPre:
			return nil, fmt.Errorf("connections from pairs: pair %d (%d → %d): presynaptic neuron %d is outside [0, %d)", k, i, j, i, nPre)
		case j < 0 || int(j) >= nPost:
			return nil, fmt.Errorf("connections from pairs: pair %d (%d → %d): postsynaptic neuron %d is outside [0, %d)", k, i, j, j, nPost)
		case opt.NoSelf && i == j:
			return nil, fmt.Errorf("connections from pairs: pair %d (%d → %d) connects a neuron to itself, and self-connections are off", k, i, j)
		}
		start[i+1]++
	}
	for i := range nPre {
		start[i+1] += start[i]
	}
	order := make([]int32, len(pre)) // pair indices, by row in input order
	next := slices.Clone(start[:nPre])
	for k, i := range pre {
		order[next[i]] = int32(k)
		next[i]++
	}
	targets := make([]int32, len(pre))
	for i := range nPre {
		row := order[start[i]:start[i+1]]
		slices.SortStableFunc(row, func(a, b int32) int { return int(post[a]) - int(post[b]) })
		for q, k := range row {
			targets[int(start[i])+q] = post[k]
			if q > 0 && !opt.Multapses && post[k] == post[row[q-1]] {
				return nil, fmt.Errorf("connections from pairs: pairs %d and %d both connect %d → %d, and multapses are off", row[q-1], k, i, post[k])
			}
		}
	}
	p, err := NewProjection(nPre, nPost, start, targets)
	if err != nil {
		return nil, err
	}
	if weights != nil {
		w := make([]float64, len(order))
		for q, k := range order {
			w[q] = weights[k]
		}
		if err := p.SetWeights64(w); err != nil {
			return nil, fmt.Errorf("connections from pairs: %w", err)
		}
	}
	return p, nil
}

// PairOrder returns the order of the synapses that FromPairs makes of the pairs (pre[k],
// post[k]): synapse q is pair PairOrder(pre, post)[q]. The pairs go by presynaptic neuron, then
// by postsynaptic neuron, each in their order in the input. A network draws a projection's
// weights per synapse in this order, whether or not its file gives a delay per connection.
func PairOrder(pre, post []int32) []int32 {
	order := make([]int32, len(pre))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		if pre[a] != pre[b] {
			return int(pre[a]) - int(pre[b])
		}
		return int(post[a]) - int(post[b])
	})
	return order
}

// FromPairsByDelay is FromPairs for pairs with a delay each (whole steps, from 0 to
// MaxDelaySteps): it returns one projection per distinct delay, in ascending order of delay,
// each with its delay set, holding that delay's pairs; connect each (Sim.Connect) under its own
// name. A pair given twice, with the same delay or not, is a multapse.
func FromPairsByDelay(nPre, nPost int, pre, post []int32, weights []float64, delays []int32, opt ConnectOptions) ([]*Projection, error) {
	if len(delays) != len(pre) {
		return nil, fmt.Errorf("connections from pairs: %d delays for %d pairs", len(delays), len(pre))
	}
	if _, err := FromPairs(nPre, nPost, pre, post, weights, opt); err != nil { // every check but the delays'
		return nil, err
	}
	byDelay := map[int32][]int{}
	for k, d := range delays {
		if d < 0 || d > MaxDelaySteps {
			return nil, fmt.Errorf("connections from pairs: pair %d (%d → %d): delay of %d steps, want 0 to %d", k, pre[k], post[k], d, MaxDelaySteps)
		}
		byDelay[d] = append(byDelay[d], k)
	}
	var out []*Projection
	for _, d := range slices.Sorted(maps.Keys(byDelay)) {
		ks := byDelay[d]
		a, b := make([]int32, len(ks)), make([]int32, len(ks))
		var w []float64
		if weights != nil {
			w = make([]float64, len(ks))
		}
		for q, k := range ks {
			a[q], b[q] = pre[k], post[k]
			if w != nil {
				w[q] = weights[k]
			}
		}
		opt := opt
		opt.Multapses = true // checked over all pairs above
		p, err := FromPairs(nPre, nPost, a, b, w, opt)
		if err != nil {
			return nil, err
		}
		p.delay, p.hash = int(d), ""
		out = append(out, p)
	}
	return out, nil
}

// unitOpen returns a uniform number in (0, 1]: 1 − (x>>11)·2^−53 for the source's next x.
func unitOpen(src *rand.PCG) float64 {
	return 1 - float64(src.Uint64()>>11)*0x1p-53
}

// bounded returns a uniform integer in [0, m) by Lemire's method (m > 0).
func bounded(src *rand.PCG, m uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), m)
	if lo < m {
		thresh := -m % m
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), m)
		}
	}
	return hi
}

// detLog is the natural logarithm of x > 0 (finite, normal), computed the same way on every
// machine: the algorithm of FreeBSD's msun e_log.c, as Go's portable math.Log, with every
// product rounded before it is added (float64(…)) so that no compiler may fuse a multiply–add.
// math.Log itself is assembly on amd64 and may differ in the last bit elsewhere.
func detLog(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		l1    = 6.666666666666735130e-01   // 3FE55555 55555593
		l2    = 3.999999999940941908e-01   // 3FD99999 9997FA04
		l3    = 2.857142874366239149e-01   // 3FD24924 94229359
		l4    = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
		l5    = 1.818357216161805012e-01   // 3FC74664 96CB03DE
		l6    = 1.531383769920937332e-01   // 3FC39A09 D078C69F
		l7    = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
	)
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	r := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo))) - f)
}
