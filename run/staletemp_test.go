package run_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestRunAfterKillBeforeFirstManifest plants what a run killed between taking the
// directory's lock and renaming its first manifest leaves (the lock file and the
// manifest's temporary file, nothing else) and checks that a new run there, with and
// without --force, as a resumed sweep starts such a grid point, is not refused as a
// directory of files backstop did not write, and removes the temporary file.
func TestRunAfterKillBeforeFirstManifest(t *testing.T) {
	for _, force := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "run")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		stale := filepath.Join(dir, "."+results.ManifestFile+".tmp-123456")
		for _, f := range []string{stale, filepath.Join(dir, ".backstop.lock")} {
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cfg := configs.Baseline()
		cfg.Paths = 200
		o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, Force: force})
		if err != nil {
			t.Fatalf("force %v: %v", force, err)
		}
		if o.Manifest.Status != results.StatusComplete {
			t.Fatalf("force %v: status %q", force, o.Manifest.Status)
		}
		if _, err := os.Stat(stale); !os.IsNotExist(err) {
			t.Errorf("force %v: %s is still there (stat: %v)", force, stale, err)
		}
	}
}
