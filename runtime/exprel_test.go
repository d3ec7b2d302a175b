package runtime_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os/exec"
	"strings"
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

// TestExprelAccuracy compares Exprel with a 256-bit reference on a logarithmic grid of |z| from
// 1e-320 to 709.78 (just below ln MaxFloat64), both signs, and on random z in [−50, 50] and [−1e-3, 1e-3]:
// the error must be at most 2 ulp (math.Expm1 promises under 1 ulp, the division adds ½).
func TestExprelAccuracy(t *testing.T) {
	const tol = 2.0 // ulp
	zs := []float64{709.78, 709.5, -745, -745.2, 1e-8, -1e-8}
	step := 0.02
	if testing.Short() {
		step = 0.2
	}
	for e := -320.0; e <= math.Log10(709.78); e += step {
		zs = append(zs, math.Pow(10, e), -math.Pow(10, e))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		zs = append(zs, 100*rng.Float64()-50, 2e-3*rng.Float64()-1e-3)
	}
	worst, worstZ := 0.0, 0.0
	for _, z := range zs {
		got := runtime.Exprel(z)
		if e := ulpErr(got, exprelRef(z)); e > worst {
			worst, worstZ = e, z
		}
	}
	t.Logf("%d points: largest error %.3g ulp at z = %g", len(zs), worst, worstZ)
	if worst > tol {
		want, _ := exprelRef(worstZ).Float64()
		t.Errorf("Exprel(%g) = %.17g, want %.17g: error %.3g ulp > %g ulp",
			worstZ, runtime.Exprel(worstZ), want, worst, tol)
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

// TestExprelInlined checks that the compiler still inlines Exprel, as generated rate code
// relies on.
func TestExprelInlined(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "can inline Exprel") {
		t.Errorf("Exprel is not inlined any more; go build -gcflags=-m says:\n%s", out)
	}
}

func BenchmarkExprel(b *testing.B) {
	z, s := -2.5, 0.0
	for range b.N {
		s += runtime.Exprel(z)
		z += 1e-9
	}
	sink = s
}

var sink float64
