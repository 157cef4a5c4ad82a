package sim

import (
	"math"
	"unsafe"
)

// Hooks for the tests of package sim_test.

// SamplerLanes values: how a Sampler simulates paths without traces.
const (
	LanesAuto   = int(lanesAuto)   // the vector lanes where the build and the CPU have them
	LanesOff    = int(lanesOff)    // the scalar Simulator
	LanesScalar = int(lanesScalar) // the lockstep simulator with the scalar fund loops
)

// SetSamplerLanes sets how s simulates paths without traces.
func SetSamplerLanes(s *Sampler, mode int) { s.lanes = laneMode(mode) }

// VectorLanes reports whether this build and CPU run the vector kernels.
func VectorLanes() bool { return vectorLanes() }

// VectorBuild reports whether this build has the vector kernels (GOEXPERIMENT=simd on amd64).
const VectorBuild = vectorBuild

// LaneRunner runs the lockstep simulator on batches of up to BatchPaths paths.
type LaneRunner struct {
	g    *laneGroup
	pols [][]Policy
	out  []Path
	// Where the Sampler's lockstep simulator reads a batch's draws as they are
	// (Model.useSource), src holds the paths' shocks the same way, and the paths'
	// Shocks (shocks) are not handed to the group.
	src    *laneDraws
	shocks []*Shocks
	// Fallbacks counts the lanes run again by the scalar Simulator.
	Fallbacks int
}

// NewLaneRunner returns a LaneRunner for m with the vector kernels or the scalar ones,
// each lane with the policies newPolicies returns.
func NewLaneRunner(m *Model, vector bool, newPolicies func() []Policy) *LaneRunner {
	r := &LaneRunner{g: m.newLaneGroup(vector)}
	T := m.Days()
	for l := 0; l < batchPaths; l++ {
		pols := newPolicies()
		out := Path{Shocks: NewShocks(T), Results: make([]Result, len(pols)), Days: make([][]float64, len(pols))}
		for k := range pols {
			out.Days[k] = make([]float64, NumSeries*T)
		}
		r.pols, r.out = append(r.pols, pols), append(r.out, out)
		r.shocks = append(r.shocks, out.Shocks)
	}
	if m.useSource(vector) {
		r.src = m.newLaneDraws()
	}
	return r
}

// FromDraws reports whether the runner's group reads the paths' shocks as the vector
// draws leave them (laneGroup.src).
func (r *LaneRunner) FromDraws() bool { return r.src != nil }

// Lanes is the number of paths a LaneRunner steps together.
const Lanes = lanes

// BatchPaths is the number of paths a LaneRunner takes at a time.
const BatchPaths = batchPaths

// Run simulates the paths whose shocks draw(l, sh) fills for l < n (n <= BatchPaths) and
// returns them.
func (r *LaneRunner) Run(n int, draw func(l int, sh *Shocks)) []Path {
	for l := 0; l < n; l++ {
		draw(l, r.shocks[l])
		if r.src != nil {
			r.src.loadPath(l, r.shocks[l])
			r.out[l].Shocks = nil
		}
	}
	r.g.src = r.src
	r.g.runAll(n, r.out, r.pols)
	for _, failed := range r.g.failed[:n] {
		if failed {
			r.Fallbacks++
		}
	}
	return r.out[:n]
}

// FundLoops returns a function that runs one day's fund loops, the decisions and the
// settlement, of 8 paths: with the vector kernels on 8 lanes (which also do the day's
// impact, market clearing and running outputs), or with funds.decide and funds.settle
// path by path. Every 20th call starts the funds afresh; the day's inputs are those of a
// stressed day, a little different on each path.
func FundLoops(m *Model, vector bool) func() {
	g := m.newLaneGroup(vector)
	paths := make([]funds, lanes)
	for l := range paths {
		paths[l] = newFunds(m.cfg.Funds.NFunds)
	}
	f := &g.f
	calls := 0
	return func() {
		if calls%20 == 0 {
			for l := range paths {
				paths[l].reset(m)
				for j := range f.fund {
					g.setFund(l, j, m.startB[j], m.startE[j], 0)
				}
				f.held[l], f.defaulted[l] = m.startHeld, 0
			}
		}
		calls++
		d := &g.days[0]
		for l := range paths {
			r, sb, basis := 0.03+0.001*float64(l), 8+float64(l), 15.0
			spread := m.cfg.Funds.Spread0
			if vector {
				d.cond.haircut[l], d.cond.margin[l], d.cond.spread[l], d.cond.capacity[l] = 0.01, r-0.01, spread, 400
				d.omegaSigma[l], d.noise[l] = sb, 1.5
				g.p.basis[l], g.p.prevBasis[l], g.p.inventory[l] = basis, basis, 100
			} else {
				p := &paths[l]
				p.decide(m, r, sb, m.cfg.Funds.Theta, basis, math.Inf(1))
				p.settle(m, 1.5, 0, 0, 0.4, (m.cfg.Funds.Carry-spread)/(252*1e4))
			}
		}
		if vector {
			g.decideVector(d, &d.cond, &d.cond.theta)
			g.settleVector(d, &d.cond, false, true, false)
		}
	}
}

// BatchDraw returns a function that fills out[l] with path first+l's shocks under seed
// as the lockstep sampler draws them, lanes at a time.
func BatchDraw(m *Model) func(seed uint64, first int64, out []*Shocks) {
	return m.newLaneDraws().draw
}

// UseSource reports whether the Sampler's lockstep simulator reads the batch's draws of
// m as they are (laneGroup.src).
func UseSource(m *Model) bool { return m.useSource(true) }

// VectorDraws reports whether the batch draw runs in vectors.
func VectorDraws() bool { return useDrawVector }

// LoadedDays puts the paths whose shocks are sh (one per lane, len(sh) <= Lanes) into a
// lockstep group's lanes, lane l from day wake[l] on, with the vector kernels' loader
// (all lanes at once) or the scalar one (lane by lane), and returns what lane l holds on
// each day t >= wake[l]: days[l][t-wake[l]] has the day's conditions (haircut, margin,
// spread, capacity, theta, repo), omega sigma_t, dy_t, the basis noise and O_t.
func LoadedDays(m *Model, sh []*Shocks, wake []int, vector bool) [][][10]float64 {
	g := m.newLaneGroup(vector)
	paths := make([]Path, len(sh))
	pols := make([][]Policy, len(sh))
	var w [lanes]int
	for l := range w {
		w[l] = m.Days()
	}
	for l := range sh {
		paths[l].Shocks = sh[l]
		g.preparePath(l, sh[l])
		g.setLane(l, l, paths, pols)
		w[l] = wake[l]
	}
	g.loadLanes(len(sh), &w)
	return loaded(g, len(sh), wake)
}

// LoadedDaysFromDraws is LoadedDays with the vector loader reading the batch's draws as
// they are (laneGroup.src), with sh[l] as the batch's path at[l], in lane l.
func LoadedDaysFromDraws(m *Model, sh []*Shocks, wake, at []int) [][][10]float64 {
	g := m.newLaneGroup(true)
	g.src = m.newLaneDraws()
	paths := make([]Path, batchPaths)
	pols := make([][]Policy, batchPaths)
	var w [lanes]int
	for l := range w {
		w[l] = m.Days()
	}
	for l := range sh {
		g.src.loadPath(at[l], sh[l])
		g.preparePath(at[l], nil)
		g.setLane(l, at[l], paths, pols)
		w[l] = wake[l]
	}
	g.loadLanes(len(sh), &w)
	return loaded(g, len(sh), wake)
}

// loaded returns what lanes 0..n-1 of g hold on each day from wake[l] (LoadedDays).
func loaded(g *laneGroup, n int, wake []int) [][][10]float64 {
	m := g.m
	out := make([][][10]float64, n)
	for l := range n {
		for t := wake[l]; t < m.Days(); t++ {
			d := &g.days[t]
			c := &d.cond
			out[l] = append(out[l], [10]float64{c.haircut[l], c.margin[l], c.spread[l], c.capacity[l], c.theta[l], c.repo[l],
				d.omegaSigma[l], d.dy[l], d.noise[l], d.other[l]})
		}
	}
	return out
}

// loadPath puts sh into d's buffers as batch path i: storePath the other way round, for
// the tests to run the lockstep simulator on shocks of their own.
func (d *laneDraws) loadPath(i int, sh *Shocks) {
	d.jump[i] = sh.Jump
	for t := range sh.Sigma {
		at := t*batchPaths + i
		d.sigma[at], d.f[at], d.dy[at], d.noise[at], d.margin[at] = sh.Sigma[t], sh.F[t], sh.DY[t], sh.Noise[t], sh.Margin[t]
	}
}

// KernelStateOffsets returns, for each part of a lane group's state for m that the vector
// kernels load and store 64 bytes at a time, its address modulo 64 (newAligned).
func KernelStateOffsets(m *Model) map[string]uintptr {
	g := m.newLaneGroup(true)
	at := func(p unsafe.Pointer) uintptr { return uintptr(p) % cacheLine }
	return map[string]uintptr{
		"funds":  at(unsafe.Pointer(&g.f.fund[0])),
		"totals": at(unsafe.Pointer(g.f.laneTotals)),
		"paths":  at(unsafe.Pointer(g.p)),
		"consts": at(unsafe.Pointer(g.c)),
		"books":  at(unsafe.Pointer(g.books.bookLanes)),
		"days":   at(unsafe.Pointer(&g.days[0])),
	}
}
