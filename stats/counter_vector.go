//go:build goexperiment.simd && amd64 && !amd64.v3

// SumCodes with its sums, bound checks and bin codes computed 8 values at a time in
// AVX-512 vectors. Built with GOEXPERIMENT=simd only; not with GOAMD64=v3 or above, where
// the compiler fuses the scalar sketchIndex's multiply-adds and the scalar reference
// rounds differently.

package stats

import (
	"simd/archsimd"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/backstop-research/backstop/internal/vec8"
)

// ones is 1 in every lane, loaded rather than broadcast: a broadcast of a constant keeps
// it in an XMM register, which the compiler saves and restores with legacy-SSE moves (see
// vec8.ShiftRight).
var ones = [8]int64{1, 1, 1, 1, 1, 1, 1, 1}

// vectorBuild is true in the build with the vector form of SumCodes.
const vectorBuild = true

// vectorCounting reports whether SumCodes uses its vector form: where the CPU has AVX-512
// (GODEBUG=cpu.avx512f=off hides it).
func vectorCounting() bool { return archsimd.X86.AVX512() }

// sumCodesVector is SumCodes 8 places at a time: the sums and the bound as addition and
// comparisons; the codes with BinCode's arithmetic, operation for operation: |x| by
// clearing the sign bit (as math.Abs does), the same comparisons with sketchMinIndexable,
// the same exponent and significand, sketchIndex's cubic as separate multiplies and adds
// in its order (no fused multiply-add), the conversion truncating toward zero and one
// subtracted where the index is negative, the sign from the sign bit and ZeroCode where
// |x| <= sketchMinIndexable. Where every series has the same 8 values as the first (==:
// equal values have equal codes, and 0 and -0 the code ZeroCode), the first's codes are
// stored for all: a branch per block, well predicted where the series are policies', which
// agree on runs of days. Where the length is not a multiple of 8, the last 8 places overlap
// the 8 before: their codes and the bound are computed twice, with the same result, and
// the sums of the values already added are kept (merged back, not added again). Series
// shorter than 8 go to the scalar code.
func sumCodesVector(sums, xs [][]float64, codes [][]int32, bound float64) (within, agree bool) {
	if len(xs) == 0 || len(xs[0]) < 8 {
		return sumCodesScalar(sums, xs, codes, bound)
	}
	n := len(xs[0])
	absMask := archsimd.BroadcastUint64x8(0x7FFFFFFFFFFFFFFF)
	significand := archsimd.BroadcastUint64x8(0x000FFFFFFFFFFFFF)
	oneBits := archsimd.BroadcastUint64x8(0x3FF0000000000000)
	bias := archsimd.BroadcastInt64x8(1023)
	minIndexable := archsimd.BroadcastFloat64x8(sketchMinIndexable)
	limit := archsimd.BroadcastFloat64x8(bound)
	var zero archsimd.Float64x8 // without a scalar zero (see vec8.ShiftRight)
	one := archsimd.BroadcastFloat64x8(1)
	a3 := archsimd.BroadcastFloat64x8(mapping.A)
	b3 := archsimd.BroadcastFloat64x8(mapping.B)
	c3 := archsimd.BroadcastFloat64x8(mapping.C)
	multiplier := archsimd.BroadcastFloat64x8(sketchMultiplier)
	oneInt := archsimd.LoadInt64x8(&ones)
	zeroCode := archsimd.BroadcastInt64x8(int64(ZeroCode))
	inBound, agreed := uint8(0xFF), uint8(0xFF)
	for i := 0; i < n; {
		at := min(i, n-8)
		fresh := archsimd.Mask64x8FromBits(uint8(0xFF) << (i - at)) // the places not added before
		first := archsimd.LoadFloat64x8Slice(xs[0][at:])
		same := uint8(0xFF)
		for _, x := range xs[1:] {
			same &= archsimd.LoadFloat64x8Slice(x[at:]).Equal(first).ToBits()
		}
		agreed &= same
		var codes8 archsimd.Int32x8
		for k, series := range xs {
			x := archsimd.LoadFloat64x8Slice(series[at:])
			sum := archsimd.LoadFloat64x8Slice(sums[k][at:])
			sum.Add(x).Merge(sum, fresh).StoreSlice(sums[k][at:])
			abs := x.AsUint64x8().And(absMask)
			a := abs.AsFloat64x8()
			inBound &= a.LessEqual(limit).ToBits()
			if k == 0 || same != 0xFF {
				e := vec8.ShiftRight(abs, 52).AsInt64x8().Sub(bias).ConvertToFloat64()
				s := abs.And(significand).Or(oneBits).AsFloat64x8().Sub(one)
				index := a3.Mul(s).Add(b3).Mul(s).Add(c3).Mul(s).Add(e).Mul(multiplier).Add(zero)
				bins := index.ConvertToInt64().Sub(oneInt.Masked(index.Less(zero)))
				code := bins.ShiftAllLeft(classBits).Or(vec8.ShiftRight(x.AsUint64x8(), 63).AsInt64x8()) // negClass: the sign bit
				codes8 = code.Merge(zeroCode, a.Greater(minIndexable)).TruncateToInt32()
			}
			codes8.StoreSlice(codes[k][at:])
		}
		i = at + 8
	}
	archsimd.ClearAVXUpperBits()
	return inBound == 0xFF, agreed == 0xFF
}
