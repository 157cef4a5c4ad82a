package plots

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGTextMatchesGonum checks that the PNG canvas's own text path draws the pixels
// gonum's image canvas draws: strings with kerning, accents, symbols and a glyph the
// font lacks, at sub-pixel positions, in several sizes and translucent colours, over
// drawn shapes, cut by the canvas's edges, and rotated (which takes gonum's path).
func TestPNGTextMatchesGonum(t *testing.T) {
	texts := []string{"Peak basis (bp)", "AVA Tw Yo 1,234.5", "spv − none: 95% CI", "Δ€ ±0.5 ×10³ ≤ ≥", "\u2603 snowman", ""}
	sizes := []vg.Length{7, 8.5, 11, 14}
	colors := []color.Color{color.Black, color.NRGBA{R: 200, G: 30, B: 30, A: 140}, color.NRGBA{R: 20, G: 90, B: 200, A: 255}}
	// No whole number of pixels: text is placed from the height as asked for.
	const w, h = 3.0037 * vg.Inch, 2.0041 * vg.Inch
	ours := newFastPNG(w, h)
	theirs := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))
	var fast, total int
	for _, c := range []vg.CanvasSizer{ours, theirs} {
		dc := draw.New(c)
		// A shape under the text, so that Over blends with something other than white.
		dc.SetColor(color.NRGBA{G: 160, A: 90})
		var box vg.Path
		box.Move(vg.Point{X: 10, Y: 10})
		box.Line(vg.Point{X: 120, Y: 10})
		box.Line(vg.Point{X: 120, Y: 90})
		box.Close()
		dc.Fill(box)
		i := 0
		for _, text := range texts {
			for _, size := range sizes {
				clr := colors[i%len(colors)]
				at := vg.Point{X: 3.37 + vg.Length(i%5)*41.13, Y: 4.71 + vg.Length(i/5)*9.29}
				switch i % 11 {
				case 4: // across the left edge
					at.X = -13.6
				case 9: // across the top edge
					at.Y = h - 3.2
				case 10: // across the bottom edge
					at.Y = -2.45
				}
				sty := textStyle(sans, size)
				sty.Color = clr
				if i%7 == 3 {
					sty.Rotation = 0.5 // gonum's own path
				}
				dc.FillText(sty, at, text)
				i++
			}
		}
		total = i
	}
	if len(ours.saved) != 0 {
		t.Fatalf("%d graphics states left pushed", len(ours.saved))
	}
	a, b := ours.Image().(*image.RGBA), theirs.Image().(*image.RGBA)
	if !bytes.Equal(a.Pix, b.Pix) {
		diff, worst := 0, 0
		for i := range a.Pix {
			if d := int(a.Pix[i]) - int(b.Pix[i]); d != 0 {
				diff++
				worst = max(worst, d, -d)
			}
		}
		t.Fatalf("%d of %d bytes differ from gonum's canvas (by up to %d)", diff, len(a.Pix), worst)
	}
	fast = total - total/7
	if fast == 0 {
		t.Fatal("no text took the canvas's own path")
	}
}
