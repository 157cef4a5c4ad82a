package sim_test

import (
	"math"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// newPolicies returns the named policies configured from cfg.
func newPolicies(t *testing.T, cfg *sim.Config, names ...string) []sim.Policy {
	t.Helper()
	pols := make([]sim.Policy, len(names))
	for k, name := range names {
		p, err := sim.NewPolicy(name, cfg)
		if err != nil {
			t.Fatal(err)
		}
		pols[k] = p
	}
	return pols
}

// sameShocks runs every policy in pols on n paths of cfg, each path's shocks drawn once
// and shared, and hands check the shocks and every policy's trace and metrics, indexed
// like pols.
func sameShocks(t *testing.T, cfg sim.Config, pols []sim.Policy, n int, check func(path int64, sh *sim.Shocks, tr []sim.Trace, res []sim.Result)) {
	t.Helper()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	tr := make([]sim.Trace, len(pols))
	res := make([]sim.Result, len(pols))
	for i := int64(0); i < int64(n); i++ {
		stream.Reset(cfg.Seed, i)
		model.Draw(stream, sh)
		for k, p := range pols {
			tr[k] = sim.Trace{}
			res[k] = sim.Result{Path: i}
			s.Run(sh, p, &res[k], nil, &tr[k])
		}
		check(i, sh, tr, res)
	}
}

// firstAbove returns the first day whose opening basis b_t exceeds trigger, or -1.
func firstAbove(tr *sim.Trace, trigger float64) int {
	for d, day := range tr.Days {
		if day.Basis > trigger {
			return d
		}
	}
	return -1
}

// TestNewPolicyInvariants checks, path by path and day by day against the no-policy run
// on the same shocks, what each policy added after docs/model.md spec v1 promises. Each case
// must also be exercised (its policy must act on some path), so none passes vacuously.
func TestNewPolicyInvariants(t *testing.T) {
	const n = 3000
	tests := []struct {
		policy string
		// check returns whether the policy acted on the day; it fails t on a broken
		// invariant. day and none are the policy's and the no-policy run's day d.
		check func(t *testing.T, cfg *sim.Config, sh *sim.Shocks, tr *sim.Trace, d int, none sim.DayFlows) bool
	}{
		{"srf", func(t *testing.T, cfg *sim.Config, _ *sim.Shocks, tr *sim.Trace, d int, none sim.DayFlows) bool {
			c, m := tr.Days[d].Conditions, none.Conditions
			// Never raises the haircut or the spread, leaves margin, capacity and theta alone.
			if c.Haircut > m.Haircut || c.Spread > m.Spread || c.Margin != m.Margin || c.Capacity != m.Capacity || c.Theta != m.Theta {
				t.Fatalf("day %d: srf conditions %+v, market %+v", d, c, m)
			}
			open := firstAbove(tr, cfg.SRF.Trigger)
			switch {
			case open < 0 || d < open:
				if c != m || tr.Days[d].Sheet.Holdings != 0 {
					t.Fatalf("day %d: srf acted before opening (day %d): %+v vs %+v", d, open, c, m)
				}
			case c.Haircut > cfg.SRF.HaircutCap || c.Spread > cfg.SRF.SpreadCap:
				t.Fatalf("day %d: srf open since day %d but haircut %v, spread %v exceed the caps", d, open, c.Haircut, c.Spread)
			}
			capped := c != m
			if lends := tr.Days[d].Sheet.Holdings > 0; lends && !capped {
				t.Fatalf("day %d: srf lends %v on a day the market's terms are within the caps", d, tr.Days[d].Sheet.Holdings)
			}
			return capped
		}},
		{"slr", func(t *testing.T, cfg *sim.Config, _ *sim.Shocks, tr *sim.Trace, d int, none sim.DayFlows) bool {
			c, m := tr.Days[d].Conditions, none.Conditions
			// Never lowers capacity; raises it by the relief exactly from lag days after the
			// announcement; touches nothing else.
			if c.Capacity < m.Capacity || c.Haircut != m.Haircut || c.Spread != m.Spread || c.Margin != m.Margin || c.Theta != m.Theta {
				t.Fatalf("day %d: slr conditions %+v, market %+v", d, c, m)
			}
			announced := firstAbove(tr, cfg.SLR.Trigger)
			want := m.Capacity
			if announced >= 0 && d >= announced+cfg.SLR.Lag {
				want = m.Capacity * (cfg.Market.K0 + cfg.SLR.K0Relief) / cfg.Market.K0
			}
			if math.Abs(c.Capacity-want) > 1e-12*want {
				t.Fatalf("day %d (announced %d, lag %d): capacity %v, want %v", d, announced, cfg.SLR.Lag, c.Capacity, want)
			}
			return c.Capacity > m.Capacity
		}},
		{"cap", func(t *testing.T, cfg *sim.Config, sh *sim.Shocks, tr *sim.Trace, d int, _ sim.DayFlows) bool {
			day := tr.Days[d]
			held := 0.0 // M_t, what the facility held when it bought
			if d > 0 {
				held = tr.Days[d-1].Sheet.Holdings
			}
			if day.Bundles > 0 {
				if want := cfg.Cap.Level + cfg.Cap.Penalty - day.Basis; day.Discount != want {
					t.Fatalf("day %d: sellers to cap give up %v bp, want level + penalty - b_t = %v", d, day.Discount, want)
				}
			}
			// While it has capacity to spare, the basis ends within the cap plus the day's
			// noise (or where mean reversion alone takes it, if it opened above the cap).
			if day.Bundles < cfg.Cap.Capacity-held-1e-9 {
				bound := math.Max(cfg.Market.BFloor, math.Max(cfg.Cap.Level, (1-cfg.Market.K)*day.Basis)+sh.Noise[d])
				if day.BasisNext > bound+1e-9*math.Max(1, math.Abs(bound)) {
					t.Fatalf("day %d: basis %v -> %v above the cap bound %v (level %v, noise %v, bought %v, held %v)",
						d, day.Basis, day.BasisNext, bound, cfg.Cap.Level, sh.Noise[d], day.Bundles, held)
				}
			}
			return day.Bundles > 0
		}},
	}
	cfg := configs.Baseline()
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			acted := 0
			sameShocks(t, cfg, newPolicies(t, &cfg, "none", tc.policy), n, func(path int64, sh *sim.Shocks, tr []sim.Trace, _ []sim.Result) {
				for d := range tr[1].Days {
					if tc.check(t, &cfg, sh, &tr[1], d, tr[0].Days[d]) {
						acted++
					}
				}
			})
			if acted == 0 {
				t.Errorf("%s never acted in %d paths: its invariants were not exercised", tc.policy, n)
			}
		})
	}
}

// TestCapDeliversAtExpiry checks the facility's close: the bundles bought before t_exp are
// delivered on it, realizing D_b sum(A_t (level + penalty)) / 1e4, and what it buys from
// t_exp on (the next contract) stays on its books.
func TestCapDeliversAtExpiry(t *testing.T) {
	cfg := configs.Baseline()
	te := cfg.Cap.TExp
	closed := 0
	tracePaths(t, cfg, "cap", 3000, func(path int64, tr *sim.Trace, res *sim.Result) {
		before, after := 0.0, 0.0
		for d, day := range tr.Days {
			if d < te {
				before += day.Bundles
			} else {
				after += day.Bundles
			}
		}
		last := tr.Days[len(tr.Days)-1].Sheet
		wantPnL := cfg.Funds.DB * before * (cfg.Cap.Level + cfg.Cap.Penalty) / 1e4
		if math.Abs(last.PnL-wantPnL) > 1e-9*math.Max(1, wantPnL) || math.Abs(last.Holdings-after) > 1e-9*math.Max(1, after) {
			t.Fatalf("path %d: cap P&L %v holds %v; bought %v before t_exp, %v after: want P&L %v", path, last.PnL, last.Holdings, before, after, wantPnL)
		}
		if wantClosed := map[bool]float64{true: float64(te), false: -1}[before > 0]; res.Values[sim.SPVClosedDay] != wantClosed {
			t.Fatalf("path %d: closed day %v, want %v", path, res.Values[sim.SPVClosedDay], wantClosed)
		}
		if before > 0 {
			closed++
		}
	})
	if closed == 0 {
		t.Error("cap never delivered a book in 3000 paths")
	}
}

// TestSRFEarnsItsSpread checks the facility's books: it lends (1 - h_t) B_t on the days it
// caps the market's terms and earns the capped spread on it.
func TestSRFEarnsItsSpread(t *testing.T) {
	cfg := configs.Baseline()
	tracePaths(t, cfg, "srf", 1000, func(path int64, tr *sim.Trace, _ *sim.Result) {
		pnl, position := 0.0, cfg.Funds.B0
		for d, day := range tr.Days {
			if l := day.Sheet.Holdings; l > 0 {
				if want := (1 - day.Conditions.Haircut) * position; math.Abs(l-want) > 1e-9*want {
					t.Fatalf("path %d day %d: lends %v, want (1 - h) B = %v", path, d, l, want)
				}
				pnl += l * day.Conditions.Spread / (252 * 1e4)
			}
			// B_{t+1}: the positions of the funds still alive after the day.
			position = 0
			for j, b := range day.Positions {
				if day.Equity[j] > 0 {
					position += b
				}
			}
		}
		if got := tr.Days[len(tr.Days)-1].Sheet.PnL; math.Abs(got-pnl) > 1e-12*math.Max(1, pnl) {
			t.Fatalf("path %d: srf P&L %v, by hand %v", path, got, pnl)
		}
	})
}

// specQE is docs/model.md section 5's qe, literally: the reference for the lag-0 qe.
type specQE struct {
	p    sim.QEParams
	q, r float64
}

func (q *specQE) Start()                        { q.q, q.r = 0, 0 }
func (*specQE) Adjust(sim.Day, *sim.Conditions) {}
func (q *specQE) Absorb(d sim.Day) sim.Absorption {
	if d.Basis <= q.p.Trigger {
		return sim.Absorption{}
	}
	return sim.Absorption{Cash: max(0, min(d.Sales, q.p.Weekly/5, q.p.QMax-q.q))}
}
func (q *specQE) Settle(d sim.Day, a sim.Absorption) {
	q.q += a.Cash
	q.r -= q.p.DQ * q.q * d.DY / 1e4
}
func (q *specQE) Sheet() sim.Sheet {
	return sim.Sheet{Holdings: q.q, DV01: q.p.DQ * q.q * 1e-4, PnL: q.r, ClosedDay: -1}
}

// TestQELag checks the implementation lag: lag 0 is docs/model.md's qe bit for bit, and a
// lagged qe buys nothing before lag days after its announcement (the first day the basis
// exceeds the trigger), then follows the spec's rule.
func TestQELag(t *testing.T) {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	ref := &specQE{p: cfg.QE}
	qe, _ := sim.NewPolicy("qe", &cfg)
	days := make([]float64, 2*sim.NumSeries*cfg.Days)
	for i := int64(0); i < 3000; i++ {
		stream.Reset(cfg.Seed, i)
		model.Draw(stream, sh)
		var got, want sim.Result
		s.Run(sh, qe, &got, days[:sim.NumSeries*cfg.Days], nil)
		s.Run(sh, ref, &want, days[sim.NumSeries*cfg.Days:], nil)
		if got.Values != want.Values {
			t.Fatalf("path %d: qe with lag 0 differs from docs/model.md's qe:\n%v\n%v", i, got.Values, want.Values)
		}
		for k, v := range days[:sim.NumSeries*cfg.Days] {
			if v != days[sim.NumSeries*cfg.Days+k] {
				t.Fatalf("path %d: series %d differs", i, k)
			}
		}
	}

	for _, lag := range []int{1, 4, 10} {
		cfg.QE.Lag = lag
		bought := 0.0
		tracePaths(t, cfg, "qe", 3000, func(path int64, tr *sim.Trace, _ *sim.Result) {
			announced := firstAbove(tr, cfg.QE.Trigger)
			for d, day := range tr.Days {
				early := announced < 0 || d < announced+lag
				if early && day.Cash != 0 {
					t.Fatalf("lag %d path %d: bought %v on day %d, announced on day %d", lag, path, day.Cash, d, announced)
				}
				if !early && day.Basis > cfg.QE.Trigger && day.Cash == 0 && day.Sales > 0 && day.Sheet.Holdings < cfg.QE.QMax {
					t.Fatalf("lag %d path %d day %d: basis %v above the trigger after the lag, yet no purchase", lag, path, d, day.Basis)
				}
				bought += day.Cash
			}
		})
		if bought == 0 {
			t.Errorf("lag %d: qe never bought", lag)
		}
	}
}

// withoutAdjust is a policy with its Adjust removed: what a policy without the
// announcement option would be.
type withoutAdjust struct{ sim.Policy }

func (withoutAdjust) Adjust(sim.Day, *sim.Conditions) {}

// TestAnnouncementEffect checks the announcement option of every policy that has one. Off
// (announce_theta 1, the default), theta is the funds' own on every day, and a policy whose
// Adjust does nothing else (spv, cap; qe's also records the announcement for its lag)
// gives the same results, bit for bit, as without the option. On, theta is cut from the announcement day on (the spv's only until t_exp, the
// standing cap's from day 0), left alone before, and the outcome changes.
func TestAnnouncementEffect(t *testing.T) {
	const n = 1000
	tests := []struct {
		policy string
		set    func(c *sim.Config, x float64)
		// window returns the days [from, to) on which the effect applies on a path; from is
		// -1 when the policy is never announced.
		window func(c *sim.Config, tr *sim.Trace) (from, to int)
		// ref, when set, is the policy without the announcement option, which must give
		// the same results as the policy with the option off.
		ref func(c *sim.Config, p sim.Policy) sim.Policy
	}{
		{"qe", func(c *sim.Config, x float64) { c.QE.AnnounceTheta = x }, func(c *sim.Config, tr *sim.Trace) (int, int) {
			return firstAbove(tr, c.QE.Trigger), c.Days
		}, func(c *sim.Config, _ sim.Policy) sim.Policy { return &specQE{p: c.QE} }},
		{"spv", func(c *sim.Config, x float64) { c.SPV.AnnounceTheta = x }, func(c *sim.Config, tr *sim.Trace) (int, int) {
			from := -1
			for d, day := range tr.Days {
				if d < c.SPV.TExp && day.Basis > c.SPV.Trigger {
					from = d
					break
				}
			}
			return from, c.SPV.TExp
		}, func(_ *sim.Config, p sim.Policy) sim.Policy { return withoutAdjust{p} }},
		{"srf", func(c *sim.Config, x float64) { c.SRF.AnnounceTheta = x }, func(c *sim.Config, tr *sim.Trace) (int, int) {
			return firstAbove(tr, c.SRF.Trigger), c.Days
		}, nil},
		{"slr", func(c *sim.Config, x float64) { c.SLR.AnnounceTheta = x }, func(c *sim.Config, tr *sim.Trace) (int, int) {
			return firstAbove(tr, c.SLR.Trigger), c.Days
		}, nil},
		{"cap", func(c *sim.Config, x float64) { c.Cap.AnnounceTheta = x }, func(c *sim.Config, tr *sim.Trace) (int, int) {
			return 0, c.Days
		}, func(_ *sim.Config, p sim.Policy) sim.Policy { return withoutAdjust{p} }},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			off, on := configs.Baseline(), configs.Baseline()
			tc.set(&on, 0.5)
			pols := append(newPolicies(t, &off, tc.policy), newPolicies(t, &on, tc.policy)...)
			if tc.ref != nil {
				// A second instance: policies keep per-path books.
				pols = append(pols, tc.ref(&off, newPolicies(t, &off, tc.policy)[0]))
			}
			cut, changed := 0, 0
			sameShocks(t, off, pols, n, func(path int64, _ *sim.Shocks, tr []sim.Trace, res []sim.Result) {
				for k, x := range []float64{1, 0.5} {
					cfg := map[bool]*sim.Config{true: &off, false: &on}[x == 1]
					from, to := tc.window(cfg, &tr[k])
					for d, day := range tr[k].Days {
						want := cfg.Funds.Theta
						if x != 1 && from >= 0 && d >= from && d < to {
							want *= x
							cut++
						}
						if day.Conditions.Theta != want {
							t.Fatalf("announce_theta %v path %d day %d: theta %v, want %v (effect on days [%d, %d))", x, path, d, day.Conditions.Theta, want, from, to)
						}
					}
				}
				if tc.ref != nil && res[0].Values != res[2].Values {
					t.Fatalf("path %d: announce_theta 1 changed the outcome:\n%v\n%v", path, res[0].Values, res[2].Values)
				}
				if res[1].Values != res[0].Values {
					changed++
				}
			})
			if cut == 0 || changed == 0 {
				t.Errorf("announce_theta 0.5: theta cut on %d days, outcome changed on %d paths: not exercised", cut, changed)
			}
		})
	}
}

// TestQEMarketSource checks qe buying from the market: it never buys more than the funds'
// net sales plus the dealers' inventory, nor more than W/5 a day or Q_max in all; and on
// the same shocks it buys more, on some paths, than qe buying from fund sales alone.
func TestQEMarketSource(t *testing.T) {
	cfg := configs.Baseline()
	cfg.QE.Source = sim.QEMarket
	market := newPolicies(t, &cfg, "qe")[0]
	salesCfg := configs.Baseline()
	sales := newPolicies(t, &salesCfg, "qe")[0]
	more := 0
	sameShocks(t, cfg, []sim.Policy{market, sales}, 2000, func(path int64, _ *sim.Shocks, tr []sim.Trace, res []sim.Result) {
		total := 0.0
		for d, day := range tr[0].Days {
			limit := max(day.Sales-day.Reentry, 0) + day.InventoryBefore
			if day.Cash > limit+1e-9 || day.Cash > cfg.QE.Weekly/5+1e-9 {
				t.Fatalf("path %d day %d: bought %v; net sales plus dealer inventory %v, daily pace %v", path, d, day.Cash, limit, cfg.QE.Weekly/5)
			}
			total += day.Cash
		}
		if total > cfg.QE.QMax+1e-9 {
			t.Fatalf("path %d: bought %v in all, above q_max %v", path, total, cfg.QE.QMax)
		}
		if total > res[1].Values[sim.PeakCBHoldingsBN]+1e-9 {
			more++
		}
	})
	if more == 0 {
		t.Fatal("buying from the market never bought more than buying from fund sales")
	}
}
