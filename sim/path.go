package sim

import "math"

// Simulator runs one policy over one path's shocks. It owns scratch space, so it does not
// allocate per path, and is not safe for concurrent use: give each worker its own.
type Simulator struct {
	m     *Model
	funds funds
	cond  Conditions // kept here so passing it to Policy.Adjust does not allocate
}

// NewSimulator returns a Simulator for m.
func (m *Model) NewSimulator() *Simulator {
	return &Simulator{m: m, funds: newFunds(m.cfg.Funds.NFunds)}
}

// DayFlows is one day's flows, reported to a Trace for tests and diagnostics.
type DayFlows struct {
	Sales, Reentry, Forced         float64 // S, R and the forced part of S, $bn
	Absorption                             // P_t or A_t
	CashToMarket, FuturesToMarket  float64 // X^c_t, X^f_t
	InventoryBefore, InventoryNext float64 // I_t, I_{t+1}
	Basis, BasisNext               float64 // b_t, b_{t+1}
	Push, Concession               float64
	Positions, Equity              []float64 // B_j and E_j after the day
	Sheet                          Sheet
	Conditions                     Conditions // after the policy's Adjust
}

// Trace collects DayFlows when passed to Run.
type Trace struct{ Days []DayFlows }

// Run simulates pol on sh, following the step order of MODEL.md section 6, and writes the
// section 7 metrics into res.Values. When days is non-nil it must have NumSeries*T
// elements and receives the series (days[s*T+t]); when trace is non-nil it receives every
// day's flows.
func (s *Simulator) Run(sh *Shocks, pol Policy, res *Result, days []float64, trace *Trace) {
	m := s.m
	cfg := &m.cfg
	T := len(sh.Sigma)
	fp, mp := &cfg.Funds, &cfg.Market
	f := &s.funds
	f.reset(m)
	pol.Start()
	mkt := market{basis: mp.BInit, prevBasis: mp.BInit}

	equity0 := f.totalEquity()
	var (
		peakVol, peakF, peakBasis       = 0.0, 0.0, math.Inf(-1)
		auc, forcedTotal, salesTotal    float64
		minEquity                       = math.Inf(1)
		peakHoldings, peakDV01, peakUtl float64
		dysDays                         int
	)
	for t := 0; t < T; t++ {
		// 1. Conditions from the shocks and b; every fund's S_j and R_j.
		F := sh.F[t]
		cond := &s.cond
		*cond = Conditions{
			Haircut:  fp.H0 + fp.KappaH*F,
			Margin:   sh.Margin[t],
			Spread:   fp.Spread0 + fp.KappaS*F,
			Capacity: mp.K0 / (1 + mp.KappaK*F),
			Theta:    fp.Theta,
		}
		day := Day{T: t, Basis: mkt.basis, Position: f.held, DY: sh.DY[t]}
		pol.Adjust(day, cond)
		r := cond.Haircut + cond.Margin
		sb := cfg.Shocks.Omega*sh.Sigma[t] + math.Abs(mkt.basis-mkt.prevBasis)
		sales, reentry, forced := f.decide(m, r, sb, cond.Theta, mkt.basis)

		// 2. The policy's absorption, which may depend on the day's impact lambda_t (from I_t
		// and K_t, both known before trading); net flows to the market.
		lambda := mkt.impact(mp, cond.Capacity)
		day.Sales, day.Reentry, day.Impact, day.Dealers = sales, reentry, lambda, mkt.inventory
		a := pol.Absorb(day)
		net := sales - reentry
		xc := net - a.Cash - a.Bundles
		xf := net - a.Bundles

		// 3. The push, the basis and dealer inventory.
		basis, inventory := mkt.basis, mkt.inventory
		push, concession := mkt.clear(mp, lambda, xc, xf, sh.Noise[t])

		// 4. Funds trade, mark to market, pay for their sales, earn carry; defaults.
		toPolicy := 0.0
		if sales > 0 {
			toPolicy = a.Bundles / sales
		}
		carry := (fp.Carry - cond.Spread) / (252 * 1e4)
		equity, defaultDay := f.settle(m, mkt.basis-basis, toPolicy, a.Discount, concession, carry)
		if m.defaultDayForced {
			forced += defaultDay
		}

		// 5. The central bank's books.
		pol.Settle(day, a)
		sheet := pol.Sheet()

		// 6. Record the day.
		utilization := mkt.inventory / cond.Capacity
		peakVol = max(peakVol, sh.Sigma[t])
		peakF = max(peakF, F)
		peakBasis = max(peakBasis, mkt.basis)
		auc += max(mkt.basis, 0)
		if mkt.basis > mp.BDys {
			dysDays++
		}
		forcedTotal += forced
		salesTotal += sales
		minEquity = min(minEquity, equity)
		peakHoldings = max(peakHoldings, sheet.Holdings)
		peakDV01 = max(peakDV01, sheet.DV01)
		peakUtl = max(peakUtl, utilization)
		if days != nil {
			days[int(SeriesBasis)*T+t] = mkt.basis
			days[int(SeriesSales)*T+t] = sales
			days[int(SeriesCBHoldings)*T+t] = sheet.Holdings
			days[int(SeriesDealerUtilization)*T+t] = utilization
			days[int(SeriesHFEquity)*T+t] = equity
		}
		if trace != nil {
			trace.Days = append(trace.Days, DayFlows{
				Sales: sales, Reentry: reentry, Forced: forced, Absorption: a,
				CashToMarket: xc, FuturesToMarket: xf,
				InventoryBefore: inventory, InventoryNext: mkt.inventory,
				Basis: basis, BasisNext: mkt.basis, Push: push, Concession: concession,
				Positions:  append([]float64(nil), f.pos...),
				Equity:     append([]float64(nil), f.equity...),
				Sheet:      sheet,
				Conditions: *cond,
			})
		}
	}
	sheet := pol.Sheet()
	v := &res.Values
	v[StressJump] = sh.Jump
	v[PeakVolBP] = peakVol
	v[PeakFundingStress] = peakF
	v[PeakBasisBP] = peakBasis
	v[BasisAUCBPDays] = auc
	v[DaysDysfunction] = float64(dysDays)
	v[ForcedSalesBN] = forcedTotal
	v[TotalSalesBN] = salesTotal
	v[HFEquityMinBN] = minEquity
	v[HFLossBN] = equity0 - f.totalEquity()
	v[FundsDefaulted] = float64(f.defaulted)
	v[PeakCBHoldingsBN] = peakHoldings
	v[CBDV01PeakBNPerBP] = peakDV01
	v[CBPnLBN] = sheet.PnL
	v[SPVClosedDay] = float64(sheet.ClosedDay)
	v[PeakDealerUtilization] = peakUtl
}
