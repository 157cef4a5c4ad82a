package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestKeyStaysOnTheCanvas draws every figure at widths from 1.3 in to 2.5 in and checks
// that each line of its key lies inside the canvas: an entry too wide for the canvas even
// at the smallest text size (rate_risk's note on what its P&L axes span, a two-parameter
// sweep's heading naming its second parameter) wraps, where it ran off both sides.
func TestKeyStaysOnTheCanvas(t *testing.T) {
	const slack = 0.5 // points: rounding
	for _, fc := range allFigures() {
		for _, in := range []float64{1.3, 1.6, 2, 2.5} {
			f := fc.build()
			w := vg.Length(in) * vg.Inch
			rec := drawnAt(f, w)
			for _, tx := range rec.texts {
				inKey := false
				for _, e := range f.key {
					inKey = inKey || strings.Contains(e.name, tx.s)
				}
				if inKey && strings.TrimSpace(tx.s) != "" && (tx.minX < -slack || tx.maxX > float64(w)+slack) {
					t.Errorf("%s at %.1f in: key text %q spans x %.1f to %.1f, off the canvas (0 to %.1f)",
						fc.name, in, tx.s, tx.minX, tx.maxX, float64(w))
				}
			}
		}
	}
}
