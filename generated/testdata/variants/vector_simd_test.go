//go:build goexperiment.simd && amd64

package generated

import "github.com/neurogen/neurogen/runtime"

// vectorBuilt: this test binary has the four-lane code, and the CPU runs it.
var vectorBuilt = runtime.HasAVX2
