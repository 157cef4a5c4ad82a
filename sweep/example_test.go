package sweep_test

import (
	"fmt"

	"github.com/backstop-research/backstop/sweep"
)

// A sweep file names the parameters by their scenario keys, each with a grid: a list of
// values, or start, stop and step. Every grid point has the same seed.
func ExampleDecode() {
	plan, err := sweep.Decode([]byte(`
name: impact
paths: 5000
seed: 7
parameters:
  - key: market.lambda0      # calm price impact, bp per $bn
    start: 0.01
    stop: 0.02
    step: 0.005
  - key: spv.capacity        # the SPV's capacity C, $bn
    values: [250, 500]
`), "impact.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	points, err := plan.Points()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pt := range points {
		c := pt.Config
		fmt.Printf("point %d: lambda0 %g, capacity %g, seed %d, paths %d\n", pt.Index, c.Market.Lambda0, c.SPV.Capacity, c.Seed, c.Paths)
	}
	// Output:
	// point 0: lambda0 0.01, capacity 250, seed 7, paths 5000
	// point 1: lambda0 0.01, capacity 500, seed 7, paths 5000
	// point 2: lambda0 0.015, capacity 250, seed 7, paths 5000
	// point 3: lambda0 0.015, capacity 500, seed 7, paths 5000
	// point 4: lambda0 0.02, capacity 250, seed 7, paths 5000
	// point 5: lambda0 0.02, capacity 500, seed 7, paths 5000
}

// Every grid point is checked like a scenario file before anything runs; an error names
// the sweep file's line, the grid value and what the scenario allows.
func ExampleDecode_badValue() {
	_, err := sweep.Decode([]byte(`
parameters:
  - key: spv.equity
    values: [0.1, 0.5, 1.2]
`), "equity.yaml")
	fmt.Println(err)
	// Output:
	// equity.yaml:4: parameters[0].values[2]: spv.equity: 1.2 is not allowed; must be in [0, 1)
}
