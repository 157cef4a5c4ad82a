package evaluate

import (
	"context"
	"slices"

	"github.com/backstop-research/backstop/sim"
)

// Column is one per-path value to collect under a policy: a section 7 metric of the
// path, or, when Of is set, a function of the scenario, the path's shocks and the
// path's day-by-day trace under the policy (NaN where the value is undefined).
type Column struct {
	Policy string
	Metric sim.Metric
	Of     func(c *sim.Config, sh *sim.Shocks, tr *sim.Trace) float64
}

// Paths simulates paths [0, n) of cfg (validated) with seed on workers goroutines (0 for
// all cores) and returns every column's per-path values, values[j][i] column j on path
// i; cfg.Paths and cfg.Seed are ignored. It is the one evaluation loop of the package
// and of package moments: path i's shocks depend on (seed, i) alone, every policy runs
// on the same shocks (common random numbers), and values are stored by path index, so
// they depend on neither the worker count nor the order the paths are drawn in. Only
// the policies the columns name are simulated, and a trace is kept only under those a
// column with Of needs.
func Paths(ctx context.Context, cfg sim.Config, cols []Column, n int, seed uint64, workers int) ([][]float64, error) {
	model, err := sim.NewModel(cfg)
	if err != nil {
		return nil, err
	}
	var policies []string
	var traced []bool
	at := make([]int, len(cols)) // column j's policy index
	for j, c := range cols {
		k := slices.Index(policies, c.Policy)
		if k < 0 {
			policies, traced = append(policies, c.Policy), append(traced, false)
			k = len(policies) - 1
		}
		traced[k] = traced[k] || c.Of != nil
		at[j] = k
	}
	values := make([][]float64, len(cols))
	for j := range values {
		values[j] = make([]float64, n)
	}
	if len(cols) == 0 || n == 0 {
		return values, nil
	}
	// Only a traced column reads the shocks (Of).
	noShocks := !slices.Contains(traced, true)
	s := &sim.Sampler{Model: model, Policies: policies, Workers: workers, Seed: seed, Traced: traced, NoSeries: true, NoShocks: noShocks}
	// The metric columns apart from the traced ones, with what each reads, so that the
	// visit of a path is a plain loop of loads and stores.
	type metricColumn struct {
		dst    []float64
		policy int
		metric sim.Metric
	}
	var metricCols []metricColumn
	var tracedCols []int
	for j, c := range cols {
		if c.Of != nil {
			tracedCols = append(tracedCols, j)
		} else {
			metricCols = append(metricCols, metricColumn{dst: values[j], policy: at[j], metric: c.Metric})
		}
	}
	err = s.RunPaths(ctx, 0, n, func(_, _ int, p *sim.Path) {
		i := p.Index
		for _, c := range metricCols {
			c.dst[i] = p.Results[c.policy].Values[c.metric]
		}
		for _, j := range tracedCols {
			values[j][i] = cols[j].Of(model.Config(), p.Shocks, &p.Traces[at[j]])
		}
	})
	if err != nil {
		return nil, err
	}
	return values, nil
}
