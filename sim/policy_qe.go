package sim

import "fmt"

// qePolicy registers qe (registry.go).
var qePolicy = PolicySpec{
	Name:        "qe",
	Label:       "qe (outright purchases)",
	Color:       "#0072B2",
	Description: "outright purchases of cash Treasuries while the basis is above a trigger",
	Holdings:    "qe holdings (outright)",
	New:         func(c *Config) Policy { return &QE{P: c.QE} },
	Validate:    validateQE,
}

// QEParams are the outright-purchase parameters of docs/model.md section 5.
type QEParams struct {
	Trigger float64 `yaml:"trigger"` // buys while the basis exceeds this, bp
	Weekly  float64 `yaml:"weekly"`  // purchases per week W, $bn (a day buys W/5)
	QMax    float64 `yaml:"q_max"`   // cap on total purchases, $bn
	DQ      float64 `yaml:"d_q"`     // duration of purchased Treasuries, years
	Lag     int     `yaml:"lag"`     // days from the announcement (first trigger) to the first purchase
	// AnnounceTheta multiplies the funds' voluntary selling speed theta from the
	// announcement on: 1 is no announcement effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
	// Source is where outright purchases come from: QESales (docs/model.md) buys only from the
	// day's fund sales, P_t <= S; QEMarket buys from the market, the funds' net sales and
	// the dealers' inventory, P_t <= max(S - R, 0) + I_t, as the Fed did in March 2020.
	Source string `yaml:"source"`
	// Schedule, when not empty, replaces Weekly/5 by a daily cap per day of the programme:
	// Schedule[i] on the i-th business day from the first purchase day (announcement +
	// Lag), the last entry from then on (docs/model-extensions.md).
	Schedule []float64 `yaml:"schedule"`
}

// Values of QEParams.Source.
const (
	QESales  = "sales"
	QEMarket = "market"
)

// validateQE checks the qe: block.
func validateQE(c *Config, v *Validator) {
	v.Finite("qe.trigger", c.QE.Trigger)
	v.NonNegative("qe.weekly", c.QE.Weekly)
	v.AtMost("qe.weekly", c.QE.Weekly, maxBn)
	v.NonNegative("qe.q_max", c.QE.QMax)
	v.AtMost("qe.q_max", c.QE.QMax, maxBn)
	v.NonNegative("qe.d_q", c.QE.DQ)
	v.IntMin("qe.lag", c.QE.Lag, 0)
	v.AnnounceTheta("qe.announce_theta", c.QE.AnnounceTheta)
	v.Check("qe.source", c.QE.Source, c.QE.Source == QESales || c.QE.Source == QEMarket,
		"use "+QESales+" (buys only from the day's fund sales, docs/model.md) or "+QEMarket+" (from fund sales and dealer inventory)")
	for i, x := range c.QE.Schedule {
		v.NonNegative(fmt.Sprintf("qe.schedule[%d]", i), x)
	}
}

// QE is outright purchases of cash Treasuries: while b_t > trigger it buys
// P_t = min(S, W/5, Q_max - Q_t) (with Source "market", S is replaced by what the market
// holds for sale: max(S - R, 0) + I_t, the funds' net sales and the dealers' inventory).
// It absorbs only the cash leg, holds to the horizon and carries the duration risk: rate
// P&L -D_q Q_{t+1} dy_t / 1e4 per day.
//
// Other sellers' outright sales O_t (docs/model-extensions.md) are cash it may buy: S
// becomes S + O_t, and max(S - R, 0) becomes max(S - R + O_t, 0). With a Schedule, the
// day's cap W/5 becomes Schedule[t - first purchase day] (the last entry after the list).
//
// It is announced on the first day b_t > trigger and buys from Lag days later on (Lag 0
// is docs/model.md); from the announcement on, theta is multiplied by AnnounceTheta.
//
// The lockstep simulator runs a vector form of Adjust, Absorb and Settle on 8 paths at
// once (laneGroup.adjustBooks, absorbBooks and settleBooks in lanes_simd.go): a change
// here needs the same change there (TestLanesEqualScalar compares the two bit for bit).
type QE struct {
	P         QEParams
	q         float64 // holdings Q, $bn
	p         float64 // cumulative rate P&L, $bn
	announced int     // announcement day, -1 before
}

// Start empties the book.
func (q *QE) Start() { q.q, q.p, q.announced = 0, 0, -1 }

// Adjust records the announcement and applies its effect on theta.
func (q *QE) Adjust(d Day, c *Conditions) {
	q.announced = announceDay(q.announced, d, q.P.Trigger)
	if q.announced >= 0 && q.P.AnnounceTheta != 1 {
		c.Theta *= q.P.AnnounceTheta
	}
}

// Absorb buys cash while the basis is above the trigger, once the lag has passed.
func (q *QE) Absorb(d Day) Absorption {
	if d.Basis <= q.P.Trigger || q.announced < 0 || d.T < q.announced+q.P.Lag {
		return Absorption{}
	}
	available := d.Sales + d.Other // docs/model.md: only what is sold today
	if q.P.Source == QEMarket {
		available = max(d.Sales-d.Reentry+d.Other, 0) + d.Dealers
	}
	daily := q.P.Weekly / 5
	if n := len(q.P.Schedule); n > 0 {
		daily = q.P.Schedule[min(d.T-q.announced-q.P.Lag, n-1)]
	}
	buy := min(available, min(daily, q.P.QMax-q.q))
	return Absorption{Cash: max(0, buy)}
}

// Settle adds the purchase and the day's rate P&L on the new holdings.
func (q *QE) Settle(d Day, a Absorption) {
	q.q += a.Cash
	q.p -= q.P.DQ * q.q * d.DY / 1e4
}

// Sheet reports holdings, DV01 = D_q Q 1e-4 and the cumulative rate P&L.
func (q *QE) Sheet() Sheet {
	return Sheet{Holdings: q.q, DV01: q.P.DQ * q.q * 1e-4, PnL: q.p, ClosedDay: -1}
}

// WakeBasis implements Dormancy: qe does nothing until the basis first exceeds its trigger.
func (q *QE) WakeBasis() (float64, bool) { return q.P.Trigger, true }
