//go:build goexperiment.simd && amd64 && !amd64.v3

// The fund loops of the lockstep simulator (lanes.go) as AVX-512 vector operations, one
// Float64x8 per fund for all lanes. Built with GOEXPERIMENT=simd only; not with
// GOAMD64=v3 or above, where the compiler fuses the scalar loops' multiply-adds and the
// scalar reference rounds differently.

package sim

import (
	"math"
	"simd/archsimd"
)

// vectorLanes reports whether the CPU runs the vector kernels.
func vectorLanes() bool { return archsimd.X86.AVX512() }

// decideVector is funds.decide for every lane at once, operation for operation: see
// lanes.go for why its results are bit for bit the scalar loop's.
func (f *laneFunds) decideVector(m *Model) {
	p := &m.cfg.Funds
	zero := archsimd.BroadcastFloat64x8(0)
	one := archsimd.BroadcastFloat64x8(1)
	largest := archsimd.BroadcastFloat64x8(math.MaxFloat64)
	theta := archsimd.LoadFloat64x8(&f.theta)
	scale := archsimd.LoadFloat64x8(&f.bufferScale)
	// Model.fundLimits, operation for operation, and usable.
	riskScale := archsimd.BroadcastFloat64x8(1e4 * p.V).Div(archsimd.BroadcastFloat64x8(p.DB * p.Alpha).Mul(archsimd.LoadFloat64x8(&f.sb)))
	perCapital := one.Div(archsimd.LoadFloat64x8(&f.r))
	ok := perCapital.Greater(zero).And(perCapital.LessEqual(largest)).
		And(riskScale.GreaterEqual(zero)).And(riskScale.LessEqual(largest)).
		And(theta.Sub(theta).Equal(zero))
	var repoShare archsimd.Float64x8
	if m.repoLimited {
		financeable := archsimd.LoadFloat64x8(&f.repo).Div(one.Sub(archsimd.LoadFloat64x8(&f.haircut)))
		repoShare = financeable.Div(archsimd.BroadcastFloat64x8(m.startHeld))
		ok = ok.And(repoShare.GreaterEqual(zero))
	}
	if m.bufferStress {
		ok = ok.And(scale.GreaterEqual(zero)).And(scale.LessEqual(one))
	}
	f.unusable = ^ok.ToBits()
	thetaUp := archsimd.BroadcastFloat64x8(f.thetaUp)
	liquidationDays := archsimd.BroadcastFloat64x8(f.liquidationDays)
	reenter := archsimd.Mask64x8FromBits(f.reenter)
	repoLimited, bufferStress := m.repoLimited, m.bufferStress
	sales, reentry, forced := zero, zero, zero
	pos := f.pos
	n := len(pos)
	equity, atDefault, startB, invBuffer, buffer := f.equity[:n], f.atDefault[:n], f.startB[:n], f.invBuffer[:n], f.buffer[:n]
	daySales, dayReentry, voluntary := f.sales[:n], f.reentry[:n], f.voluntary[:n]
	for j := range pos {
		b := archsimd.LoadFloat64x8(&pos[j])
		e := archsimd.LoadFloat64x8(&equity[j])
		capacity := e.Mul(perCapital)
		b0 := archsimd.LoadFloat64x8(&startB[j])
		if repoLimited {
			capacity = capacity.Min(b0.Mul(repoShare))
		}
		var inv archsimd.Float64x8
		if bufferStress {
			inv = one.Div(one.Add(archsimd.LoadFloat64x8(&buffer[j]).Mul(scale)))
		} else {
			inv = archsimd.LoadFloat64x8(&invBuffer[j])
		}
		target := capacity.Mul(inv).Min(riskScale.Mul(e)).Min(b0)
		forcedJ := b.Sub(capacity).Max(zero)
		s := forcedJ.Add(theta.Mul(b.Min(capacity).Sub(target).Max(zero)))
		re := thetaUp.Mul(target.Sub(b).Max(zero)).Masked(reenter)
		if dead := e.LessEqual(zero); dead.ToBits() != 0 {
			// Lenders liquidate what the fund held at default over L_days days.
			deadSales := archsimd.LoadFloat64x8(&atDefault[j]).Div(liquidationDays).Min(b)
			s = deadSales.Merge(s, dead)
			forcedJ = deadSales.Merge(forcedJ, dead)
			re = zero.Merge(re, dead)
		}
		s.Store(&daySales[j])
		re.Store(&dayReentry[j])
		s.Sub(forcedJ).Store(&voluntary[j]) // 0 - 0 on a defaulted fund's lanes
		sales = sales.Add(s)
		reentry = reentry.Add(re)
		forced = forced.Add(forcedJ)
	}
	sales.Store(&f.daySales)
	reentry.Store(&f.dayReentry)
	forced.Store(&f.dayForced)
	// Back to the scalar code, whose SSE instructions would otherwise depend on the
	// vector registers' upper bits (twice the time of the random draws, measured).
	archsimd.ClearAVXUpperBits()
}

// settleVector is funds.settle for every lane at once.
func (f *laneFunds) settleVector(m *Model) {
	p := &m.cfg.Funds
	zero := archsimd.BroadcastFloat64x8(0)
	one := archsimd.BroadcastFloat64x8(1)
	// Simulator.steps' toPolicy and carry, and Model.settleCosts, operation for operation.
	daySales := archsimd.LoadFloat64x8(&f.daySales)
	toPolicy := archsimd.LoadFloat64x8(&f.bundles).Div(daySales).Masked(daySales.Greater(zero))
	db, bp := archsimd.BroadcastFloat64x8(p.DB), archsimd.BroadcastFloat64x8(1e4)
	costPerSale := db.Mul(one.Sub(toPolicy).Mul(archsimd.LoadFloat64x8(&f.concession)).
		Add(toPolicy.Mul(archsimd.LoadFloat64x8(&f.discount)))).Div(bp)
	markPerPos := db.Mul(archsimd.LoadFloat64x8(&f.dBasis)).Div(bp)
	carry := archsimd.BroadcastFloat64x8(p.Carry).Sub(archsimd.LoadFloat64x8(&f.spread)).Div(archsimd.BroadcastFloat64x8(252 * 1e4))
	archsimd.LoadFloat64x8(&f.inventory).Div(archsimd.LoadFloat64x8(&f.capacity)).Store(&f.utilization)
	defaulted := archsimd.LoadFloat64x8(&f.defaulted)
	equity, held, defaultDay, check := zero, zero, zero, zero
	pos := f.pos
	n := len(pos)
	eq, atDefault := f.equity[:n], f.atDefault[:n]
	sales, dayReentry, voluntary := f.sales[:n], f.reentry[:n], f.voluntary[:n]
	for j := range pos {
		before := archsimd.LoadFloat64x8(&pos[j])
		s := archsimd.LoadFloat64x8(&sales[j])
		b := before.Sub(s).Add(archsimd.LoadFloat64x8(&dayReentry[j])).Max(zero)
		b.Store(&pos[j])
		e0 := archsimd.LoadFloat64x8(&eq[j])
		live := e0.Greater(zero)
		e := e0.Sub(markPerPos.Mul(b)).Sub(costPerSale.Mul(s)).Add(before.Mul(carry))
		e = e.Merge(e0, live)
		e.Store(&eq[j])
		// A NaN equity would fail both masks below and be left out of the totals, where
		// the scalar loop adds it: check sums every fund's equity to catch it.
		check = check.Add(e)
		up := e.Greater(zero).And(live)
		if down := e.LessEqual(zero).And(live); down.ToBits() != 0 {
			b.Merge(archsimd.LoadFloat64x8(&atDefault[j]), down).Store(&atDefault[j])
			defaulted = defaulted.Add(one.Masked(down))
			defaultDay = defaultDay.Add(archsimd.LoadFloat64x8(&voluntary[j]).Masked(down))
		}
		equity = equity.Add(e.Masked(up))
		held = held.Add(b.Masked(up))
	}
	held.Store(&f.held)
	defaulted.Store(&f.defaulted)
	equity.Store(&f.dayEquity)
	defaultDay.Store(&f.defaultDay)
	check.Store(&f.check)
	archsimd.ClearAVXUpperBits()
}

// vectorBuild is true in the build with the vector kernels.
const vectorBuild = true
