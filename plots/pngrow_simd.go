//go:build goexperiment.simd && amd64

// The PNG encoder's rows of RGB from the canvas's RGBA, 16 pixels at a time in an
// AVX-512 byte permutation, where the CPU has it: built with GOEXPERIMENT=simd only.

package plots

import "simd/archsimd"

// rgbRow writes the RGB bytes of the RGBA pixels of src to dst (len(dst) = 3*len(src)/4),
// leaving out each pixel's alpha: 16 pixels at a time, 64 bytes permuted into 48, where
// the CPU has AVX-512 with VBMI (GODEBUG=cpu.avx512f=off hides it); the same bytes as
// rgbRowScalar.
func rgbRow(dst, src []byte) {
	done := 0
	if archsimd.X86.AVX512() && archsimd.X86.AVX512VBMI() {
		idx := archsimd.LoadUint8x64(&rgbOfRGBA)
		// Each step stores 64 bytes of which the first 48 are its pixels': it stops while
		// the 16 bytes beyond are still dst's, for the next step or the scalar tail to
		// write over.
		for ; done+16 <= len(src)/4 && 3*done+64 <= len(dst); done += 16 {
			archsimd.LoadUint8x64Slice(src[4*done:]).Permute(idx).StoreSlice(dst[3*done:])
		}
		archsimd.ClearAVXUpperBits()
	}
	rgbRowScalar(dst[3*done:], src[4*done:])
}

// rgbOfRGBA are the byte indices that take 16 RGBA pixels' RGB, in order, into the first
// 48 bytes of a vector (the last 16 are don't-cares).
var rgbOfRGBA = func() (idx [64]uint8) {
	for j := range 48 {
		idx[j] = uint8(j/3*4 + j%3)
	}
	return idx
}()
