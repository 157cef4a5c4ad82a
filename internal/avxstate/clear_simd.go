//go:build goexperiment.simd && amd64

package avxstate

import "simd/archsimd"

// hasAVX is whether the CPU has AVX, and so VZEROUPPER.
var hasAVX = archsimd.X86.AVX()

// Clear marks the upper halves of the vector registers clear, where the CPU has AVX.
func Clear() {
	if hasAVX {
		archsimd.ClearAVXUpperBits()
	}
}
