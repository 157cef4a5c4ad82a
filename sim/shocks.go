package sim

import "math"

// Shocks are one path's exogenous draws (docs/model.md section 2), shared by every policy run
// on the path (common random numbers), with the day-by-day quantities that depend on them
// alone precomputed so each policy's pass does no transcendental math.
type Shocks struct {
	Jump   float64   // J, the stress jump in log volatility at t = 0
	Sigma  []float64 // sigma_t, rate volatility, bp/day
	F      []float64 // F_t, funding stress (>= 0)
	DY     []float64 // dy_t = sigma_t z_t, yield change, bp
	Noise  []float64 // omega sigma_t eb_t, basis noise, bp
	Margin []float64 // m_t = m0 (sigma_t / sigma_bar)^gamma_m, futures initial margin
}

// NewShocks allocates Shocks for a horizon of days.
func NewShocks(days int) *Shocks {
	buf := make([]float64, 5*days)
	return &Shocks{
		Sigma:  buf[0*days : 1*days],
		F:      buf[1*days : 2*days],
		DY:     buf[2*days : 3*days],
		Noise:  buf[3*days : 4*days],
		Margin: buf[4*days : 5*days],
	}
}

// Draw fills sh with one path's shocks from rng. The order of draws is fixed: J, then for
// each day t the yield shock z_t, the basis shock eb_t and, for t < T-1, the volatility
// innovation e_{t+1}, the funding-shock indicator U_{t+1} and, only when it fires, its
// size G_{t+1}.
//
// The draws and the recursions come first, day by day, and the exponentials after, for all
// days at once (expAll, 8 at a time where the CPU has vectors): the results are those of
// computing each day in turn, bit for bit. The lockstep sampler draws its batches of
// paths 8 at a time (laneDraws, draws.go), which must give Draw's shocks: a change here is
// a change there (TestDrawBatchMatchesDraw).
func (m *Model) Draw(rng *Stream, sh *Shocks) {
	p := &m.cfg.Shocks
	T := len(sh.Sigma)
	logBar := m.logSigmaBar
	gammaM := m.cfg.Funds.GammaM
	sh.Jump = p.MuJ + p.SJ*rng.NormFloat64()
	logSigma := logBar + sh.Jump
	f := 0.0
	// Until the exponentials: Sigma holds log sigma_t, Margin gamma_m (log sigma_t - log
	// sigma_bar), DY z_t and Noise eb_t.
	for t := 0; t < T; t++ {
		excess := logSigma - logBar
		sh.Sigma[t] = logSigma
		sh.F[t] = f
		sh.Margin[t] = gammaM * excess
		sh.DY[t] = rng.NormFloat64()
		sh.Noise[t] = rng.NormFloat64()
		if t == T-1 {
			break
		}
		logSigma = logBar + p.Phi*excess + p.Eta*rng.NormFloat64()
		f = p.RhoF*f + p.BetaF*math.Max(0, excess)
		if rng.Float64() < p.PF {
			f += p.MF * rng.ExpFloat64()
		}
	}
	expAll(sh.Sigma)
	expAll(sh.Margin)
	m0, omega := m.cfg.Funds.M0, p.Omega
	margin, dy, noise := sh.Margin[:T], sh.DY[:T], sh.Noise[:T]
	for t, sigma := range sh.Sigma {
		margin[t] = m0 * margin[t]
		dy[t] = sigma * dy[t]
		noise[t] = omega * sigma * noise[t]
	}
}
