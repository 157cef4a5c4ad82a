package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestNarrowPanelsKeepTheirData draws pathwise for a run of two paths at 1.3 in, where
// its panels stack in one column, and checks that no two strings overlap. Its titles
// wrapped onto more lines, which shortened the panels, which wrapped the y labels onto
// more lines, which narrowed the panels and wrapped the titles again: the data areas
// shrank to a few points and their tick labels ran into each other.
func TestNarrowPanelsKeepTheirData(t *testing.T) {
	const slack = 0.2 // points: rounding
	in := synthetic(2)
	for i, pol := range in.Policies {
		in.Metrics[pol][ColPeakBasis] = [][]float64{{165, 160}, {127, 12}, {24, 13}}[i]
	}
	f := pathwise(in)
	w := 1.3 * vg.Inch
	rec := newRecorder(w, f.heightAt(w))
	f.draw(draw.New(rec))
	var texts []placedText
	for _, tx := range rec.texts {
		if strings.TrimSpace(tx.s) != "" {
			texts = append(texts, tx)
		}
	}
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			if a.ink[0]+slack < b.ink[2] && b.ink[0]+slack < a.ink[2] && a.ink[1]+slack < b.ink[3] && b.ink[1]+slack < a.ink[3] {
				t.Errorf("pathwise at 1.3 in: %q (x %.1f-%.1f, y %.1f-%.1f) overlaps %q (x %.1f-%.1f, y %.1f-%.1f)",
					a.s, a.ink[0], a.ink[2], a.ink[1], a.ink[3], b.s, b.ink[0], b.ink[2], b.ink[1], b.ink[3])
			}
		}
	}
}
