//go:build goexperiment.simd && amd64

package vec8

import "simd/archsimd"

// Transpose returns the columns of the 8x8 matrix whose rows are v0..v7: three rounds of
// pairwise permutations, round k swapping bit k of a vector's index with bit k of its
// lanes', exact (values are only moved). It inlines, so the rows and columns stay in
// registers.
func Transpose(v0, v1, v2, v3, v4, v5, v6, v7 archsimd.Float64x8) (archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8, archsimd.Float64x8) {
	lo, hi := archsimd.LoadUint64x8(&rounds[0][0]), archsimd.LoadUint64x8(&rounds[0][1])
	v0, v1 = v0.ConcatPermute(v1, lo), v0.ConcatPermute(v1, hi)
	v2, v3 = v2.ConcatPermute(v3, lo), v2.ConcatPermute(v3, hi)
	v4, v5 = v4.ConcatPermute(v5, lo), v4.ConcatPermute(v5, hi)
	v6, v7 = v6.ConcatPermute(v7, lo), v6.ConcatPermute(v7, hi)
	lo, hi = archsimd.LoadUint64x8(&rounds[1][0]), archsimd.LoadUint64x8(&rounds[1][1])
	v0, v2 = v0.ConcatPermute(v2, lo), v0.ConcatPermute(v2, hi)
	v1, v3 = v1.ConcatPermute(v3, lo), v1.ConcatPermute(v3, hi)
	v4, v6 = v4.ConcatPermute(v6, lo), v4.ConcatPermute(v6, hi)
	v5, v7 = v5.ConcatPermute(v7, lo), v5.ConcatPermute(v7, hi)
	lo, hi = archsimd.LoadUint64x8(&rounds[2][0]), archsimd.LoadUint64x8(&rounds[2][1])
	v0, v4 = v0.ConcatPermute(v4, lo), v0.ConcatPermute(v4, hi)
	v1, v5 = v1.ConcatPermute(v5, lo), v1.ConcatPermute(v5, hi)
	v2, v6 = v2.ConcatPermute(v6, lo), v2.ConcatPermute(v6, hi)
	v3, v7 = v3.ConcatPermute(v7, lo), v3.ConcatPermute(v7, hi)
	return v0, v1, v2, v3, v4, v5, v6, v7
}

// rounds[k] are the indices of Transpose's round k, for the lower and the upper vector
// of each pair, in memory (loading one takes an instruction, building it several).
var rounds = func() (r [3][2][8]uint64) {
	for k := range r {
		bit := uint64(1) << k
		for p := range uint64(8) {
			if p&bit == 0 {
				r[k][0][p], r[k][1][p] = p, p|bit
			} else {
				r[k][0][p], r[k][1][p] = 8+p&^bit, 8+p
			}
		}
	}
	return r
}()
