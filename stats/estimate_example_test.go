package stats_test

import (
	"fmt"

	"github.com/backstop-research/backstop/stats"
)

// ExamplePaired compares the peak yield dislocation (basis points) of two policies run
// on the same ten paths. The paths share most of their noise, so the paired interval is
// far narrower than the one that treats the runs as independent.
func ExamplePaired() {
	withBackstop := []float64{12.1, 30.4, 8.2, 55.0, 17.3, 22.8, 9.9, 41.2, 14.6, 27.5}
	without := []float64{14.0, 35.1, 8.0, 63.9, 20.2, 25.0, 11.3, 49.8, 15.1, 31.0}

	e, err := stats.Paired(withBackstop, without, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("effect %.2f bp, paired 95%% CI [%.2f, %.2f]\n", e.Diff.Estimate, e.Diff.Lo, e.Diff.Hi)
	fmt.Printf("unpaired 95%% CI [%.2f, %.2f]\n", e.Unpaired.Lo, e.Unpaired.Hi)
	fmt.Printf("variance reduction %.0fx, backstop lower on %.0f%% of paths\n", e.VarianceReduction, 100*e.ShareBelow)

	_, err = stats.Paired(withBackstop, without[:9], 0.95)
	fmt.Println(err)
	// Output:
	// effect -3.44 bp, paired 95% CI [-5.68, -1.20]
	// unpaired 95% CI [-19.08, 12.20]
	// variance reduction 56x, backstop lower on 90% of paths
	// stats: paired samples differ in length: 10 and 9 values
}
