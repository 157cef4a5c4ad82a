package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDiffMomentsEqualsAdd checks DiffMoments against Moments.Add of each difference in
// turn, bit for bit, for column counts around the groups of four and lengths from empty
// to thousands, with zeros, signed zeros and large values mixed in.
func TestDiffMomentsEqualsAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	special := []float64{0, math.Copysign(0, -1), 1e300, -1e-300, 3}
	for _, cols := range []int{0, 1, 3, 4, 5, 8, 9} {
		for _, n := range []int{0, 1, 2, 7, 1000, 4099} {
			t.Run(fmt.Sprintf("%d columns of %d", cols, n), func(t *testing.T) {
				a, b := make([][]float64, cols), make([][]float64, cols)
				for i := range a {
					a[i], b[i] = make([]float64, n), make([]float64, n)
					for p := range a[i] {
						a[i][p], b[i][p] = rng.NormFloat64()*float64(i+1), rng.ExpFloat64()
						if rng.IntN(10) == 0 {
							a[i][p] = special[rng.IntN(len(special))]
						}
					}
				}
				got := DiffMoments(a, b)
				if len(got) != cols {
					t.Fatalf("%d accumulators for %d columns", len(got), cols)
				}
				for i := range a {
					var want Moments
					for p := range a[i] {
						want.Add(a[i][p] - b[i][p])
					}
					if got[i].n != want.n || math.Float64bits(got[i].mean) != math.Float64bits(want.mean) || math.Float64bits(got[i].m2) != math.Float64bits(want.m2) {
						t.Errorf("column %d: got %+v, Add gives %+v", i, got[i], want)
					}
				}
			})
		}
	}
}

func ExampleDiffMoments() {
	spv := [][]float64{{10, 12, 9}, {1, 0, 2}}
	none := [][]float64{{14, 15, 13}, {1, 1, 1}}
	for i, m := range DiffMoments(spv, none) {
		fmt.Printf("metric %d: mean difference %.2f over %d paths\n", i, m.Mean(), m.N())
	}
	// Output:
	// metric 0: mean difference -3.67 over 3 paths
	// metric 1: mean difference 0.00 over 3 paths
}
