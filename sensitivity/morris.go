package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// MorrisDesign returns r trajectories of Morris's one-at-a-time design for k inputs on a
// grid of levels values in [0, 1] (levels even, at least 2): r blocks of k+1 points, in
// which each point differs from the one before in one input, by the step
// Delta = levels / (2 (levels-1)). A trajectory starts at a random grid point, changes the
// inputs in a random order, and steps up where the step stays in [0, 1], else down.
//
// M. D. Morris, "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33 (1991) 161-174.
func MorrisDesign(k, r, levels int, seed uint64) ([][]float64, error) {
	if k < 1 || r < 2 {
		return nil, fmt.Errorf("morris: %d inputs and %d trajectories; at least 1 input and 2 trajectories are needed", k, r)
	}
	if levels < 2 || levels%2 != 0 {
		return nil, fmt.Errorf("morris: %d levels; use an even number, at least 2", levels)
	}
	delta := MorrisDelta(levels)
	rng := rand.New(rand.NewPCG(seed, 0x6d6f72726973))
	out := make([][]float64, 0, r*(k+1))
	for t := 0; t < r; t++ {
		x := make([]float64, k)
		for i := range x {
			x[i] = float64(rng.IntN(levels)) / float64(levels-1)
		}
		out = append(out, x)
		for _, i := range rng.Perm(k) {
			next := append([]float64(nil), x...)
			if x[i]+delta <= 1+1e-12 {
				next[i] = x[i] + delta
			} else {
				next[i] = x[i] - delta
			}
			next[i] = math.Round(next[i]*float64(levels-1)) / float64(levels-1) // on the grid exactly
			out = append(out, next)
			x = next
		}
	}
	return out, nil
}

// MorrisDelta returns the step of a Morris design on levels grid values.
func MorrisDelta(levels int) float64 { return float64(levels) / (2 * float64(levels-1)) }

// MorrisIndex is the elementary-effect screening of one input, effects being measured per
// unit of the input's range (the unit cube).
type MorrisIndex struct {
	Mu                 float64 // mean elementary effect (signed)
	MuStar             float64 // mean absolute elementary effect (Campolongo et al. 2007)
	MuStarLo, MuStarHi float64 // its percentile bootstrap interval
	Sigma              float64 // standard deviation of the elementary effects (n-1 divisor)
	SigmaLo, SigmaHi   float64
}

// MorrisResult is the screening of every input of one output.
type MorrisResult struct {
	Indices      []MorrisIndex
	Trajectories int // trajectories used
	Dropped      int // trajectories dropped because one of their evaluations failed
}

// MorrisIndices returns mu, mu* and sigma of every input from the points x of a
// [MorrisDesign] (k+1 per trajectory) and their outputs y. The elementary effect of input
// i in a trajectory is (f(after) - f(before)) / (x_i(after) - x_i(before)) at the step
// that changes input i. valid, when not nil, marks the evaluations that succeeded: a
// trajectory holding a failed one is dropped whole, and Dropped counts them. mu* is the
// measure of F. Campolongo, J. Cariboni and A. Saltelli, "An effective screening design
// for sensitivity analysis of large models", Environmental Modelling & Software 22 (2007)
// 1509-1518; the intervals resample trajectories with replacement.
func MorrisIndices(x [][]float64, y []float64, valid []bool, k int, bs Bootstrap) (MorrisResult, error) {
	if k < 1 || len(x) != len(y) || len(y) == 0 || len(y)%(k+1) != 0 {
		return MorrisResult{}, fmt.Errorf("morris indices: %d points and %d outputs are not trajectories of k+1 = %d", len(x), len(y), k+1)
	}
	if valid != nil && len(valid) != len(y) {
		return MorrisResult{}, fmt.Errorf("morris indices: %d validity flags for %d outputs", len(valid), len(y))
	}
	if err := bs.check(); err != nil {
		return MorrisResult{}, err
	}
	r := len(y) / (k + 1)
	var ee [][]float64 // per kept trajectory, the effect of each input
	for t := 0; t < r; t++ {
		base := t * (k + 1)
		ok := true
		for i := base; valid != nil && i <= base+k; i++ {
			ok = ok && valid[i]
		}
		if !ok {
			continue
		}
		e := make([]float64, k)
		seen := make([]bool, k)
		for s := 0; s < k; s++ {
			a, b := x[base+s], x[base+s+1]
			i := -1
			for d := range a {
				if a[d] != b[d] {
					if i >= 0 {
						return MorrisResult{}, fmt.Errorf("morris indices: trajectory %d step %d changes more than one input", t, s)
					}
					i = d
				}
			}
			if i < 0 || seen[i] {
				return MorrisResult{}, fmt.Errorf("morris indices: trajectory %d step %d does not change a new input", t, s)
			}
			seen[i] = true
			e[i] = (y[base+s+1] - y[base+s]) / (b[i] - a[i])
		}
		ee = append(ee, e)
	}
	res := MorrisResult{Trajectories: len(ee), Dropped: r - len(ee), Indices: make([]MorrisIndex, k)}
	if len(ee) < 2 {
		return res, errors.New("morris indices: fewer than 2 trajectories without a failed evaluation")
	}
	stat := func(rows []int, i int) (mu, muStar, sigma float64) {
		for _, t := range rows {
			mu += ee[t][i]
			muStar += math.Abs(ee[t][i])
		}
		n := float64(len(rows))
		mu, muStar = mu/n, muStar/n
		for _, t := range rows {
			d := ee[t][i] - mu
			sigma += d * d
		}
		return mu, muStar, math.Sqrt(sigma / (n - 1))
	}
	all := make([]int, len(ee))
	for t := range all {
		all[t] = t
	}
	reps := bs.resamples()
	rng := bs.rng(uint64(1000 + k))
	sample := make([]int, len(ee))
	ms, sg := make([][]float64, k), make([][]float64, k)
	for i := range ms {
		ms[i], sg[i] = make([]float64, reps), make([]float64, reps)
	}
	for b := 0; b < reps; b++ {
		for t := range sample {
			sample[t] = rng.IntN(len(ee))
		}
		for i := 0; i < k; i++ {
			_, ms[i][b], sg[i][b] = stat(sample, i)
		}
	}
	for i := 0; i < k; i++ {
		ix := &res.Indices[i]
		ix.Mu, ix.MuStar, ix.Sigma = stat(all, i)
		ix.MuStarLo, ix.MuStarHi = bs.percentile(ms[i])
		ix.SigmaLo, ix.SigmaHi = bs.percentile(sg[i])
	}
	return res, nil
}
