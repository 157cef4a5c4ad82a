package plots

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// syntheticSweep returns a sweep over the given grids whose metrics rise with the first
// parameter, fall with the second, and are lower under qe and spv.
func syntheticSweep(grids ...[]float64) *SweepInput {
	in := &SweepInput{Name: "synthetic", Paths: 5000, Policies: []string{"none", "qe", "spv"}, Estimates: map[string]map[string][]SweepEstimate{}}
	n := 1
	for i, g := range grids {
		in.Params = append(in.Params, SweepParam{Key: []string{"funds.b0", "funds.u_lo"}[i], About: "what it means", Values: g})
		n *= len(g)
	}
	for k, pol := range in.Policies {
		in.Estimates[pol] = map[string][]SweepEstimate{}
		for m, metric := range SweepMetrics {
			est := make([]SweepEstimate, n)
			for i := range est {
				x := grids[0][i/(n/len(grids[0]))]
				y := 0.0
				if len(grids) > 1 {
					y = grids[1][i%len(grids[1])]
				}
				mean := (x/100 - 3*y) * float64(m+1) / float64(k+1)
				if metric == ColCBPnL && pol == "none" {
					mean = 0
				}
				est[i] = SweepEstimate{Mean: mean, Lo: mean - 1, Hi: mean + 1}
			}
			in.Estimates[pol][metric] = est
		}
	}
	return in
}

func TestWriteSweepRendersEveryFigure(t *testing.T) {
	tests := []struct {
		name    string
		in      *SweepInput
		formats []string
	}{
		{"one parameter", syntheticSweep([]float64{500, 1500, 1000, 750}), []string{"png", "pdf", "svg"}},
		{"one parameter, one value", syntheticSweep([]float64{1000}), []string{"png"}},
		{"two parameters", syntheticSweep([]float64{500, 1000, 1500}, []float64{0, 0.5, 1, 0.25}), []string{"png"}},
		{"two parameters, one value each", syntheticSweep([]float64{1000}, []float64{0.2}), []string{"png"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := WriteSweep(tc.in, dir, Options{Formats: tc.formats})
			if err != nil {
				t.Fatal(err)
			}
			names := SweepNames(len(tc.in.Params))
			if len(files) != len(names)*len(tc.formats) {
				t.Fatalf("wrote %d files, want %d", len(files), len(names)*len(tc.formats))
			}
			for i, f := range files {
				if want := names[i/len(tc.formats)] + "." + tc.formats[i%len(tc.formats)]; filepath.Base(f) != want {
					t.Errorf("file %d is %s, want %s", i, filepath.Base(f), want)
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(f) {
				case ".png":
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("%s: %v", f, err)
					}
					if b := img.Bounds(); b.Dx() != int(math.Ceil(float64(PageWidth/72*PNGDPI))) {
						t.Errorf("%s: %d pixels wide, want %v in at %d dpi", f, b.Dx(), PageWidth/72, PNGDPI)
					}
					if v := lumaVariance(img); v < 100 {
						t.Errorf("%s: pixel variance %.1f: blank or nearly so", f, v)
					}
				case ".pdf":
					if !bytes.HasPrefix(data, []byte("%PDF-")) {
						t.Errorf("%s is not a PDF", f)
					}
				}
			}
		})
	}
}

func TestWriteSweepRejects(t *testing.T) {
	short := syntheticSweep([]float64{1, 2})
	short.Estimates["qe"][ColForcedSales] = short.Estimates["qe"][ColForcedSales][:1]
	three := syntheticSweep([]float64{1, 2})
	three.Params = append(three.Params, three.Params[0], three.Params[0])
	for name, tc := range map[string]struct {
		in   *SweepInput
		want string
	}{
		"missing estimates": {short, "forced_sales_bn under qe cover 1 grid points, want 2"},
		"three parameters":  {three, "one or two parameters"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := WriteSweep(tc.in, t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestHeatClasses checks that the classes cover the values with round breaks, on a log
// scale when positive values spread widely, and that every value falls in a class.
func TestHeatClasses(t *testing.T) {
	tests := []struct {
		lo, hi float64
		breaks []float64
	}{
		{14, 80, []float64{10, 20, 30, 40, 50, 60, 70, 80}},
		{3.4, 233, []float64{2, 5, 10, 20, 50, 100, 200, 500}},
		{0.7, 940, []float64{0.3, 1, 3, 10, 30, 100, 300, 1000}},
		{-0.02, 1.81, []float64{-0.5, 0, 0.5, 1, 1.5, 2}},
		{0, 0, []float64{0, 0.2}},
		{5, 5, []float64{5, 6}},
	}
	for _, tc := range tests {
		c := heatClasses(tc.lo, tc.hi, false)
		if !reflect.DeepEqual(c.breaks, tc.breaks) {
			t.Errorf("classes of [%g, %g]: breaks %v, want %v", tc.lo, tc.hi, c.breaks, tc.breaks)
		}
		if len(c.colors) != len(c.breaks)-1 || len(c.colors) > maxClasses {
			t.Errorf("classes of [%g, %g]: %d colors for %d breaks", tc.lo, tc.hi, len(c.colors), len(c.breaks))
		}
		for _, x := range []float64{tc.lo, (tc.lo + tc.hi) / 2, tc.hi} {
			i := c.class(x)
			if x < c.breaks[i] || x > c.breaks[i+1] {
				t.Errorf("classes of [%g, %g]: %g in class %d [%g, %g)", tc.lo, tc.hi, x, i, c.breaks[i], c.breaks[i+1])
			}
		}
	}
}

// TestDivergingScale checks that signed values get classes with 0 as a break, colored red
// below 0 and blue above, darker the farther from 0, and an exact 0 a neutral color; and
// that unsigned positive values keep a sequential scale.
func TestDivergingScale(t *testing.T) {
	luma := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		return 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)
	}
	tests := []struct {
		name   string
		lo, hi float64
		signed bool
	}{
		{"gains and losses", -3, 7, false},
		{"mostly losses", -120, 4, false},
		{"signed, all gains", 0.4, 2.5, true},
		{"signed, all losses", -9, -0.1, true},
		{"signed, all zero", 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := heatClasses(tc.lo, tc.hi, tc.signed)
			if c.zero == nil {
				t.Fatal("no neutral color for 0: not a diverging scale")
			}
			if !slices.Contains(c.breaks, 0) {
				t.Fatalf("breaks %v do not include 0", c.breaks)
			}
			if c.breaks[0] > tc.lo || c.breaks[len(c.breaks)-1] < tc.hi {
				t.Fatalf("breaks %v do not cover [%g, %g]", c.breaks, tc.lo, tc.hi)
			}
			for i, col := range c.colors {
				r, _, b, _ := col.RGBA()
				mid := (c.breaks[i] + c.breaks[i+1]) / 2
				if (mid < 0 && r <= b) || (mid > 0 && b <= r) {
					t.Errorf("class [%g, %g] colored %v: want red below 0, blue above", c.breaks[i], c.breaks[i+1], col)
				}
				if luma(col) >= luma(c.zero) {
					t.Errorf("class [%g, %g] is as light as the neutral 0", c.breaks[i], c.breaks[i+1])
				}
				if i > 0 && c.breaks[i] > 0 && luma(col) > luma(c.colors[i-1]) {
					t.Errorf("class [%g, %g] lighter than the class nearer 0", c.breaks[i], c.breaks[i+1])
				}
				if i+1 < len(c.colors) && c.breaks[i+1] < 0 && luma(col) > luma(c.colors[i+1]) {
					t.Errorf("class [%g, %g] lighter than the class nearer 0", c.breaks[i], c.breaks[i+1])
				}
			}
		})
	}
	if c := heatClasses(2, 9, false); c.zero != nil {
		t.Error("unsigned positive values got a diverging scale")
	}
}

func TestCellLabel(t *testing.T) {
	for x, want := range map[float64]string{-0.001: "0", 0: "0", 0.004: "0", 0.42: "0.42", -1.5: "-1.50", 233.4: "233", 14.08: "14.1"} {
		if got := cellLabel(x); got != want {
			t.Errorf("cellLabel(%g) = %q, want %q", x, got, want)
		}
	}
}
