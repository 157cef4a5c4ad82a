package sim

import "math/rand/v2"

// Stream is a worker's random source, reseeded for each path so that path i's draws
// depend on (seed, i) alone and never on which worker runs it or in what order.
type Stream struct {
	pcg *rand.PCG
	*rand.Rand
}

// NewStream returns a Stream positioned at path 0 of seed 0; call Reset before use.
func NewStream() *Stream {
	pcg := rand.NewPCG(0, 0)
	return &Stream{pcg: pcg, Rand: rand.New(pcg)}
}

// Reset positions the stream at the start of path's draws under seed. The two PCG seed
// words are decorrelated with SplitMix64 so that neighbouring paths get unrelated streams.
func (s *Stream) Reset(seed uint64, path int64) {
	hi := splitMix64(seed ^ splitMix64(uint64(path)))
	lo := splitMix64(hi ^ 0x9e3779b97f4a7c15)
	s.pcg.Seed(hi, lo)
}

// splitMix64 is the finalizer of Steele, Lea and Flood's SplitMix64, a bijective mixer.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
