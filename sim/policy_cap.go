package sim

// capPolicy registers cap (registry.go).
var capPolicy = PolicySpec{
	Name:        "cap",
	Label:       "cap (basis-cap facility)",
	Color:       "#000000",
	Description: "a standing facility buying the bundles that would carry the basis above a level",
	Holdings:    "cap holdings (bundles)",
	New:         func(c *Config) Policy { return newCap(c) },
	Validate:    validateCap,
}

// CapParams are the standing basis-cap facility's parameters: it buys the hedged bundles
// that would carry the basis above Level, at the price of a basis of Level + Penalty.
type CapParams struct {
	Level    float64 `yaml:"level"`    // the basis the facility defends, bp
	Penalty  float64 `yaml:"penalty"`  // it pays the bundle price at a basis of level + penalty, bp
	Capacity float64 `yaml:"capacity"` // cap on bundle holdings, $bn
	TExp     int     `yaml:"t_exp"`    // first futures expiry: bundles bought before it are delivered on it
	Roll     int     `yaml:"roll"`     // days between futures expiries (63: quarterly)
	// AnnounceTheta multiplies theta on every day, the facility being standing: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// validateCap checks the cap: block.
func validateCap(c *Config, v *Validator) {
	v.Finite("cap.level", c.Cap.Level)
	v.NonNegative("cap.penalty", c.Cap.Penalty)
	v.NonNegative("cap.capacity", c.Cap.Capacity)
	v.AtMost("cap.capacity", c.Cap.Capacity, maxBn)
	v.IntMin("cap.t_exp", c.Cap.TExp, 0)
	v.IntMin("cap.roll", c.Cap.Roll, 1)
	v.AnnounceTheta("cap.announce_theta", c.Cap.AnnounceTheta)
}

// Cap is a standing basis-cap facility: it stands ready to buy hedged bundles at the price
// of a basis of level + penalty, so the market basis cannot be pushed above level. Each day
// it buys the part of the funds' net sales that would carry the basis, before the day's
// noise, above level:
//
//	A_t = min(S, C - M_t, max(0, S - R - (level - (1 - k) b_t) / (lambda_t (w_c + w_f))))
//
// which leaves (1 - k) b_t + push_t <= level whenever capacity and sales allow. Other
// sellers' outright sales O_t (docs/model-extensions.md) push the basis through the cash
// leg only and are not bundles it may buy: they add w_c O_t / (w_c + w_f) to the excess,
// which the facility offsets with more of the funds' bundles, still at most S. Its sellers
// give up level + penalty - b_t per $ against the day's opening mark.
//
// The bundles are hedged (DV01 exactly 0). Like the spv, a bundle is delivered into the
// futures at expiry, where the basis converges to 0: bundles bought before the first
// expiry t_exp are delivered on it, realizing D_b sum(A_t (level + penalty)) / 1e4. Unlike
// the spv the facility is standing: from t_exp on it buys bundles of the next contract,
// delivered roll days later.
type Cap struct {
	P      CapParams
	DB     float64 // D_b, bundle price sensitivity to the basis, years
	keep   float64 // 1 - k, the share of the basis that survives a day
	weight float64 // w_c + w_f: a bundle moves the basis through both legs
	cash   float64 // w_c / (w_c + w_f): an outright sale moves it through the cash leg only
	m      float64 // holdings M, $bn (one contract's bundles at a time)
	cost   float64 // sum of A_t (level + penalty) over the holdings, $bn bp
	expiry int     // the delivery day of the holdings' contract
	pnl    float64 // realized P&L, $bn
	closed int     // first delivery day, -1 before
}

func newCap(c *Config) *Cap {
	w := c.Market.WC + c.Market.WF
	cash := 0.0
	if w > 0 {
		cash = c.Market.WC / w
	}
	return &Cap{P: c.Cap, DB: c.Funds.DB, keep: 1 - c.Market.K, weight: w, cash: cash}
}

// Start empties the facility.
func (c *Cap) Start() { c.m, c.cost, c.expiry, c.pnl, c.closed = 0, 0, c.P.TExp, 0, -1 }

// Adjust applies the announcement effect on every day: the facility stands from day 0.
func (c *Cap) Adjust(_ Day, cond *Conditions) {
	if c.P.AnnounceTheta != 1 {
		cond.Theta *= c.P.AnnounceTheta
	}
}

// Absorb buys the net sales that would push the basis above the level.
func (c *Cap) Absorb(d Day) Absorption {
	perBN := d.Impact * c.weight // basis push per $bn of net bundle sales
	if perBN <= 0 {
		return Absorption{}
	}
	excess := d.Sales - d.Reentry + c.cash*d.Other - (c.P.Level-c.keep*d.Basis)/perBN
	a := min(excess, d.Sales, c.P.Capacity-c.m)
	if a <= 0 {
		return Absorption{}
	}
	return Absorption{Bundles: a, Discount: c.P.Level + c.P.Penalty - d.Basis}
}

// Settle delivers the holdings on their expiry day, then adds the day's bundles (of the
// next contract, on an expiry day).
func (c *Cap) Settle(d Day, a Absorption) {
	if d.T == c.expiry {
		if c.m > 0 {
			c.pnl += c.DB * c.cost / 1e4
			c.m, c.cost = 0, 0
			if c.closed < 0 {
				c.closed = d.T
			}
		}
		c.expiry += c.P.Roll
	}
	c.m += a.Bundles
	c.cost += a.Bundles * (c.P.Level + c.P.Penalty)
}

// Sheet reports holdings, a DV01 of exactly 0, the P&L realized at deliveries and the
// first delivery day.
func (c *Cap) Sheet() Sheet {
	return Sheet{Holdings: c.m, PnL: c.pnl, ClosedDay: c.closed}
}
