package plots

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	vgrecorder "gonum.org/v1/plot/vg/recorder"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestDiscOfCircleGlyph checks that discOf recognizes the path draw.CircleGlyph fills,
// and nothing else.
func TestDiscOfCircleGlyph(t *testing.T) {
	rec := new(vgrecorder.Canvas)
	dc := draw.NewCanvas(rec, 100, 100)
	at := vg.Point{X: 31.7, Y: 12.25}
	dc.DrawGlyph(draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: 0.9, Color: color.Black}, at)
	var fills []vg.Path
	for _, a := range rec.Actions {
		if f, ok := a.(*vgrecorder.Fill); ok {
			fills = append(fills, f.Path)
		}
	}
	if len(fills) != 1 {
		t.Fatalf("CircleGlyph filled %d paths, want 1", len(fills))
	}
	centre, radius, ok := discOf(fills[0])
	if !ok || centre != at || radius != 0.9 {
		t.Fatalf("discOf(CircleGlyph's path) = %v, %v, %v; want %v, 0.9, true", centre, radius, ok, at)
	}
	var half vg.Path
	half.Move(vg.Point{X: 2, Y: 1})
	half.Arc(vg.Point{X: 1, Y: 1}, 1, 0, math.Pi)
	half.Close()
	var ring vg.Path
	ring.Move(vg.Point{X: 2, Y: 1})
	ring.Arc(vg.Point{X: 1, Y: 1}, 1, 0, 2*math.Pi)
	ring.Close()
	ring.Move(vg.Point{X: 1.5, Y: 1})
	var box vg.Path
	box.Move(vg.Point{X: 0, Y: 0})
	box.Line(vg.Point{X: 1, Y: 0})
	box.Close()
	var moved vg.Path
	moved.Move(vg.Point{X: 2.5, Y: 1})
	moved.Arc(vg.Point{X: 1, Y: 1}, 1, 0, 2*math.Pi)
	moved.Close()
	for name, p := range map[string]vg.Path{"half circle": half, "two subpaths": ring, "triangle": box, "move off the circle": moved} {
		if _, _, ok := discOf(p); ok {
			t.Errorf("discOf(%s) = true, want false", name)
		}
	}
}

// supersampledCoverage is a disc's share of a pixel measured on a fine grid of samples
// (the reference for discCoverage), in 1/65535ths: the pixel's top-left corner is (dx, dy)
// from the centre of a disc of radius r.
func supersampledCoverage(dx, dy, r float64) uint32 {
	const n = 128
	if max(dx, 0, -(dx+1))*max(dx, 0, -(dx+1))+max(dy, 0, -(dy+1))*max(dy, 0, -(dy+1)) >= r*r {
		return 0 // the pixel's nearest point is outside the circle
	}
	if fx, fy := max(math.Abs(dx), math.Abs(dx+1)), max(math.Abs(dy), math.Abs(dy+1)); fx*fx+fy*fy <= r*r {
		return 1<<16 - 1 // and its farthest inside
	}
	in := 0
	for sy := range n {
		y := dy + (float64(sy)+0.5)/n
		for sx := range n {
			x := dx + (float64(sx)+0.5)/n
			if x*x+y*y < r*r {
				in++
			}
		}
	}
	return uint32(float64(in)/(n*n)*(1<<16-1) + 0.5)
}

// TestDiscCoverage checks discCoverage against a supersampled reference on the pixels
// around discs of the radii figures draw and beyond, at fractional offsets.
func TestDiscCoverage(t *testing.T) {
	const m = 1<<16 - 1
	cases := []struct {
		name   string
		dx, dy float64
		r      float64
		want   uint32
	}{
		{"pixel inside", -0.5, -0.5, 3, m},
		{"pixel outside", 3, 3, 3, 0},
		{"pixel touching the circle from outside", 2, -0.5, 2, 0},
	}
	for _, c := range cases {
		if got := discCoverage(c.dx, c.dy, c.r, c.r*c.r); got != c.want {
			t.Errorf("%s: coverage %d, want %d", c.name, got, c.want)
		}
	}
	// Against the reference: every pixel around discs of radius 0.6 to 25 pixels, centred
	// at irregular fractions of a pixel.
	worst, rim := 0.0, 0
	for k, r := range []float64{0.6, 1.1, 2.08, 3.75, 8.33, 25.2} {
		cx, cy := 0.137+0.29*float64(k), 0.731-0.11*float64(k)
		for y := math.Floor(cy - r - 1); y <= cy+r+1; y++ {
			for x := math.Floor(cx - r - 1); x <= cx+r+1; x++ {
				got := discCoverage(x-cx, y-cy, r, r*r)
				want := supersampledCoverage(x-cx, y-cy, r)
				if want > 0 && want < m {
					rim++
				}
				worst = max(worst, math.Abs(float64(got)-float64(want))/m)
			}
		}
	}
	t.Logf("%d pixels on rims; largest difference from the supersampled coverage %.4f of a pixel", rim, worst)
	// discCoverage is exact in y. In x, a column's midpoint misjudges the column by at
	// most the column's width (1/8 of a pixel), and by more than a sliver only where
	// the circle's vertical tangent crosses the column: one column per pixel at most, for
	// radii of half a pixel or more. The reference (128 by 128 samples) is off by about
	// 1/128 of a pixel at most.
	if worst > 1.0/discSamples {
		t.Errorf("coverage differs from the supersampled reference by %.4f of a pixel, more than a column (1/%d)", worst, discSamples)
	}
}

// TestPNGDotsMatchGonum draws dots of the sizes figures draw (and larger), in several
// colours, overlapping and at fractional positions, on fastPNG and on gonum's image
// canvas, and checks that the pixels are gonum's wherever no rim passes: inside the dots,
// where they overlap, and around them. On the rims gonum's coverage is that of its
// flattened 16-curve outline and ours the circle's: the differences are logged.
func TestPNGDotsMatchGonum(t *testing.T) {
	const w, h = 2.0037 * vg.Inch, 1.5041 * vg.Inch
	radii := []vg.Length{0.5, 0.9, 2, 3.8, 5.3} // the last beyond maxDiscPixels: gonum's own
	colors := []color.Color{color.NRGBA{R: 0, G: 114, B: 178, A: 89}, color.Black, color.NRGBA{R: 213, G: 94, B: 0, A: 200}}
	ours := newFastPNG(w, h)
	theirs := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))
	var discs []pixelDisc
	for _, c := range []vg.CanvasSizer{ours, theirs} {
		dc := draw.New(c)
		discs = discs[:0]
		for i := range 400 {
			// Spread over the canvas at irregular fractions, a point or more inside it.
			sty := draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: radii[i%len(radii)], Color: colors[i%len(colors)]}
			inset := sty.Radius + 1
			at := vg.Point{
				X: inset + vg.Length(math.Mod(float64(i)*17.137, float64(w-2*inset))),
				Y: inset + vg.Length(math.Mod(float64(i)*7.3911, float64(h-2*inset))),
			}
			dc.DrawGlyph(sty, at)
			px := func(l vg.Length) float64 { return l.Dots(PNGDPI) }
			discs = append(discs, pixelDisc{px(at.X), float64(ours.Image().Bounds().Dy()) - px(at.Y), px(sty.Radius), sty.Color})
		}
	}
	if len(ours.saved) != 0 {
		t.Fatalf("%d graphics states left pushed", len(ours.saved))
	}
	a, b := ours.Image().(*image.RGBA), theirs.Image().(*image.RGBA)
	// The dots fastPNG paints itself, and those beyond maxDiscPixels, which it leaves to
	// gonum: their pixels must be gonum's everywhere.
	var small, large []pixelDisc
	for _, d := range discs {
		if d.r <= maxDiscPixels {
			small = append(small, d)
		} else {
			large = append(large, d)
		}
	}
	if len(large) == 0 {
		t.Fatal("no dot beyond maxDiscPixels: gonum's path for large dots is not checked")
	}
	width, height := a.Rect.Dx(), a.Rect.Dy()
	onRim := rimMask(small, width, height)
	painted, differ, worst := compareOffRims(t, a, b, onRim)
	if painted == 0 {
		t.Fatal("no pixel inside a dot is off every rim: the comparison checked nothing painted")
	}
	t.Logf("%d dots; %d painted pixels off every rim, %d of them differ; on the rims bytes differ from gonum's by up to %d", len(discs), painted, differ, worst)

	// Everywhere: the same dots at their exact centres, composited with the supersampled
	// coverage. A byte can differ by the coverage's error (TestDiscCoverage: at most 1/8
	// of a pixel) in full colour, and one for rounding: rounding a centre to 1/16 of a
	// pixel moves a rim pixel's coverage by less than 1/16 more.
	ref := newFastPNG(w, h)
	refImg := ref.Image().(*image.RGBA)
	for _, d := range discs {
		referenceDisc(refImg, d.x, d.y, d.r, d.clr)
	}
	bound := 255/discSamples + 255/discSteps + 1
	worstRef := 0
	onLargeRim := rimMask(large, width, height) // gonum's outline there, not the circle
	for i := range a.Pix {
		if !onLargeRim[i/4] {
			worstRef = max(worstRef, int(a.Pix[i])-int(refImg.Pix[i]), int(refImg.Pix[i])-int(a.Pix[i]))
		}
	}
	t.Logf("bytes differ from the supersampled dots by up to %d", worstRef)
	if worstRef > bound {
		t.Errorf("a byte differs from the supersampled dots by %d, more than %d", worstRef, bound)
	}
}

// referenceDisc composites onto img a disc of colour clr centred at (cx, cy) in pixels
// from the top left, with radius r, as freetype's RGBAPainter composites a span: each
// pixel with the disc's supersampled coverage of it.
func referenceDisc(img *image.RGBA, cx, cy, r float64, clr color.Color) {
	cr, cg, cb, ca := clr.RGBA()
	const m = 1<<16 - 1
	for y := int(cy - r - 1); y <= int(cy+r+1); y++ {
		for x := int(cx - r - 1); x <= int(cx+r+1); x++ {
			if !(image.Point{X: x, Y: y}).In(img.Rect) {
				continue
			}
			ma := supersampledCoverage(float64(x)-cx, float64(y)-cy, r)
			p := img.Pix[img.PixOffset(x, y):][:4]
			a := (m - (ca * ma / m)) * 0x101
			p[0] = uint8((uint32(p[0])*a + cr*ma) / m >> 8)
			p[1] = uint8((uint32(p[1])*a + cg*ma) / m >> 8)
			p[2] = uint8((uint32(p[2])*a + cb*ma) / m >> 8)
			p[3] = uint8((uint32(p[3])*a + ca*ma) / m >> 8)
		}
	}
}

// pixelDisc is a dot in pixels from an image's top left.
type pixelDisc struct {
	x, y, r float64
	clr     color.Color
}

// rimMask marks the pixels of a width x height image on the rim of one of discs: all but
// those that lie, for each disc, half a pixel or more outside its circle or inside it
// (gonum's flattened outline strays from the circle by less).
func rimMask(discs []pixelDisc, width, height int) []bool {
	onRim := make([]bool, width*height)
	for _, d := range discs {
		for y := max(int(d.y-d.r)-2, 0); y <= min(int(d.y+d.r)+2, height-1); y++ {
			for x := max(int(d.x-d.r)-2, 0); x <= min(int(d.x+d.r)+2, width-1); x++ {
				nx := max(d.x-float64(x+1), 0, float64(x)-d.x)
				ny := max(d.y-float64(y+1), 0, float64(y)-d.y)
				fx := max(math.Abs(float64(x)-d.x), math.Abs(float64(x+1)-d.x))
				fy := max(math.Abs(float64(y)-d.y), math.Abs(float64(y+1)-d.y))
				if !(math.Hypot(nx, ny) >= d.r+0.5 || math.Hypot(fx, fy) <= d.r-0.5) {
					onRim[y*width+x] = true
				}
			}
		}
	}
	return onRim
}

// dotSpy is gonum's image canvas noting the dots filled on it that fastPNG paints itself
// (where it is not rotated, translated or scaled, of at most maxDiscPixels radius), in
// pixels from the top left.
type dotSpy struct {
	*vgimg.Canvas
	moved []bool // per graphics state pushed: whether a transform is in effect
	discs []pixelDisc
	color color.Color
}

func newDotSpy(w, h vg.Length) *dotSpy {
	return &dotSpy{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI)), moved: []bool{false}, color: color.Black}
}

func (c *dotSpy) SetColor(clr color.Color) { c.color = clr; c.Canvas.SetColor(clr) }
func (c *dotSpy) Rotate(t float64)         { c.moved[len(c.moved)-1] = true; c.Canvas.Rotate(t) }
func (c *dotSpy) Translate(pt vg.Point)    { c.moved[len(c.moved)-1] = true; c.Canvas.Translate(pt) }
func (c *dotSpy) Scale(x, y float64)       { c.moved[len(c.moved)-1] = true; c.Canvas.Scale(x, y) }
func (c *dotSpy) Push()                    { c.moved = append(c.moved, c.moved[len(c.moved)-1]); c.Canvas.Push() }
func (c *dotSpy) Pop()                     { c.moved = c.moved[:len(c.moved)-1]; c.Canvas.Pop() }

func (c *dotSpy) Fill(path vg.Path) {
	if centre, radius, ok := discOf(path); ok && !c.moved[len(c.moved)-1] && radius.Dots(PNGDPI) <= maxDiscPixels {
		height := float64(c.Image().Bounds().Dy())
		c.discs = append(c.discs, pixelDisc{centre.X.Dots(PNGDPI), height - centre.Y.Dots(PNGDPI), radius.Dots(PNGDPI), c.color})
	}
	c.Canvas.Fill(path)
}

// compareOffRims compares the pixels of a and b, of the same bounds: those on no rim
// (onRim false) must be equal, and the first five that are not are reported as errors. It
// returns how many of those are painted (not white), how many differ, and the largest
// difference of a byte on the rims.
func compareOffRims(t *testing.T, a, b *image.RGBA, onRim []bool) (painted, differ, worstOnRim int) {
	t.Helper()
	width, height := a.Rect.Dx(), a.Rect.Dy()
	for y := range height {
		for x := range width {
			i := y*a.Stride + 4*x
			if onRim[y*width+x] {
				for ch := range 4 {
					worstOnRim = max(worstOnRim, int(a.Pix[i+ch])-int(b.Pix[i+ch]), int(b.Pix[i+ch])-int(a.Pix[i+ch]))
				}
				continue
			}
			if a.Pix[i] != 255 || a.Pix[i+1] != 255 || a.Pix[i+2] != 255 {
				painted++
			}
			if !bytes.Equal(a.Pix[i:i+4], b.Pix[i:i+4]) {
				differ++
				if differ <= 5 {
					t.Errorf("pixel %d,%d off every rim: %v, gonum's %v", x, y, a.Pix[i:i+4], b.Pix[i:i+4])
				}
			}
		}
	}
	return painted, differ, worstOnRim
}
