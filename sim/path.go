package sim

import (
	"math"
	"sync"
)

// Simulator runs one policy over one path's shocks. It owns scratch space, so it does not
// allocate per path, and is not safe for concurrent use: give each worker its own.
type Simulator struct {
	m        *Model
	funds    funds
	cond     Conditions // kept here so passing it to Policy.Adjust does not allocate
	snaps    snapshots  // RunAll's states of the no-policy path on the days policies wake
	levels   []float64  // RunAll's scratch: each policy's wake level
	capacity []float64  // K_t = K0 / (1 + kappa_K F_t) of the path's days, before policies
	other    []float64  // O_t, the other sellers' sales of the path's days (sellers on only)
	repo     []float64  // L_t, repo lending capacity of the path's days (repo rationed only)
	// The path's largest sigma_t and F_t, the same under every policy (from 0: the maximum
	// as a running max over the days would give it).
	peakVol, peakF float64
}

// prepare computes what every policy's pass over sh shares.
func (s *Simulator) prepare(sh *Shocks) {
	mp := &s.m.cfg.Market
	s.capacity = s.capacity[:0]
	for _, F := range sh.F {
		s.capacity = append(s.capacity, mp.K0/(1+mp.KappaK*F))
	}
	if s.m.sellers {
		s.other = s.m.otherSales(sh, s.other)
	}
	if s.m.repoLimited {
		s.repo = s.m.repoCapacity(sh, s.repo)
	}
	s.peakVol, s.peakF = peak(sh.Sigma), peak(sh.F)
}

// NewSimulator returns a Simulator for m.
func (m *Model) NewSimulator() *Simulator {
	return &Simulator{m: m, funds: newFunds(m.cfg.Funds.NFunds)}
}

// DayFlows is one day's flows, reported to a Trace for tests and diagnostics.
type DayFlows struct {
	Sales, Reentry, Forced         float64 // S, R and the forced part of S, $bn
	Other                          float64 // O_t, the other sellers' outright sales, $bn
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
type Trace struct {
	Days []DayFlows
	// spare is the storage of the days' Positions and Equity that Reset released, taken
	// again by the next path's days, so that a reused trace does not allocate per day.
	spare [][]float64
}

// Reset empties the trace for another path and keeps its storage: the days Run records
// next reuse the Positions and Equity slices of the days recorded before, so a caller
// that keeps those must copy them before. A trace that is never Reset allocates them.
func (tr *Trace) Reset() {
	for _, d := range tr.Days {
		tr.spare = append(tr.spare, d.Positions, d.Equity)
	}
	tr.Days = tr.Days[:0]
}

// copyOf returns a copy of x (nil for an empty x), in storage Reset released when some
// is left.
func (tr *Trace) copyOf(x []float64) []float64 {
	if k := len(tr.spare); k > 0 && len(x) > 0 {
		s := tr.spare[k-1]
		tr.spare = tr.spare[:k-1]
		if cap(s) >= len(x) {
			return append(s[:0], x...)
		}
	}
	return append([]float64(nil), x...)
}

// pathState is what carries from one day of a path to the next besides the funds: the
// market and the running outputs.
type pathState struct {
	mkt                                     market
	equity0                                 float64
	peakBasis                               float64
	auc, forcedTotal, salesTotal, minEquity float64
	peakHoldings, peakDV01, peakUtl         float64
	otherTotal, positionCut                 float64
	dysDays                                 int
}

// addDay adds a day to the running outputs: the end-of-day basis b_{t+1} and the
// dysfunction threshold, the day's forced and total sales, the funds' equity, the dealers'
// utilization and the central bank's sheet. Simulator.steps and the lockstep simulator
// (lanes.go) both record a day through it.
func (acc *pathState) addDay(basis, bDys, forced, sales, equity, utilization float64, sheet *Sheet) {
	acc.peakBasis = max(acc.peakBasis, basis)
	acc.auc += max(basis, 0)
	if basis > bDys {
		acc.dysDays++
	}
	acc.forcedTotal += forced
	acc.salesTotal += sales
	acc.minEquity = min(acc.minEquity, equity)
	acc.peakHoldings = max(acc.peakHoldings, sheet.Holdings)
	acc.peakDV01 = max(acc.peakDV01, sheet.DV01)
	acc.peakUtl = max(acc.peakUtl, utilization)
}

// recordSeries writes day t's values of the series (SeriesTable's order) into days, laid
// out days[s*T+t].
func recordSeries(days []float64, T, t int, basis, sales, holdings, utilization, equity float64) {
	days[int(SeriesBasis)*T+t] = basis
	days[int(SeriesSales)*T+t] = sales
	days[int(SeriesCBHoldings)*T+t] = holdings
	days[int(SeriesDealerUtilization)*T+t] = utilization
	days[int(SeriesHFEquity)*T+t] = equity
}

// snapshots keep the state of a path at the start of the days other policies wake on, funds
// included, so that those policies can start from there (see RunAll).
type snapshots struct {
	snapshotStorage

	levels []float64 // per policy, the opening basis above which it wakes (+Inf: never, -Inf: on day 0)
	wake   []int     // per policy, the first day whose opening basis is above its level, or T
	next   float64   // the lowest level of a policy not yet awake
	used   int       // the slots saved in since arm
}

// snapshotStorage is where snapshots keep the days' states, a slot for each day saved, in
// the order saved: a path saves a day or two (one for each wake level its basis passes),
// and slots by day spread a batch's few saves over some 25 kB a path, which the lockstep
// simulator's saves and joins then missed in the cache. A day is saved before it is
// restored, so storage that held other paths' days (or another model's) serves as well
// as new storage.
type snapshotStorage struct {
	states                 []pathState
	pos, equity, atDefault []float64 // slot i's funds at [i*n : (i+1)*n]
	held                   []float64
	defaulted              []int
	day                    []int // slot i's day
}

// snapshotPool keeps the snapshot storage of samplers' workers once they are done
// (snapshots.release), for the workers of the next: designs and calibrations run
// thousands of evaluations of a few thousand paths, each with new workers, and the
// snapshots were most of what such an evaluation allocated.
var snapshotPool sync.Pool // of *snapshotStorage

// ensure makes room for T days of n funds: the storage kept, else some from the pool, else
// new.
func (sn *snapshots) ensure(T, n int) {
	if len(sn.states) >= T && len(sn.pos) >= T*n {
		return
	}
	if st, ok := snapshotPool.Get().(*snapshotStorage); ok && len(st.states) >= T && len(st.pos) >= T*n {
		sn.snapshotStorage = *st
		return
	}
	sn.states = make([]pathState, T)
	sn.pos, sn.equity, sn.atDefault = make([]float64, T*n), make([]float64, T*n), make([]float64, T*n)
	sn.held, sn.defaulted, sn.day = make([]float64, T), make([]int, T), make([]int, T)
}

// take returns the slot that day t is saved in: the next free one (a day is saved at
// most once a path: the save wakes the policies below the day's basis, and the next
// level is above it).
func (sn *snapshots) take(t int) int {
	i := sn.used
	sn.used++
	sn.day[i] = t
	return i
}

// slot returns the slot day t was saved in, which must be one since arm: the only day a
// policy wakes on is one saved (advance, right after the save).
func (sn *snapshots) slot(t int) int {
	i := sn.used - 1
	for i > 0 && sn.day[i] != t {
		i--
	}
	return i
}

// release gives the storage to snapshotPool; sn is empty after.
func (sn *snapshots) release() {
	if sn.states == nil {
		return
	}
	st := sn.snapshotStorage
	sn.snapshotStorage = snapshotStorage{}
	snapshotPool.Put(&st)
}

// arm sets up the wake levels (+Inf for a policy that is never woken this way) of a path
// of T days.
func (sn *snapshots) arm(levels []float64, T int) {
	sn.levels = levels
	sn.used = 0
	sn.wake = sn.wake[:0]
	sn.next = math.Inf(1)
	for _, l := range levels {
		sn.wake = append(sn.wake, T)
		sn.next = min(sn.next, l)
	}
}

// wakeAt records that the policies whose level is below basis, the opening basis of day t,
// wake on day t, saves the state there and moves next to the lowest level still asleep.
func (sn *snapshots) wakeAt(t int, basis float64, st *pathState, f *funds) {
	sn.save(t, st, f)
	sn.advance(t, basis)
}

// advance records that the policies whose level is below basis, the opening basis of day
// t, wake on day t, and moves next to the lowest level still asleep.
func (sn *snapshots) advance(t int, basis float64) {
	sn.next = math.Inf(1)
	for k, l := range sn.levels {
		switch {
		case sn.wake[k] < t:
		case basis > l:
			if sn.wake[k] > t {
				sn.wake[k] = t
			}
		default:
			sn.next = min(sn.next, l)
		}
	}
}

// save keeps the state at the start of day t, st and f, in a slot of its own.
func (sn *snapshots) save(t int, st *pathState, f *funds) {
	n := len(f.pos)
	i := sn.take(t)
	sn.states[i] = *st
	copy(sn.pos[i*n:(i+1)*n], f.pos)
	copy(sn.equity[i*n:(i+1)*n], f.equity)
	copy(sn.atDefault[i*n:(i+1)*n], f.atDefault)
	sn.held[i], sn.defaulted[i] = f.held, f.defaulted
}

// restore puts the funds saved on day t into f and returns the state saved with them.
func (sn *snapshots) restore(t int, f *funds) pathState {
	n := len(f.pos)
	i := sn.slot(t)
	copy(f.pos, sn.pos[i*n:(i+1)*n])
	copy(f.equity, sn.equity[i*n:(i+1)*n])
	copy(f.atDefault, sn.atDefault[i*n:(i+1)*n])
	f.held, f.defaulted = sn.held[i], sn.defaulted[i]
	return sn.states[i]
}

// Run simulates pol on sh, following the step order of docs/model.md section 6, and writes the
// section 7 metrics into res.Values. When days is non-nil it must have NumSeries*T
// elements and receives the series (days[s*T+t]); when trace is non-nil it receives every
// day's flows.
func (s *Simulator) Run(sh *Shocks, pol Policy, res *Result, days []float64, trace *Trace) {
	s.prepare(sh)
	st := s.begin(pol)
	s.steps(sh, pol, &st, 0, days, trace, nil)
	s.end(sh, pol, &st, res)
}

// Dormancy is implemented by a policy that does nothing, changing no condition and
// buying or booking nothing, on every day until the first whose opening basis b_t is above
// its wake level. Until that day a path under it is the path under none, which RunAll
// uses to simulate those days once for every such policy.
type Dormancy interface {
	// WakeBasis returns the wake level, bp, and false if the policy is never dormant (it
	// acts from day 0, or on something else than the basis).
	WakeBasis() (float64, bool)
}

// RunAll runs every policy of pols on the same shocks sh (common random numbers) into
// res[k] and days[k] (nil, or NumSeries*T elements each), with the results of Run. When
// pols include none, the no-policy path is simulated once and every dormant policy (see
// Dormancy) starts from the day it first wakes, from a snapshot of that path; a policy
// that never wakes gets none's results. Either way the results are bit for bit those of
// Run, which TestRunAllEqualsRun checks.
func (s *Simulator) RunAll(sh *Shocks, pols []Policy, res []Result, days [][]float64) {
	base := -1
	for k, p := range pols {
		if _, ok := p.(*None); ok {
			base = k
			break
		}
	}
	if base < 0 {
		for k, p := range pols {
			s.Run(sh, p, &res[k], days[k], nil)
		}
		return
	}
	T := len(sh.Sigma)
	s.prepare(sh)
	s.snaps.ensure(T, len(s.funds.pos))
	levels := wakeLevels(s.levels[:0], pols, base)
	s.levels = levels
	s.snaps.arm(levels, T)
	st := s.begin(pols[base])
	s.steps(sh, pols[base], &st, 0, days[base], nil, &s.snaps)
	s.end(sh, pols[base], &st, &res[base])
	for k, p := range pols {
		if k == base {
			continue
		}
		wake := s.snaps.wake[k]
		switch {
		case wake == 0:
			st := s.begin(p)
			s.steps(sh, p, &st, 0, days[k], nil, nil)
			s.end(sh, p, &st, &res[k])
		case wake == T:
			res[k].Values = res[base].Values
			if days[k] != nil {
				copy(days[k], days[base])
			}
		default:
			p.Start()
			st := s.snaps.restore(wake, &s.funds)
			if days[k] != nil {
				for i := 0; i < NumSeries; i++ {
					copy(days[k][i*T:i*T+wake], days[base][i*T:i*T+wake])
				}
			}
			s.steps(sh, p, &st, wake, days[k], nil, nil)
			s.end(sh, p, &st, &res[k])
		}
	}
}

// wakeLevels appends every policy's wake level to levels as RunAll sets them: the opening
// basis above which it wakes, -Inf for one that is never dormant (it wakes below any basis,
// so on day 0), +Inf for the base (the no-policy run itself never needs to).
func wakeLevels(levels []float64, pols []Policy, base int) []float64 {
	for k, p := range pols {
		level := math.Inf(-1)
		if d, ok := p.(Dormancy); ok {
			if l, dormant := d.WakeBasis(); dormant {
				level = l
			}
		}
		if k == base {
			level = math.Inf(1)
		}
		levels = append(levels, level)
	}
	return levels
}

// begin resets the funds and pol for a new path and returns the state before day 0.
func (s *Simulator) begin(pol Policy) pathState {
	m := s.m
	s.funds.reset(m)
	pol.Start()
	return pathState{
		mkt:     market{basis: m.cfg.Market.BInit, prevBasis: m.cfg.Market.BInit},
		equity0: s.funds.totalEquity(), peakBasis: math.Inf(-1), minEquity: math.Inf(1),
	}
}

// steps simulates days from..T-1 of pol on sh from state st (and the funds as they are),
// saving the state at the start of every day into snaps when it is non-nil.
func (s *Simulator) steps(sh *Shocks, pol Policy, st *pathState, from int, days []float64, trace *Trace, snaps *snapshots) {
	m := s.m
	cfg := &m.cfg
	T := len(sh.Sigma)
	fp, mp := &cfg.Funds, &cfg.Market
	f := &s.funds
	// The state is copied in and out as one value: a new output is a field of pathState,
	// its update below (and in laneGroup.record, lanes.go, which mirrors this day) and its
	// line in writeMetrics.
	acc := *st
	mkt := &acc.mkt
	cutDay := min(PositionCutDay, T-1)
	for t := from; t < T; t++ {
		if snaps != nil && mkt.basis > snaps.next {
			snaps.wakeAt(t, mkt.basis, &acc, f)
		}
		// 1. Conditions from the shocks and b; every fund's S_j and R_j.
		F := sh.F[t]
		// Field by field: a composite literal is built on the stack and copied with 16-byte
		// moves that cannot forward from its 8-byte stores, a stall on every policy-day.
		cond := &s.cond
		cond.Haircut = fp.H0 + fp.KappaH*F
		cond.Margin = sh.Margin[t]
		cond.Spread = fp.Spread0 + fp.KappaS*F
		cond.Capacity = s.capacity[t]
		cond.Theta = fp.Theta
		cond.Repo = math.Inf(1)
		if m.repoLimited {
			cond.Repo = s.repo[t]
		}
		day := Day{T: t, Basis: mkt.basis, Position: f.held, DY: sh.DY[t]}
		pol.Adjust(day, cond)
		r := cond.Haircut + cond.Margin
		sb := cfg.Shocks.Omega*sh.Sigma[t] + math.Abs(mkt.basis-mkt.prevBasis)
		sales, reentry, forced := f.decide(m, r, sb, cond.Theta, mkt.basis, cond.Repo/(1-cond.Haircut))

		// 2. The policy's absorption, which may depend on the day's impact lambda_t (from I_t
		// and K_t, both known before trading); net flows to the market.
		// Other sellers' outright sales go to the market's cash leg only.
		lambda := mkt.impact(mp, cond.Capacity)
		other := 0.0
		if m.sellers {
			other = s.other[t]
			acc.otherTotal += other
		}
		day.Sales, day.Reentry, day.Impact, day.Dealers, day.Other = sales, reentry, lambda, mkt.inventory, other
		a := pol.Absorb(day)
		net := sales - reentry
		xc := net + other - a.Cash - a.Bundles
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
		acc.addDay(mkt.basis, mp.BDys, forced, sales, equity, utilization, &sheet)
		if t == cutDay {
			held := 0.0
			for _, b := range f.pos {
				held += b
			}
			acc.positionCut = 1 - held/m.startHeld
		}
		if days != nil {
			recordSeries(days, T, t, mkt.basis, sales, sheet.Holdings, utilization, equity)
		}
		if trace != nil {
			trace.Days = append(trace.Days, DayFlows{
				Sales: sales, Reentry: reentry, Forced: forced, Other: other, Absorption: a,
				CashToMarket: xc, FuturesToMarket: xf,
				InventoryBefore: inventory, InventoryNext: mkt.inventory,
				Basis: basis, BasisNext: mkt.basis, Push: push, Concession: concession,
				Positions:  trace.copyOf(f.pos),
				Equity:     trace.copyOf(f.equity),
				Sheet:      sheet,
				Conditions: *cond,
			})
		}
	}
	*st = acc
}

// end writes the section 7 metrics of the path that ended in state st into res.Values.
func (s *Simulator) end(sh *Shocks, pol Policy, st *pathState, res *Result) {
	f := &s.funds
	writeMetrics(s, sh.Jump, pol.Sheet(), st, f.totalEquity(), f.defaulted, res)
}

// writeMetrics writes the section 7 metrics of a path that ended in state st, with its
// stress jump J and what s.prepare found of its shocks, the central bank's sheet, the
// funds' total equity and the number of funds defaulted, into res.Values.
func writeMetrics(s *Simulator, jump float64, sheet Sheet, st *pathState, equity float64, defaulted int, res *Result) {
	v := &res.Values
	v[StressJump] = jump
	v[PeakVolBP] = s.peakVol
	v[PeakFundingStress] = s.peakF
	v[PeakBasisBP] = st.peakBasis
	v[BasisAUCBPDays] = st.auc
	v[DaysDysfunction] = float64(st.dysDays)
	v[ForcedSalesBN] = st.forcedTotal
	v[TotalSalesBN] = st.salesTotal
	v[HFEquityMinBN] = st.minEquity
	v[HFLossBN] = st.equity0 - equity
	v[FundsDefaulted] = float64(defaulted)
	v[PeakCBHoldingsBN] = st.peakHoldings
	v[CBDV01PeakBNPerBP] = st.peakDV01
	v[CBPnLBN] = sheet.PnL
	v[SPVClosedDay] = float64(sheet.ClosedDay)
	v[PeakDealerUtilization] = st.peakUtl
	v[OtherSalesBN] = st.otherTotal
	v[PositionCut] = st.positionCut
}
