package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
)

// The PNG canvas's dots. A scatter's glyph (draw.CircleGlyph) is a path of a move, a full
// circle and a close, which gonum's image canvas fills through gg: the circle as 16
// quadratic curves, flattened and rasterized by freetype for every dot, about 5 µs a dot
// and half of the pathwise figure's PNG. Where the canvas has not been rotated,
// translated or scaled, fastPNG paints such a disc itself (discMasks.fill): each pixel
// around the circle takes the share of its area the disc covers, computed once per radius
// and position of the centre within a pixel (to 1/16 of a pixel), and is composited as
// freetype's painter composites a span of that coverage. A pixel inside the disc or
// outside it comes out as gonum draws it; on the rim the coverage is the true circle's,
// where gonum's is that of its flattened 16-curve outline: they differ by a few levels
// of 255. TestPNGDotsMatchGonum checks both.

// discOf returns the centre and radius of path if it is a filled circle as
// draw.CircleGlyph draws one: a move to the circle's rightmost point, a full turn of arc
// from angle 0 and a close.
func discOf(path vg.Path) (centre vg.Point, radius vg.Length, ok bool) {
	if len(path) != 3 || path[0].Type != vg.MoveComp || path[1].Type != vg.ArcComp || path[2].Type != vg.CloseComp {
		return vg.Point{}, 0, false
	}
	arc := path[1]
	if arc.Start != 0 || arc.Angle != 2*math.Pi || !(arc.Radius > 0) {
		return vg.Point{}, 0, false
	}
	if path[0].Pos != (vg.Point{X: arc.Pos.X + arc.Radius, Y: arc.Pos.Y}) {
		return vg.Point{}, 0, false
	}
	return arc.Pos, arc.Radius, true
}

// maxDiscPixels is the largest radius, in pixels, of the dots fastPNG paints itself: a
// mask per position within a pixel grows with the square of the radius (at this radius
// 35 by 35 coverages, 4.9 kB, 256 of them at most), and a dot this large is no scatter's.
const maxDiscPixels = 16

// discSamples is how many columns discCoverage divides a pixel on the rim into to measure
// the disc's share of it.
const discSamples = 8

// discSteps is how many positions within a pixel, along each axis, a dot's centre is
// rounded to (1/16 of a pixel: at most 1/32 off, a fraction of the rim's anti-aliasing):
// discMasks computes each position's coverage once for all dots of a radius.
const discSteps = 16

// discMasks are the coverages of the pixels around a disc of one radius, for each
// position of its centre within a pixel (discSteps by discSteps), computed as first
// needed.
type discMasks struct {
	r     float64
	reach int // the pixels from reach to the left of the centre's pixel to reach to its right (and up and down)
	masks [discSteps * discSteps][]uint32
}

func newDiscMasks(r float64) *discMasks {
	return &discMasks{r: r, reach: int(math.Ceil(r)) + 1}
}

// mask returns the coverages, in 1/65535ths, of the (2*reach+1)^2 pixels around a centre
// at (fx, fy) discSteps-ths of a pixel from its pixel's top-left corner, row by row.
func (d *discMasks) mask(fx, fy int) []uint32 {
	k := fy*discSteps + fx
	if d.masks[k] == nil {
		side := 2*d.reach + 1
		m := make([]uint32, side*side)
		cx, cy := float64(fx)/discSteps, float64(fy)/discSteps
		r2 := d.r * d.r
		for j := range side {
			for i := range side {
				m[j*side+i] = discCoverage(float64(i-d.reach)-cx, float64(j-d.reach)-cy, d.r, r2)
			}
		}
		d.masks[k] = m
	}
	return d.masks[k]
}

// fill composites a disc of d's radius and colour clr, centred at (cx, cy) in pixels from
// the image's top left (a pixel's centre is at half-integers) and rounded to 1/discSteps
// of a pixel, onto img, clipped to its bounds, pixel by pixel as freetype's RGBAPainter
// composites a span (draw.Over): with a coverage of one inside the disc, the share of the
// pixel the disc covers on its rim (discCoverage), and nothing outside.
func (d *discMasks) fill(img *image.RGBA, cx, cy float64, clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	cr, cg, cb, ca := clr.RGBA()
	qx, qy := math.Round(cx*discSteps), math.Round(cy*discSteps)
	if !(math.Abs(qx) < 1<<40 && math.Abs(qy) < 1<<40) {
		return // far off the image (or not a number)
	}
	px, py := math.Floor(qx/discSteps), math.Floor(qy/discSteps) // the centre's pixel
	m := d.mask(int(qx-px*discSteps), int(qy-py*discSteps))
	side := 2*d.reach + 1
	b := img.Bounds()
	const full = 1<<16 - 1
	for j := range side {
		y := int(py) - d.reach + j
		if y < b.Min.Y || y >= b.Max.Y {
			continue
		}
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for i, ma := range m[j*side : (j+1)*side] {
			x := int(px) - d.reach + i
			if ma == 0 || x < b.Min.X || x >= b.Max.X {
				continue
			}
			at := (x - b.Min.X) * 4
			p := row[at : at+4 : at+4]
			a := (full - (ca * ma / full)) * 0x101
			p[0] = uint8((uint32(p[0])*a + cr*ma) / full >> 8)
			p[1] = uint8((uint32(p[1])*a + cg*ma) / full >> 8)
			p[2] = uint8((uint32(p[2])*a + cb*ma) / full >> 8)
			p[3] = uint8((uint32(p[3])*a + ca*ma) / full >> 8)
		}
	}
}

// discCoverage returns, in 1/65535ths, the share of the unit pixel whose top-left corner
// is (dx, dy) from a disc's centre that the disc, of radius r (r2 = r*r), covers.
func discCoverage(dx, dy, r, r2 float64) uint32 {
	const m = 1<<16 - 1
	// The pixel's nearest and farthest points from the centre decide most pixels.
	nx, ny := max(dx, 0, -(dx+1)), max(dy, 0, -(dy+1)) // distance to the pixel along each axis
	if nx*nx+ny*ny >= r2 {
		return 0
	}
	fx, fy := max(math.Abs(dx), math.Abs(dx+1)), max(math.Abs(dy), math.Abs(dy+1))
	if fx*fx+fy*fy <= r2 {
		return m
	}
	// The rest straddle the rim: the disc's share of each of discSamples columns of the
	// pixel, at its middle, exactly in y (the chord's overlap with the pixel's rows).
	covered := 0.0
	for s := range discSamples {
		x := dx + (float64(s)+0.5)/discSamples
		if h := r2 - x*x; h > 0 {
			half := math.Sqrt(h)
			covered += max(0, min(dy+1, half)-max(dy, -half))
		}
	}
	return uint32(covered/discSamples*m + 0.5)
}
