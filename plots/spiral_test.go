package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestNarrowPanelsKeepTheirData draws pathwise for a run of two paths at 1.3 in, where
// its panels stack in one column, and checks that no two strings overlap. Its titles
// wrapped onto more lines, which shortened the panels, which wrapped the y labels onto
// more lines, which narrowed the panels and wrapped the titles again: the data areas
// shrank to a few points and their tick labels ran into each other.
func TestNarrowPanelsKeepTheirData(t *testing.T) {
	in := synthetic(2)
	for i, pol := range in.Policies {
		in.Metrics[pol][ColPeakBasis] = [][]float64{{165, 160}, {127, 12}, {24, 13}}[i]
	}
	f := pathwise(in)
	w := 1.3 * vg.Inch
	rec := drawnAt(f, w)
	for _, o := range overlappingTexts(rec) {
		t.Errorf("pathwise at 1.3 in: %s", o)
	}
}
