package explore

import (
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// A condition's POLICY.METRIC names one of the summary metrics (its index among them);
// any other name, a metric outside the summary included, is refused naming the allowed.
func TestConditionMetric(t *testing.T) {
	allowed := "allowed are " + strings.Join(sim.MetricNames(results.SummaryMetrics...), ", ")
	for _, tc := range []struct {
		operand string
		metric  sim.Metric
		err     string
	}{
		{"spv.peak_basis_bp", sim.PeakBasisBP, ""},
		{"none.position_cut.p95", sim.PositionCut, ""},
		{"spv.forced_sales_bn.ci95_hi", sim.ForcedSalesBN, ""},
		{"spv.peak_basis", 0, `"spv.peak_basis": metric "peak_basis" unknown; ` + allowed},
		{"spv.stress_jump", 0, `"spv.stress_jump": metric "stress_jump" unknown; ` + allowed},
	} {
		o, err := parseOperand(tc.operand, []string{"none", "spv"})
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: error %v, want %q", tc.operand, err, tc.err)
			}
			continue
		}
		if err != nil || o.metric != slices.Index(results.SummaryMetrics, tc.metric) {
			t.Errorf("%s: metric %d, %v; want summary metric %d", tc.operand, o.metric, err, slices.Index(results.SummaryMetrics, tc.metric))
		}
	}
}
