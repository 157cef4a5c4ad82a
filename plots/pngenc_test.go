package plots

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// randomRGBA returns a w x h image at (x0, y0) of random pixels, opaque when opaque
// (alpha 255), else with random alpha (premultiplied, as image.RGBA holds them).
func randomRGBA(seed uint64, x0, y0, w, h int, opaque bool) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	m := image.NewRGBA(image.Rect(x0, y0, x0+w, y0+h))
	for y := y0; y < y0+h; y++ {
		for x := x0; x < x0+w; x++ {
			a := uint8(255)
			if !opaque {
				a = uint8(r.IntN(256))
			}
			m.SetRGBA(x, y, color.RGBA{uint8(r.IntN(int(a) + 1)), uint8(r.IntN(int(a) + 1)), uint8(r.IntN(int(a) + 1)), a})
		}
	}
	return m
}

// samePixels reports the first pixel where a and b differ in bounds or colour.
func samePixels(a, b image.Image) error {
	if a.Bounds().Size() != b.Bounds().Size() {
		return errors.New("sizes differ: " + a.Bounds().String() + " vs " + b.Bounds().String())
	}
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			ca := color.NRGBA64Model.Convert(a.At(ab.Min.X+x, ab.Min.Y+y))
			cb := color.NRGBA64Model.Convert(b.At(bb.Min.X+x, bb.Min.Y+y))
			if ca != cb {
				return errors.New("pixel differs at " + image.Pt(x, y).String())
			}
		}
	}
	return nil
}

// samePixelsOffRims is samePixels for the pixels of a and b on no rim of discs.
func samePixelsOffRims(a, b image.Image, discs []pixelDisc) error {
	if a.Bounds().Size() != b.Bounds().Size() {
		return errors.New("sizes differ: " + a.Bounds().String() + " vs " + b.Bounds().String())
	}
	ab, bb := a.Bounds(), b.Bounds()
	onRim := rimMask(discs, ab.Dx(), ab.Dy())
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			if onRim[y*ab.Dx()+x] {
				continue
			}
			ca := color.NRGBA64Model.Convert(a.At(ab.Min.X+x, ab.Min.Y+y))
			cb := color.NRGBA64Model.Convert(b.At(bb.Min.X+x, bb.Min.Y+y))
			if ca != cb {
				return errors.New("pixel differs at " + image.Pt(x, y).String())
			}
		}
	}
	return nil
}

// TestEncodePNGRoundTrips checks that encodePNG's files decode (with image/png, which we
// did not write) to exactly the pixels image/png's own encoding of the image decodes to,
// and the opaque ones to the image's own pixels, on the fast path (opaque RGBA, also a
// sub-image whose rows do not start at the buffer's start) and the fallback (translucent
// RGBA, other image types), and that the fast path writes 8-bit RGB.
func TestEncodePNGRoundTrips(t *testing.T) {
	big := randomRGBA(7, 0, 0, 300, 40, true)
	gray := image.NewGray(image.Rect(0, 0, 17, 9))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 37)
	}
	for _, tc := range []struct {
		name  string
		img   image.Image
		model color.Model // the decoded image's colour model
	}{
		{"opaque 1x1", randomRGBA(1, 0, 0, 1, 1, true), color.RGBAModel},
		{"opaque 3x2", randomRGBA(2, 0, 0, 3, 2, true), color.RGBAModel},
		{"opaque 257x5 offset", randomRGBA(3, -4, 11, 257, 5, true), color.RGBAModel},
		{"opaque 40000 rows of 1 (many IDAT chunks)", randomRGBA(4, 0, 0, 1, 40000, true), color.RGBAModel},
		{"opaque sub-image", big.SubImage(image.Rect(13, 7, 211, 33)), color.RGBAModel},
		{"white figure-like", image.NewUniform(color.White), nil},
		{"translucent falls back", randomRGBA(5, 0, 0, 31, 17, false), color.NRGBAModel},
		{"gray falls back", gray, color.GrayModel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.img
			if u, ok := img.(*image.Uniform); ok { // an opaque RGBA of one colour, 64 x 64
				m := image.NewRGBA(image.Rect(0, 0, 64, 64))
				for y := 0; y < 64; y++ {
					for x := 0; x < 64; x++ {
						m.Set(x, y, u.C)
					}
				}
				img, tc.model = m, color.RGBAModel
			}
			var buf bytes.Buffer
			if err := encodePNG(&buf, img); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			// The pixels image/png's own encoder keeps (it rounds translucent pixels to
			// non-premultiplied colour); for an opaque image, the image's own.
			var ref bytes.Buffer
			if err := png.Encode(&ref, img); err != nil {
				t.Fatal(err)
			}
			want, err := png.Decode(&ref)
			if err != nil {
				t.Fatal(err)
			}
			if err := samePixels(want, got); err != nil {
				t.Fatalf("against image/png's encoding: %v", err)
			}
			if tc.model == color.RGBAModel {
				if err := samePixels(img, got); err != nil {
					t.Fatal(err)
				}
			}
			if got.ColorModel() != tc.model {
				t.Errorf("decoded colour model %v, want %v", got.ColorModel(), tc.model)
			}
		})
	}
}

// TestFigurePNGsKeepPixels checks on real figures that the PNG files hold exactly the
// pixels of the figure drawn on gonum's own image canvas (its white page painted) and
// written by image/png's own encoder, but on the rims of the scatter's dots, which
// fastPNG paints itself (TestPNGDotsMatchGonum compares those), and (where pngcheck is installed;
// in CI it must be) that an independent checker accepts every file.
func TestFigurePNGsKeepPixels(t *testing.T) {
	in := synthetic(400)
	var files []string
	dots := 0
	// The natural sizes, and a width (with the heights that follow) that is no whole
	// number of pixels, where a canvas sized by its image would lay the figure out
	// differently.
	for _, width := range []vg.Length{0, 4.1234 * vg.Inch} {
		dir := t.TempDir()
		written, err := WriteAll(in, dir, Options{Formats: []string{"png"}, Width: width})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, written...)
		for i, spec := range figureSet {
			fig := spec.build(in)
			w, h := fig.width, fig.height
			if width > 0 {
				w, h = width, fig.heightAt(width)
			}
			c := newDotSpy(w, h)
			fig.draw(draw.New(c))
			var want bytes.Buffer
			if err := png.Encode(&want, c.Image()); err != nil {
				t.Fatal(err)
			}
			wantImg, err := png.Decode(&want)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(written[i])
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Base(written[i]) != spec.name+".png" {
				t.Fatalf("file %d is %s, want %s.png", i, written[i], spec.name)
			}
			got, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", written[i], err)
			}
			// The dots fastPNG paints itself differ on their rims (TestPNGDotsMatchGonum).
			if err := samePixelsOffRims(wantImg, got, c.discs); err != nil {
				t.Errorf("%s at width %v: %v", written[i], width, err)
			}
			dots += len(c.discs)
		}
	}
	if dots == 0 {
		t.Error("no figure drew a dot: the dots' rims were not exempted from anything")
	}
	pngcheck, err := exec.LookPath("pngcheck")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pngcheck is not installed (.ci/run installs it)")
		}
		t.Log("pngcheck not installed: files checked with image/png only")
		return
	}
	if out, err := exec.Command(pngcheck, files...).CombinedOutput(); err != nil {
		t.Fatalf("pngcheck: %v\n%s", err, out)
	}
}
