package plots

import (
	"hash/adler32"
	"math/rand/v2"
	"testing"
)

// TestAdlerMatchesHashAdler32 checks adler (in vectors where the build and the CPU have
// them) against hash/adler32 on data of many lengths, written in one piece and in pieces of
// odd sizes, all bytes 0xFF (the largest sums), and random bytes.
func TestAdlerMatchesHashAdler32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lengths := []int{0, 1, 63, 64, 65, 127, 128, 5552, 5553, 64 * adlerBlocks, 64*adlerBlocks + 1, 100_000, 1 << 20}
	for _, n := range lengths {
		for _, fill := range []string{"ones", "random"} {
			data := make([]byte, n)
			for i := range data {
				data[i] = 0xFF
				if fill == "random" {
					data[i] = byte(rng.Uint32())
				}
			}
			want := adler32.Checksum(data)
			a := newAdler()
			a.write(data)
			if got := a.sum(); got != want {
				t.Errorf("%d bytes (%s) in one write: %08x, want %08x", n, fill, got, want)
			}
			b := newAdler()
			for rest := data; len(rest) > 0; {
				m := min(len(rest), 1+rng.IntN(7000))
				b.write(rest[:m])
				rest = rest[m:]
			}
			if got := b.sum(); got != want {
				t.Errorf("%d bytes (%s) in pieces: %08x, want %08x", n, fill, got, want)
			}
			c := newAdler()
			c.writeScalar(data)
			if got := c.sum(); got != want {
				t.Errorf("%d bytes (%s), the scalar form: %08x, want %08x", n, fill, got, want)
			}
		}
	}
}
