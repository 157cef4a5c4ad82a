//go:build !(goexperiment.simd && amd64)

package run

// Without GOEXPERIMENT=simd on amd64 the tally moves its values one at a time.

// vectorTally reports whether the tally moves values in vectors: never in this build.
func vectorTally() bool { return false }

// transposeTile copies the t codes from column off of each of the n rows of rows (width
// codes a row) into t columns of cols (stride apart): cols[c*stride+i] = rows[i*width+off+c].
func transposeTile(cols []int32, stride int, rows []int32, width, off, t, n int) {
	transposeRows(cols, stride, rows, width, off, t, 0, n)
}

// addWithin adds xs to sums element by element (sums[i] += xs[i]) and reports whether
// |x| <= bound for every x of xs (false for NaN); bound is not negative.
func addWithin(sums, xs []float64, bound float64) bool { return addWithinScalar(sums, xs, bound) }

// allWithin reports whether |x| <= bound for every x of xs (false for NaN); bound is not
// negative.
func allWithin(xs []float64, bound float64) bool { return allWithinScalar(xs, bound) }

// splitAgreeing sorts the first n paths of the policies' columns of bin codes at one
// position (column k at cols[k*stride:]) by whether every policy has the same code there:
// it copies the first column's codes on the paths where they do to agreed, and moves each
// column's codes on the other paths to its start, both in path order. It returns how many
// paths agree and how many do not.
func splitAgreeing(cols []int32, stride, policies, n int, agreed []int32) (int, int) {
	return splitAgreeingScalar(cols, stride, policies, n, agreed)
}
