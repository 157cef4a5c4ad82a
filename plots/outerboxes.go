package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// outerBoxes is a scatter of glyphs of one size that gives the plot the glyph boxes of
// only those points that can be outermost, instead of one box per point. gonum uses the
// boxes for nothing but padding the data area so that no glyph is cut: for each side it
// takes, of all the plot's boxes in order, the first that reaches furthest out (padX and
// padY). The data canvas maps a point's normalized coordinate onto the page monotonically
// and every glyph has the same box around it, so a box can be the first furthest out only
// if its coordinate is strictly beyond those of every box before it; outerBoxes gives
// those boxes (prefix minima and maxima of x and y, in order), so the padding, and the
// figure, are exactly the same. Building, appending and scanning 4,000 boxes per panel,
// several times per drawing, was about a twelfth of the figures' CPU.
type outerBoxes struct{ *plotter.Scatter }

// GlyphBoxes returns the boxes of the points that can be outermost, in order, dropping
// those the plot drops (outside its axes' ranges).
func (s outerBoxes) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if s.GlyphStyleFunc != nil {
		return s.Scatter.GlyphBoxes(p) // glyphs of different sizes: no shortcut
	}
	r := s.GlyphStyle.Radius
	box := vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: +r, Y: +r}}
	if r <= 0 {
		return nil // boxes of no size: padX and padY skip them
	}
	var boxes []plot.GlyphBox
	var x, y outermost
	for _, pt := range s.XYs {
		b := plot.GlyphBox{X: p.X.Norm(pt.X), Y: p.Y.Norm(pt.Y), Rectangle: box}
		// As plot.GlyphBoxes drops them.
		if b.X < 0 || b.X > 1 || b.Y < 0 || b.Y > 1 {
			continue
		}
		if outerX, outerY := x.add(b.X), y.add(b.Y); outerX || outerY {
			boxes = append(boxes, b)
		}
	}
	return boxes
}

// outermost tracks the least and greatest of the coordinates seen, ignoring NaN.
type outermost struct {
	lo, hi float64
	seen   bool
}

// add reports whether v is strictly below or above every coordinate seen before it (the
// first one is), and notes it. A NaN is never outermost (padX and padY skip it).
func (o *outermost) add(v float64) bool {
	switch {
	case v != v:
		return false
	case !o.seen:
		o.lo, o.hi, o.seen = v, v, true
		return true
	case v < o.lo:
		o.lo = v
		return true
	case v > o.hi:
		o.hi = v
		return true
	}
	return false
}
