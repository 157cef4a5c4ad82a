package evaluate

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/backstop-research/backstop/configs"
)

// TestShare: small evaluations run several at a time, one sampler worker for every
// 16 blocks of paths; large ones one at a time on every core.
func TestShare(t *testing.T) {
	tests := []struct {
		workers, paths, n int
		conc, per         int
	}{
		{1, 2000, 16, 1, 1},
		{2, 1000, 16, 2, 1},
		{2, 2000, 16, 2, 1},
		{2, 2000, 1, 1, 2},      // the last chunk's one evaluation: every core
		{3, 2000, 16, 3, 1},     //
		{32, 1000, 16, 16, 2},   // a chunk's 16 at once, the cores left shared out
		{32, 20000, 16, 6, 5},   // 79 blocks: 5 workers each
		{8, 100000, 16, 1, 8},   // 391 blocks: all cores on one
		{64, 1000000, 5, 1, 64}, // as before
	}
	for _, tc := range tests {
		conc, per := Share(tc.workers, tc.paths, tc.n)
		if conc != tc.conc || per != tc.per {
			t.Errorf("%d workers, %d paths, %d evaluations: %d at once with %d workers each, want %d with %d", tc.workers, tc.paths, tc.n, conc, per, tc.conc, tc.per)
		}
		if conc*per > tc.workers {
			t.Errorf("%d workers: %d x %d in use", tc.workers, conc, per)
		}
	}
}

// TestEach: Each evaluates every index once, on at most the cores given, with the results
// of evaluating one after another on all of them; the first error stops it.
func TestEach(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Policies = []string{"none", "qe"}
	cfg.Paths = 300
	const n = 5
	want := make([]*Result, n)
	for i := range want {
		c := cfg
		c.Seed = uint64(i)
		r, err := Run(context.Background(), c, 2)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
	}
	got := make([]*Result, n)
	var calls, busy, most atomic.Int64
	err := Each(context.Background(), n, cfg.Paths, 3, func(ctx context.Context, i, workers int) error {
		calls.Add(1)
		now := busy.Add(int64(workers))
		defer busy.Add(-int64(workers))
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		c := cfg
		c.Seed = uint64(i)
		r, err := Run(ctx, c, workers)
		got[i] = r
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != n || most.Load() > 3 {
		t.Errorf("%d calls for %d evaluations, %d workers at once on 3 cores", calls.Load(), n, most.Load())
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the evaluations run at once differ from those run one after another")
	}
	stop := errors.New("stop")
	calls.Store(0)
	err = Each(context.Background(), 100, 300, 2, func(ctx context.Context, i, _ int) error {
		calls.Add(1)
		switch {
		case i == 3:
			return stop
		case i > 3: // until the error stops it
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	})
	if !errors.Is(err, stop) || calls.Load() == 100 {
		t.Errorf("error %v after %d of 100 calls, want stop, and the rest not called", err, calls.Load())
	}
}
