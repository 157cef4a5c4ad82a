package moments

import (
	"context"
	"math"
	"slices"

	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// Sample is the per-path values of some statistics on one set of paths.
type Sample struct {
	Stats  []Stat
	Values [][]float64 // Values[k][i]: statistic k's per-path statistic on path i (NaN: undefined)
}

// Evaluate simulates paths [0, paths) of cfg with seed and returns the per-path values of
// every statistic. It is evaluate.Paths, the one evaluation loop, given each statistic
// as a column: path i's shocks depend on (seed, i) alone and every policy runs on the
// same shocks (common random numbers), so the result depends on neither workers (0 for
// all cores) nor the order the paths are drawn in; cfg.Paths and cfg.Seed are ignored.
// Only the policies the statistics name are simulated, and a day-by-day trace is kept
// only under those a scenario statistic needs.
func Evaluate(ctx context.Context, cfg sim.Config, list []Stat, paths int, seed uint64, workers int) (*Sample, error) {
	cols := make([]evaluate.Column, len(list))
	for j, s := range list {
		cols[j] = evaluate.Column{Policy: s.Policy, Metric: s.Path.Metric, Of: s.Path.Of}
	}
	values, err := evaluate.Paths(ctx, cfg, cols, paths, seed, workers)
	if err != nil {
		return nil, err
	}
	return &Sample{Stats: list, Values: values}, nil
}

// Paths returns the number of paths in the sample.
func (s *Sample) Paths() int {
	if len(s.Values) == 0 {
		return 0
	}
	return len(s.Values[0])
}

// defined returns statistic k's values on the paths where it is defined, sorted.
func (s *Sample) defined(k int) []float64 {
	x := make([]float64, 0, len(s.Values[k]))
	for _, v := range s.Values[k] {
		if !math.IsNaN(v) {
			x = append(x, v)
		}
	}
	slices.Sort(x)
	return x
}

// Defined returns the number of paths on which statistic k is defined.
func (s *Sample) Defined(k int) int {
	n := 0
	for _, v := range s.Values[k] {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// Estimate returns statistic k with its Monte Carlo interval at level: the Student t
// interval of a mean, the distribution-free order-statistic interval of a quantile
// (package stats). A statistic defined on no path is NaN.
func (s *Sample) Estimate(k int, level float64) stats.Interval {
	x := s.defined(k)
	if len(x) == 0 {
		return stats.Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	}
	if q := s.Stats[k].Quantile; q > 0 {
		return stats.QuantileSorted(x, q, level)
	}
	return stats.Mean(x, level).Interval
}

// Influence returns statistic k's per-path contributions psi_i: the estimator is, to
// first order, its limit plus the mean of psi_i over the sample's paths, so the sample
// covariance of the contributions of two statistics over n is the covariance of their
// estimators. For a mean over the defined paths, psi_i = d_i (x_i - mean) / p; for a
// quantile q, psi_i = d_i (tau - 1{x_i <= q}) / (f(q) p); d_i is 1 where the statistic is
// defined and p the share of such paths. The density f(q) is estimated from the spacing
// of the order statistics around q (see density); at an atom the quantile does not move
// locally and the contributions are 0.
func (s *Sample) Influence(k int) []float64 {
	vals := s.Values[k]
	psi := make([]float64, len(vals))
	x := s.defined(k)
	if len(x) == 0 {
		return psi
	}
	p := float64(len(x)) / float64(len(vals))
	st := s.Stats[k]
	est := s.Estimate(k, 0.95).Estimate
	scale := 0.0
	if st.Quantile > 0 {
		scale = 1 / (density(x, st.Quantile) * p) // 0 at an atom
	}
	for i, v := range vals {
		switch {
		case math.IsNaN(v):
		case st.Quantile == 0:
			psi[i] = (v - est) / p
		case v <= est:
			psi[i] = (st.Quantile - 1) * scale
		default:
			psi[i] = st.Quantile * scale
		}
	}
	return psi
}

// density estimates the density of the sorted sample x at its q-quantile by the spacing
// of the order statistics around it (Siddiqui's estimator): the share of values between
// ranks k-m and k+m over the distance between them, m = sqrt(n). It adapts to the local
// spread, so a quantile on a steep stretch or an atom of the distribution is not smoothed
// across its neighbourhood; +Inf when the values around the quantile are all equal.
func density(x []float64, q float64) float64 {
	n := len(x)
	if n < 2 {
		return 0
	}
	k := max(0, min(n-1, int(math.Ceil(float64(n)*q))-1))
	m := max(1, int(math.Round(math.Sqrt(float64(n)))))
	lo, hi := max(0, k-m), min(n-1, k+m)
	if x[hi] == x[lo] {
		return math.Inf(1)
	}
	return float64(hi-lo) / (float64(n) * (x[hi] - x[lo]))
}
