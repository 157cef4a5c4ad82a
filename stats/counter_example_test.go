package stats_test

import (
	"fmt"

	"github.com/backstop-research/backstop/stats"
)

// ExampleSketchCounter counts a reference group (a series under no policy) and a policy's
// group as its changes from the reference: on the days the policy does nothing the values
// are equal and cost nothing. AddTo hands each group's counts to a Sketch, which answers
// quantiles within stats.SketchAccuracy.
func ExampleSketchCounter() {
	none := []float64{5, 12, 30, 48, 61, 44, 30, 21, 14, 9}
	spv := []float64{5, 12, 30, 22, 18, 15, 12, 10, 9, 7} // equal to none until day 3

	var ref, changes stats.SketchCounter
	ref.AddAll(none)
	changes.AddChanges(spv, none)

	noneSketch, spvSketch := stats.NewSketch(), stats.NewSketch()
	ref.AddTo(nil, noneSketch)
	changes.AddTo(&ref, spvSketch)
	fmt.Printf("median: none %.1f, spv %.1f (%v values each)\n", noneSketch.Quantile(0.5), spvSketch.Quantile(0.5), spvSketch.Count())
	// Output:
	// median: none 21.0, spv 11.9 (10 values each)
}

// ExampleSketchCounter_AddAllUsing counts a group in many short calls, one per day's
// batch of paths, with one scratch space kept across the calls, and hands the counts to a
// Sketch (whose median, 4, comes back within stats.SketchAccuracy).
func ExampleSketchCounter_AddAllUsing() {
	days := [][]float64{{1, 2, 3}, {2, 4}, {8, 16, 32, 64}}
	var c stats.SketchCounter
	var scratch stats.CounterScratch
	for _, xs := range days {
		c.AddAllUsing(xs, &scratch)
	}
	s := stats.NewSketch()
	c.AddTo(nil, s)
	fmt.Printf("%v values, median %.2f\n", s.Count(), s.Quantile(0.5))
	// Output:
	// 9 values, median 3.98
}
