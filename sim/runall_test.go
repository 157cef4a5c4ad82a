package sim_test

import (
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// TestRunAllEqualsRun checks that RunAll, which simulates the days before a dormant
// policy first acts once for all policies, gives bit for bit the metrics and day series
// of Run, policy by policy, on every scenario shipped and with every policy.
func TestRunAllEqualsRun(t *testing.T) {
	for _, file := range []string{"", "march2020.yaml", "march2020_spec.yaml", "april2025.yaml", "escalation.yaml"} {
		cfg := configs.Baseline()
		if file != "" {
			cfg = shippedConfig(t, file)
		}
		cfg.Policies = sim.PolicyNames()
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		pols := newPolicies(t, &cfg, cfg.Policies...)
		T := cfg.Days
		all, one := model.NewSimulator(), model.NewSimulator()
		stream, sh := sim.NewStream(), sim.NewShocks(T)
		res, want := make([]sim.Result, len(pols)), make([]sim.Result, len(pols))
		days, wantDays := make([][]float64, len(pols)), make([]float64, sim.NumSeries*T)
		for k := range days {
			days[k] = make([]float64, sim.NumSeries*T)
		}
		shared := 0
		for i := int64(0); i < 2000; i++ {
			stream.Reset(cfg.Seed, i)
			model.Draw(stream, sh)
			all.RunAll(sh, pols, res, days)
			for k := range pols {
				one.Run(sh, pols[k], &want[k], wantDays, nil)
				if res[k].Values != want[k].Values {
					t.Fatalf("%s path %d policy %s: RunAll %v, Run %v", file, i, cfg.Policies[k], res[k].Values, want[k].Values)
				}
				for j := range wantDays {
					if days[k][j] != wantDays[j] {
						t.Fatalf("%s path %d policy %s: series value %d differs (%v, %v)", file, i, cfg.Policies[k], j, days[k][j], wantDays[j])
					}
				}
				if cfg.Policies[k] != "none" && res[k].Values[sim.PeakCBHoldingsBN] == 0 {
					shared++
				}
			}
		}
		if shared == 0 {
			t.Fatalf("%s: no path where a policy stayed dormant: the shortcut was never exercised", file)
		}
	}
}

// shippedConfig returns the scenario of the shipped file configs/name.
func shippedConfig(t testing.TB, name string) sim.Config {
	t.Helper()
	cfg, err := configs.Load("../configs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
