//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package stats

// Without GOEXPERIMENT=simd on amd64 there is no vector form of SumCodes: it codes value by
// value.

// vectorBuild is true in the build with the vector form of SumCodes.
const vectorBuild = false

// vectorCounting reports whether SumCodes uses its vector form: never in this build.
func vectorCounting() bool { return false }

// sumCodesVector is sumCodesScalar in this build.
func sumCodesVector(sums, xs [][]float64, codes [][]int32, bound float64) (within, agree bool) {
	return sumCodesScalar(sums, xs, codes, bound)
}
