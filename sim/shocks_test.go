package sim_test

import (
	"math"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// drawDayByDay is Model.Draw as it was before the exponentials were taken for all days at
// once: each day's sigma_t, m_t, dy_t and noise in turn. TestDrawMatchesDayByDay holds
// Draw to it.
func drawDayByDay(m *sim.Model, rng *sim.Stream, sh *sim.Shocks) {
	cfg := m.Config()
	p := &cfg.Shocks
	T := len(sh.Sigma)
	logBar := math.Log(p.SigmaBar)
	sh.Jump = p.MuJ + p.SJ*rng.NormFloat64()
	logSigma := logBar + sh.Jump
	f := 0.0
	for t := 0; t < T; t++ {
		excess := logSigma - logBar
		sigma := math.Exp(logSigma)
		sh.Sigma[t] = sigma
		sh.F[t] = f
		sh.Margin[t] = cfg.Funds.M0 * math.Exp(cfg.Funds.GammaM*excess)
		sh.DY[t] = sigma * rng.NormFloat64()
		sh.Noise[t] = p.Omega * sigma * rng.NormFloat64()
		if t == T-1 {
			break
		}
		logSigma = logBar + p.Phi*excess + p.Eta*rng.NormFloat64()
		f = p.RhoF*f + p.BetaF*math.Max(0, excess)
		if rng.Float64() < p.PF {
			f += p.MF * rng.ExpFloat64()
		}
	}
}

// TestDrawMatchesDayByDay checks Draw bit for bit against the day-by-day computation, on
// the baseline, the March 2020 calibration and scenarios that push the exponent to the
// vector exp's limits and beyond (huge jumps and volatility of volatility), at horizons
// that leave a tail after the last group of 8 days.
func TestDrawMatchesDayByDay(t *testing.T) {
	march := shippedConfig(t, "march2020.yaml")
	wild := configs.Baseline()
	wild.Shocks.SJ, wild.Shocks.Eta, wild.Funds.GammaM = 10, 5, 10
	short := configs.Baseline()
	short.Days = 13
	for _, tc := range []struct {
		name  string
		cfg   sim.Config
		paths int
	}{{"baseline", configs.Baseline(), 4000}, {"march2020", march, 2000}, {"wild", wild, 2000}, {"13 days", short, 2000}} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := sim.NewModel(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rng := sim.NewStream()
			got, want := sim.NewShocks(tc.cfg.Days), sim.NewShocks(tc.cfg.Days)
			for i := int64(0); i < int64(tc.paths); i++ {
				rng.Reset(tc.cfg.Seed, i)
				m.Draw(rng, got)
				rng.Reset(tc.cfg.Seed, i)
				drawDayByDay(m, rng, want)
				for name, pair := range map[string][2][]float64{
					"sigma": {got.Sigma, want.Sigma}, "F": {got.F, want.F}, "dy": {got.DY, want.DY},
					"noise": {got.Noise, want.Noise}, "margin": {got.Margin, want.Margin},
					"jump": {{got.Jump}, {want.Jump}},
				} {
					for d := range pair[1] {
						if math.Float64bits(pair[0][d]) != math.Float64bits(pair[1][d]) {
							t.Fatalf("path %d, %s day %d: %v, day by day %v", i, name, d, pair[0][d], pair[1][d])
						}
					}
				}
			}
		})
	}
}
