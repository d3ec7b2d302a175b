package runtime

import "math"

// Exprel returns (e^z − 1)/z, the "relative error exponential", with Exprel(0) = 1.
//
// Rate functions of the form x/(1 − e^(−x/k)), such as the Hodgkin–Huxley α_m and α_n, are
// generated as k/Exprel(−x/k), which has no removable singularity at x = 0 and loses no
// precision near it; exponential Euler steps use it as x + dt·f·Exprel(dt·L).
//
// Algorithm: for |z| < 1/32 Exprel is the Taylor polynomial 1 + z/2 + z²/6 + … + z⁸/9!
// (truncation error below 2^−66). For 1/32 ≤ |z| ≤ 708 it uses the reduction of Exp,
// e^z = scale·(1 + t) with scale = 2^(k/128) and |t| ≤ 0.0028, and returns
// ((scale − 1) + scale·t)/z, where scale − 1 is carried exactly as a sum of two float64 (Knuth's
// two-sum), so that e^z − 1 loses nothing to cancellation near e^z = 1. Beyond that (|z| > 708,
// ±Inf, NaN) it returns math.Expm1(z)/z. As in Exp, no step relies on a fused multiply–add.
//
// Accuracy: below 0.51 ulp for |z| < 1/32, where it matters most (the final addition rounds by
// ½ ulp, the rest adds under 0.01 ulp), and below 2 ulp for every finite z up to 709.78
// (ln MaxFloat64): the rounding of e^z − 1 costs at most 1 ulp of the result, the division ½,
// and the rounding of scale·t and the approximations in t (at most 2^−60 of e^z, and
// e^z/|e^z − 1| ≤ 33 for |z| ≥ 1/32) under 0.45 ulp together. For subnormal z the result is
// exactly 1. The tests hold it to these bounds against a 256-bit math/big reference on a
// logarithmic grid of |z| from 1e-320 to 709.78, on random z in [−1e-3, 1e-3], [−1/32, 1/32],
// [−2, 0], [−10, 10], [−50, 50] and [−709.78, 709.78], and around the points where the method
// changes; the largest error seen over 1.65 million random points is 1.48 ulp. Above 709.78, where
// e^z overflows, it returns +Inf, although the exact value stays finite up to z ≈ 716.4.
// Special values: Exprel(±0) = 1, Exprel(−Inf) = 0, Exprel(+Inf) = +Inf, Exprel(NaN) = NaN.
//
// Exprel is too large for the compiler to inline: it carries the reduction of Exp.
func Exprel(z float64) float64 {
	// b is |z| as an integer, in the order of |z| (NaN's bits are above +Inf's). One unsigned
	// comparison picks the common path, 1/32 ≤ |z| ≤ 708.
	b := math.Float64bits(z) &^ (1 << 63)
	if b-exprelPolyMaxBits <= expFastMaxBits-exprelPolyMaxBits {
		scale, tj, rhi, rlo := expReduce(z)
		t := expTail(tj, rhi, rlo)
		// e^z − 1 = (scale − 1) + scale·t, with scale − 1 = s + e exactly (Knuth's two-sum; s is
		// inexact only for scale < 1/2 or scale ≥ 2^53). The explicit float64 conversions stop
		// the compiler fusing a product into a sum.
		s := scale - 1
		bv := s - scale
		e := (scale - (s - bv)) + (-1 - bv)
		return (s + (float64(scale*t) + e)) / z
	}
	if b < exprelPolyMaxBits { // |z| < 1/32
		// 1 + z/2 + z²·q(z), q(z) = Σ z^n/(n+3)! for n = 0…6, by Estrin's scheme: z/2 is exact
		// and |z²·q| < 1/6000, so the result is rounded about once.
		z2 := z * z
		q0 := 1.0/6 + float64(z*(1.0/24))
		q2 := 1.0/120 + float64(z*(1.0/720))
		q4 := 1.0/5040 + float64(z*(1.0/40320)) + float64(z2*(1.0/362880))
		q := q0 + float64(z2*(q2+float64(z2*q4)))
		return 1 + (float64(z*0.5) + float64(z2*q))
	}
	// |z| > 708, ±Inf or NaN.
	r := math.Expm1(z) / z
	if r != r {
		// NaN: Inf/Inf at z = +Inf, or z is NaN. 1 + z is +Inf and NaN.
		return 1 + z
	}
	return r
}

const (
	// exprelPolyMax is where Exprel changes from its Taylor polynomial to the reduction of
	// Exp. Below it the first omitted term, z⁹/10!, is under 2^−66 of the result; above it
	// |r| ≤ ln2/256 is at most 0.087|z|, so the rounding of scale·t adds little to that of the
	// sum.
	exprelPolyMax     = 1.0 / 32
	exprelPolyMaxBits = 0x3fa0_0000_0000_0000 // math.Float64bits(exprelPolyMax)
)

// ExprelOf is Exprel(z) given ez = e^z, computed elsewhere: (ez − 1)/z where |z| ≥ 1/2, where
// e^z − 1 is at least 0.39 in magnitude and the quotient loses at most a few ulp to the
// cancellation, and Exprel(z) elsewhere (near z = 0, and for z NaN or infinite). Generated code
// calls it where an exponential of the same variable is already known, so that a rate function
// costs a division instead of another exponential.
func ExprelOf(z, ez float64) float64 {
	if !(math.Abs(z) >= 0.5) || math.IsInf(z, 0) {
		return Exprel(z)
	}
	return (ez - 1) / z
}

// Exprel2 returns the second divided difference of e^z at 0, p and q:
//
//	(Exprel(q) − Exprel(p))/(q − p),
//
// symmetric in p and q, with its limits where they meet: Exprel2(p, p) is Exprel's derivative
// at p and Exprel2(0, 0) = 1/2. It is h²·Exprel2(a·h, b·h) = ∫₀ʰ e^(a(h−s)) (e^(bs) − 1)/b ds,
// the exact step's term of a state x that another state y drives (dx/dt = a·x + c·y + …,
// dy/dt = b·y + …): x(t+h) = x + h·ẋ·Exprel(a·h) + c·ẏ·h²·Exprel2(a·h, b·h), with ẋ and ẏ the
// derivatives at t.
//
// Algorithm: where |p| and |q| are below 1, the Taylor series Σ hₙ(p, q)/(n+2)! to n = 21, hₙ
// the complete homogeneous polynomial Σ pⁱqⁿ⁻ⁱ (its terms are under 8 times the result in
// magnitude, and the first omitted one is under 2^−68 of it). Elsewhere, with |q| ≥ |p| (and
// |q| ≥ 1), (E(p, q) − Exprel(p))/q, the difference of two first divided differences, with
// E(p, q) = e^p·Exprel(q − p) where |q − p| < 1/2 (no loss where p and q meet) and
// (e^q − e^p)/(q − p) elsewhere. Special values: NaN if
// either is NaN.
func Exprel2(p, q float64) float64 {
	if math.Abs(p) > math.Abs(q) {
		p, q = q, p
	}
	if math.Abs(q) < 1 {
		// hₙ = q·hₙ₋₁ + pⁿ; the terms summed from the smallest up.
		var terms [22]float64
		h, pn, f := 1.0, 1.0, 0.5
		terms[0] = f
		for n := 1; n < len(terms); n++ {
			pn *= p
			h = float64(q*h) + pn
			f /= float64(n + 2)
			terms[n] = float64(h * f)
		}
		s := 0.0
		for n := len(terms) - 1; n >= 0; n-- {
			s += terms[n]
		}
		return s
	}
	// e^p·Exprel(q − p) = (e^q − e^p)/(q − p): q − p is exact where |q − p| < 1/2 (p and q are
	// then within a factor 2 of each other, as |q| ≥ 1), and elsewhere e^q − e^p does not cancel.
	var pq float64
	if d := q - p; math.Abs(d) < 0.5 {
		pq = float64(Exp(p) * Exprel(d))
	} else {
		pq = (Exp(q) - Exp(p)) / d
	}
	return (pq - Exprel(p)) / q
}
