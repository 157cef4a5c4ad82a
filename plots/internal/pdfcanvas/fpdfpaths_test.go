package pdfcanvas

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// fpdfPath draws path as the canvas did before it wrote paths itself, through fpdf's path
// methods (moves and lines to 1/100 point, curves to 1/100,000), the reference for the
// numbers the canvas writes.
func fpdfPath(c *Canvas, path vg.Path, fill bool) {
	var x0, y0 float64
	pt := func(p vg.Point) (float64, float64) { return c.unit(p.X), c.unit(p.Y) }
	for i, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = pt(comp.Pos)
			c.doc.MoveTo(x0, y0)
		case vg.LineComp:
			c.doc.LineTo(pt(comp.Pos))
		case vg.ArcComp:
			r, cx, cy := float64(comp.Radius), float64(comp.Pos.X), float64(comp.Pos.Y)
			at := func(t float64) (float64, float64) {
				return c.unit(vg.Length(cx + r*math.Cos(t))), c.unit(vg.Length(cy + r*math.Sin(t)))
			}
			sx, sy := at(comp.Start)
			if i == 0 {
				c.doc.MoveTo(sx, sy)
				x0, y0 = sx, sy
			} else {
				c.doc.LineTo(sx, sy)
			}
			n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
			if n == 0 {
				continue
			}
			step := comp.Angle / float64(n)
			k := 4.0 / 3 * math.Tan(step/4) * r
			for j := 0; j < n; j++ {
				t0, t1 := comp.Start+float64(j)*step, comp.Start+float64(j+1)*step
				x, y := at(t1)
				c.doc.CurveBezierCubicTo(cx+r*math.Cos(t0)-k*math.Sin(t0), cy+r*math.Sin(t0)+k*math.Cos(t0),
					cx+r*math.Cos(t1)+k*math.Sin(t1), cy+r*math.Sin(t1)-k*math.Cos(t1), x, y)
			}
		case vg.CurveComp:
			px, py := pt(comp.Pos)
			cx, cy := pt(comp.Control[0])
			if len(comp.Control) == 1 {
				c.doc.CurveTo(cx, cy, px, py)
			} else {
				dx, dy := pt(comp.Control[1])
				c.doc.CurveBezierCubicTo(cx, cy, dx, dy, px, py)
			}
		case vg.CloseComp:
			c.doc.LineTo(x0, y0)
			c.doc.ClosePath()
		}
	}
	if fill {
		c.doc.DrawPath("F")
	} else {
		c.doc.DrawPath("D")
	}
}

// pathOps returns the path operators of content (lines ending in m, l, c, h, f or S), each
// as its operator and numbers.
func pathOps(content string) [][]string {
	var ops [][]string
	for _, line := range strings.Split(content, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && strings.Contains(" m l c h f S ", " "+f[len(f)-1]+" ") {
			ops = append(ops, f)
		}
	}
	return ops
}

// sameOp reports whether a and b are one operator with numerically equal operands.
func sameOp(a, b []string) bool {
	if len(a) != len(b) || a[len(a)-1] != b[len(b)-1] {
		return false
	}
	for i := range len(a) - 1 {
		x, errx := strconv.ParseFloat(a[i], 64)
		y, erry := strconv.ParseFloat(b[i], 64)
		if errx != nil || erry != nil || x != y {
			return false
		}
	}
	return true
}

// TestPathsKeepFpdfNumbers checks that the canvas writes every path as fpdf did, operator
// for operator and number for number: coarser numbers move the edges of dots in a
// rasterizer's anti-aliasing, and leaving out segments that look redundant changes how
// poppler paints degenerate fills.
func TestPathsKeepFpdfNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var dots []vg.Path
	for range 100 {
		var p vg.Path
		c := vg.Point{X: vg.Length(rng.Float64() * 400), Y: vg.Length(rng.Float64() * 300)}
		r := vg.Length(0.3 + rng.Float64()*3)
		p.Move(vg.Point{X: c.X + r, Y: c.Y})
		p.Arc(c, r, 0, 2*math.Pi)
		p.Close()
		dots = append(dots, p)
	}
	var shapes vg.Path // a polygon with an arc, a cubic and a quadratic
	shapes.Move(vg.Point{X: 10.123456, Y: 20.987654})
	shapes.Line(vg.Point{X: 110.005, Y: 20.987654})
	shapes.Arc(vg.Point{X: 110, Y: 60}, 39.5, -math.Pi/2, 1.3*math.Pi)
	shapes.CubeTo(vg.Point{X: 50, Y: 150}, vg.Point{X: 20.333333, Y: 100}, vg.Point{X: 15.5, Y: 25})
	shapes.QuadTo(vg.Point{X: 12.25, Y: 22.75}, vg.Point{X: 10.123456, Y: 20.987654})
	shapes.Close()
	var arc vg.Path // an arc that starts a path
	arc.Arc(vg.Point{X: 200, Y: 200}, 12.345678, 0.3, -2.9)
	for _, fill := range []bool{true, false} {
		for i, p := range append(dots, shapes, arc) {
			ours, ref := New(6*vg.Inch, 5*vg.Inch), New(6*vg.Inch, 5*vg.Inch)
			ours.SetLineWidth(1)
			if fill {
				ours.Fill(p)
			} else {
				ours.Stroke(p)
			}
			fpdfPath(ref, p, fill)
			got, want := pathOps(pageContent(t, write(t, ours))), pathOps(pageContent(t, write(t, ref)))
			ok := len(got) == len(want)
			for j := 0; ok && j < len(got); j++ {
				ok = sameOp(got[j], want[j])
			}
			if !ok {
				t.Fatalf("path %d (fill %v): wrote\n%v\nfpdf wrote\n%v", i, fill, got, want)
			}
		}
	}
}
