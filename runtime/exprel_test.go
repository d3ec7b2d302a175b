package runtime_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// refPrec is the precision, in bits, of the reference values.
const refPrec = 256

// exprelRef returns (e^z − 1)/z to about refPrec bits: by its Taylor series Σ z^k/(k+1)! for
// |z| < 1, where e^z − 1 would cancel, and from exp otherwise.
func exprelRef(z float64) *big.Float {
	x := new(big.Float).SetPrec(refPrec).SetFloat64(z)
	if math.Abs(z) < 1 {
		sum := new(big.Float).SetPrec(refPrec).SetInt64(1)
		term := new(big.Float).SetPrec(refPrec).SetInt64(1)
		for k := 2; ; k++ { // term = z^(k−1)/k!
			term.Mul(term, x)
			term.Quo(term, new(big.Float).SetInt64(int64(k)))
			if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-refPrec-2 {
				return sum
			}
			sum.Add(sum, term)
		}
	}
	e := bigExp(x)
	e.Sub(e, new(big.Float).SetInt64(1))
	return e.Quo(e, x)
}

// bigExp returns e^x: the Taylor series at r = x/2^k with |r| < 2^−16, squared k times, in
// enough extra precision to cover the k squarings.
func bigExp(x *big.Float) *big.Float {
	k := max(0, x.MantExp(nil)+16)
	prec := uint(refPrec + k + 16)
	r := new(big.Float).SetPrec(prec).SetMantExp(x, -k)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := 1; ; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(int64(n)))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(prec)-2 {
			break
		}
		sum.Add(sum, term)
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

// ulpErr returns |got − want| in units of the last place of want rounded to float64.
func ulpErr(got float64, want *big.Float) float64 {
	w, _ := want.Float64()
	ulp := math.Nextafter(math.Abs(w), math.Inf(1)) - math.Abs(w)
	d := new(big.Float).SetPrec(refPrec).SetFloat64(got)
	d.Sub(d, want).Abs(d)
	e, _ := d.Float64()
	return e / ulp
}

// TestExprelSpecial checks the special values and the overflow limit.
func TestExprelSpecial(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct{ z, want float64 }{
		{0, 1},
		{math.Copysign(0, -1), 1},
		{math.SmallestNonzeroFloat64, 1},
		{-math.SmallestNonzeroFloat64, 1},
		{1e-300, 1},
		{-inf, 0},
		{inf, inf},
		{-math.MaxFloat64, 1 / math.MaxFloat64},
		{709, math.Expm1(709) / 709},
		{710, inf}, // exact value 3.1e305; documented overflow
		{math.MaxFloat64, inf},
	} {
		if got := runtime.Exprel(c.z); got != c.want {
			t.Errorf("Exprel(%g) = %g, want %g", c.z, got, c.want)
		}
	}
	if got := runtime.Exprel(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Exprel(NaN) = %g, want NaN", got)
	}
	if got := runtime.Exprel(-inf); math.Signbit(got) {
		t.Errorf("Exprel(-Inf) = %g, want +0", got)
	}
}

// TestExprelAccuracy compares Exprel with a 256-bit reference: on a logarithmic grid of |z| from
// 1e-320 to 709.78 (just below ln MaxFloat64), both signs; on random z in ranges that cover each
// path of Exprel and the arguments models use (u in [−10, 10] for rates, dt·L in [−2, 0] for
// exponential Euler steps); and around the points where its method changes (|z| = 1/32, where
// the polynomial ends, |z| = 708, where the reduction ends, and where the reduction's k changes).
// The error must be at most 2 ulp everywhere and 0.51 ulp on the polynomial, |z| < 1/32, as the
// doc comment of Exprel states.
func TestExprelAccuracy(t *testing.T) {
	const (
		tol      = 2.0  // ulp
		tolSmall = 0.51 // ulp, for |z| < 1/32
	)
	n := 3000
	step := 0.02
	if testing.Short() {
		n, step = 300, 0.2
	}
	rng := rand.New(rand.NewPCG(1, 2))
	uniform := func(lo, hi float64) []float64 {
		zs := make([]float64, n)
		for i := range zs {
			zs[i] = lo + (hi-lo)*rng.Float64()
		}
		return zs
	}
	var grid, switches []float64
	for e := -320.0; e <= math.Log10(709.78); e += step {
		grid = append(grid, math.Pow(10, e), -math.Pow(10, e))
	}
	around := func(z float64) {
		lo, hi := z, z
		switches = append(switches, z)
		for range 4 {
			lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
			switches = append(switches, lo, hi)
		}
	}
	for _, z := range []float64{1.0 / 32, 708, 709.78} {
		around(z)
		around(-z)
	}
	for k := 4; k < 200; k++ { // round(z·128/ln2) changes at (k + ½)·ln2/128
		around((float64(k) + 0.5) * math.Ln2 / 128)
		around(-(float64(k) + 0.5) * math.Ln2 / 128)
	}
	sets := []struct {
		name string
		zs   []float64
	}{
		{"grid", grid},
		{"fixed", []float64{709.78, 709.5, -745, -745.2, 1e-8, -1e-8}},
		{"switches", switches},
		{"[−1e-3, 1e-3]", uniform(-1e-3, 1e-3)},
		{"[−1/32, 1/32]", uniform(-1.0/32, 1.0/32)},
		{"[−2, 0]", uniform(-2, 0)},
		{"[−10, 10]", uniform(-10, 10)},
		{"[−50, 50]", uniform(-50, 50)},
		{"[−709.78, 709.78]", uniform(-709.78, 709.78)},
	}
	for _, s := range sets {
		worst, worstZ := 0.0, 0.0
		worstSmall, worstSmallZ := 0.0, 0.0
		for _, z := range s.zs {
			e := ulpErr(runtime.Exprel(z), exprelRef(z))
			if e > worst {
				worst, worstZ = e, z
			}
			if math.Abs(z) < 1.0/32 && e > worstSmall {
				worstSmall, worstSmallZ = e, z
			}
		}
		t.Logf("%s, %d points: largest error %.3g ulp at z = %v; for |z| < 1/32 %.3g ulp at %v",
			s.name, len(s.zs), worst, worstZ, worstSmall, worstSmallZ)
		for _, c := range []struct{ e, z, tol float64 }{
			{worst, worstZ, tol},
			{worstSmall, worstSmallZ, tolSmall},
		} {
			if c.e > c.tol {
				want, _ := exprelRef(c.z).Float64()
				t.Errorf("%s: Exprel(%v) = %.17g, want %.17g: error %.3g ulp > %g ulp",
					s.name, c.z, runtime.Exprel(c.z), want, c.e, c.tol)
			}
		}
	}
}

// TestExprelRef checks the reference itself against closed forms.
func TestExprelRef(t *testing.T) {
	for _, c := range []struct{ z, want float64 }{
		{1, math.E - 1},
		{-1, 1 - 1/math.E},
		{math.Ln2, 1 / math.Ln2},
		{2 * math.Ln2, 3 / (2 * math.Ln2)},
		{0.5, 2 * (math.Sqrt(math.E) - 1)},
	} {
		// The closed forms are rounded float64 expressions, good to a few ulp.
		if e := ulpErr(c.want, exprelRef(c.z)); e > 4 {
			t.Errorf("reference at %g is %.3g ulp from the closed form", c.z, e)
		}
	}
	// The series (|z| < 1) and exp (|z| ≥ 1) branches agree where both converge.
	for _, z := range []float64{0.75, -0.75, 0.999} {
		x := new(big.Float).SetPrec(refPrec).SetFloat64(z)
		viaExp := bigExp(x)
		viaExp.Sub(viaExp, big.NewFloat(1)).Quo(viaExp, x)
		d := new(big.Float).Sub(viaExp, exprelRef(z))
		if d.Sign() != 0 && d.MantExp(nil) > -refPrec+8 {
			t.Errorf("reference at %g: series and exp differ by %g", z, d)
		}
	}
}

// TestExprelOf: given e^z (from Exp, or a shared exponential a few ulp off), ExprelOf agrees
// with Exprel within 2e-15 relative (the error of e^z, amplified by e^z/(e^z − 1) ≤ 2.6 for
// z ≥ 1/2), and is Exprel itself near 0 and at the special values.
func TestExprelOf(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200000 {
		z := (r.Float64()*2 - 1) * 40
		ez := runtime.Exp(z) * (1 + (r.Float64()*2-1)*4e-16) // a shared e^z: a few ulp off
		got, want := runtime.ExprelOf(z, ez), runtime.Exprel(z)
		if math.Abs(got-want) > 2e-15*want {
			t.Fatalf("ExprelOf(%v, %v) = %v, Exprel = %v: relative difference %.2g", z, ez, got, want, math.Abs(got-want)/want)
		}
		if math.Abs(z) < 0.5 && got != want {
			t.Fatalf("ExprelOf(%v) = %v is not Exprel's %v below |z| = 1/2", z, got, want)
		}
	}
	for _, z := range []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e-300} {
		got, want := runtime.ExprelOf(z, math.Exp(z)), runtime.Exprel(z)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("ExprelOf(%v) = %v, want Exprel's %v", z, got, want)
		}
	}
}

// exprel2Ref returns (Exprel(q) − Exprel(p))/(q − p) to well over float64's precision, from
// exprelRef in refPrec bits; where p = q, at q moved by 2^−100 (the error of that is about
// 2^−100 of the result).
func exprel2Ref(p, q float64) *big.Float {
	if p == q {
		// exprelRef of a point between floats: its series at higher precision.
		x := new(big.Float).SetPrec(refPrec).SetFloat64(p)
		dx := new(big.Float).SetPrec(refPrec).SetMantExp(big.NewFloat(1), -100)
		x2 := new(big.Float).SetPrec(refPrec).Add(x, dx)
		d := exprelBig(x2)
		d.Sub(d, exprelRef(p))
		return d.Quo(d, dx)
	}
	d := exprelRef(q)
	d.Sub(d, exprelRef(p))
	return d.Quo(d, new(big.Float).SetPrec(refPrec).Sub(new(big.Float).SetPrec(refPrec).SetFloat64(q), new(big.Float).SetPrec(refPrec).SetFloat64(p)))
}

// exprelBig is exprelRef at a point x that need not be a float64.
func exprelBig(x *big.Float) *big.Float {
	f, _ := x.Float64()
	if math.Abs(f) < 1 {
		sum := new(big.Float).SetPrec(refPrec).SetInt64(1)
		term := new(big.Float).SetPrec(refPrec).SetInt64(1)
		for k := 2; ; k++ {
			term.Mul(term, x)
			term.Quo(term, new(big.Float).SetInt64(int64(k)))
			if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-refPrec-2 {
				return sum
			}
			sum.Add(sum, term)
		}
	}
	e := bigExp(x)
	e.Sub(e, new(big.Float).SetInt64(1))
	return e.Quo(e, x)
}

// TestExprel2 holds Exprel2 to a few ulp of the 256-bit divided difference, on both of its
// methods and across the switch between them (|q| = 1), where p and q meet (the alpha
// function's a = b), are near each other, and far apart; and checks its symmetry and limits.
func TestExprel2(t *testing.T) {
	if got := runtime.Exprel2(0, 0); got != 0.5 {
		t.Errorf("Exprel2(0, 0) = %g, want 1/2", got)
	}
	rng := rand.New(rand.NewPCG(5, 9))
	type pair struct{ p, q float64 }
	var pairs []pair
	for _, r := range []float64{1e-6, 0.05, 0.99, 1.01, 3, 40} {
		for range 120 {
			p := (2*rng.Float64() - 1) * r
			pairs = append(pairs, pair{p, p}, pair{p, p * (1 + 1e-9*(2*rng.Float64()-1))},
				pair{p, (2*rng.Float64() - 1) * r}, pair{p, p + 0.01*(2*rng.Float64()-1)})
		}
	}
	worst := 0.0
	for _, c := range pairs {
		got := runtime.Exprel2(c.p, c.q)
		if sym := runtime.Exprel2(c.q, c.p); sym != got {
			t.Errorf("Exprel2(%g, %g) = %g but Exprel2(%g, %g) = %g", c.p, c.q, got, c.q, c.p, sym)
		}
		e := ulpErr(got, exprel2Ref(c.p, c.q))
		worst = max(worst, e)
		if e > 4 {
			t.Errorf("Exprel2(%.17g, %.17g) = %.17g: %.3g ulp off", c.p, c.q, got, e)
		}
	}
	t.Logf("largest error over %d pairs: %.3g ulp", len(pairs), worst)
}
