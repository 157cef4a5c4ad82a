package evaluate_test

import (
	"context"
	"fmt"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/sim"
)

// Collect, on the same 1,000 paths, a metric under two policies and a value computed
// from the day-by-day trace: the one loop behind evaluate.Run and moments.Evaluate.
func ExamplePaths() {
	cfg := configs.Baseline()
	firstDaySales := func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 { return tr.Days[0].Sales }
	cols := []evaluate.Column{
		{Policy: "none", Metric: sim.PeakBasisBP},
		{Policy: "spv", Metric: sim.PeakBasisBP},
		{Policy: "none", Of: firstDaySales},
	}
	vals, err := evaluate.Paths(context.Background(), cfg, cols, 1000, 1, 0)
	if err != nil {
		panic(err)
	}
	lower := 0
	for i := range vals[0] {
		if vals[1][i] <= vals[0][i] {
			lower++
		}
	}
	fmt.Println(len(vals[2]), "paths; spv's peak basis at most none's on all of them:", lower == len(vals[0]))
	// Output: 1000 paths; spv's peak basis at most none's on all of them: true
}
