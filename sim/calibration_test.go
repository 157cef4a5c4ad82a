package sim_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// Tolerances for the comparison with MODEL.md section 8. The table comes from an
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
	// knownGap explains a figure this implementation does not reproduce; the test then
	// asserts the gap is still there, so the note explaining it cannot go stale.
	knownGap string
}

// section8 is MODEL.md section 8, figure by figure.
var section8 = []refQuantile{
	{"none", sim.PeakBasisBP, 0.05, 1.7, 0.1, ""},
	{"none", sim.PeakBasisBP, 0.50, 34, 1, ""},
	{"none", sim.PeakBasisBP, 0.95, 184, 1, ""},
	{"qe", sim.PeakBasisBP, 0.05, 1.7, 0.1, ""},
	{"qe", sim.PeakBasisBP, 0.50, 12.5, 0.1, ""},
	{"qe", sim.PeakBasisBP, 0.95, 134, 1, ""},
	{"spv", sim.PeakBasisBP, 0.05, 1.7, 0.1, ""},
	{"spv", sim.PeakBasisBP, 0.50, 11.4, 0.1, ""},
	{"spv", sim.PeakBasisBP, 0.95, 31, 1, ""},
	{"none", sim.ForcedSalesBN, 0.50, 52, 1, ""},
	{"none", sim.ForcedSalesBN, 0.95, 728, 1, "docs/model-notes.md: the literal spec gives 697 (99.9% interval about +-10); the reference's tail is heavier"},
	{"qe", sim.ForcedSalesBN, 0.50, 33, 1, ""},
	{"qe", sim.ForcedSalesBN, 0.95, 621, 1, ""},
	{"spv", sim.ForcedSalesBN, 0.50, 33, 1, ""},
	{"spv", sim.ForcedSalesBN, 0.95, 255, 1, ""},
	{"none", sim.PeakCBHoldingsBN, 0.50, 0, 1, ""},
	{"none", sim.PeakCBHoldingsBN, 0.95, 0, 1, ""},
	{"qe", sim.PeakCBHoldingsBN, 0.50, 64, 1, ""},
	{"qe", sim.PeakCBHoldingsBN, 0.95, 328, 1, ""},
	{"spv", sim.PeakCBHoldingsBN, 0.50, 31, 1, ""},
	{"spv", sim.PeakCBHoldingsBN, 0.95, 278, 1, ""},
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
		switch {
		case ref.knownGap != "" && inside:
			t.Errorf("%s %s p%02.0f: the known gap is gone (%.3g in [%.3g, %.3g]); update %s", ref.policy, name, 100*ref.p, ref.want, lo, hi, ref.knownGap)
		case ref.knownGap != "":
			t.Logf("%s %s p%02.0f = %.4g vs table %.4g: known gap, see %s", ref.policy, name, 100*ref.p, est, ref.want, ref.knownGap)
		case !inside:
			t.Errorf("%s %s p%02.0f = %.4g; table %.4g is outside the Monte Carlo interval [%.4g, %.4g]", ref.policy, name, 100*ref.p, est, ref.want, lo, hi)
		}
	}
	for p, want := range section8Defaults {
		x := values[p][sim.FundsDefaulted]
		mean, sd := meanSD(x)
		tol := z*sd/math.Sqrt(float64(n))*inflate + 0.005
		if math.Abs(mean-want) > tol {
			t.Errorf("%s mean funds_defaulted = %.3f, table %.2f, tolerance %.3f", p, mean, want, tol)
		}
	}
}

func meanSD(x []float64) (float64, float64) {
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
