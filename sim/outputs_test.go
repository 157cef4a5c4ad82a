package sim_test

import (
	"testing"

	"github.com/backstop-research/backstop/sim"
)

// Every metric and band series is declared in full: a column name, a label in words (not
// the column name), and an axis unit exactly when the data unit is a unit (a count of
// funds prints bare on an axis).
func TestOutputsAreDeclaredInFull(t *testing.T) {
	for _, m := range sim.Metrics {
		if m.Name == "" || m.Label == "" || m.Label == m.Name || m.Doc == "" {
			t.Errorf("metric %q: label %q, doc %q", m.Name, m.Label, m.Doc)
		}
		if (m.Unit == "") != (m.AxisUnit == "") && m.Name != "funds_defaulted" {
			t.Errorf("metric %s: unit %q, axis unit %q", m.Name, m.Unit, m.AxisUnit)
		}
	}
	for _, s := range sim.SeriesTable {
		if s.Name == "" || s.Label == "" || s.Label == s.Name || s.Unit == "" || s.AxisUnit == "" {
			t.Errorf("series %q: label %q, unit %q, axis unit %q", s.Name, s.Label, s.Unit, s.AxisUnit)
		}
	}
}
