package sim

// QE is outright purchases of cash Treasuries: while b_t > trigger it buys
// P_t = min(S, W/5, Q_max - Q_t). It absorbs only the cash leg, holds to the horizon and
// carries the duration risk: rate P&L -D_q Q_{t+1} dy_t / 1e4 per day.
type QE struct {
	P QEParams
	q float64 // holdings Q, $bn
	p float64 // cumulative rate P&L, $bn
}

// Name returns "qe".
func (*QE) Name() string { return "qe" }

// Start empties the book.
func (q *QE) Start() { q.q, q.p = 0, 0 }

// Adjust leaves conditions as they are.
func (*QE) Adjust(Day, *Conditions) {}

// Absorb buys cash while the basis is above the trigger.
func (q *QE) Absorb(d Day) Absorption {
	if d.Basis <= q.P.Trigger {
		return Absorption{}
	}
	buy := min(d.Sales, min(q.P.Weekly/5, q.P.QMax-q.q))
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
