//go:build !(goexperiment.simd && amd64)

package generated

// vectorBuilt: this test binary has no four-lane code; the -simd packages step one neuron at a
// time.
const vectorBuilt = false
