//go:build goexperiment.simd && amd64

// Adler-32 64 bytes at a time in AVX-512 vectors, where the CPU has them: built with
// GOEXPERIMENT=simd only.

package plots

import "simd/archsimd"

// write adds p to the checksum: in blocks of 64 bytes, each block's byte sum (s1's part)
// and its bytes weighted 64 down to 1 (s2's part), in vectors where the CPU has AVX-512
// (GODEBUG=cpu.avx512f=off hides it), the rest byte by byte. The same checksum as
// writeScalar: over a run of k blocks, s2 gains 64 k s1 for the s1 it began with, 64
// times each block's byte sum for every block after it, and each block's weighted sum;
// s1 gains every byte.
func (a *adler) write(p []byte) {
	if archsimd.X86.AVX512() && len(p) >= 64 {
		// Declared before the first vector instruction: Go zeroes and copies local
		// arrays with legacy-SSE moves, which an Intel CPU makes wait while the vector
		// registers' upper halves are in use (see internal/vec8.ShiftRight).
		var s, bs [8]uint64
		var w [16]int32
		weights := archsimd.LoadInt8x64(&adlerWeights)
		ones := archsimd.BroadcastInt16x32(1)
		zero := archsimd.BroadcastUint8x64(0)
		for len(p) >= 64 {
			k := min(len(p)/64, adlerBlocks)
			var sums, before archsimd.Uint64x8 // byte sums so far; the same added up before each block
			var weighted archsimd.Int32x16
			for b := range k {
				x := archsimd.LoadUint8x64Slice(p[64*b:])
				before = before.Add(sums)
				sums = sums.Add(x.SumAbsDiff(zero).AsUint64x8())
				weighted = weighted.Add(x.DotProductPairsSaturated(weights).DotProductPairs(ones))
			}
			sums.StoreSlice(s[:])
			before.StoreSlice(bs[:])
			weighted.StoreSlice(w[:])
			var total, prior, wsum uint64
			for i := range 8 {
				total += s[i]
				prior += bs[i]
			}
			for i := range w { // not range w, a copy of w
				wsum += uint64(w[i])
			}
			s1, s2 := uint64(a.s1), uint64(a.s2)
			s2 = (s2 + 64*uint64(k)*s1 + 64*prior + wsum) % adlerMod
			s1 = (s1 + total) % adlerMod
			a.s1, a.s2 = uint32(s1), uint32(s2)
			p = p[64*k:]
		}
		archsimd.ClearAVXUpperBits()
	}
	a.writeScalar(p)
}

// adlerWeights are the weights of a 64-byte block's bytes in s2: 64 down to 1.
var adlerWeights = func() (w [64]int8) {
	for i := range w {
		w[i] = int8(64 - i)
	}
	return w
}()
