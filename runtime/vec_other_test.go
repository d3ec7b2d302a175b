//go:build !(goexperiment.simd && amd64)

package runtime

// vecBuilt reports whether this test binary has the four-lane functions.
const vecBuilt = false
