package sim_test

import (
	"math"
	"slices"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// tracePaths runs n baseline paths of policy and hands each path's trace and metrics to
// check.
func tracePaths(t *testing.T, cfg sim.Config, policy string, n int, check func(path int64, tr *sim.Trace, res *sim.Result)) {
	t.Helper()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := sim.NewPolicy(policy, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	simulator := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	for i := int64(0); i < int64(n); i++ {
		stream.Reset(cfg.Seed, i)
		model.Draw(stream, sh)
		var tr sim.Trace
		res := sim.Result{Path: i}
		simulator.Run(sh, pol, &res, nil, &tr)
		check(i, &tr, &res)
	}
}

func TestInvariantsOnEveryPath(t *testing.T) {
	// The baseline is docs/model.md; march2020.yaml turns on every extension of
	// docs/model-extensions.md (other sellers, shrinking buffers, the qe schedule).
	march := shippedConfig(t, "march2020.yaml")
	if !march.Sellers.On() || march.Funds.BufferStress == 0 || len(march.QE.Schedule) == 0 {
		t.Fatal("march2020.yaml no longer exercises the extensions")
	}
	rationed := march // and with repo rationed, as configs/sweep_repo_rationing.yaml
	rationed.Repo = sim.RepoParams{Capacity: 605, Kappa: 0.3}
	for _, sc := range []struct {
		name string
		cfg  sim.Config
		n    int
	}{{"baseline", configs.Baseline(), 3000}, {"march2020", march, 1500}, {"march2020_repo", rationed, 1000}} {
		t.Run(sc.name, func(t *testing.T) { checkInvariants(t, sc.cfg, sc.n) })
	}
}

func checkInvariants(t *testing.T, cfg sim.Config, n int) {
	buys := map[string]bool{"qe": true, "spv": true, "cap": true}
	for _, policy := range []string{"none", "qe", "spv", "srf", "slr", "cap"} {
		t.Run(policy, func(t *testing.T) {
			otherSeen := 0.0
			bought, closedPaths, defaults := 0.0, 0, 0.0
			tracePaths(t, cfg, policy, n, func(path int64, tr *sim.Trace, res *sim.Result) {
				var sold, reentered, other, absorbed, toMarket, laidOff float64
				for d, day := range tr.Days {
					if day.Other < 0 || (!cfg.Sellers.On() && day.Other != 0) {
						t.Fatalf("path %d day %d: other sellers' sales %v", path, d, day.Other)
					}
					for j, b := range day.Positions {
						if b < 0 || math.IsNaN(b) {
							t.Fatalf("path %d day %d: fund %d position %v", path, d, j, b)
						}
					}
					if day.Forced > day.Sales+1e-9 {
						t.Fatalf("path %d day %d: forced %v > sales %v", path, d, day.Forced, day.Sales)
					}
					// What funds and other sellers sold net of re-entry went to the central bank or
					// the market; only the funds' sales carry a futures leg...
					if diff := day.Sales - day.Reentry + day.Other - day.Cash - day.Bundles - day.CashToMarket; math.Abs(diff) > 1e-9 {
						t.Fatalf("path %d day %d: cash flows do not balance by %v", path, d, diff)
					}
					if diff := day.Sales - day.Reentry - day.Bundles - day.FuturesToMarket; math.Abs(diff) > 1e-9 {
						t.Fatalf("path %d day %d: futures flows do not balance by %v", path, d, diff)
					}
					// ...the dealers took the cash leg and laid off delta of their inventory...
					if want := max(0, (1-cfg.Market.Delta)*day.InventoryBefore+day.CashToMarket); math.Abs(day.InventoryNext-want) > 1e-9 {
						t.Fatalf("path %d day %d: dealer inventory %v, want %v", path, d, day.InventoryNext, want)
					}
					// ...and a buyer of hedged bundles buys only from the funds, never the other
					// sellers' outright sales.
					if day.Bundles > day.Sales+1e-12 {
						t.Fatalf("path %d day %d: %s bought %v of bundles, the funds sold %v", path, d, policy, day.Bundles, day.Sales)
					}
					sold += day.Sales
					reentered += day.Reentry
					other += day.Other
					absorbed += day.Cash + day.Bundles
					toMarket += day.CashToMarket
					// ...and what reached the market went to dealers or, laid off, to end investors.
					laidOff += day.InventoryBefore + day.CashToMarket - day.InventoryNext
					switch policy {
					case "spv":
						if day.Sheet.DV01 != 0 {
							t.Fatalf("path %d day %d: SPV DV01 %v, must be exactly 0", path, d, day.Sheet.DV01)
						}
						if d >= cfg.SPV.TExp && (day.Sheet.Holdings != 0 || day.Bundles != 0) {
							t.Fatalf("path %d day %d (t_exp %d): SPV holds %v, buys %v", path, d, cfg.SPV.TExp, day.Sheet.Holdings, day.Bundles)
						}
						if day.Cash != 0 {
							t.Fatalf("path %d day %d: SPV bought cash outright", path, d)
						}
					case "qe":
						if day.Bundles != 0 || day.CashToMarket != day.Sales-day.Reentry+day.Other-day.Cash || day.FuturesToMarket != day.Sales-day.Reentry {
							t.Fatalf("path %d day %d: qe flows wrong: %+v", path, d, day)
						}
						// It buys no more than is offered (the day's sales, with source market
						// also the dealers' inventory) nor than the day's cap.
						offered := day.Sales + day.Other
						if cfg.QE.Source == sim.QEMarket {
							offered = max(day.Sales-day.Reentry+day.Other, 0) + day.InventoryBefore
						}
						dailyCap := cfg.QE.Weekly / 5 // TestQESchedule checks the schedule day by day
						if len(cfg.QE.Schedule) > 0 {
							dailyCap = slices.Max(cfg.QE.Schedule)
						}
						if day.Cash > offered+1e-9 || day.Cash > dailyCap+1e-9 || day.Cash < 0 {
							t.Fatalf("path %d day %d: qe bought %v, offered %v, daily cap %v", path, d, day.Cash, offered, dailyCap)
						}
					case "none", "slr":
						if day.Cash != 0 || day.Bundles != 0 || day.Sheet != (sim.Sheet{ClosedDay: -1}) {
							t.Fatalf("path %d day %d: %s absorbed %+v or holds %+v", path, d, policy, day.Absorption, day.Sheet)
						}
					case "srf":
						if day.Cash != 0 || day.Bundles != 0 || day.Sheet.DV01 != 0 || day.Sheet.Holdings < 0 {
							t.Fatalf("path %d day %d: srf bought %+v or holds %+v", path, d, day.Absorption, day.Sheet)
						}
					case "cap":
						if day.Cash != 0 || day.Sheet.DV01 != 0 || day.Sheet.Holdings > cfg.Cap.Capacity+1e-9 || day.Bundles > day.Sales {
							t.Fatalf("path %d day %d: cap bought %+v of sales %v, holds %+v", path, d, day.Absorption, day.Sales, day.Sheet)
						}
					}
				}
				last := tr.Days[len(tr.Days)-1]
				if diff := sold - reentered + other - absorbed - (last.InventoryNext - 0) - laidOff; math.Abs(diff) > 1e-6 {
					t.Fatalf("path %d: sold %v - reentered %v + other sellers %v != central bank %v + dealers %v + end investors %v (off by %v)",
						path, sold, reentered, other, absorbed, last.InventoryNext, laidOff, diff)
				}
				if math.Abs(res.Values[sim.OtherSalesBN]-other) > 1e-9*math.Max(1, other) {
					t.Fatalf("path %d: other_sales_bn %v, trace %v", path, res.Values[sim.OtherSalesBN], other)
				}
				cutDay := min(sim.PositionCutDay, len(tr.Days)-1)
				held := 0.0
				for _, b := range tr.Days[cutDay].Positions {
					held += b
				}
				if cut := 1 - held/cfg.Funds.B0; math.Abs(res.Values[sim.PositionCut]-cut) > 1e-12 {
					t.Fatalf("path %d: position_cut %v, trace %v", path, res.Values[sim.PositionCut], cut)
				}
				otherSeen += other
				if policy == "qe" && math.Abs(last.Sheet.Holdings-absorbed) > 1e-9 {
					t.Fatalf("path %d: QE holds %v but bought %v", path, last.Sheet.Holdings, absorbed)
				}
				if math.Abs(res.Values[sim.TotalSalesBN]-sold) > 1e-9*math.Max(1, sold) {
					t.Fatalf("path %d: total_sales_bn %v, trace %v", path, res.Values[sim.TotalSalesBN], sold)
				}
				bought += absorbed
				defaults += res.Values[sim.FundsDefaulted]
				if res.Values[sim.SPVClosedDay] >= 0 {
					closedPaths++
				}
			})
			// The invariants must have been exercised, not passed vacuously.
			if buys[policy] && bought == 0 {
				t.Errorf("%s never bought anything in %d paths", policy, n)
			}
			if policy == "spv" && closedPaths == 0 {
				t.Errorf("the SPV never closed in %d paths", n)
			}
			if policy == "none" && defaults == 0 {
				t.Errorf("no fund defaulted in %d paths without a backstop", n)
			}
			if cfg.Sellers.On() && otherSeen == 0 {
				t.Errorf("the other sellers never sold in %d paths", n)
			}
		})
	}
}

// TestUnreachableTriggerEqualsNone checks that a policy that never triggers changes
// nothing: every metric equals the no-policy run, bit for bit.
func TestUnreachableTriggerEqualsNone(t *testing.T) {
	cfg := configs.Baseline()
	cfg.SPV.Trigger = 1e9
	cfg.QE.Trigger = 1e9
	cfg.SRF.Trigger = 1e9
	cfg.SLR.Trigger = 1e9
	cfg.Cap.Level = 1e9
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	names := []string{"none", "qe", "spv", "srf", "slr", "cap"}
	pols := make([]sim.Policy, len(names))
	for k, name := range names {
		pols[k], _ = sim.NewPolicy(name, &cfg)
	}
	res := make([]sim.Result, len(names))
	for i := int64(0); i < 2000; i++ {
		stream.Reset(cfg.Seed, i)
		model.Draw(stream, sh)
		for k, p := range pols {
			s.Run(sh, p, &res[k], nil, nil)
			if res[k].Values != res[0].Values {
				t.Fatalf("path %d: an unreachable %s trigger changed the outcome:\nnone %v\n%-4s %v", i, names[k], res[0].Values, names[k], res[k].Values)
			}
		}
	}
}

// TestSeriesMatchMetrics checks the day-by-day series against the path metrics they
// summarize.
func TestSeriesMatchMetrics(t *testing.T) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	s := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	T := cfg.Days
	days := make([]float64, sim.NumSeries*T)
	for _, name := range sim.PolicyNames() {
		pol, _ := sim.NewPolicy(name, &cfg)
		for i := int64(0); i < 200; i++ {
			stream.Reset(cfg.Seed, i)
			model.Draw(stream, sh)
			var res sim.Result
			s.Run(sh, pol, &res, days, nil)
			peak, sales, hold := math.Inf(-1), 0.0, 0.0
			for d := 0; d < T; d++ {
				peak = math.Max(peak, days[int(sim.SeriesBasis)*T+d])
				sales += days[int(sim.SeriesSales)*T+d]
				hold = math.Max(hold, days[int(sim.SeriesCBHoldings)*T+d])
			}
			if peak != res.Values[sim.PeakBasisBP] || hold != res.Values[sim.PeakCBHoldingsBN] || math.Abs(sales-res.Values[sim.TotalSalesBN]) > 1e-9 {
				t.Fatalf("%s path %d: series and metrics disagree", name, i)
			}
		}
	}
}
