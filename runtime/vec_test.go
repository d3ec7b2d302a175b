package runtime

import (
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// TestVecExperiment runs TestVecSameBits (vec_amd64_test.go) in a test binary built with
// GOEXPERIMENT=simd, when this one was built without it, so that `go test ./...` holds the
// four-lane functions to the scalar ones too.
func TestVecExperiment(t *testing.T) {
	if vecBuilt {
		t.Skip("built with GOEXPERIMENT=simd: TestVecSameBits runs in this binary")
	}
	out := gomodtest.TestWithSIMD(t, "TestVecSameBits")
	t.Logf("%s", out)
}
