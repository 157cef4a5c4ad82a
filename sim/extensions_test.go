package sim_test

import (
	"math"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// The options of docs/model-extensions.md. That each is docs/model.md bit for bit when off is
// checked by the section 8 calibration, the NumPy cross-check and the scenario calibration
// of march2020_spec.yaml, which run with them off; here, what each does when on.

func march2020(t *testing.T) sim.Config {
	t.Helper()
	cfg := shippedConfig(t, "march2020.yaml")
	return cfg
}

// TestOtherSellersFollowTheStress recomputes O_t from the shocks, and checks that it is the
// same under every policy on the same path (it is exogenous) and sums to other_sales_bn.
func TestOtherSellersFollowTheStress(t *testing.T) {
	cfg := march2020(t)
	names := []string{"none", "qe", "spv", "srf", "slr", "cap"}
	pols := newPolicies(t, &cfg, names...)
	sameShocks(t, cfg, pols, 300, func(path int64, sh *sim.Shocks, tr []sim.Trace, res []sim.Result) {
		total := 0.0
		for d := range sh.Sigma {
			want := cfg.Sellers.Vol*max(0, math.Log(sh.Sigma[d]/cfg.Shocks.SigmaBar)) + cfg.Sellers.Funding*sh.F[d]
			for k := range pols {
				if got := tr[k].Days[d].Other; math.Abs(got-want) > 1e-9 {
					t.Fatalf("path %d day %d: %s sees other sales %v, want %v", path, d, names[k], got, want)
				}
			}
			total += want
		}
		for k := range pols {
			if got := res[k].Values[sim.OtherSalesBN]; math.Abs(got-total) > 1e-9*total {
				t.Fatalf("path %d: %s other_sales_bn %v, want %v", path, names[k], got, total)
			}
		}
	})
}

// TestQESchedule checks qe with a purchase schedule, day by day: nothing before the first
// purchase day (announcement + lag), then, while the basis is above the trigger, exactly
// the least of what is offered, the schedule's entry for the day (its last entry after
// the list) and what q_max leaves.
func TestQESchedule(t *testing.T) {
	cfg := march2020(t)
	sched := cfg.QE.Schedule
	bought, late := 0.0, 0
	tracePaths(t, cfg, "qe", 1500, func(path int64, tr *sim.Trace, _ *sim.Result) {
		announced := firstAbove(tr, cfg.QE.Trigger)
		held := 0.0
		for d, day := range tr.Days {
			want := 0.0
			if announced >= 0 && d >= announced+cfg.QE.Lag && day.Basis > cfg.QE.Trigger {
				i := min(d-announced-cfg.QE.Lag, len(sched)-1)
				if i == len(sched)-1 {
					late++
				}
				offered := max(day.Sales-day.Reentry+day.Other, 0) + day.InventoryBefore
				want = max(0, min(offered, sched[i], cfg.QE.QMax-held))
			}
			if day.Cash != want {
				t.Fatalf("path %d day %d: qe bought %v, the schedule gives %v", path, d, day.Cash, want)
			}
			held += day.Cash
			bought += day.Cash
		}
	})
	if bought == 0 || late == 0 {
		t.Fatalf("the schedule was not exercised: bought %v, days past its end %d", bought, late)
	}
}

// TestFlatScheduleIsWeekly checks that a one-entry schedule of W/5 is the weekly pace bit
// for bit.
func TestFlatScheduleIsWeekly(t *testing.T) {
	cfg := configs.Baseline()
	flat := cfg
	flat.QE.Schedule = []float64{cfg.QE.Weekly / 5}
	pols := []sim.Policy{newPolicies(t, &cfg, "qe")[0], newPolicies(t, &flat, "qe")[0]}
	sameShocks(t, cfg, pols, 1000, func(path int64, _ *sim.Shocks, _ []sim.Trace, res []sim.Result) {
		if res[0].Values != res[1].Values {
			t.Fatalf("path %d: a flat schedule differs from the weekly pace:\n%v\n%v", path, res[0].Values, res[1].Values)
		}
	})
}

// TestBufferStress checks that shrinking buffers move only the voluntary target: on day 0,
// where both runs start from the same state, forced sales are equal and total sales no
// higher; over paths the position cut by day 20 is lower on average, by more than the
// Monte Carlo error of the paired difference.
func TestBufferStress(t *testing.T) {
	fixed := march2020(t)
	fixed.Funds.BufferStress = 0
	shrink := march2020(t)
	const n = 1000
	diffs := make([]float64, 0, n)
	run := func(cfg sim.Config) ([]sim.DayFlows, []float64) {
		var day0 []sim.DayFlows
		var cuts []float64
		tracePaths(t, cfg, "none", n, func(_ int64, tr *sim.Trace, res *sim.Result) {
			day0 = append(day0, tr.Days[0])
			cuts = append(cuts, res.Values[sim.PositionCut])
		})
		return day0, cuts
	}
	d0Fixed, cutFixed := run(fixed)
	d0Shrink, cutShrink := run(shrink)
	for i := range d0Fixed {
		if d0Shrink[i].Forced != d0Fixed[i].Forced || d0Shrink[i].Sales > d0Fixed[i].Sales {
			t.Fatalf("path %d day 0: forced %v vs %v, sales %v vs %v with and without buffer stress",
				i, d0Shrink[i].Forced, d0Fixed[i].Forced, d0Shrink[i].Sales, d0Fixed[i].Sales)
		}
		diffs = append(diffs, cutShrink[i]-cutFixed[i])
	}
	est := stats.Mean(diffs, 0.95)
	if est.Estimate+3.29*est.SE >= 0 {
		t.Fatalf("buffer stress does not lower the mean position cut: difference %v, SE %v", est.Estimate, est.SE)
	}
}

// TestRepoRationing checks the repo ration: without a facility, the live funds never hold
// more after a day's trades than the day's repo can finance, L_t / (1 - h_t), and the
// ration binds on some days; the srf, once open, lifts it.
func TestRepoRationing(t *testing.T) {
	cfg := march2020(t)
	cfg.Repo = sim.RepoParams{Capacity: 605, Kappa: 0.3} // 10% above the funds' calm need
	bound, lifted := 0, 0
	tracePaths(t, cfg, "none", 500, func(path int64, tr *sim.Trace, _ *sim.Result) {
		prev := make([]float64, cfg.Funds.NFunds)  // equity at the start of the day
		start := make([]float64, cfg.Funds.NFunds) // positions at the start of the day
		for j := range prev {
			prev[j], start[j] = 1, cfg.Funds.B0/float64(cfg.Funds.NFunds)
		}
		for d, day := range tr.Days {
			limit := day.Conditions.Repo / (1 - day.Conditions.Haircut)
			before, held := 0.0, 0.0
			for j, b := range day.Positions {
				if prev[j] > 0 {
					before += start[j]
					held += b
				}
			}
			if held > limit*(1+1e-12) {
				t.Fatalf("path %d day %d: live funds hold %v, repo finances %v", path, d, held, limit)
			}
			if before > limit {
				bound++ // the ration forced sales today
			}
			prev, start = day.Equity, day.Positions
		}
	})
	tracePaths(t, cfg, "srf", 500, func(path int64, tr *sim.Trace, _ *sim.Result) {
		opened := firstAbove(tr, cfg.SRF.Trigger)
		for d, day := range tr.Days {
			open := opened >= 0 && d >= opened
			if open != math.IsInf(day.Conditions.Repo, 1) {
				t.Fatalf("path %d day %d: srf opened on day %d, repo limit %v", path, d, opened, day.Conditions.Repo)
			}
			if open {
				lifted++
			}
		}
	})
	if bound == 0 || lifted == 0 {
		t.Fatalf("the ration was not exercised: bound on %d days, lifted on %d", bound, lifted)
	}
}
