//go:build goexperiment.simd && amd64

package vec8

import (
	"simd/archsimd"
	"testing"

	"github.com/backstop-research/backstop/internal/vectest"
)

// TestTranspose checks Transpose on a matrix of distinct values, element by element, and
// that transposing twice gives the rows back.
func TestTranspose(t *testing.T) {
	vectest.RequireAVX512(t, "the transpose")
	var m [8][8]float64
	for i := range m {
		for j := range m[i] {
			m[i][j] = float64(10*i + j)
		}
	}
	load := func(i int) archsimd.Float64x8 { return archsimd.LoadFloat64x8(&m[i]) }
	c0, c1, c2, c3, c4, c5, c6, c7 := Transpose(load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
	var got [8][8]float64
	for j, c := range [8]archsimd.Float64x8{c0, c1, c2, c3, c4, c5, c6, c7} {
		c.Store(&got[j])
	}
	for i := range m {
		for j := range m[i] {
			if got[j][i] != m[i][j] {
				t.Fatalf("column %d, row %d: %v, want %v", j, i, got[j][i], m[i][j])
			}
		}
	}
	r0, r1, r2, r3, r4, r5, r6, r7 := Transpose(c0, c1, c2, c3, c4, c5, c6, c7)
	var back [8][8]float64
	for i, r := range [8]archsimd.Float64x8{r0, r1, r2, r3, r4, r5, r6, r7} {
		r.Store(&back[i])
	}
	if back != m {
		t.Errorf("transposed twice: %v, want %v", back, m)
	}
}
