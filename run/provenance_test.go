package run_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// createdIn returns backstop.created of every Parquet file of the run in dir, by file.
func createdIn(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	parts, _ := filepath.Glob(filepath.Join(dir, results.PathsDir, "*.parquet"))
	out := map[string]string{}
	for _, f := range append(files, parts...) {
		info, err := results.StatFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = info.Metadata[results.KeyCreated]
	}
	if len(out) < 3 {
		t.Fatalf("%s: %d Parquet files, want parts, bands and convergence", dir, len(out))
	}
	return out
}

// TestOneCreationTimePerRun checks that backstop.created is the run's creation time, as
// its manifest records it, in every file of the run: of a fresh run, of a run resumed
// later (the parts written before and after, the bands and convergence written at the
// end) and of a run merged from shards started at different times (the earliest shard's
// time, in the manifest and the files merge writes).
func TestOneCreationTimePerRun(t *testing.T) {
	const paths, chunk = 900, 300
	cfg := configs.Baseline()
	cfg.Paths = paths
	created := time.Date(2020, 3, 9, 13, 30, 0, 0, time.UTC)
	want := created.Format(time.RFC3339)
	ctx := context.Background()

	resumed := filepath.Join(t.TempDir(), "resumed")
	if _, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: resumed, ChunkSize: chunk, Created: created}); err != nil {
		t.Fatal(err)
	}
	for f, got := range createdIn(t, resumed) {
		if got != want {
			t.Errorf("fresh run: %s: created %q, want %q", f, got, want)
		}
	}
	// Cut the run short after its first two chunks, as a kill would leave it.
	man, err := results.ReadManifest(resumed)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(results.PathsDir, results.PartName(2)), filepath.Join(run.TalliesDir, run.CheckpointName(2)), results.BandsFile, results.ConvergenceFile} {
		if err := os.Remove(filepath.Join(resumed, f)); err != nil {
			t.Fatal(err)
		}
	}
	man.Status, man.Parts, man.Finished = results.StatusIncomplete, man.Parts[:2], ""
	if err := results.WriteManifestFile(filepath.Join(resumed, results.ManifestFile), man); err != nil {
		t.Fatal(err)
	}
	if _, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: resumed, ChunkSize: chunk, Resume: true}); err != nil {
		t.Fatal(err)
	}
	if m, err := results.ReadManifest(resumed); err != nil || m.Created != want || m.Status != results.StatusComplete {
		t.Fatalf("resumed manifest: %+v, %v; want complete, created %s", m, err, want)
	}
	got := createdIn(t, resumed)
	for f, c := range got {
		if c != want {
			t.Errorf("resumed run: %s: created %q, want %q", f, c, want)
		}
	}
	if _, ok := got[results.PartName(2)]; !ok {
		t.Errorf("resumed run did not rewrite part 2: %v", got)
	}

	sharded := filepath.Join(t.TempDir(), "sharded")
	for i, at := range []time.Time{created.Add(time.Hour), created, created.Add(2 * time.Hour)} {
		if _, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: sharded, ChunkSize: chunk, Created: at, Shard: run.ShardSpec{Index: i + 1, Count: 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := run.Merge(sharded, run.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	m, err := results.ReadManifest(sharded)
	if err != nil || m.Created != want || m.Finished == "" || m.Finished < m.Created {
		t.Fatalf("merged manifest: created %q, finished %q, %v; want created %s (the earliest shard's) and when merge finished", m.Created, m.Finished, err, want)
	}
	got = createdIn(t, sharded)
	for _, f := range []string{results.BandsFile, results.ConvergenceFile} {
		if got[f] != want {
			t.Errorf("merged run: %s: created %q, want the earliest shard's %q", f, got[f], want)
		}
	}
}
