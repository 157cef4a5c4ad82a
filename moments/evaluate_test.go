package moments_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/moments"
	"github.com/backstop-research/backstop/sim"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		q    float64
		err  string
	}{
		{"none.peak_basis_bp.mean", 0, ""},
		{"qe.net_sales_10d_bn.p50", 0.5, ""},
		{"spv.hf_loss_bn.p5", 0.05, ""},
		{"qe.first_week_purchases_bn.p90", 0.9, ""},
		{"none.peak_basis_bp", 0, "policy.path_stat.summary"},
		{"fed.peak_basis_bp.mean", 0, "unknown policy"},
		{"none.peak_basis.mean", 0, "unknown per-path statistic"},
		{"none.peak_basis_bp.p0", 0, "p1 to p99"},
		{"none.peak_basis_bp.p100", 0, "p1 to p99"},
		{"none.peak_basis_bp.p05", 0, "p1 to p99"},
		{"none.peak_basis_bp.median", 0, "p1 to p99"},
		{"none.first_week_purchases_bn.mean", 0, "only under qe"},
	}
	for _, tc := range tests {
		s, err := moments.Parse(tc.name)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err == "" && s.Quantile != tc.q:
			t.Errorf("%s: quantile %v, want %v", tc.name, s.Quantile, tc.q)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.err)
		}
	}
	if err := must(moments.Parse("qe.peak_basis_bp.mean")).Check([]string{"none"}); err == nil || !strings.Contains(err.Error(), "needs policy qe") {
		t.Errorf("a qe statistic on a scenario without qe: %v", err)
	}
}

func must(s moments.Stat, err error) moments.Stat {
	if err != nil {
		panic(err)
	}
	return s
}

func stats(t *testing.T, names ...string) []moments.Stat {
	t.Helper()
	var out []moments.Stat
	for _, n := range names {
		s, err := moments.Parse(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestEvaluateMatchesSampler: a metric statistic is the sampler's metric on every path
// (the same shocks, the same path index), and the values do not depend on the workers.
func TestEvaluateMatchesSampler(t *testing.T) {
	cfg := configs.Baseline()
	const n = 600
	list := stats(t, "qe.peak_basis_bp.mean", "none.forced_sales_bn.p90", "spv.net_sales_10d_bn.p50")
	one, err := moments.Evaluate(context.Background(), cfg, list, n, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := moments.Evaluate(context.Background(), cfg, list, n, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{"qe": make([]float64, n), "none": make([]float64, n)}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 5, Workers: 2}
	err = s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, _ [][]float64) {
		for k, r := range res {
			switch cfg.Policies[k] {
			case "qe":
				want["qe"][r.Path] = r.Values[sim.PeakBasisBP]
			case "none":
				want["none"][r.Path] = r.Values[sim.ForcedSalesBN]
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if one.Values[0][i] != want["qe"][i] || one.Values[1][i] != want["none"][i] {
			t.Fatalf("path %d: evaluate gives %v, %v; the sampler %v, %v", i, one.Values[0][i], one.Values[1][i], want["qe"][i], want["none"][i])
		}
		for k := range list {
			if a, b := one.Values[k][i], three.Values[k][i]; a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
				t.Fatalf("%s path %d: %v with 1 worker, %v with 3", list[k].Name, i, a, b)
			}
		}
	}
}

// TestInfluenceStandardErrors: the standard error a sample's influence contributions give
// (sd / sqrt(n)) matches the spread of the estimate across independent seeds. With R = 24
// replications the sample sd of the estimates is within a factor exp(+-3.29/sqrt(2(R-1)))
// (0.62 to 1.62) of the truth at 99.9%; the ratio to the mean influence SE is checked
// against that band.
func TestInfluenceStandardErrors(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Policies = []string{"none"}
	list := stats(t, "none.total_sales_bn.mean", "none.net_sales_10d_bn.p50", "none.hf_loss_bn.p25")
	const R, n = 24, 1000
	est := make([][]float64, len(list))
	se := make([]float64, len(list))
	for r := 0; r < R; r++ {
		s, err := moments.Evaluate(context.Background(), cfg, list, n, uint64(100+r), 0)
		if err != nil {
			t.Fatal(err)
		}
		for k := range list {
			est[k] = append(est[k], s.Estimate(k, 0.95).Estimate)
			psi := s.Influence(k)
			ss := 0.0
			for _, v := range psi {
				ss += v * v
			}
			se[k] += math.Sqrt(ss/float64(n)) / math.Sqrt(n) / R
		}
	}
	lo, hi := math.Exp(-3.29/math.Sqrt(2*(R-1))), math.Exp(3.29/math.Sqrt(2*(R-1)))
	for k, st := range list {
		mean, ss := 0.0, 0.0
		for _, e := range est[k] {
			mean += e / R
		}
		for _, e := range est[k] {
			ss += (e - mean) * (e - mean)
		}
		sd := math.Sqrt(ss / (R - 1))
		ratio := sd / se[k]
		t.Logf("%s: sd across seeds %.4g, influence SE %.4g, ratio %.3f", st.Name, sd, se[k], ratio)
		if ratio < lo || ratio > hi {
			t.Errorf("%s: replication sd / influence SE = %.3f, outside [%.2f, %.2f]", st.Name, ratio, lo, hi)
		}
	}
}

// A calibration target, evaluated on common random numbers: the median of the funds'
// net cash sales over the first two weeks without a backstop.
func ExampleEvaluate() {
	s, err := moments.Parse("none.net_sales_10d_bn.p50")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := configs.Baseline()
	sample, err := moments.Evaluate(context.Background(), cfg, []moments.Stat{s}, 2000, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv := sample.Estimate(0, 0.95)
	fmt.Println(s.Path.Unit, s.Path.Doc, iv.Lo <= iv.Estimate && iv.Estimate <= iv.Hi)
	// Output: $bn funds' net cash sales in the first two weeks, sum of S - R over days 0-9 true
}

// LookupPathStat finds a section 7 metric by its column name (the metric, not the
// scenario statistic of the same name: other_sales_bn is both), a scenario statistic by
// its own, and nothing else.
func TestLookupPathStat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		metric bool // a metric: Of nil, Metric the one named
		want   sim.Metric
		found  bool
	}{
		{"peak_basis_bp", true, sim.PeakBasisBP, true},
		{"other_sales_bn", true, sim.OtherSalesBN, true},
		{"position_cut", true, sim.PositionCut, true},
		{"net_sales_10d_bn", false, 0, true},
		{"position_cut_21d_pct", false, 0, true},
		{"peak_basis", false, 0, false},
		{"", false, 0, false},
	} {
		p := moments.LookupPathStat(tc.name)
		switch {
		case (p != nil) != tc.found:
			t.Errorf("LookupPathStat(%q) = %v, want found %v", tc.name, p, tc.found)
		case p == nil:
		case p.Name != tc.name || p.NeedsTrace() == tc.metric || (tc.metric && p.Metric != tc.want):
			t.Errorf("LookupPathStat(%q) = %s (metric %d, needs trace %v); want metric %v %d", tc.name, p.Name, p.Metric, p.NeedsTrace(), tc.metric, tc.want)
		}
	}
}
