package runtime

import (
	"os/exec"
	"strings"
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
	gomodtest.NeedGo(t)
	cmd := exec.Command("go", "test", "-count=1", "-run=^TestVecSameBits$", "-v", ".")
	cmd.Env = append(cmd.Environ(), "GOEXPERIMENT=simd", "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOEXPERIMENT=simd go test -run TestVecSameBits: %v\n%s", err, out)
	}
	switch {
	case strings.Contains(string(out), "--- SKIP"):
		t.Skipf("%s", out)
	case !strings.Contains(string(out), "--- PASS: TestVecSameBits"):
		t.Fatalf("TestVecSameBits did not run:\n%s", out)
	}
	t.Logf("%s", out)
}
