//go:build !(goexperiment.simd && amd64)

package main

// simdActive: built without GOEXPERIMENT=simd, so the -simd packages step one neuron at a time.
const simdActive = false

// simdLanes: no vector code.
const simdLanes = ""
