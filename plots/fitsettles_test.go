package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestTextFittingSettles draws every figure at 2, 3.5, 5 and 7 in and checks that fitting
// its panels' text to their layout settles before alignedDraw's last round. peak_basis
// with six policies at 3.5 and 5 in never did: a log axis's label wrapped to two lines
// moved the ticks so that one line fitted, and one line moved them back, round after
// round; all eight rounds ran and the last left a label wider than its room.
func TestTextFittingSettles(t *testing.T) {
	for _, fc := range append(allFigures(), leverageSweepFigures()...) {
		for _, in := range []float64{2, 3.5, 5, 7} {
			f := fc.build()
			w := vg.Length(in) * vg.Inch
			f.drawPanels(draw.New(newRecorder(w, f.heightAt(w))))
			if f.fitRounds >= maxFitRounds {
				t.Errorf("%s at %.1f in: fitting text took all %d rounds without settling", fc.name, in, f.fitRounds)
			}
		}
	}
}
