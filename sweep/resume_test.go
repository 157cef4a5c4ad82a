package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sweep"
)

// cancelAfter is a log writer that cancels a context once it has seen n point lines.
type cancelAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Count(c.buf.String(), "sweep: point ") >= c.n {
		c.cancel()
	}
	return len(p), nil
}

// TestResumeEqualsUninterrupted interrupts a sweep after its first grid point, resumes it
// from the recorded manifest, and requires the rows of an uninterrupted sweep.
func TestResumeEqualsUninterrupted(t *testing.T) {
	body := "paths: 1200\nparameters:\n  - {key: spv.capacity, values: [100, 300, 500]}\n"
	dir := t.TempDir()
	ref := mustRun(t, mustDecode(t, body), sweep.Options{OutDir: filepath.Join(dir, "ref")})

	out := filepath.Join(dir, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := sweep.Run(ctx, mustDecode(t, body), sweep.Options{OutDir: out, Log: &cancelAfter{n: 1, cancel: cancel}})
	if !errors.Is(err, run.ErrInterrupted) || !strings.Contains(err.Error(), "resume with: backstop sweep --resume "+out) {
		t.Fatalf("interrupted sweep: %v; want run.ErrInterrupted (exit 130) and the resume command", err)
	}
	m, err := results.ReadSweepManifest(out)
	if err != nil || m.Status != results.StatusIncomplete || m.Points[0].Status != results.StatusComplete || m.Points[2].Status != sweep.StatusPending ||
		m.Resume != "backstop sweep --resume "+out {
		t.Fatalf("manifest after the interruption: %+v, %v", m, err)
	}
	if _, err := sweep.Run(context.Background(), mustDecode(t, body), sweep.Options{OutDir: out}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("a second plain run over it: %v; want a refusal naming --resume", err)
	}
	plan, err := sweep.Decode([]byte(m.Config), "manifest")
	if err != nil {
		t.Fatal(err)
	}
	// What kills leave: temporary files of writes never renamed, in the sweep's directory
	// and in the point already complete; the resume removes them.
	stale := []string{
		filepath.Join(out, ".sweep.parquet.tmp-12"),
		filepath.Join(out, results.PointsDir, filepath.Base(m.Points[0].Dir), ".bands.parquet.tmp-34"),
		filepath.Join(out, results.PointsDir, filepath.Base(m.Points[0].Dir), results.PathsDir, ".part-00000.parquet.tmp-56"),
	}
	for _, f := range stale {
		if err := os.WriteFile(f, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := sweep.Run(context.Background(), plan, sweep.Options{OutDir: out, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there after the resume (%v)", f, err)
		}
	}
	if !reflect.DeepEqual(got.Rows, ref.Rows) {
		t.Fatal("resumed sweep rows differ from the uninterrupted sweep's")
	}
	if _, err := sweep.Run(context.Background(), plan, sweep.Options{OutDir: out, Resume: true}); err == nil || !strings.Contains(err.Error(), "already complete") {
		t.Fatalf("resuming a complete sweep: %v", err)
	}
	// --force replaces a finished sweep, and gives the same rows.
	forced, err := sweep.Run(context.Background(), plan, sweep.Options{OutDir: out, Force: true})
	if err != nil || !reflect.DeepEqual(forced.Rows, ref.Rows) {
		t.Fatalf("--force over a finished sweep: %v", err)
	}
	// --force never replaces what is not a sweep: a run directory.
	runDir := filepath.Join(ref.Dir, "points", ref.Manifest.Points[0].Dir[len("points/"):])
	if _, err := sweep.Run(context.Background(), plan, sweep.Options{OutDir: runDir, Force: true}); err == nil || !strings.Contains(err.Error(), "does not hold a sweep") {
		t.Fatalf("--force over a run directory: %v", err)
	}
}
