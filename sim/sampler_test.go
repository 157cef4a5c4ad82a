package sim_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// TestRunPathsTraced checks that RunPaths hands over, for any choice of traced policies
// and worker count, the metrics of Run (every policy together, RunAll) bit for bit, the
// series unless NoSeries, and for a traced policy the day-by-day flows of
// Simulator.Run with a trace on the same path's shocks.
func TestRunPathsTraced(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Policies = sim.PolicyNames()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300 // two blocks, the second partial
	np := len(cfg.Policies)
	want := make([][]sim.Result, n)
	wantDays := make([][][]float64, n)
	base := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 3, Workers: 1}
	err = base.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, days [][]float64) {
		i := res[0].Path
		want[i] = append([]sim.Result(nil), res...)
		for _, d := range days {
			wantDays[i] = append(wantDays[i], append([]float64(nil), d...))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tracedNone, tracedLast, tracedAll := make([]bool, np), make([]bool, np), make([]bool, np)
	tracedNone[0], tracedLast[np-1] = true, true
	for k := range tracedAll {
		tracedAll[k] = true
	}
	tests := []struct {
		name     string
		traced   []bool
		noSeries bool
		workers  int
	}{
		{"untraced, no series, 2 workers", nil, true, 2},
		{"none traced, 1 worker", tracedNone, false, 1},
		{"last traced, no series, 3 workers", tracedLast, true, 3},
		{"all traced, 2 workers", tracedAll, false, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 3, Workers: tc.workers, Traced: tc.traced, NoSeries: tc.noSeries}
			one := model.NewSimulator()
			var mu sync.Mutex
			seen := 0
			err := s.RunPaths(context.Background(), 0, n, func(_, _ int, p *sim.Path) {
				mu.Lock()
				defer mu.Unlock()
				seen++
				for k := range cfg.Policies {
					if !reflect.DeepEqual(p.Results[k], want[p.Index][k]) {
						t.Errorf("path %d %s: %+v, Run gives %+v", p.Index, cfg.Policies[k], p.Results[k], want[p.Index][k])
					}
					if tc.noSeries != (p.Days[k] == nil) || !tc.noSeries && !reflect.DeepEqual(p.Days[k], wantDays[p.Index][k]) {
						t.Errorf("path %d %s: series with NoSeries %v: %d values", p.Index, cfg.Policies[k], tc.noSeries, len(p.Days[k]))
					}
					if tc.traced == nil || !tc.traced[k] {
						continue
					}
					pol, err := sim.NewPolicy(cfg.Policies[k], &cfg)
					if err != nil {
						t.Fatal(err)
					}
					var res sim.Result
					var tr sim.Trace
					one.Run(p.Shocks, pol, &res, nil, &tr)
					if len(tr.Days) != cfg.Days || !reflect.DeepEqual(tr.Days, p.Traces[k].Days) {
						t.Errorf("path %d %s: the trace differs from Run's (%d and %d days)", p.Index, cfg.Policies[k], len(p.Traces[k].Days), len(tr.Days))
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if seen != n {
				t.Fatalf("%d paths visited, want %d", seen, n)
			}
		})
	}
	bad := &sim.Sampler{Model: model, Policies: cfg.Policies, Traced: []bool{true}}
	if err := bad.RunPaths(context.Background(), 0, 1, func(int, int, *sim.Path) {}); err == nil {
		t.Error("one traced flag for several policies: no error")
	}
}

// Trace the no-policy path of the baseline: its day-by-day flows cover every day, and
// NoSeries leaves the per-day series out.
func ExampleSampler_RunPaths() {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		panic(err)
	}
	s := &sim.Sampler{Model: model, Policies: []string{"none"}, Workers: 1, Seed: 1, Traced: []bool{true}, NoSeries: true}
	err = s.RunPaths(context.Background(), 0, 1, func(_, _ int, p *sim.Path) {
		fmt.Println(len(p.Traces[0].Days) == cfg.Days, p.Days[0] == nil)
	})
	if err != nil {
		panic(err)
	}
	// Output: true true
}

// TestRunPathsShocks checks Path.Shocks's contract under every way of simulating paths
// (the scalar Simulator, the lockstep one with scalar steps, with the vector kernels):
// without NoShocks every path's Shocks are Model.Draw's (TestDrawBatchMatchesDraw
// compares the bits), and with NoShocks the metrics are the same as without, on 2 workers and a path count that ends mid-batch.
func TestRunPathsShocks(t *testing.T) {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const first, n = 40, 300
	modes := []int{sim.LanesOff, sim.LanesScalar}
	if sim.VectorLanes() {
		modes = append(modes, sim.LanesAuto)
	}
	for _, mode := range modes {
		t.Run(fmt.Sprintf("mode %d", mode), func(t *testing.T) {
			results := func(noShocks bool) [][]sim.Result {
				s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 5, Workers: 2, NoSeries: true, NoShocks: noShocks}
				sim.SetSamplerLanes(s, mode)
				out := make([][]sim.Result, n)
				var mu sync.Mutex
				rng, want := sim.NewStream(), sim.NewShocks(cfg.Days)
				err := s.RunPaths(context.Background(), first, n, func(_, _ int, p *sim.Path) {
					out[p.Index-first] = append([]sim.Result(nil), p.Results...)
					if noShocks {
						return
					}
					mu.Lock()
					defer mu.Unlock()
					if p.Shocks == nil {
						t.Errorf("path %d: no shocks without NoShocks", p.Index)
						return
					}
					rng.Reset(5, p.Index)
					model.Draw(rng, want)
					if !reflect.DeepEqual(p.Shocks, want) {
						t.Errorf("path %d: the shocks handed over are not Model.Draw's", p.Index)
					}
				})
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			with, without := results(false), results(true)
			for i := range with {
				if !reflect.DeepEqual(with[i], without[i]) {
					t.Fatalf("path %d: the metrics under NoShocks differ", first+i)
				}
			}
		})
	}
}

// TestSamplersReuseSnapshots: a sampler whose workers take the snapshot storage earlier
// samplers released (of other models: more funds, fewer or more days) gives every path's
// metrics bit for bit as Simulator.Run does, policy by policy on the path's shocks.
func TestSamplersReuseSnapshots(t *testing.T) {
	march := shippedConfig(t, "march2020.yaml")
	short := configs.Baseline()
	short.Days, short.Funds.NFunds = 20, 3
	long := configs.Baseline()
	long.Days, long.Funds.NFunds = 90, 12
	for _, cfg := range []sim.Config{long, march, short, march} {
		cfg.Policies = sim.PolicyNames()
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		pols := newPolicies(t, &cfg, cfg.Policies...)
		one := model.NewSimulator()
		var mu sync.Mutex
		s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 9, Workers: 2, NoSeries: true}
		err = s.RunPaths(context.Background(), 0, 600, func(_, _ int, p *sim.Path) {
			mu.Lock()
			defer mu.Unlock()
			for k, pol := range pols {
				var res sim.Result
				one.Run(p.Shocks, pol, &res, nil, nil)
				if res.Values != p.Results[k].Values {
					t.Fatalf("%d days, %d funds: path %d %s: %v, Run gives %v", cfg.Days, cfg.Funds.NFunds, p.Index, cfg.Policies[k], p.Results[k].Values, res.Values)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
