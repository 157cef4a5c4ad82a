//go:build goexperiment.simd && amd64 && !amd64.v3

package stats

import "simd/archsimd"

// addRowVector is addRowScalar 8 quantities at a time: the same subtraction, division,
// addition, subtraction, multiplication and addition, each rounded as the scalar one is
// (no fused multiply-add). Where the row's length is not a multiple of 8, its last vector
// takes zeros past the end of the row: the padding's mean and sum of squares, zeros, stay
// zeros (0 - 0 = 0, 0 / n = 0, 0 * 0 = 0).
func addRowVector(mean, m2, row []float64, n float64) {
	count := archsimd.BroadcastFloat64x8(n)
	for i := 0; i < len(row); i += 8 {
		x := archsimd.LoadFloat64x8SlicePart(row[i:])
		mu := archsimd.LoadFloat64x8Slice(mean[i:])
		s := archsimd.LoadFloat64x8Slice(m2[i:])
		d := x.Sub(mu)
		mu = mu.Add(d.Div(count))
		s = s.Add(d.Mul(x.Sub(mu)))
		mu.StoreSlice(mean[i:])
		s.StoreSlice(m2[i:])
	}
	archsimd.ClearAVXUpperBits()
}
