package plots_test

import (
	"fmt"
	"testing"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/sim"
)

// Every metric and band series the simulator writes is labelled as package sim declares it.
func TestLabelsCoverEveryMetricAndSeries(t *testing.T) {
	for _, m := range sim.Metrics {
		if l := plots.Labels[m.Name]; l.Name != m.Label || l.Unit != m.AxisUnit {
			t.Errorf("metric %s labelled %+v, declared %q (%q)", m.Name, l, m.Label, m.AxisUnit)
		}
	}
	for _, s := range sim.SeriesTable {
		if l := plots.Labels[s.Name]; l.Name != s.Label || l.Unit != s.AxisUnit {
			t.Errorf("band series %s labelled %+v, declared %q (%q)", s.Name, l, s.Label, s.AxisUnit)
		}
	}
}

func ExampleLabelOf() {
	fmt.Println(plots.LabelOf("spv.discount"))
	fmt.Println(plots.LabelOf("peak_dealer_utilization"))
	fmt.Println(plots.LabelOf("funds_defaulted"))
	// Output:
	// SPV auction discount d (bp)
	// Peak dealer utilization (inventory ÷ capacity, ratio)
	// Funds defaulted
}
