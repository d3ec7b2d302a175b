//go:build !(goexperiment.simd && amd64)

package generated

// vectorBuilt: this test binary has no four-lane code; the -simd packages step one neuron at a
// time.
const vectorBuilt = false

// vector8Built: this test binary has no eight-lane code.
const vector8Built = false

// setAVX512 does nothing: there is no eight-lane code.
func setAVX512(bool) {}
