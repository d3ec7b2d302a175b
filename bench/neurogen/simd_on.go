//go:build goexperiment.simd && amd64

package main

import "github.com/neurogen/neurogen/runtime"

// simdActive: built with GOEXPERIMENT=simd, on a CPU with AVX2.
var simdActive = runtime.HasAVX2

// simdLanes names the lanes the -simd packages step at a time here (eight with AVX-512 unless
// NEUROGEN_SIMD=avx2), for the results' configuration.
var simdLanes = map[bool]string{true: ", 8 lanes", false: ", 4 lanes"}[runtime.HasAVX512]
