package run

import (
	"context"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/cputime"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// recordedPath is one path's output as the sampler hands it to the tally, copied.
type recordedPath struct {
	block int
	res   []sim.Result
	days  [][]float64
}

// recordBaseline samples the first paths paths of the baseline (seed 1) on one worker and
// returns its layout, each path's output and all their results in path order.
func recordBaseline(b *testing.B, paths int) (layout, []recordedPath, []sim.Result) {
	cfg := configs.Baseline()
	m, err := sim.NewModel(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var recorded []recordedPath
	var rows []sim.Result
	s := &sim.Sampler{Model: m, Policies: cfg.Policies, Workers: 1, Seed: 1}
	err = s.Run(context.Background(), 0, paths, func(_, block int, res []sim.Result, days [][]float64) {
		p := recordedPath{block: block, res: append([]sim.Result(nil), res...)}
		for _, d := range days {
			p.days = append(p.days, append([]float64(nil), d...))
		}
		recorded = append(recorded, p)
		rows = append(rows, res...)
	})
	if err != nil {
		b.Fatal(err)
	}
	return newLayout(cfg.Policies, cfg.Days), recorded, rows
}

// BenchmarkTally measures what the run does with one path's output besides simulating it:
// buffering its series and metrics, counting them into the band sketches' bins and
// summing them, on one goroutine, over 4,096 baseline paths replayed: for a path of the
// band subset (bands), and for one outside it, whose series are only summed for the mean
// (metrics-only).
func BenchmarkTally(b *testing.B) {
	const paths = 4096
	l, recorded, _ := recordBaseline(b, paths)
	for _, bc := range []struct {
		name    string
		inBands bool
	}{{"bands", true}, {"metrics-only", false}} {
		b.Run(bc.name, func(b *testing.B) {
			tally := newChunkTally(l, 1, sim.Blocks(paths))
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				p := recorded[i%paths]
				tally.visit(0, (i%paths)/sim.BlockSize, p.res, p.days, bc.inBands)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/path")
			// CPU time, which other work on the machine disturbs less than elapsed time.
			b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/path")
		})
	}
}

// BenchmarkRowMoments measures the moments of a chunk's results (rowMoments): every
// policy's metrics and the paired differences, over 16,384 baseline paths, on one
// goroutine, as the fold computes them beside the sketches.
func BenchmarkRowMoments(b *testing.B) {
	const paths = 16384
	l, _, rows := recordBaseline(b, paths)
	tally := newChunkTally(l, 1, sim.Blocks(paths))
	cpu0 := cputime.Process()
	for b.Loop() {
		tally.rowMoments(rows)
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(b.N*paths), "cpu-ns/path")
}

// BenchmarkFold measures a chunk's fold (foldChunk): the workers' bin counts of every group
// handed to a sketch, encoded for the checkpoint and merged into the run's totals, with
// the chunk's moments beside it; over 16,384 baseline paths tallied on one worker (not
// timed), folded on one goroutine.
func BenchmarkFold(b *testing.B) {
	const paths = 16384
	l, recorded, rows := recordBaseline(b, paths)
	tally := newChunkTally(l, 1, sim.Blocks(paths))
	id := results.Identity{RunID: "bench", Seed: 1, ChunkSize: paths, Version: "bench"}
	for b.Loop() {
		b.StopTimer()
		tally.reuse(sim.Blocks(paths))
		for _, p := range recorded {
			tally.visit(0, p.block, p.res, p.days, true)
		}
		running := newTally(l)
		b.StartTimer()
		foldChunk(tally, rows, id, paths, running)
	}
}
