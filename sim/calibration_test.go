package sim_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// Tolerances for the comparison with docs/model.md section 8. The table comes from an
// independent implementation at refPaths paths and is rounded; each check allows our
// estimator's Monte Carlo error at z (two-sided 99.9%, since about 25 checks run
// together), inflated by sqrt(1 + n/refPaths) for the table's own Monte Carlo error, plus
// half a unit of the table's last printed digit.
const (
	calibrationPaths = 20_000
	refPaths         = 100_000
	z                = 3.29
)

type refQuantile struct {
	policy string
	metric sim.Metric
	p      float64
	want   float64
	digit  float64 // unit of the last digit printed in the table
}

// section8 is docs/model.md section 8, figure by figure.
var section8 = []refQuantile{
	{"none", sim.PeakBasisBP, 0.05, 1.7, 0.1},
	{"none", sim.PeakBasisBP, 0.50, 34, 1},
	{"none", sim.PeakBasisBP, 0.95, 184, 1},
	{"qe", sim.PeakBasisBP, 0.05, 1.7, 0.1},
	{"qe", sim.PeakBasisBP, 0.50, 12.5, 0.1},
	{"qe", sim.PeakBasisBP, 0.95, 134, 1},
	{"spv", sim.PeakBasisBP, 0.05, 1.7, 0.1},
	{"spv", sim.PeakBasisBP, 0.50, 11.4, 0.1},
	{"spv", sim.PeakBasisBP, 0.95, 31, 1},
	{"none", sim.ForcedSalesBN, 0.50, 52, 1},
	{"none", sim.ForcedSalesBN, 0.95, 728, 1},
	{"qe", sim.ForcedSalesBN, 0.50, 33, 1},
	{"qe", sim.ForcedSalesBN, 0.95, 621, 1},
	{"spv", sim.ForcedSalesBN, 0.50, 33, 1},
	{"spv", sim.ForcedSalesBN, 0.95, 255, 1},
	{"none", sim.PeakCBHoldingsBN, 0.50, 0, 1},
	{"none", sim.PeakCBHoldingsBN, 0.95, 0, 1},
	{"qe", sim.PeakCBHoldingsBN, 0.50, 64, 1},
	{"qe", sim.PeakCBHoldingsBN, 0.95, 328, 1},
	{"spv", sim.PeakCBHoldingsBN, 0.50, 31, 1},
	{"spv", sim.PeakCBHoldingsBN, 0.95, 278, 1},
}

// section8Defaults is the table's mean of funds_defaulted, printed to 0.01.
var section8Defaults = map[string]float64{"none": 3.98, "qe": 0.45, "spv": 0.07}

func TestSection8WithinMonteCarloError(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-path calibration check skipped in -short mode")
	}
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := calibrationPaths
	values := map[string]map[sim.Metric][]float64{}
	for _, p := range cfg.Policies {
		values[p] = map[sim.Metric][]float64{}
		for _, m := range []sim.Metric{sim.PeakBasisBP, sim.ForcedSalesBN, sim.PeakCBHoldingsBN, sim.FundsDefaulted} {
			values[p][m] = make([]float64, n)
		}
	}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: cfg.Seed}
	err = s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, _ [][]float64) {
		for k, r := range res {
			for m, v := range values[cfg.Policies[k]] {
				v[r.Path] = r.Values[m]
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	inflate := math.Sqrt(1 + float64(n)/refPaths)
	for _, ref := range section8 {
		x := values[ref.policy][ref.metric]
		sort.Float64s(x)
		// Order-statistic interval: the p-quantile lies between the order statistics of
		// ranks n p -/+ z sqrt(n p (1-p)), widened for the reference's error.
		half := z * math.Sqrt(float64(n)*ref.p*(1-ref.p)) * inflate
		lo := x[max(0, int(math.Floor(float64(n)*ref.p-half)))] - ref.digit/2
		hi := x[min(n-1, int(math.Ceil(float64(n)*ref.p+half)))] + ref.digit/2
		est := x[int(math.Ceil(float64(n)*ref.p))-1]
		inside := ref.want >= lo && ref.want <= hi
		name := sim.Metrics[ref.metric].Name
		if !inside {
			t.Errorf("%s %s p%02.0f = %.4g; table %.4g is outside the Monte Carlo interval [%.4g, %.4g]", ref.policy, name, 100*ref.p, est, ref.want, lo, hi)
		}
	}
	for p, want := range section8Defaults {
		x := values[p][sim.FundsDefaulted]
		est := stats.Mean(x, 0.95)
		mean := est.Estimate
		tol := z*est.SE*inflate + 0.005
		if math.Abs(mean-want) > tol {
			t.Errorf("%s mean funds_defaulted = %.3f, table %.2f, tolerance %.3f", p, mean, want, tol)
		}
	}
}

// TestForcedSalesReadings checks that funds.forced_sales is accounting only: the literal
// reading of section 3 changes forced_sales_bn alone, never raises it on any path, and
// lowers it on some (the default-day sales the reference counts as forced).
func TestForcedSalesReadings(t *testing.T) {
	const n = 3000
	run := func(reading string) [][]sim.Result {
		cfg := configs.Baseline()
		cfg.Funds.ForcedSales = reading
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]sim.Result, n)
		s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: cfg.Seed}
		err = s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, _ [][]float64) {
			out[res[0].Path] = append([]sim.Result(nil), res...)
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ref, lit := run(sim.ForcedReference), run(sim.ForcedLiteral)
	lower := 0
	for i := range ref {
		for k := range ref[i] {
			for m := range ref[i][k].Values {
				a, b := ref[i][k].Values[m], lit[i][k].Values[m]
				switch {
				case sim.Metric(m) != sim.ForcedSalesBN && a != b:
					t.Fatalf("path %d: %s differs between the readings (%v, %v)", i, sim.Metrics[m].Name, a, b)
				case sim.Metric(m) == sim.ForcedSalesBN && b > a:
					t.Fatalf("path %d: literal forced sales %v above the reference's %v", i, b, a)
				case sim.Metric(m) == sim.ForcedSalesBN && b < a:
					lower++
				}
			}
		}
	}
	if lower == 0 {
		t.Fatal("the readings never differ: default-day sales are not counted")
	}
}
