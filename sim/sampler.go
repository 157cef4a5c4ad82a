package sim

import (
	"context"
	"fmt"
	"runtime"
	"slices"
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
	// Traced, when set, has one entry per policy: RunPaths hands the day-by-day flows of a
	// traced policy to its visit (Path.Traces). Traced policies run one by one
	// (Simulator.Run), the others together (Simulator.RunAll); the results are the same.
	Traced []bool
	// NoSeries skips the per-day series (Path.Days is nil) for visits that read metrics only.
	NoSeries bool
	// NoShocks tells RunPaths that its visits do not read Path.Shocks, which may then be
	// nil: the lockstep simulator reads a batch's draws as the vector draws leave them,
	// lanes side by side, and turns them into per-path Shocks only for a visit that reads
	// them (a transpose per path and series, about 2% of a summary-only run). Run's visits
	// never see the shocks: Run sets it. With Traced policies, or where the lockstep
	// simulator does not run, Path.Shocks is set whatever NoShocks says.
	NoShocks bool

	lanes laneMode // tests only: how paths without traces are simulated (lanes.go)
}

// laneMode chooses between the scalar Simulator and the lockstep simulator of lanes.go.
type laneMode int

const (
	lanesAuto   laneMode = iota // the vector lanes where the build and the CPU have them, else scalar
	lanesOff                    // the scalar Simulator, path by path
	lanesScalar                 // the lockstep simulator with the scalar fund loops (tests)
)

// Path is one simulated path as RunPaths hands it over: the path's index and shocks (maybe
// nil under Sampler.NoShocks), and
// per policy k its metrics Results[k], its series Days[k] (Days[k][s*T+t]; nil under
// NoSeries) and, when the policy is traced, its day-by-day flows Traces[k].
type Path struct {
	Index   int64
	Shocks  *Shocks
	Results []Result
	Days    [][]float64
	Traces  []Trace
}

// PathVisit receives one path on a worker goroutine, as Visit does; p and everything it
// points to are reused after PathVisit returns.
type PathVisit func(worker, block int, p *Path)

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
	shockless := *s
	shockless.NoShocks = true
	return shockless.RunPaths(ctx, first, n, func(worker, block int, p *Path) { visit(worker, block, p.Results, p.Days) })
}

// RunPaths is Run for visits that need more of a path than its metrics and series: its
// shocks and the traces of the Traced policies. Paths are drawn in blocks of BlockSize
// whatever the worker count, so that anything a visit folds block by block, or stores by
// path index, does not depend on it.
func (s *Sampler) RunPaths(ctx context.Context, first int64, n int, visit PathVisit) error {
	if s.Traced != nil && len(s.Traced) != len(s.Policies) {
		return fmt.Errorf("sampler: %d traced flags for %d policies", len(s.Traced), len(s.Policies))
	}
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
			defer wk.release()
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
				if wk.group != nil {
					for i := lo; i < hi; i += batchPaths {
						nl := min(batchPaths, hi-i)
						wk.lanePaths(first+int64(i), nl, s.Seed)
						for l := 0; l < nl; l++ {
							visit(w, block, &wk.laneOut[l])
						}
					}
					continue
				}
				for i := lo; i < hi; i++ {
					wk.path(first+int64(i), s.Seed)
					visit(w, block, &wk.out)
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
	sim      *Simulator
	policies []Policy
	traced   []bool
	out      Path
	// The untraced policies, run together when some are traced: their policies, indices
	// into policies, and results and series scratch.
	plain     []Policy
	plainK    []int
	plainRes  []Result
	plainDays [][]float64
	// The lockstep simulator (lanes.go), when it runs: batchPaths paths at a time, each with
	// its policies and its Path.
	group    *laneGroup
	lanePols [][]Policy
	laneOut  []Path
	// The batch's draws (draws.go), into laneShocks[l] = laneOut[l].Shocks unless the
	// group reads them as they are (fromDraws), and then only when visits read them
	// (storeShocks).
	draws                  *laneDraws
	laneShocks             []*Shocks
	fromDraws, storeShocks bool
}

func (s *Sampler) newWorker() (*worker, error) {
	m := s.Model
	T := m.Days()
	np := len(s.Policies)
	w := &worker{
		model:  m,
		stream: NewStream(),
		sim:    m.NewSimulator(),
		out: Path{
			Shocks:  NewShocks(T),
			Results: make([]Result, np),
			Days:    make([][]float64, np),
		},
	}
	for k, name := range s.Policies {
		p, err := NewPolicy(name, m.Config())
		if err != nil {
			return nil, fmt.Errorf("sampler: %w", err)
		}
		w.policies = append(w.policies, p)
		if !s.NoSeries {
			w.out.Days[k] = make([]float64, NumSeries*T)
		}
		w.out.Results[k].Policy = k
	}
	if vector := vectorLanes() && s.lanes == lanesAuto; (vector || s.lanes == lanesScalar) && !slices.Contains(s.Traced, true) {
		w.group = m.newLaneGroup(vector)
		w.fromDraws = m.useSource(vector)
		w.storeShocks = !w.fromDraws || !s.NoShocks
		for l := 0; l < batchPaths; l++ {
			out := Path{Results: make([]Result, np), Days: make([][]float64, np)}
			if w.storeShocks {
				out.Shocks = NewShocks(T)
			}
			pols := make([]Policy, np)
			for k, name := range s.Policies {
				pols[k], _ = NewPolicy(name, m.Config()) // the names passed above
				if !s.NoSeries {
					out.Days[k] = make([]float64, NumSeries*T)
				}
				out.Results[k].Policy = k
			}
			w.lanePols, w.laneOut = append(w.lanePols, pols), append(w.laneOut, out)
			w.laneShocks = append(w.laneShocks, out.Shocks)
		}
		w.draws = m.newLaneDraws()
		if w.fromDraws {
			w.group.src = w.draws
		}
	}
	if slices.Contains(s.Traced, true) {
		w.traced = s.Traced
		w.out.Traces = make([]Trace, np)
		for k, p := range w.policies {
			if !s.Traced[k] {
				w.plain, w.plainK = append(w.plain, p), append(w.plainK, k)
				w.plainRes = append(w.plainRes, Result{Policy: k})
				w.plainDays = append(w.plainDays, w.out.Days[k])
			}
		}
	}
	return w, nil
}

// release gives the worker's snapshot storage to the workers of later runs (snapshotPool).
func (w *worker) release() {
	w.sim.snaps.release()
	if w.group != nil {
		for i := range w.group.batch {
			w.group.batch[i].sim.snaps.release()
		}
	}
}

// path draws path i's shocks once and runs every policy on them.
func (w *worker) path(i int64, seed uint64) {
	p := &w.out
	p.Index = i
	w.stream.Reset(seed, i)
	w.model.Draw(w.stream, p.Shocks)
	for k := range p.Results {
		p.Results[k].Path = i
	}
	if w.traced == nil {
		w.sim.RunAll(p.Shocks, w.policies, p.Results, p.Days)
		return
	}
	for k, pol := range w.policies {
		if w.traced[k] {
			p.Traces[k].Reset()
			w.sim.Run(p.Shocks, pol, &p.Results[k], p.Days[k], &p.Traces[k])
		}
	}
	if len(w.plain) > 0 {
		w.sim.RunAll(p.Shocks, w.plain, w.plainRes, w.plainDays)
		for j, k := range w.plainK {
			p.Results[k].Values = w.plainRes[j].Values
		}
	}
}

// lanePaths draws paths i..i+n-1 (n <= batchPaths) and runs every policy on them in
// lockstep.
func (w *worker) lanePaths(i int64, n int, seed uint64) {
	switch {
	case !w.fromDraws:
		w.draws.draw(seed, i, w.laneShocks[:n])
	case w.storeShocks:
		w.draws.drawBatch(seed, i, n)
		w.draws.store(w.laneShocks[:n])
	default:
		w.draws.drawBatch(seed, i, n)
	}
	for l := 0; l < n; l++ {
		p := &w.laneOut[l]
		p.Index = i + int64(l)
		for k := range p.Results {
			p.Results[k].Path = p.Index
		}
	}
	w.group.runAll(n, w.laneOut, w.lanePols)
}
