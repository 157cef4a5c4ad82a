//go:build goexperiment.simd && amd64 && !amd64.v3

// SketchCounter's batch methods with their bin indices computed 8 values at a time in
// AVX-512 vectors. Built with GOEXPERIMENT=simd only; not with GOAMD64=v3 or above, where
// the compiler fuses the scalar sketchIndex's multiply-adds and the scalar reference
// rounds differently.

package stats

import (
	"math/bits"
	"simd/archsimd"
	"unsafe"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// vectorBuild is true in the build with the vector batch methods.
const vectorBuild = true

// vectorCounting reports whether AddAll and AddChanges use the vector batch methods: where
// the CPU has AVX-512 (GODEBUG=cpu.avx512f=off hides it).
func vectorCounting() bool { return archsimd.X86.AVX512() }

// addAllVector is AddAll with the bins of 8 values found at once (classifyVector). A batch
// holding NaN or a value beyond the sketch's range goes to the scalar code, which panics.
func (c *SketchCounter) addAllVector(xs []float64) {
	var b batch
	for len(xs) > 0 {
		n := min(len(xs), counterBatch)
		if !b.classifyVector(xs[:n], nil) {
			b.np, b.nn, b.zero = 0, 0, 0
			c.addAllScalar(xs[:n])
		}
		c.apply(&b, 1)
		xs = xs[n:]
	}
}

// addChangesVector is AddChanges with the changed values picked out and their bins found
// 8 at a time: the added values' bins (those of xs[i] where xs[i] != refs[i]) go to one
// batch, the removed values' to another, in the order of xs as in the scalar code. A
// batch holding NaN or a changed value beyond the sketch's range goes to the scalar code,
// which panics.
func (c *SketchCounter) addChangesVector(xs, refs []float64) {
	refs = refs[:len(xs)]
	var added, removed batch
	for len(xs) > 0 {
		n := min(len(xs), counterBatch)
		if !added.classifyVector(xs[:n], refs[:n]) || !removed.classifyVector(refs[:n], xs[:n]) {
			added.np, added.nn, added.zero = 0, 0, 0
			removed.np, removed.nn, removed.zero = 0, 0, 0
			c.addChangesScalar(xs[:n], refs[:n])
		}
		c.apply(&added, 1)
		c.apply(&removed, -1)
		xs, refs = xs[n:], refs[n:]
	}
}

// classifyVector is classify for the values of xs (at most counterBatch) that differ from
// the value of others at the same place, or for all of them if others is nil, operation
// for operation: |x| by clearing the sign bit (as math.Abs does), the same comparisons
// with sketchMinIndexable and sketchMaxIndexable, the same exponent and significand, the
// cubic as separate multiplies and adds in the scalar order (no fused multiply-add), the
// conversion truncating toward zero and one subtracted where the index is negative. The
// bins land in b in the order of xs. It reports false if a selected value is NaN or
// beyond the sketch's range, leaving b partly filled.
func (b *batch) classifyVector(xs, others []float64) bool {
	absMask := archsimd.BroadcastUint64x8(0x7FFFFFFFFFFFFFFF)
	significand := archsimd.BroadcastUint64x8(0x000FFFFFFFFFFFFF)
	oneBits := archsimd.BroadcastUint64x8(0x3FF0000000000000)
	bias := archsimd.BroadcastInt64x8(1023)
	minIndexable := archsimd.BroadcastFloat64x8(sketchMinIndexable)
	maxIndexable := archsimd.BroadcastFloat64x8(sketchMaxIndexable)
	zero := archsimd.BroadcastFloat64x8(0)
	one := archsimd.BroadcastFloat64x8(1)
	a3 := archsimd.BroadcastFloat64x8(mapping.A)
	b3 := archsimd.BroadcastFloat64x8(mapping.B)
	c3 := archsimd.BroadcastFloat64x8(mapping.C)
	multiplier := archsimd.BroadcastFloat64x8(sketchMultiplier)
	oneInt := archsimd.BroadcastInt64x8(1)
	for i := 0; i < len(xs); i += 8 {
		// The selected lanes: those within xs, and that differ from others.
		active := archsimd.Mask64x8FromBits(0xFF >> (8 - min(len(xs)-i, 8)))
		x := archsimd.LoadFloat64x8SlicePart(xs[i:])
		if others != nil {
			active = active.And(x.NotEqual(archsimd.LoadFloat64x8SlicePart(others[i:])))
		}
		abs := x.AsUint64x8().And(absMask)
		a := abs.AsFloat64x8()
		indexable := a.Greater(minIndexable).And(a.LessEqual(maxIndexable)).And(active)
		zeros := a.LessEqual(minIndexable).And(active)
		if indexable.Or(zeros).ToBits() != active.ToBits() {
			return false
		}
		e := abs.ShiftAllRight(52).AsInt64x8().Sub(bias).ConvertToFloat64()
		s := abs.And(significand).Or(oneBits).AsFloat64x8().Sub(one)
		// + 0 as in sketchIndex (where it follows the library): it changes only a zero's sign.
		index := a3.Mul(s).Add(b3).Mul(s).Add(c3).Mul(s).Add(e).Mul(multiplier).Add(zero)
		bins := index.ConvertToInt64().Sub(oneInt.Masked(index.Less(zero)))
		pos := x.Greater(zero).And(indexable)
		neg := x.Less(zero).And(indexable)
		// A batch of n <= counterBatch values has at most i < n of them before lane 0, so
		// the 8 stores fit in the counterBatch bins; only the first popcount are kept.
		bins.Compress(pos).Store(binsAt(b.pos[:], b.np))
		bins.Compress(neg).Store(binsAt(b.neg[:], b.nn))
		b.np += bits.OnesCount8(pos.ToBits())
		b.nn += bits.OnesCount8(neg.ToBits())
		b.zero += int64(bits.OnesCount8(zeros.ToBits()))
	}
	return true
}

// binsAt returns the 8 bins of bins from i on as int64s (int is 64 bits on amd64), with
// the bounds checked.
func binsAt(bins []int, i int) *[8]int64 {
	return (*[8]int64)(unsafe.Pointer((*[8]int)(bins[i : i+8])))
}
