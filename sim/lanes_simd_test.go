//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"math"
	"testing"

	"simd/archsimd"
)

// TestExactMinMax checks maxExact, minExact and absVector against Go's max, min and
// math.Abs on every pair of special and ordinary values, in every lane: the same bits
// (the sign of a zero included) where no operand is NaN, a NaN where one is.
func TestExactMinMax(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512 on this CPU (TestLanesEqualScalar fails in CI then)")
	}
	values := []float64{math.Inf(-1), -math.MaxFloat64, -1.5, -5e-324, math.Copysign(0, -1), 0, 5e-324, 1, 1.5, math.MaxFloat64, math.Inf(1), math.NaN()}
	ops := []struct {
		name   string
		vector func(x, y archsimd.Float64x8) archsimd.Float64x8
		scalar func(x, y float64) float64
	}{
		{"max", maxExact, func(x, y float64) float64 { return max(x, y) }},
		{"min", minExact, func(x, y float64) float64 { return min(x, y) }},
		{"abs", func(x, _ archsimd.Float64x8) archsimd.Float64x8 { return absVector(x) }, func(x, _ float64) float64 { return math.Abs(x) }},
	}
	for _, op := range ops {
		for _, y := range values {
			// Every x in turn in lane 0, the others in the other lanes.
			for shift := range values {
				var xs, ys, got [lanes]float64
				for l := range xs {
					xs[l], ys[l] = values[(shift+l)%len(values)], y
				}
				op.vector(archsimd.LoadFloat64x8(&xs), archsimd.LoadFloat64x8(&ys)).Store(&got)
				for l, x := range xs {
					want := op.scalar(x, y)
					if math.IsNaN(want) != math.IsNaN(got[l]) || !math.IsNaN(want) && math.Float64bits(want) != math.Float64bits(got[l]) {
						t.Fatalf("%s(%v, %v) in lane %d: %v, want %v", op.name, x, y, l, got[l], want)
					}
				}
			}
		}
	}
}
