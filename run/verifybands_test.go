package run_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestVerifyChecksManifestBands checks that verify refuses a complete run whose manifest's
// bands (which paths the band quantiles count, and their error: what inspect shows) was
// edited, naming the field, and passes the run as written: each field is checked against
// the footer of bands.parquet, the stride also against the config, of_paths against the
// run's paths.
func TestVerifyChecksManifestBands(t *testing.T) {
	const paths, chunk, bandPaths = 1200, 300, 200 // stride 6, 200 paths in the bands
	dir := filepath.Join(t.TempDir(), "run")
	thinnedRun(t, dir, paths, 1, chunk, 5, bandPaths)
	orig, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := run.Verify(dir, run.VerifyOptions{}); err != nil || !rep.Intact() {
		t.Fatalf("verify of the run as written: %+v, %v", rep, err)
	}
	half := 0.5
	for _, c := range []struct {
		name string
		edit func(b *results.BandSample) *results.BandSample
		want []string // in the problems
	}{
		{"every path, as the hostile review wrote it", func(b *results.BandSample) *results.BandSample {
			return &results.BandSample{Stride: 1, Paths: paths, OfPaths: paths, MCError: &half}
		}, []string{"bands.stride 1", results.KeyBandStride, "the config gives 6", "bands.sample_paths", "bands.mc_error \"0.5\"", "bands.mc_error_at nothing"}},
		{"stride", func(b *results.BandSample) *results.BandSample { b.Stride = 5; return b }, []string{"bands.stride", "the config gives 6", "stride 5 over 1200 paths counts 240"}},
		{"sample_paths", func(b *results.BandSample) *results.BandSample { b.Paths = 1200; return b }, []string{"bands.sample_paths \"1200\"", `backstop.band_sample_paths "200"`}},
		{"of_paths", func(b *results.BandSample) *results.BandSample { b.OfPaths = 2400; return b }, []string{"bands.of_paths 2400, but the run has 1200 paths", `bands.of_paths "2400", but bands.parquet's footer has backstop.band_of_paths "1200"`}},
		{"note", func(b *results.BandSample) *results.BandSample { b.Note = results.NotePrecisionTarget; return b }, []string{"bands.note", results.KeyBandNote}},
		{"mc_error", func(b *results.BandSample) *results.BandSample { b.MCError = &half; return b }, []string{"bands.mc_error \"0.5\"", results.KeyBandMCError}},
		{"mc_error_p99 removed", func(b *results.BandSample) *results.BandSample { b.MCErrorP99 = nil; return b }, []string{"bands.mc_error_p99 nothing", results.KeyBandMCErrorP99}},
		{"mc_error_at", func(b *results.BandSample) *results.BandSample { b.MCErrorAt = "qe basis_bp day 1 p50"; return b }, []string{"bands.mc_error_at", results.KeyBandMCErrorAt}},
		{"bands removed", func(*results.BandSample) *results.BandSample { return nil }, []string{"no bands", results.KeyBandStride}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, results.ManifestFile), orig, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := results.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			m.Bands = c.edit(m.Bands)
			if err := results.WriteManifestFile(filepath.Join(dir, results.ManifestFile), m); err != nil {
				t.Fatal(err)
			}
			rep, err := run.Verify(dir, run.VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(rep.Problems, "\n")
			if rep.Intact() {
				t.Fatal("verify calls the run intact")
			}
			for _, w := range append(c.want, results.ManifestFile, "edited") {
				if !strings.Contains(got, w) {
					t.Errorf("the problems do not say %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestVerifyBandsOfTargetRun checks that verify passes the bands of a run with a precision
// target and a band subset as run wrote them: the stride it derives for the manifest is
// the one plan fixed, whatever the rule for such a run.
func TestVerifyBandsOfTargetRun(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths, cfg.Output.BandPaths = 6000, 500 // the most paths; the target stops well before
	dir := filepath.Join(t.TempDir(), "target")
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 500, Target: &run.Target{Metric: "peak_basis_bp", HalfWidth: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if m := o.Manifest; m.Paths >= int64(cfg.Paths) || m.Bands == nil {
		t.Fatalf("the target run drew %d of %d paths, bands %+v: the test needs it stopped early", m.Paths, cfg.Paths, m.Bands)
	}
	rep, err := run.Verify(dir, run.VerifyOptions{})
	if err != nil || !rep.Intact() {
		t.Fatalf("verify of a target run as written: %+v, %v", rep, err)
	}
}
