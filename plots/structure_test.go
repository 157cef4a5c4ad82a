package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// recorder is a vg.Canvas that draws nothing but records, in page coordinates, the box of
// every string and the colors it fills and strokes with.
type recorder struct {
	w, h   vg.Length
	stack  []affine
	color  color.NRGBA
	texts  []placedText
	colors map[color.NRGBA]bool
}

// affine maps (x, y) to (a x + c y + e, b x + d y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) then(n affine) affine { // m applied after n: m ∘ n
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

type placedText struct {
	s                      string
	minX, minY, maxX, maxY float64
	ink                    [4]float64 // minX, minY, maxX, maxY of the box from the descent to the cap height
}

func newRecorder(w, h vg.Length) *recorder {
	return &recorder{w: w, h: h, stack: []affine{{a: 1, d: 1}}, colors: map[color.NRGBA]bool{}}
}

// drawnAt draws f at width w, and the height it takes there, into a recorder.
func drawnAt(f *figure, w vg.Length) *recorder {
	rec := newRecorder(w, f.heightAt(w))
	f.draw(draw.New(rec))
	return rec
}

func (r *recorder) top() *affine                       { return &r.stack[len(r.stack)-1] }
func (r *recorder) SetLineWidth(vg.Length)             {}
func (r *recorder) SetLineDash([]vg.Length, vg.Length) {}
func (r *recorder) SetColor(c color.Color) {
	if c == nil {
		c = color.Black
	}
	r.color = color.NRGBAModel.Convert(c).(color.NRGBA)
}
func (r *recorder) Rotate(t float64) {
	s, c := math.Sincos(t)
	*r.top() = r.top().then(affine{a: c, b: s, c: -s, d: c})
}
func (r *recorder) Translate(p vg.Point) {
	*r.top() = r.top().then(affine{a: 1, d: 1, e: float64(p.X), f: float64(p.Y)})
}
func (r *recorder) Scale(x, y float64)                  { *r.top() = r.top().then(affine{a: x, d: y}) }
func (r *recorder) Push()                               { r.stack = append(r.stack, *r.top()) }
func (r *recorder) Pop()                                { r.stack = r.stack[:len(r.stack)-1] }
func (r *recorder) Stroke(vg.Path)                      { r.colors[r.color] = true }
func (r *recorder) Fill(vg.Path)                        { r.colors[r.color] = true }
func (r *recorder) DrawImage(vg.Rectangle, image.Image) {}
func (r *recorder) Size() (vg.Length, vg.Length)        { return r.w, r.h }
func (r *recorder) DPI() float64                        { return 72 }

func (r *recorder) FillString(f font.Face, pt vg.Point, s string) {
	e := f.Extents()
	x0, x1 := float64(pt.X), float64(pt.X+f.Width(s))
	y0, y1 := float64(pt.Y-e.Descent), float64(pt.Y+e.Ascent)
	t := placedText{s: s, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	for _, c := range [][2]float64{{x0, y0}, {x0, y1}, {x1, y0}, {x1, y1}} {
		x, y := r.top().apply(c[0], c[1])
		t.minX, t.maxX = math.Min(t.minX, x), math.Max(t.maxX, x)
		t.minY, t.maxY = math.Min(t.minY, y), math.Max(t.maxY, y)
	}
	// The ink of Latin text stays below the cap height (0.73 em in Liberation Sans, 0.75
	// with round letters' overshoot); the ascent (0.905 em) leaves room for accents.
	t.ink = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	y1 = float64(pt.Y) + 0.75*float64(f.Font.Size)
	for _, c := range [][2]float64{{x0, y0}, {x0, y1}, {x1, y0}, {x1, y1}} {
		x, y := r.top().apply(c[0], c[1])
		t.ink[0], t.ink[2] = math.Min(t.ink[0], x), math.Max(t.ink[2], x)
		t.ink[1], t.ink[3] = math.Min(t.ink[1], y), math.Max(t.ink[3], y)
	}
	r.texts = append(r.texts, t)
}

// figureCase is a figure built from a test input, named for messages.
type figureCase struct {
	name  string
	build func() *figure
}

// allFigures returns every run figure of a 3- and a 6-policy run and every sweep figure of
// a one- and a two-parameter sweep.
func allFigures() []figureCase {
	var out []figureCase
	// The longest titles: bands from a subset of a billion paths, histograms from a sample.
	long := syntheticOf(2000, "none", "srf", "slr", "cap", "spv", "qe")
	long.Paths, long.BandPaths = 1_000_000_000, 1_000_000
	for _, in := range []*Input{synthetic(2000), syntheticOf(2000, "none", "srf", "slr", "cap", "spv", "qe"), long} {
		for _, spec := range figureSet {
			out = append(out, figureCase{fmt.Sprintf("%s (%d policies)", spec.name, len(in.Policies)), func() *figure { return spec.build(in) }})
		}
	}
	for _, in := range []*SweepInput{syntheticSweep([]float64{500, 1000, 1500}), syntheticSweep([]float64{500, 1000, 1500}, []float64{0, 0.5, 1})} {
		for i, name := range SweepNames(len(in.Params)) {
			out = append(out, figureCase{name, func() *figure { return sweepFigures(in)[i] }})
		}
	}
	return out
}

// TestTextStaysOnTheCanvas draws every figure at its natural size and one column wide
// (the narrowest a paper prints; --width 3.5), and checks that every string, titles and
// rotated axis labels included, lies inside the canvas.
func TestTextStaysOnTheCanvas(t *testing.T) {
	const slack = 0.5 // points: anti-aliasing, rounding
	for _, fc := range allFigures() {
		f := fc.build()
		sizes := []struct{ w, h vg.Length }{{f.width, f.height}, {ColumnWidth, f.heightAt(ColumnWidth)}}
		for _, sz := range sizes {
			rec := newRecorder(sz.w, sz.h)
			fc.build().draw(draw.New(rec))
			for _, tx := range rec.texts {
				if tx.minX < -slack || tx.minY < -slack || tx.maxX > float64(sz.w)+slack || tx.maxY > float64(sz.h)+slack {
					t.Errorf("%s at %.2f x %.2f in: %q spans x %.1f to %.1f, y %.1f to %.1f pt, outside %.1f x %.1f",
						fc.name, sz.w/vg.Inch, sz.h/vg.Inch, tx.s, tx.minX, tx.maxX, tx.minY, tx.maxY, float64(sz.w), float64(sz.h))
				}
			}
		}
	}
}

// TestKeyColorsAreSeriesColors checks that every color in a figure's key is drawn in its
// panels: a key swatch in a color no series has (a gray key for colored lines) misleads.
// Opacity aside: a key may show a translucent series opaque. The neutral gray of
// line-style entries ("dashed: mean") is exempt.
func TestKeyColorsAreSeriesColors(t *testing.T) {
	for _, fc := range allFigures() {
		f := fc.build()
		panels := newRecorder(f.width, f.height)
		c := draw.New(panels)
		for _, p := range f.panels {
			p.Draw(c)
		}
		for _, e := range f.key {
			key := newRecorder(vg.Inch, vg.Inch)
			kc := draw.New(key)
			for _, th := range e.thumbs {
				th.Thumbnail(&kc)
			}
			opaque := map[color.NRGBA]bool{}
			for col := range panels.colors {
				col.A = 0xFF
				opaque[col] = true
			}
			for col := range key.colors {
				col.A = 0xFF
				if col != gray && !opaque[col] {
					t.Errorf("%s: key %q is drawn in %v, a color no panel uses", fc.name, e.name, col)
				}
			}
		}
	}
}
