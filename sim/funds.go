package sim

import "math"

// funds is the state of the n_f hedge funds on one path (docs/model.md section 3).
type funds struct {
	pos       []float64 // B_j, cash Treasury position, $bn
	equity    []float64 // E_j, $bn
	atDefault []float64 // B_j when the fund defaulted (its equity is then <= 0 and frozen)
	sales     []float64 // S_j of the current day
	voluntary []float64 // the voluntary part of S_j of the current day
	reentry   []float64 // R_j of the current day
	invBuffer []float64 // 1 / (1 + u_j,t) of the current day when buffers shrink under stress
	held      float64   // sum of B_j over funds not in default
	defaulted int
}

func newFunds(n int) funds {
	buf := make([]float64, 7*n)
	return funds{
		pos:       buf[0*n : 1*n],
		equity:    buf[1*n : 2*n],
		atDefault: buf[2*n : 3*n],
		sales:     buf[3*n : 4*n],
		reentry:   buf[4*n : 5*n],
		voluntary: buf[5*n : 6*n],
		invBuffer: buf[6*n : 7*n],
	}
}

func (f *funds) reset(m *Model) {
	copy(f.pos, m.startB)
	copy(f.equity, m.startE)
	clear(f.atDefault)
	f.held = m.startHeld
	f.defaulted = 0
}

// decide computes every fund's sales S_j and re-entry R_j for the day (step 1) and returns
// the totals S, R and the forced part of S. r is capital per $ of position, sb the basis
// volatility, basis b_t, and financeable the positions the day's repo can finance in all,
// L_t / (1 - h_t) (used only when repo is rationed).
func (f *funds) decide(m *Model, r, sb, theta, basis, financeable float64) (sales, reentry, forced float64) {
	p := &m.cfg.Funds
	riskScale, perCapital, repoShare := m.fundLimits(r, sb, financeable)
	mayReenter := basis <= m.cfg.Market.BDys
	liquidationDays := float64(p.LDays)
	// Slices of one length, so that the loop runs without bounds checks.
	pos := f.pos
	n := len(pos)
	equity, atDefault := f.equity[:n], f.atDefault[:n]
	daySales, dayReentry, voluntary := f.sales[:n], f.reentry[:n], f.voluntary[:n]
	invBuffer, startB := m.invBuffer[:n], m.startB[:n]
	if m.bufferStress {
		invBuffer = f.stressedInvBuffer(m, r)[:n]
	}
	for j, b := range pos {
		e := equity[j]
		if e <= 0 {
			// Lenders liquidate what the fund held at default over L_days days.
			s := min(b, atDefault[j]/liquidationDays)
			daySales[j], dayReentry[j], voluntary[j] = s, 0, 0
			sales += s
			forced += s
			continue
		}
		capacity := e * perCapital
		if m.repoLimited {
			capacity = min(capacity, startB[j]*repoShare)
		}
		target := min(capacity*invBuffer[j], riskScale*e, startB[j])
		forcedJ := max(0, b-capacity)
		s := forcedJ + theta*max(0, min(b, capacity)-target)
		re := 0.0
		if mayReenter {
			re = p.ThetaUp * max(0, target-b)
		}
		daySales[j], dayReentry[j], voluntary[j] = s, re, s-forcedJ
		sales += s
		reentry += re
		forced += forcedJ
	}
	return sales, reentry, forced
}

// fundLimits returns the day's limits on every fund's position, the same for all funds
// (decide; the lanes of lanes.go): riskScale, position per $ of equity under the VaR limit
// (B <= v E 1e4 / (D_b alpha sb)); perCapital, position per $ of equity the capital per $
// r allows; repoShare, position per $bn of B_j0 the rationed repo finances (+Inf when
// repo is not rationed).
func (m *Model) fundLimits(r, sb, financeable float64) (riskScale, perCapital, repoShare float64) {
	p := &m.cfg.Funds
	riskScale = 1e4 * p.V / (p.DB * p.Alpha * sb)
	perCapital = 1 / r
	repoShare = math.Inf(1)
	if m.repoLimited {
		repoShare = financeable / m.startHeld
	}
	return riskScale, perCapital, repoShare
}

// settleCosts returns the day's cost per $bn sold and mark per $bn held, the same for all
// funds (settle; the lanes of lanes.go).
func (m *Model) settleCosts(dBasis, toPolicy, discount, concession float64) (costPerSale, markPerPos float64) {
	p := &m.cfg.Funds
	costPerSale = p.DB * ((1-toPolicy)*concession + toPolicy*discount) / 1e4
	markPerPos = p.DB * dBasis / 1e4
	return costPerSale, markPerPos
}

// settle applies the day's trades and P&L to every fund (step 4), marks new defaults and
// returns the funds' total equity, counting a defaulted fund as 0, and the voluntary sales
// of the day by funds that defaulted on it. dBasis is
// b_{t+1} - b_t; toPolicy the share A_t/S of each seller's sales bought as bundles by the
// policy at discount (bp, the spv's d); concession c_t; carry the daily carry net of the
// repo spread per $bn held.
func (f *funds) settle(m *Model, dBasis, toPolicy, discount, concession, carry float64) (equity, defaultDay float64) {
	costPerSale, markPerPos := m.settleCosts(dBasis, toPolicy, discount, concession)
	held := 0.0
	pos := f.pos
	n := len(pos)
	eq, atDefault := f.equity[:n], f.atDefault[:n]
	daySales, dayReentry, voluntary := f.sales[:n], f.reentry[:n], f.voluntary[:n]
	for j, before := range pos {
		// Rounding can leave -1e-17 where a fund sells its whole position.
		b := max(0, before-daySales[j]+dayReentry[j])
		pos[j] = b
		if eq[j] <= 0 {
			continue
		}
		e := eq[j] - markPerPos*b - costPerSale*daySales[j] + before*carry
		eq[j] = e
		if e <= 0 {
			atDefault[j] = b
			f.defaulted++
			defaultDay += voluntary[j]
			continue
		}
		equity += e
		held += b
	}
	f.held = held
	return equity, defaultDay
}

// totalEquity returns the funds' total equity, counting a defaulted fund as 0.
func (f *funds) totalEquity() float64 {
	total := 0.0
	for _, e := range f.equity {
		total += max(0, e)
	}
	return total
}
