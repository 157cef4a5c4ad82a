package sim

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
type QE struct {
	P         QEParams
	q         float64 // holdings Q, $bn
	p         float64 // cumulative rate P&L, $bn
	announced int     // announcement day, -1 before
}

// Name returns "qe".
func (*QE) Name() string { return "qe" }

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
