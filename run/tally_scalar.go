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

// addWithin adds xs to sums element by element (sums[i] += xs[i]), copies them to to
// (unless nil), and reports whether |x| <= bound for every x of xs (false for NaN); bound
// is not negative. The values are read once for all three.
func addWithin(sums, xs, to []float64, bound float64) bool {
	return addWithinScalar(sums, xs, to, bound)
}

// allWithin reports whether |x| <= bound for every x of xs (false for NaN); bound is not
// negative.
func allWithin(xs []float64, bound float64) bool { return allWithinScalar(xs, bound) }

// splitAgreeing sorts the first n paths of the policies' columns at one position
// (column k at cols[k*stride:]) by whether every policy has the same value there: it
// copies the first column's values on the paths where they do to agreed, and moves each
// column's values on the other paths to its start, both in path order. It returns how
// many paths agree and how many do not. Equal means == (so 0 and -0 agree, and NaN
// agrees with nothing).
func splitAgreeing(cols []float64, stride, policies, n int, agreed []float64) (int, int) {
	return splitAgreeingScalar(cols, stride, policies, n, agreed)
}
