package run_test

import (
	"math/rand/v2"

	"github.com/backstop-research/backstop/sim"
)

// syntheticRows returns paths x policies rows of plausible random metrics.
func syntheticRows(paths, policies int) []sim.Result {
	r := rand.New(rand.NewPCG(1, 1))
	rows := make([]sim.Result, paths*policies)
	for i := range rows {
		rows[i].Path = int64(i / policies)
		rows[i].Policy = i % policies
		for m := range rows[i].Values {
			if sim.Metrics[m].Integer {
				rows[i].Values[m] = float64(r.IntN(10))
			} else {
				rows[i].Values[m] = r.ExpFloat64() * 50
			}
		}
	}
	return rows
}
