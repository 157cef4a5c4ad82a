package moments

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/sim"
)

// PathStat is a per-path statistic: a section 7 metric, or a scenario statistic computed
// from the path's shocks and day-by-day trace.
type PathStat struct {
	Name string // snake_case, the middle part of a statistic's name
	Unit string
	Doc  string
	// Metric is the sim.Metric the statistic reads, when Of is nil.
	Metric sim.Metric
	// Of computes a scenario statistic from the scenario, the path's shocks and its trace
	// under one policy. NaN means the statistic is not defined on the path (a purchase
	// statistic on a path without purchases); summaries are taken over the other paths.
	Of func(c *sim.Config, sh *sim.Shocks, tr *sim.Trace) float64
	// Policies, when set, are the only policies under which the statistic is defined.
	Policies []string
}

// NeedsTrace reports whether the statistic is computed from the day-by-day trace.
func (p *PathStat) NeedsTrace() bool { return p.Of != nil }

// The scenario statistics of docs/calibration.md, each defined here only.
var (
	MoveAtJump = PathStat{Name: "move_at_jump", Unit: "bp/yr",
		Doc: "MOVE-equivalent volatility just after the stress jump, sigma_0 sqrt(252)",
		Of: func(_ *sim.Config, sh *sim.Shocks, _ *sim.Trace) float64 {
			return sh.Sigma[0] * math.Sqrt(252)
		}}
	MarginRise = PathStat{Name: "margin_rise_30d_pct", Unit: "%",
		Doc: "futures initial margin rise within 30 days, max over days 0-29 of m_t / m0 - 1",
		Of: func(c *sim.Config, sh *sim.Shocks, _ *sim.Trace) float64 {
			peak := 0.0
			for t := 0; t < min(30, len(sh.Margin)); t++ {
				peak = max(peak, sh.Margin[t])
			}
			return 100 * (peak/c.Funds.M0 - 1)
		}}
	HaircutRise = PathStat{Name: "haircut_rise_pp", Unit: "pp",
		Doc: "peak rise of the market repo haircut, kappa_h max F_t",
		Of: func(c *sim.Config, sh *sim.Shocks, _ *sim.Trace) float64 {
			peak := 0.0
			for _, f := range sh.F {
				peak = max(peak, f)
			}
			return 100 * c.Funds.KappaH * peak
		}}
	NetSales = PathStat{Name: "net_sales_10d_bn", Unit: "$bn",
		Doc: "funds' net cash sales in the first two weeks, sum of S - R over days 0-9",
		Of: func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			net := 0.0
			for _, d := range tr.Days[:min(10, len(tr.Days))] {
				net += d.Sales - d.Reentry
			}
			return net
		}}
	FundLoss = PathStat{Name: "fund_loss_21d_pct", Unit: "%",
		Doc: "funds' loss over the first month (days 0-20), share of initial equity",
		Of: func(c *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			return 100 * (1 - LiveEquity(monthEnd(tr))/InitialEquity(c))
		}}
	PositionCut = PathStat{Name: "position_cut_21d_pct", Unit: "%",
		Doc: "funds' position cut over the first month (days 0-20)",
		Of: func(c *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			held := 0.0
			for _, b := range monthEnd(tr).Positions {
				held += b
			}
			return 100 * (1 - held/c.Funds.B0)
		}}
	OtherSales = PathStat{Name: "other_sales_bn", Unit: "$bn",
		Doc: "other sellers' outright cash sales over the horizon, sum of O_t",
		Of: func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			total := 0.0
			for _, d := range tr.Days {
				total += d.Other
			}
			return total
		}}
	ImpactPeak = PathStat{Name: "impact_peak_ratio", Unit: "x",
		Doc: "peak price impact over calm, max over days of lambda_t / lambda0",
		Of: func(c *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			peak := 0.0
			for _, d := range tr.Days {
				peak = max(peak, 1/max(c.Market.UMin, 1-d.InventoryBefore/d.Conditions.Capacity))
			}
			return peak
		}}
	FirstWeekPurchases = PathStat{Name: "first_week_purchases_bn", Unit: "$bn",
		Doc:      "outright purchases in the first 5 days of buying, on the paths where the policy buys",
		Policies: []string{"qe"},
		Of: func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
			first, week := -1, 0.0
			for t, d := range tr.Days {
				if first < 0 && d.Cash > 0 {
					first = t
				}
				if first >= 0 && t < first+5 {
					week += d.Cash
				}
			}
			if first < 0 {
				return math.NaN() // never bought: not a path the statistic speaks of
			}
			return week
		}}
)

// monthEnd is the trace's day 20, the end of the first month (its last day if shorter).
func monthEnd(tr *sim.Trace) sim.DayFlows { return tr.Days[min(20, len(tr.Days)-1)] }

// ScenarioStats are the scenario statistics, in the order of docs/calibration.md.
var ScenarioStats = []*PathStat{&MoveAtJump, &MarginRise, &HaircutRise, &NetSales, &FundLoss, &ImpactPeak, &FirstWeekPurchases, &PositionCut, &OtherSales}

// metricStats are the section 7 metrics as path statistics.
var metricStats = func() []*PathStat {
	out := make([]*PathStat, sim.NumMetrics)
	for m, info := range sim.Metrics {
		out[m] = &PathStat{Name: info.Name, Unit: info.Unit, Doc: info.Doc, Metric: sim.Metric(m)}
	}
	return out
}()

// PathStats returns every per-path statistic, each name once: the section 7 metrics,
// then the scenario statistics not already among them (other_sales_bn is both, and the
// metric is the one a name finds).
func PathStats() []*PathStat {
	out := slices.Clone(metricStats)
	for _, p := range ScenarioStats {
		if !slices.ContainsFunc(out, func(q *PathStat) bool { return q.Name == p.Name }) {
			out = append(out, p)
		}
	}
	return out
}

// LookupPathStat returns the per-path statistic called name, or nil: a metric first, as
// in PathStats.
func LookupPathStat(name string) *PathStat {
	if m, ok := sim.MetricByName(name); ok {
		return metricStats[m]
	}
	for _, p := range ScenarioStats {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// InitialEquity is the funds' total equity at t = 0, sum of B_j0 (h0 + m0) (1 + u_j).
func InitialEquity(c *sim.Config) float64 {
	f := &c.Funds
	total := 0.0
	for j := 0; j < f.NFunds; j++ {
		u := f.ULo
		if f.NFunds > 1 {
			u += (f.UHi - f.ULo) * float64(j) / float64(f.NFunds-1)
		}
		total += f.B0 / float64(f.NFunds) * (f.H0 + f.M0) * (1 + u)
	}
	return total
}

// LiveEquity is the funds' total equity after a day, a defaulted fund counting 0.
func LiveEquity(d sim.DayFlows) float64 {
	total := 0.0
	for _, e := range d.Equity {
		total += max(0, e)
	}
	return total
}

// Stat is a named statistic: the Summary across paths of Path under Policy.
type Stat struct {
	Name   string // policy.path_stat.summary
	Policy string
	Path   *PathStat
	// Quantile is the probability of a pNN summary (0.5 for p50), 0 for the mean.
	Quantile float64
}

// Summary returns the summary part of the name: "mean" or "pNN".
func (s Stat) Summary() string { return s.Name[strings.LastIndexByte(s.Name, '.')+1:] }

// Parse reads a statistic name, policy.path_stat.summary. It checks the policy and the
// per-path statistic exist and the summary is mean or p1 to p99; whether a scenario runs
// the policy is the caller's check (see Check).
func Parse(name string) (Stat, error) {
	parts := strings.Split(name, ".")
	if len(parts) != 3 {
		return Stat{}, fmt.Errorf("%q is not a statistic; write policy.path_stat.summary, e.g. none.peak_basis_bp.mean or qe.net_sales_10d_bn.p50", name)
	}
	s := Stat{Name: name, Policy: parts[0]}
	if !slices.Contains(sim.PolicyNames(), s.Policy) {
		return Stat{}, fmt.Errorf("%q: unknown policy %q; known: %s", name, s.Policy, strings.Join(sim.PolicyNames(), ", "))
	}
	if s.Path = LookupPathStat(parts[1]); s.Path == nil {
		var names []string
		for _, p := range PathStats() {
			names = append(names, p.Name)
		}
		return Stat{}, fmt.Errorf("%q: unknown per-path statistic %q; known: %s", name, parts[1], strings.Join(names, ", "))
	}
	switch sum := parts[2]; {
	case sum == "mean":
	case strings.HasPrefix(sum, "p"):
		k, err := strconv.Atoi(sum[1:])
		if err != nil || k < 1 || k > 99 || sum[1:] != strconv.Itoa(k) {
			return Stat{}, fmt.Errorf("%q: summary %q is not allowed; use mean or p1 to p99 (p50 the median)", name, sum)
		}
		s.Quantile = float64(k) / 100
	default:
		return Stat{}, fmt.Errorf("%q: summary %q is not allowed; use mean or p1 to p99 (p50 the median)", name, sum)
	}
	if ps := s.Path.Policies; ps != nil && !slices.Contains(ps, s.Policy) {
		return Stat{}, fmt.Errorf("%q: %s is defined only under %s", name, s.Path.Name, strings.Join(ps, ", "))
	}
	return s, nil
}

// Check reports whether a scenario running policies can produce s.
func (s Stat) Check(policies []string) error {
	if !slices.Contains(policies, s.Policy) {
		return fmt.Errorf("%q needs policy %s, which the scenario does not run (its policies: %s)", s.Name, s.Policy, strings.Join(policies, ", "))
	}
	return nil
}
