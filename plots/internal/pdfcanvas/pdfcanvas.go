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
//
// It also writes a graphics-state operator only when its value changes, and writes paths
// itself, with fpdf's numbers without fpdf's trailing zeros: see Canvas.
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
	"slices"
	"strconv"
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
//
// The canvas writes a graphics-state operator (color, opacity, line width, dash) only
// before something is painted with it and only when its value differs from the one in
// force (gonum's draw.Canvas sets the color before every glyph), and writes paths itself,
// with the numbers fpdf wrote but without its trailing zeros. A scatter of translucent
// dots is written in half the CPU time of writing every operator, and renders pixel for
// pixel as before (see docs/figures.md).
type Canvas struct {
	doc       *pdf.Fpdf
	w, h      vg.Length
	k, pageH  float64 // fpdf's user unit in points and its page height, in user units
	numImages int
	stack     []context
	fonts     map[string]bool // font names already added to doc
	err       error
	buf       []byte       // the operators of the path being written, reused
	rd        bytes.Reader // hands buf to fpdf
}

// context is what Push saves and Pop restores. Push writes q and Pop Q, which save and
// restore the PDF's graphics state, so the state in force (have) is kept here too.
type context struct {
	width vg.Length // the line width asked for: a path of width 0 is not stroked
	want  gstate    // the state asked for by SetColor, SetLineWidth and SetLineDash
	have  gstate    // the state in force in the PDF's current graphics state
}

// gstate is the part of the PDF graphics state the canvas sets. The canvas never calls
// fpdf's color setters: fpdf's Text wraps text in its own q and color when its text
// color differs from its fill color, so both stay at fpdf's black and the canvas writes
// the fill color that text is painted with itself.
type gstate struct {
	fill, stroke rgb
	alpha        float64   // constant opacity of fills and strokes
	width        float64   // line width in user units, NaN when unknown
	dash         []float64 // dash lengths in user units, never changed in place
	offs         float64   // dash phase
}

// rgb is a straight (non-premultiplied) 8-bit color.
type rgb [3]int

// New returns a w x h PDF canvas.
func New(w, h vg.Length) *Canvas {
	cfg := pdf.InitType{UnitStr: "pt", Size: pdf.SizeType{Wd: w.Points(), Ht: h.Points()}}
	c := &Canvas{doc: pdf.NewCustom(&cfg), w: w, h: h, stack: make([]context, 1), fonts: map[string]bool{}}
	c.doc.SetCompression(true)
	c.doc.SetMargins(0, 0, 0)
	c.doc.SetAutoPageBreak(false, 0)
	c.doc.AddPage()
	c.k = c.doc.GetConversionRatio()
	_, c.pageH = c.doc.GetPageSize()
	// What a new page has in force: PDF's black, full opacity and solid lines (fpdf
	// writes black again and a line width of its own, left unknown here).
	c.stack[0].have = gstate{alpha: 1, width: math.NaN()}
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
	c.context().want.width = c.unit(w)
}

// SetLineDash implements vg.Canvas.
func (c *Canvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = c.unit(d)
	}
	c.context().want.dash, c.context().want.offs = ds, c.unit(offs)
}

// SetColor implements vg.Canvas: the straight RGB of clr as the stroke, fill and text
// color, and its alpha as the constant opacity of what follows.
func (c *Canvas) SetColor(clr color.Color) {
	r, g, b, a := Straight(clr)
	want := &c.context().want
	want.fill, want.stroke, want.alpha = rgb{r, g, b}, rgb{r, g, b}, a
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
		c.useAlpha()
		c.path(c.strokeState(c.buf[:0]), p, false)
	}
}

// Fill implements vg.Canvas.
func (c *Canvas) Fill(p vg.Path) {
	c.useAlpha()
	c.path(c.fillColor(c.buf[:0]), p, true)
}

// useAlpha writes the opacity asked for when it is not in force. fpdf keeps the
// ExtGState resources, so it writes the operator.
func (c *Canvas) useAlpha() {
	ctx := c.context()
	if ctx.have.alpha != ctx.want.alpha {
		c.doc.SetAlpha(ctx.want.alpha, "Normal")
		ctx.have.alpha = ctx.want.alpha
	}
}

// fillColor appends the fill color operator to b when the color asked for is not in force.
func (c *Canvas) fillColor(b []byte) []byte {
	ctx := c.context()
	if ctx.have.fill != ctx.want.fill {
		b = appendColor(b, ctx.want.fill, "g\n", "rg\n")
		ctx.have.fill = ctx.want.fill
	}
	return b
}

// strokeState appends the stroke color, line width and dash operators not in force to b.
func (c *Canvas) strokeState(b []byte) []byte {
	ctx := c.context()
	want, have := &ctx.want, &ctx.have
	if have.stroke != want.stroke {
		b = appendColor(b, want.stroke, "G\n", "RG\n")
		have.stroke = want.stroke
	}
	if have.width != want.width {
		// fpdf's SetLineWidth format
		b = strconv.AppendFloat(b, want.width*c.k, 'f', 2, 64)
		b = append(b, " w\n"...)
		have.width = want.width
	}
	if !slices.Equal(have.dash, want.dash) || have.offs != want.offs {
		// fpdf's SetDashPattern format
		b = append(b, '[')
		for i, d := range want.dash {
			if i > 0 {
				b = append(b, ' ')
			}
			b = strconv.AppendFloat(b, d*c.k, 'f', 2, 64)
		}
		b = append(b, "] "...)
		b = strconv.AppendFloat(b, want.offs*c.k, 'f', 2, 64)
		b = append(b, " d\n"...)
		have.dash, have.offs = want.dash, want.offs
	}
	return b
}

// appendColor appends a color operator as fpdf writes it: a gray as "v g", else "r g b rg",
// each component to three decimals of its fraction of 255.
func appendColor(b []byte, clr rgb, gray, full string) []byte {
	if clr[0] == clr[1] && clr[1] == clr[2] {
		b = strconv.AppendFloat(b, float64(clr[0])/255, 'f', 3, 64)
		b = append(b, ' ')
		return append(b, gray...)
	}
	for _, v := range clr {
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
		b = append(b, ' ')
	}
	return append(b, full...)
}

// emit hands b, whole operators each ending in a newline, to the page.
func (c *Canvas) emit(b []byte) {
	if len(b) == 0 {
		return
	}
	c.buf = b                // keep the grown buffer for the next path
	c.rd.Reset(b[:len(b)-1]) // fpdf ends what it is given with a newline
	c.doc.RawWriteBuf(&c.rd)
}

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
	// Text is painted with the fill color and opacity: set them outside the q below, so
	// they stay in force for what follows.
	c.useAlpha()
	c.emit(c.fillColor(c.buf[:0]))
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
	c.useAlpha() // an image is painted with the opacity of the color set last, as before
	size := rect.Size()
	c.doc.ImageOptions(name, c.unit(rect.Min.X), c.unit(rect.Min.Y), c.unit(size.X), c.unit(size.Y), false, opts, 0, "")
}

// path appends p to b, which holds the state operators it needs, paints it (fill, else
// stroke) and writes b to the page. It writes the segments fpdf's path methods wrote, with
// the same numbers: a path that looks redundant still renders differently in some
// viewers (poppler paints a zero-height bar, m A l A l B l B l A h f, as nothing, and
// m A l B h f as a hairline), so nothing is left out.
func (c *Canvas) path(b []byte, path vg.Path, fill bool) {
	var start vg.Point // the subpath's start
	for i, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			b = c.appendPoint(b, comp.Pos, lineDecimals, " m\n")
			start = comp.Pos
		case vg.LineComp:
			b = c.appendPoint(b, comp.Pos, lineDecimals, " l\n")
		case vg.ArcComp:
			b = c.arc(b, comp, i == 0)
			if i == 0 {
				start = arcStart(comp)
			}
		case vg.CurveComp:
			switch len(comp.Control) {
			case 1:
				// fpdf's CurveTo: the control point as the second of a cubic whose first
				// is the current point
				b = c.appendPoint(b, comp.Control[0], curveDecimals, " ")
				b = c.appendPoint(b, comp.Pos, curveDecimals, " v\n")
			case 2:
				b = c.appendPoint(b, comp.Control[0], curveDecimals, " ")
				b = c.appendPoint(b, comp.Control[1], curveDecimals, " ")
				b = c.appendPoint(b, comp.Pos, curveDecimals, " c\n")
			}
		case vg.CloseComp:
			b = c.appendPoint(b, start, lineDecimals, " l\nh\n")
		}
	}
	if fill {
		b = append(b, "f\n"...)
	} else {
		b = append(b, "S\n"...)
	}
	c.emit(b)
}

// Path coordinates are written as fpdf writes them: to 1/100 point (1/7200 inch) on lines
// and moves, and to 1/100,000 point on the control and end points of curves. Rounding
// curves coarser moves the edges of dots by a sub-sample of a rasterizer's anti-aliasing.
const (
	lineDecimals  = 2
	curveDecimals = 5
)

// arcStart is where the arc comp starts.
func arcStart(comp vg.PathComp) vg.Point {
	r, cx, cy := float64(comp.Radius), float64(comp.Pos.X), float64(comp.Pos.Y)
	return vg.Point{X: vg.Length(cx + r*math.Cos(comp.Start)), Y: vg.Length(cy + r*math.Sin(comp.Start))}
}

// arc appends comp, a circular arc, to b as cubic Bézier segments of at most 90° each,
// starting with a line from the current point (a move when it starts the path). vgpdf
// used fpdf's Arc, which paints the arc as a path of its own, so a glyph's circle and the
// rest of its path came apart and stray strokes appeared.
func (c *Canvas) arc(b []byte, comp vg.PathComp, first bool) []byte {
	if first {
		b = c.appendPoint(b, arcStart(comp), lineDecimals, " m\n")
	} else {
		b = c.appendPoint(b, arcStart(comp), lineDecimals, " l\n")
	}
	n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
	if n == 0 {
		return b
	}
	r, cx, cy := float64(comp.Radius), float64(comp.Pos.X), float64(comp.Pos.Y)
	step := comp.Angle / float64(n)
	k := 4.0 / 3 * math.Tan(step/4) * r // control-point distance for a segment of angle step
	sin0, cos0 := math.Sincos(comp.Start)
	for i := 0; i < n; i++ {
		// a segment starts at the angle the one before ends at, computed alike
		sin1, cos1 := math.Sincos(comp.Start + float64(i+1)*step)
		c1 := vg.Point{X: vg.Length(cx + r*cos0 - k*sin0), Y: vg.Length(cy + r*sin0 + k*cos0)}
		c2 := vg.Point{X: vg.Length(cx + r*cos1 + k*sin1), Y: vg.Length(cy + r*sin1 - k*cos1)}
		end := vg.Point{X: vg.Length(cx + r*cos1), Y: vg.Length(cy + r*sin1)}
		b = c.appendPoint(b, c1, curveDecimals, " ")
		b = c.appendPoint(b, c2, curveDecimals, " ")
		b = c.appendPoint(b, end, curveDecimals, " c\n")
		sin0, cos0 = sin1, cos1
	}
	return b
}

// appendPoint appends pt's page coordinates to decimals decimals and then op to b.
func (c *Canvas) appendPoint(b []byte, pt vg.Point, decimals int, op string) []byte {
	x, y := c.pageXY(pt)
	b = appendFixed(b, x, decimals)
	b = append(b, ' ')
	b = appendFixed(b, y, decimals)
	return append(b, op...)
}

// pageXY is pt in the page's coordinates, as fpdf maps user units: y runs down from the
// top of the page.
func (c *Canvas) pageXY(pt vg.Point) (x, y float64) {
	return c.unit(pt.X) * c.k, (c.pageH - c.unit(pt.Y)) * c.k
}

const maxDecimals = 5

var (
	pow10  = [...]float64{1, 10, 100, 1000, 10000, 100000}
	pow10i = [...]int64{1, 10, 100, 1000, 10000, 100000}
)

// appendFixed appends v to at most decimals (0 to 5) decimals as the number that
// strconv.FormatFloat(v, 'f', decimals, 64) writes, fpdf's form, but without trailing
// zeros or a trailing point and without the sign of a zero: 1.5 for 1.50, 2 for 2.00, 0
// for -0.00.
//
// It scales and rounds in float64, which agrees with strconv's correctly rounded decimal
// digits except near a tie, where a rounding error of the product can fall on either side
// of it: there, and for NaN, the infinities and values too large to scale exactly
// (|v| * 10^decimals >= 2^40), it asks strconv.
func appendFixed(b []byte, v float64, decimals int) []byte {
	n, ok := fixed(v, decimals)
	if !ok {
		return trimZeros(strconv.AppendFloat(b, v, 'f', decimals, 64), len(b))
	}
	return appendScaled(b, n, decimals)
}

// fixed returns v rounded to decimals decimals as appendFixed writes it, in units of
// 10^-decimals, and false when appendFixed leaves v to strconv.
func fixed(v float64, decimals int) (int64, bool) {
	s := v * pow10[decimals]
	a := math.Abs(s)
	if !(a < 1<<40) {
		return 0, false
	}
	if frac := a - math.Floor(a); math.Abs(frac-0.5) >= 1e-3 {
		// The product's error, at most half an ulp of 2^40 (2^-13), cannot cross the tie.
		return int64(math.Round(s)), true
	}
	var n int64
	var tmp [24]byte
	for _, d := range strconv.AppendFloat(tmp[:0], math.Abs(v), 'f', decimals, 64) {
		if d != '.' {
			n = 10*n + int64(d-'0')
		}
	}
	if s < 0 {
		n = -n
	}
	return n, true
}

// appendScaled appends n / 10^decimals without trailing zeros, in one append of digits
// written from the right.
func appendScaled(b []byte, n int64, decimals int) []byte {
	var digits [24]byte // 2^63 has 19 digits
	i := len(digits)
	m := uint64(n)
	if n < 0 {
		m = uint64(-n)
	}
	if decimals > 0 {
		unit := uint64(pow10i[decimals])
		frac := m % unit
		m /= unit
		if frac != 0 {
			k := decimals
			for frac%10 == 0 {
				frac /= 10
				k--
			}
			for ; k > 0; k-- {
				i--
				digits[i] = byte('0' + frac%10)
				frac /= 10
			}
			i--
			digits[i] = '.'
		}
	}
	for {
		i--
		digits[i] = byte('0' + m%10)
		if m /= 10; m == 0 {
			break
		}
	}
	if n < 0 {
		i--
		digits[i] = '-'
	}
	return append(b, digits[i:]...)
}

// trimZeros removes the trailing zeros of the decimal fraction of the number in b[from:],
// and the point when no decimal is left.
func trimZeros(b []byte, from int) []byte {
	if bytes.IndexByte(b[from:], '.') < 0 {
		return b
	}
	b = bytes.TrimRight(b, "0")
	return bytes.TrimSuffix(b, []byte("."))
}

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
