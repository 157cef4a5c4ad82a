package plots

// adler is a running Adler-32 checksum (RFC 1950, the zlib stream's trailer), the value
// hash/adler32 computes, taken 64 bytes at a time in vectors where the build and the CPU
// have them (adler_simd.go): the standard library's loop was 7% of the figures' CPU.
type adler struct{ s1, s2 uint32 }

// adlerMod is the largest prime below 2^16, Adler-32's modulus.
const adlerMod = 65521

// adlerMax is the most bytes the scalar loop adds before reducing: the largest n for
// which 255 n (n+1) / 2 + (n+1) (adlerMod-1) stays below 2^32, as in zlib.
const adlerMax = 5552

// adlerBlocks is how many 64-byte blocks the vector form adds up before reducing: the
// weighted sums' 32-bit lanes gain at most 64,770 a block (two bytes of 255 at weights up
// to 64 and 63, twice), so 256 blocks stay far below 2^31.
const adlerBlocks = 256

func newAdler() adler { return adler{s1: 1} }

// sum returns the checksum of what was written.
func (a adler) sum() uint32 { return a.s2<<16 | a.s1 }

// writeScalar adds p byte by byte: the reference for the vector form.
func (a *adler) writeScalar(p []byte) {
	s1, s2 := a.s1, a.s2
	for len(p) > 0 {
		n := min(len(p), adlerMax)
		for _, b := range p[:n] {
			s1 += uint32(b)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
		p = p[n:]
	}
	a.s1, a.s2 = s1, s2
}
