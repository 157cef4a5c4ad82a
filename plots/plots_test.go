package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// synthetic returns an Input shaped like a run's: a basis that spikes and decays, holdings
// that build up (and, for spv, close at expiry), and per-path metrics from fixed seeds.
func synthetic(paths int) *Input {
	return syntheticOf(paths, "none", "qe", "spv")
}

// syntheticOf is synthetic with the given policies (the first is the no-backstop one).
func syntheticOf(paths int, pols ...string) *Input {
	in := &Input{
		Scenario: "synthetic", Paths: int64(paths), Policies: pols, Days: 60, NFunds: 10,
		BDys: 20, TExp: 40, SampledPaths: int64(paths),
		Bands: map[string]map[string][]BandPoint{}, Metrics: map[string]map[string][]float64{},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k, pol := range pols {
		scale := 1 / float64(k+1)
		in.Bands[pol] = map[string][]BandPoint{}
		for t := 0; t < in.Days; t++ {
			b := 100 * scale * float64(t) / 8 * math.Exp(1-float64(t)/8)
			in.Bands[pol][SeriesBasis] = append(in.Bands[pol][SeriesBasis], BandPoint{Day: t, Mean: b, P05: 0.1 * b, P25: 0.5 * b, P50: b, P75: 1.5 * b, P95: 2 * b})
			h := 0.0
			if k > 0 && pol != "slr" && (pol != "spv" || t < in.TExp) {
				h = 300 * (1 - math.Exp(-float64(t)/10))
			}
			in.Bands[pol][SeriesCBHolding] = append(in.Bands[pol][SeriesCBHolding], BandPoint{Day: t, Mean: h, P05: 0, P25: 0.5 * h, P50: h, P75: 1.2 * h, P95: 1.5 * h})
		}
		m := map[string][]float64{}
		for i := 0; i < paths; i++ {
			stress := rng.Float64() < 0.5
			peak := math.Exp(rng.NormFloat64()) * 3
			if stress {
				peak = 150*scale + 10*rng.NormFloat64()
			}
			m[ColPeakBasis] = append(m[ColPeakBasis], math.Max(peak, 0.1))
			m[ColForcedSales] = append(m[ColForcedSales], math.Max(0, 300*scale+200*rng.NormFloat64()))
			d := 0.0
			if stress && rng.Float64() < scale {
				d = 10
			}
			m[ColFundsDefault] = append(m[ColFundsDefault], d)
			hold, dv01, pnl := 0.0, 0.0, 0.0
			if k > 0 && pol != "slr" && stress {
				hold = 300 * rng.Float64()
				pnl = rng.NormFloat64() * 10 / float64(k)
				if pol == "qe" {
					dv01 = 8 * hold * 1e-4
				}
			}
			m[ColPeakCBHolding] = append(m[ColPeakCBHolding], hold)
			m[ColCBDV01] = append(m[ColCBDV01], dv01)
			m[ColCBPnL] = append(m[ColCBPnL], pnl)
		}
		in.Metrics[pol] = m
	}
	return in
}

func TestWriteAllRendersEveryFigure(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
	}{
		{"natural size", Options{Formats: []string{"png", "pdf", "svg"}}},
		{"overridden size", Options{Formats: []string{"png"}, Width: 5 * vg.Inch, Height: 3 * vg.Inch}},
	}
	in := synthetic(3000)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := WriteAll(in, dir, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if want := len(Names()) * len(tc.opt.Formats); len(files) != want {
				t.Fatalf("wrote %d files, want %d", len(files), want)
			}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				switch filepath.Ext(f) {
				case ".png":
					checkPNG(t, f, data, tc.opt)
				case ".pdf":
					if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("/FontFile")) {
						t.Errorf("%s: not a PDF with embedded fonts", f)
					}
				case ".svg":
					var doc struct {
						XMLName xml.Name
					}
					if err := xml.Unmarshal(data, &doc); err != nil || doc.XMLName.Local != "svg" {
						t.Errorf("%s: not an SVG document (%v)", f, err)
					}
				}
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*"))
			if len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// checkPNG checks that a figure decodes at the requested size and 300 dpi and is not blank.
func checkPNG(t *testing.T, name string, data []byte, opt Options) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	w, h := naturalSize(filepath.Base(name))
	if opt.Width > 0 {
		w, h = opt.Width, opt.Height
	}
	wantW, wantH := int(math.Ceil(float64(w/vg.Inch)*PNGDPI)), int(math.Ceil(float64(h/vg.Inch)*PNGDPI))
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("%s: %dx%d pixels, want %dx%d", name, b.Dx(), b.Dy(), wantW, wantH)
	}
	if v := lumaVariance(img); v < 100 {
		t.Errorf("%s: pixel variance %.1f: blank or nearly so", name, v)
	}
}

// naturalSize is the size a figure takes when Options give none.
func naturalSize(file string) (w, h vg.Length) {
	stem := strings.TrimSuffix(file, filepath.Ext(file))
	for _, s := range figureSet {
		if s.name == stem {
			f := s.build(synthetic(10))
			return f.width, f.height
		}
	}
	panic("unknown figure " + file)
}

// lumaVariance is the variance of the pixels' luma (0-255): a blank white image has 0, and
// a chart of thin black lines on white a few hundred.
func lumaVariance(img image.Image) float64 {
	var s, s2, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			s, s2, n = s+l, s2+l*l, n+1
		}
	}
	m := s / n
	return s2/n - m*m
}

func TestBlankImageHasNoVariance(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	if v := lumaVariance(img); v != 0 {
		t.Fatalf("variance of a blank image = %g", v)
	}
}

func TestWriteAllRejects(t *testing.T) {
	missing := synthetic(100)
	delete(missing.Metrics["qe"], ColCBPnL)
	noBand := synthetic(100)
	delete(noBand.Bands["spv"], SeriesBasis)
	tests := []struct {
		name string
		in   *Input
		opt  Options
		want string
	}{
		{"unknown format", synthetic(100), Options{Formats: []string{"jpeg"}}, `figure format "jpeg": allowed are png, pdf, svg`},
		{"tiny", synthetic(100), Options{Width: vg.Points(10), Height: vg.Inch}, "allowed are 1 to 40 inches"},
		{"missing column", missing, Options{}, `per-path metrics lack column "cb_pnl_bn" for policy "qe"`},
		{"missing series", noBand, Options{}, `bands hold no series "basis_bp" for policy "spv"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteAll(tc.in, t.TempDir(), tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFiguresWithoutPurchasesOrBaseline(t *testing.T) {
	in := synthetic(500)
	in.Policies = []string{"none"} // no central bank, no comparison
	files, err := WriteAll(in, t.TempDir(), Options{Formats: []string{"png"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(Names()) {
		t.Fatalf("wrote %d files, want %d", len(files), len(Names()))
	}
}

func TestBinningShares(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	heavy := make([]float64, 5000) // log-normal with a wide spread: wants a log axis
	light := make([]float64, 5000) // normal: linear
	for i := range heavy {
		heavy[i] = math.Exp(2 * rng.NormFloat64())
		light[i] = rng.NormFloat64()
	}
	tests := []struct {
		name      string
		values    []float64
		scale     binScale
		wantLog   bool
		wantTotal float64
	}{
		{"heavy tail on a log axis", heavy, logIfSpread, true, 100},
		{"heavy tail kept linear", heavy, linear, false, 100},
		{"normal stays linear", light, logIfSpread, false, 100},
		{"trimmed drops 1%", light, linearTrimmed, false, 99},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBinning([][]float64{tc.values}, 40, tc.scale)
			if b.log != tc.wantLog {
				t.Errorf("log axis = %v, want %v", b.log, tc.wantLog)
			}
			total := 0.0
			for _, s := range b.shares(tc.values) {
				total += s
			}
			// Trimming drops the 0.5% beyond each end, up to ties at the cut: one value.
			if math.Abs(total-tc.wantTotal) > 100.0/float64(len(tc.values))+1e-9 {
				t.Errorf("shares sum to %.3f%%, want %.1f%%", total, tc.wantTotal)
			}
		})
	}
}

func TestPolicyColorsAreFixedAndDistinct(t *testing.T) {
	pols := []string{"none", "qe", "spv", "srf", "cap"}
	seen := map[string]string{}
	for _, p := range pols {
		c := fmt.Sprint(PolicyColor(p, pols))
		if other, ok := seen[c]; ok {
			t.Errorf("%s and %s share color %s", p, other, c)
		}
		seen[c] = p
	}
	if PolicyColor("spv", []string{"spv"}) != PolicyColor("spv", pols) {
		t.Error("spv's color depends on the run's other policies")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -20000: "-20,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
