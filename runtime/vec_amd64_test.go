//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// vecBuilt reports whether this test binary has the four-lane functions.
const vecBuilt = true

// vecTestPoints returns arguments for the four- and eight-lane functions, a multiple of eight
// of them: random ones over the ranges models use and the whole fast path, the points where
// each method changes, and the special values, shuffled so that vectors mix paths.
func vecTestPoints(n int) []float64 {
	rng := rand.New(rand.NewPCG(11, 8))
	var xs []float64
	for range n {
		xs = append(xs, -2*rng.Float64(), 20*rng.Float64()-10, 1416*rng.Float64()-708,
			0.0625*rng.Float64()-0.03125, 2*rng.Float64()-1)
	}
	for _, z := range []float64{1.0 / 32, 0.5, 708, 709.78, 745.2, 1e-300, 5e-324} {
		for _, s := range []float64{1, -1} {
			x := s * z
			xs = append(xs, x, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1)))
		}
	}
	xs = append(xs, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 800, -800)
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	for len(xs)%8 != 0 {
		xs = append(xs, rng.Float64())
	}
	return xs
}

// sameBits reports whether a and b are the same float64, NaNs of any payload counting as equal.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// TestVecSameBits holds ExpX4, ExprelX4 and ExprelOfX4 to the scalar functions bit for bit on
// every lane, over random vectors that mix the fast paths, the polynomial and the fallbacks.
func TestVecSameBits(t *testing.T) {
	if !HasAVX2 {
		t.Skip("no AVX2")
	}
	n := 40000
	if testing.Short() {
		n = 4000
	}
	xs := vecTestPoints(n)
	var got [4]float64
	bad := 0
	check := func(name string, i int, got, want float64, args ...float64) {
		if !sameBits(got, want) && bad < 10 {
			bad++
			t.Errorf("%s%v lane %d = %v (%#x), scalar gives %v (%#x)", name, args, i%4, got,
				math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	for i := 0; i < len(xs); i += 4 {
		x := archsimd.LoadFloat64x4Slice(xs[i:])
		ExpX4(x).Store(&got)
		for j := range 4 {
			check("ExpX4", j, got[j], Exp(xs[i+j]), xs[i+j])
		}
		ExprelX4(x).Store(&got)
		for j := range 4 {
			check("ExprelX4", j, got[j], Exprel(xs[i+j]), xs[i+j])
		}
		// ExprelOf with e^z from Exp, as generated code calls it.
		ez := ExpX4(x)
		ExprelOfX4(x, ez).Store(&got)
		for j := range 4 {
			z := xs[i+j]
			check("ExprelOfX4", j, got[j], ExprelOf(z, Exp(z)), z)
		}
	}
	t.Logf("%d points, %d differ", len(xs), bad)
}

func BenchmarkExpX4(b *testing.B) {
	if !HasAVX2 {
		b.Skip("no AVX2")
	}
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i := 0; i < len(xs); i += 4 {
			ExpX4(archsimd.LoadFloat64x4Slice(xs[i:])).StoreSlice(out[i:])
		}
	}
}

func BenchmarkExprelX4(b *testing.B) {
	if !HasAVX2 {
		b.Skip("no AVX2")
	}
	xs := expBenchArgs(2)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i := 0; i < len(xs); i += 4 {
			ExprelX4(archsimd.LoadFloat64x4Slice(xs[i:])).StoreSlice(out[i:])
		}
	}
}
