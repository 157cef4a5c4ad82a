//go:build goexperiment.simd && amd64

package vec8

import (
	"simd/archsimd"
	"testing"

	"github.com/backstop-research/backstop/internal/vectest"
)

// TestShiftRight checks ShiftRight against the shift operator on every lane, for every
// count from 0 to 63 and values with high, low and all bits set.
func TestShiftRight(t *testing.T) {
	vectest.RequireAVX512(t, "ShiftRight")
	x := [8]uint64{0, 1, 1 << 63, 0xFFFFFFFFFFFFFFFF, 0x0123456789ABCDEF, 0xFEDCBA9876543210, 1 << 32, 0x8000000080000000}
	for n := uint(0); n < 64; n++ {
		var got [8]uint64
		ShiftRight(archsimd.LoadUint64x8(&x), n).Store(&got)
		archsimd.ClearAVXUpperBits()
		for l, v := range x {
			if want := v >> n; got[l] != want {
				t.Errorf("ShiftRight(%#x, %d) = %#x, want %#x", v, n, got[l], want)
			}
		}
	}
}
