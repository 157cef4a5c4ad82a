package plots_test

import (
	"fmt"
	"testing"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/sim"
)

// Every metric and band series the simulator writes has a label in words with its unit.
func TestLabelsCoverEveryMetricAndSeries(t *testing.T) {
	for _, m := range sim.Metrics {
		l, ok := plots.Labels[m.Name]
		if !ok {
			t.Errorf("metric %s has no label", m.Name)
			continue
		}
		if (m.Unit == "") != (l.Unit == "") && m.Name != "funds_defaulted" {
			t.Errorf("metric %s: unit %q in the simulator, %q on its label", m.Name, m.Unit, l.Unit)
		}
		if l.Name == m.Name {
			t.Errorf("metric %s is labelled by its column name", m.Name)
		}
	}
	for _, s := range sim.SeriesTable {
		if _, ok := plots.Labels[s.Name]; !ok {
			t.Errorf("band series %s has no label", s.Name)
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
