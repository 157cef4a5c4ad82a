package run

import (
	"fmt"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// convergenceSteps returns the path counts at which convergence.parquet reports the running
// mean: 100, 200, 500, 1,000, 2,000, 5,000, ... below paths, then paths itself.
func convergenceSteps(paths int64) []int64 {
	var steps []int64
	for scale := int64(100); scale < paths; scale *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if n := m * scale; n < paths {
				steps = append(steps, n)
			}
		}
	}
	return append(steps, paths)
}

// convergence reads the key metrics of every part of the run in dir, in path order, and
// returns the running mean and 95% CI of each policy and metric at convergenceSteps. It
// reads one part at a time, so memory does not grow with the run.
func convergence(dir string, policies []string, paths int64) ([]results.ConvergenceRow, error) {
	var names []string
	for _, m := range results.ConvergenceMetrics {
		names = append(names, sim.Metrics[m].Name)
	}
	parts, err := results.PartFiles(dir)
	if err != nil {
		return nil, err
	}
	steps := convergenceSteps(paths)
	policyIdx := map[string]int{}
	for k, p := range policies {
		policyIdx[p] = k
	}
	acc := make([]stats.Moments, len(policies)*len(names))
	var rows []results.ConvergenceRow
	seen, next := int64(0), 0
	record := func() {
		for k, p := range policies {
			for i, name := range names {
				ci := acc[k*len(names)+i].CI(0.95)
				rows = append(rows, results.ConvergenceRow{Policy: p, Metric: name, Paths: seen, Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi})
			}
		}
		next++
	}
	for _, part := range parts {
		pc, err := results.ReadPartColumns(part, names)
		if err != nil {
			return nil, err
		}
		for r := 0; r < len(pc.Path); r++ {
			k, ok := policyIdx[pc.Policy[r]]
			if !ok {
				return nil, fmt.Errorf("%s: policy %q is not among the run's %v", part, pc.Policy[r], policies)
			}
			for i, name := range names {
				acc[k*len(names)+i].Add(pc.Columns[name][r])
			}
			if k == len(policies)-1 { // a path's last row: the path is done
				seen++
				if next < len(steps) && seen == steps[next] {
					record()
				}
			}
		}
	}
	if seen != paths {
		return nil, fmt.Errorf("%s: the parts hold %d paths, the run %d", dir, seen, paths)
	}
	return rows, nil
}
