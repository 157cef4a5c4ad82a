package sim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// TestDrawBatchMatchesDraw checks the lockstep sampler's batch draw against Model.Draw
// path by path, bit for bit in every field of Shocks: on the baseline, the March 2020
// calibration (other funding shocks), a scenario where the funding shock fires on most
// days and the jumps are large, horizons of 1 to 90 days, and batches that are not a
// multiple of the lanes.
func TestDrawBatchMatchesDraw(t *testing.T) {
	march := shippedConfig(t, "march2020.yaml")
	shocky := configs.Baseline()
	shocky.Shocks.PF, shocky.Shocks.SJ, shocky.Shocks.Eta = 0.6, 4, 1.5
	type batchCase struct {
		name      string
		cfg       sim.Config
		paths     int
		seed      uint64
		first     int64
		batchSize int
	}
	cases := []batchCase{
		{"baseline", configs.Baseline(), 4000, 0, 0, sim.BatchPaths},
		{"baseline seed 7", configs.Baseline(), 1000, 7, 123457, 13},
		{"march2020", march, 2000, 0, 0, sim.BatchPaths},
		{"shocky", shocky, 2000, 3, 40, 5},
	}
	for _, days := range []int{1, 2, 9, 90} {
		c := configs.Baseline()
		c.Days = days
		cases = append(cases, batchCase{fmt.Sprintf("%d days", days), c, 500, 11, 0, 7})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := sim.NewModel(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			T := tc.cfg.Days
			rng, want := sim.NewStream(), sim.NewShocks(T)
			got := make([]*sim.Shocks, tc.batchSize)
			for i := range got {
				got[i] = sim.NewShocks(T)
			}
			fired, draw := 0, sim.BatchDraw(m)
			for first := 0; first < tc.paths; first += tc.batchSize {
				n := min(tc.batchSize, tc.paths-first)
				start := tc.first + int64(first)
				draw(tc.seed, start, got[:n])
				for l, sh := range got[:n] {
					path := start + int64(l)
					rng.Reset(tc.seed, path)
					m.Draw(rng, want)
					if d := shocksDiff(sh, want); d != "" {
						t.Fatalf("path %d: %s", path, d)
					}
					for d := 1; d < T; d++ {
						if want.F[d] > tc.cfg.Shocks.RhoF*want.F[d-1]+1e-12+tc.cfg.Shocks.BetaF*math.Max(0, math.Log(want.Sigma[d-1]/tc.cfg.Shocks.SigmaBar)) {
							fired++
						}
					}
				}
			}
			if T > 1 && tc.cfg.Shocks.PF > 0 && fired == 0 {
				t.Fatal("no funding shock fired: the rare case was not exercised")
			}
		})
	}
}

// shocksDiff describes the first field where got and want differ in their bits, or "".
func shocksDiff(got, want *sim.Shocks) string {
	for name, pair := range map[string][2][]float64{
		"sigma": {got.Sigma, want.Sigma}, "F": {got.F, want.F}, "dy": {got.DY, want.DY},
		"noise": {got.Noise, want.Noise}, "margin": {got.Margin, want.Margin},
		"jump": {{got.Jump}, {want.Jump}},
	} {
		for d := range pair[1] {
			if math.Float64bits(pair[0][d]) != math.Float64bits(pair[1][d]) {
				return fmt.Sprintf("%s day %d: batch %v, Draw %v", name, d, pair[0][d], pair[1][d])
			}
		}
	}
	return ""
}
