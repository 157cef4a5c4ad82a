package plots

import (
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

// TestDropRepeatedYLabels: a panel's y label is left out only where it repeats its left
// neighbour's, so that a reader who takes an unlabelled axis for the one to its left reads
// it right (the calibration profile's second row is objective (cut at 50), objective,
// objective (cut at 50): the third must keep its label).
func TestDropRepeatedYLabels(t *testing.T) {
	const cut, plain = "objective (cut at 50)", "objective"
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"all the same", []string{plain, plain, plain}, []string{plain, "", ""}},
		{"all different", []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"same as the first, not the left", []string{cut, plain, cut}, []string{cut, plain, cut}},
		{"runs", []string{cut, cut, plain, plain}, []string{cut, "", plain, ""}},
		{"one panel", []string{plain}, []string{plain}},
	} {
		row := make([]*plot.Plot, len(tc.in))
		for i, l := range tc.in {
			row[i] = plot.New()
			row[i].Y.Label.Text = l
		}
		dropRepeatedYLabels([][]*plot.Plot{row})
		var got []string
		for _, p := range row {
			got = append(got, p.Y.Label.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q -> %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}
