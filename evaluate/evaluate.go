// Package evaluate runs a scenario for its paths on common random numbers and keeps the
// summary statistics only: per policy and summary metric the mean with its 95% CI, the
// median and the 95th percentile, and the paired effects between policies. Nothing is
// written to disk. It is the evaluation step of designs that run a scenario many times
// (package explore), where a run directory per evaluation would be waste.
//
// Paths is the one evaluation loop beneath: it draws the paths in fixed blocks, runs the
// policies on them and collects per-path values (metrics, or values computed from a
// path's day-by-day trace). Run summarizes the metrics of every policy; package moments
// builds its named statistics and influence functions on the same loop.
//
// Every evaluation of the same seed draws the same shocks (they depend on the seed and
// the path index only), so two evaluations that differ in a parameter differ by that
// parameter's effect alone, unless it shapes the shocks (shocks.*, days). Results do not
// depend on the worker count: the per-path values are kept in path order and reduced once.
package evaluate

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/sync/errgroup"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// Level is the confidence level of every interval.
const Level = 0.95

// Stat is one policy's summary of one metric over the paths.
type Stat struct {
	Mean, Lo, Hi float64 // mean and its 95% t interval
	P50, P95     float64 // empirical median and 95th percentile
}

// Effect is the paired effect A - B of two policies on one metric: the mean of the
// per-path difference and its 95% t interval.
type Effect struct{ Mean, Lo, Hi float64 }

// Pair is the effects of policy A against policy B (indices into Result.Policies), one
// per metric of Result.Metrics.
type Pair struct {
	A, B    int
	Effects []Effect
}

// Result is an evaluation's summary.
type Result struct {
	Policies []string
	Metrics  []sim.Metric // results.SummaryMetrics
	Stats    [][]Stat     // [policy][metric]
	Pairs    []Pair       // every pair of policies, A after B in Policies
}

// Pair returns the effects of policy a against policy b (a - b, whichever comes first in
// Policies), or nil when either is not run or a == b.
func (r *Result) Pair(a, b string) []Effect {
	for _, p := range r.Pairs {
		switch {
		case r.Policies[p.A] == a && r.Policies[p.B] == b:
			return p.Effects
		case r.Policies[p.A] == b && r.Policies[p.B] == a:
			out := make([]Effect, len(p.Effects))
			for i, e := range p.Effects {
				out[i] = Effect{Mean: -e.Mean, Lo: -e.Hi, Hi: -e.Lo}
			}
			return out
		}
	}
	return nil
}

// NonFiniteError reports a path whose metric is not a finite number.
type NonFiniteError struct {
	Policy, Metric string
	Path           int64
	Value          float64
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("%s under %s is %v on path %d", e.Metric, e.Policy, e.Value, e.Path)
}

// Run simulates cfg.Paths paths of cfg (validated) with cfg.Seed on workers goroutines (0
// for all cores) and returns their summary. A path with a non-finite summary metric is a
// *NonFiniteError, so that no NaN reaches an estimate.
func Run(ctx context.Context, cfg sim.Config, workers int) (*Result, error) {
	np, nm := len(cfg.Policies), len(results.SummaryMetrics)
	cols := make([]Column, 0, np*nm) // column k*nm+m: policy k's metric m
	for _, pol := range cfg.Policies {
		for _, m := range results.SummaryMetrics {
			cols = append(cols, Column{Policy: pol, Metric: m})
		}
	}
	vals, err := Paths(ctx, cfg, cols, cfg.Paths, cfg.Seed, workers)
	if err != nil {
		return nil, err
	}
	g := new(errgroup.Group)
	g.SetLimit((&sim.Sampler{Workers: workers}).WorkerCount())
	if j, path := firstNonFiniteValue(g, vals); j >= 0 {
		k, m := j/nm, j%nm
		return nil, &NonFiniteError{Policy: cfg.Policies[k], Metric: sim.Metrics[results.SummaryMetrics[m]].Name, Path: int64(path), Value: vals[j][path]}
	}
	column := func(k, m int) []float64 { return vals[k*nm+m] }
	r := &Result{Policies: cfg.Policies, Metrics: results.SummaryMetrics, Stats: make([][]Stat, np)}
	for k := range cfg.Policies {
		r.Stats[k] = make([]Stat, nm)
	}
	// What reads the columns in path order first, in parallel: the paired effects, and each
	// column's mean (its sum follows path order). The steps after the sampler's parallel
	// part would otherwise run on one core.
	// The paired effects come from the moments of each pair's per-path differences, four
	// columns per task (stats.DiffMoments overlaps their dependency chains).
	var as, bs [][]float64 // per pair and metric, in the order of r.Pairs
	for a := range cfg.Policies {
		for b := 0; b < a; b++ {
			r.Pairs = append(r.Pairs, Pair{A: a, B: b, Effects: make([]Effect, nm)})
			for m := range results.SummaryMetrics {
				as, bs = append(as, column(a, m)), append(bs, column(b, m))
			}
		}
	}
	diffs := make([]stats.Moments, len(as))
	for i := 0; i < len(as); i += 4 {
		j := min(i+4, len(as))
		g.Go(func() error {
			copy(diffs[i:j], stats.DiffMoments(as[i:j], bs[i:j]))
			return nil
		})
	}
	for j := range vals {
		g.Go(func() error {
			mean := stats.Mean(vals[j], Level)
			r.Stats[j/nm][j%nm] = Stat{Mean: mean.Estimate, Lo: mean.Lo, Hi: mean.Hi}
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no error
	for q, p := range r.Pairs {
		for m := range p.Effects {
			i := q*nm + m
			p.Effects[m] = pairedEffect(diffs[i], as[i][0]-bs[i][0])
		}
	}
	// Then the quantiles by selection, which reorders each column, columns in parallel.
	for j := range vals {
		g.Go(func() error {
			st := &r.Stats[j/nm][j%nm]
			st.P50, st.P95 = stats.EmpiricalQuantile(vals[j], 0.5), stats.EmpiricalQuantile(vals[j], 0.95)
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no error
	return r, nil
}

// firstNonFiniteValue returns the column and path of the first NaN or infinity of the
// columns in path order, then column order, or -1, -1: each column's first, found on g's
// goroutines, then the earliest.
func firstNonFiniteValue(g *errgroup.Group, columns [][]float64) (column, path int) {
	first := make([]int, len(columns))
	for j := range columns {
		g.Go(func() error {
			first[j] = firstNonFinite(columns[j])
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no error
	column, path = -1, -1
	for j, p := range first {
		if p >= 0 && (path < 0 || p < path) {
			column, path = j, p
		}
	}
	return column, path
}

// firstNonFinite returns the index of the first NaN or infinity of x, or -1.
func firstNonFinite(x []float64) int {
	for i, v := range x {
		if v-v != 0 { // NaN for NaN and for infinities, 0 for every finite v
			return i
		}
	}
	return -1
}

// pairedEffect is the paired effect a - b on the same paths from the moments of the
// per-path differences d and the first path's difference: the mean difference with its t
// interval, stats.Paired's Diff (the differences accumulated in path order the same way),
// without the unpaired comparison and the shares Paired also computes, which the summary
// does not report; no interval for a single path.
func pairedEffect(d stats.Moments, first float64) Effect {
	if d.N() < 2 {
		return Effect{Mean: first, Lo: math.Inf(-1), Hi: math.Inf(1)}
	}
	ci := d.CI(Level)
	return Effect{Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi}
}
