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
	out = out[:0]
	for t, sigma := range sh.Sigma {
		excess := max(0, math.Log(sigma)-m.logSigmaBar)
		out = append(out, p.Vol*excess+p.Funding*sh.F[t])
	}
	return out
}
