package plots

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParallelDrawingMatchesSequential draws the figure set one figure at a time and
// several at a time, started in set order, slow figures first (as WriteAll does) and in
// reverse: the files must be byte for byte the same (PDFs too, since all are dated by the
// run), and listed in the same order, the set's. Run with -race, it also checks that
// figures drawn at once share nothing they change.
func TestParallelDrawingMatchesSequential(t *testing.T) {
	in := synthetic(2000)
	in.Created = time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
	opt := Options{Formats: Formats, Date: in.Created}
	names, figs := figureSetOf(in)
	draw := func(workers int, order []int) (string, []string) {
		dir := t.TempDir()
		files, err := writeFiguresBy(workers, dir, opt, names, figs, order)
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		rel := make([]string, len(files))
		for i, f := range files {
			rel[i], _ = filepath.Rel(dir, f)
		}
		return dir, rel
	}
	inSet := make([]int, len(figs))
	for i := range inSet {
		inSet[i] = i
	}
	slowFirst := drawOrder(figureSet, slowFigures)
	if slices.Equal(slowFirst, inSet) {
		t.Fatalf("draw order %v starts no slow figure %v first", slowFirst, slowFigures)
	}
	reversed := slices.Clone(inSet)
	slices.Reverse(reversed)
	seqDir, seq := draw(1, inSet)
	if want := len(names) * len(Formats); len(seq) != want {
		t.Fatalf("files drawn one at a time %v; want %d", seq, want)
	}
	for _, tc := range []struct {
		name    string
		workers int
		order   []int
	}{
		{"at once", len(figs), inSet},
		{"two at a time, slow first", 2, slowFirst},
		{"at once, reversed", len(figs), reversed},
	} {
		parDir, par := draw(tc.workers, tc.order)
		if !slices.Equal(seq, par) {
			t.Fatalf("files drawn one at a time %v, %s %v; want the same order", seq, tc.name, par)
		}
		for _, f := range seq {
			a, err := os.ReadFile(filepath.Join(seqDir, f))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(parDir, f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between drawing one at a time and %s", f, tc.name)
			}
		}
	}
	pdf, err := os.ReadFile(filepath.Join(seqDir, names[0]+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("/CreationDate (D:20261128040000")) {
		t.Errorf("%s.pdf is not dated by the run's creation time", names[0])
	}
}

// TestRedrawnPDFsAreIdentical draws the figure set twice, a moment apart, through WriteAll:
// the PDFs carry the run's date, not the time of drawing, so they are the same bytes.
func TestRedrawnPDFsAreIdentical(t *testing.T) {
	in := synthetic(500)
	in.Created = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	opt := Options{Formats: []string{"pdf"}}
	a, b := t.TempDir(), t.TempDir()
	if _, err := WriteAll(in, a, opt); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // PDF dates have one-second resolution
	if _, err := WriteAll(in, b, opt); err != nil {
		t.Fatal(err)
	}
	for _, name := range Names() {
		x, _ := os.ReadFile(filepath.Join(a, name+".pdf"))
		y, _ := os.ReadFile(filepath.Join(b, name+".pdf"))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s.pdf differs between two drawings of the same run", name)
		}
	}
}

// TestParallelDrawingReportsFirstError makes two figures fail (one panics while it is built,
// one cannot be drawn): the error is the first failing figure's in figure order, however
// many are drawn at once, and the files listed are those written before it.
func TestParallelDrawingReportsFirstError(t *testing.T) {
	in := synthetic(500)
	names, figs := figureSetOf(in)
	figs = slices.Clone(figs)
	figs[1] = func() *figure { panic("no data") }
	figs[3] = func() *figure { panic("later failure") }
	for _, workers := range []int{1, len(figs)} {
		files, err := writeFiguresBy(workers, t.TempDir(), Options{Formats: []string{"svg"}}, names, figs, nil)
		if err == nil || !strings.Contains(err.Error(), names[1]) || !strings.Contains(err.Error(), "no data") {
			t.Errorf("%d workers: error %v, want the failure of %s", workers, err, names[1])
		}
		if len(files) != 1 || filepath.Base(files[0]) != names[0]+".svg" {
			t.Errorf("%d workers: files %v, want only %s.svg", workers, files, names[0])
		}
	}
}

// BenchmarkWriteFigures draws the figure set (PNG and PDF) one figure at a time and up to
// GOMAXPROCS at a time, in one run, so the two compare under the same machine load.
func BenchmarkWriteFigures(b *testing.B) {
	in := synthetic(20000)
	names, figs := figureSetOf(in)
	for _, bc := range []struct {
		name    string
		workers int
	}{{"sequential", 1}, {"parallel", runtime.GOMAXPROCS(0)}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := writeFiguresBy(bc.workers, b.TempDir(), Options{}, names, figs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
