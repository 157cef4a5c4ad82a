package sim

import (
	"math"
	"math/bits"
)

// The lockstep simulator: up to lanes paths step through each day together, their funds
// in structure-of-arrays form (laneFund: fund j of every lane) and the rest of their state
// lane by lane ([lane]), so that a day is two 512-bit vector kernels (lanes_simd.go, built
// with GOEXPERIMENT=simd on CPUs with AVX-512): the funds' inputs, their decisions
// (funds.decide, one vector operation per fund for all lanes) and the day's impact
// (market.impact); then the market's clearing (market.clear), the funds' settlement
// (funds.settle) and the running outputs (pathState.addDay). Between them run the
// policies, on the lanes where one acts (not None): qe's and spv's as vector code too
// when every lane runs one of them (lanes_books.go; their Settle, which takes nothing
// from the clearing or the settlement, before these), any other lane by lane through the
// Policy interface. The same steps also have a scalar form, lane by lane through those
// functions, which the tests and CPUs without the vectors run.
// The results are bit for bit those of Simulator.RunAll on each path
// (TestLanesEqualScalar):
//
//   - the vector kernels do the scalar code's operations in the same order and
//     association, without fused multiply-adds, and sum the day's totals fund by fund in
//     fund order, each lane starting from +0 as the scalar loop does;
//   - branches become masks: a defaulted fund, a new default and the calm-market
//     re-entry select their lanes' values instead of skipping them, and a value left out
//     of a total is added as +0, which leaves any sum that started at +0 unchanged;
//   - in the fund loops, VMINPD/VMAXPD differ from Go's min and max only on NaN operands
//     and on a tie of -0 and +0. A tie between zeros can change only the sign of a zero,
//     and in these loops a zero's sign never reaches a magnitude: nothing divides by a
//     fund's value, and every total is a sum that starts at +0, where +0 + -0 = +0. NaN
//     cannot occur in the decisions of a lane whose inputs are finite with the signs
//     checked by usable (capacity and target are then finite or +Inf, never -Inf or NaN)
//     and whose funds are finite; a NaN or infinity that arises in a day shows in that
//     day's totals or in the sum of all funds' equity (check), before any later day uses
//     it. Outside the fund loops (the market, the running outputs) min and max are
//     maxExact and minExact, Go's min and max on every operand but NaN, where they give
//     a NaN too (maybe another one), or, with a constant (a floor, zero), maxWith, Go's
//     max on every operand; the day's check sums the market's state and every
//     value the running outputs take in, so a lane where a NaN or infinity arises is
//     caught on that day. A lane where a check fails is run again, whole, by the scalar
//     Simulator.
//
// RunAll's shortcut is kept, over a batch of paths (batchPaths): the no-policy pass runs
// the batch lanes at a time from day 0 and saves each path's state on the days its
// dormant policies wake; a policy's pass then takes the paths it wakes on by wake day,
// lanes at a time, from the earliest wake day of the lanes, each lane joining on its own
// wake day from its own snapshot (a lane not yet joined computes values nobody reads); a
// path whose policy never wakes takes the no-policy results.
const lanes = 8

// laneFund is one fund in every lane, its state and constants side by side, so that a
// fund loop addresses them all from one pointer.
type laneFund struct {
	pos, equity, atDefault [lanes]float64 // B_j, E_j and B_j at default
	// What the lenders of a defaulted fund sell a day at most, B_j at default / L_days,
	// divided once when the fund defaults (setFund, settleVector) rather than every day.
	liquidation               [lanes]float64
	sales, reentry, voluntary [lanes]float64 // the day's S_j, R_j and voluntary part of S_j (the scalar kernels')
	startB, invBuffer, buffer [lanes]float64 // B_j0, 1 / (1 + u_j) and u_j
}

// laneFunds are the funds of every lane, and the fund loops' per-lane results.
type laneFunds struct {
	fund []laneFund
	// The lanes where fund j is live, E_j > 0, bit l of live[j]: where E_j is not NaN, the
	// complement of the lanes where it is in default, E_j <= 0. Kept with E_j (setFund,
	// the settlement), so that the kernels take their masks from it instead of comparing.
	live     []uint8
	unusable uint8 // the lanes whose inputs the vector kernels cannot take (see usable)
	*laneTotals
}

// laneTotals are the funds' per-lane totals, apart (newAligned: on cache lines of their own).
type laneTotals struct {
	held, defaulted [lanes]float64 // sum of B_j over live funds; funds in default

	bufferScale [lanes]float64 // the buffers' factor of the day (buffer_stress only)
	// The decisions' totals S, R and the forced part of S.
	daySales, dayReentry, dayForced [lanes]float64
	// The settlement's: the dealers' utilization I_{t+1} / K_t, the funds' total equity,
	// the voluntary sales of the funds defaulting, and the sum of every fund's E_j.
	utilization, dayEquity, defaultDay, check [lanes]float64
}

// laneConds are the lanes' Conditions of a day.
type laneConds struct {
	haircut, margin, spread, capacity, theta, repo [lanes]float64
}

// laneDay is what the lanes' shocks make of day t, the same under every policy: the
// conditions before any policy's Adjust, omega sigma_t, dy_t, the basis noise and O_t (0
// without other sellers).
type laneDay struct {
	cond                         laneConds
	omegaSigma, dy, noise, other [lanes]float64
}

// lanePaths is every lane's pathState, field by field, and the values one step of a day
// passes to the next.
type lanePaths struct {
	basis, prevBasis, inventory                            [lanes]float64 // the market
	equity0, peakBasis, auc, forcedTotal, salesTotal       [lanes]float64
	minEquity, peakHoldings, peakDV01, peakUtl, otherTotal [lanes]float64
	positionCut, dysDays                                   [lanes]float64
	next                                                   [lanes]float64 // snapshots.next (no-policy pass)
	cond                                                   laneConds      // after the policies' Adjust, on days one acts
	lambda                                                 [lanes]float64 // the day's impact
	position, dealers                                      [lanes]float64 // B and I_t at the start of the day
	cash, bundles, discount                                [lanes]float64 // the policies' Absorption (0 under none)
	holdings, dv01                                         [lanes]float64 // the policies' Sheet after Settle (0 under none)
	forced                                                 [lanes]float64 // the day's forced sales as recorded
	finite                                                 [lanes]float64 // the sum of the day's values the check looks at
}

// laneConsts are the model's constants in every lane, for the vector kernels to load
// (a broadcast takes two instructions, a load one).
type laneConsts struct {
	zero, one, largest, riskNum, riskDen, startHeld, thetaUp, liquidationDays [lanes]float64
	bDys, lambda0, uMin, wc, wf, bFloor, keep, inventoryKeep, half            [lanes]float64
	db, bp, carry, days, unit                                                 [lanes]float64
	h0, kappaH, spread0, kappaS, k0, kappaK, omega                            [lanes]float64 // the day's conditions (setDay)
}

// laneState is one path of a batch: its shocks, its Simulator (the snapshots and the
// scalar fallback) and the Conditions passed to its policy's Adjust.
type laneState struct {
	sim  *Simulator
	sh   *Shocks // nil when the group reads the batch's draws as they are (laneGroup.src)
	jump float64 // the path's J
	cond Conditions
	// The buffers' factor of each day (buffer_stress only), kept with the capital per $ r it
	// was computed for (bufferKnown: whether it was): every pass asks for the same days,
	// mostly with the same r, and math.Pow is the dearest step of such a day.
	bufferR, bufferScale []float64
	bufferKnown          []bool
}

// bufferScaleAt is m.bufferScale(r) on day t of the lane's path, computed once for each r
// a day is asked for with (compared bit for bit, so the same arguments give the same
// bits as computing it again).
func (ln *laneState) bufferScaleAt(m *Model, t int, r float64) float64 {
	if ln.bufferKnown[t] && math.Float64bits(ln.bufferR[t]) == math.Float64bits(r) {
		return ln.bufferScale[t]
	}
	scale := m.bufferScale(r)
	ln.bufferR[t], ln.bufferScale[t], ln.bufferKnown[t] = r, scale, true
	return scale
}

// batchPaths is the number of paths a laneGroup takes at a time: the no-policy pass runs
// them lanes at a time in their order, and each other policy's pass lanes at a time in the
// order of the days they wake on, so that the lanes of a group wake close together and few
// compute values nobody reads.
const batchPaths = 8 * lanes

// laneGroup steps batches of up to batchPaths paths, lanes at a time in lockstep. It owns
// scratch space and is not safe for concurrent use.
type laneGroup struct {
	m      *Model
	vector bool // the AVX-512 kernels, else the scalar steps lane by lane
	// The lanes' state, its vectors on cache lines of their own (newAligned).
	f    laneFunds
	p    *lanePaths
	c    *laneConsts
	days []laneDay // day t of every lane, from its shocks
	// src, when set, holds the batch's shocks day-major as the vector draws leave them
	// (laneDraws.drawBatch), and the group reads them from there: the paths' Shocks are
	// then not read (they may be nil), but where a path falls back to the scalar
	// Simulator, which gets its Shocks filled from src (into scratch when it is nil).
	// Only with the vector kernels, and without other sellers and repo rationing, whose
	// per-day series are computed from a path's Shocks (useSource).
	src     *laneDraws
	scratch *Shocks
	// Each lane's path: its state, its index in the batch, where its results go and its
	// policies.
	lane   [lanes]*laneState
	idx    [lanes]int
	out    [lanes]*Path
	pols   [lanes][]Policy
	batch  [batchPaths]laneState
	failed [batchPaths]bool // paths to run again with the scalar Simulator
	order  []int            // a pass's paths, by wake day
	class  []int            // the policies whose passes share those groups of lanes
	books  laneBooks        // the pass's qe or spv, when the vector kernels run it
	levels []float64
	bad    uint8 // lanes to run again with the scalar Simulator
	one    funds // the scalar kernel's scratch
	// The funds' total equity at the start of a path, the same on every path.
	startEquity float64
	// Whether the floors the market's kernels take the max with (maxWith) are -0.
	negZero struct{ uMin, bFloor bool }
}

// newLaneGroup returns a laneGroup for m, with the vector kernels where asked for and
// available (vectorLanes), else the scalar ones.
func (m *Model) newLaneGroup(vector bool) *laneGroup {
	n := m.cfg.Funds.NFunds
	fp, mp := &m.cfg.Funds, &m.cfg.Market
	g := &laneGroup{m: m, vector: vector && vectorLanes(), one: newFunds(n), days: newAlignedSlice[laneDay](m.Days())}
	g.p, g.c, g.books.bookLanes = newAligned[lanePaths](), newAligned[laneConsts](), newAligned[bookLanes]()
	f := &g.f
	f.fund, f.live, f.laneTotals = newAlignedSlice[laneFund](n), make([]uint8, n), newAligned[laneTotals]()
	for j := range f.fund {
		fj := &f.fund[j]
		for l := 0; l < lanes; l++ {
			fj.startB[l], fj.invBuffer[l], fj.buffer[l] = m.startB[j], m.invBuffer[j], m.buffer[j]
		}
	}
	c := g.c
	for l := 0; l < lanes; l++ {
		c.zero[l], c.one[l], c.largest[l] = 0, 1, math.MaxFloat64
		c.riskNum[l], c.riskDen[l] = 1e4*fp.V, fp.DB*fp.Alpha
		c.startHeld[l], c.thetaUp[l], c.liquidationDays[l] = m.startHeld, fp.ThetaUp, float64(fp.LDays)
		c.bDys[l], c.lambda0[l], c.uMin[l], c.wc[l], c.wf[l], c.bFloor[l] = mp.BDys, mp.Lambda0, mp.UMin, mp.WC, mp.WF, mp.BFloor
		c.keep[l], c.inventoryKeep[l], c.half[l] = 1-mp.K, 1-mp.Delta, 0.5
		c.db[l], c.bp[l], c.carry[l], c.days[l], c.unit[l] = fp.DB, 1e4, fp.Carry, 252*1e4, 1
		c.h0[l], c.kappaH[l], c.spread0[l], c.kappaS[l] = fp.H0, fp.KappaH, fp.Spread0, fp.KappaS
		c.k0[l], c.kappaK[l], c.omega[l] = mp.K0, mp.KappaK, m.cfg.Shocks.Omega
	}
	// Conditions that do not depend on the shocks, in every lane for good.
	for t := range g.days {
		d := &g.days[t]
		for l := 0; l < lanes; l++ {
			d.cond.theta[l], d.cond.repo[l] = fp.Theta, math.Inf(1)
		}
	}
	for i := range g.batch {
		g.batch[i].sim = m.NewSimulator()
	}
	// As Simulator.begin computes it.
	start := newFunds(n)
	start.reset(m)
	g.startEquity = start.totalEquity()
	g.negZero.uMin, g.negZero.bFloor = math.Float64bits(mp.UMin) == 1<<63, math.Float64bits(mp.BFloor) == 1<<63
	return g
}

// setLane puts path i of the batch (paths[i], with policies pols[i]) in lane l.
func (g *laneGroup) setLane(l, i int, paths []Path, pols [][]Policy) {
	g.lane[l], g.idx[l], g.out[l], g.pols[l] = &g.batch[i], i, &paths[i], pols[i]
}

// useSource reports whether a group of m with the vector kernels or without (vector) can
// read a batch's shocks day-major from the draws (laneGroup.src).
func (m *Model) useSource(vector bool) bool {
	return vector && vectorLanes() && useDrawVector && !m.sellers && !m.repoLimited
}

// preparePath computes what every pass over path i of the batch shares, as
// Simulator.prepare does (but the dealer capacities, which load and loadVector compute),
// from its Shocks sh, or from g.src where that is set (peaksSource has then found the
// peaks).
func (g *laneGroup) preparePath(i int, sh *Shocks) {
	m := g.m
	ln := &g.batch[i]
	s := ln.sim
	if g.src != nil {
		ln.sh, ln.jump = nil, g.src.jump[i]
		if m.bufferStress {
			ln.resetBuffers(m.Days())
		}
		return
	}
	ln.sh, ln.jump = sh, sh.Jump
	if g.vector {
		s.peakVol, s.peakF = peaksVector(sh.Sigma), peaksVector(sh.F)
	} else {
		s.peakVol, s.peakF = peak(sh.Sigma), peak(sh.F)
	}
	if m.sellers {
		s.other = m.otherSales(sh, s.other)
	}
	if m.repoLimited {
		s.repo = m.repoCapacity(sh, s.repo)
	}
	if m.bufferStress {
		ln.resetBuffers(len(sh.Sigma))
	}
}

// resetBuffers forgets the buffers' factors of a path of T days (bufferScaleAt).
func (ln *laneState) resetBuffers(T int) {
	if len(ln.bufferKnown) < T {
		ln.bufferR, ln.bufferScale, ln.bufferKnown = make([]float64, T), make([]float64, T), make([]bool, T)
	}
	clear(ln.bufferKnown)
}

// peak returns the largest of xs and 0: a path's peak volatility or funding stress
// (Simulator.prepare, and the lockstep simulator's scalar form of peaksVector).
func peak(xs []float64) float64 {
	// A running maximum in a local: through a field each step waits on the last store.
	p := 0.0
	for _, x := range xs {
		p = max(p, x)
	}
	return p
}

// load puts days from..T-1 of lane l's path into g.days.
func (g *laneGroup) load(l, from int) {
	m := g.m
	fp, mp := &m.cfg.Funds, &m.cfg.Market
	omega := m.cfg.Shocks.Omega
	days := g.days
	T := len(days)
	ln := g.lane[l]
	sh, s := ln.sh, ln.sim
	F, margin, sigma, dy, noise := sh.F[:T], sh.Margin[:T], sh.Sigma[:T], sh.DY[:T], sh.Noise[:T]
	for t := from; t < T; t++ {
		d := &days[t]
		// Simulator.steps' conditions before the policy and Simulator.prepare's dealer
		// capacity, operation for operation.
		Ft := F[t]
		d.cond.haircut[l] = fp.H0 + fp.KappaH*Ft
		d.cond.margin[l] = margin[t]
		d.cond.spread[l] = fp.Spread0 + fp.KappaS*Ft
		d.cond.capacity[l] = mp.K0 / (1 + mp.KappaK*Ft)
		d.omegaSigma[l] = omega * sigma[t]
		d.dy[l], d.noise[l] = dy[t], noise[t]
	}
	if m.repoLimited {
		for t := from; t < T; t++ {
			days[t].cond.repo[l] = s.repo[t]
		}
	}
	if m.sellers {
		for t := from; t < T; t++ {
			days[t].other[l] = s.other[t]
		}
	}
}

// loadLanes puts lanes 0..nl-1's days from their wake days on into g.days: with the
// vector kernels all lanes at once from the earliest (loadVector), else lane by lane.
func (g *laneGroup) loadLanes(nl int, wake *[lanes]int) {
	if g.vector {
		from := len(g.days)
		for _, w := range wake[:nl] {
			from = min(from, w)
		}
		g.loadVector(nl, from)
		return
	}
	for l := 0; l < nl; l++ {
		g.load(l, wake[l])
	}
}

// runAll runs every policy of pols[i] on paths[i].Shocks for the batch's paths i < n (n <=
// batchPaths); the results go to paths[i].Results[k].Values and paths[i].Days[k], as
// Simulator.RunAll does for one path.
func (g *laneGroup) runAll(n int, paths []Path, pols [][]Policy) {
	m := g.m
	T := m.Days()
	np := len(pols[0])
	failed := g.failed[:n]
	clear(failed)
	for i := 0; i < n; i++ {
		g.preparePath(i, paths[i].Shocks)
	}
	if g.src != nil {
		g.peaksSource(n)
	}
	base := -1
	for k, p := range pols[0] {
		if _, ok := p.(*None); ok {
			base = k
			break
		}
	}
	if base >= 0 {
		g.levels = wakeLevels(g.levels[:0], pols[0], base)
	}
	var wake [lanes]int
	// The paths lanes at a time in their order: every policy from day 0 without none,
	// else none's pass, which saves the snapshots.
	for first := 0; first < n; first += lanes {
		nl := min(lanes, n-first)
		for l := range wake {
			wake[l] = T
			if l < nl {
				wake[l] = 0
				g.setLane(l, first+l, paths, pols)
			}
		}
		g.loadLanes(nl, &wake)
		g.bad = 0
		if base < 0 {
			for k := 0; k < np; k++ {
				g.pass(k, -1, false, &wake)
			}
		} else {
			for l := 0; l < nl; l++ {
				sn := &g.lane[l].sim.snaps
				sn.ensure(T, len(g.f.fund))
				sn.arm(g.levels, T)
				g.p.next[l] = sn.next
			}
			g.pass(base, -1, true, &wake)
		}
		for l := 0; l < nl; l++ {
			failed[first+l] = g.bad>>l&1 != 0
		}
	}
	var ran uint64 // the dormant policies < 64 already run with an earlier one (class)
	for k := 0; base >= 0 && k < np; k++ {
		if k == base || k < 64 && ran>>k&1 != 0 {
			continue
		}
		// The paths policy k wakes on, by wake day; the others take none's results.
		order := g.order[:0]
		for i := 0; i < n; i++ {
			if failed[i] {
				continue
			}
			w := g.batch[i].sim.snaps.wake[k]
			if w < T {
				order = append(order, i)
				// Insertion by wake day, stable: batchPaths at most.
				for j := len(order) - 1; j > 0 && g.batch[order[j-1]].sim.snaps.wake[k] > w; j-- {
					order[j-1], order[j] = order[j], order[j-1]
				}
				continue
			}
			noneResults(&paths[i], k, base)
		}
		g.order = order
		// The later policies that wake on every path on the same day as k (the same wake
		// level, as qe's and spv's triggers in the baseline) run on the same groups of
		// lanes, right after k, from the days loadLanes put in g.days once (a pass leaves
		// them as they are).
		class := append(g.class[:0], k)
		for k2 := k + 1; k2 < min(np, 64); k2++ {
			if k2 != base && g.wakesAs(k, k2, failed) {
				class = append(class, k2)
				ran |= 1 << k2
				for i := 0; i < n; i++ {
					if !failed[i] && g.batch[i].sim.snaps.wake[k2] >= T {
						noneResults(&paths[i], k2, base)
					}
				}
			}
		}
		g.class = class
		for first := 0; first < len(order); first += lanes {
			nl := min(lanes, len(order)-first)
			for l := range wake {
				wake[l] = T
				if l < nl {
					i := order[first+l]
					g.setLane(l, i, paths, pols)
					wake[l] = g.batch[i].sim.snaps.wake[k]
				}
			}
			g.loadLanes(nl, &wake)
			for _, kc := range class {
				// A path that failed in an earlier pass of the class is run again whole
				// by the scalar Simulator: no need to run it here.
				joins := wake
				for l := 0; l < nl; l++ {
					if failed[order[first+l]] {
						joins[l] = T
					}
				}
				g.bad = 0
				g.pass(kc, base, false, &joins)
				for l := 0; l < nl; l++ {
					if g.bad>>l&1 != 0 {
						failed[order[first+l]] = true
					}
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if failed[i] {
			p := &paths[i]
			sh := p.Shocks
			if g.src != nil {
				if sh == nil {
					if g.scratch == nil {
						g.scratch = NewShocks(T)
					}
					sh = g.scratch
				}
				g.src.storePath(i, sh)
			}
			g.batch[i].sim.RunAll(sh, pols[i], p.Results, p.Days)
		}
	}
}

// noneResults gives path p's policy k, which never wakes on it, the results of the
// no-policy pass (policy base).
func noneResults(p *Path, k, base int) {
	p.Results[k].Values = p.Results[base].Values
	if p.Days[k] != nil {
		copy(p.Days[k], p.Days[base])
	}
}

// wakesAs reports whether policies k and k2 wake on the same day on every path of the
// batch that has not failed.
func (g *laneGroup) wakesAs(k, k2 int, failed []bool) bool {
	for i, f := range failed {
		if !f && g.batch[i].sim.snaps.wake[k] != g.batch[i].sim.snaps.wake[k2] {
			return false
		}
	}
	return true
}

// pass runs policy k on the lanes from day wake[l] (T: not at all): from day 0 from the
// start of the path, from a later day from the snapshot of the no-policy pass (policy
// base) saved then, with base's series before it. The no-policy pass saves the snapshots
// (snaps).
func (g *laneGroup) pass(k, base int, snaps bool, wake *[lanes]int) {
	m := g.m
	T := m.Days()
	from := T
	for _, w := range wake {
		from = min(from, w)
	}
	if from == T {
		return
	}
	// The lanes whose policy acts; on the others it is None, which is not called and
	// absorbs and holds nothing.
	f, ps := &g.f, g.p
	var acting, series, lns uint8 // and the lanes with series to record, and all lanes
	for l, w := range wake {
		if w == T {
			continue
		}
		lns |= 1 << l
		if g.out[l].Days[k] != nil {
			series |= 1 << l
		}
		if _, none := g.pols[l][k].(*None); !none {
			acting |= 1 << l
			continue
		}
		ps.cash[l], ps.bundles[l], ps.discount[l], ps.holdings[l], ps.dv01[l] = 0, 0, 0, 0, 0
	}
	books := booksCalls
	if acting == lns {
		books = g.booksKind(k, lns)
	}
	g.books.kind = books
	cutDay := min(PositionCutDay, T-1)
	nextJoin := from // the next day a lane joins
	var active uint8
	for t := from; t < T; t++ {
		if t == nextJoin {
			nextJoin = T
			for l, w := range wake {
				if w == t && g.bad>>l&1 == 0 {
					active |= 1 << l
					g.join(l, t, g.pols[l][k], g.out[l], k, base)
				}
				if w > t {
					nextJoin = min(nextJoin, w)
				}
			}
		}
		active &^= g.bad
		if snaps {
			g.wake(t, active)
		}
		d := &g.days[t]
		c, theta := &d.cond, &d.cond.theta
		calls := active & acting
		switch {
		case calls != 0 && books != booksCalls:
			// qe's and spv's Adjust change theta only: the other conditions stay the day's.
			theta = &ps.cond.theta
			g.adjustBooks(t, &d.cond.theta, theta)
		case calls != 0:
			if g.vector {
				ps.cond.copyVector(&d.cond)
			} else {
				ps.cond = d.cond
			}
			c, theta = &ps.cond, &ps.cond.theta
			g.adjust(calls, t, k, d)
		}
		if m.bufferStress {
			for a := active; a != 0; a &= a - 1 {
				l := bits.TrailingZeros8(a)
				f.bufferScale[l] = g.lane[l].bufferScaleAt(m, t, c.haircut[l]+c.margin[l])
			}
		}
		var bad uint8
		if g.vector {
			g.decideVector(d, c, theta)
			bad = f.unusable
		} else {
			bad = g.decideScalar(active, d, c)
		}
		if calls != 0 {
			if books == booksCalls {
				g.absorb(calls, t, k, d)
			} else {
				g.absorbBooks(t, d)
			}
		}
		switch {
		case calls != 0 && books != booksCalls:
			// qe's and spv's Settle and Sheet take nothing from the market's clearing and
			// the funds' settlement: done before them, so that settleVector records the
			// day, sheet included, with the values it holds.
			g.settleBooks(t, d)
			bad |= g.settleVector(d, c, t == cutDay, true, true)
		case g.vector:
			bad |= g.settleVector(d, c, t == cutDay, calls == 0, false)
		default:
			bad |= g.settleScalar(active, d, c, t == cutDay, calls == 0)
		}
		if calls != 0 && books == booksCalls {
			g.book(calls, t, k, d)
			if g.vector {
				bad |= g.recordVector()
			} else {
				bad |= g.recordScalar(active)
			}
		}
		g.bad |= bad & active
		for a := active & series; a != 0; a &= a - 1 {
			l := bits.TrailingZeros8(a)
			recordSeries(g.out[l].Days[k], T, t, ps.basis[l], f.daySales[l], ps.holdings[l], f.utilization[l], f.dayEquity[l])
		}
	}
	for a := active &^ g.bad; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		ln := g.lane[l]
		if books != booksCalls {
			g.books.store(l, g.pols[l][k])
		}
		st := g.state(l)
		writeMetrics(ln.sim, ln.jump, g.pols[l][k].Sheet(), &st, g.totalEquity(l), int(f.defaulted[l]), &g.out[l].Results[k])
	}
}

// join starts lane l's policy pol on day t: at the start of the path (Simulator.begin) on
// day 0, else from the no-policy state saved on day t, with the no-policy series before it.
func (g *laneGroup) join(l, t int, pol Policy, p *Path, k, base int) {
	m := g.m
	f := &g.f
	ln := g.lane[l]
	pol.Start()
	if g.books.kind != booksCalls {
		g.books.load(l, pol)
	}
	if t == 0 {
		for j := range f.fund {
			g.setFund(l, j, m.startB[j], m.startE[j], 0)
		}
		f.held[l], f.defaulted[l] = m.startHeld, 0
		g.setState(l, &pathState{
			mkt:     market{basis: m.cfg.Market.BInit, prevBasis: m.cfg.Market.BInit},
			equity0: g.startEquity, peakBasis: math.Inf(-1), minEquity: math.Inf(1),
		})
		return
	}
	sn := &ln.sim.snaps
	n := len(f.fund)
	s := sn.slot(t)
	for j := 0; j < n; j++ {
		g.setFund(l, j, sn.pos[s*n+j], sn.equity[s*n+j], sn.atDefault[s*n+j])
	}
	f.held[l], f.defaulted[l] = sn.held[s], float64(sn.defaulted[s])
	g.setState(l, &sn.states[s])
	if days := p.Days[k]; days != nil {
		T := m.Days()
		for i := 0; i < NumSeries; i++ {
			copy(days[i*T:i*T+t], p.Days[base][i*T:i*T+t])
		}
	}
}

// setFund sets fund j of lane l to position pos, equity and position at default atDefault.
func (g *laneGroup) setFund(l, j int, pos, equity, atDefault float64) {
	fj := &g.f.fund[j]
	fj.pos[l], fj.equity[l], fj.atDefault[l] = pos, equity, atDefault
	g.f.setLive(l, j, equity)
	// A fund not in default has +0 there, and +0 / L_days is +0 (L_days >= 1): the
	// division is left to the funds that defaulted.
	fj.liquidation[l] = 0
	if math.Float64bits(atDefault) != 0 {
		fj.liquidation[l] = atDefault / g.c.liquidationDays[l]
	}
}

// setLive sets bit l of live[j] to whether equity, fund j's E_j in lane l, is above 0.
func (f *laneFunds) setLive(l, j int, equity float64) {
	f.live[j] &^= 1 << l
	if equity > 0 {
		f.live[j] |= 1 << l
	}
}

// state returns lane l's pathState.
func (g *laneGroup) state(l int) pathState {
	ps := g.p
	return pathState{
		mkt:     market{basis: ps.basis[l], prevBasis: ps.prevBasis[l], inventory: ps.inventory[l]},
		equity0: ps.equity0[l], peakBasis: ps.peakBasis[l],
		auc: ps.auc[l], forcedTotal: ps.forcedTotal[l], salesTotal: ps.salesTotal[l], minEquity: ps.minEquity[l],
		peakHoldings: ps.peakHoldings[l], peakDV01: ps.peakDV01[l], peakUtl: ps.peakUtl[l],
		otherTotal: ps.otherTotal[l], positionCut: ps.positionCut[l],
		dysDays: int(ps.dysDays[l]),
	}
}

// setState sets lane l's pathState to st.
func (g *laneGroup) setState(l int, st *pathState) {
	ps := g.p
	ps.basis[l], ps.prevBasis[l], ps.inventory[l] = st.mkt.basis, st.mkt.prevBasis, st.mkt.inventory
	ps.equity0[l], ps.peakBasis[l] = st.equity0, st.peakBasis
	ps.auc[l], ps.forcedTotal[l], ps.salesTotal[l], ps.minEquity[l] = st.auc, st.forcedTotal, st.salesTotal, st.minEquity
	ps.peakHoldings[l], ps.peakDV01[l], ps.peakUtl[l] = st.peakHoldings, st.peakDV01, st.peakUtl
	ps.otherTotal[l], ps.positionCut[l] = st.otherTotal, st.positionCut
	ps.dysDays[l] = float64(st.dysDays)
}

// totalEquity is funds.totalEquity of lane l.
func (g *laneGroup) totalEquity(l int) float64 {
	total := 0.0
	for j := range g.f.fund {
		total += max(0, g.f.fund[j].equity[l])
	}
	return total
}

// wake saves, on the no-policy pass, the state of each active lane at the start of day t
// where a dormant policy wakes (Simulator.steps' snaps.wakeAt).
func (g *laneGroup) wake(t int, active uint8) {
	ps := g.p
	due := active
	if g.vector {
		due &= g.risenVector()
	}
	for a := due; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		if basis := ps.basis[l]; basis > ps.next[l] {
			g.save(l, t)
			sn := &g.lane[l].sim.snaps
			sn.advance(t, basis)
			ps.next[l] = sn.next
		}
	}
}

// adjust calls the policies' Adjust (step 1) on lanes calls, on the conditions in g.p.cond.
func (g *laneGroup) adjust(calls uint8, t, k int, d *laneDay) {
	f, ps := &g.f, g.p
	c := &ps.cond
	for a := calls; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		cond := &g.lane[l].cond
		cond.Haircut, cond.Margin, cond.Spread = c.haircut[l], c.margin[l], c.spread[l]
		cond.Capacity, cond.Theta, cond.Repo = c.capacity[l], c.theta[l], c.repo[l]
		g.pols[l][k].Adjust(Day{T: t, Basis: ps.basis[l], Position: f.held[l], DY: d.dy[l]}, cond)
		c.haircut[l], c.margin[l], c.spread[l] = cond.Haircut, cond.Margin, cond.Spread
		c.capacity[l], c.theta[l], c.repo[l] = cond.Capacity, cond.Theta, cond.Repo
	}
}

// absorb calls the policies' Absorb (step 2) on lanes calls.
func (g *laneGroup) absorb(calls uint8, t, k int, d *laneDay) {
	f, ps := &g.f, g.p
	for a := calls; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		ab := g.pols[l][k].Absorb(Day{T: t, Basis: ps.basis[l], Position: f.held[l], Sales: f.daySales[l], Reentry: f.dayReentry[l],
			Impact: ps.lambda[l], Dealers: ps.inventory[l], Other: d.other[l], DY: d.dy[l]})
		ps.cash[l], ps.bundles[l], ps.discount[l] = ab.Cash, ab.Bundles, ab.Discount
	}
}

// book calls the policies' Settle (step 5), with the day Absorb saw, and Sheet on lanes
// calls.
func (g *laneGroup) book(calls uint8, t, k int, d *laneDay) {
	f, ps := &g.f, g.p
	for a := calls; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		pol := g.pols[l][k]
		pol.Settle(Day{T: t, Basis: ps.prevBasis[l], Position: ps.position[l], Sales: f.daySales[l], Reentry: f.dayReentry[l],
			Impact: ps.lambda[l], Dealers: ps.dealers[l], Other: d.other[l], DY: d.dy[l]},
			Absorption{Cash: ps.cash[l], Bundles: ps.bundles[l], Discount: ps.discount[l]})
		sheet := pol.Sheet()
		ps.holdings[l], ps.dv01[l] = sheet.Holdings, sheet.DV01
	}
}

// usable reports whether the vector kernels reproduce funds.decide on inputs whose
// limits are these: finite, with the signs for which capacity and target are never -Inf
// or NaN (lanes.go). Both kernels send a lane that fails it to the scalar Simulator.
func usable(m *Model, riskScale, perCapital, theta, repoShare, scale float64) bool {
	ok := perCapital > 0 && perCapital <= math.MaxFloat64 && riskScale >= 0 && riskScale <= math.MaxFloat64 &&
		theta-theta == 0
	if m.repoLimited {
		ok = ok && repoShare >= 0 // +Inf where the srf lifts the ration
	}
	if m.bufferStress {
		ok = ok && scale >= 0 && scale <= 1
	}
	return ok
}

// save keeps lane l's state at the start of day t in its snapshots (snapshots.save).
func (g *laneGroup) save(l, t int) {
	f := &g.f
	sn := &g.lane[l].sim.snaps
	n := len(f.fund)
	i := sn.take(t)
	sn.states[i] = g.state(l)
	for j := 0; j < n; j++ {
		sn.pos[i*n+j], sn.equity[i*n+j], sn.atDefault[i*n+j] = f.fund[j].pos[l], f.fund[j].equity[l], f.fund[j].atDefault[l]
	}
	sn.held[i], sn.defaulted[i] = f.held[l], int(f.defaulted[l])
}

// decideScalar is decideVector lane by lane on the active lanes, through Simulator.steps'
// own code (funds.decide, market.impact); it returns the lanes the vector kernels could not
// have taken (usable), for the tests to see the same fallbacks.
func (g *laneGroup) decideScalar(active uint8, d *laneDay, c *laneConds) (unusable uint8) {
	m, f, ps, s := g.m, &g.f, g.p, &g.one
	for a := active; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		g.gather(l)
		r := c.haircut[l] + c.margin[l]
		basis := ps.basis[l]
		sb := d.omegaSigma[l] + math.Abs(basis-ps.prevBasis[l])
		financeable := c.repo[l] / (1 - c.haircut[l])
		riskScale, perCapital, repoShare := m.fundLimits(r, sb, financeable)
		if !usable(m, riskScale, perCapital, c.theta[l], repoShare, f.bufferScale[l]) {
			unusable |= 1 << l
		}
		f.daySales[l], f.dayReentry[l], f.dayForced[l] = s.decide(m, r, sb, c.theta[l], basis, financeable)
		for j := range f.fund {
			f.fund[j].sales[l], f.fund[j].reentry[l], f.fund[j].voluntary[l] = s.sales[j], s.reentry[j], s.voluntary[j]
		}
		mkt := market{inventory: ps.inventory[l]}
		ps.lambda[l] = mkt.impact(&m.cfg.Market, c.capacity[l])
		if m.sellers {
			ps.otherTotal[l] += d.other[l]
		}
	}
	return unusable
}

// settleScalar is settleVector lane by lane on the active lanes, through Simulator.steps'
// own code (market.clear, funds.settle and, when record, pathState.addDay); it returns
// the lanes with a value that is not finite.
func (g *laneGroup) settleScalar(active uint8, d *laneDay, c *laneConds, cut, record bool) (bad uint8) {
	m, f, ps, s := g.m, &g.f, g.p, &g.one
	fp := &m.cfg.Funds
	for a := active; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		mkt := market{basis: ps.basis[l], prevBasis: ps.prevBasis[l], inventory: ps.inventory[l]}
		ps.position[l], ps.dealers[l] = f.held[l], mkt.inventory
		sales, reentry, other := f.daySales[l], f.dayReentry[l], d.other[l]
		net := sales - reentry
		xc := net + other - ps.cash[l] - ps.bundles[l]
		xf := net - ps.bundles[l]
		basis := mkt.basis
		_, concession := mkt.clear(&m.cfg.Market, ps.lambda[l], xc, xf, d.noise[l])
		ps.basis[l], ps.prevBasis[l], ps.inventory[l] = mkt.basis, mkt.prevBasis, mkt.inventory
		toPolicy := 0.0
		if sales > 0 {
			toPolicy = ps.bundles[l] / sales
		}
		carry := (fp.Carry - c.spread[l]) / (252 * 1e4)
		g.gather(l)
		for j := range f.fund {
			s.sales[j], s.reentry[j], s.voluntary[j] = f.fund[j].sales[l], f.fund[j].reentry[l], f.fund[j].voluntary[l]
		}
		s.defaulted = int(f.defaulted[l])
		equity, defaultDay := s.settle(m, mkt.basis-basis, toPolicy, ps.discount[l], concession, carry)
		utilization := mkt.inventory / c.capacity[l]
		check, held := 0.0, 0.0
		for j := range f.fund {
			f.fund[j].pos[l], f.fund[j].equity[l], f.fund[j].atDefault[l] = s.pos[j], s.equity[j], s.atDefault[j]
			f.setLive(l, j, s.equity[j])
			check += s.equity[j]
			held += s.pos[j]
		}
		f.held[l], f.defaulted[l] = s.held, float64(s.defaulted)
		f.dayEquity[l], f.defaultDay[l], f.utilization[l], f.check[l] = equity, defaultDay, utilization, check
		if cut {
			ps.positionCut[l] = 1 - held/m.startHeld
		}
		forced := f.dayForced[l]
		if m.defaultDayForced {
			forced += defaultDay
		}
		ps.forced[l] = forced
		ps.finite[l] = sales + reentry + f.dayForced[l] + equity + s.held + defaultDay + check +
			mkt.basis + mkt.inventory + utilization + other
		if record {
			bad |= g.recordLane(l)
		}
	}
	return bad
}

// recordScalar is recordVector lane by lane on the active lanes.
func (g *laneGroup) recordScalar(active uint8) (bad uint8) {
	for a := active; a != 0; a &= a - 1 {
		bad |= g.recordLane(bits.TrailingZeros8(a))
	}
	return bad
}

// recordLane adds lane l's day to its running outputs (pathState.addDay) and returns
// 1 << l if a value of the day is not finite.
func (g *laneGroup) recordLane(l int) (bad uint8) {
	f, ps := &g.f, g.p
	st := g.state(l)
	sheet := Sheet{Holdings: ps.holdings[l], DV01: ps.dv01[l]}
	st.addDay(ps.basis[l], g.m.cfg.Market.BDys, ps.forced[l], f.daySales[l], f.dayEquity[l], f.utilization[l], &sheet)
	g.setState(l, &st)
	if x := ps.finite[l] + sheet.Holdings + sheet.DV01; x-x != 0 {
		return 1 << l
	}
	return 0
}

// gather copies lane l's funds into the scalar kernel's scratch.
func (g *laneGroup) gather(l int) {
	f, s := &g.f, &g.one
	for j := range f.fund {
		s.pos[j], s.equity[j], s.atDefault[j] = f.fund[j].pos[l], f.fund[j].equity[l], f.fund[j].atDefault[l]
	}
}

// Kernels says how a Sampler simulates paths without traces in this build on this CPU:
// 8 paths per AVX-512 vector, or path by path and why. backstop version prints it.
func Kernels() string {
	switch {
	case vectorLanes():
		return "8 paths per AVX-512 vector (GOEXPERIMENT=simd)"
	case vectorBuild:
		return "path by path: this CPU has no AVX-512, or GODEBUG turns it off"
	default:
		return "path by path: built without GOEXPERIMENT=simd (make build sets it) or not for amd64 at GOAMD64 v1 or v2"
	}
}
