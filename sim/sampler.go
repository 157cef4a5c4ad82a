package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// BlockSize is the number of consecutive paths a worker takes at a time. It is fixed, not
// derived from the worker count, so that anything folded block by block (sums for means)
// comes out the same for any number of workers.
const BlockSize = 256

// Sampler draws paths in parallel. Each path's shocks come from a stream seeded by
// (Seed, path index) alone and are shared by every policy (common random numbers).
type Sampler struct {
	Model    *Model
	Policies []string // policy names, in output order
	Workers  int      // goroutines; 0 or less means runtime.NumCPU()
	Seed     uint64
}

// Visit receives one path on a worker goroutine: results[k] and days[k] are policy k's
// metrics and series (days[k][s*T+t]). worker is in [0, Workers) and block is the path's
// block index within the call to Run. Within a block, paths arrive in order. The slices
// are reused after Visit returns.
type Visit func(worker, block int, results []Result, days [][]float64)

// WorkerCount returns the number of workers Run will use.
func (s *Sampler) WorkerCount() int {
	if s.Workers > 0 {
		return s.Workers
	}
	return runtime.NumCPU()
}

// Blocks returns the number of blocks in a run of n paths.
func Blocks(n int) int { return (n + BlockSize - 1) / BlockSize }

// Run simulates paths [first, first+n) and hands each to visit. It stops early, returning
// ctx's error, when ctx is cancelled.
func (s *Sampler) Run(ctx context.Context, first int64, n int, visit Visit) error {
	workers := s.WorkerCount()
	nBlocks := Blocks(n)
	if workers > nBlocks {
		workers = max(1, nBlocks)
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			wk, err := s.newWorker()
			if err != nil {
				return err
			}
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				block := int(next.Add(1) - 1)
				if block >= nBlocks {
					return nil
				}
				lo := block * BlockSize
				hi := min(lo+BlockSize, n)
				for i := lo; i < hi; i++ {
					wk.path(first+int64(i), s.Seed)
					visit(w, block, wk.results, wk.days)
				}
			}
		})
	}
	return g.Wait()
}

// worker is one goroutine's scratch space.
type worker struct {
	model    *Model
	stream   *Stream
	shocks   *Shocks
	sim      *Simulator
	policies []Policy
	results  []Result
	days     [][]float64
}

func (s *Sampler) newWorker() (*worker, error) {
	m := s.Model
	T := m.Days()
	w := &worker{
		model:   m,
		stream:  NewStream(),
		shocks:  NewShocks(T),
		sim:     m.NewSimulator(),
		results: make([]Result, len(s.Policies)),
		days:    make([][]float64, len(s.Policies)),
	}
	for k, name := range s.Policies {
		p, err := NewPolicy(name, m.Config())
		if err != nil {
			return nil, fmt.Errorf("sampler: %w", err)
		}
		w.policies = append(w.policies, p)
		w.days[k] = make([]float64, NumSeries*T)
		w.results[k].Policy = k
	}
	return w, nil
}

// path draws path i's shocks once and runs every policy on them.
func (w *worker) path(i int64, seed uint64) {
	w.stream.Reset(seed, i)
	w.model.Draw(w.stream, w.shocks)
	for k := range w.results {
		w.results[k].Path = i
	}
	w.sim.RunAll(w.shocks, w.policies, w.results, w.days)
}
