//go:build goexperiment.simd && amd64 && !amd64.v3

// The steps of the lockstep simulator's day (lanes.go) as AVX-512 vector operations, one
// Float64x8 for all lanes (per fund in the fund loops). Built with GOEXPERIMENT=simd
// only; not with GOAMD64=v3 or above, where the compiler fuses the scalar code's
// multiply-adds and the scalar reference rounds differently.

package sim

import (
	"simd/archsimd"

	"github.com/backstop-research/backstop/internal/vec8"
)

// vectorLanes reports whether the CPU runs the vector kernels.
func vectorLanes() bool { return archsimd.X86.AVX512() }

// load is archsimd.LoadFloat64x8, short.
func load(x *[lanes]float64) archsimd.Float64x8 { return archsimd.LoadFloat64x8(x) }

// maxExact is Go's max(x, y) lane by lane, where neither is NaN: VMAXPD but on a tie,
// where max(-0, +0) is +0 (the bits of x AND y); where one is NaN, a NaN.
func maxExact(x, y archsimd.Float64x8) archsimd.Float64x8 {
	z := x.AsUint64x8().And(y.AsUint64x8()).AsFloat64x8().Merge(x.Max(y), x.Equal(y))
	return x.Add(y).Merge(z, x.IsNaN().Or(y.IsNaN()))
}

// minExact is Go's min(x, y) lane by lane, where neither is NaN: VMINPD but on a tie,
// where min(-0, +0) is -0 (the bits of x OR y); where one is NaN, a NaN.
func minExact(x, y archsimd.Float64x8) archsimd.Float64x8 {
	z := x.AsUint64x8().Or(y.AsUint64x8()).AsFloat64x8().Merge(x.Min(y), x.Equal(y))
	return x.Add(y).Merge(z, x.IsNaN().Or(y.IsNaN()))
}

// maxWith is Go's max(c, y) lane by lane for a c that is NaN in no lane (a constant: a
// floor, zero), in two instructions where maxExact takes eight: c where y is not above
// it, else y. Where c is a zero it must be +0 in every lane (negZero false: "not above" is
// y <= c, so that max(+0, -0) is c, +0) or -0 in every lane (negZero true: y < c, so that
// max(-0, +0) is y, +0); a tie of equal nonzero values has the same bits either way, and
// where y is NaN both compares are false and give y, a NaN, as Go's max does.
func maxWith(c, y archsimd.Float64x8, negZero bool) archsimd.Float64x8 {
	if negZero {
		return c.Merge(y, y.Less(c))
	}
	return c.Merge(y, y.LessEqual(c))
}

// absVector is math.Abs lane by lane: the sign bit cleared.
func absVector(x archsimd.Float64x8) archsimd.Float64x8 {
	return x.AsUint64x8().And(archsimd.BroadcastUint64x8(1<<63 - 1)).AsFloat64x8()
}

// decideVector is the day's step 1 after the policies' Adjust and the impact of step 2
// for every lane at once, operation for operation as Simulator.steps: the funds' inputs r
// and sb, funds.decide (see lanes.go for why its results are bit for bit the scalar
// loop's), market.impact, and the other sellers' running total; the conditions are c but
// theta, which is thetas (c's own, or where qe or spv changed it alone).
func (g *laneGroup) decideVector(d *laneDay, c *laneConds, thetas *[lanes]float64) {
	m, f, ps, k := g.m, &g.f, g.p, g.c
	zero, one, largest := load(&k.zero), load(&k.one), load(&k.largest)
	basis := load(&ps.basis)
	theta := load(thetas)
	sb := load(&d.omegaSigma).Add(absVector(basis.Sub(load(&ps.prevBasis))))
	reenter := basis.LessEqual(load(&k.bDys))
	scale := load(&f.bufferScale)
	// Model.fundLimits, operation for operation, and usable.
	riskScale := load(&k.riskNum).Div(load(&k.riskDen).Mul(sb))
	perCapital, repoShare := g.capacityTerms(c)
	// The masks are combined as bits: an And of masks takes four vector instructions.
	ok := perCapital.Greater(zero).ToBits() & perCapital.LessEqual(largest).ToBits() &
		riskScale.GreaterEqual(zero).ToBits() & riskScale.LessEqual(largest).ToBits() &
		theta.Sub(theta).Equal(zero).ToBits()
	if m.repoLimited {
		ok &= repoShare.GreaterEqual(zero).ToBits()
	}
	if m.bufferStress {
		ok &= scale.GreaterEqual(zero).ToBits() & scale.LessEqual(one).ToBits()
	}
	f.unusable = ^ok
	thetaUp := load(&k.thetaUp)
	repoLimited, bufferStress := m.repoLimited, m.bufferStress
	sales, reentry, forced := zero, zero, zero
	funds, live := f.fund, f.live[:len(f.fund)]
	for j := range funds {
		fj := &funds[j]
		b := load(&fj.pos)
		e := load(&fj.equity)
		b0 := load(&fj.startB)
		capacity := fundCapacity(e, b0, perCapital, repoShare, repoLimited)
		var inv archsimd.Float64x8
		if bufferStress {
			inv = one.Div(one.Add(load(&fj.buffer).Mul(scale)))
		} else {
			inv = load(&fj.invBuffer)
		}
		target := capacity.Mul(inv).Min(riskScale.Mul(e)).Min(b0)
		forcedJ := b.Sub(capacity).Max(zero)
		s := forcedJ.Add(theta.Mul(b.Min(capacity).Sub(target).Max(zero)))
		re := thetaUp.Mul(target.Sub(b).Max(zero)).Masked(reenter)
		// The lanes where the fund is in default, E_j <= 0, from the bits kept with E_j
		// (laneFunds.live) rather than compared: they differ only where E_j is NaN, a
		// lane whose check failed on the day the NaN arose and whose values nobody reads.
		if deadBits := ^live[j]; deadBits != 0 {
			dead := archsimd.Mask64x8FromBits(deadBits)
			// Lenders liquidate what the fund held at default over L_days days.
			deadSales := load(&fj.liquidation).Min(b)
			s = deadSales.Merge(s, dead)
			forcedJ = deadSales.Merge(forcedJ, dead)
			re = zero.Merge(re, dead)
		}
		// The voluntary part of s, s - forcedJ, is needed only on the day the fund
		// defaults: settleVector computes it then.
		s.Store(&fj.sales)
		re.Store(&fj.reentry)
		sales = sales.Add(s)
		reentry = reentry.Add(re)
		forced = forced.Add(forcedJ)
	}
	sales.Store(&f.daySales)
	reentry.Store(&f.dayReentry)
	forced.Store(&f.dayForced)
	// market.impact: lambda_t from I_t and K_t.
	spare := one.Sub(load(&ps.inventory).Div(load(&c.capacity)))
	load(&k.lambda0).Div(maxWith(load(&k.uMin), spare, g.negZero.uMin)).Store(&ps.lambda)
	if m.sellers {
		load(&ps.otherTotal).Add(load(&d.other)).Store(&ps.otherTotal)
	}
	// Back to the scalar code, whose SSE instructions would otherwise depend on the
	// vector registers' upper bits (twice the time of the random draws, measured).
	archsimd.ClearAVXUpperBits()
}

// settleVector is steps 3 and 4 of the day for every lane at once, after the policies'
// Absorb, operation for operation as Simulator.steps: market.clear, funds.settle, the
// position cut on the day it is taken (cut) and, when record (no policy acts, or a qe or
// spv whose sheet is in g.p: sheet), step 6's pathState.addDay. It returns the lanes with
// a value that is not finite, when record.
func (g *laneGroup) settleVector(d *laneDay, c *laneConds, cut, record, sheet bool) uint8 {
	m, f, ps, k := g.m, &g.f, g.p, g.c
	zero, one := load(&k.zero), load(&k.one)
	// market.clear.
	daySales, dayReentry := load(&f.daySales), load(&f.dayReentry)
	net := daySales.Sub(dayReentry)
	// xc = net + other - cash - bundles and xf = net - bundles, leaving out the terms
	// that are +0 in every lane (as all three are on a day of the no-policy pass without
	// other sellers): x - (+0) is x for every x, and so is x + (+0) but for x = -0, which
	// net is not (the difference of two totals that start at +0, never -0 themselves).
	zeroBits := zero.AsUint64x8()
	bundles, cash := load(&ps.bundles), load(&ps.cash)
	noBundles := bundles.AsUint64x8().Equal(zeroBits).ToBits() == 0xff
	xc, xf := net, net
	if m.sellers {
		xc = xc.Add(load(&d.other)) // +0 without them (laneDay's zero value)
	}
	if cash.AsUint64x8().Equal(zeroBits).ToBits() != 0xff {
		xc = xc.Sub(cash)
	}
	if !noBundles {
		xc = xc.Sub(bundles)
		xf = xf.Sub(bundles)
	}
	push := load(&ps.lambda).Mul(load(&k.wc).Mul(xc).Add(load(&k.wf).Mul(xf)))
	basis := load(&ps.basis)
	next := maxWith(load(&k.bFloor), load(&k.keep).Mul(basis).Add(push).Add(load(&d.noise)), g.negZero.bFloor)
	inventory := load(&ps.inventory)
	inventory.Store(&ps.dealers)
	load(&f.held).Store(&ps.position)
	basis.Store(&ps.prevBasis)
	next.Store(&ps.basis)
	inventory = maxWith(zero, load(&k.inventoryKeep).Mul(inventory).Add(xc), false)
	inventory.Store(&ps.inventory)
	// x / 2 is x * 0.5: both round the same number, x / 2 exactly.
	concession := maxWith(zero, push, false).Mul(load(&k.half))
	// Simulator.steps' toPolicy and carry, and Model.settleCosts, operation for operation.
	// Without bundles (every bit +0), toPolicy is +0 in every lane: the division is
	// skipped on most days.
	toPolicy := zero
	if !noBundles {
		toPolicy = bundles.Div(daySales).Masked(daySales.Greater(zero))
	}
	db, bp := load(&k.db), load(&k.bp)
	costPerSale := db.Mul(one.Sub(toPolicy).Mul(concession).Add(toPolicy.Mul(load(&ps.discount)))).Div(bp)
	markPerPos := db.Mul(next.Sub(basis)).Div(bp)
	carry := load(&k.carry).Sub(load(&c.spread)).Div(load(&k.days))
	inventory.Div(load(&c.capacity)).Store(&f.utilization)
	// The fund loop keeps its three totals in registers and the rarely changed ones in
	// memory: with more live vectors than registers, the compiler would keep some of the
	// totals in memory and each fund would wait on the last one's store.
	zero.Store(&f.defaultDay)
	equity, held, check := zero, zero, zero
	funds, lives := f.fund, f.live[:len(f.fund)]
	for j := range funds {
		fj := &funds[j]
		before := load(&fj.pos)
		s := load(&fj.sales)
		b := before.Sub(s).Add(load(&fj.reentry)).Max(zero)
		b.Store(&fj.pos)
		e0 := load(&fj.equity)
		// The lanes where E_j > 0 at the start of the day, kept with it (laneFunds.live):
		// e0 > 0 but where e0 is NaN, a lane whose check has failed.
		live := lives[j]
		e := e0.Sub(markPerPos.Mul(b)).Sub(costPerSale.Mul(s)).Add(before.Mul(carry))
		e = e.Merge(e0, archsimd.Mask64x8FromBits(live))
		e.Store(&fj.equity)
		// A NaN equity would fail the mask below and be left out of the totals, where the
		// scalar loop adds it: check sums every fund's equity to catch it.
		check = check.Add(e)
		// Where the fund is not live e is e0, not above 0: e > 0 only where it is and
		// stays live, and the new defaults are the live lanes where it is not, e <= 0 (or
		// NaN, which check catches). The masks go through bits: an And of masks takes
		// four vector instructions.
		up := e.Greater(zero)
		upBits := up.ToBits()
		lives[j] = upBits
		if down := live &^ upBits; down != 0 {
			g.defaults(fj, c, before, e0, s, b, archsimd.Mask64x8FromBits(down))
		}
		// The totals where up, as equity + 0 elsewhere would (a total that starts at +0
		// is never -0, and x + 0 is x for any other x).
		equity = equity.Add(e).Merge(equity, up)
		held = held.Add(b).Merge(held, up)
	}
	held.Store(&f.held)
	equity.Store(&f.dayEquity)
	if cut {
		// Simulator.steps' position cut: the positions summed in fund order from +0.
		after := zero
		for j := range funds {
			after = after.Add(load(&funds[j].pos))
		}
		load(&k.one).Sub(after.Div(load(&k.startHeld))).Store(&ps.positionCut)
	}
	defaultDay := load(&f.defaultDay)
	dayForced := load(&f.dayForced)
	forced := dayForced
	if m.defaultDayForced {
		forced = forced.Add(defaultDay)
	}
	daySales, utilization, next := load(&f.daySales), load(&f.utilization), load(&ps.basis)
	finite := daySales.Add(load(&f.dayReentry)).Add(dayForced).Add(equity).Add(held).Add(defaultDay).Add(check).
		Add(next).Add(load(&ps.inventory)).Add(utilization).Add(load(&d.other))
	var bad uint8
	if record {
		holdings, dv01 := zero, zero
		if sheet {
			holdings, dv01 = load(&ps.holdings), load(&ps.dv01)
		}
		bad = addDayVector(ps, k, finite, next, forced, daySales, equity, utilization, holdings, dv01)
	} else {
		forced.Store(&ps.forced)
		finite.Store(&ps.finite)
	}
	archsimd.ClearAVXUpperBits()
	return bad
}

// defaults marks fund fj's new defaults of the day, on lanes down: its position b at
// default and what its lenders sell a day, the count of funds in default, and its
// voluntary sales of the day, s less its forced sales, which decideVector does not keep:
// computed again here, operation for operation, from its position before and equity e0
// at the start of the day and the day's conditions c (those decideVector had).
func (g *laneGroup) defaults(fj *laneFund, c *laneConds, before, e0, s, b archsimd.Float64x8, down archsimd.Mask64x8) {
	m, f, k := g.m, &g.f, g.c
	zero, one := load(&k.zero), load(&k.one)
	b.StoreMasked(&fj.atDefault, down)
	b.Div(load(&k.liquidationDays)).StoreMasked(&fj.liquidation, down)
	load(&f.defaulted).Add(one.Masked(down)).Store(&f.defaulted)
	perCapital, repoShare := g.capacityTerms(c)
	capacity := fundCapacity(e0, load(&fj.startB), perCapital, repoShare, m.repoLimited)
	forced := before.Sub(capacity).Max(zero)
	load(&f.defaultDay).Add(s.Sub(forced).Masked(down)).Store(&f.defaultDay)
}

// capacityTerms returns the day's terms of the funds' capacities, for every lane, as
// Model.fundLimits computes them, operation for operation: the capital per $ of position,
// 1 / r with r the haircut plus the margin, and (under repo rationing; else zero) the share
// of its start position repo finances a fund. decideVector and defaults take them both.
func (g *laneGroup) capacityTerms(c *laneConds) (perCapital, repoShare archsimd.Float64x8) {
	k := g.c
	one, haircut := load(&k.one), load(&c.haircut)
	perCapital = one.Div(haircut.Add(load(&c.margin)))
	if g.m.repoLimited {
		repoShare = load(&c.repo).Div(one.Sub(haircut)).Div(load(&k.startHeld))
	}
	return perCapital, repoShare
}

// fundCapacity is a fund's capacity from capacityTerms: its equity e times perCapital,
// under repo rationing (repoLimited) at most its start position b0 times repoShare.
func fundCapacity(e, b0, perCapital, repoShare archsimd.Float64x8, repoLimited bool) archsimd.Float64x8 {
	capacity := e.Mul(perCapital)
	if repoLimited {
		capacity = capacity.Min(b0.Mul(repoShare))
	}
	return capacity
}

// recordVector is step 6 of the day for every lane at once, after the policies' Settle:
// pathState.addDay. It returns the lanes with a value that is not finite.
func (g *laneGroup) recordVector() uint8 {
	f, ps := &g.f, g.p
	bad := addDayVector(ps, g.c, load(&ps.finite), load(&ps.basis), load(&ps.forced), load(&f.daySales), load(&f.dayEquity),
		load(&f.utilization), load(&ps.holdings), load(&ps.dv01))
	archsimd.ClearAVXUpperBits()
	return bad
}

// maxFinite is maxExact without its NaN case, for addDayVector: Go's max(x, y) lane by
// lane where neither is NaN; where one is, some value, not always a NaN, so its operands
// must be values the day's check sees. (VMAXPD both ways round, ANDed, would not do: the
// compiler takes Max as commutative and computes it once.)
func maxFinite(x, y archsimd.Float64x8) archsimd.Float64x8 {
	return x.AsUint64x8().And(y.AsUint64x8()).AsFloat64x8().Merge(x.Max(y), x.Equal(y))
}

// minFinite is minExact without its NaN case, as maxFinite.
func minFinite(x, y archsimd.Float64x8) archsimd.Float64x8 {
	return x.AsUint64x8().Or(y.AsUint64x8()).AsFloat64x8().Merge(x.Min(y), x.Equal(y))
}

// addDayVector is pathState.addDay for every lane at once, and the day's check: it
// returns the lanes where finite, plus the sheet's values, is not finite. The day's
// values it takes in are all in that check (settleVector's finite), so that its maxima and
// minima need be exact only where no operand is NaN (maxFinite): a lane where one is
// NaN fails the check and is run again by the scalar Simulator, and the running values
// it took in before were finite or the infinities they start at.
func addDayVector(ps *lanePaths, k *laneConsts, finite, basis, forced, sales, equity, utilization, holdings, dv01 archsimd.Float64x8) uint8 {
	zero := load(&k.zero)
	maxFinite(load(&ps.peakBasis), basis).Store(&ps.peakBasis)
	load(&ps.auc).Add(maxFinite(basis, zero)).Store(&ps.auc)
	load(&ps.dysDays).Add(load(&k.unit).Masked(basis.Greater(load(&k.bDys)))).Store(&ps.dysDays)
	load(&ps.forcedTotal).Add(forced).Store(&ps.forcedTotal)
	load(&ps.salesTotal).Add(sales).Store(&ps.salesTotal)
	minFinite(load(&ps.minEquity), equity).Store(&ps.minEquity)
	maxFinite(load(&ps.peakHoldings), holdings).Store(&ps.peakHoldings)
	maxFinite(load(&ps.peakDV01), dv01).Store(&ps.peakDV01)
	maxFinite(load(&ps.peakUtl), utilization).Store(&ps.peakUtl)
	x := finite.Add(holdings).Add(dv01)
	return ^x.Sub(x).Equal(zero).ToBits()
}

// vectorBuild is true in the build with the vector kernels.
const vectorBuild = true

// adjustBooks is the Adjust of the pass's qe or spv (g.books) in every lane, operation
// for operation: the announcement (announceDay) and its effect on the day's theta, from,
// into theta.
func (g *laneGroup) adjustBooks(t int, from, theta *[lanes]float64) {
	b, ps, k := &g.books, g.p, g.c
	zero, one := load(&k.zero), load(&k.one)
	day := dayVector(t)
	announced := load(&b.announced)
	end := load(&k.largest) // spv: before t_exp; qe: always
	if b.kind == booksSPV {
		end = load(&b.tExp)
	}
	// The masks are combined as bits: an And of masks takes four vector instructions.
	open := day.Less(end).ToBits()
	announce := open & announced.Less(zero).ToBits() & load(&ps.basis).Greater(load(&b.trigger)).ToBits()
	announced = day.Merge(announced, archsimd.Mask64x8FromBits(announce))
	announced.Store(&b.announced)
	at := load(&b.announceTheta)
	th := load(from)
	slowed := open & announced.GreaterEqual(zero).ToBits() & at.NotEqual(one).ToBits()
	th.Mul(at).Merge(th, archsimd.Mask64x8FromBits(slowed)).Store(theta)
	archsimd.ClearAVXUpperBits()
}

// absorbBooks is the Absorb of the pass's qe or spv in every lane, operation for
// operation, into g.p's cash, bundles and discount.
func (g *laneGroup) absorbBooks(t int, d *laneDay) {
	b, f, ps, k := &g.books, &g.f, g.p, g.c
	zero := load(&k.zero)
	day := dayVector(t)
	held := load(&b.held)
	sales := load(&f.daySales)
	// Not b_t <= trigger: a NaN basis buys, as in the scalar code.
	above := ^load(&ps.basis).LessEqual(load(&b.trigger)).ToBits()
	if b.kind == booksSPV {
		buys := archsimd.Mask64x8FromBits(above & day.Less(load(&b.tExp)).ToBits())
		maxWith(zero, minExact(sales, load(&b.capacity).Sub(held)), false).Masked(buys).Store(&ps.bundles)
		load(&b.discount).Masked(buys).Store(&ps.discount)
		zero.Store(&ps.cash)
		archsimd.ClearAVXUpperBits()
		return
	}
	announced := load(&b.announced)
	buying := above & announced.GreaterEqual(zero).ToBits() & day.GreaterEqual(announced.Add(load(&b.lag))).ToBits()
	buys := archsimd.Mask64x8FromBits(buying)
	other := load(&d.other)
	available := sales.Add(other)
	if b.market != 0 {
		fromMarket := maxWith(zero, sales.Sub(load(&f.dayReentry)).Add(other), false).Add(load(&ps.inventory))
		available = fromMarket.Merge(available, archsimd.Mask64x8FromBits(b.market))
	}
	daily := load(&b.daily)
	if buying&b.scheduled != 0 {
		archsimd.ClearAVXUpperBits()
		b.qeCaps(t, buying)
		daily = load(&b.today).Merge(daily, archsimd.Mask64x8FromBits(b.scheduled))
	}
	buy := minExact(available, minExact(daily, load(&b.qMax).Sub(held)))
	maxWith(zero, buy, false).Masked(buys).Store(&ps.cash)
	zero.Store(&ps.bundles)
	zero.Store(&ps.discount)
	archsimd.ClearAVXUpperBits()
}

// settleBooks is the Settle and the Sheet of the pass's qe or spv in every lane, operation
// for operation, with the day Absorb saw: the sheet's holdings and DV01 go to g.p. It
// runs before settleVector, which they do not depend on: the day's basis b_t is still in
// g.p.basis.
func (g *laneGroup) settleBooks(t int, d *laneDay) {
	b, ps, k := &g.books, g.p, g.c
	zero := load(&k.zero)
	if b.kind == booksSPV {
		held := load(&b.held).Add(load(&ps.bundles))
		held.Store(&b.held)
		load(&b.cost).Add(load(&ps.bundles).Mul(load(&ps.basis).Add(load(&b.discount)))).Store(&b.cost)
		day := dayVector(t)
		closing := day.Equal(load(&b.tExp)).ToBits() & held.Greater(zero).ToBits()
		if closing != 0 {
			archsimd.ClearAVXUpperBits()
			b.spvClose(t, closing)
			held = load(&b.held)
		}
		// Stored a vector at a time, as recordVector loads them (see copyVector).
		held.Store(&ps.holdings)
		load(&k.zero).Store(&ps.dv01)
		archsimd.ClearAVXUpperBits()
		return
	}
	dq := load(&b.dq)
	held := load(&b.held).Add(load(&ps.cash))
	held.Store(&b.held)
	risk := dq.Mul(held)
	load(&b.pnl).Sub(risk.Mul(load(&d.dy)).Div(load(&k.bp))).Store(&b.pnl)
	held.Store(&ps.holdings)
	risk.Mul(archsimd.BroadcastFloat64x8(1e-4)).Store(&ps.dv01)
	archsimd.ClearAVXUpperBits()
}

// peaksVector is peak 8 values at a time: the same value, as max is exact (maxExact) and
// its order does not matter, but where xs has a NaN, which the day's checks catch.
func peaksVector(xs []float64) float64 {
	var p archsimd.Float64x8 // zeros, without a scalar zero (see vec8.ShiftRight)
	i := 0
	for ; i+8 <= len(xs); i += 8 {
		p = maxExact(p, archsimd.LoadFloat64x8Slice(xs[i:i+8]))
	}
	var ps [lanes]float64
	p.Store(&ps)
	archsimd.ClearAVXUpperBits()
	return max(peak(ps[:]), peak(xs[i:]))
}

// loadVector is load on lanes 0..n-1 at once from day from (a lane l < n whose pass starts
// later gets the days before its own too, which nobody reads): each lane's shocks moved
// into g.days 8 lanes by 8 days at a time (transposeDays; days past the last multiple of 8
// as part of the last 8 days, on a horizon under 8 days day by day), then the
// conditions that depend on F_t and sigma_t computed for all lanes of a day in one vector
// operation each, operation for operation as load. The lanes from n on get lane 0's
// values, which nobody reads either. Where g reads the batch's draws as they are (g.src),
// loadSource does it without the transposes.
func (g *laneGroup) loadVector(n, from int) {
	if g.src != nil {
		g.loadSource(n, from)
		return
	}
	m := g.m
	days := g.days
	T := len(days)
	repoLimited, sellers := m.repoLimited, m.sellers
	var F, sigma, margin, dy, noise, repo, other [lanes][]float64
	for l := range lanes {
		ln := g.lane[0]
		if l < n {
			ln = g.lane[l]
		}
		sh, s := ln.sh, ln.sim
		F[l], sigma[l], margin[l], dy[l], noise[l] = sh.F[:T], sh.Sigma[:T], sh.Margin[:T], sh.DY[:T], sh.Noise[:T]
		if repoLimited {
			repo[l] = s.repo[:T]
		}
		if sellers {
			other[l] = s.other[:T]
		}
	}
	// F_t goes to the haircut and sigma_t to omega sigma_t, which the loop below computes
	// from them.
	start := from &^ (lanes - 1)
	t := start
	var dst [lanes]*[lanes]float64
	for t < T {
		if t+lanes > T {
			if T < lanes {
				break
			}
			// The last days, not a multiple of 8: the last 8 days again, the days
			// before these getting the same values once more.
			t = T - lanes
			start = min(start, t)
		}
		b := days[t : t+lanes]
		// Series rows into field of days t..t+7.
		move := func(rows *[lanes][]float64, field func(d *laneDay) *[lanes]float64) {
			for k := range dst {
				dst[k] = field(&b[k])
			}
			transposeDays(rows, t, &dst)
		}
		move(&F, func(d *laneDay) *[lanes]float64 { return &d.cond.haircut })
		move(&sigma, func(d *laneDay) *[lanes]float64 { return &d.omegaSigma })
		move(&margin, func(d *laneDay) *[lanes]float64 { return &d.cond.margin })
		move(&dy, func(d *laneDay) *[lanes]float64 { return &d.dy })
		move(&noise, func(d *laneDay) *[lanes]float64 { return &d.noise })
		if repoLimited {
			move(&repo, func(d *laneDay) *[lanes]float64 { return &d.cond.repo })
		}
		if sellers {
			move(&other, func(d *laneDay) *[lanes]float64 { return &d.other })
		}
		t += lanes
	}
	archsimd.ClearAVXUpperBits() // scalar code follows (see vec8.ShiftRight)
	for ; t < T; t++ {
		d := &days[t]
		for l := range lanes {
			d.cond.haircut[l], d.omegaSigma[l], d.cond.margin[l] = F[l][t], sigma[l][t], margin[l][t]
			d.dy[l], d.noise[l] = dy[l][t], noise[l][t]
			if repoLimited {
				d.cond.repo[l] = repo[l][t]
			}
			if sellers {
				d.other[l] = other[l][t]
			}
		}
	}
	k := g.c
	for t := start; t < T; t++ {
		d := &days[t]
		k.setDay(d, load(&d.cond.haircut), load(&d.omegaSigma))
	}
	archsimd.ClearAVXUpperBits()
}

// setDay sets day d's conditions that depend on F_t (f) and sigma_t (sigma) for every
// lane, operation for operation as load: the haircut, the spread, the dealers' capacity
// and omega sigma_t, with the model's constants loaded from k (kept in memory, not in
// registers that the loaders' calls would spill). loadVector and loadSource take F_t and
// sigma_t each their own way.
func (k *laneConsts) setDay(d *laneDay, f, sigma archsimd.Float64x8) {
	load(&k.h0).Add(load(&k.kappaH).Mul(f)).Store(&d.cond.haircut)
	load(&k.spread0).Add(load(&k.kappaS).Mul(f)).Store(&d.cond.spread)
	load(&k.k0).Div(load(&k.one).Add(load(&k.kappaK).Mul(f))).Store(&d.cond.capacity)
	load(&k.omega).Mul(sigma).Store(&d.omegaSigma)
}

// loadSource is loadVector from the batch's draws as they are (g.src, day-major), with
// no transposes: where the lanes hold batch paths 8q..8q+7 in order (the no-policy pass's
// groups) a day of a series is one vector load; elsewhere (a policy's pass, its paths in
// the order of their wake days) a gather from the day's row of every path of the batch,
// two permutations from each pair of vectors the lanes take values from (gatherLanes).
// The conditions are computed as loadVector computes them, operation for operation; the
// lanes from n on get lane 0's values.
func (g *laneGroup) loadSource(n, from int) {
	src := g.src
	days := g.days
	T := len(days)
	k := g.c
	base := g.idx[0]
	inOrder := base%lanes == 0
	var ix [lanes]uint64
	var pairs [batchPaths / (2 * lanes)]uint8 // the lanes that take their values from pair p
	for l := range lanes {
		i := base
		if l < n {
			i = g.idx[l]
			inOrder = inOrder && i == base+l
		}
		ix[l] = uint64(i % (2 * lanes))
		pairs[i/(2*lanes)] |= 1 << l
	}
	if inOrder {
		for t := from; t < T; t++ {
			at := t*batchPaths + base
			d := &days[t]
			k.setDay(d, load((*[lanes]float64)(src.f[at:])), load((*[lanes]float64)(src.sigma[at:])))
			load((*[lanes]float64)(src.margin[at:])).Store(&d.cond.margin)
			load((*[lanes]float64)(src.dy[at:])).Store(&d.dy)
			load((*[lanes]float64)(src.noise[at:])).Store(&d.noise)
		}
		archsimd.ClearAVXUpperBits()
		return
	}
	idx := archsimd.LoadUint64x8(&ix)
	for t := from; t < T; t++ {
		at := t * batchPaths
		d := &days[t]
		k.setDay(d, gatherLanes((*[batchPaths]float64)(src.f[at:]), idx, &pairs), gatherLanes((*[batchPaths]float64)(src.sigma[at:]), idx, &pairs))
		gatherLanes((*[batchPaths]float64)(src.margin[at:]), idx, &pairs).Store(&d.cond.margin)
		gatherLanes((*[batchPaths]float64)(src.dy[at:]), idx, &pairs).Store(&d.dy)
		gatherLanes((*[batchPaths]float64)(src.noise[at:]), idx, &pairs).Store(&d.noise)
	}
	archsimd.ClearAVXUpperBits()
}

// gatherLanes returns row[i_l] in lane l, where lane l's index i_l into row (a day of
// every path of a batch) is 2*lanes*p + idx[l] for the pair p of vectors of row whose
// pairs[p] has bit l set.
func gatherLanes(row *[batchPaths]float64, idx archsimd.Uint64x8, pairs *[batchPaths / (2 * lanes)]uint8) archsimd.Float64x8 {
	// Every lane is in one pair's mask: the lanes no pair has merged yet hold a value
	// nobody reads. A loop, which the compiler inlines into the loaders (no call in their
	// loops over days).
	var x archsimd.Float64x8
	for p, lns := range pairs {
		if lns != 0 {
			at := 2 * lanes * p
			x = load((*[lanes]float64)(row[at:])).ConcatPermute(load((*[lanes]float64)(row[at+lanes:])), idx).Merge(x, archsimd.Mask64x8FromBits(lns))
		}
	}
	return x
}

// peaksSource finds the peak volatility and funding stress of batch paths 0..n-1 (as
// peaksVector does) from the batch's draws as they are (g.src): 8 paths at a time, day by
// day.
func (g *laneGroup) peaksSource(n int) {
	src := g.src
	T := len(g.days)
	var vol, stress [lanes]float64
	for q := 0; q < n; q += lanes {
		var pv, pf archsimd.Float64x8 // zeros, without a scalar zero (see vec8.ShiftRight)
		for t := range T {
			at := t*batchPaths + q
			pv = maxExact(pv, load((*[lanes]float64)(src.sigma[at:])))
			pf = maxExact(pf, load((*[lanes]float64)(src.f[at:])))
		}
		pv.Store(&vol)
		pf.Store(&stress)
		archsimd.ClearAVXUpperBits() // scalar code follows (see vec8.ShiftRight)
		for l := range min(lanes, n-q) {
			s := g.batch[q+l].sim
			s.peakVol, s.peakF = vol[l], stress[l]
		}
	}
	archsimd.ClearAVXUpperBits()
}

// transposeDays stores days t..t+7 of rows (row l is lane l's series) lanes at a time:
// day t+k of every lane into dst[k], an 8x8 transpose (vec8.Transpose), as storeDays
// (draws_simd.go) the other way round.
func transposeDays(rows *[lanes][]float64, t int, dst *[lanes]*[lanes]float64) {
	v0 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[0][t:]))
	v1 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[1][t:]))
	v2 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[2][t:]))
	v3 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[3][t:]))
	v4 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[4][t:]))
	v5 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[5][t:]))
	v6 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[6][t:]))
	v7 := archsimd.LoadFloat64x8((*[lanes]float64)(rows[7][t:]))
	v0, v1, v2, v3, v4, v5, v6, v7 = vec8.Transpose(v0, v1, v2, v3, v4, v5, v6, v7)
	v0.Store(dst[0])
	v1.Store(dst[1])
	v2.Store(dst[2])
	v3.Store(dst[3])
	v4.Store(dst[4])
	v5.Store(dst[5])
	v6.Store(dst[6])
	v7.Store(dst[7])
}

// risenVector returns the lanes whose basis is above the next level at which a dormant
// policy wakes (wake's test, basis > next, false on a NaN either way), so that wake looks
// at those lanes only.
func (g *laneGroup) risenVector() uint8 {
	ps := g.p
	risen := load(&ps.basis).Greater(load(&ps.next)).ToBits()
	archsimd.ClearAVXUpperBits()
	return risen
}

// copyVector sets c to from a vector at a time, as the kernels then load it: the copy's
// stores are as wide as their loads, which then take the values straight from the
// stores (a struct copy stores 16 bytes at a time, which a 64-byte load must wait to
// reach the cache).
func (c *laneConds) copyVector(from *laneConds) {
	load(&from.haircut).Store(&c.haircut)
	load(&from.margin).Store(&c.margin)
	load(&from.spread).Store(&c.spread)
	load(&from.capacity).Store(&c.capacity)
	load(&from.theta).Store(&c.theta)
	load(&from.repo).Store(&c.repo)
	archsimd.ClearAVXUpperBits()
}

// dayVector is float64(t) in every lane, converted in a vector register: a scalar
// conversion is a legacy-SSE instruction, which an Intel CPU makes wait in vector code
// (see vec8.ShiftRight).
func dayVector(t int) archsimd.Float64x8 {
	return archsimd.BroadcastInt64x8(int64(t)).ConvertToFloat64()
}
