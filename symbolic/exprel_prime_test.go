package symbolic

import (
	"math"
	"math/big"
	"testing"
)

// exprelPrimeRef is d/du exprel(u) = Σ_{k≥0} (k+1)·u^k/(k+2)! in 512-bit arithmetic, rounded to
// float64. The series converges for every u; at |u| ≤ 40 its largest term is below 1e17 and 400
// terms leave a remainder far below the float64 result.
func exprelPrimeRef(u float64) float64 {
	const prec = 512
	nf := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	bu := nf(u)
	sum := nf(0)
	pow := nf(1)  // u^k
	fact := nf(2) // (k+2)!
	for k := 0; k < 400; k++ {
		term := new(big.Float).SetPrec(prec).Mul(pow, nf(float64(k+1)))
		term.Quo(term, fact)
		sum.Add(sum, term)
		pow.Mul(pow, bu)
		fact.Mul(fact, nf(float64(k+3)))
	}
	f, _ := sum.Float64()
	return f
}

// TestExprelDerivative: the derivative of exprel, which exp_auto's linear coefficient uses when
// an exprel's argument depends on the state, is accurate to 4 ulp everywhere, and exact (1/2)
// at 0, against a 512-bit reference; the closed form it replaces near 0 was not (it lost
// log10(1/|u|) digits, half of them at 1e-8).
func TestExprelDerivative(t *testing.T) {
	d := Differentiate(Call("exprel", x), "x", nil)
	d3 := Differentiate(Call("exprel", Mul(c(0.3), x)), "x", nil)
	points := []float64{0, 1e-8, -1e-8, 1e-4, -1e-4, 1e-2, -1e-2, 0.3, -0.3, 0.4999, -0.4999, 0.5, -0.5, 0.7, -0.7, 1, -1, 3, -3, 10, -10, 30, -30}
	for _, u := range points {
		want := exprelPrimeRef(u)
		got := Eval(d, MapEnv(map[string]float64{"x": u}))
		if err := math.Abs(got-want) / math.Abs(want); err > 4*0x1p-52 || (u == 0 && got != 0.5) {
			t.Errorf("exprel'(%g) = %.17g, want %.17g (relative error %.2g)", u, got, want, err)
		}
		// The chain rule: d/dx exprel(0.3·x) = 0.3·exprel'(0.3·x).
		want3 := 0.3 * exprelPrimeRef(0.3*u)
		got3 := Eval(d3, MapEnv(map[string]float64{"x": u}))
		if err := math.Abs(got3-want3) / math.Abs(want3); err > 4*0x1p-52 {
			t.Errorf("d/dx exprel(0.3x) at %g = %.17g, want %.17g (relative error %.2g)", u, got3, want3, err)
		}
	}
	// The series and the closed form meet at |u| = 1/2 without a step.
	for _, s := range []float64{1, -1} {
		below := Eval(d, MapEnv(map[string]float64{"x": math.Nextafter(s*exprelPrimeSeriesMax, 0)}))
		at := Eval(d, MapEnv(map[string]float64{"x": s * exprelPrimeSeriesMax}))
		if math.Abs(below-at) > 1e-15 {
			t.Errorf("exprel' jumps at %g: %.17g just inside, %.17g at it", s*exprelPrimeSeriesMax, below, at)
		}
	}
}
