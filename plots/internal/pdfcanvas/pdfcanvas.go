// Copyright ©2015 The Gonum Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file (reproduced in LICENSE-gonum beside this file).
//
// Adapted from gonum.org/v1/plot/vg/vgpdf v0.17.0 for backstop's figures; see docs/figures.md.

// Package pdfcanvas is a PDF vg.Canvas for gonum/plot, adapted from gonum's vgpdf to fix
// the two faults that make vgpdf's figures unusable in a paper:
//
//   - colors: vgpdf writes a translucent color's premultiplied RGB (color.Color.RGBA) as its
//     PDF color and then applies the alpha again, so a 13% orange fill prints as a 13%
//     near-black; this canvas writes the straight (non-premultiplied) RGB with the alpha as
//     a PDF ExtGState, real PDF transparency that any viewer composites like the PNG;
//   - text: vgpdf embeds TrueType fonts in the cp1252 code page but passes the UTF-8 bytes
//     of every string through unchanged, so an en dash prints as "â€“" and Greek letters
//     cannot print at all; this canvas embeds each font as a UTF-8 (Identity-H, subset)
//     font with a ToUnicode map, so every glyph of the font prints and text extracts
//     (pdftotext, copy and paste, screen readers) as it was written.
package pdfcanvas

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	pdf "codeberg.org/go-pdf/fpdf"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// dpi is the nominal resolution of drawing in PDF: one unit is one point.
const dpi = 72

// Canvas implements vg.Canvas by drawing to a one-page PDF document with its fonts
// embedded. Drawing errors (a font the PDF library cannot read) are kept and returned by
// WriteTo.
type Canvas struct {
	doc       *pdf.Fpdf
	w, h      vg.Length
	numImages int
	stack     []context
	fonts     map[string]bool // font names already added to doc
	err       error
}

type context struct {
	width vg.Length
}

// New returns a w x h PDF canvas.
func New(w, h vg.Length) *Canvas {
	cfg := pdf.InitType{UnitStr: "pt", Size: pdf.SizeType{Wd: w.Points(), Ht: h.Points()}}
	c := &Canvas{doc: pdf.NewCustom(&cfg), w: w, h: h, stack: make([]context, 1), fonts: map[string]bool{}}
	c.doc.SetCompression(true)
	c.doc.SetMargins(0, 0, 0)
	c.doc.SetAutoPageBreak(false, 0)
	c.doc.AddPage()
	c.Push()
	c.Translate(vg.Point{X: 0, Y: c.h})
	c.Scale(1, -1)
	vg.Initialize(c)
	return c
}

// SetDate stamps the document's creation and modification dates (the time of writing by
// default), so the same drawing gives the same bytes.
func (c *Canvas) SetDate(t time.Time) {
	c.doc.SetCreationDate(t)
	c.doc.SetModificationDate(t)
}

// DPI implements vg.Canvas.
func (c *Canvas) DPI() float64 { return dpi }

// Size implements vg.CanvasSizer.
func (c *Canvas) Size() (w, h vg.Length) { return c.w, c.h }

func (c *Canvas) context() *context { return &c.stack[len(c.stack)-1] }

// SetLineWidth implements vg.Canvas.
func (c *Canvas) SetLineWidth(w vg.Length) {
	c.context().width = w
	c.doc.SetLineWidth(c.unit(w))
}

// SetLineDash implements vg.Canvas.
func (c *Canvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = c.unit(d)
	}
	c.doc.SetDashPattern(ds, c.unit(offs))
}

// SetColor implements vg.Canvas: the straight RGB of clr as the stroke, fill and text
// color, and its alpha as the constant opacity of what follows.
func (c *Canvas) SetColor(clr color.Color) {
	r, g, b, a := Straight(clr)
	c.doc.SetFillColor(r, g, b)
	c.doc.SetDrawColor(r, g, b)
	c.doc.SetTextColor(r, g, b)
	c.doc.SetAlpha(a, "Normal")
}

// Straight returns the non-premultiplied 8-bit RGB of clr and its alpha in [0, 1] (black
// for nil). color.Color.RGBA returns premultiplied values, which a PDF color must not be.
func Straight(clr color.Color) (r, g, b int, a float64) {
	if clr == nil {
		clr = color.Black
	}
	n := color.NRGBAModel.Convert(clr).(color.NRGBA)
	return int(n.R), int(n.G), int(n.B), float64(n.A) / 255
}

// Rotate implements vg.Canvas.
func (c *Canvas) Rotate(r float64) { c.doc.TransformRotate(-r*180/math.Pi, 0, 0) }

// Translate implements vg.Canvas.
func (c *Canvas) Translate(pt vg.Point) {
	c.doc.TransformTranslate(c.unit(pt.X), c.unit(pt.Y))
}

// Scale implements vg.Canvas.
func (c *Canvas) Scale(x, y float64) { c.doc.TransformScale(x*100, y*100, 0, 0) }

// Push implements vg.Canvas.
func (c *Canvas) Push() {
	c.stack = append(c.stack, *c.context())
	c.doc.TransformBegin()
}

// Pop implements vg.Canvas.
func (c *Canvas) Pop() {
	c.doc.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
}

// Stroke implements vg.Canvas.
func (c *Canvas) Stroke(p vg.Path) {
	if c.context().width > 0 {
		c.path(p, "D")
	}
}

// Fill implements vg.Canvas.
func (c *Canvas) Fill(p vg.Path) { c.path(p, "F") }

// FillString implements vg.Canvas: str (UTF-8) in face fnt with its baseline-left at pt.
func (c *Canvas) FillString(fnt font.Face, pt vg.Point, str string) {
	if fnt.Font.Size == 0 || c.err != nil {
		return
	}
	name := fnt.Name()
	if !c.fonts[name] {
		var raw bytes.Buffer
		if _, err := fnt.Face.WriteSourceTo(nil, &raw); err != nil {
			c.err = fmt.Errorf("pdf: read font %s: %w", name, err)
			return
		}
		c.doc.AddUTF8FontFromBytes(name, "", raw.Bytes())
		c.fonts[name] = true
	}
	c.doc.SetFont(name, "", c.unit(fnt.Font.Size))
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	c.Scale(1, -1) // fpdf's text runs top-down
	c.doc.Text(0, 0, str)
}

// DrawImage implements vg.Canvas.
func (c *Canvas) DrawImage(rect vg.Rectangle, img image.Image) {
	if c.err != nil {
		return
	}
	opts := pdf.ImageOptions{ImageType: "png", ReadDpi: true}
	c.numImages++
	name := fmt.Sprintf("image_%03d.png", c.numImages)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.err = fmt.Errorf("pdf: encode image: %w", err)
		return
	}
	c.doc.RegisterImageOptionsReader(name, opts, &buf)
	size := rect.Size()
	c.doc.ImageOptions(name, c.unit(rect.Min.X), c.unit(rect.Min.Y), c.unit(size.X), c.unit(size.Y), false, opts, 0, "")
}

// path appends p to the page and paints it with style ("D" stroke, "F" fill).
func (c *Canvas) path(path vg.Path, style string) {
	var x0, y0 float64
	for i, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = c.point(comp.Pos)
			c.doc.MoveTo(x0, y0)
		case vg.LineComp:
			c.doc.LineTo(c.point(comp.Pos))
		case vg.ArcComp:
			c.arc(comp, i == 0)
			if i == 0 {
				x0, y0 = c.point(vg.Point{X: comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start)), Y: comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))})
			}
		case vg.CurveComp:
			px, py := c.point(comp.Pos)
			switch len(comp.Control) {
			case 1:
				cx, cy := c.point(comp.Control[0])
				c.doc.CurveTo(cx, cy, px, py)
			case 2:
				cx, cy := c.point(comp.Control[0])
				dx, dy := c.point(comp.Control[1])
				c.doc.CurveBezierCubicTo(cx, cy, dx, dy, px, py)
			}
		case vg.CloseComp:
			c.doc.LineTo(x0, y0)
			c.doc.ClosePath()
		}
	}
	c.doc.DrawPath(style)
}

// arc appends comp, a circular arc, to the current path as cubic Bézier segments of at
// most 90° each, starting with a line from the current point (a move when it starts the
// path). vgpdf used fpdf's Arc, which paints the arc as a path of its own, so a glyph's
// circle and the rest of its path came apart and stray strokes appeared.
func (c *Canvas) arc(comp vg.PathComp, first bool) {
	r := float64(comp.Radius)
	cx, cy := float64(comp.Pos.X), float64(comp.Pos.Y)
	at := func(t float64) (float64, float64) {
		return c.unit(vg.Length(cx + r*math.Cos(t))), c.unit(vg.Length(cy + r*math.Sin(t)))
	}
	x0, y0 := at(comp.Start)
	if first {
		c.doc.MoveTo(x0, y0)
	} else {
		c.doc.LineTo(x0, y0)
	}
	n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
	if n == 0 {
		return
	}
	step := comp.Angle / float64(n)
	k := 4.0 / 3 * math.Tan(step/4) * r // control-point distance for a segment of angle step
	for i := 0; i < n; i++ {
		t0, t1 := comp.Start+float64(i)*step, comp.Start+float64(i+1)*step
		c1x, c1y := c.unit(vg.Length(cx+r*math.Cos(t0)-k*math.Sin(t0))), c.unit(vg.Length(cy+r*math.Sin(t0)+k*math.Cos(t0)))
		c2x, c2y := c.unit(vg.Length(cx+r*math.Cos(t1)+k*math.Sin(t1))), c.unit(vg.Length(cy+r*math.Sin(t1)-k*math.Cos(t1)))
		x, y := at(t1)
		c.doc.CurveBezierCubicTo(c1x, c1y, c2x, c2y, x, y)
	}
}

func (c *Canvas) point(pt vg.Point) (float64, float64) { return c.unit(pt.X), c.unit(pt.Y) }

func (c *Canvas) unit(l vg.Length) float64 { return l.Dots(dpi) }

// WriteTo writes the PDF to w. The canvas may not be drawn on afterwards.
func (c *Canvas) WriteTo(w io.Writer) (int64, error) {
	if c.err != nil {
		return 0, c.err
	}
	c.Pop()
	c.doc.Close()
	wc := &counter{w: w}
	b := bufio.NewWriter(wc)
	if err := c.doc.Output(b); err != nil {
		return wc.n, fmt.Errorf("pdf: %w", err)
	}
	err := b.Flush()
	return wc.n, err
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
