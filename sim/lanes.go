package sim

import (
	"math"
	"math/bits"
)

// The lockstep simulator: up to lanes paths step through each day together, their funds
// in structure-of-arrays form ([fund][lane]), so that the two loops over the funds, the
// funds' decisions (funds.decide) and their settlement (funds.settle), run as one 512-bit
// vector operation per fund for all lanes (lanes_simd.go, built with GOEXPERIMENT=simd on
// CPUs with AVX-512). Everything else of a day (conditions, the policy, the market) is
// done lane by lane, in scalar code that mirrors Simulator.steps line for line. The
// results are bit for bit those of Simulator.RunAll on each path (TestLanesEqualScalar):
//
//   - the vector kernels do the scalar loops' operations in the same order and
//     association, without fused multiply-adds, and sum the day's totals fund by fund in
//     fund order, each lane starting from +0 as the scalar loop does;
//   - branches become masks: a defaulted fund, a new default and the calm-market
//     re-entry select their lanes' values instead of skipping them, and a value left out
//     of a total is added as +0, which leaves any sum that started at +0 unchanged;
//   - VMINPD/VMAXPD differ from Go's min and max only on NaN operands and on a tie of
//     -0 and +0. A tie between zeros can change only the sign of a zero, and in these
//     loops a zero's sign never reaches a magnitude: nothing divides by a fund's value,
//     and every total is a sum that starts at +0, where +0 + -0 = +0. NaN cannot occur in
//     the decisions of a lane whose inputs are finite with the signs checked by usable
//     (capacity and target are then finite or +Inf, never -Inf or NaN) and whose funds
//     are finite; a NaN or infinity that arises in a day shows in that day's totals or in
//     the sum of all funds' equity (check), before any later day uses it. A lane where
//     either check fails is run again, whole, by the scalar Simulator.
//
// RunAll's shortcut is kept: the no-policy pass runs every lane from day 0 and saves each
// lane's state on the days its dormant policies wake; a policy's pass then runs from the
// earliest wake day of its lanes, each lane joining on its own wake day from its own
// snapshot (a lane not yet joined computes values nobody reads); a lane whose policy never
// wakes takes the no-policy results.
const lanes = 8

// laneFunds are the funds of every lane, and the per-lane inputs and outputs of the fund
// loops.
type laneFunds struct {
	pos, equity, atDefault    [][lanes]float64 // B_j, E_j and B_j at default, [j][lane]
	sales, reentry, voluntary [][lanes]float64 // the day's S_j, R_j and voluntary part of S_j
	held, defaulted           [lanes]float64   // sum of B_j over live funds; funds in default

	// The day's inputs of the decisions, per lane: capital per $ r, basis volatility sb,
	// the conditions' theta, haircut and repo L_t, the opening basis and the buffers' factor
	// (buffer_stress only). The kernels derive funds.decide's limits from them (fundLimits).
	r, sb, theta, haircut, repo, basis, bufferScale [lanes]float64
	reenter                                         uint8 // bit l: b_t <= b_dys on lane l
	// The decisions' totals S, R and the forced part of S, and the lanes whose inputs the
	// vector kernels cannot take (see usable).
	daySales, dayReentry, dayForced [lanes]float64
	unusable                        uint8

	// The day's inputs of the settlement, per lane: b_{t+1} - b_t, the bundles the policy
	// bought and their discount, the concession, the repo spread; the kernels derive
	// funds.settle's arguments from them as Simulator.steps does. Also the dealers'
	// inventory I_{t+1} and capacity K_t, whose ratio the kernels compute.
	dBasis, bundles, discount, concession, spread [lanes]float64
	inventory, capacity, utilization              [lanes]float64
	dayEquity, defaultDay                         [lanes]float64 // settle's totals
	check                                         [lanes]float64 // sum of every fund's E_j after settle

	startB, invBuffer, buffer [][lanes]float64 // B_j0, 1 / (1 + u_j) and u_j in every lane
	liquidationDays, thetaUp  float64
}

// laneState is one lane's path: what Simulator.steps keeps in locals.
type laneState struct {
	sim    *Simulator // prepare's day arrays, the snapshots and the scalar fallback
	sh     *Shocks
	acc    pathState
	cond   Conditions
	a      Absorption
	forced float64
	// The day's Day, kept field by field: a Day copied from memory to pass it to a policy
	// is moved in 16-byte loads that cannot forward from the 8-byte stores that wrote it.
	basis, position, lambda, dealers, other float64
}

// policyDay returns lane l's Day t for the policy's Absorb and Settle.
func (ln *laneState) policyDay(t int, sales, reentry float64) Day {
	return Day{T: t, Basis: ln.basis, Position: ln.position, Sales: sales, Reentry: reentry,
		Impact: ln.lambda, Dealers: ln.dealers, Other: ln.other, DY: ln.sh.DY[t]}
}

// laneGroup steps up to lanes paths in lockstep. It owns scratch space and is not safe for
// concurrent use.
type laneGroup struct {
	m      *Model
	vector bool // the AVX-512 kernels, else funds.decide and funds.settle lane by lane
	f      laneFunds
	lane   [lanes]laneState
	levels []float64
	bad    uint8 // lanes to run again with the scalar Simulator
	one    funds // the scalar kernel's scratch
}

// newLaneGroup returns a laneGroup for m, with the vector kernels where asked for and
// available (vectorLanes), else the scalar ones.
func (m *Model) newLaneGroup(vector bool) *laneGroup {
	n := m.cfg.Funds.NFunds
	p := &m.cfg.Funds
	g := &laneGroup{m: m, vector: vector && vectorLanes(), one: newFunds(n)}
	f := &g.f
	col := func() [][lanes]float64 { return make([][lanes]float64, n) }
	f.pos, f.equity, f.atDefault = col(), col(), col()
	f.sales, f.reentry, f.voluntary = col(), col(), col()
	f.startB, f.invBuffer, f.buffer = col(), col(), col()
	for j := 0; j < n; j++ {
		for l := 0; l < lanes; l++ {
			f.startB[j][l], f.invBuffer[j][l], f.buffer[j][l] = m.startB[j], m.invBuffer[j], m.buffer[j]
		}
	}
	f.liquidationDays, f.thetaUp = float64(p.LDays), p.ThetaUp
	for l := range g.lane {
		g.lane[l].sim = m.NewSimulator()
	}
	return g
}

// runAll runs every lane's policies on its shocks: lane l < n is paths[l], with
// Shocks set, and its policies pols[l]; the results go to paths[l].Results[k].Values and
// paths[l].Days[k], as Simulator.RunAll does for one path.
func (g *laneGroup) runAll(n int, paths []Path, pols [][]Policy) {
	m := g.m
	T := m.Days()
	np := len(pols[0])
	g.bad = 0
	used := uint8(1)<<n - 1
	for l := 0; l < n; l++ {
		g.lane[l].sh = paths[l].Shocks
		g.lane[l].sim.prepare(paths[l].Shocks)
	}
	base := -1
	for k, p := range pols[0] {
		if _, ok := p.(*None); ok {
			base = k
			break
		}
	}
	var wake [lanes]int
	if base < 0 {
		for k := 0; k < np; k++ {
			for l := range wake {
				wake[l] = T
				if used>>l&1 != 0 {
					wake[l] = 0
				}
			}
			g.pass(k, -1, false, &wake, paths, pols)
		}
	} else {
		g.levels = wakeLevels(g.levels[:0], pols[0], base)
		for l := range wake {
			wake[l] = T
			if used>>l&1 != 0 {
				wake[l] = 0
				sn := &g.lane[l].sim.snaps
				sn.ensure(T, len(g.f.pos))
				sn.arm(g.levels, T)
			}
		}
		g.pass(base, -1, true, &wake, paths, pols)
		for k := 0; k < np; k++ {
			if k == base {
				continue
			}
			for l := range wake {
				wake[l] = T
				if used>>l&1 == 0 || g.bad>>l&1 != 0 {
					continue
				}
				if wake[l] = g.lane[l].sim.snaps.wake[k]; wake[l] == T {
					p := &paths[l]
					p.Results[k].Values = p.Results[base].Values
					if p.Days[k] != nil {
						copy(p.Days[k], p.Days[base])
					}
				}
			}
			g.pass(k, base, false, &wake, paths, pols)
		}
	}
	for bad := g.bad & used; bad != 0; bad &= bad - 1 {
		l := bits.TrailingZeros8(bad)
		p := &paths[l]
		g.lane[l].sim.RunAll(p.Shocks, pols[l], p.Results, p.Days)
	}
}

// pass runs policy k on the lanes from day wake[l] (T: not at all): from day 0 from the
// start of the path, from a later day from the snapshot of the no-policy pass (policy
// base) saved then, with base's series before it. The no-policy pass saves the snapshots
// (snaps).
func (g *laneGroup) pass(k, base int, snaps bool, wake *[lanes]int, paths []Path, pols [][]Policy) {
	T := g.m.Days()
	from := T
	for _, w := range wake {
		from = min(from, w)
	}
	var active uint8
	for t := from; t < T; t++ {
		for l, w := range wake {
			if w == t && g.bad>>l&1 == 0 {
				active |= 1 << l
				g.join(l, t, pols[l][k], &paths[l], k, base)
			}
		}
		active &^= g.bad
		for a := active; a != 0; a &= a - 1 {
			l := bits.TrailingZeros8(a)
			g.open(l, t, pols[l][k], snaps)
		}
		active &^= g.bad
		g.decide(active)
		for a := active; a != 0; a &= a - 1 {
			l := bits.TrailingZeros8(a)
			g.clear(l, t, pols[l][k])
		}
		g.settle(active)
		for a := active; a != 0; a &= a - 1 {
			l := bits.TrailingZeros8(a)
			g.record(l, t, pols[l][k], paths[l].Days[k])
		}
	}
	for a := active &^ g.bad; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		ln := &g.lane[l]
		writeMetrics(ln.sim, ln.sh, pols[l][k].Sheet(), &ln.acc, g.totalEquity(l), int(g.f.defaulted[l]), &paths[l].Results[k])
	}
}

// join starts lane l's policy pol on day t: at the start of the path (Simulator.begin) on
// day 0, else from the no-policy state saved on day t, with the no-policy series before it.
func (g *laneGroup) join(l, t int, pol Policy, p *Path, k, base int) {
	m := g.m
	f := &g.f
	ln := &g.lane[l]
	pol.Start()
	if t == 0 {
		for j := range f.pos {
			f.pos[j][l], f.equity[j][l], f.atDefault[j][l] = m.startB[j], m.startE[j], 0
		}
		f.held[l], f.defaulted[l] = m.startHeld, 0
		ln.acc = pathState{
			mkt:     market{basis: m.cfg.Market.BInit, prevBasis: m.cfg.Market.BInit},
			equity0: g.totalEquity(l), peakBasis: math.Inf(-1), minEquity: math.Inf(1),
		}
		return
	}
	sn := &ln.sim.snaps
	n := len(f.pos)
	for j := 0; j < n; j++ {
		f.pos[j][l], f.equity[j][l], f.atDefault[j][l] = sn.pos[t*n+j], sn.equity[t*n+j], sn.atDefault[t*n+j]
	}
	f.held[l], f.defaulted[l] = sn.held[t], float64(sn.defaulted[t])
	ln.acc = sn.states[t]
	if days := p.Days[k]; days != nil {
		T := m.Days()
		for i := 0; i < NumSeries; i++ {
			copy(days[i*T:i*T+t], p.Days[base][i*T:i*T+t])
		}
	}
}

// totalEquity is funds.totalEquity of lane l.
func (g *laneGroup) totalEquity(l int) float64 {
	total := 0.0
	for j := range g.f.equity {
		total += max(0, g.f.equity[j][l])
	}
	return total
}

// open is step 1 of Simulator.steps on lane l up to the funds' decisions, whose inputs
// it sets; on the no-policy pass it first saves the lane's state when a policy wakes.
func (g *laneGroup) open(l, t int, pol Policy, snaps bool) {
	m := g.m
	cfg := &m.cfg
	fp := &cfg.Funds
	f := &g.f
	ln := &g.lane[l]
	sh := ln.sh
	mkt := &ln.acc.mkt
	if sn := &ln.sim.snaps; snaps && mkt.basis > sn.next {
		g.save(l, t)
		sn.advance(t, mkt.basis)
	}
	F := sh.F[t]
	cond := &ln.cond
	cond.Haircut = fp.H0 + fp.KappaH*F
	cond.Margin = sh.Margin[t]
	cond.Spread = fp.Spread0 + fp.KappaS*F
	cond.Capacity = ln.sim.capacity[t]
	cond.Theta = fp.Theta
	cond.Repo = math.Inf(1)
	if m.repoLimited {
		cond.Repo = ln.sim.repo[t]
	}
	ln.basis, ln.position = mkt.basis, f.held[l]
	pol.Adjust(Day{T: t, Basis: mkt.basis, Position: f.held[l], DY: sh.DY[t]}, cond)
	r := cond.Haircut + cond.Margin
	f.r[l] = r
	f.sb[l] = cfg.Shocks.Omega*sh.Sigma[t] + math.Abs(mkt.basis-mkt.prevBasis)
	f.theta[l], f.haircut[l], f.repo[l], f.basis[l] = cond.Theta, cond.Haircut, cond.Repo, mkt.basis
	f.reenter &^= 1 << l
	if mkt.basis <= cfg.Market.BDys {
		f.reenter |= 1 << l
	}
	if m.bufferStress {
		f.bufferScale[l] = m.bufferScale(r)
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

// clear is steps 2 and 3 of Simulator.steps on lane l, and the inputs of the settlement.
func (g *laneGroup) clear(l, t int, pol Policy) {
	m := g.m
	mp := &m.cfg.Market
	f := &g.f
	ln := &g.lane[l]
	acc := &ln.acc
	mkt := &acc.mkt
	sales, reentry := f.daySales[l], f.dayReentry[l]
	ln.forced = f.dayForced[l]
	lambda := mkt.impact(mp, ln.cond.Capacity)
	other := 0.0
	if m.sellers {
		other = ln.sim.other[t]
		acc.otherTotal += other
	}
	ln.lambda, ln.dealers, ln.other = lambda, mkt.inventory, other
	a := pol.Absorb(ln.policyDay(t, sales, reentry))
	ln.a = a
	net := sales - reentry
	xc := net + other - a.Cash - a.Bundles
	xf := net - a.Bundles
	basis := mkt.basis
	_, concession := mkt.clear(mp, lambda, xc, xf, ln.sh.Noise[t])
	f.dBasis[l], f.bundles[l], f.discount[l], f.concession[l] = mkt.basis-basis, a.Bundles, a.Discount, concession
	f.spread[l], f.inventory[l], f.capacity[l] = ln.cond.Spread, mkt.inventory, ln.cond.Capacity
}

// record is steps 5 and 6 of Simulator.steps on lane l. A lane whose day's totals are not
// finite is marked for the scalar Simulator.
func (g *laneGroup) record(l, t int, pol Policy, days []float64) {
	m := g.m
	mp := &m.cfg.Market
	f := &g.f
	ln := &g.lane[l]
	sh := ln.sh
	acc := &ln.acc
	mkt := &acc.mkt
	T := len(sh.Sigma)
	sales, equity, defaultDay := f.daySales[l], f.dayEquity[l], f.defaultDay[l]
	forced := ln.forced
	if m.defaultDayForced {
		forced += defaultDay
	}
	if x := sales + f.dayReentry[l] + f.dayForced[l] + equity + f.held[l] + defaultDay + f.check[l]; x-x != 0 {
		g.bad |= 1 << l
	}
	pol.Settle(ln.policyDay(t, sales, f.dayReentry[l]), ln.a)
	sheet := pol.Sheet()
	utilization := f.utilization[l]
	acc.addDay(mkt.basis, mp.BDys, forced, sales, equity, utilization, &sheet)
	if t == min(PositionCutDay, T-1) {
		held := 0.0
		for j := range f.pos {
			held += f.pos[j][l]
		}
		acc.positionCut = 1 - held/m.startHeld
	}
	if days != nil {
		recordSeries(days, T, t, mkt.basis, sales, sheet.Holdings, utilization, equity)
	}
}

// save keeps lane l's state at the start of day t in its snapshots (snapshots.save).
func (g *laneGroup) save(l, t int) {
	f := &g.f
	sn := &g.lane[l].sim.snaps
	n := len(f.pos)
	sn.states[t] = g.lane[l].acc
	for j := 0; j < n; j++ {
		sn.pos[t*n+j], sn.equity[t*n+j], sn.atDefault[t*n+j] = f.pos[j][l], f.equity[j][l], f.atDefault[j][l]
	}
	sn.held[t], sn.defaulted[t] = f.held[l], int(f.defaulted[l])
}

// decide runs the funds' decisions of the active lanes, and marks those whose inputs the
// vector kernels cannot take for the scalar Simulator.
func (g *laneGroup) decide(active uint8) {
	m, f, s := g.m, &g.f, &g.one
	if g.vector {
		f.decideVector(m)
		g.bad |= f.unusable & active
		return
	}
	for a := active; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		g.gather(l)
		financeable := f.repo[l] / (1 - f.haircut[l])
		riskScale, perCapital, repoShare := m.fundLimits(f.r[l], f.sb[l], financeable)
		if !usable(m, riskScale, perCapital, f.theta[l], repoShare, f.bufferScale[l]) {
			g.bad |= 1 << l
		}
		f.daySales[l], f.dayReentry[l], f.dayForced[l] = s.decide(m, f.r[l], f.sb[l], f.theta[l], f.basis[l], financeable)
		for j := range f.pos {
			f.sales[j][l], f.reentry[j][l], f.voluntary[j][l] = s.sales[j], s.reentry[j], s.voluntary[j]
		}
	}
}

// settle runs the settlement of the active lanes (with the dealers' utilization).
func (g *laneGroup) settle(active uint8) {
	if g.vector {
		g.f.settleVector(g.m)
		return
	}
	fp := &g.m.cfg.Funds
	f, s := &g.f, &g.one
	for a := active; a != 0; a &= a - 1 {
		l := bits.TrailingZeros8(a)
		g.gather(l)
		for j := range f.pos {
			s.sales[j], s.reentry[j], s.voluntary[j] = f.sales[j][l], f.reentry[j][l], f.voluntary[j][l]
		}
		s.defaulted = int(f.defaulted[l])
		toPolicy := 0.0
		if sales := f.daySales[l]; sales > 0 {
			toPolicy = f.bundles[l] / sales
		}
		carry := (fp.Carry - f.spread[l]) / (252 * 1e4)
		f.dayEquity[l], f.defaultDay[l] = s.settle(g.m, f.dBasis[l], toPolicy, f.discount[l], f.concession[l], carry)
		f.utilization[l] = f.inventory[l] / f.capacity[l]
		f.check[l] = 0
		for j := range f.pos {
			f.pos[j][l], f.equity[j][l], f.atDefault[j][l] = s.pos[j], s.equity[j], s.atDefault[j]
			f.check[l] += s.equity[j]
		}
		f.held[l], f.defaulted[l] = s.held, float64(s.defaulted)
	}
}

// gather copies lane l's funds into the scalar kernel's scratch.
func (g *laneGroup) gather(l int) {
	f, s := &g.f, &g.one
	for j := range f.pos {
		s.pos[j], s.equity[j], s.atDefault[j] = f.pos[j][l], f.equity[j][l], f.atDefault[j][l]
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
