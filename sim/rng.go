package sim

import (
	"math/bits"
	"math/rand/v2"
)

// Stream is a worker's random source, reseeded for each path so that path i's draws
// depend on (seed, i) alone and never on which worker runs it or in what order.
type Stream struct {
	pcg *pcg
	*rand.Rand
}

// NewStream returns a Stream positioned at path 0 of seed 0; call Reset before use.
func NewStream() *Stream {
	g := &pcg{}
	return &Stream{pcg: g, Rand: rand.New(g)}
}

// Reset positions the stream at the start of path's draws under seed. The two PCG seed
// words are decorrelated with SplitMix64 so that neighbouring paths get unrelated streams.
func (s *Stream) Reset(seed uint64, path int64) {
	s.pcg.hi, s.pcg.lo = pathSeed(seed, path) // rand.PCG's Seed(hi, lo)
}

// pathSeed is the PCG state at the start of path's draws under seed.
func pathSeed(seed uint64, path int64) (hi, lo uint64) {
	hi = splitMix64(seed ^ splitMix64(uint64(path)))
	return hi, splitMix64(hi ^ 0x9e3779b97f4a7c15)
}

// pcg is math/rand/v2's PCG generator (128-bit LCG, DXSM output), the same numbers from
// the same seed (TestPCGMatchesRand), in a type of our own whose Uint64 the compiler
// inlines into the draws (normal.go): rand.PCG's only partly inlines, and rand.Rand calls
// it through an interface.
type pcg struct{ hi, lo uint64 }

// The constants of rand.PCG: the LCG's multiplier and increment, and DXSM's multiplier.
const (
	pcgMulHi    = 2549297995355413924
	pcgMulLo    = 4865540595714422341
	pcgIncHi    = 6364136223846793005
	pcgIncLo    = 1442695040888963407
	pcgCheapMul = 0xda942042e4dd58b5
)

// Uint64 returns the next number of the sequence (rand.PCG.Uint64).
func (p *pcg) Uint64() uint64 {
	// state = state * mul + inc
	hi, lo := bits.Mul64(p.lo, pcgMulLo)
	hi += p.hi*pcgMulLo + p.lo*pcgMulHi
	lo, c := bits.Add64(lo, pcgIncLo, 0)
	hi, _ = bits.Add64(hi, pcgIncHi, c)
	p.lo, p.hi = lo, hi
	// DXSM "double xorshift multiply"
	hi ^= hi >> 32
	hi *= pcgCheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// splitMix64 is the finalizer of Steele, Lea and Flood's SplitMix64, a bijective mixer.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
