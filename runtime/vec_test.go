package runtime

import (
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// The tests of the four- and eight-lane functions, which TestVecExperiment runs in one test
// binary built with GOEXPERIMENT=simd.
var _ = gomodtest.SIMDTests("TestVecSameBits", "TestVec8SameBits")

// TestVecExperiment runs TestVecSameBits (vec_amd64_test.go) and TestVec8SameBits
// (vec8_amd64_test.go) in a test binary built with GOEXPERIMENT=simd, when this one was built
// without it, so that `go test ./...` holds the vector functions to the scalar ones too.
func TestVecExperiment(t *testing.T) {
	if vecBuilt {
		t.Skip("built with GOEXPERIMENT=simd: TestVecSameBits and TestVec8SameBits run in this binary")
	}
	for _, test := range []string{"TestVecSameBits", "TestVec8SameBits"} {
		t.Run(test, func(t *testing.T) { t.Logf("%s", gomodtest.TestWithSIMD(t, test)) })
	}
}
