package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestTextDoesNotOverlap draws every figure at its natural size and at a journal's widths
// (one column 3.5 in, one and a half columns 5 in, the page 7 in) and checks that no two
// strings overlap: a key row over a panel title, or tick labels that run into each other,
// cannot be read.
func TestTextDoesNotOverlap(t *testing.T) {
	for _, fc := range append(allFigures(), leverageSweepFigures()...) {
		f := fc.build()
		sizes := []struct{ w, h vg.Length }{{f.width, f.height}}
		for _, w := range []vg.Length{ColumnWidth, 5 * vg.Inch, PageWidth} {
			sizes = append(sizes, struct{ w, h vg.Length }{w, f.heightAt(w)})
		}
		for _, sz := range sizes {
			rec := newRecorder(sz.w, sz.h)
			fc.build().draw(draw.New(rec))
			for _, o := range overlappingTexts(rec) {
				t.Errorf("%s at %.2f x %.2f in: %s", fc.name, sz.w/vg.Inch, sz.h/vg.Inch, o)
			}
		}
	}
}

// overlapSlack is how far, in points, two strings' ink may meet before overlappingTexts
// counts them as overlapping: rounding.
const overlapSlack = 0.2

// overlappingTexts describes each pair of strings a drawing recorded whose ink overlaps
// (blank strings print nothing and are left out).
func overlappingTexts(rec *recorder) []string {
	var texts []placedText
	for _, tx := range rec.texts {
		if strings.TrimSpace(tx.s) != "" {
			texts = append(texts, tx)
		}
	}
	const slack = overlapSlack
	var out []string
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			if a.ink[0]+slack < b.ink[2] && b.ink[0]+slack < a.ink[2] && a.ink[1]+slack < b.ink[3] && b.ink[1]+slack < a.ink[3] {
				out = append(out, fmt.Sprintf("%q (x %.1f-%.1f, y %.1f-%.1f) overlaps %q (x %.1f-%.1f, y %.1f-%.1f)",
					a.s, a.ink[0], a.ink[2], a.ink[1], a.ink[3], b.s, b.ink[0], b.ink[2], b.ink[1], b.ink[3]))
			}
		}
	}
	return out
}

// leverageSweepFigures are the figures of a sweep on configs/sweep_leverage.yaml's 5 x 5
// grid, each cell's CI half-width printed with three significant digits as real ones are.
func leverageSweepFigures() []figureCase {
	in := syntheticSweep([]float64{500, 750, 1000, 1250, 1500}, []float64{0, 0.25, 0.5, 0.75, 1})
	for _, byMetric := range in.Estimates {
		for _, est := range byMetric {
			for i := range est {
				half := 0.0123 * (1 + math.Abs(est[i].Mean))
				est[i].Lo, est[i].Hi = est[i].Mean-half, est[i].Mean+half
			}
		}
	}
	var out []figureCase
	for i, name := range SweepNames(2) {
		out = append(out, figureCase{name + " (5 x 5)", func() *figure { return sweepFigures(in)[i] }})
	}
	return out
}

// TestPanelsLineUp draws the panels of every multi-panel figure at 3.5, 5 and 7 in and
// checks that their data areas line up: the same top and bottom along a row and the same
// width throughout, a shorter last row included. Text or marks that reach past
// a data area's edge make gonum shrink that panel alone.
func TestPanelsLineUp(t *testing.T) {
	const tol = 0.01 // points
	for _, fc := range append(allFigures(), leverageSweepFigures()...) {
		for _, w := range []vg.Length{ColumnWidth, 5 * vg.Inch, PageWidth} {
			f := fc.build()
			if len(f.panels) < 2 {
				continue
			}
			areas := f.drawPanels(draw.New(newRecorder(w, f.heightAt(w))))
			first := areas[0][0]
			for r, row := range areas {
				for j, a := range row {
					if math.Abs(float64(a.Min.Y-row[0].Min.Y)) > tol || math.Abs(float64(a.Max.Y-row[0].Max.Y)) > tol ||
						math.Abs(float64(a.Size().X-first.Size().X)) > tol {
						t.Errorf("%s at %.1f in: panel %d,%d's data area %v does not line up with panel 0,0's %v (row's first %v)",
							fc.name, w/vg.Inch, r, j, a, first, row[0])
					}
				}
			}
		}
	}
}

// TestPanelTitlesCentered: a panel's title and its x label are centered on its data area
// (gonum centers a title on the whole panel, y label and tick labels included, so the
// titles of panels with a y label sat left of them).
func TestPanelTitlesCentered(t *testing.T) {
	const tol = 0.5 // points
	for _, fc := range allFigures() {
		for _, w := range []vg.Length{ColumnWidth, PageWidth} {
			f := fc.build()
			rec := newRecorder(w, f.heightAt(w))
			areas := f.drawPanels(draw.New(rec))
			i := 0
			for _, row := range areas {
				for _, a := range row {
					p := f.panels[i]
					i++
					mid := float64(a.Min.X+a.Max.X) / 2
					for _, text := range []string{p.Title.Text, p.X.Label.Text} {
						for _, line := range strings.Split(text, "\n") {
							if line == "" {
								continue
							}
							found := false
							for _, tx := range rec.texts {
								if tx.s == line && math.Abs((tx.minX+tx.maxX)/2-mid) < tol {
									found = true
								}
							}
							if !found {
								t.Errorf("%s at %.1f in: %q is not centered on its panel's data area (x %.1f to %.1f)",
									fc.name, w/vg.Inch, line, a.Min.X, a.Max.X)
							}
						}
					}
				}
			}
		}
	}
}
