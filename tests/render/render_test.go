// Package render_test renders every figure of real runs the way a reader's viewer does and
// checks it against the PNG twin: each PDF through poppler (pdftoppm, pdftotext), each SVG
// through librsvg (rsvg-convert). It catches what a unit test of the drawing code cannot:
// translucent fills that a PDF viewer prints dark, text that extracts as mojibake, and SVGs
// that depend on fonts the reader may not have. .ci/run installs poppler-utils and
// librsvg2-bin; in CI (CI set) a missing tool fails the test, elsewhere it skips.
package render_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/internal/testbin"
)

// backstopBinary builds the command once per test process.
func backstopBinary(t *testing.T) string { return testbin.Backstop(t) }

// needTools fails (in CI) or skips (elsewhere) when a rasterizer is missing.
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "rsvg-convert"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required in CI (apt-get install poppler-utils librsvg2-bin)", tool)
			}
			t.Skipf("%s not installed (apt-get install poppler-utils librsvg2-bin)", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// TestFiguresRenderAsThePNG draws a 3-policy run, the 6-policy escalation run and a one-
// and a two-parameter sweep in every format, and checks every PDF and SVG against its PNG.
func TestFiguresRenderAsThePNG(t *testing.T) {
	needTools(t)
	bin := backstopBinary(t)
	dir, renders := t.TempDir(), t.TempDir()
	sweep2 := filepath.Join(dir, "sweep2.yaml")
	sweep1 := filepath.Join(dir, "sweep1.yaml")
	write(t, sweep2, "name: s2\npaths: 300\nseed: 1\nparameters:\n  - key: spv.discount\n    values: [0, 10]\n  - key: funds.b0\n    values: [500, 1000]\n")
	write(t, sweep1, "name: s1\npaths: 300\nseed: 1\nparameters:\n  - key: funds.u_lo\n    values: [0, 0.5, 0.9]\n")
	const formats = "png,pdf,svg"
	at := func(name string) string { return filepath.Join(dir, name) }
	// The 3-policy run's bands count a subset of its paths: the fan charts, redrawn from
	// the files, say so.
	subset := map[string]string{"basis_fan": "bands from 250 of 1,000 paths", "cb_balance_sheet": "bands from 250 of 1,000 paths"}
	cases := []struct {
		name string
		figs string // the directory of the figures
		cmds [][]string
		text map[string]string // figure name: a text its PDF must hold
	}{
		{"three policies", "r3/figures", [][]string{
			{"run", "--paths", "1000", "--band-paths", "250", "--policies", "none,qe,spv", "--no-figures", "--quiet", "--out", at("r3")},
			{"plot", "--format", formats, at("r3")},
		}, subset},
		{"three policies, one column wide", "r3narrow/figures", [][]string{
			{"cp", at("r3"), at("r3narrow")}, // the same run, redrawn
			{"plot", "--format", formats, "--width", "3.5", at("r3narrow")},
		}, subset},
		{"six policies", "r6/figures", [][]string{
			{"run", "--config", "../../configs/escalation.yaml", "--paths", "1000", "--no-figures", "--quiet", "--out", at("r6")},
			{"plot", "--format", formats, at("r6")},
		}, nil},
		{"one-parameter sweep", "s1/figures", [][]string{{"sweep", "--config", sweep1, "--format", formats, "--quiet", "--out", at("s1")}}, nil},
		{"two-parameter sweep", "s2/figures", [][]string{{"sweep", "--config", sweep2, "--format", formats, "--quiet", "--out", at("s2")}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range tc.cmds {
				if c[0] == "cp" {
					if err := os.CopyFS(c[2], os.DirFS(c[1])); err != nil {
						t.Fatal(err)
					}
					continue
				}
				run(t, bin, c...)
			}
			pngs, _ := filepath.Glob(filepath.Join(dir, tc.figs, "*.png"))
			if len(pngs) == 0 {
				t.Fatalf("no figures in %s", tc.figs)
			}
			for _, p := range pngs {
				checkTwins(t, p, renders)
			}
			for name, want := range tc.text {
				pdf := filepath.Join(dir, tc.figs, name+".pdf")
				txt, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext %s: %v", pdf, err)
				}
				if got := strings.Join(strings.Fields(string(txt)), " "); !strings.Contains(got, want) {
					t.Errorf("%s does not say %q: %q", pdf, want, got)
				}
			}
		})
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// renderDPI is the resolution the PDF and SVG are rasterized at; the 300-dpi PNG is
// averaged down to it.
const renderDPI = 100

// checkTwins renders the PDF and SVG of the figure whose PNG is pngPath and compares
// their colors with the PNG's; it also checks the PDF's text.
func checkTwins(t *testing.T, pngPath, renders string) {
	t.Helper()
	stem := strings.TrimSuffix(pngPath, ".png")
	ref := downsample(readPNG(t, pngPath), 3)
	b := ref.Bounds()

	out := filepath.Join(renders, filepath.Base(filepath.Dir(filepath.Dir(stem)))+"-"+filepath.Base(stem))
	pdfOut := out + ".pdf-render"
	run(t, "pdftoppm", "-png", "-r", fmt.Sprint(renderDPI), "-singlefile", stem+".pdf", pdfOut)
	svgOut := out + ".svg-render.png"
	run(t, "rsvg-convert", "--background-color", "white", "-w", fmt.Sprint(b.Dx()), "-h", fmt.Sprint(b.Dy()), "-o", svgOut, stem+".svg")
	for _, r := range []struct{ kind, path string }{{"PDF", pdfOut + ".png"}, {"SVG", svgOut}} {
		img := readPNG(t, r.path)
		d := colorDistance(colorClasses(ref), colorClasses(img))
		t.Logf("%s %s: color distance %.3f", filepath.Base(stem), r.kind, d)
		if d > maxColorDistance {
			t.Errorf("%s: the %s renders in other colors than the PNG: distance %.3f > %.2f\n  PNG %s\n  %s %s",
				filepath.Base(stem), r.kind, d, maxColorDistance, describe(colorClasses(ref)), r.kind, describe(colorClasses(img)))
		}
	}

	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", stem+".pdf", "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s.pdf: %v", stem, err)
	}
	text := string(txt)
	for _, bad := range []string{"â€", "Â", "Ã", "\uFFFD"} {
		if strings.Contains(text, bad) {
			i := strings.Index(text, bad)
			t.Errorf("%s.pdf: text extracts as mojibake %q near %q", filepath.Base(stem), bad, text[max(0, i-30):min(len(text), i+30)])
		}
	}
	if len(strings.Fields(text)) < 5 {
		t.Errorf("%s.pdf: extracted text %q: the PDF has no real text", filepath.Base(stem), text)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// downsample averages k x k blocks of img, composited on white.
func downsample(img image.Image, k int) image.Image {
	if rgba, ok := img.(*image.RGBA); ok {
		return downsampleRGBA(rgba, k)
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()/k, b.Dy()/k))
	for y := 0; y < b.Dy()/k; y++ {
		for x := 0; x < b.Dx()/k; x++ {
			var r, g, bl float64
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					c := onWhite(img.At(b.Min.X+x*k+dx, b.Min.Y+y*k+dy))
					r, g, bl = r+c[0], g+c[1], bl+c[2]
				}
			}
			n := float64(k * k)
			out.SetNRGBA(x, y, color.NRGBA{uint8(r/n + 0.5), uint8(g/n + 0.5), uint8(bl/n + 0.5), 255})
		}
	}
	return out
}

// downsampleRGBA is downsample for the premultiplied RGBA images PNG decoding gives.
func downsampleRGBA(img *image.RGBA, k int) image.Image {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()/k, b.Dy()/k))
	n := float64(k * k)
	for y := 0; y < b.Dy()/k; y++ {
		for x := 0; x < b.Dx()/k; x++ {
			var sum [3]float64
			for dy := 0; dy < k; dy++ {
				i := img.PixOffset(b.Min.X+x*k, b.Min.Y+y*k+dy)
				for dx := 0; dx < k; dx++ {
					p := img.Pix[i+4*dx : i+4*dx+4]
					w := 255 - float64(p[3])
					sum[0] += float64(p[0]) + w
					sum[1] += float64(p[1]) + w
					sum[2] += float64(p[2]) + w
				}
			}
			out.SetNRGBA(x, y, color.NRGBA{uint8(sum[0]/n + 0.5), uint8(sum[1]/n + 0.5), uint8(sum[2]/n + 0.5), 255})
		}
	}
	return out
}

// onWhite returns c composited on a white page, as 0-255 RGB.
func onWhite(c color.Color) [3]float64 {
	r, g, b, a := c.RGBA() // premultiplied
	w := 65535 - float64(a)
	return [3]float64{(float64(r) + w) / 257, (float64(g) + w) / 257, (float64(b) + w) / 257}
}

// The color classes of a figure: its pixels' shares of 12 hue sectors of color and of
// gray or black ink; white page pixels are not counted. A pixel is split between gray and
// color by its chroma, and its color between the two nearest sector centers by its hue, so
// a color near a class boundary does not jump between classes on a small change.
const (
	hueSectors = 12
	grayClass  = hueSectors
	nClasses   = hueSectors + 1
	fullChroma = 48 // chroma (max - min channel, 0-255) from which a pixel counts as all color
)

// maxColorDistance bounds the total-variation distance between the color classes of a
// PNG and its rendered twin. Measured on this test's runs: correct renders give at most
// 0.047 (anti-aliasing at another resolution moves edge pixels between classes); the same
// figures through gonum's vgpdf, whose translucent fills print dark, give 0.068 (a pathwise
// scatter of translucent dots) to 0.5 (fans and histograms); heat maps and bar charts,
// opaque, pass either way.
const maxColorDistance = 0.06

// colorClasses returns the share of each color class among the non-white pixels of img.
func colorClasses(img image.Image) [nClasses]float64 {
	var n [nClasses]float64
	total := 0.0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := onWhite(img.At(x, y))
			hi := math.Max(c[0], math.Max(c[1], c[2]))
			lo := math.Min(c[0], math.Min(c[1], c[2]))
			if lo > 245 {
				continue // the page
			}
			total++
			colored := math.Min(1, (hi-lo)/fullChroma)
			n[grayClass] += 1 - colored
			if colored == 0 {
				continue
			}
			pos := hue(c)/360*hueSectors - 0.5 // in sector units from the first center
			i := math.Floor(pos)
			frac := pos - i
			n[(int(i)+hueSectors)%hueSectors] += colored * (1 - frac)
			n[(int(i)+1+hueSectors)%hueSectors] += colored * frac
		}
	}
	for i := range n {
		n[i] /= math.Max(total, 1)
	}
	return n
}

// hue returns the HSV hue of an RGB color in degrees.
func hue(c [3]float64) float64 {
	r, g, b := c[0], c[1], c[2]
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	d := hi - lo
	var h float64
	switch hi {
	case r:
		h = math.Mod((g-b)/d, 6)
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return h
}

// colorDistance is the total-variation distance between two class distributions.
func colorDistance(a, b [nClasses]float64) float64 {
	d := 0.0
	for i := range a {
		d += math.Abs(a[i] - b[i])
	}
	return d / 2
}

// describe lists the classes over 2%, largest first.
func describe(n [nClasses]float64) string {
	type kv struct {
		name  string
		share float64
	}
	var s []kv
	for i, v := range n {
		if v < 0.02 {
			continue
		}
		name := "gray"
		if i < hueSectors {
			name = fmt.Sprintf("hue %d-%d°", i*360/hueSectors, (i+1)*360/hueSectors)
		}
		s = append(s, kv{name, v})
	}
	sort.Slice(s, func(i, j int) bool { return s[i].share > s[j].share })
	var parts []string
	for _, e := range s {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", e.name, 100*e.share))
	}
	return strings.Join(parts, ", ")
}
