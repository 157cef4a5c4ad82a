package pdfcanvas

import (
	"bytes"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
)

func TestStraightUndoesPremultiplication(t *testing.T) {
	tests := []struct {
		in        color.Color
		r, g, b   int
		wantAlpha float64
	}{
		{color.NRGBA{0xD5, 0x5E, 0x00, 0x21}, 0xD5, 0x5E, 0x00, 0x21 / 255.0}, // a 13% orange band
		{color.RGBA{0x1B, 0x0C, 0x00, 0x21}, 0xD1, 0x5D, 0x00, 0x21 / 255.0},  // the same, premultiplied
		{color.Black, 0, 0, 0, 1},
		{nil, 0, 0, 0, 1},
	}
	for _, tc := range tests {
		r, g, b, a := Straight(tc.in)
		if r != tc.r || g != tc.g || b != tc.b || math.Abs(a-tc.wantAlpha) > 1e-9 {
			t.Errorf("Straight(%v) = %d %d %d %.3f, want %d %d %d %.3f", tc.in, r, g, b, a, tc.r, tc.g, tc.b, tc.wantAlpha)
		}
	}
}

// TestWritesUTF8TextAndTransparency checks the document: a UTF-8 (Identity-H) font with a
// ToUnicode map, and the opacity of a translucent fill as an ExtGState.
func TestWritesUTF8TextAndTransparency(t *testing.T) {
	c := New(3*vg.Inch, 2*vg.Inch)
	c.SetColor(color.NRGBA{0, 0x72, 0xB2, 0x47})
	var p vg.Path
	p.Move(vg.Point{X: 10, Y: 10})
	p.Arc(vg.Point{X: 20, Y: 20}, 5, 0, 2*math.Pi)
	p.Close()
	c.Fill(p)
	font.DefaultCache.Add(liberation.Collection())
	face := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, 10)
	c.SetColor(color.Black)
	c.FillString(face, vg.Point{X: 10, Y: 50}, "Cash–futures 45° σ ≥ 20")
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	for _, want := range []string{"/Identity-H", "/ToUnicode", "/ca 0.278"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
}
