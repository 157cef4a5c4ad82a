//go:build !(goexperiment.simd && amd64)

package avxstate

// Clear does nothing: this build has no vector code.
func Clear() {}
