package runtime

import "math"

// Exprel returns (e^z − 1)/z, the "relative error exponential", with Exprel(0) = 1.
//
// Rate functions of the form x/(1 − e^(−x/k)), such as the Hodgkin–Huxley α_m and α_n, are
// generated as k/Exprel(−x/k), which has no removable singularity at x = 0 and loses no
// precision near it. Exprel is accurate to 2 ulp for every finite z up to
// 709.78 (ln MaxFloat64), including subnormal z, where the quotient is exactly 1. Above that,
// where e^z overflows, it returns +Inf, although the exact value stays finite up to z ≈ 716.4.
// Special values: Exprel(±0) = 1, Exprel(−Inf) = 0, Exprel(+Inf) = +Inf, Exprel(NaN) = NaN.
//
// Exprel is small enough for the compiler to inline into generated rate code (a test checks
// this); keep it that way when editing it.
func Exprel(z float64) float64 {
	r := math.Expm1(z) / z
	if r != r {
		// NaN: 0/0 at z = ±0, Inf/Inf at z = +Inf, or z is NaN. 1 + z is 1, +Inf and NaN.
		return 1 + z
	}
	return r
}
