package sim_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// randomConfig returns a valid configuration drawn around the baseline or the March 2020
// scenario: every numeric parameter of the model blocks scaled, with probability 0.4, by
// a factor between 0.25 and 4 (or set to zero), the horizon, fund count and liquidation
// days redrawn, the options (other sellers, repo rationing, buffer stress, the qe schedule
// and source, forced-sales counting) switched at random, and a random non-empty list of
// policies in random order. It reports false if none of 200 draws validated.
func randomConfig(rng *rand.Rand) (sim.Config, bool) {
	for try := 0; try < 200; try++ {
		cfg := configs.Baseline()
		if rng.IntN(2) == 0 {
			c, err := configs.Load("../configs/march2020.yaml")
			if err != nil {
				panic(err)
			}
			cfg = c
		}
		for _, block := range []any{&cfg.Shocks, &cfg.Funds, &cfg.Market, &cfg.QE, &cfg.SPV, &cfg.SRF, &cfg.SLR, &cfg.Cap, &cfg.Sellers, &cfg.Repo} {
			v := reflect.ValueOf(block).Elem()
			for i := 0; i < v.NumField(); i++ {
				f := v.Field(i)
				if rng.Float64() >= 0.4 {
					continue
				}
				switch f.Kind() {
				case reflect.Float64:
					switch rng.IntN(8) {
					case 0:
						f.SetFloat(0)
					default:
						f.SetFloat(f.Float() * (0.25 + 3.75*rng.Float64()))
					}
				case reflect.Int:
					f.SetInt(int64(rng.IntN(int(2*f.Int()) + 2)))
				}
			}
		}
		cfg.Days = 2 + rng.IntN(90)
		cfg.Funds.NFunds = 1 + rng.IntN(16)
		cfg.Funds.LDays = 1 + rng.IntN(6)
		if rng.IntN(3) == 0 {
			cfg.Sellers = sim.SellerParams{Vol: 50 * rng.Float64(), Funding: 30 * rng.Float64()}
		}
		if rng.IntN(3) == 0 {
			cfg.Repo = sim.RepoParams{Capacity: 300 + 900*rng.Float64(), Kappa: rng.Float64()}
		}
		if rng.IntN(3) == 0 {
			cfg.Funds.BufferStress = 3 * rng.Float64()
		}
		if rng.IntN(2) == 0 {
			cfg.Funds.ForcedSales = sim.ForcedLiteral
		}
		if rng.IntN(3) == 0 {
			cfg.QE.Source = "market"
		}
		if rng.IntN(3) == 0 {
			cfg.QE.Schedule = []float64{rng.Float64() * 200, rng.Float64() * 100, rng.Float64() * 50}
		}
		names := sim.PolicyNames()
		rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		cfg.Policies = names[:1+rng.IntN(len(names))]
		if cfg.Validate() == nil {
			return cfg, true
		}
	}
	return sim.Config{}, false
}

// TestLanesEqualScalarRandomConfigs checks the lockstep simulator against
// Simulator.RunAll, bit for bit on every metric and day series, on 300 paths of each of
// 24 random configurations (randomConfig): parameter corners that the named scenarios of
// TestLanesEqualScalar do not reach. A lane may fall back to the scalar simulator here;
// its results must still match.
func TestLanesEqualScalarRandomConfigs(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1128))
	const configsTried, paths = 60, 500
	valid := 0
	for c := 0; c < configsTried; c++ {
		cfg, ok := randomConfig(rng)
		if !ok {
			continue
		}
		valid++
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatalf("config %d validated but NewModel failed: %v", c, err)
		}
		for _, vector := range laneKernels(t) {
			t.Run(fmt.Sprintf("config%d/%v/days=%d/funds=%d/vector=%v", c, cfg.Policies, cfg.Days, cfg.Funds.NFunds, vector), func(t *testing.T) {
				newPolicies := func() []sim.Policy { return newPolicies(t, &cfg, cfg.Policies...) }
				runner := sim.NewLaneRunner(model, vector, newPolicies)
				checkLanes(t, model, uint64(c)+1, paths, runner, newPolicies(), nil)
			})
		}
	}
	if valid < configsTried*3/4 {
		t.Fatalf("only %d of %d random configurations validated: the generator tests too little", valid, configsTried)
	}
}
