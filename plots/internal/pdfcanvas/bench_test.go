package pdfcanvas

import (
	"image/color"
	"io"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// drawDots draws what dominates the pathwise figure: two panels of 4,000 translucent dots
// (radius 0.9 pt, alpha 0.35) through gonum's draw.Canvas, which sets the color before
// every glyph, on a 7 x 5.6 inch page.
func drawDots(c *Canvas) {
	dc := draw.New(c)
	rng := rand.New(rand.NewPCG(1, 2))
	colors := []color.NRGBA{{0x00, 0x72, 0xB2, 89}, {0x00, 0x9E, 0x73, 89}}
	for panel, clr := range colors {
		sty := draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(0.9), Color: clr}
		x0 := vg.Length(panel) * 3.5 * vg.Inch
		for range 4000 {
			pt := vg.Point{X: x0 + vg.Length(20+rng.Float64()*210), Y: vg.Length(30 + rng.Float64()*340)}
			dc.DrawGlyph(sty, pt)
		}
	}
}

// BenchmarkPDFDots draws the pathwise figure's 8,000 dots and writes the PDF; it reports
// the PDF's size.
func BenchmarkPDFDots(b *testing.B) {
	var n int64
	for b.Loop() {
		c := New(7*vg.Inch, 5.6*vg.Inch)
		drawDots(c)
		var err error
		if n, err = c.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}
