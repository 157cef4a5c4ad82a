package sim

import (
	"math"
	"testing"
)

// TestBufferScaleInCalm: the buffers' factor, which skips the power in calm, is bit for
// bit min(1, (r_0 / r)^psi) for psi from 0 to beyond the shortcut's range (whole and
// fractional, fractional parts above and below 1/2), on every float64 r within 2^12 ulps
// of the calm bound and of r_0, on r_0 scaled by 1 - 2^-k, and on powers of two from the
// smallest r to the largest.
func TestBufferScaleInCalm(t *testing.T) {
	psis := []float64{0, 0x1p-11, 0x1p-10, 1e-3, 0.3, 0.5, 0.7, 1, 2, 2.5, 3.75, 5, 7.77, 9.99, 10, 63.9, 0x1p10, 1025.5}
	for _, r0 := range []float64{0.005, 0.03, 0.0425, 1, 7} {
		var rs []float64
		for _, at := range []float64{r0 * (1 - 0x1p-16), r0} {
			lo, hi := at, at
			for i := 0; i < 1<<12; i++ {
				lo, hi = math.Nextafter(lo, 0), math.Nextafter(hi, math.Inf(1))
				rs = append(rs, lo, hi)
			}
		}
		for k := 0; k <= 60; k++ {
			rs = append(rs, r0*(1-math.Ldexp(1, -k)), r0*(1+math.Ldexp(1, -k)))
		}
		for e := -1074; e <= 1023; e++ {
			rs = append(rs, math.Ldexp(1, e), math.Ldexp(1.25, e))
		}
		rs = append(rs, 0, math.Copysign(0, -1), -r0, math.Inf(1), math.NaN())
		for _, psi := range psis {
			m := &Model{r0: r0, cfg: Config{Funds: FundParams{BufferStress: psi}}}
			ones := 0
			for _, r := range rs {
				want := min(1, math.Pow(r0/r, psi))
				if got := m.bufferScale(r); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("r_0 %v, psi %v, r %v: %v, want %v", r0, psi, r, got, want)
				}
				if want == 1 {
					ones++
				}
			}
			if ones == 0 {
				t.Fatalf("r_0 %v, psi %v: no calm r checked", r0, psi)
			}
		}
	}
}
