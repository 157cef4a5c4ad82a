package plots

import (
	"image"
	"image/color"
	"math"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// The PNG canvas's text. gonum's image canvas draws every glyph through gg, which maps its
// mask onto the image with a bilinear transform evaluated pixel by pixel through color
// interfaces, whatever the transform; that was a fifth of the figures' time. Where the
// canvas has not been rotated, translated or scaled (all of our text but the rotated
// axis labels), the transform is a whole-pixel shift, under which the bilinear kernel
// takes each mask pixel with weight one, and fastPNG composites the glyph masks straight
// onto the image instead, with the kernel's integer arithmetic (overGlyph).
// TestPNGTextMatchesGonum checks that the pixels are the ones gonum's canvas draws.

// pngState is what fastPNG tracks of the canvas's graphics state for its text: the
// colour, and whether a rotation, translation or scale is in effect.
type pngState struct {
	color       color.Color
	transformed bool
}

// SetColor sets the colour of what is drawn next.
func (c *fastPNG) SetColor(clr color.Color) {
	c.state.color = clr
	c.Canvas.SetColor(clr)
}

// Rotate rotates the canvas's coordinates by t radians.
func (c *fastPNG) Rotate(t float64) {
	c.state.transformed = true
	c.Canvas.Rotate(t)
}

// Translate moves the canvas's origin to pt.
func (c *fastPNG) Translate(pt vg.Point) {
	c.state.transformed = true
	c.Canvas.Translate(pt)
}

// Scale scales the canvas's coordinates.
func (c *fastPNG) Scale(x, y float64) {
	c.state.transformed = true
	c.Canvas.Scale(x, y)
}

// Push saves the graphics state, for Pop to restore.
func (c *fastPNG) Push() {
	c.saved = append(c.saved, c.state)
	c.Canvas.Push()
}

// Pop restores the graphics state Push saved last.
func (c *fastPNG) Pop() {
	if n := len(c.saved); n > 0 {
		c.state, c.saved = c.saved[n-1], c.saved[:n-1]
	}
	c.Canvas.Pop()
}

// FillString draws text with its baseline starting at pt.
func (c *fastPNG) FillString(f font.Face, pt vg.Point, text string) {
	c.drawn = true
	if f.Font.Size == 0 {
		return
	}
	img, ok := c.Image().(*image.RGBA)
	if c.state.transformed || !ok {
		c.fillStringGG(f, pt, text)
		return
	}
	// As vgimg.Canvas.FillString and gg's DrawString place it: the face at the canvas's
	// resolution, the baseline at pt in pixels from the top left, each glyph's mask from
	// the face at the pen's sub-pixel position, kerned.
	dpi := c.DPI()
	face := f.FontFace(dpi)
	defer face.Close()
	_, h := c.Size()
	drawGlyphs(img, c.state.color, face, pt.X.Dots(dpi), h.Dots(dpi)-pt.Y.Dots(dpi), text)
}

// fillStringGG draws text as vgimg.Canvas.FillString does, through gg, but with the
// canvas's height as asked for (vgimg's own is rounded to whole pixels: see fastPNG).
func (c *fastPNG) fillStringGG(f font.Face, pt vg.Point, text string) {
	c.ctx.Push()
	defer c.ctx.Pop()
	dpi := c.DPI()
	face := f.FontFace(dpi)
	defer face.Close()
	c.ctx.SetFontFace(face)
	x, y := pt.X.Dots(dpi), pt.Y.Dots(dpi)
	h := c.h.Dots(dpi)
	c.ctx.InvertY()
	c.ctx.DrawString(text, x, h-y)
}

// drawGlyphs draws text onto img in clr with the pen starting at (x, y) pixels, glyph by
// glyph as gg's drawString walks it: the pen rounded to 1/64 pixel, kerning between
// glyphs, a glyph the face lacks skipped.
func drawGlyphs(img *image.RGBA, clr color.Color, face xfont.Face, x, y float64, text string) {
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	prev := rune(-1)
	for _, r := range text {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		dr, mask, maskp, advance, ok := face.Glyph(dot, r)
		if !ok {
			continue
		}
		overGlyph(img, dr, clr, mask, maskp)
		dot.X += advance
		prev = r
	}
}

// overGlyph composites clr through mask (from maskp on) over img's pixels in dr, pixel by
// pixel as x/image/draw's bilinear kernel does under a whole-pixel shift (its
// transform_Image_Image_Over with one source pixel of weight one): the colour's 16-bit
// premultiplied channels scaled by the mask's 16-bit alpha, truncated, then the pixel's
// own channels by the rest, truncated, and the 16-bit sum cut to 8 bits.
func overGlyph(img *image.RGBA, dr image.Rectangle, clr color.Color, mask image.Image, maskp image.Point) {
	const m = 0xffff
	sr, sg, sb, sa := clr.RGBA()
	alpha, _ := mask.(*image.Alpha)
	at := dr.Intersect(img.Bounds()) // the pixels drawn; the mask is aligned with dr
	for y := at.Min.Y; y < at.Max.Y; y++ {
		my := maskp.Y + y - dr.Min.Y
		for x := at.Min.X; x < at.Max.X; x++ {
			mx := maskp.X + x - dr.Min.X
			var ma uint32
			if alpha != nil {
				ma = uint32(alpha.AlphaAt(mx, my).A) * 0x101
			} else {
				_, _, _, ma = mask.At(mx, my).RGBA()
			}
			pa0 := sa * ma / m
			pa1 := m - pa0
			d := img.Pix[img.PixOffset(x, y):][:4:4]
			d[0] = uint8((uint32(d[0])*0x101*pa1/m + sr*ma/m) >> 8)
			d[1] = uint8((uint32(d[1])*0x101*pa1/m + sg*ma/m) >> 8)
			d[2] = uint8((uint32(d[2])*0x101*pa1/m + sb*ma/m) >> 8)
			d[3] = uint8((uint32(d[3])*0x101*pa1/m + pa0) >> 8)
		}
	}
}
