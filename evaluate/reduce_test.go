package evaluate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TestFirstNonFiniteValue checks that the evaluation names the first bad value in path
// order, then column order, whichever goroutine finds it first.
func TestFirstNonFiniteValue(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name             string
		columns          [][]float64
		column, pathWant int
	}{
		{"all finite", [][]float64{{1, 2, 3}, {0, -1, 1e300}}, -1, -1},
		{"no columns", nil, -1, -1},
		{"one NaN", [][]float64{{1, 2, 3}, {0, nan, 1}}, 1, 1},
		{"earlier path wins over earlier column", [][]float64{{1, 2, inf}, {0, nan, 1}}, 1, 1},
		{"same path: earlier column wins", [][]float64{{1, 2, 3}, {0, -inf, 1}, {0, nan, 1}}, 1, 1},
		{"first path", [][]float64{{1, 2}, {1, 2}, {inf, 2}}, 2, 0},
		{"last path", [][]float64{{1, 2, 3, 4, 5}, {1, 2, 3, 4, -inf}}, 1, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := new(errgroup.Group)
			g.SetLimit(2)
			column, path := firstNonFiniteValue(g, c.columns)
			if column != c.column || path != c.pathWant {
				t.Errorf("got column %d path %d, want column %d path %d", column, path, c.column, c.pathWant)
			}
		})
	}
}

// TestPairedEffectIsPairedDiff checks the summary's paired effect against stats.Paired's
// Diff, bit for bit, on columns of several lengths, a single path (no interval) included.
func TestPairedEffectIsPairedDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{1, 2, 3, 17, 1000, 100_003} {
		a, b := make([]float64, n), make([]float64, n)
		for i := range a {
			a[i], b[i] = rng.NormFloat64()*100, rng.ExpFloat64()*30
		}
		got := pairedEffect(stats.DiffMoments([][]float64{a}, [][]float64{b})[0], a[0]-b[0])
		if n == 1 {
			if got.Mean != a[0]-b[0] || !math.IsInf(got.Lo, -1) || !math.IsInf(got.Hi, 1) {
				t.Errorf("n = 1: got %+v, want the difference with an unbounded interval", got)
			}
			continue
		}
		e, err := stats.Paired(a, b, Level)
		if err != nil {
			t.Fatal(err)
		}
		want := Effect{Mean: e.Diff.Estimate, Lo: e.Diff.Lo, Hi: e.Diff.Hi}
		for _, c := range [][2]float64{{got.Mean, want.Mean}, {got.Lo, want.Lo}, {got.Hi, want.Hi}} {
			if math.Float64bits(c[0]) != math.Float64bits(c[1]) {
				t.Errorf("n = %d: got %+v, stats.Paired's Diff %+v", n, got, want)
				break
			}
		}
	}
}

// TestPathsStoresEveryValue checks Paths' metric columns against the sampler's own results,
// path by path, for path counts around its rows of 64 paths and several worker counts, with
// a traced column among them: every value lands in its column at its path's index.
func TestPathsStoresEveryValue(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Policies = []string{"none", "qe", "spv"}
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	trace := func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 { return float64(len(tr.Days)) }
	cols := []Column{{Policy: "spv", Metric: sim.PeakBasisBP}, {Policy: "none", Of: trace}, {Policy: "qe", Metric: sim.HFLossBN}, {Policy: "none", Metric: sim.PeakBasisBP}}
	for _, n := range []int{1, 63, 64, 65, 700} {
		want := make(map[int64][]sim.Result, n)
		s := &sim.Sampler{Model: model, Policies: cfg.Policies, Workers: 1, Seed: 3, NoSeries: true}
		if err := s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, _ [][]float64) {
			want[res[0].Path] = append([]sim.Result(nil), res...)
		}); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 2, 3} {
			vals, err := Paths(context.Background(), cfg, cols, n, 3, workers)
			if err != nil {
				t.Fatal(err)
			}
			for j, c := range cols {
				for i, v := range vals[j] {
					w := float64(cfg.Days)
					if c.Of == nil {
						w = want[int64(i)][slices.Index(cfg.Policies, c.Policy)].Values[c.Metric]
					}
					if math.Float64bits(v) != math.Float64bits(w) {
						t.Fatalf("%d paths, %d workers: column %d path %d is %v, want %v", n, workers, j, i, v, w)
					}
				}
			}
		}
	}
}
