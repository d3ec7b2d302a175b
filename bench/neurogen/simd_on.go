//go:build goexperiment.simd && amd64

package main

import "github.com/neurogen/neurogen/runtime"

// simdActive: built with GOEXPERIMENT=simd, on a CPU with AVX2.
var simdActive = runtime.HasAVX2
