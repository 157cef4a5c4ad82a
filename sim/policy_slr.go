package sim

// slrPolicy registers slr (registry.go).
var slrPolicy = PolicySpec{
	Name:        "slr",
	Label:       "slr (dealer capital relief)",
	Color:       "#CC79A7",
	Description: "dealer capital relief raising dealer capacity after a lag",
	New:         func(c *Config) Policy { return newSLR(c) },
	Validate:    validateSLR,
}

// SLRParams are the dealer capital relief's parameters: Lag days after the first day the
// basis exceeds Trigger, dealer capacity K0 rises by K0Relief.
type SLRParams struct {
	Trigger  float64 `yaml:"trigger"`   // announced on the first day the basis exceeds this, bp
	Lag      int     `yaml:"lag"`       // days from the announcement to the relief
	K0Relief float64 `yaml:"k0_relief"` // added to calm dealer capacity K0, $bn
	// AnnounceTheta multiplies theta from the announcement on: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// validateSLR checks the slr: block.
func validateSLR(c *Config, v *Validator) {
	v.Finite("slr.trigger", c.SLR.Trigger)
	v.IntMin("slr.lag", c.SLR.Lag, 0)
	v.NonNegative("slr.k0_relief", c.SLR.K0Relief)
	v.AtMost("slr.k0_relief", c.SLR.K0Relief, maxBn)
	v.AnnounceTheta("slr.announce_theta", c.SLR.AnnounceTheta)
}

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
