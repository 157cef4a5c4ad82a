package run_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// figureNames lists the files under dir/figures.
func figureNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, results.FiguresDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestFiguresRedrawFromParquet checks that a run draws the whole set, that the figures are
// redrawn from the Parquet files alone after figures/ is deleted, and that LoadInput reads
// every part of a run split in several.
func TestFiguresRedrawFromParquet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	o := smallRunFigures(t, dir, 2000, 500)
	if want := 2 * len(plots.Names()); len(o.Figures) != want {
		t.Fatalf("run drew %d files, want %d (png and pdf of each figure)", len(o.Figures), want)
	}
	before := figureNames(t, dir)
	// The run draws from the metrics its convergence pass read, a redraw from the parts:
	// the files must be the same bytes (PDFs dated by the run).
	drawn := map[string][]byte{}
	for _, f := range o.Figures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		drawn[filepath.Base(f)] = b
	}
	if err := os.RemoveAll(filepath.Join(dir, results.FiguresDir)); err != nil {
		t.Fatal(err)
	}
	files, err := run.DrawFigures(dir, run.FigureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after := figureNames(t, dir); !reflect.DeepEqual(after, before) || len(files) != len(before) {
		t.Fatalf("redrawn set %v, want %v", after, before)
	}
	for _, f := range files {
		if b, err := os.ReadFile(f); err != nil || !bytes.Equal(b, drawn[filepath.Base(f)]) {
			t.Errorf("%s: redrawn from the parts differs from the run's (%v)", f, err)
		}
		if filepath.Ext(f) != ".png" {
			continue
		}
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(r)
		r.Close()
		if err != nil || cfg.Width < 1000 {
			t.Errorf("%s: %v, %d pixels wide (want a 300 dpi figure at least 3.5 in wide)", f, err, cfg.Width)
		}
	}

	in, err := run.LoadInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	if in.SampledPaths != 2000 || len(in.Metrics["spv"][plots.ColPeakBasis]) != 2000 {
		t.Fatalf("LoadInput read %d paths (%d spv rows) of a 4-part run of 2000", in.SampledPaths, len(in.Metrics["spv"][plots.ColPeakBasis]))
	}
	if in.Scenario != "baseline" || in.Paths != 2000 || in.Days != 60 || len(in.Bands["qe"][plots.SeriesBasis]) != 60 {
		t.Fatalf("LoadInput: scenario %q, %d paths, %d days, %d basis days", in.Scenario, in.Paths, in.Days, len(in.Bands["qe"][plots.SeriesBasis]))
	}
	if m, ok := in.Means["none"][plots.ColPeakBasis]; !ok || m <= 0 {
		t.Fatalf("LoadInput: mean peak basis from summary.csv = %v, %v", m, ok)
	}
}

// TestFiguresNameWhatIsMissing checks that redrawing a damaged run names the missing file.
func TestFiguresNameWhatIsMissing(t *testing.T) {
	tests := []struct {
		name   string
		remove string
		want   string
	}{
		{"no bands", results.BandsFile, results.BandsFile},
		{"no parts", results.PathsDir, "part-00000.parquet, which is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			smallRunFigures(t, dir, 600, 300)
			if err := os.RemoveAll(filepath.Join(dir, tc.remove)); err != nil {
				t.Fatal(err)
			}
			_, err := run.DrawFigures(dir, run.FigureOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to name %q", err, tc.want)
			}
		})
	}
}

// TestTargetRunFiguresEqualRedrawn checks that a run stopped by a precision target draws
// the figures a redraw from its parts draws: the run keeps the metrics of the parts it
// drew, not of the most paths it might have drawn.
func TestTargetRunFiguresEqualRedrawn(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 20_000 // the most; the target stops the run well before
	dir := filepath.Join(t.TempDir(), "run")
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 500, Figures: true,
		Target: &run.Target{Metric: "peak_basis_bp", HalfWidth: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Manifest.Paths >= int64(cfg.Paths) || o.Manifest.Paths <= 500 {
		t.Fatalf("the target stopped the run at %d of %d paths; want several chunks, not all", o.Manifest.Paths, cfg.Paths)
	}
	drawn := map[string][]byte{}
	for _, f := range o.Figures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		drawn[f] = b
	}
	files, err := run.DrawFigures(dir, run.FigureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(o.Figures) {
		t.Fatalf("redrew %d files, the run drew %d", len(files), len(o.Figures))
	}
	for _, f := range files {
		if b, err := os.ReadFile(f); err != nil || !bytes.Equal(b, drawn[f]) {
			t.Errorf("%s: redrawn from the parts differs from the run's (%v)", f, err)
		}
	}
}
