package runtime

import (
	"math"
	"testing"
)

// TestVarView: a view reads and writes float64 and float32 storage alike; widening is exact and
// writing into float32 rounds to nearest.
func TestVarView(t *testing.T) {
	f64 := []float64{1.5, -65, 0.1}
	f32 := []float32{1.5, -65, 0.1}
	for _, v := range []VarView{{F64: f64}, {F32: f32}} {
		if v.Len() != 3 {
			t.Fatalf("Len = %d, want 3", v.Len())
		}
		dst := make([]float64, 3)
		v.CopyTo(dst)
		for i := range dst {
			if dst[i] != v.At(i) {
				t.Errorf("CopyTo[%d] = %v, At = %v", i, dst[i], v.At(i))
			}
		}
		v.SetFrom([]float64{2, math.Pi, -1e-3})
	}
	if f64[1] != math.Pi || f32[1] != float32(math.Pi) || float64(f32[1]) == math.Pi {
		t.Errorf("SetFrom: float64 %v, float32 %v; want π and π rounded to float32", f64[1], f32[1])
	}
	if got := (VarView{F32: f32}).At(2); got != float64(float32(-1e-3)) {
		t.Errorf("At of a float32 = %v, want %v", got, float64(float32(-1e-3)))
	}
}
