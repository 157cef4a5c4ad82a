package sim

import (
	"math"
	"testing"
)

// TestOtherSalesSkipsOnlyZeroLogs: the other sellers' sales, which skip the log on calm
// days, are bit for bit max(0, log sigma - log sigma_bar) vol + funding F on every day:
// across sigma_bar from tiny to large, on every float64 within 2^12 ulps of the calm
// bound and of sigma_bar, on powers of two across the range, and on 0, infinities, NaN
// and a negative sigma.
func TestOtherSalesSkipsOnlyZeroLogs(t *testing.T) {
	for _, sigmaBar := range []float64{0x1p-1022, 1e-300, 0x1p-999, 1e-9, 0.3, 1, 5, 7.3, math.Pi, 1e4} {
		m := &Model{cfg: Config{Shocks: ShockParams{SigmaBar: sigmaBar}, Sellers: SellerParams{Vol: 40, Funding: 3}}, logSigmaBar: math.Log(sigmaBar)}
		sigmas := []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.NaN(), -1, math.Inf(-1)}
		for _, at := range []float64{calmSigma(sigmaBar), sigmaBar} {
			lo, hi := at, at
			for i := 0; i < 1<<12; i++ {
				lo, hi = math.Nextafter(lo, 0), math.Nextafter(hi, math.Inf(1))
				sigmas = append(sigmas, lo, hi)
			}
		}
		for e := -1074; e <= 1023; e++ {
			sigmas = append(sigmas, math.Ldexp(1, e), math.Ldexp(1.5, e))
		}
		sh := &Shocks{Sigma: sigmas, F: make([]float64, len(sigmas))}
		for i := range sh.F {
			sh.F[i] = float64(i%7) / 10
		}
		got := m.otherSales(sh, nil)
		zeros := 0
		for i, sigma := range sigmas {
			excess := max(0, math.Log(sigma)-m.logSigmaBar)
			want := 40*excess + 3*sh.F[i]
			if math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("sigma_bar %v, sigma %v: %v, want %v", sigmaBar, sigma, got[i], want)
			}
			if excess == 0 {
				zeros++
			}
		}
		if zeros == 0 {
			t.Fatalf("sigma_bar %v: no calm day checked", sigmaBar)
		}
	}
}
