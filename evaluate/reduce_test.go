package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sync/errgroup"

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
