//go:build goexperiment.simd && amd64

package generated

import "github.com/neurogen/neurogen/runtime"

// vectorBuilt: this test binary has the four-lane code, and the CPU runs it.
var vectorBuilt = runtime.HasAVX2

// vector8Built: this test binary has the eight-lane code, and the CPU runs it.
var vector8Built = runtime.HasAVX512

// setAVX512 turns the eight-lane code on or off (runtime.HasAVX512).
func setAVX512(on bool) { runtime.HasAVX512 = on }
