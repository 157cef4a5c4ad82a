package explore

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// The shards of an exploration written by another version of backstop are merged, and
// one of them cut short is run again, only with AllowVersionChange, as backstop merge and
// run --resume do for a run's: refused without it, naming both versions and the flag,
// and with it the shard's and the merged manifest, of this version, list both (versions).
func TestShardsAcrossVersions(t *testing.T) {
	const earlier, this = "0.9.0-earlier", "this-version"
	version := results.Version
	t.Cleanup(func() { results.Version = version })
	p := plan(t, smallSobol)
	ctx := context.Background()
	dir := t.TempDir()
	results.Version = earlier
	for i := 1; i <= 2; i++ {
		if _, err := Run(ctx, p, Options{OutDir: dir, Workers: 1, Shard: run.ShardSpec{Index: i, Count: 2}}); err != nil {
			t.Fatal(err)
		}
	}
	// Shard 2 cut short, as an interruption leaves it.
	shard2 := filepath.Join(dir, results.ShardsDir, results.ShardManifestName(2, 2))
	m, err := readManifestFile(shard2)
	if err != nil {
		t.Fatal(err)
	}
	m.Status = results.StatusIncomplete
	if err := writeJSON(shard2, m); err != nil {
		t.Fatal(err)
	}
	results.Version = this
	refusals := []struct {
		name string
		do   func() error
		want string
	}{
		{"shard run again", func() error {
			_, err := Run(ctx, p, Options{OutDir: dir, Workers: 1, Shard: run.ShardSpec{Index: 2, Count: 2}})
			return err
		}, "cannot resume shard 2/2 in " + dir + ": it was last written by backstop " + earlier + ", this is " + this + "; its evaluations may differ from this version's (run the shard again with --allow-version-change"},
		{"merge", func() error { _, err := Merge(dir, MergeOptions{}); return err },
			"shard 1/2 (" + filepath.Join(results.ShardsDir, results.ShardManifestName(1, 2)) + ") was written by backstop " + earlier + ", this is " + this + "; rerun it, or merge anyway with " + run.MergeCommand(dir) + " --allow-version-change"},
	}
	for _, r := range refusals {
		if err := r.do(); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: %v; want the refusal %q", r.name, err, r.want)
		}
	}
	if _, err := ReadManifest(dir); err == nil {
		t.Error("a refused merge wrote the exploration's manifest")
	}
	if _, err := Run(ctx, p, Options{OutDir: dir, Workers: 1, Shard: run.ShardSpec{Index: 2, Count: 2}, AllowVersionChange: true}); err != nil {
		t.Fatalf("shard run again with AllowVersionChange: %v", err)
	}
	if _, err := Merge(dir, MergeOptions{AllowVersionChange: true}); err != nil {
		t.Fatalf("merge with AllowVersionChange: %v", err)
	}
	both := []string{earlier, this}
	for _, path := range []string{shard2, filepath.Join(dir, results.ManifestFile)} {
		m, err := readManifestFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != results.StatusComplete || m.Version != this || !slices.Equal(m.Versions, both) {
			t.Errorf("%s: status %s, version %s, versions %v; want complete, %s, %v", path, m.Status, m.Version, m.Versions, this, both)
		}
	}
}
