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

// expVectors are the vector exp's constants in every lane, kept in memory on cache lines
// of their own (newAligned), where the loop loads each as an operand: broadcast in the
// loop, each took two instructions for every 8 values, and held in registers, more than
// there are.
type expVectors struct {
	lo, hi, log2E, negLn2U, negLn2L, sixteenth, two, one [lanes]float64
	taylor                                               [len(expTaylor) - 1][lanes]float64 // expTaylor[1:]
	first                                                [lanes]float64                     // expTaylor[0]
	bias                                                 [lanes]int64                       // the exponent's, 1023
}

// expConsts are the vector exp's expVectors.
var expConsts = func() *expVectors {
	k := newAligned[expVectors]()
	for l := range lanes {
		k.lo[l], k.hi[l], k.log2E[l] = -expVectorLimit, expVectorLimit, expLog2E
		k.negLn2U[l], k.negLn2L[l], k.sixteenth[l], k.two[l], k.one[l] = -expLn2U, -expLn2L, 0.0625, 2, 1
		for i, c := range expTaylor[1:] {
			k.taylor[i][l] = c
		}
		k.first[l], k.bias[l] = expTaylor[0], 1023
	}
	return k
}()

// expAllVector is expAll with the vector exp, 8 values at a time; the rest and any group
// with a value out of the vector's range go to math.Exp.
func expAllVector(xs []float64) {
	k := expConsts
	i := 0
	for ; i+8 <= len(xs); i += 8 {
		x := archsimd.LoadFloat64x8Slice(xs[i : i+8])
		if x.GreaterEqual(load(&k.lo)).ToBits()&x.LessEqual(load(&k.hi)).ToBits() != 0xFF { // NaN too
			archsimd.ClearAVXUpperBits() // scalar code (see vec8.ShiftRight)
			expAllScalar(xs[i : i+8])
			continue
		}
		expFloat64x8(x, k).StoreSlice(xs[i : i+8])
	}
	archsimd.ClearAVXUpperBits()
	expAllScalar(xs[i:])
}

// expFloat64x8 is math/exp_amd64.s's fused multiply-add path on 8 finite values in
// [-expVectorLimit, expVectorLimit], with the constants k.
func expFloat64x8(x archsimd.Float64x8, k *expVectors) archsimd.Float64x8 {
	two := load(&k.two)
	// k = round(x log2 e) to the nearest integer, ties to even (CVTSD2SL), as a float.
	n := x.Mul(load(&k.log2E)).RoundToEvenScaled(0)
	// x - k ln2, in two fused steps (VFNMADD231SD): -(k c) + x = (-c) k + x exactly.
	r := load(&k.negLn2U).MulAdd(n, x)
	r = load(&k.negLn2L).MulAdd(n, r)
	r = r.Mul(load(&k.sixteenth))
	// The Taylor series (VFMADD213SD: p = p r + c), unrolled.
	p := load(&k.first)
	p = p.MulAdd(r, load(&k.taylor[0]))
	p = p.MulAdd(r, load(&k.taylor[1]))
	p = p.MulAdd(r, load(&k.taylor[2]))
	p = p.MulAdd(r, load(&k.taylor[3]))
	p = p.MulAdd(r, load(&k.taylor[4]))
	p = p.MulAdd(r, load(&k.taylor[5]))
	p = p.MulAdd(r, load(&k.taylor[6]))
	r = r.Mul(p)
	// Squaring back four times: r = r (r + 2), the last fused with + 1.
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Mul(r.Add(two))
	r = r.Add(two).MulAdd(r, load(&k.one))
	// Times 2^k, built from its exponent bits.
	scale := n.ConvertToInt64().Add(archsimd.LoadInt64x8(&k.bias)).ShiftAllLeft(52).AsFloat64x8()
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
