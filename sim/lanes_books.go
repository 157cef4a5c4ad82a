package sim

// The books of qe and spv in every lane of the lockstep simulator (lanes.go), for the
// vector forms of their Adjust, Absorb and Settle (lanes_simd.go), which a pass runs
// instead of calling the policies lane by lane when every lane's policy is a *QE, or
// every lane's a *SPV. A lane's parameters and books are read from its policy when it
// joins the pass and written back at the end, so the policy's Sheet (and any later use)
// sees what its own methods would have left.

// Kinds of laneBooks: how a pass runs its policy.
const (
	booksCalls = iota // the Policy interface, lane by lane
	booksQE           // qe's vector form
	booksSPV          // spv's vector form
)

// laneBooks are a qe's or an spv's parameters and books in every lane.
type laneBooks struct {
	kind      int
	market    uint8 // qe lanes buying from the market (QEMarket)
	schedule  [lanes][]float64
	scheduled uint8 // qe lanes with a schedule
	*bookLanes
}

// bookLanes are laneBooks' vectors, apart (newAligned: on cache lines of their own).
type bookLanes struct {
	// Parameters: the trigger, the theta multiplier, and qe's daily purchases W/5, cap
	// Q_max, duration D_q and lag, or spv's capacity C, discount d and expiry t_exp.
	trigger, announceTheta, daily, qMax, dq, lag, capacity, discount, tExp [lanes]float64
	db, equity                                                             [lanes]float64 // spv's D_b and equity share
	// Books: Q or M, the rate P&L (qe) or the sum of A (b + d) (spv), the day announced
	// and the day closed (spv; -1: not yet), and the day's cap (qe with a schedule).
	held, pnl, cost, announced, closed, today [lanes]float64
}

// booksKind returns how pass k runs its policy on lanes: booksQE or booksSPV where the
// vector kernels run and every lane's policy is one, else booksCalls.
func (g *laneGroup) booksKind(k int, lns uint8) int {
	if !g.vector || lns == 0 {
		return booksCalls
	}
	kind := booksCalls
	for l := 0; l < lanes; l++ {
		if lns>>l&1 == 0 {
			continue
		}
		var this int
		switch g.pols[l][k].(type) {
		case *QE:
			this = booksQE
		case *SPV:
			this = booksSPV
		default:
			return booksCalls
		}
		if kind != booksCalls && this != kind {
			return booksCalls
		}
		kind = this
	}
	return kind
}

// load reads lane l's parameters and books from pol, which has just started.
func (b *laneBooks) load(l int, pol Policy) {
	bit := uint8(1) << l
	switch p := pol.(type) {
	case *QE:
		b.trigger[l], b.announceTheta[l] = p.P.Trigger, p.P.AnnounceTheta
		b.daily[l], b.qMax[l], b.dq[l], b.lag[l] = p.P.Weekly/5, p.P.QMax, p.P.DQ, float64(p.P.Lag)
		b.market &^= bit
		if p.P.Source == QEMarket {
			b.market |= bit
		}
		b.schedule[l] = p.P.Schedule
		b.scheduled &^= bit
		if len(p.P.Schedule) > 0 {
			b.scheduled |= bit
		}
		b.held[l], b.pnl[l], b.announced[l] = p.q, p.p, float64(p.announced)
	case *SPV:
		b.trigger[l], b.announceTheta[l] = p.P.Trigger, p.P.AnnounceTheta
		b.capacity[l], b.discount[l], b.tExp[l] = p.P.Capacity, p.P.Discount, float64(p.P.TExp)
		b.db[l], b.equity[l] = p.DB, p.P.Equity
		b.held[l], b.cost[l], b.pnl[l] = p.m, p.cost, p.pnl
		b.closed[l], b.announced[l] = float64(p.closed), float64(p.announced)
	}
}

// store writes lane l's books back into pol.
func (b *laneBooks) store(l int, pol Policy) {
	switch p := pol.(type) {
	case *QE:
		p.q, p.p, p.announced = b.held[l], b.pnl[l], int(b.announced[l])
	case *SPV:
		p.m, p.cost, p.pnl = b.held[l], b.cost[l], b.pnl[l]
		p.closed, p.announced = int(b.closed[l]), int(b.announced[l])
	}
}

// qeCaps sets today's cap of the qe lanes with a schedule that buy on day t (buying):
// Schedule[t - first purchase day], the last entry after the list (QE.Absorb).
func (b *laneBooks) qeCaps(t int, buying uint8) {
	for l := 0; l < lanes; l++ {
		if (buying&b.scheduled)>>l&1 == 0 {
			continue
		}
		s := b.schedule[l]
		b.today[l] = s[min(t-int(b.announced[l])-int(b.lag[l]), len(s)-1)]
	}
}

// spvClose closes the spv lanes closing on day t (SPV.Settle's close, lane by lane).
func (b *laneBooks) spvClose(t int, closing uint8) {
	for l := 0; l < lanes; l++ {
		if closing>>l&1 == 0 {
			continue
		}
		b.pnl[l] = CentralBankShare(b.db[l]*b.cost[l]/1e4, b.held[l], b.equity[l])
		b.held[l] = 0
		b.closed[l] = float64(t)
	}
}
