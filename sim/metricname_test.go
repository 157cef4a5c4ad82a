package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/sim"
)

// MetricByName finds every metric by its column name, and nothing by a name that is
// not exactly one: a prefix, another case, spaces, a band series' name.
func TestMetricByName(t *testing.T) {
	for m, info := range sim.Metrics {
		if got, ok := sim.MetricByName(info.Name); !ok || got != sim.Metric(m) {
			t.Errorf("MetricByName(%q) = %d, %v; want %d, true", info.Name, got, ok, m)
		}
	}
	for _, tc := range []struct {
		name string
		want sim.Metric
		ok   bool
	}{
		{"peak_basis_bp", sim.PeakBasisBP, true},
		{"position_cut", sim.PositionCut, true},
		{"stress_jump", sim.StressJump, true},
		{"", 0, false},
		{"peak_basis", 0, false},
		{"Peak_Basis_BP", 0, false},
		{" peak_basis_bp", 0, false},
		{"peak_basis_bp.mean", 0, false},
		{sim.SeriesTable[sim.SeriesBasis].Name, 0, false},
	} {
		if got, ok := sim.MetricByName(tc.name); got != tc.want || ok != tc.ok {
			t.Errorf("MetricByName(%q) = %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// MetricNames names the metrics given in their order, and every metric when none is.
func TestMetricNames(t *testing.T) {
	for _, tc := range []struct {
		ms   []sim.Metric
		want []string
	}{
		{[]sim.Metric{sim.ForcedSalesBN, sim.PeakBasisBP}, []string{"forced_sales_bn", "peak_basis_bp"}},
		{[]sim.Metric{sim.FundsDefaulted}, []string{"funds_defaulted"}},
	} {
		if got := sim.MetricNames(tc.ms...); !slices.Equal(got, tc.want) {
			t.Errorf("MetricNames(%v) = %v, want %v", tc.ms, got, tc.want)
		}
	}
	all := sim.MetricNames()
	if len(all) != sim.NumMetrics {
		t.Fatalf("MetricNames() has %d names, want %d", len(all), sim.NumMetrics)
	}
	for m, name := range all {
		if name != sim.Metrics[m].Name {
			t.Errorf("MetricNames()[%d] = %q, want %q", m, name, sim.Metrics[m].Name)
		}
	}
}

// ExampleMetricByName looks a metric up by the name a user gives, and lists the allowed
// names when it is none.
func ExampleMetricByName() {
	for _, name := range []string{"forced_sales_bn", "forced_sales"} {
		m, ok := sim.MetricByName(name)
		if !ok {
			fmt.Printf("%s: unknown; allowed are %s, ...\n", name, strings.Join(sim.MetricNames()[:3], ", "))
			continue
		}
		fmt.Printf("%s: %s, in %s\n", name, sim.Metrics[m].Label, sim.Metrics[m].Unit)
	}
	// Output:
	// forced_sales_bn: Forced sales, in $bn
	// forced_sales: unknown; allowed are stress_jump, peak_vol_bp, peak_funding_stress, ...
}
