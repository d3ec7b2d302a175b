//go:build goexperiment.simd && amd64

package runtime

import (
	"simd/archsimd"
)

// Eight-lane versions of the four-lane functions of vec_amd64.go, for CPUs with AVX-512
// (simd/archsimd's Float64x8). Each lane gets the same bits as the scalar function, as on
// four lanes: the same reduction, table, polynomial and order of operations, no fused
// multiply–add (a test holds them to it).
//
// Generated packages step neurons eight at a time when HasAVX512 is true, then four at a time
// when HasAVX2 is, then one at a time.

// HasAVX512 reports whether generated code runs its eight-lane step: the CPU has AVX-512
// (F, CD, BW, DQ and VL, archsimd.X86.AVX512) and the environment variable NEUROGEN_SIMD does
// not ask for fewer lanes (see HasAVX2). Tests and benchmarks may set it to false to run the
// four-lane step on the same machine.
var HasAVX512 = archsimd.X86.AVX512() && simdLanes(simdEnv) >= 8

// k8 loads a constant of vk into eight lanes.
func k8(c *[8]float64) archsimd.Float64x8 { return archsimd.LoadFloat64x8(c) }

// pairsX8 loads the table's pairs {hi, tail} at k[i0], k[i1], k[i2] and k[i3] into the four
// 128-bit groups of a vector.
func pairsX8(k *[8]uint64, i0, i1, i2, i3 int) archsimd.Float64x8 {
	var lo, hi archsimd.Float64x4
	lo = lo.SetLo(archsimd.LoadFloat64x2(&expPairs[k[i0]%expN])).SetHi(archsimd.LoadFloat64x2(&expPairs[k[i1]%expN]))
	hi = hi.SetLo(archsimd.LoadFloat64x2(&expPairs[k[i2]%expN])).SetHi(archsimd.LoadFloat64x2(&expPairs[k[i3]%expN]))
	var v archsimd.Float64x8
	return v.SetLo(lo).SetHi(hi)
}

// expReduceX8 is expReduce on eight lanes, reading the table as expReduceX4 does.
func expReduceX8(x archsimd.Float64x8) (scale, tj, rhi, rlo archsimd.Float64x8) {
	kd := x.Mul(k8(&vk.invLn2N)).Add(k8(&vk.shift))
	ki := kd.AsUint64x8()
	kd = kd.Sub(k8(&vk.shift))
	var k [8]uint64
	ki.Store(&k)
	// a = {hi0, tail0, hi2, tail2, hi4, tail4, hi6, tail6}, b the odd lanes' pairs.
	a := pairsX8(&k, 0, 2, 4, 6).AsUint64x8()
	b := pairsX8(&k, 1, 3, 5, 7).AsUint64x8()
	hi := a.InterleaveLoGrouped(b)
	tj = a.InterleaveHiGrouped(b).AsFloat64x8()
	scale = hi.Add(ki.AndNot(archsimd.LoadUint64x8(&vk.lowN)).ShiftAllLeft(52 - expLogN)).AsFloat64x8()
	rhi = x.Sub(kd.Mul(k8(&vk.ln2HiN)))
	rlo = kd.Mul(k8(&vk.negLn2LoN))
	return scale, tj, rhi, rlo
}

// expTailX8 is expTail on eight lanes.
func expTailX8(tj, rhi, rlo archsimd.Float64x8) archsimd.Float64x8 {
	r := rhi.Add(rlo)
	r2 := r.Mul(r)
	p := k8(&vk.c2).Add(r.Mul(k8(&vk.c3)))
	q := k8(&vk.c4).Add(r.Mul(k8(&vk.c5)))
	return rhi.Add(tj.Add(rlo).Add(r2.Mul(p)).Add(r2.Mul(r2).Mul(q)))
}

// absBitsX8 returns |x| as integers, in the order of |x| (NaN above +Inf).
func absBitsX8(x archsimd.Float64x8) archsimd.Int64x8 {
	return x.AsInt64x8().And(archsimd.LoadInt64x8(&vk.maxInt64))
}

// ExpX8 is Exp on eight lanes, bit for bit.
func ExpX8(x archsimd.Float64x8) archsimd.Float64x8 {
	if absBitsX8(x).Greater(archsimd.LoadInt64x8(&vk.expFastMaxBits)).ToBits() != 0 {
		return LanesX8(x, Exp)
	}
	scale, tj, rhi, rlo := expReduceX8(x)
	return scale.Add(scale.Mul(expTailX8(tj, rhi, rlo)))
}

// ExprelX8 is Exprel on eight lanes, bit for bit, computing the polynomial and the reduction
// only when some lane needs them.
func ExprelX8(z archsimd.Float64x8) archsimd.Float64x8 {
	b := absBitsX8(z)
	if b.Greater(archsimd.LoadInt64x8(&vk.expFastMaxBits)).ToBits() != 0 {
		return LanesX8(z, Exprel)
	}
	small := archsimd.LoadInt64x8(&vk.exprelPolyMaxBits).Greater(b)
	bits := small.ToBits()
	var poly archsimd.Float64x8
	if bits != 0 {
		poly = exprelPolyX8(z)
		if bits == 0xff {
			return poly
		}
	}
	scale, tj, rhi, rlo := expReduceX8(z)
	t := expTailX8(tj, rhi, rlo)
	s := scale.Sub(k8(&vk.one))
	bv := s.Sub(scale)
	e := scale.Sub(s.Sub(bv)).Add(k8(&vk.minusOne).Sub(bv))
	red := s.Add(scale.Mul(t).Add(e)).Div(z)
	if bits == 0 {
		return red
	}
	return poly.Merge(red, small)
}

// exprelPolyX8 is Exprel's polynomial, |z| < 1/32, on eight lanes.
func exprelPolyX8(z archsimd.Float64x8) archsimd.Float64x8 {
	z2 := z.Mul(z)
	q0 := k8(&vk.p6).Add(z.Mul(k8(&vk.p24)))
	q2 := k8(&vk.p120).Add(z.Mul(k8(&vk.p720)))
	q4 := k8(&vk.p5040).Add(z.Mul(k8(&vk.p40320))).Add(z2.Mul(k8(&vk.p362880)))
	q := q0.Add(z2.Mul(q2.Add(z2.Mul(q4))))
	return k8(&vk.one).Add(z.Mul(k8(&vk.half)).Add(z2.Mul(q)))
}

// ExprelOfX8 is ExprelOf on eight lanes, bit for bit.
func ExprelOfX8(z, ez archsimd.Float64x8) archsimd.Float64x8 {
	b := absBitsX8(z)
	// ExprelOf takes (ez − 1)/z where 1/2 ≤ |z| < +Inf, and Exprel(z) elsewhere.
	quot := b.Greater(archsimd.LoadInt64x8(&vk.halfBitsMinus1)).And(
		archsimd.LoadInt64x8(&vk.infBits).Greater(b))
	r := ez.Sub(k8(&vk.one)).Div(z)
	if quot.ToBits() != 0xff {
		r = r.Merge(ExprelX8(z), quot)
	}
	return r
}

// LanesX8 applies f to each lane, as LanesX4 does.
func LanesX8(x archsimd.Float64x8, f func(float64) float64) archsimd.Float64x8 {
	var a [8]float64
	x.Store(&a)
	for i := range a {
		a[i] = f(a[i])
	}
	return archsimd.LoadFloat64x8(&a)
}

// NegX8 is −x on eight lanes: the sign bit flipped, as Go's unary minus.
func NegX8(x archsimd.Float64x8) archsimd.Float64x8 {
	return x.AsUint64x8().Xor(archsimd.LoadUint64x8(&vk.sign)).AsFloat64x8()
}

// AbsX8 is math.Abs on eight lanes: the sign bit cleared.
func AbsX8(x archsimd.Float64x8) archsimd.Float64x8 {
	return x.AsUint64x8().AndNot(archsimd.LoadUint64x8(&vk.sign)).AsFloat64x8()
}

// NotX8 is the lanewise negation of a mask.
func NotX8(m archsimd.Mask64x8) archsimd.Mask64x8 {
	return archsimd.Mask64x8FromBits(^m.ToBits())
}

// Lanes2X8 applies f to each pair of lanes of x and y, as LanesX8 does.
func Lanes2X8(x, y archsimd.Float64x8, f func(a, b float64) float64) archsimd.Float64x8 {
	var a, b [8]float64
	x.Store(&a)
	y.Store(&b)
	for i := range a {
		a[i] = f(a[i], b[i])
	}
	return archsimd.LoadFloat64x8(&a)
}

// TransposeX8 transposes eight four-lane rows (a rate table's row of each of eight lanes)
// into four eight-lane columns: w holds the first numbers of the rows, x the second, and so
// on, as TransposeX4 does for four rows. Rows l and l+4 share a vector, so that the two
// halves transpose together: an interleave within each 128-bit group, then a permute of two
// vectors.
func TransposeX8(r0, r1, r2, r3, r4, r5, r6, r7 archsimd.Float64x4) (w, x, y, z archsimd.Float64x8) {
	var p0, p1, p2, p3 archsimd.Float64x8
	p0, p1 = p0.SetLo(r0).SetHi(r4), p1.SetLo(r1).SetHi(r5)
	p2, p3 = p2.SetLo(r2).SetHi(r6), p3.SetLo(r3).SetHi(r7)
	t0 := p0.AsUint64x8().InterleaveLoGrouped(p1.AsUint64x8()).AsFloat64x8() // r0[0] r1[0] r0[2] r1[2] r4[0] r5[0] r4[2] r5[2]
	t1 := p0.AsUint64x8().InterleaveHiGrouped(p1.AsUint64x8()).AsFloat64x8() // r0[1] r1[1] r0[3] r1[3] r4[1] …
	t2 := p2.AsUint64x8().InterleaveLoGrouped(p3.AsUint64x8()).AsFloat64x8() // r2[0] r3[0] r2[2] r3[2] r6[0] …
	t3 := p2.AsUint64x8().InterleaveHiGrouped(p3.AsUint64x8()).AsFloat64x8() // r2[1] r3[1] r2[3] r3[3] r6[1] …
	even := archsimd.LoadUint64x8(&vk.transposeEven)
	odd := archsimd.LoadUint64x8(&vk.transposeOdd)
	return t0.ConcatPermute(t2, even), t1.ConcatPermute(t3, even), t0.ConcatPermute(t2, odd), t1.ConcatPermute(t3, odd)
}

// Exprel2X8 is Exprel2 on eight lanes, lane by lane, as Exprel2X4.
func Exprel2X8(p, q archsimd.Float64x8) archsimd.Float64x8 {
	var a, b [8]float64
	p.Store(&a)
	q.Store(&b)
	for i := range a {
		a[i] = Exprel2(a[i], b[i])
	}
	return archsimd.LoadFloat64x8(&a)
}
