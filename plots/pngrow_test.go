package plots

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestRGBRowMatchesScalar checks rgbRow (in vectors where the build and the CPU have them)
// against rgbRowScalar on rows of every length up to a few vectors and a figure's width,
// and that it writes nothing beyond the row.
func TestRGBRowMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	widths := []int{0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 2100}
	for _, w := range widths {
		src := make([]byte, 4*w)
		for i := range src {
			src[i] = byte(rng.Uint32())
		}
		want := make([]byte, 3*w)
		rgbRowScalar(want, src)
		// The row in a larger buffer whose bytes beyond it must survive.
		buf := make([]byte, 3*w+64)
		for i := range buf {
			buf[i] = 0xA5
		}
		rgbRow(buf[:3*w], src)
		if !bytes.Equal(buf[:3*w], want) {
			t.Errorf("width %d: rgbRow differs from rgbRowScalar", w)
		}
		for i, b := range buf[3*w:] {
			if b != 0xA5 {
				t.Fatalf("width %d: byte %d beyond the row overwritten", w, i)
			}
		}
		for x := range w { // and the scalar form is what it says
			if want[3*x] != src[4*x] || want[3*x+1] != src[4*x+1] || want[3*x+2] != src[4*x+2] {
				t.Fatalf("width %d: pixel %d's RGB not copied", w, x)
			}
		}
	}
}
