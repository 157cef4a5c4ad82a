package sim

// SLR is dealer capital relief, like the 2020 exclusion of Treasuries from the
// supplementary leverage ratio. It is announced on the first day b_t > trigger and, lag
// days later, raises calm dealer capacity from K0 to K0 + k0_relief:
// K_t = (K0 + k0_relief) / (1 + kappa_K F_t), which lowers the impact lambda_t for a
// given dealer inventory. It buys nothing and holds nothing. The room it makes serves every
// seller through dealers, other sellers (docs/model-extensions.md) included.
type SLR struct {
	P         SLRParams
	factor    float64 // (K0 + k0_relief) / K0
	announced int     // announcement day, -1 before
}

func newSLR(c *Config) *SLR {
	return &SLR{P: c.SLR, factor: (c.Market.K0 + c.SLR.K0Relief) / c.Market.K0}
}

// Name returns "slr".
func (*SLR) Name() string { return "slr" }

// Start withdraws the relief.
func (s *SLR) Start() { s.announced = -1 }

// Adjust records the announcement and, from lag days after it, raises dealer capacity.
func (s *SLR) Adjust(d Day, c *Conditions) {
	s.announced = announceDay(s.announced, d, s.P.Trigger)
	if s.announced < 0 {
		return
	}
	if d.T >= s.announced+s.P.Lag {
		c.Capacity *= s.factor
	}
	if s.P.AnnounceTheta != 1 {
		c.Theta *= s.P.AnnounceTheta
	}
}

// Absorb buys nothing.
func (*SLR) Absorb(Day) Absorption { return Absorption{} }

// Settle does nothing: the relief costs the central bank no balance sheet.
func (*SLR) Settle(Day, Absorption) {}

// Sheet is always empty.
func (*SLR) Sheet() Sheet { return Sheet{ClosedDay: -1} }

// WakeBasis implements Dormancy: the relief does nothing until it is announced, on the
// first day the basis exceeds its trigger.
func (s *SLR) WakeBasis() (float64, bool) { return s.P.Trigger, true }
