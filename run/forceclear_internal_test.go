package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
)

// TestForceWritesFirstManifestBeforeSampling checks when a run that replaces another
// (--force) has its own manifest on disk: right after the previous run's files are gone,
// on the removal's goroutine, not when its first chunk's sampling ends (began). A run
// killed during its first chunk (a second signal, SIGKILL) then leaves its own manifest,
// "running" with no chunk, which resume accepts, as when the removal came before
// sampling; the previous run's manifest, listing files already removed, is on disk only
// while they are removed.
func TestForceWritesFirstManifestBeforeSampling(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 400
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := Execute(context.Background(), Options{Config: cfg, OutDir: dir, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	old, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Paths = 200
	j, err := plan(Options{Config: cfg, OutDir: dir, ChunkSize: 100, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := j.prepare(); err != nil {
		t.Fatal(err)
	}
	if j.waitClear == nil {
		t.Fatal("prepare removed the previous run before sampling; want it beside")
	}
	j.waitClear() // the removal's goroutine is done; began is not called
	man, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if man.RunID == old.RunID || man.Status != results.StatusRunning || man.Paths != 200 || len(man.Index) != 0 {
		t.Errorf("manifest on disk: run %s (the previous %s), status %q, %d paths, %d chunks; want this run's, running, 200, 0",
			man.RunID, old.RunID, man.Status, man.Paths, len(man.Index))
	}
	for _, f := range old.Parts {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the previous run's %s is still there (stat: %v)", f, err)
		}
	}
	if err := j.began(); err != nil {
		t.Fatal(err)
	}
}
