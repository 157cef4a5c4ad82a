//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"math"
	"testing"
	"unsafe"

	"simd/archsimd"

	"github.com/backstop-research/backstop/internal/vectest"
)

// TestExactMinMax checks maxExact, minExact, maxFinite, minFinite, maxWith and absVector against
// Go's max, min and math.Abs on every pair of special and ordinary values, in every lane:
// the same bits (the sign of a zero included) where no operand is NaN, a NaN where one is
// (but for maxFinite and minFinite, which promise nothing there).
func TestExactMinMax(t *testing.T) {
	vectest.RequireAVX512(t, "the exact vector min and max")
	values := []float64{math.Inf(-1), -math.MaxFloat64, -1.5, -5e-324, math.Copysign(0, -1), 0, 5e-324, 1, 1.5, math.MaxFloat64, math.Inf(1), math.NaN()}
	ops := []struct {
		name   string
		vector func(x, y archsimd.Float64x8) archsimd.Float64x8
		scalar func(x, y float64) float64
		nan    bool // a NaN operand gives a NaN
		// Where set, the x the op takes (maxWith: no NaN, and a zero of one sign only).
		takes func(x float64) bool
	}{
		{"max", maxExact, func(x, y float64) float64 { return max(x, y) }, true, nil},
		{"min", minExact, func(x, y float64) float64 { return min(x, y) }, true, nil},
		{"maxFinite", maxFinite, func(x, y float64) float64 { return max(x, y) }, false, nil},
		{"minFinite", minFinite, func(x, y float64) float64 { return min(x, y) }, false, nil},
		{"abs", func(x, _ archsimd.Float64x8) archsimd.Float64x8 { return absVector(x) }, func(x, _ float64) float64 { return math.Abs(x) }, true, nil},
		{"maxWith", func(x, y archsimd.Float64x8) archsimd.Float64x8 { return maxWith(x, y, false) }, func(x, y float64) float64 { return max(x, y) }, true,
			func(x float64) bool { return !math.IsNaN(x) && math.Float64bits(x) != 1<<63 }},
		{"maxWith -0", func(x, y archsimd.Float64x8) archsimd.Float64x8 { return maxWith(x, y, true) }, func(x, y float64) float64 { return max(x, y) }, true,
			func(x float64) bool { return !math.IsNaN(x) && math.Float64bits(x) != 0 }},
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
					if op.takes != nil && !op.takes(x) {
						continue
					}
					want := op.scalar(x, y)
					if math.IsNaN(want) && !op.nan {
						continue
					}
					if math.IsNaN(want) != math.IsNaN(got[l]) || !math.IsNaN(want) && math.Float64bits(want) != math.Float64bits(got[l]) {
						t.Fatalf("%s(%v, %v) in lane %d: %v, want %v", op.name, x, y, l, got[l], want)
					}
				}
			}
		}
	}
}

// TestPeaksVector checks peaksVector against peak, bit for bit, on slices of every length
// up to 20 (whole vectors and a tail) of negative values, zeros of both signs and positive
// values in various orders.
func TestPeaksVector(t *testing.T) {
	vectest.RequireAVX512(t, "the vector peaks")
	pool := []float64{-3, math.Copysign(0, -1), 0, 5e-324, 0.25, 7, 7, 1e300, -1e300, 2.5}
	for n := 0; n <= 20; n++ {
		for shift := range pool {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = pool[(shift+3*i)%len(pool)]
			}
			if got, want := peaksVector(xs), peak(xs); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("peaksVector(%v) = %v, want %v", xs, got, want)
			}
		}
	}
	// Zeros only: +0 from 0 however they are signed.
	neg := []float64{math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1), math.Copysign(0, -1)}
	if got := peaksVector(neg); math.Float64bits(got) != 0 {
		t.Fatalf("peaksVector of negative zeros = %v (bits %x), want +0", got, math.Float64bits(got))
	}
}

// TestDrawTablesAligned checks that the draws' vector constants and the ziggurat's tables,
// which every normal draw loads 64 bytes at a time, start on a cache line.
func TestDrawTablesAligned(t *testing.T) {
	for name, p := range map[string]unsafe.Pointer{"drawConsts": unsafe.Pointer(drawConsts),
		"normalKTable": unsafe.Pointer(normalKTable), "normalWTable": unsafe.Pointer(normalWTable)} {
		if at := uintptr(p) % cacheLine; at != 0 {
			t.Errorf("%s: at %d bytes past a cache line", name, at)
		}
	}
}
