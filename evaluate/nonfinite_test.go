package evaluate

import (
	"math"
	"testing"

	"golang.org/x/sync/errgroup"
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
