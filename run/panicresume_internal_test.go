package run

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
)

// TestPanicLeavesAResume checks that a run ended by a bug (a panic, here in drawing its
// figures) records in its manifest, with the failure, the command that finishes it, as
// any other failure does, and that the command does.
func TestPanicLeavesAResume(t *testing.T) {
	drawRunFigures = func(string, FigureOptions, []*results.PathColumns, *figureMetrics) ([]string, error) {
		panic("a bug in the figures")
	}
	defer func() { drawRunFigures = drawFigures }()
	cfg := configs.Baseline()
	cfg.Paths = 600
	opt := Options{Config: cfg, OutDir: filepath.Join(t.TempDir(), "run"), Figures: true, ChunkSize: 200}
	if _, err := Execute(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("a panicking run gave %v, want an internal error", err)
	}
	man, err := results.ReadManifest(opt.OutDir)
	if err != nil {
		t.Fatal(err)
	}
	if man.Status != results.StatusFailed || !strings.Contains(man.Resume, "--resume") {
		t.Fatalf("manifest after the panic: status %q, resume %q; want failed with the command that finishes it", man.Status, man.Resume)
	}
	drawRunFigures = drawFigures
	opt.Resume = true
	if _, err := Execute(context.Background(), opt); err != nil {
		t.Fatalf("resuming as the manifest says: %v", err)
	}
	if man, err := results.ReadManifest(opt.OutDir); err != nil || man.Status != results.StatusComplete {
		t.Fatalf("after the resume: %v, %v; want a finished run", man, err)
	}
}
