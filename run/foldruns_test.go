package run

import (
	"bytes"
	"context"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TestFoldRunsAnyGoroutines folds the same chunk on 1 to more goroutines than there are
// runs: every group must be handed over once, in order within its run, on the run's own
// goroutine, and the runs joined in order must encode as fold's groups in order do; the
// counters must be empty after (a second fold gives empty sketches).
func TestFoldRunsAnyGoroutines(t *testing.T) {
	cfg := configs.Baseline()
	m, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := newLayout(cfg.Policies, cfg.Days)
	const paths = 300
	sampler := &sim.Sampler{Model: m, Policies: cfg.Policies, Workers: 2, Seed: 5}
	sample := func() *chunkTally {
		ct := newChunkTally(l, 2, sim.Blocks(paths))
		if err := sampler.Run(context.Background(), 0, paths, func(w, b int, res []sim.Result, days [][]float64) {
			ct.visit(w, b, res, days, true)
		}); err != nil {
			t.Fatal(err)
		}
		return ct
	}
	var want []byte
	sample().fold(nil, func(g int, sum float64, sk *stats.Sketch) {
		want = sk.AppendBinary(want)
	})
	for _, goroutines := range []int{1, 2, 3, foldRunCount, 3 * foldRunCount} {
		ct := sample()
		var runs [foldRunCount][]byte
		next := make([]int, foldRunCount) // per run, the group expected next
		for r := range next {
			next[r], _ = foldRun(r, l.groups())
		}
		bad := make([]bool, foldRunCount)
		ct.foldRuns(nil, goroutines, func(r, g int, _ float64, sk *stats.Sketch) {
			if _, hi := foldRun(r, l.groups()); g != next[r] || g >= hi {
				bad[r] = true
			}
			next[r]++
			runs[r] = sk.AppendBinary(runs[r])
		})
		for r, b := range bad {
			if _, hi := foldRun(r, l.groups()); b || next[r] != hi {
				t.Errorf("%d goroutines: run %d's groups were not handed over once each in order", goroutines, r)
			}
		}
		if got := bytes.Join(runs[:], nil); !bytes.Equal(got, want) {
			t.Errorf("%d goroutines: the runs joined encode differently from the groups folded in order", goroutines)
		}
		ct.foldRuns(nil, goroutines, func(r, g int, _ float64, sk *stats.Sketch) {
			if sk.Count() != 0 {
				bad[r] = true
			}
		})
		for r, b := range bad {
			if b {
				t.Errorf("%d goroutines: run %d's counters were not emptied", goroutines, r)
			}
		}
	}
}
