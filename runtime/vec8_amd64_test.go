//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"simd/archsimd"
	"testing"
)

// TestVec8SameBits holds the eight-lane functions to the scalar ones bit for bit on every lane,
// over the points of TestVecSameBits, as generated code calls them.
func TestVec8SameBits(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512: the eight-lane functions are not run on this CPU")
	}
	n := 10000
	if testing.Short() {
		n = 2000
	}
	xs := vecTestPoints(n)
	bad := 0
	check := func(name string, got archsimd.Float64x8, want func(x, y float64) float64, i int) {
		var g [8]float64
		got.Store(&g)
		for j := range 8 {
			x, y := xs[i+j], xs[(i+j+3)%len(xs)]
			if w := want(x, y); !sameBits(g[j], w) && bad < 10 {
				bad++
				t.Errorf("%s lane %d, x = %v, y = %v: %v (%#x), scalar gives %v (%#x)", name, j, x, y, g[j],
					math.Float64bits(g[j]), w, math.Float64bits(w))
			}
		}
	}
	for i := 0; i < len(xs); i += 8 {
		x := archsimd.LoadFloat64x8Slice(xs[i:])
		// y: the points three places on, so that two-argument functions mix paths too
		var yv [8]float64
		for j := range yv {
			yv[j] = xs[(i+j+3)%len(xs)]
		}
		y := archsimd.LoadFloat64x8(&yv)
		check("ExpX8", ExpX8(x), func(x, _ float64) float64 { return Exp(x) }, i)
		check("ExprelX8", ExprelX8(x), func(x, _ float64) float64 { return Exprel(x) }, i)
		// ExprelOf with e^z from Exp, as generated code calls it.
		check("ExprelOfX8", ExprelOfX8(x, ExpX8(x)), func(x, _ float64) float64 { return ExprelOf(x, Exp(x)) }, i)
		check("NegX8", NegX8(x), func(x, _ float64) float64 { return -x }, i)
		check("AbsX8", AbsX8(x), func(x, _ float64) float64 { return math.Abs(x) }, i)
		check("LanesX8(math.Log)", LanesX8(x, math.Log), func(x, _ float64) float64 { return math.Log(x) }, i)
		check("Lanes2X8(math.Pow)", Lanes2X8(x, y, math.Pow), math.Pow, i)
		check("Exprel2X8", Exprel2X8(x, y), Exprel2, i)
	}
	t.Logf("%d points, %d differ", len(xs), bad)
}

// bx8 broadcasts c to eight lanes.
func bx8(c float64) archsimd.Float64x8 { return archsimd.BroadcastFloat64x8(c) }

// TestNotX8: each lane of NotX8's mask is the negation of its argument's.
func TestNotX8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	for _, bits := range []uint8{0, 0xff, 0x01, 0x80, 0x5a, 0xa5} {
		if got := NotX8(archsimd.Mask64x8FromBits(bits)).ToBits(); got != ^bits {
			t.Errorf("NotX8(%08b) = %08b, want %08b", bits, got, ^bits)
		}
	}
	// from a comparison, as generated code gets its masks: NaN compares false, so its lane is set
	x := archsimd.LoadFloat64x8(&[8]float64{-1, 0, 1, math.NaN(), 2, -2, math.Inf(1), 0.5})
	if got, want := NotX8(x.Greater(bx8(0.25))).ToBits(), uint8(0b00101011); got != want {
		t.Errorf("NotX8(x > 0.25) = %08b, want %08b", got, want)
	}
}

// TestTransposeX8: column c, lane l of the result is number c of row l.
func TestTransposeX8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	var rows [8]archsimd.Float64x4
	for l := range rows {
		rows[l] = archsimd.LoadFloat64x4(&[4]float64{float64(10 * l), float64(10*l + 1), float64(10*l + 2), float64(10*l + 3)})
	}
	w, x, y, z := TransposeX8(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7])
	for c, col := range []archsimd.Float64x8{w, x, y, z} {
		var got [8]float64
		col.Store(&got)
		for l := range got {
			if want := float64(10*l + c); got[l] != want {
				t.Errorf("column %d lane %d = %v, want %v", c, l, got[l], want)
			}
		}
	}
}

// TestSIMDLanes: NEUROGEN_SIMD's values and the lanes they allow.
func TestSIMDLanes(t *testing.T) {
	for env, want := range map[string]int{"": 8, "avx512": 8, "avx2": 4, "scalar": 1, "sse": 8} {
		if got := simdLanes(env); got != want {
			t.Errorf("simdLanes(%q) = %d, want %d", env, got, want)
		}
	}
}

func BenchmarkExpX8(b *testing.B) {
	if !HasAVX512 {
		b.Skip("no AVX-512")
	}
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i := 0; i < len(xs); i += 8 {
			ExpX8(archsimd.LoadFloat64x8Slice(xs[i:])).StoreSlice(out[i:])
		}
	}
}

func BenchmarkExprelX8(b *testing.B) {
	if !HasAVX512 {
		b.Skip("no AVX-512")
	}
	xs := expBenchArgs(2)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i := 0; i < len(xs); i += 8 {
			ExprelX8(archsimd.LoadFloat64x8Slice(xs[i:])).StoreSlice(out[i:])
		}
	}
}
