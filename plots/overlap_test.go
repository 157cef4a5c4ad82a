package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestTextDoesNotOverlap draws every figure at its natural size and at a journal's widths
// (one column 3.5 in, one and a half columns 5 in, the page 7 in) and checks that no two
// strings overlap: a key row over a panel title, or tick labels that run into each other,
// cannot be read.
func TestTextDoesNotOverlap(t *testing.T) {
	const slack = 0.2 // points: rounding
	for _, fc := range allFigures() {
		f := fc.build()
		sizes := []struct{ w, h vg.Length }{{f.width, f.height}}
		for _, w := range []vg.Length{ColumnWidth, 5 * vg.Inch, PageWidth} {
			sizes = append(sizes, struct{ w, h vg.Length }{w, f.heightAt(w)})
		}
		for _, sz := range sizes {
			rec := newRecorder(sz.w, sz.h)
			fc.build().draw(draw.New(rec))
			for i, a := range rec.texts {
				for _, b := range rec.texts[i+1:] {
					if a.ink[0]+slack < b.ink[2] && b.ink[0]+slack < a.ink[2] && a.ink[1]+slack < b.ink[3] && b.ink[1]+slack < a.ink[3] {
						t.Errorf("%s at %.2f x %.2f in: %q (x %.1f-%.1f, y %.1f-%.1f) overlaps %q (x %.1f-%.1f, y %.1f-%.1f)",
							fc.name, sz.w/vg.Inch, sz.h/vg.Inch, a.s, a.ink[0], a.ink[2], a.ink[1], a.ink[3], b.s, b.ink[0], b.ink[2], b.ink[1], b.ink[3])
					}
				}
			}
		}
	}
}
