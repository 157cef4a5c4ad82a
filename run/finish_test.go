package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// cancelAfter is a context whose Err reports cancellation from its (n+1)th call on: a run
// asks once per chunk, so n = chunks cancels it in its finish phase, deterministically.
type cancelAfter struct {
	context.Context
	calls atomic.Int64
	n     int64
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

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
	ctx := &cancelAfter{Context: context.Background(), n: 3}
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
