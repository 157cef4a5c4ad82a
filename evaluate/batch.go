package evaluate

import (
	"context"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/backstop-research/backstop/sim"
)

// BlocksPerWorker is the fewest blocks of paths (sim.BlockSize) an evaluation gives each
// of its sampler workers when Each runs evaluations at once.
const BlocksPerWorker = 16

// Share returns how many of n evaluations of paths paths each to run at once on workers
// cores, and each one's sampler workers. An evaluation of a few thousand paths is a few
// blocks of the sampler, which leave cores idle at its end and around its serial steps
// (the scenario, the statistics), and on many cores more cores than it has blocks; so an
// evaluation gets a sampler worker for every BlocksPerWorker blocks (at least one, at most
// workers), and as many run at once as that leaves cores for: large evaluations still
// run one at a time on all cores, and the paths in memory stay bounded.
func Share(workers, paths, n int) (conc, per int) {
	workers = max(1, workers)
	per = min(workers, max(1, (sim.Blocks(paths)+BlocksPerWorker-1)/BlocksPerWorker))
	conc = max(1, min(workers/per, n))
	return conc, workers / conc
}

// Each calls eval(ctx, i, w) for every i in [0, n), evaluations of paths paths each on
// workers cores (0 for all), several at a time as Share says, w being an evaluation's
// sampler workers. Evaluations whose results do not depend on their worker count (Run,
// Paths) give the same results as one after another. The first error stops the rest and
// is returned; eval receives a context cancelled then.
func Each(ctx context.Context, n, paths, workers int, eval func(ctx context.Context, i, workers int) error) error {
	if n <= 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	conc, per := Share(workers, paths, n)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range conc {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := eval(ctx, i, per); err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}
