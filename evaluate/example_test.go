package evaluate_test

import (
	"context"
	"fmt"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/evaluate"
)

// Evaluate the baseline under none and spv on 2,000 paths: the summary and the paired
// effect, with nothing written to disk.
func ExampleRun() {
	cfg := configs.Baseline()
	cfg.Paths, cfg.Seed, cfg.Policies = 2000, 1, []string{"none", "spv"}
	r, err := evaluate.Run(context.Background(), cfg, 0)
	if err != nil {
		panic(err)
	}
	peak := 0 // results.SummaryMetrics[0] is peak_basis_bp
	e := r.Pair("spv", "none")[peak]
	fmt.Printf("spv lowers the mean peak basis: %v (the whole 95%% interval below 0: %v)\n", e.Mean < 0, e.Hi < 0)
	// Output:
	// spv lowers the mean peak basis: true (the whole 95% interval below 0: true)
}
