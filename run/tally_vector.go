//go:build goexperiment.simd && amd64

// The tally's bulk moves of values 8 at a time, and of bin codes 16 at a time, in AVX-512
// vectors, where the CPU has them: built with GOEXPERIMENT=simd only. Each does exactly what its scalar form in
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

// transposeTile copies the t codes from column off of each of the n rows of rows (width
// codes a row) into t columns of cols (stride apart): cols[c*stride+i] = rows[i*width+off+c].
// A full tile goes 16 rows at a time through vectors; the rows left over, and narrower
// tiles, code by code.
func transposeTile(cols []int32, stride int, rows []int32, width, off, t, n int) {
	done := 0
	if t == tileGroups && n >= 16 && vectorTally() {
		done = n &^ 15
		transposeBlocks(cols, stride, rows, width, off, done)
	}
	transposeRows(cols, stride, rows, width, off, t, done, n)
}

// transposeBlocks is transposeTile for a full tile and n a multiple of 16, a 16 by 16
// block at a time: each row's 16 codes as 8 pairs, 8 rows of pairs transposed as 64-bit
// lanes (vec8.Transpose), for rows i..i+7 and i+8..i+15, give each pair of columns
// interleaved; one permute of the two halves takes a column's even codes, another its odd.
func transposeBlocks(cols []int32, stride int, rows []int32, width, off, n int) {
	_ = cols[15*stride+n-1]
	even := archsimd.LoadUint32x16(&pairHalves[0])
	odd := archsimd.LoadUint32x16(&pairHalves[1])
	for i := 0; i < n; i += 16 {
		// Explicit variables, not arrays: arrays of vectors would live on the stack.
		at := i*width + off
		p0, p1, p2, p3, p4, p5, p6, p7 := vec8.Transpose(
			archsimd.LoadInt32x16Slice(rows[at:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+2*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+3*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+4*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+5*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+6*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+7*width:]).AsFloat64x8())
		at += 8 * width
		q0, q1, q2, q3, q4, q5, q6, q7 := vec8.Transpose(
			archsimd.LoadInt32x16Slice(rows[at:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+2*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+3*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+4*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+5*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+6*width:]).AsFloat64x8(),
			archsimd.LoadInt32x16Slice(rows[at+7*width:]).AsFloat64x8())
		storePairColumns(cols[i:], cols[stride+i:], p0, q0, even, odd)
		storePairColumns(cols[2*stride+i:], cols[3*stride+i:], p1, q1, even, odd)
		storePairColumns(cols[4*stride+i:], cols[5*stride+i:], p2, q2, even, odd)
		storePairColumns(cols[6*stride+i:], cols[7*stride+i:], p3, q3, even, odd)
		storePairColumns(cols[8*stride+i:], cols[9*stride+i:], p4, q4, even, odd)
		storePairColumns(cols[10*stride+i:], cols[11*stride+i:], p5, q5, even, odd)
		storePairColumns(cols[12*stride+i:], cols[13*stride+i:], p6, q6, even, odd)
		storePairColumns(cols[14*stride+i:], cols[15*stride+i:], p7, q7, even, odd)
	}
	archsimd.ClearAVXUpperBits()
}

// storePairColumns stores two columns of 16 codes, to a and to b, from p and q, which hold
// their codes interleaved (a's, b's, a's, ...) on 8 rows and on the next 8.
func storePairColumns(a, b []int32, p, q archsimd.Float64x8, even, odd archsimd.Uint32x16) {
	lo, hi := p.AsInt32x16(), q.AsInt32x16()
	lo.ConcatPermute(hi, even).StoreSlice(a)
	lo.ConcatPermute(hi, odd).StoreSlice(b)
}

// pairHalves are the indices that take the even and the odd 32-bit lanes of two vectors,
// the first's then the second's, in memory (loading one takes an instruction, building it
// several).
var pairHalves = func() (h [2][16]uint32) {
	for j := range uint32(16) {
		h[0][j], h[1][j] = 2*j, 2*j+1
	}
	return h
}()

// splitAgreeing sorts the first n paths of the policies' columns of bin codes at one
// position (column k at cols[k*stride:]) by whether every policy has the same code there:
// it copies the first column's codes on the paths where they do to agreed, and moves each
// column's codes on the other paths to its start, both in path order. It returns how many
// paths agree and how many do not.
func splitAgreeing(cols []int32, stride, policies, n int, agreed []int32) (int, int) {
	if !vectorTally() {
		return splitAgreeingScalar(cols, stride, policies, n, agreed)
	}
	_ = agreed[:(n+15)&^15]
	na, nd := 0, 0
	for i := 0; i < n; i += 16 {
		valid := uint16(0xFFFF >> (16 - min(n-i, 16)))
		x := archsimd.LoadInt32x16SlicePart(cols[i:n])
		same := valid
		for k := 1; k < policies; k++ {
			same &= archsimd.LoadInt32x16SlicePart(cols[k*stride+i : k*stride+n]).Equal(x).ToBits()
		}
		differ := archsimd.Mask32x16FromBits(valid &^ same)
		// na, nd <= i: the 16 stores end within the current 16 paths, already loaded (and
		// within the columns, whose length is a multiple of 16); only the first popcount
		// are kept.
		x.Compress(archsimd.Mask32x16FromBits(same)).StoreSlice(agreed[na:])
		x.Compress(differ).StoreSlice(cols[nd:])
		for k := 1; k < policies; k++ {
			at := k * stride
			archsimd.LoadInt32x16SlicePart(cols[at+i : at+n]).Compress(differ).StoreSlice(cols[at+nd:])
		}
		na += bits.OnesCount16(same)
		nd += bits.OnesCount16(valid &^ same)
	}
	archsimd.ClearAVXUpperBits()
	return na, nd
}

// addWithin adds xs to sums element by element (sums[i] += xs[i]) and reports whether
// |x| <= bound for every x of xs (false for NaN); bound is not negative. The values are
// read once for both, 8 at a time.
func addWithin(sums, xs []float64, bound float64) bool {
	if !vectorTally() {
		return addWithinScalar(sums, xs, bound)
	}
	sums = sums[:len(xs)]
	absMask := archsimd.BroadcastUint64x8(0x7FFFFFFFFFFFFFFF)
	limit := archsimd.BroadcastFloat64x8(bound)
	within := uint8(0xFF)
	for i := 0; i < len(xs); i += 8 {
		// The lanes past the end of xs load as zero, which is within any bound >= 0, and
		// are not stored. No scalar tail: the compiler would save bound for it with a
		// legacy-SSE move while the vectors are in use (internal/vec8.ShiftRight says
		// what that costs).
		x := archsimd.LoadFloat64x8SlicePart(xs[i:])
		archsimd.LoadFloat64x8SlicePart(sums[i:]).Add(x).StoreSlicePart(sums[i:])
		within &= x.AsUint64x8().And(absMask).AsFloat64x8().LessEqual(limit).ToBits()
	}
	archsimd.ClearAVXUpperBits()
	return within == 0xFF
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
