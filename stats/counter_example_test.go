package stats_test

import (
	"fmt"

	"github.com/backstop-research/backstop/stats"
)

// ExampleSketchCounter counts two policies' series over ten days, a value both have on a
// day once: in a counter they share, and each policy's other values in its own counter
// (until day 3 spv has not acted and its series is none's). AddTo with the shared counter
// as the base hands each policy's whole series to a Sketch, which answers quantiles within
// stats.SketchAccuracy.
func ExampleSketchCounter() {
	none := []float64{5, 12, 30, 48, 61, 44, 30, 21, 14, 9}
	spv := []float64{5, 12, 30, 22, 18, 15, 12, 10, 9, 7}

	var agreed, noneOwn, spvOwn []float64
	for day := range none {
		if none[day] == spv[day] {
			agreed = append(agreed, none[day])
		} else {
			noneOwn, spvOwn = append(noneOwn, none[day]), append(spvOwn, spv[day])
		}
	}
	var shared, noneCounter, spvCounter stats.SketchCounter
	shared.AddAll(agreed)
	noneCounter.AddAll(noneOwn)
	spvCounter.AddAll(spvOwn)

	noneSketch, spvSketch := stats.NewSketch(), stats.NewSketch()
	noneCounter.AddTo(&shared, noneSketch)
	spvCounter.AddTo(&shared, spvSketch)
	fmt.Printf("median: none %.1f, spv %.1f (%v values each, %d counted once)\n", noneSketch.Quantile(0.5), spvSketch.Quantile(0.5), spvSketch.Count(), len(agreed))
	// Output:
	// median: none 21.0, spv 11.9 (10 values each, 3 counted once)
}

// ExampleSketchCounter_AddCodes stages the bin codes of a group's values, one day's batch
// of paths at a time, counts them, and hands the counts to a Sketch (whose median, 4,
// comes back within stats.SketchAccuracy).
func ExampleSketchCounter_AddCodes() {
	days := [][]float64{{1, 2, 3}, {2, 4}, {8, 16, 32, 64}}
	var c stats.SketchCounter
	for _, xs := range days {
		codes := make([]int32, len(xs))
		for i, x := range xs {
			codes[i], _ = stats.BinCode(x)
		}
		c.AddCodes(codes)
	}
	s := stats.NewSketch()
	c.AddTo(nil, s)
	fmt.Printf("%v values, median %.2f\n", s.Count(), s.Quantile(0.5))
	// Output:
	// 9 values, median 3.98
}
