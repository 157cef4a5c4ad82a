package plots

import (
	"slices"
	"testing"
)

// TestFormatsOf checks the formats read off a manifest's outputs: in Formats' order,
// tables and unknown extensions aside, nil for none.
func TestFormatsOf(t *testing.T) {
	for _, c := range []struct {
		files []string
		want  []string
	}{
		{[]string{"sweep.parquet", "figures/a.svg", "figures/b.svg"}, []string{"svg"}},
		{[]string{"figures/a.pdf", "figures/a.png", "fit.csv"}, []string{"png", "pdf"}},
		{[]string{"figures/a.svg", "figures/a.png", "figures/a.pdf"}, []string{"png", "pdf", "svg"}},
		{[]string{"sweep.parquet", "figures/a.jpeg"}, nil},
		{nil, nil},
	} {
		if got := FormatsOf(c.files); !slices.Equal(got, c.want) {
			t.Errorf("FormatsOf(%q) = %q, want %q", c.files, got, c.want)
		}
	}
}
