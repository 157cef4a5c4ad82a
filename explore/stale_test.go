package explore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// plantTemps writes, under dir, a temporary file of a write cut short for each of the
// files named (paths relative to dir), as a killed backstop leaves them, and returns
// their paths.
func plantTemps(t *testing.T, dir string, files ...string) []string {
	t.Helper()
	var temps []string
	for i, f := range files {
		p := filepath.Join(dir, filepath.Dir(f), "."+filepath.Base(f)+".tmp-"+string(rune('1'+i))+"0")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("cut short"), 0o600); err != nil {
			t.Fatal(err)
		}
		temps = append(temps, p)
	}
	return temps
}

// TestStaleTempsRemoved checks that an exploration removes the temporary files a killed
// one left: a resumed or replaced exploration and a merge all of them, a shard only those
// of its own chunks and manifest (the other shards may be writing theirs now).
func TestStaleTempsRemoved(t *testing.T) {
	p := plan(t, smallSobol)
	chunk := func(c int) string { return filepath.Join(EvaluationsDir, filepath.Base(chunkPath("", c))) }
	shardManifest := func(i int) string { return filepath.Join(results.ShardsDir, results.ShardManifestName(i, 3)) }
	everywhere := []string{results.ManifestFile, chunk(0), chunk(2), filepath.Join(results.FiguresDir, "sobol_indices.png"), shardManifest(2)}
	complete := func(t *testing.T) string {
		dir := t.TempDir()
		if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	shards := func(t *testing.T, which ...int) string {
		dir := t.TempDir()
		for _, i := range which {
			if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Shard: run.ShardSpec{Index: i, Count: 3}}); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	for _, tc := range []struct {
		name       string
		setup      func(t *testing.T) string
		gone, stay []string
		act        func(dir string) error
	}{
		{"resume", func(t *testing.T) string {
			dir := complete(t)
			m, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			m.Status = results.StatusIncomplete
			if err := writeJSON(filepath.Join(dir, results.ManifestFile), m); err != nil {
				t.Fatal(err)
			}
			return dir
		}, everywhere, nil, func(dir string) error {
			_, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Resume: true})
			return err
		}},
		{"force", complete, everywhere, nil, func(dir string) error {
			_, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Force: true})
			return err
		}},
		{"shard", func(t *testing.T) string { return shards(t) },
			[]string{chunk(0), shardManifest(1)}, []string{chunk(1), chunk(2), shardManifest(2), results.ManifestFile},
			func(dir string) error {
				_, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Shard: run.ShardSpec{Index: 1, Count: 3}})
				return err
			}},
		{"merge", func(t *testing.T) string { return shards(t, 1, 2, 3) }, everywhere, nil, func(dir string) error {
			_, err := Merge(dir, MergeOptions{})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			gone := plantTemps(t, dir, tc.gone...)
			stay := plantTemps(t, dir, tc.stay...)
			if err := tc.act(dir); err != nil {
				t.Fatal(err)
			}
			for _, f := range gone {
				if _, err := os.Lstat(f); !os.IsNotExist(err) {
					t.Errorf("%s was left (%v)", f, err)
				}
			}
			for _, f := range stay {
				if _, err := os.Lstat(f); err != nil {
					t.Errorf("%s, another shard's, was removed (%v)", f, err)
				}
			}
		})
	}
}

// TestStaleTempsRemovedOnlyInTheExploration: the removal never reaches through a
// subdirectory that is a symbolic link (figures/ linked to a paper's folder, say): the
// temporary-like files there are another program's, maybe being written now. Those in the
// exploration itself still go.
func TestStaleTempsRemovedOnlyInTheExploration(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	for _, sub := range []string{EvaluationsDir, results.FiguresDir, results.ShardsDir} {
		if err := os.Symlink(outside, filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	theirs := plantTemps(t, outside, "draft.png")
	ours := plantTemps(t, dir, results.ManifestFile)
	removeStaleTemps(dir, filepath.Join(dir, results.ManifestFile), false, 0, 0)
	removeStaleTemps(dir, filepath.Join(dir, results.ShardsDir, results.ShardManifestName(1, 2)), true, 0, 2)
	if _, err := os.Stat(theirs[0]); err != nil {
		t.Errorf("a file outside the exploration, behind a link, was removed: %v", err)
	}
	if _, err := os.Stat(ours[0]); !os.IsNotExist(err) {
		t.Errorf("the exploration's own temporary file stayed: %v", err)
	}
}
