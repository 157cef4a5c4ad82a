//go:build goexperiment.simd && amd64

package vec8

import "simd/archsimd"

// ShiftRight is x.ShiftAllRight(n) for n < 64: each lane shifted right by n bits, zeros
// shifted in. It shifts by a vector of counts loaded from memory (VPSRLVQ), never by a
// count in a scalar register: Go 1.26 compiles ShiftAllRight, whatever its count, to a
// legacy-SSE MOVQ of the count into an XMM register before the shift (golang/go#80835;
// left shifts by a constant take an immediate), and an Intel CPU makes a legacy-SSE
// instruction wait while the upper halves of the vector registers are in use, as they
// are in vector code: in the run's sketch codes that one MOVQ made the whole run 2.8
// times as slow on an Intel Xeon. It inlines, so with a constant n it is one
// instruction with a memory operand.
func ShiftRight(x archsimd.Uint64x8, n uint) archsimd.Uint64x8 {
	return x.ShiftRight(archsimd.LoadUint64x8(&shiftCounts[n&63]))
}

// shiftCounts[n] is n in every lane.
var shiftCounts = func() (c [64][8]uint64) {
	for n := range c {
		for l := range c[n] {
			c[n][l] = uint64(n)
		}
	}
	return c
}()
