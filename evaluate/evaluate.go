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
	for path := 0; path < cfg.Paths; path++ { // the first bad value in path order
		for j, x := range vals {
			if v := x[path]; math.IsNaN(v) || math.IsInf(v, 0) {
				k, m := j/nm, j%nm
				return nil, &NonFiniteError{Policy: cfg.Policies[k], Metric: sim.Metrics[results.SummaryMetrics[m]].Name, Path: int64(path), Value: v}
			}
		}
	}
	column := func(k, m int) []float64 { return vals[k*nm+m] }
	r := &Result{Policies: cfg.Policies, Metrics: results.SummaryMetrics, Stats: make([][]Stat, np)}
	// The paired effects first: they read the columns in path order, which the quantiles
	// below then reorder.
	for a := range cfg.Policies {
		for b := 0; b < a; b++ {
			p := Pair{A: a, B: b, Effects: make([]Effect, nm)}
			for m := range results.SummaryMetrics {
				e, err := stats.Paired(column(a, m), column(b, m), Level)
				if err != nil { // a single path: no interval
					x := column(a, m)[0] - column(b, m)[0]
					p.Effects[m] = Effect{Mean: x, Lo: math.Inf(-1), Hi: math.Inf(1)}
					continue
				}
				p.Effects[m] = Effect{Mean: e.Diff.Estimate, Lo: e.Diff.Lo, Hi: e.Diff.Hi}
			}
			r.Pairs = append(r.Pairs, p)
		}
	}
	for k := range cfg.Policies {
		r.Stats[k] = make([]Stat, nm)
	}
	// Each column's mean, then its quantiles by selection (reordering the column), columns
	// in parallel: this step would otherwise run on one core after the sampler's parallel
	// part.
	g := new(errgroup.Group)
	g.SetLimit((&sim.Sampler{Workers: workers}).WorkerCount())
	for j := range vals {
		g.Go(func() error {
			k, m := j/nm, j%nm
			x := vals[j]
			mean := stats.Mean(x, Level) // before x is reordered: the sum follows path order
			r.Stats[k][m] = Stat{Mean: mean.Estimate, Lo: mean.Lo, Hi: mean.Hi,
				P50: stats.EmpiricalQuantile(x, 0.5), P95: stats.EmpiricalQuantile(x, 0.95)}
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no error
	return r, nil
}
