//go:build goexperiment.simd && amd64

// The tally's bulk moves of values 8 at a time in AVX-512 vectors, where the CPU has them:
// built with GOEXPERIMENT=simd only. Each does exactly what its scalar form in
// tally_scalar.go does (moves, element-wise additions, comparisons), so results are the
// same bit for bit.

package run

import (
	"math/bits"
	"simd/archsimd"

	"github.com/backstop-research/backstop/internal/vec8"
)

// vectorTally reports whether the CPU has AVX-512 (GODEBUG=cpu.avx512f=off hides it).
func vectorTally() bool { return archsimd.X86.AVX512() }

// transposeTile copies the t values from column off of each of the n rows of rows (width
// values a row) into t columns of cols (stride apart): cols[c*stride+i] = rows[i*width+off+c].
// A full tile goes 8 rows at a time through vectors; the rows left over, and narrower
// tiles, value by value.
func transposeTile(cols []float64, stride int, rows []float64, width, off, t, n int) {
	done := 0
	if t == tileGroups && n >= 8 && vectorTally() {
		done = n &^ 7
		transposeBlocks(cols, stride, rows, width, off, done)
	}
	transposeRows(cols, stride, rows, width, off, t, done, n)
}

// transposeBlocks is transposeTile for a full tile and n a multiple of 8, an 8 by 8 block
// at a time (vec8.Transpose).
func transposeBlocks(cols []float64, stride int, rows []float64, width, off, n int) {
	_ = cols[7*stride+n-1]
	for i := 0; i < n; i += 8 {
		// Explicit variables, not arrays: arrays of vectors would live on the stack.
		at := i*width + off
		r0 := archsimd.LoadFloat64x8Slice(rows[at:])
		r1 := archsimd.LoadFloat64x8Slice(rows[at+width:])
		r2 := archsimd.LoadFloat64x8Slice(rows[at+2*width:])
		r3 := archsimd.LoadFloat64x8Slice(rows[at+3*width:])
		r4 := archsimd.LoadFloat64x8Slice(rows[at+4*width:])
		r5 := archsimd.LoadFloat64x8Slice(rows[at+5*width:])
		r6 := archsimd.LoadFloat64x8Slice(rows[at+6*width:])
		r7 := archsimd.LoadFloat64x8Slice(rows[at+7*width:])
		c0, c1, c2, c3, c4, c5, c6, c7 := vec8.Transpose(r0, r1, r2, r3, r4, r5, r6, r7)
		c0.StoreSlice(cols[i:])
		c1.StoreSlice(cols[stride+i:])
		c2.StoreSlice(cols[2*stride+i:])
		c3.StoreSlice(cols[3*stride+i:])
		c4.StoreSlice(cols[4*stride+i:])
		c5.StoreSlice(cols[5*stride+i:])
		c6.StoreSlice(cols[6*stride+i:])
		c7.StoreSlice(cols[7*stride+i:])
	}
	archsimd.ClearAVXUpperBits()
}

// splitAgreeing sorts the first n paths of the policies' columns at one position
// (column k at cols[k*stride:]) by whether every policy has the same value there: it
// copies the first column's values on the paths where they do to agreed, and moves each
// column's values on the other paths to its start, both in path order. It returns how
// many paths agree and how many do not. Equal means == (so 0 and -0 agree, and NaN
// agrees with nothing).
func splitAgreeing(cols []float64, stride, policies, n int, agreed []float64) (int, int) {
	if !vectorTally() {
		return splitAgreeingScalar(cols, stride, policies, n, agreed)
	}
	_ = agreed[:(n+7)&^7]
	na, nd := 0, 0
	for i := 0; i < n; i += 8 {
		valid := uint8(0xFF >> (8 - min(n-i, 8)))
		x := archsimd.LoadFloat64x8SlicePart(cols[i:n])
		same := archsimd.Mask64x8FromBits(valid)
		for k := 1; k < policies; k++ {
			same = same.And(archsimd.LoadFloat64x8SlicePart(cols[k*stride+i : k*stride+n]).Equal(x))
		}
		differ := archsimd.Mask64x8FromBits(valid &^ same.ToBits())
		// na, nd <= i: the 8 stores end within the current 8 paths, already loaded (and
		// within the columns, whose length is a multiple of 8); only the first popcount
		// are kept.
		x.Compress(same).StoreSlice(agreed[na:])
		x.Compress(differ).StoreSlice(cols[nd:])
		for k := 1; k < policies; k++ {
			at := k * stride
			archsimd.LoadFloat64x8SlicePart(cols[at+i : at+n]).Compress(differ).StoreSlice(cols[at+nd:])
		}
		na += bits.OnesCount8(same.ToBits())
		nd += bits.OnesCount8(differ.ToBits())
	}
	archsimd.ClearAVXUpperBits()
	return na, nd
}

// addWithin adds xs to sums element by element (sums[i] += xs[i]), copies them to to
// (unless nil), and reports whether |x| <= bound for every x of xs (false for NaN); bound
// is not negative. The values are read once for all three, 8 at a time.
func addWithin(sums, xs, to []float64, bound float64) bool {
	if !vectorTally() {
		return addWithinScalar(sums, xs, to, bound)
	}
	sums = sums[:len(xs)]
	if to != nil {
		to = to[:len(xs)]
	}
	absMask := archsimd.BroadcastUint64x8(0x7FFFFFFFFFFFFFFF)
	limit := archsimd.BroadcastFloat64x8(bound)
	within := uint8(0xFF)
	i := 0
	for ; i+8 <= len(xs); i += 8 {
		x := archsimd.LoadFloat64x8Slice(xs[i:])
		archsimd.LoadFloat64x8Slice(sums[i:]).Add(x).StoreSlice(sums[i:])
		if to != nil {
			x.StoreSlice(to[i:])
		}
		within &= x.AsUint64x8().And(absMask).AsFloat64x8().LessEqual(limit).ToBits()
	}
	archsimd.ClearAVXUpperBits()
	return addWithinScalar(sums[i:], xs[i:], sliceFrom(to, i), bound) && within == 0xFF
}

// sliceFrom is s[i:], or nil for a nil s.
func sliceFrom(s []float64, i int) []float64 {
	if s == nil {
		return nil
	}
	return s[i:]
}

// allWithin reports whether |x| <= bound for every x of xs (false for NaN); bound is not
// negative.
func allWithin(xs []float64, bound float64) bool {
	if !vectorTally() {
		return allWithinScalar(xs, bound)
	}
	absMask := archsimd.BroadcastUint64x8(0x7FFFFFFFFFFFFFFF)
	limit := archsimd.BroadcastFloat64x8(bound)
	within := uint8(0xFF)
	for i := 0; i < len(xs); i += 8 {
		// The lanes past the end of xs load as zero, which is within any bound >= 0.
		x := archsimd.LoadFloat64x8SlicePart(xs[i:])
		within &= x.AsUint64x8().And(absMask).AsFloat64x8().LessEqual(limit).ToBits()
	}
	archsimd.ClearAVXUpperBits()
	return within == 0xFF
}
