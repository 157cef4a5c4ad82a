package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestShardsMergeEqualsSingleRun runs a config in four shards into one directory, merges,
// and compares with the single-process run: identical rows, bands and summary, with bands
// from every path and from every 4th (each shard counts the whole run's subset). It also
// checks that merge names a missing shard.
func TestShardsMergeEqualsSingleRun(t *testing.T) {
	for _, bandPaths := range []int{0, 600} {
		t.Run("band_paths "+strconv.Itoa(bandPaths), func(t *testing.T) { testShardsMerge(t, bandPaths) })
	}
}

func testShardsMerge(t *testing.T, bandPaths int) {
	const paths, chunk = 2600, 300 // 9 chunks: shards of 2 and 3 chunks
	base := t.TempDir()
	cfg := configs.Baseline()
	cfg.Paths, cfg.Output.BandPaths = paths, bandPaths
	single := filepath.Join(base, "single")
	ref, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: single, ChunkSize: chunk})
	if err != nil {
		t.Fatal(err)
	}
	sharded := filepath.Join(base, "sharded")
	for _, i := range []int{3, 1, 4} { // any order; shard 2 comes later
		o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: sharded, ChunkSize: chunk, Workers: i, Shard: run.ShardSpec{Index: i, Count: 4}})
		if err != nil {
			t.Fatalf("shard %d/4: %v", i, err)
		}
		if o.Summary != nil || o.Manifest.Shard.Index != i {
			t.Fatalf("shard %d/4 outcome: %+v", i, o.Manifest.Shard)
		}
	}
	_, err = run.Merge(sharded, run.MergeOptions{})
	if err == nil || !strings.Contains(err.Error(), "shard 2/4") || !strings.Contains(err.Error(), results.ShardManifestName(2, 4)) {
		t.Fatalf("merge with shard 2/4 missing: %v; want an error naming it", err)
	}
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: sharded, ChunkSize: chunk, Shard: run.ShardSpec{Index: 2, Count: 4}}); err != nil {
		t.Fatal(err)
	}
	merged, err := run.Merge(sharded, run.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(merged.Summary, ref.Summary) {
		t.Fatal("merged summary differs from the single run's")
	}
	rows, bands := readRun(t, sharded)
	refRows, refBands := readRun(t, single)
	if !reflect.DeepEqual(rows, refRows) || !reflect.DeepEqual(bands, refBands) {
		t.Fatal("merged rows or bands differ from the single run's")
	}
	if bandPaths == 0 && merged.Manifest.Bands.Paths != paths {
		t.Fatalf("merged bands count %d paths, want all %d", merged.Manifest.Bands.Paths, paths)
	}
	if bandPaths == 600 && (merged.Manifest.Bands.Stride != 4 || merged.Manifest.Bands.Paths != 650) {
		t.Fatalf("merged bands: %+v, want every 4th path, 650 paths", merged.Manifest.Bands)
	}
	if !reflect.DeepEqual(merged.Manifest.Bands, ref.Manifest.Bands) {
		t.Fatalf("merged bands %+v, single run's %+v", merged.Manifest.Bands, ref.Manifest.Bands)
	}
	for _, f := range []string{results.SummaryFile} {
		a, _ := os.ReadFile(filepath.Join(sharded, f))
		b, _ := os.ReadFile(filepath.Join(single, f))
		if string(a) != string(b) {
			t.Fatalf("%s differs", f)
		}
	}
	m, err := results.ReadManifest(sharded)
	if err != nil || m.Status != results.StatusComplete || len(m.Parts) != 9 {
		t.Fatalf("merged manifest: %+v, %v", m, err)
	}
	if _, err := run.Merge(sharded, run.MergeOptions{}); err == nil || !strings.Contains(err.Error(), "already complete") {
		t.Fatalf("merging a complete run again: %v", err)
	}
}

func TestShardChunksCoverEveryChunkOnce(t *testing.T) {
	for _, tc := range []struct{ chunks, count int }{{9, 4}, {4, 4}, {100, 7}, {5, 1}} {
		next := 0
		for i := 1; i <= tc.count; i++ {
			first, end := run.ShardChunks(tc.chunks, i, tc.count)
			if first != next || end < first {
				t.Fatalf("%d chunks in %d shards: shard %d is [%d, %d), want it to start at %d", tc.chunks, tc.count, i, first, end, next)
			}
			next = end
		}
		if next != tc.chunks {
			t.Fatalf("%d chunks in %d shards cover %d", tc.chunks, tc.count, next)
		}
	}
}

// TestFailedMergeIsNotComplete makes a merge fail after it has written the bands (a
// directory stands where summary.md goes) and checks that the manifest does not call the
// run complete, so that verify reports it unfinished and a second merge finishes it.
// (A merge killed half-way used to leave the first shard's "complete" status.)
func TestFailedMergeIsNotComplete(t *testing.T) {
	dir := twoShards(t)
	blocker := filepath.Join(dir, results.ReportFile)
	if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := run.Merge(dir, run.MergeOptions{}); err == nil {
		t.Fatal("merge succeeded with a directory where summary.md goes")
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status == results.StatusComplete {
		t.Fatalf("a failed merge left the manifest %q", m.Status)
	}
	if err := os.RemoveAll(blocker); err != nil {
		t.Fatal(err)
	}
	if o, err := run.Merge(dir, run.MergeOptions{}); err != nil || o.Manifest.Status != results.StatusComplete {
		t.Fatalf("second merge: %v", err)
	}
}

// twoShards runs the two shards of a 600-path baseline run (300-path chunks) into a new
// directory, which it returns, not merged.
func twoShards(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sharded")
	cfg := configs.Baseline()
	cfg.Paths = 600
	for i := 1; i <= 2; i++ {
		if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 300, Shard: run.ShardSpec{Index: i, Count: 2}}); err != nil {
			t.Fatalf("shard %d/2: %v", i, err)
		}
	}
	return dir
}

// A merge stopped by its context before it finished says so as every merge does
// (run.MergeInterrupted: interrupted, the shards not changed, the merge command to run
// again, its directory quoted), writes no manifest, and merging again finishes the run.
func TestMergeInterruptedSaysMergeAgain(t *testing.T) {
	dir := twoShards(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := run.Merge(dir, run.MergeOptions{Context: cancelled})
	if !errors.Is(err, run.ErrInterrupted) || err.Error() != run.MergeInterrupted(dir).Error() {
		t.Fatalf("merge with its context cancelled: %v; want %v", err, run.MergeInterrupted(dir))
	}
	if _, err := results.ReadManifest(dir); err == nil {
		t.Error("the interrupted merge wrote a manifest")
	}
	if o, err := run.Merge(dir, run.MergeOptions{}); err != nil || o.Manifest.Status != results.StatusComplete {
		t.Fatalf("merging again: %v", err)
	}
}
