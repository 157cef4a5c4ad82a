package plots

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGDotsAtTheEdges draws dots across the image's edges and corners and off it, in
// colours with no alpha and none at all, and one in a pushed and translated state (as a
// legend's key may be drawn), on fastPNG and on gonum's image canvas: off the rims the
// pixels must be gonum's. Dots centred at no number, at infinity or far off the image
// must paint nothing.
func TestPNGDotsAtTheEdges(t *testing.T) {
	const w, h = 1.0037 * vg.Inch, 0.7519 * vg.Inch
	ours := newFastPNG(w, h)
	theirs := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))
	px := func(l vg.Length) float64 { return l.Dots(PNGDPI) }
	var discs []pixelDisc
	colors := []color.Color{color.NRGBA{R: 0, G: 114, B: 178, A: 89}, color.Black, color.NRGBA{R: 213, G: 94, B: 0}, nil}
	radii := []vg.Length{0.9, 2, 3.8}
	var at []vg.Point
	for _, x := range []vg.Length{-5, -2, -1, -0.45, 0, 0.3, w / 2, w - 0.3, w, w + 0.45, w + 1, w + 2, w + 5} {
		for _, y := range []vg.Length{-5, -2, -0.45, 0, 0.37, h / 2, h - 0.37, h, h + 0.45, h + 2, h + 5} {
			at = append(at, vg.Point{X: x, Y: y})
		}
	}
	for k, c := range []vg.CanvasSizer{ours, theirs} {
		dc := draw.New(c)
		for i, p := range at {
			sty := draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: radii[i%len(radii)], Color: colors[i%len(colors)]}
			dc.DrawGlyphNoClip(sty, p)
			if k == 0 {
				clr := sty.Color
				if clr == nil {
					clr = color.Black
				}
				discs = append(discs, pixelDisc{px(p.X), float64(ours.Image().Bounds().Dy()) - px(p.Y), px(sty.Radius), clr})
			}
		}
		// A legend's key dot in a pushed, translated state: gonum's own path.
		c.Push()
		c.Translate(vg.Point{X: 10.3, Y: 7.7})
		dc.DrawGlyphNoClip(draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: 2, Color: color.Black}, vg.Point{X: 5.1, Y: 5.3})
		c.Pop()
	}
	a, b := ours.Image().(*image.RGBA), theirs.Image().(*image.RGBA)
	// Centres that are no number, infinite or far off the image paint nothing (gonum's
	// rasterizer does not return from some of these: figures never ask, as draw.Canvas's
	// DrawGlyph skips a point outside the canvas).
	before := bytes.Clone(a.Pix)
	nan, inf := math.NaN(), math.Inf(1)
	for _, p := range [][2]float64{{nan, 10}, {10, nan}, {inf, 10}, {-inf, -inf}, {1e30, 1e30}, {-1e12, 20}, {20, 1 << 41}} {
		ours.discs(2).fill(a, p[0], p[1], color.Black)
	}
	if !bytes.Equal(before, a.Pix) {
		t.Error("a dot centred at no number, at infinity or far off the image painted pixels")
	}
	if a.Rect != b.Rect {
		t.Fatalf("image %v, gonum's %v", a.Rect, b.Rect)
	}
	width, height := a.Rect.Dx(), a.Rect.Dy()
	onRim := rimMask(discs, width, height)
	painted, differ, _ := compareOffRims(t, a, b, onRim)
	if painted == 0 {
		t.Fatal("no painted pixel is off every rim: the comparison checked nothing painted")
	}
	t.Logf("%d dots at the edges; %d painted pixels off the rims, %d of them differ", len(discs), painted, differ)
}
