package sim

import "math"

// Other sellers (docs/model-extensions.md): unlevered holders of cash Treasuries (foreign
// official and private holders, bond mutual funds) who sold outright in March 2020 for
// liquidity. They hold no futures and borrow no repo, so they sell only the cash leg:
// their sales O_t add to the net cash sold to dealers, X^c_t, and not to the futures bought
// back, X^f_t. How much they sell is exogenous, set by the day's stress alone,
//
//	O_t = vol max(0, log(sigma_t / sigma_bar)) + funding F_t   ($bn a day),
//
// so it is the same under every policy on a path (common random numbers). Outright
// purchases (qe) may buy it; hedged-bundle buyers (spv, cap) may not; see QE and Cap.

// otherSales returns O_t for every day of sh in out's storage.
func (m *Model) otherSales(sh *Shocks, out []float64) []float64 {
	p := &m.cfg.Sellers
	calm := calmSigma(m.cfg.Shocks.SigmaBar)
	out = out[:0]
	for t, sigma := range sh.Sigma {
		excess := 0.0 // max(0, log(sigma / sigma_bar)) on a calm day, without the log
		if !(sigma >= 0 && sigma < calm) {
			excess = max(0, math.Log(sigma)-m.logSigmaBar)
		}
		out = append(out, p.Vol*excess+p.Funding*sh.F[t])
	}
	return out
}

// calmSigma returns a volatility below which the other sellers' excess stress,
// max(0, math.Log(sigma) - math.Log(sigmaBar)), is surely 0: sigma_bar (1 - 2^-20), whose
// log is about 1e-6 below log sigma_bar, far more than the two logs' errors (under one
// ulp each, at most 2^-43 for any float64); 0 (no such day) for a sigma_bar too small for
// that bound. On the days below it, about half of a path's, the log is skipped and the
// result is the same bits.
func calmSigma(sigmaBar float64) float64 {
	if sigmaBar < 0x1p-1000 {
		return 0
	}
	return sigmaBar * (1 - 0x1p-20)
}
