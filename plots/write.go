package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"git.sr.ht/~sbinet/gg"
	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/plots/internal/pdfcanvas"
	"golang.org/x/sync/errgroup"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Formats are the file formats WriteAll can write.
var Formats = []string{"png", "pdf", "svg"}

// DefaultFormats are written when Options.Formats is empty.
var DefaultFormats = []string{"png", "pdf"}

// Options choose the files WriteAll writes. The zero value writes PNG and PDF at each
// figure's natural size (ColumnWidth or PageWidth wide).
type Options struct {
	Formats []string  // subset of Formats; DefaultFormats when empty
	Width   vg.Length // every figure's width; its natural width when 0
	Height  vg.Length // every figure's height; its natural height when 0

	// Date stamps the PDFs' creation and modification dates, so redrawing gives the same
	// files; the time of drawing when zero. WriteAll uses Input.Created when Date is zero.
	Date time.Time
}

// Validate checks the options, naming the bad value and what is allowed.
func (o Options) Validate() error {
	for _, f := range o.Formats {
		if !slices.Contains(Formats, f) {
			return fmt.Errorf("figure format %q: allowed are %s", f, strings.Join(Formats, ", "))
		}
	}
	if o.Width < 0 || o.Height < 0 || math.IsNaN(float64(o.Width)) || math.IsNaN(float64(o.Height)) {
		return fmt.Errorf("figure size %v x %v: width and height must be positive", o.Width, o.Height)
	}
	if (o.Width > 0 && o.Width < vg.Inch) || (o.Height > 0 && o.Height < vg.Inch) || o.Width > 40*vg.Inch || o.Height > 40*vg.Inch {
		return fmt.Errorf("figure size %s x %s in: allowed are 1 to 40 inches (0 for the natural size)", inches(o.Width), inches(o.Height))
	}
	return nil
}

// inches formats a length in inches briefly, however large ("1e+300", not 300 digits).
func inches(l vg.Length) string {
	return strconv.FormatFloat(float64(l/vg.Inch), 'g', 4, 64)
}

// WriteAll renders every figure of the set from in into dir (created if needed) in each
// format, and returns the files written in order. Each file is written to a temporary name
// and renamed, so a figure on disk is always whole.
func WriteAll(in *Input, dir string, opt Options) ([]string, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if opt.Date.IsZero() {
		opt.Date = in.Created
	}
	names, figs := figureSetOf(in)
	return writeFiguresBy(runtime.GOMAXPROCS(0), dir, opt, names, figs, drawOrder(figureSet, slowFigures))
}

// drawOrder returns the order in which to start drawing the figures of set: those named
// in slow first, then the others in set order.
func drawOrder(set []figureSpec, slow []string) []int {
	var first, rest []int
	for i, spec := range set {
		if slices.Contains(slow, spec.name) {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	return append(first, rest...)
}

// figureSetOf returns the names of the figure set and the functions that build them from in.
func figureSetOf(in *Input) (names []string, figs []func() *figure) {
	for _, spec := range figureSet {
		names = append(names, spec.name)
		figs = append(figs, func() *figure { return spec.build(in) })
	}
	return names, figs
}

// writeFigures builds each figure and writes it as names[i] in every format of opt, up to
// GOMAXPROCS figures at a time. Figures share nothing they change (each draws on its own
// canvases), so the files are the same as drawn one after another; the files are returned
// in figure order, and of several failing figures the first in that order is reported.
func writeFigures(dir string, opt Options, names []string, figs []func() *figure) ([]string, error) {
	return writeFiguresBy(runtime.GOMAXPROCS(0), dir, opt, names, figs, nil)
}

// writeFiguresBy is writeFigures drawing up to workers figures at a time, starting them in
// order (a permutation of their indices; nil for figure order), so that the longest can
// start first; the files are returned in figure order all the same.
func writeFiguresBy(workers int, dir string, opt Options, names []string, figs []func() *figure, order []int) ([]string, error) {
	if order == nil {
		order = make([]int, len(figs))
		for i := range order {
			order[i] = i
		}
	}
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	formats := opt.Formats
	if len(formats) == 0 {
		formats = DefaultFormats
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create figure directory: %w", err)
	}
	files := make([][]string, len(figs)) // files[i]: those of figure i written
	errs := make([]error, len(figs))
	var g errgroup.Group
	g.SetLimit(max(workers, 1))
	for _, i := range order {
		g.Go(func() error {
			files[i], errs[i] = writeFormats(dir, opt, names[i], figs[i], formats)
			return nil
		})
	}
	g.Wait()
	var written []string
	for i := range figs {
		written = append(written, files[i]...)
		if errs[i] != nil {
			return written, errs[i]
		}
	}
	return written, nil
}

// writeFormats builds one figure and writes it as name in each format, and returns the
// files written before any error.
func writeFormats(dir string, opt Options, name string, build func() *figure, formats []string) (files []string, err error) {
	defer func() {
		// A panic in a drawing goroutine would end the program; it is this figure's error.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure %s: cannot build: %v", name, r)
		}
	}()
	fig := build()
	w, h := fig.width, fig.height
	if opt.Width > 0 {
		w, h = opt.Width, fig.heightAt(opt.Width)
	}
	if opt.Height > 0 {
		h = opt.Height
	}
	for _, format := range formats {
		path := filepath.Join(dir, name+"."+format)
		if err := writeFigure(path, fig, format, w, h, opt.Date); err != nil {
			return files, fmt.Errorf("figure %s: %w", path, err)
		}
		files = append(files, path)
	}
	return files, nil
}

// check reports the first band series or metric column the figures need and in lacks.
func (in *Input) check() error {
	if len(in.Policies) == 0 {
		return fmt.Errorf("no policies to draw")
	}
	for _, pol := range in.Policies {
		for _, s := range []string{SeriesBasis, SeriesCBHolding} {
			if len(in.Bands[pol][s]) == 0 {
				return fmt.Errorf("bands hold no series %q for policy %q", s, pol)
			}
		}
		for _, c := range MetricColumns {
			if _, ok := in.Metrics[pol][c]; !ok {
				return fmt.Errorf("per-path metrics lack column %q for policy %q", c, pol)
			}
		}
	}
	return nil
}

// Canvas is a figure canvas of one format that writes itself out.
type Canvas interface {
	vg.CanvasSizer
	io.WriterTo
}

// NewCanvas returns a w x h canvas for format (one of Formats) in the house rendering:
// PNG at PNGDPI; PDF through our adaptation of gonum's PDF canvas, with real transparency
// and UTF-8 fonts embedded; SVG with text as glyph outlines, so no font is needed to view
// it (see docs/figures.md). Any figure written in these formats should draw on it.
func NewCanvas(format string, w, h vg.Length) (Canvas, error) {
	switch format {
	case "png":
		if !(w > 0 && h > 0) {
			return nil, fmt.Errorf("figure size %s x %s in: width and height must be positive", inches(w), inches(h))
		}
		return newFastPNG(w, h), nil
	case "pdf":
		return pdfcanvas.New(w, h), nil // gonum's vgpdf mangles translucent colors and non-ASCII text
	case "svg":
		return outlinedSVG{vgsvg.New(w, h)}, nil // text as outlines: no font needed to view
	}
	return nil, fmt.Errorf("figure format %q: allowed are %s", format, strings.Join(Formats, ", "))
}

// fastPNG is gonum's image canvas written as a PNG by encodePNG: unfiltered rows at the
// fastest deflate level. vgimg.PngCanvas's default level spent about a quarter of the
// figures' time compressing, and image/png's per-row filter search more than half of what
// was left. The pixels are the same.
//
// It also knows whether anything was drawn on it: until then it is all white (vgimg fills
// a new canvas with its white background), and a figure skips painting its white page
// over it, which cost as much as the rest of a figure's filling. The pixels are the same.
//
// Its image is not copied when it is made: vgimg.NewWith(UseWH(w, h), ...) has gg copy a
// new blank image into another (a tenth of the figures' CPU, in allocating and clearing
// memory), so newFastPNG makes the image and gg's context on it itself, as NewWith
// would, and keeps the size it was asked for (vgimg would take the size from the image,
// rounded to whole pixels, and lay the figure out differently). The pixels are the same.
type fastPNG struct {
	*vgimg.Canvas
	ctx   *gg.Context // the canvas's gg context, drawing on its image
	w, h  vg.Length   // the canvas's size, as asked for
	drawn bool        // something was drawn since the white background
	// The graphics state its text needs (pngtext.go), and the states Push saved.
	state pngState
	saved []pngState
	// The coverages of the dots drawn, by radius (pngdots.go).
	dots map[vg.Length]*discMasks
}

// discs returns the coverages of the canvas's dots of radius r.
func (c *fastPNG) discs(r vg.Length) *discMasks {
	d := c.dots[r]
	if d == nil {
		if c.dots == nil {
			c.dots = map[vg.Length]*discMasks{}
		}
		d = newDiscMasks(r.Dots(c.DPI()))
		c.dots[r] = d
	}
	return d
}

// newFastPNG returns a new white w x h PNG canvas at PNGDPI, drawing as
// vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI)) would.
func newFastPNG(w, h vg.Length) *fastPNG {
	// The image as NewWith sizes it, and the context as NewWith prepares it; NewWith then
	// fills the image with its white background.
	pw, ph := w/vg.Inch*vg.Length(PNGDPI), h/vg.Inch*vg.Length(PNGDPI)
	img := newWhiteable(image.Rect(0, 0, int(pw+0.5), int(ph+0.5)))
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	return &fastPNG{
		Canvas: vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(PNGDPI)),
		ctx:    ctx,
		w:      w,
		h:      h,
		state:  pngState{color: color.Black},
	}
}

// pixels holds the pixel buffers of PNG canvases written out (*[]byte), for new canvases
// to draw on: a new buffer's every page is faulted in and cleared by the kernel as the
// white background is painted, and the next garbage collection comes sooner.
var pixels sync.Pool

// newWhiteable returns an RGBA image of bounds r whose pixels are about to be all painted
// over (as NewWith paints its background), on a pixel buffer of a canvas written out if
// one is large enough. Its pixels are not cleared.
func newWhiteable(r image.Rectangle) *image.RGBA {
	n := 4 * r.Dx() * r.Dy()
	var pix []byte
	if p, ok := pixels.Get().(*[]byte); ok && cap(*p) >= n {
		pix = (*p)[:n]
	} else {
		pix = make([]byte, n)
	}
	return &image.RGBA{Pix: pix, Stride: 4 * r.Dx(), Rect: r}
}

// release gives the canvas's pixel buffer to the next canvases; c is not to be used again.
func (c *fastPNG) release() {
	if img, ok := c.Image().(*image.RGBA); ok {
		pix := img.Pix
		pixels.Put(&pix)
	}
	c.Canvas, c.ctx = nil, nil
}

// Size returns the canvas's size, as asked for.
func (c *fastPNG) Size() (w, h vg.Length) { return c.w, c.h }

// blankWhite reports whether c is a fastPNG still all white.
func blankWhite(c vg.Canvas) bool {
	p, ok := c.(*fastPNG)
	return ok && !p.drawn
}

// Stroke strokes path on the canvas.
func (c *fastPNG) Stroke(path vg.Path) { c.drawn = true; c.Canvas.Stroke(path) }

// Fill fills path on the canvas: a scatter's dot (of at most maxDiscPixels radius), where
// the canvas is not transformed, by its discMasks (pngdots.go), anything else through
// gonum's canvas.
func (c *fastPNG) Fill(path vg.Path) {
	c.drawn = true
	dpi := c.DPI()
	if centre, radius, ok := discOf(path); ok && !c.state.transformed && radius.Dots(dpi) <= maxDiscPixels {
		if img, ok := c.Image().(*image.RGBA); ok {
			x, y := c.ctx.TransformPoint(centre.X.Dots(dpi), centre.Y.Dots(dpi))
			c.discs(radius).fill(img, x, y, c.state.color)
			return
		}
	}
	c.Canvas.Fill(path)
}

// DrawImage draws img on the canvas in rect.
func (c *fastPNG) DrawImage(rect vg.Rectangle, img image.Image) {
	c.drawn = true
	c.Canvas.DrawImage(rect, img)
}

// WriteTo writes the canvas's image as a PNG.
func (c *fastPNG) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if err := encodePNG(&buf, c.Image()); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}

// writeFigure draws fig at w x h in format and writes it atomically to path; a PDF is
// dated date (when not zero).
func writeFigure(path string, fig *figure, format string, w, h vg.Length, date time.Time) (err error) {
	c, err := NewCanvas(format, w, h)
	if err != nil {
		return err
	}
	if pc, ok := c.(*pdfcanvas.Canvas); ok && !date.IsZero() {
		pc.SetDate(date)
	}
	defer func() {
		// The plotting library panics on data it cannot draw (a log axis over an empty
		// range, say); that is an error in this figure, not a crash of the run.
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot draw: %v", r)
		}
	}()
	if p, ok := c.(*fastPNG); ok {
		defer p.release() // once drawn and written, or failed
	}
	fig.draw(draw.New(c))
	return atomicfile.Write(path, func(f *os.File) error {
		_, err := c.WriteTo(f)
		return err
	})
}
