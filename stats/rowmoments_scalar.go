//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package stats

// addRowVector is addRowScalar in this build, which has no vectors.
func addRowVector(mean, m2, row []float64, n float64) { addRowScalar(mean, m2, row, n) }
