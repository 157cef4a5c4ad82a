package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestTextStaysOnNarrowCanvases: as TestTextStaysOnTheCanvas, at the widths below one
// column that --width allows a user (1.3 to 3 in), where panels stack in one column. A
// panel title is centered on the data area drawPanel draws and must be fitted about that
// center: fitted about the data area gonum gives a log axis whose label it still holds
// (narrower, to the left), peak_basis's titles ran off the right edge at 1.6 in, and a
// one-policy run's lone peak_basis panel's title at 1.3 in.
func TestTextStaysOnNarrowCanvases(t *testing.T) {
	const slack = 0.5 // points: anti-aliasing, rounding
	cases := allFigures()
	onePolicy := syntheticOf(2000, "none")
	for _, spec := range figureSet {
		cases = append(cases, figureCase{spec.name + " (1 policy)", func() *figure { return spec.build(onePolicy) }})
	}
	for _, fc := range cases {
		for _, in := range []float64{1.3, 1.6, 2, 2.5, 3} {
			f := fc.build()
			w := vg.Length(in) * vg.Inch
			rec := drawnAt(f, w)
			h := rec.h
			for _, tx := range rec.texts {
				if tx.minX < -slack || tx.minY < -slack || tx.maxX > float64(w)+slack || tx.maxY > float64(h)+slack {
					t.Errorf("%s at %.1f in: %q spans x %.1f to %.1f, y %.1f to %.1f, off the %.1f x %.1f canvas",
						fc.name, in, tx.s, tx.minX, tx.maxX, tx.minY, tx.maxY, float64(w), float64(h))
				}
			}
		}
	}
}
