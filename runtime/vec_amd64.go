//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"os"
	"simd/archsimd"
)

// Four-lane versions of Exp, Exprel and ExprelOf, for generated code built with
// GOEXPERIMENT=simd on amd64 CPUs with AVX2. Each lane gets the same bits as the scalar
// function: the same reduction, table and polynomial, in the same order of operations, with no
// fused multiply–add (a test holds them to it). Lanes outside the scalar functions' fast paths
// (|x| > 708, ±Inf, NaN) are rare; when a vector holds one, its four lanes go through the scalar
// function one by one.
//
// Generated packages choose their four-lane Step when HasAVX2 is true and the scalar one
// otherwise (and their eight-lane Step before it when HasAVX512 is true: vec8_amd64.go).

// HasAVX2 reports whether generated code runs its four-lane step: the CPU has AVX2 and the
// environment variable NEUROGEN_SIMD does not ask for the scalar step.
//
// NEUROGEN_SIMD, read once at start-up, caps the lanes of generated code's vector steps, so
// that one machine can compare them: "avx2" steps at most four neurons at a time (HasAVX512 is
// false), "scalar" one at a time (HasAVX2 is false too); unset, empty or "avx512", each CPU
// runs the widest step it has. Other values leave the widest step too.
var HasAVX2 = archsimd.X86.AVX2() && simdLanes(simdEnv) >= 4

// simdEnv is NEUROGEN_SIMD at start-up.
var simdEnv = os.Getenv("NEUROGEN_SIMD")

// simdLanes returns the most lanes a value of NEUROGEN_SIMD allows.
func simdLanes(env string) int {
	switch env {
	case "avx2":
		return 4
	case "scalar":
		return 1
	}
	return 8
}

// expPairs is expTable as pairs {hi, tail}, each loaded into one 128-bit half of a vector.
var expPairs [expN][2]float64

func init() {
	for j, e := range expTable {
		expPairs[j] = [2]float64{e.hi, e.tail}
	}
}

// vk holds the constants of the vector functions, each in eight lanes (the four-lane functions
// load the first four), so that each is one load: a broadcast of a constant compiles to a load
// and a shuffle, and the shuffle ports are the ones the table reads need.
var vk = struct {
	invLn2N, shift, ln2HiN, negLn2LoN, c2, c3, c4, c5, one, minusOne, half [8]float64
	p6, p24, p120, p720, p5040, p40320, p362880                            [8]float64
	expFastMaxBits, maxInt64, exprelPolyMaxBits, halfBitsMinus1, infBits   [8]int64
	lowN, sign                                                             [8]uint64
	// TransposeX8's permutes: the pairs of 128-bit groups 0 and 2, and 1 and 3, of two vectors
	transposeEven, transposeOdd [8]uint64
}{
	invLn2N: splat8(expInvLn2N), shift: splat8(expShift), ln2HiN: splat8(expLn2HiN), negLn2LoN: splat8(-expLn2LoN),
	c2: splat8(expC2), c3: splat8(expC3), c4: splat8(expC4), c5: splat8(expC5),
	one: splat8(1.0), minusOne: splat8(-1.0), half: splat8(0.5),
	p6: splat8(1.0 / 6), p24: splat8(1.0 / 24), p120: splat8(1.0 / 120), p720: splat8(1.0 / 720),
	p5040: splat8(1.0 / 5040), p40320: splat8(1.0 / 40320), p362880: splat8(1.0 / 362880),
	expFastMaxBits: splat8(int64(expFastMaxBits)), maxInt64: splat8(int64(math.MaxInt64)),
	exprelPolyMaxBits: splat8(int64(exprelPolyMaxBits)), halfBitsMinus1: splat8(int64(math.Float64bits(0.5)) - 1),
	infBits: splat8(int64(math.Float64bits(math.Inf(1)))),
	lowN:    splat8(uint64(expN - 1)), sign: splat8(uint64(1 << 63)),
	transposeEven: [8]uint64{0, 1, 8, 9, 4, 5, 12, 13}, transposeOdd: [8]uint64{2, 3, 10, 11, 6, 7, 14, 15},
}

// splat8 returns eight copies of c.
func splat8[T any](c T) [8]T { return [8]T{c, c, c, c, c, c, c, c} }

// k4 loads a constant of vk into four lanes.
func k4(c *[8]float64) archsimd.Float64x4 { return archsimd.LoadFloat64x4((*[4]float64)(c[:4])) }

// expReduceX4 is expReduce on four lanes. AVX2 has no permute over 128 entries, so the table
// is read one lane at a time, hi and tail together, and the pairs are regrouped.
func expReduceX4(x archsimd.Float64x4) (scale, tj, rhi, rlo archsimd.Float64x4) {
	kd := x.Mul(k4(&vk.invLn2N)).Add(k4(&vk.shift))
	ki := kd.AsUint64x4()
	kd = kd.Sub(k4(&vk.shift))
	var k [4]uint64
	ki.Store(&k)
	var a, b archsimd.Float64x4
	a = a.SetLo(archsimd.LoadFloat64x2(&expPairs[k[0]%expN])).SetHi(archsimd.LoadFloat64x2(&expPairs[k[2]%expN]))
	b = b.SetLo(archsimd.LoadFloat64x2(&expPairs[k[1]%expN])).SetHi(archsimd.LoadFloat64x2(&expPairs[k[3]%expN]))
	// a = {hi0, tail0, hi2, tail2}, b = {hi1, tail1, hi3, tail3}.
	hi := a.AsUint64x4().InterleaveLoGrouped(b.AsUint64x4())
	tj = a.AsUint64x4().InterleaveHiGrouped(b.AsUint64x4()).AsFloat64x4()
	// ⌊k/N⌋ in the exponent field, as ki>>7<<52 in expReduce: shifted left only, because a
	// shift right by a constant compiles to a legacy SSE move of the count (MOVQ), and a legacy
	// SSE instruction between 256-bit ones costs a state transition of tens of cycles on some
	// CPUs.
	scale = hi.Add(ki.AndNot(archsimd.LoadUint64x4((*[4]uint64)(vk.lowN[:4]))).ShiftAllLeft(52 - expLogN)).AsFloat64x4()
	rhi = x.Sub(kd.Mul(k4(&vk.ln2HiN)))
	rlo = kd.Mul(k4(&vk.negLn2LoN))
	return scale, tj, rhi, rlo
}

// expTailX4 is expTail on four lanes.
func expTailX4(tj, rhi, rlo archsimd.Float64x4) archsimd.Float64x4 {
	r := rhi.Add(rlo)
	r2 := r.Mul(r)
	p := k4(&vk.c2).Add(r.Mul(k4(&vk.c3)))
	q := k4(&vk.c4).Add(r.Mul(k4(&vk.c5)))
	return rhi.Add(tj.Add(rlo).Add(r2.Mul(p)).Add(r2.Mul(r2).Mul(q)))
}

// absBitsX4 returns |x| as integers, in the order of |x| (NaN above +Inf), all below 2^63 so
// that signed comparisons (AVX2 has no unsigned ones) order them.
func absBitsX4(x archsimd.Float64x4) archsimd.Int64x4 {
	return x.AsInt64x4().And(archsimd.LoadInt64x4((*[4]int64)(vk.maxInt64[:4])))
}

// ExpX4 is Exp on four lanes, bit for bit.
func ExpX4(x archsimd.Float64x4) archsimd.Float64x4 {
	if absBitsX4(x).Greater(archsimd.LoadInt64x4((*[4]int64)(vk.expFastMaxBits[:4]))).ToBits() != 0 {
		return LanesX4(x, Exp)
	}
	scale, tj, rhi, rlo := expReduceX4(x)
	return scale.Add(scale.Mul(expTailX4(tj, rhi, rlo)))
}

// ExprelX4 is Exprel on four lanes, bit for bit: the polynomial and the reduction are each
// computed only when some lane needs them.
func ExprelX4(z archsimd.Float64x4) archsimd.Float64x4 {
	b := absBitsX4(z)
	if b.Greater(archsimd.LoadInt64x4((*[4]int64)(vk.expFastMaxBits[:4]))).ToBits() != 0 {
		return LanesX4(z, Exprel)
	}
	small := archsimd.LoadInt64x4((*[4]int64)(vk.exprelPolyMaxBits[:4])).Greater(b)
	bits := small.ToBits()
	var poly archsimd.Float64x4
	if bits != 0 {
		poly = exprelPolyX4(z)
		if bits == 0xf {
			return poly
		}
	}
	scale, tj, rhi, rlo := expReduceX4(z)
	t := expTailX4(tj, rhi, rlo)
	s := scale.Sub(k4(&vk.one))
	bv := s.Sub(scale)
	e := scale.Sub(s.Sub(bv)).Add(k4(&vk.minusOne).Sub(bv))
	red := s.Add(scale.Mul(t).Add(e)).Div(z)
	if bits == 0 {
		return red
	}
	return poly.Merge(red, small)
}

// exprelPolyX4 is Exprel's polynomial, |z| < 1/32, on four lanes.
func exprelPolyX4(z archsimd.Float64x4) archsimd.Float64x4 {
	z2 := z.Mul(z)
	q0 := k4(&vk.p6).Add(z.Mul(k4(&vk.p24)))
	q2 := k4(&vk.p120).Add(z.Mul(k4(&vk.p720)))
	q4 := k4(&vk.p5040).Add(z.Mul(k4(&vk.p40320))).Add(z2.Mul(k4(&vk.p362880)))
	q := q0.Add(z2.Mul(q2.Add(z2.Mul(q4))))
	return k4(&vk.one).Add(z.Mul(k4(&vk.half)).Add(z2.Mul(q)))
}

// ExprelOfX4 is ExprelOf on four lanes, bit for bit.
func ExprelOfX4(z, ez archsimd.Float64x4) archsimd.Float64x4 {
	b := absBitsX4(z)
	// ExprelOf takes (ez − 1)/z where 1/2 ≤ |z| < +Inf, and Exprel(z) elsewhere.
	quot := b.Greater(archsimd.LoadInt64x4((*[4]int64)(vk.halfBitsMinus1[:4]))).And(
		archsimd.LoadInt64x4((*[4]int64)(vk.infBits[:4])).Greater(b))
	r := ez.Sub(k4(&vk.one)).Div(z)
	if quot.ToBits() != 0xf {
		r = r.Merge(ExprelX4(z), quot)
	}
	return r
}

// LanesX4 applies f to each lane: generated code calls math's functions that have no
// four-lane form (Log, Tanh, …) so, and the four-lane functions here fall back to their scalar
// forms so for arguments outside their fast paths.
func LanesX4(x archsimd.Float64x4, f func(float64) float64) archsimd.Float64x4 {
	var a [4]float64
	x.Store(&a)
	for i := range a {
		a[i] = f(a[i])
	}
	return archsimd.LoadFloat64x4(&a)
}

// NegX4 is −x on four lanes: the sign bit flipped, as Go's unary minus.
func NegX4(x archsimd.Float64x4) archsimd.Float64x4 {
	return x.AsUint64x4().Xor(archsimd.LoadUint64x4((*[4]uint64)(vk.sign[:4]))).AsFloat64x4()
}

// AbsX4 is math.Abs on four lanes: the sign bit cleared.
func AbsX4(x archsimd.Float64x4) archsimd.Float64x4 {
	return x.AsUint64x4().AndNot(archsimd.LoadUint64x4((*[4]uint64)(vk.sign[:4]))).AsFloat64x4()
}

// NotX4 is the lanewise negation of a mask.
func NotX4(m archsimd.Mask64x4) archsimd.Mask64x4 {
	return m.ToInt64x4().Xor(archsimd.BroadcastInt64x4(-1)).ToMask()
}

// Lanes2X4 applies f to each pair of lanes of x and y, as LanesX4 does.
func Lanes2X4(x, y archsimd.Float64x4, f func(a, b float64) float64) archsimd.Float64x4 {
	var a, b [4]float64
	x.Store(&a)
	y.Store(&b)
	for i := range a {
		a[i] = f(a[i], b[i])
	}
	return archsimd.LoadFloat64x4(&a)
}

// TransposeX4 transposes four vectors as the rows of a 4×4 matrix: w holds the first lanes of
// a, b, c and d, x the second lanes, and so on. Generated code reads a rate table's row of
// each lane with one load per gate and regroups the numbers by lane so.
func TransposeX4(a, b, c, d archsimd.Float64x4) (w, x, y, z archsimd.Float64x4) {
	t0 := a.AsUint64x4().InterleaveLoGrouped(b.AsUint64x4()).AsFloat64x4() // a0 b0 a2 b2
	t1 := a.AsUint64x4().InterleaveHiGrouped(b.AsUint64x4()).AsFloat64x4() // a1 b1 a3 b3
	t2 := c.AsUint64x4().InterleaveLoGrouped(d.AsUint64x4()).AsFloat64x4() // c0 d0 c2 d2
	t3 := c.AsUint64x4().InterleaveHiGrouped(d.AsUint64x4()).AsFloat64x4() // c1 d1 c3 d3
	return t0.SetHi(t2.GetLo()), t1.SetHi(t3.GetLo()), t2.SetLo(t0.GetHi()), t3.SetLo(t1.GetHi())
}

// Exprel2X4 is Exprel2 on four lanes, lane by lane (the exact step of a coupled receptor state
// calls it once per four neurons; its arguments are most often the same on every lane).
func Exprel2X4(p, q archsimd.Float64x4) archsimd.Float64x4 {
	var a, b [4]float64
	p.Store(&a)
	q.Store(&b)
	for i := range a {
		a[i] = Exprel2(a[i], b[i])
	}
	return archsimd.LoadFloat64x4(&a)
}
