//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package stats

// Without GOEXPERIMENT=simd on amd64 there are no vector batch methods: AddAll and
// AddAllUsing count value by value.

// vectorBuild is true in the build with the vector batch methods.
const vectorBuild = false

// vectorCounting reports whether AddAll and AddAllUsing use the vector batch methods: never
// in this build.
func vectorCounting() bool { return false }

// addAllVector is addAllScalar in this build.
func (c *SketchCounter) addAllVector(xs []float64) { c.addAllScalar(xs) }

// addAllVectorUsing is addAllScalar in this build.
func (c *SketchCounter) addAllVectorUsing(xs []float64, _ *batch) { c.addAllScalar(xs) }

// sumCodesVector is sumCodesScalar in this build.
func sumCodesVector(sums, xs [][]float64, codes [][]int32, bound float64) bool {
	return sumCodesScalar(sums, xs, codes, bound)
}
