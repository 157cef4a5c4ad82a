//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"math"
	"simd/archsimd"
)

// expVector is math.Exp on amd64 (the assembly of math/exp_amd64.s, its fused
// multiply-add path, which that code takes on every CPU with AVX-512) on 8 values at once,
// operation for operation, so the results are math.Exp's bit for bit. It is used only
// where expVectorAgrees found it so on this CPU and GODEBUG settings; values outside
// [-expVectorLimit, expVectorLimit] (where the assembly takes its overflow, underflow and
// non-finite branches) go to math.Exp.

// expVectorLimit bounds the arguments the vector exp takes: 2^k stays a normal number.
const expVectorLimit = 700

// The constants of math/exp_amd64.s.
const (
	expLog2E = 1.4426950408889634073599246810018920
	expLn2U  = 0.69314718055966295651160180568695068359375
	expLn2L  = 0.28235290563031577122588448175013436025525412068e-12
)

// expTaylor are the Taylor coefficients of math/exp_amd64.s, highest first after the
// last two (1/2 and 1).
var expTaylor = [...]float64{
	2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
	8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1,
	0.5, 1.0,
}

// useExpVector is whether expAll uses the vector exp: AVX-512 and agreement with math.Exp.
var useExpVector = archsimd.X86.AVX512() && expVectorAgrees()

// expAll replaces every x of xs by math.Exp(x).
func expAll(xs []float64) {
	if !useExpVector {
		expAllScalar(xs)
		return
	}
	expAllVector(xs)
}

// expAllVector is expAll with the vector exp, 8 values at a time; the rest and any group
// with a value out of the vector's range go to math.Exp.
func expAllVector(xs []float64) {
	lo, hi := archsimd.BroadcastFloat64x8(-expVectorLimit), archsimd.BroadcastFloat64x8(expVectorLimit)
	i := 0
	for ; i+8 <= len(xs); i += 8 {
		x := archsimd.LoadFloat64x8Slice(xs[i : i+8])
		if x.GreaterEqual(lo).And(x.LessEqual(hi)).ToBits() != 0xFF { // NaN too
			expAllScalar(xs[i : i+8])
			continue
		}
		expFloat64x8(x).StoreSlice(xs[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	expAllScalar(xs[i:])
}

// expFloat64x8 is math/exp_amd64.s's fused multiply-add path on 8 finite values in
// [-expVectorLimit, expVectorLimit].
func expFloat64x8(x archsimd.Float64x8) archsimd.Float64x8 {
	two := archsimd.BroadcastFloat64x8(2)
	// k = round(x log2 e) to the nearest integer, ties to even (CVTSD2SL), as a float.
	k := x.Mul(archsimd.BroadcastFloat64x8(expLog2E)).RoundToEvenScaled(0)
	// x - k ln2, in two fused steps (VFNMADD231SD): -(k c) + x = (-c) k + x exactly.
	r := archsimd.BroadcastFloat64x8(-expLn2U).MulAdd(k, x)
	r = archsimd.BroadcastFloat64x8(-expLn2L).MulAdd(k, r)
	r = r.Mul(archsimd.BroadcastFloat64x8(0.0625))
	// The Taylor series (VFMADD213SD: p = p r + c).
	p := archsimd.BroadcastFloat64x8(expTaylor[0])
	for _, c := range expTaylor[1:] {
		p = p.MulAdd(r, archsimd.BroadcastFloat64x8(c))
	}
	r = r.Mul(p)
	// Squaring back four times: r = r (r + 2), the last fused with + 1.
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Add(two).MulAdd(r, archsimd.BroadcastFloat64x8(1))
	// Times 2^k, built from its exponent bits.
	scale := k.ConvertToInt64().Add(archsimd.BroadcastInt64x8(1023)).ShiftAllLeft(52).AsFloat64x8()
	return r.Mul(scale)
}

// expVectorAgrees reports whether the vector exp gives math.Exp's bits on arguments
// where the assembly's fused and unfused paths round differently (found by search; with
// GODEBUG=cpu.fma=off, or on a CPU without FMA, math.Exp takes the unfused one), so that
// using the vector exp never changes a result. TestExpProbeTellsPathsApart checks that
// the unfused path differs on each.
func expVectorAgrees() bool {
	probe := expProbe
	expAllVector(probe[:])
	for i, x := range expProbe {
		if math.Float64bits(probe[i]) != math.Float64bits(math.Exp(x)) {
			return false
		}
	}
	return true
}
