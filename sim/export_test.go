package sim

import "math/bits"

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

// LaneRunner runs the lockstep simulator on groups of up to 8 paths.
type LaneRunner struct {
	g    *laneGroup
	pols [][]Policy
	out  []Path
	// Fallbacks counts the lanes run again by the scalar Simulator.
	Fallbacks int
}

// NewLaneRunner returns a LaneRunner for m with the vector kernels or the scalar ones,
// each lane with the policies newPolicies returns.
func NewLaneRunner(m *Model, vector bool, newPolicies func() []Policy) *LaneRunner {
	r := &LaneRunner{g: m.newLaneGroup(vector)}
	T := m.Days()
	for l := 0; l < lanes; l++ {
		pols := newPolicies()
		out := Path{Shocks: NewShocks(T), Results: make([]Result, len(pols)), Days: make([][]float64, len(pols))}
		for k := range pols {
			out.Days[k] = make([]float64, NumSeries*T)
		}
		r.pols, r.out = append(r.pols, pols), append(r.out, out)
	}
	return r
}

// Lanes is the number of paths a LaneRunner steps together.
const Lanes = lanes

// Run simulates the paths whose shocks draw(l, sh) fills for lanes l < n and returns them.
func (r *LaneRunner) Run(n int, draw func(l int, sh *Shocks)) []Path {
	for l := 0; l < n; l++ {
		draw(l, r.out[l].Shocks)
	}
	r.g.runAll(n, r.out, r.pols)
	r.Fallbacks += bits.OnesCount8(r.g.bad & (1<<n - 1))
	return r.out[:n]
}
