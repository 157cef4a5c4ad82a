package plots

import (
	"bytes"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestOuterBoxesPadLikeAllBoxes checks that a scatter giving only its outermost glyph
// boxes lays out and draws the plot exactly as the scatter giving one box per point: the
// same data area on canvases of several sizes, and the same pixels. The points include
// ties at the extremes, repeats, and points on and outside the axes' ranges (a scatter
// holds no NaN: NewScatter rejects it).
func TestOuterBoxesPadLikeAllBoxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cases := map[string]plotter.XYs{}
	var random, ties plotter.XYs
	// Led by a point above the fixed axes' range, one at their bottom and one just inside
	// their top: the plot drops the first, so the third is the topmost.
	odd := plotter.XYs{{X: 0.5, Y: 1.2}, {X: 0.5, Y: 0}, {X: 0.5, Y: 0.9999}}
	for i := 0; i < 3000; i++ {
		random = append(random, plotter.XY{X: rng.NormFloat64(), Y: rng.ExpFloat64()})
		ties = append(ties, plotter.XY{X: float64(rng.IntN(5)), Y: float64(rng.IntN(3))})
		// Some outside [0, 1] (the axes' range when fixed), some on its edges.
		xy := plotter.XY{X: rng.Float64()*3 - 1, Y: rng.Float64()*3 - 1}
		if i%97 == 5 {
			xy.X = math.Round(xy.X)
		}
		odd = append(odd, xy)
	}
	cases["random"], cases["ties"], cases["odd"] = random, ties, odd
	for name, pts := range cases {
		for _, fixed := range []bool{false, true} {
			var rects [2][]vg.Rectangle
			var pix [2][]byte
			for k := range 2 {
				p := plot.New()
				s, err := plotter.NewScatter(pts)
				if err != nil {
					t.Fatal(err)
				}
				s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(8)} // more than half a tick label: the glyphs set the padding
				if k == 0 {
					p.Add(s)
				} else {
					p.Add(outerBoxes{s})
				}
				if fixed { // after Add, which widens the axes to the data
					p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
				}
				for _, size := range []vg.Point{{X: 3 * vg.Inch, Y: 2 * vg.Inch}, {X: 0.7 * vg.Inch, Y: 5.3 * vg.Inch}} {
					c := vgimg.NewWith(vgimg.UseWH(size.X, size.Y), vgimg.UseDPI(100))
					dc := draw.New(c)
					rects[k] = append(rects[k], p.DataCanvas(dc).Rectangle)
					p.Draw(dc)
					pix[k] = append(pix[k], c.Image().(*image.RGBA).Pix...)
				}
			}
			for i := range rects[0] {
				if rects[0][i] != rects[1][i] {
					t.Errorf("%s (axes fixed %v), canvas %d: data area %v, want %v", name, fixed, i, rects[1][i], rects[0][i])
				}
			}
			if !bytes.Equal(pix[0], pix[1]) {
				t.Errorf("%s (axes fixed %v): pixels differ", name, fixed)
			}
		}
	}
}
