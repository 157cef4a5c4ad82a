package plots

import (
	"math"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// outlinedSVG is an SVG canvas that draws text as the outlines of its glyphs (filled
// paths), as matplotlib does by default. gonum's SVG canvas writes <text> naming Liberation
// Sans; a viewer without that font substitutes a wider one and text laid out for Liberation
// Sans overflows (titles leave the canvas). Outlines look the same in every viewer and
// rasterizer with no font installed; the cost is text that cannot be selected in the SVG
// (the PDF keeps real text).
type outlinedSVG struct {
	*vgsvg.Canvas
}

// FillString implements vg.Canvas: str's glyph outlines with the baseline-left at pt.
func (c outlinedSVG) FillString(f font.Face, pt vg.Point, str string) {
	if f.Face == nil || f.Font.Size <= 0 {
		return
	}
	c.Fill(glyphPath(f, pt, str))
}

// glyphPath returns the outlines of str set in face f with the baseline-left at pt,
// advancing by each glyph's advance and the font's kerning (as font.Face.Width measures).
func glyphPath(f font.Face, pt vg.Point, str string) vg.Path {
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(math.Round(f.Font.Size.Points() * 64))
	toLen := func(v fixed.Int26_6) vg.Length { return vg.Length(float64(v) / 64) }
	var path vg.Path
	x := pt.X
	var prev sfnt.GlyphIndex
	for i, r := range []rune(str) {
		idx, err := f.Face.GlyphIndex(&buf, r)
		if err != nil {
			idx = 0 // .notdef
		}
		if i > 0 {
			if k, err := f.Face.Kern(&buf, prev, idx, ppem, xfont.HintingNone); err == nil {
				x += toLen(k)
			}
		}
		at := func(p fixed.Point26_6) vg.Point { return vg.Point{X: x + toLen(p.X), Y: pt.Y - toLen(p.Y)} }
		segs, err := f.Face.LoadGlyph(&buf, idx, ppem, nil)
		if err == nil {
			open := false
			for _, s := range segs {
				switch s.Op {
				case sfnt.SegmentOpMoveTo:
					if open {
						path.Close()
					}
					path.Move(at(s.Args[0]))
					open = true
				case sfnt.SegmentOpLineTo:
					path.Line(at(s.Args[0]))
				case sfnt.SegmentOpQuadTo:
					path.QuadTo(at(s.Args[0]), at(s.Args[1]))
				case sfnt.SegmentOpCubeTo:
					path.CubeTo(at(s.Args[0]), at(s.Args[1]), at(s.Args[2]))
				}
			}
			if open {
				path.Close()
			}
		}
		if adv, err := f.Face.GlyphAdvance(&buf, idx, ppem, xfont.HintingNone); err == nil {
			x += toLen(adv)
		}
		prev = idx
	}
	return path
}
