package sim

import (
	"fmt"
	"math"
)

// Model is a validated configuration with the per-fund constants derived from it. It is
// read-only and safe to share between workers.
type Model struct {
	cfg         Config
	logSigmaBar float64
	buffer      []float64 // u_j, evenly spaced from u_lo to u_hi
	invBuffer   []float64 // 1 / (1 + u_j)
	startB      []float64 // B_j0
	startE      []float64 // E_j0 = B_j0 r_0 (1 + u_j)
	startHeld   float64   // sum of B_j0
	// defaultDayForced: a defaulting fund's voluntary sales on its default day count as
	// forced (FundParams.ForcedSales == ForcedReference).
	defaultDayForced bool
	// Options beyond docs/model.md (docs/model-extensions.md); each off costs one branch.
	sellers      bool    // other sellers sell (Config.Sellers.On)
	bufferStress bool    // buffers shrink with r_t (FundParams.BufferStress > 0)
	r0           float64 // h0 + m0, calm capital per $ of position
	repoLimited  bool    // repo is rationed (RepoParams.Capacity > 0)
}

// NewModel validates cfg and derives the model's constants.
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	f := cfg.Funds
	n := f.NFunds
	m := &Model{
		cfg:              cfg,
		logSigmaBar:      math.Log(cfg.Shocks.SigmaBar),
		defaultDayForced: f.ForcedSales == ForcedReference,
		sellers:          cfg.Sellers.On(),
		bufferStress:     f.BufferStress > 0,
		r0:               f.H0 + f.M0,
		repoLimited:      cfg.Repo.Capacity > 0,
		buffer:           make([]float64, n),
		invBuffer:        make([]float64, n),
		startB:           make([]float64, n),
		startE:           make([]float64, n),
	}
	r0 := f.H0 + f.M0
	for j := 0; j < n; j++ {
		u := f.ULo
		if n > 1 {
			u = f.ULo + (f.UHi-f.ULo)*float64(j)/float64(n-1)
		}
		m.buffer[j] = u
		m.invBuffer[j] = 1 / (1 + u)
		m.startB[j] = f.B0 / float64(n)
		m.startE[j] = m.startB[j] * r0 * (1 + u)
		m.startHeld += m.startB[j]
	}
	return m, nil
}

// InitialEquity returns the funds' total equity at t = 0, $bn: the most they can lose.
func (m *Model) InitialEquity() float64 {
	total := 0.0
	for _, e := range m.startE {
		total += e
	}
	return total
}

// Config returns the model's configuration.
func (m *Model) Config() *Config { return &m.cfg }

// Days returns the horizon T.
func (m *Model) Days() int { return m.cfg.Days }
