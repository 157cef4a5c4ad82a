package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestInterruptWhileFinishing checks that an interruption in the finish phase stops the
// run as interrupted (the command exits 130), with every chunk listed and the manifest
// incomplete, and that --resume finishes it into the same summary as an uninterrupted run.
func TestInterruptWhileFinishing(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	smallRun(t, ref, 600, 2, 200, 1)
	dir := filepath.Join(base, "run")
	cfg := configs.Baseline()
	cfg.Paths = 600
	ctx := run.CancelAfter(3)
	_, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: dir, Workers: 2, ChunkSize: 200})
	if !errors.Is(err, run.ErrInterrupted) {
		t.Fatalf("error %v, want an interruption", err)
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusIncomplete || len(m.Index) != 3 || m.Resume == "" {
		t.Fatalf("manifest after an interrupted finish: %+v, %v", m, err)
	}
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, Workers: 2, ChunkSize: 200, Resume: true}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	b, _ := os.ReadFile(filepath.Join(ref, results.SummaryFile))
	if len(a) == 0 || string(a) != string(b) {
		t.Fatal("the resumed run's summary differs from the uninterrupted run's")
	}
	rep, err := run.Verify(dir, run.VerifyOptions{})
	if err != nil || !rep.Intact() {
		t.Fatalf("verify after resume: %+v, %v", rep, err)
	}
}

// TestTargetNotReached checks that a precision target the paths cannot reach ends the run
// complete with all its paths, and says so in the manifest and the log.
func TestTargetNotReached(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 600
	var log strings.Builder
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(t.TempDir(), "run"), ChunkSize: 200, Log: &log,
		Target: &run.Target{Metric: "peak_basis_bp", HalfWidth: 1e-9}})
	if err != nil {
		t.Fatal(err)
	}
	m := o.Manifest
	if m.TargetReached == nil || *m.TargetReached || m.Paths != 600 || m.Status != results.StatusComplete {
		t.Fatalf("manifest: reached %v, %d paths, %s; want not reached, 600 paths, complete", m.TargetReached, m.Paths, m.Status)
	}
	if !strings.Contains(log.String(), "NOT reached") {
		t.Fatalf("log %q does not say the target was not reached", log.String())
	}
}

// TestStaleTempFilesRemoved checks that the temporary files a killed run leaves (a part
// being written, a checkpoint, the manifest, an output; each hidden, never renamed) are
// gone once the run is resumed, or started over with --force, and that a file of the
// user's in the directory stays.
func TestStaleTempFilesRemoved(t *testing.T) {
	stale := []string{
		filepath.Join(results.PathsDir, ".part-00002.parquet.tmp-1234567"),
		filepath.Join(run.TalliesDir, ".chunk-00002.bin.tmp-42"),
		".manifest.json.tmp-99",
		".effects.csv.tmp-7",
		filepath.Join(results.FiguresDir, ".basis_fan.png.tmp-5"),
	}
	for _, tc := range []struct {
		name string
		opt  run.Options
	}{
		{"resume", run.Options{Resume: true}},
		{"force", run.Options{Force: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			cfg := configs.Baseline()
			cfg.Paths = 600
			ctx := run.CancelAfter(2)
			if _, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: dir, Workers: 2, ChunkSize: 200}); !errors.Is(err, run.ErrInterrupted) {
				t.Fatalf("error %v, want an interruption", err)
			}
			for _, f := range append(slices.Clone(stale), "notes.tmp-mine.txt") {
				p := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			opt := tc.opt
			opt.Config, opt.OutDir, opt.Workers, opt.ChunkSize = cfg, dir, 2, 200
			if _, err := run.Execute(context.Background(), opt); err != nil {
				t.Fatal(err)
			}
			for _, f := range stale {
				if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s is still there (%v)", f, err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "notes.tmp-mine.txt")); err != nil {
				t.Errorf("the user's file is gone: %v", err)
			}
		})
	}
}
