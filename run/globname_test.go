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

// TestDirNamedLikePattern runs, into directories whose names hold the characters of a
// file name pattern (brackets, a star, a question mark), a run in 2 shards, merged, and
// checks that merge finds the shards, verify finds the run intact, and a --force there
// removes the stale temporary file a kill left; the merged run equals the run computed in
// one process (summary.csv byte for byte).
func TestDirNamedLikePattern(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 400
	whole := filepath.Join(t.TempDir(), "whole")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: whole, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"seed[1]", "a*b", "what?", `back\slash`} {
		dir := filepath.Join(t.TempDir(), name)
		for i := 1; i <= 2; i++ {
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100, Shard: run.ShardSpec{Index: i, Count: 2}}); err != nil {
				t.Fatalf("%s: shard %d: %v", name, i, err)
			}
		}
		if _, err := run.Merge(dir, run.MergeOptions{}); err != nil {
			t.Fatalf("%s: merge: %v", name, err)
		}
		want, _ := os.ReadFile(filepath.Join(whole, results.SummaryFile))
		if got, err := os.ReadFile(filepath.Join(dir, results.SummaryFile)); err != nil || string(got) != string(want) {
			t.Errorf("%s: summary.csv differs from the run in one process (read: %v)", name, err)
		}
		if rep, err := run.Verify(dir, run.VerifyOptions{}); err != nil || !rep.Intact() {
			t.Errorf("%s: verify: %v, %+v", name, err, rep)
		}
		stale := filepath.Join(dir, results.PathsDir, "."+results.PartName(1)+".tmp-123")
		if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100, Force: true}); err != nil {
			t.Fatalf("%s: --force: %v", name, err)
		}
		if _, err := os.Stat(stale); !os.IsNotExist(err) {
			t.Errorf("%s: the stale %s is still there (stat: %v)", name, stale, err)
		}
	}
}
