package sim

import "math"

// srfPolicy registers srf (registry.go).
var srfPolicy = PolicySpec{
	Name:        "srf",
	Label:       "srf (standing repo facility)",
	Color:       "#E69F00",
	Description: "a standing repo facility capping the funds' haircut and spread once open",
	Holdings:    "srf repo lending",
	New:         func(c *Config) Policy { return &SRF{P: c.SRF} },
	Validate:    validateSRF,
}

// SRFParams are the standing repo facility's parameters: from the first day the basis
// exceeds Trigger it caps the funds' repo haircut and spread.
type SRFParams struct {
	Trigger    float64 `yaml:"trigger"`     // opens on the first day the basis exceeds this, bp
	HaircutCap float64 `yaml:"haircut_cap"` // highest haircut h_t once open, fraction
	SpreadCap  float64 `yaml:"spread_cap"`  // highest repo spread once open, bp/yr
	// AnnounceTheta multiplies theta from the opening on: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// validateSRF checks the srf: block.
func validateSRF(c *Config, v *Validator) {
	v.Finite("srf.trigger", c.SRF.Trigger)
	v.Fraction("srf.haircut_cap", c.SRF.HaircutCap)
	v.Finite("srf.spread_cap", c.SRF.SpreadCap)
	v.AnnounceTheta("srf.announce_theta", c.SRF.AnnounceTheta)
}

// SRF is a standing repo facility. From the first day b_t > trigger on, it offers repo at
// a haircut of at most haircut_cap and a spread of at most spread_cap, so the funds face
// h_t = min(h_t, haircut_cap) and spread_t = min(spread_t, spread_cap). On a day the market's
// terms are worse than the facility's in either respect, the funds (through their dealers)
// finance their whole position at it: it lends L_t = (1 - h_t) B_t against the Treasuries,
// B_t being the position of the funds not in default, and earns spread_t on it.
//
// When repo is rationed (repo: block), the facility also lends without a quantity limit
// once open: the funds' capacity is then E / r_t alone, and on a day the ration would bind
// they finance at it.
//
// Other sellers (docs/model-extensions.md) are unlevered and borrow no repo: the facility
// does not reach them, whatever they sell still goes to dealers.
//
// Overnight repo against Treasuries carries no rate risk for the lender, so DV01 is 0;
// holdings are the day's lending L_t and the P&L the spread earned. Credit losses are not
// modelled: a defaulted fund's loss beyond its equity falls on its lenders in docs/model.md,
// and the facility's share of it is not tracked.
type SRF struct {
	P       SRFParams
	opened  int     // day the facility opened, -1 before
	lending float64 // L_t, $bn
	rate    float64 // the day's spread on L_t, bp/yr
	pnl     float64 // cumulative spread earned, $bn
}

// Start closes the facility.
func (s *SRF) Start() { s.opened, s.lending, s.rate, s.pnl = -1, 0, 0, 0 }

// Adjust opens the facility on the first day the basis exceeds the trigger and, once open,
// caps the haircut and the spread.
func (s *SRF) Adjust(d Day, c *Conditions) {
	s.opened = announceDay(s.opened, d, s.P.Trigger)
	s.lending = 0
	if s.opened < 0 {
		return
	}
	// With repo rationed (docs/model-extensions.md), the market may not lend enough for the
	// funds' position at any price; the facility has no quantity limit.
	rationed := c.Repo < (1-c.Haircut)*d.Position
	c.Repo = math.Inf(1)
	if c.Haircut > s.P.HaircutCap || c.Spread > s.P.SpreadCap || rationed {
		c.Haircut = min(c.Haircut, s.P.HaircutCap)
		c.Spread = min(c.Spread, s.P.SpreadCap)
		s.lending = (1 - c.Haircut) * d.Position
		s.rate = c.Spread
	}
	if s.P.AnnounceTheta != 1 {
		c.Theta *= s.P.AnnounceTheta
	}
}

// Absorb buys nothing: the facility lends, it does not buy.
func (*SRF) Absorb(Day) Absorption { return Absorption{} }

// Settle books the day's spread on the lending.
func (s *SRF) Settle(Day, Absorption) {
	s.pnl += s.lending * s.rate / (252 * 1e4)
}

// Sheet reports the day's lending as holdings, a DV01 of 0 and the spread earned.
func (s *SRF) Sheet() Sheet {
	return Sheet{Holdings: s.lending, PnL: s.pnl, ClosedDay: -1}
}

// WakeBasis implements Dormancy: the facility does nothing until it opens, on the first
// day the basis exceeds its trigger.
func (s *SRF) WakeBasis() (float64, bool) { return s.P.Trigger, true }
