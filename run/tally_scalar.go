//go:build !(goexperiment.simd && amd64)

package run

// Without GOEXPERIMENT=simd on amd64 the tally moves its values one at a time.

// vectorTally reports whether the tally moves values in vectors: never in this build.
func vectorTally() bool { return false }

// transposeTile copies the t values from column off of each of the n rows of rows (width
// values a row) into t columns of cols (stride apart): cols[c*stride+i] = rows[i*width+off+c].
func transposeTile(cols []float64, stride int, rows []float64, width, off, t, n int) {
	transposeRows(cols, stride, rows, width, off, t, 0, n)
}

// addValues adds xs to sums element by element: sums[i] += xs[i].
func addValues(sums, xs []float64) {
	sums = sums[:len(xs)]
	for i, x := range xs {
		sums[i] += x
	}
}

// allWithin reports whether |x| <= bound for every x of xs (false for NaN); bound is not
// negative.
func allWithin(xs []float64, bound float64) bool { return allWithinScalar(xs, bound) }
