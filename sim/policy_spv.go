package sim

// spvPolicy registers spv (registry.go).
var spvPolicy = PolicySpec{
	Name:        "spv",
	Label:       "spv (backstop SPV)",
	Color:       "#009E73",
	Description: "the backstop: a vehicle buying hedged bundles at a discount until futures expiry",
	Holdings:    "spv holdings (bundles)",
	New:         func(c *Config) Policy { return &SPV{P: c.SPV, DB: c.Funds.DB} },
	Validate:    validateSPV,
}

// SPVParams are the backstop's parameters of docs/model.md section 5.
type SPVParams struct {
	Trigger  float64 `yaml:"trigger"`  // buys while the basis exceeds this, bp
	TExp     int     `yaml:"t_exp"`    // futures expiry day: no purchases from it on; closes on it
	Capacity float64 `yaml:"capacity"` // cap on bundle holdings C, $bn
	Discount float64 `yaml:"discount"` // auction discount d to the market basis, bp
	Equity   float64 `yaml:"equity"`   // first-loss equity share eq of the SPV
	// AnnounceTheta multiplies theta from the announcement until t_exp: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// validateSPV checks the spv: block.
func validateSPV(c *Config, v *Validator) {
	v.Finite("spv.trigger", c.SPV.Trigger)
	v.IntMin("spv.t_exp", c.SPV.TExp, 0)
	v.NonNegative("spv.capacity", c.SPV.Capacity)
	v.AtMost("spv.capacity", c.SPV.Capacity, maxBn)
	v.NonNegative("spv.discount", c.SPV.Discount)
	v.Fraction("spv.equity", c.SPV.Equity)
	v.AnnounceTheta("spv.announce_theta", c.SPV.AnnounceTheta)
}

// SPV is the backstop: a vehicle that, while b_t > trigger and t < t_exp, buys hedged
// bundles A_t = min(S, C - M_t) by auction at a discount d to the market basis. It carries
// no rate risk (DV01 exactly 0) and at t = t_exp delivers into the futures and closes,
// realizing G = D_b sum(A_t (b_t + d)) / 1e4.
//
// It is funded by a central-bank loan of (1 - eq) M and first-loss equity eq M
// (spv.equity): the central bank's exposure is the loan, and its P&L is its share of G
// (CentralBankShare): a gain shared in proportion to funding, a loss borne by the equity
// first and by the central bank only beyond eq M.
//
// It buys only hedged bundles, so only from the funds (A_t <= S): other sellers' outright
// sales (docs/model-extensions.md), which come with no futures leg, are not eligible.
//
// It is announced on the first day b_t > trigger before t_exp; from then until t_exp,
// theta is multiplied by AnnounceTheta.
//
// The lockstep simulator runs a vector form of Adjust, Absorb and Settle on 8 paths at
// once (laneGroup.adjustBooks, absorbBooks and settleBooks in lanes_simd.go): a change
// here needs the same change there (TestLanesEqualScalar compares the two bit for bit).
type SPV struct {
	P         SPVParams
	DB        float64 // D_b, bundle price sensitivity to the basis, years
	m         float64 // holdings M, $bn
	cost      float64 // sum of A_t (b_t + d), $bn bp
	pnl       float64 // the central bank's realized P&L, $bn
	closed    int     // day closed, -1 while open or never opened
	announced int     // announcement day, -1 before
}

// Start empties the vehicle.
func (s *SPV) Start() { s.m, s.cost, s.pnl, s.closed, s.announced = 0, 0, 0, -1, -1 }

// Adjust records the announcement and, until expiry, applies its effect on theta.
func (s *SPV) Adjust(d Day, c *Conditions) {
	if d.T >= s.P.TExp {
		return
	}
	s.announced = announceDay(s.announced, d, s.P.Trigger)
	if s.announced >= 0 && s.P.AnnounceTheta != 1 {
		c.Theta *= s.P.AnnounceTheta
	}
}

// Absorb buys bundles while the basis is above the trigger and before expiry.
func (s *SPV) Absorb(d Day) Absorption {
	if d.Basis <= s.P.Trigger || d.T >= s.P.TExp {
		return Absorption{}
	}
	return Absorption{Bundles: max(0, min(d.Sales, s.P.Capacity-s.m)), Discount: s.P.Discount}
}

// Settle adds the day's bundles and, on the expiry day, closes the vehicle.
func (s *SPV) Settle(d Day, a Absorption) {
	s.m += a.Bundles
	s.cost += a.Bundles * (d.Basis + s.P.Discount)
	if d.T == s.P.TExp && s.m > 0 {
		s.pnl = CentralBankShare(s.DB*s.cost/1e4, s.m, s.P.Equity)
		s.m = 0
		s.closed = d.T
	}
}

// CentralBankShare is the central bank's part of an SPV's realized P&L gain ($bn) when it
// holds m ($bn) funded by first-loss equity eq m and a central-bank loan (1 - eq) m: a
// gain is shared in proportion to funding, (1 - eq) gain; a loss falls on the equity
// first, and the central bank bears only what exceeds eq m.
func CentralBankShare(gain, m, eq float64) float64 {
	if gain >= 0 {
		return (1 - eq) * gain
	}
	return min(0, gain+eq*m)
}

// Sheet reports the vehicle's holdings M (the central bank's exposure is the loan, (1 - eq) M),
// a DV01 of exactly 0 and the central bank's P&L realized at the close.
func (s *SPV) Sheet() Sheet {
	return Sheet{Holdings: s.m, PnL: s.pnl, ClosedDay: s.closed}
}

// WakeBasis implements Dormancy: the spv does nothing until the basis first exceeds its
// trigger.
func (s *SPV) WakeBasis() (float64, bool) { return s.P.Trigger, true }
