package pdfcanvas

import (
	"bytes"
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
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

var (
	red   = color.NRGBA{0xFF, 0, 0, 0xFF}
	blue  = color.NRGBA{0, 0, 0xFF, 0xFF}
	faint = color.NRGBA{0, 0x72, 0xB2, 89} // the pathwise dots' blue at alpha 0.35
)

const (
	redFill   = "1.000 0.000 0.000 rg"
	blueFill  = "0.000 0.000 1.000 rg"
	faintFill = "0.000 0.447 0.698 rg"
	blackFill = "0.000 g"
)

// square fills a 10 x 10 square at (x, 10).
func square(c *Canvas, x vg.Length) {
	var p vg.Path
	p.Move(vg.Point{X: x, Y: 10})
	p.Line(vg.Point{X: x + 10, Y: 10})
	p.Line(vg.Point{X: x + 10, Y: 20})
	p.Line(vg.Point{X: x, Y: 20})
	p.Close()
	c.Fill(p)
}

// line strokes a line from (x, 30) to (x+10, 40).
func line(c *Canvas, x vg.Length) {
	var p vg.Path
	p.Move(vg.Point{X: x, Y: 30})
	p.Line(vg.Point{X: x + 10, Y: 40})
	c.Stroke(p)
}

func label(c *Canvas, x vg.Length) {
	font.DefaultCache.Add(liberation.Collection())
	face := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, 10)
	c.FillString(face, vg.Point{X: x, Y: 60}, "σ ≥ 20")
}

func write(t *testing.T, c *Canvas) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStateFollowsTheDrawing draws sequences of fills, strokes and text with colors set
// inside and outside Push and Pop, and checks what a viewer paints each with: the color
// asked for, never one left behind by a Pop, and text in its own color after a fill in
// another.
func TestStateFollowsTheDrawing(t *testing.T) {
	tests := []struct {
		name  string
		draw  func(c *Canvas)
		fills []string // the fill color in force at each f and Tj, in order
	}{
		{"a fill, then text in black", func(c *Canvas) {
			c.SetColor(red)
			square(c, 10)
			c.SetColor(color.Black)
			label(c, 10)
		}, []string{redFill, blackFill}},
		{"text in the color of the fill before it", func(c *Canvas) {
			c.SetColor(red)
			square(c, 10)
			label(c, 10)
			square(c, 30)
		}, []string{redFill, redFill, redFill}},
		{"a color set inside Push ends at Pop", func(c *Canvas) {
			c.SetColor(blue)
			square(c, 10)
			c.Push()
			c.SetColor(red)
			square(c, 30)
			c.Pop()
			square(c, 50)
			label(c, 10)
		}, []string{blueFill, redFill, blueFill, blueFill}},
		{"a color set before Push, first used inside it", func(c *Canvas) {
			c.SetColor(red)
			c.Push()
			square(c, 10)
			c.Pop()
			square(c, 30)
		}, []string{redFill, redFill}},
		{"the same color set again inside Push", func(c *Canvas) {
			c.SetColor(red)
			square(c, 10)
			c.Push()
			c.SetColor(red)
			square(c, 30)
			c.SetColor(blue)
			c.Pop()
			square(c, 50)
		}, []string{redFill, redFill, redFill}},
		{"text drawn inside Push and Pop", func(c *Canvas) {
			c.Push()
			c.SetColor(red)
			label(c, 10)
			c.Pop()
			label(c, 30)
			square(c, 10)
		}, []string{redFill, blackFill, blackFill}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(2*vg.Inch, 1*vg.Inch)
			tc.draw(c)
			var fills []string
			for _, p := range painted(t, write(t, c)) {
				if p.op == "f" || p.op == "Tj" {
					fills = append(fills, p.fill)
				}
			}
			// the first fill is the page's white background only in a plot; here there is none
			if strings.Join(fills, "|") != strings.Join(tc.fills, "|") {
				t.Errorf("painted with\n%s\nwant\n%s", strings.Join(fills, "\n"), strings.Join(tc.fills, "\n"))
			}
		})
	}
}

// TestStrokeStateFollowsTheDrawing checks the stroke color, opacity, line width and dash
// each stroke is painted with, through Push and Pop.
func TestStrokeStateFollowsTheDrawing(t *testing.T) {
	c := New(2*vg.Inch, 1*vg.Inch)
	c.SetColor(red)
	c.SetLineWidth(2)
	line(c, 10)
	c.Push()
	c.SetColor(faint)
	c.SetLineWidth(0.5)
	c.SetLineDash([]vg.Length{3, 2}, 1)
	line(c, 30)
	c.Pop()
	line(c, 50)
	c.SetLineDash([]vg.Length{3, 2}, 1)
	line(c, 70)
	c.SetLineDash(nil, 0)
	line(c, 90)
	var got []paint
	for _, p := range painted(t, write(t, c)) {
		p.fill = ""
		got = append(got, p)
	}
	want := []paint{
		{op: "S", stroke: "1.000 0.000 0.000 RG", opaque: "1", width: "2.00", dash: "[] 0 d"},
		{op: "S", stroke: "0.000 0.447 0.698 RG", opaque: "0.349", width: "0.50", dash: "[3.00 2.00] 1.00 d"},
		{op: "S", stroke: "1.000 0.000 0.000 RG", opaque: "1", width: "2.00", dash: "[] 0 d"},
		{op: "S", stroke: "1.000 0.000 0.000 RG", opaque: "1", width: "2.00", dash: "[3.00 2.00] 1.00 d"},
		{op: "S", stroke: "1.000 0.000 0.000 RG", opaque: "1", width: "2.00", dash: "[] 0.00 d"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d strokes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("stroke %d painted with %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestStateOperatorsOnlyOnChange checks that what gonum's draw.Canvas does for every glyph,
// setting the color again, writes nothing while the color in force is the one asked for,
// also after a Pop restores it.
func TestStateOperatorsOnlyOnChange(t *testing.T) {
	tests := []struct {
		name                      string
		draw                      func(c *Canvas)
		colors, opacities, widths int // rg/g, gs and w operators written
	}{
		{"100 dots of one color", func(c *Canvas) {
			for i := range 100 {
				c.SetColor(faint)
				square(c, vg.Length(i))
			}
		}, 1, 1, 0},
		{"two colors in turn", func(c *Canvas) {
			for i := range 10 {
				c.SetColor(red)
				square(c, vg.Length(i))
				c.SetColor(blue)
				square(c, vg.Length(i))
			}
		}, 20, 0, 0},
		{"the color before Push, used after Pop", func(c *Canvas) {
			c.SetColor(red)
			square(c, 10)
			c.Push()
			c.SetColor(blue)
			square(c, 30)
			c.Pop()
			square(c, 50) // red is in force again after Q: nothing to write
		}, 2, 0, 0},
		{"a color set but never painted with", func(c *Canvas) {
			c.SetColor(red)
			c.SetColor(blue)
			square(c, 10)
		}, 1, 0, 0},
		{"strokes of one width", func(c *Canvas) {
			for i := range 10 {
				c.SetLineWidth(2)
				line(c, vg.Length(i))
			}
		}, 0, 0, 1},
		{"text after text in one color", func(c *Canvas) {
			c.SetColor(red)
			label(c, 10)
			label(c, 30)
			square(c, 10)
		}, 1, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(2*vg.Inch, 1*vg.Inch)
			tc.draw(c)
			content := pageContent(t, write(t, c))
			// fpdf writes black for stroke and fill and a line width when it starts the page
			colors := count(content, "rg") + count(content, "g") - 1
			widths := count(content, "w") - 1
			if colors != tc.colors || count(content, "gs") != tc.opacities || widths != tc.widths {
				t.Errorf("%d color, %d opacity, %d line width operators, want %d, %d, %d in\n%s",
					colors, count(content, "gs"), widths, tc.colors, tc.opacities, tc.widths, content)
			}
			if strings.Contains(content, "q 0") || strings.Contains(content, "q 1") {
				t.Errorf("fpdf wrapped text in a color of its own:\n%s", content)
			}
		})
	}
}

// TestPathOperators checks the operators written for paths: every segment fpdf wrote, in
// fills too (a zero-height bar renders differently without its lines of zero length),
// with numbers without trailing zeros.
func TestPathOperators(t *testing.T) {
	dot := func(c *Canvas) vg.Path {
		var p vg.Path
		p.Move(vg.Point{X: 20.5, Y: 30})
		p.Arc(vg.Point{X: 20, Y: 30}, 0.5, 0, 2*math.Pi)
		p.Close()
		return p
	}
	tests := []struct {
		name  string
		paint func(c *Canvas, p vg.Path)
		path  func(c *Canvas) vg.Path
		want  string
	}{
		{"a filled dot", (*Canvas).Fill, dot, "20.5 114 m\n20.5 114 l\n" +
			"20.5 113.72386 20.27614 113.5 20 113.5 c\n" +
			"19.72386 113.5 19.5 113.72386 19.5 114 c\n" +
			"19.5 114.27614 19.72386 114.5 20 114.5 c\n" +
			"20.27614 114.5 20.5 114.27614 20.5 114 c\n" +
			"20.5 114 l\nh\nf\n"},
		{"a stroked dot", (*Canvas).Stroke, dot, "20.5 114 m\n20.5 114 l\n" +
			"20.5 113.72386 20.27614 113.5 20 113.5 c\n" +
			"19.72386 113.5 19.5 113.72386 19.5 114 c\n" +
			"19.5 114.27614 19.72386 114.5 20 114.5 c\n" +
			"20.27614 114.5 20.5 114.27614 20.5 114 c\n" +
			"20.5 114 l\nh\nS\n"},
		{"a filled bar of zero height", (*Canvas).Fill, func(*Canvas) vg.Path {
			var p vg.Path
			p.Move(vg.Point{X: 10, Y: 10})
			p.Line(vg.Point{X: 10, Y: 10})
			p.Line(vg.Point{X: 20.25, Y: 10})
			p.Line(vg.Point{X: 20.25, Y: 10})
			p.Close()
			return p
		}, "10 134 m\n10 134 l\n20.25 134 l\n20.25 134 l\n10 134 l\nh\nf\n"},
		{"a stroke with a segment of zero length", (*Canvas).Stroke, func(*Canvas) vg.Path {
			var p vg.Path
			p.Move(vg.Point{X: 10, Y: 10})
			p.Line(vg.Point{X: 10, Y: 10})
			p.Line(vg.Point{X: 10.004, Y: 10})
			return p
		}, "10 134 m\n10 134 l\n10 134 l\nS\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(2*vg.Inch, 2*vg.Inch)
			c.Push()
			tc.paint(c, tc.path(c))
			c.Pop()
			content := pageContent(t, write(t, c))
			if !strings.Contains(content, "\n"+tc.want) {
				t.Errorf("content\n%s\nlacks\n%s", content, tc.want)
			}
		})
	}
}

func TestAppendFixed(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 2, "0"},
		{math.Copysign(0, -1), 2, "0"},
		{-0.004, 2, "0"}, // no sign on a zero
		{0.004999, 2, "0"},
		{0.005, 2, "0.01"}, // 0.005000000000000000104 in binary
		{-0.005, 2, "-0.01"},
		{0.015, 2, "0.01"}, // 0.01499999999999999944: 1.5 once scaled in float64
		{1.005, 2, "1"},    // 1.00499999999999989
		{2.675, 2, "2.67"}, // 2.67499999999999982: 267.5 once scaled
		{0.125, 2, "0.12"}, // an exact tie: to even, as strconv
		{0.375, 2, "0.38"},
		{-0.125, 2, "-0.12"},
		{190.63929, 2, "190.64"},
		{190.63929, 5, "190.63929"},
		{191.5, 2, "191.5"},
		{191.996, 2, "192"},
		{-191.996, 2, "-192"},
		{-12.3, 2, "-12.3"},
		{201.6, 5, "201.6"},
		{0.00001, 5, "0.00001"},
		{-0.000004, 5, "0"},
		{96.91943, 5, "96.91943"},
		{612, 0, "612"},
		{1e9 + 0.25, 2, "1000000000.25"},
		{-1e9 - 0.25, 2, "-1000000000.25"},
		{1e13 + 0.5, 2, "10000000000000.5"}, // too large to scale: strconv, trimmed
		{-1e20, 2, "-100000000000000000000"},
		{math.Inf(1), 2, "+Inf"},
		{math.NaN(), 2, "NaN"},
	}
	for _, tc := range tests {
		got := appendFixed([]byte("x "), tc.v, tc.decimals)
		if string(got) != "x "+tc.want {
			t.Errorf("appendFixed(%v, %d) = %q, want %q", tc.v, tc.decimals, got[2:], tc.want)
		}
	}
}

// TestAppendFixedAgreesWithStrconv checks appendFixed against strconv, fpdf's formatter,
// on seeded random values and on decimal ties: the same digits, less trailing zeros.
func TestAppendFixedAgreesWithStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200000 {
		d := rng.IntN(maxDecimals + 1)
		v := (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(9)))
		if i%2 == 0 { // a tie in decimal, which binary holds only approximately
			v = (math.Round(v*pow10[d]) + 0.5) / pow10[d]
		}
		want := strings.TrimPrefix(string(trimZeros(strconv.AppendFloat(nil, v, 'f', d, 64), 0)), "-")
		if want != "0" && v < 0 {
			want = "-" + want
		}
		got := appendFixed(nil, v, d)
		if string(got) != want {
			t.Fatalf("appendFixed(%v, %d) = %s, strconv %s", v, d, got, want)
		}
		n, ok := fixed(v, d)
		if large := math.Abs(v*pow10[d]) >= 1<<40; ok == large {
			t.Fatalf("fixed(%v, %d) counted: %v", v, d, ok)
		}
		if parsed, _ := strconv.ParseFloat(string(got), 64); ok && math.Abs(float64(n)-parsed*pow10[d]) > 1e-6*math.Max(1, math.Abs(float64(n))) {
			t.Fatalf("appendFixed(%v, %d) = %s but fixed counts %d", v, d, got, n)
		}
	}
}
