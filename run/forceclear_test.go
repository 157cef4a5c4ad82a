package run_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestForceReplacesRun replaces a finished run of 4 chunks with --force by one of 2 (the
// previous run's files moved aside, then removed while the new run samples) and checks
// what each outcome leaves: replaced, the previous run's chunks 2 and 3 are gone and the
// outputs equal those of the same run in a fresh directory; interrupted before the first
// chunk, the previous files are gone and the manifest is this run's, incomplete with no
// chunk; when a listed file cannot be removed, the run fails with that error before
// writing anything of its own, and the previous run is as it was: its manifest byte for
// byte, its files back at their names. No outcome leaves a temporary file or directory.
func TestForceReplacesRun(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 400
	base := filepath.Join(t.TempDir(), "fresh")
	fresh := cfg
	fresh.Paths = 200
	if _, err := run.Execute(context.Background(), run.Options{Config: fresh, OutDir: base, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	gone := []string{"paths/part-00002.parquet", "paths/part-00003.parquet", "tallies/chunk-00002.bin", "tallies/chunk-00003.bin"}

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tooLong := strings.Repeat("x", 300) + ".csv" // os.Remove fails: ENAMETOOLONG
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		edit   func(m map[string]any) // the previous run's manifest, before --force
		status string                 // the new manifest's, or "" when the run must fail
		errIs  error
	}{
		{name: "replaced", ctx: context.Background(), status: results.StatusComplete},
		{name: "interrupted", ctx: cancelled, status: results.StatusIncomplete, errIs: run.ErrInterrupted},
		{name: "removal fails", ctx: context.Background(), errIs: syscall.ENAMETOOLONG,
			edit: func(m map[string]any) { m["outputs"] = append(m["outputs"].([]any), tooLong) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100}); err != nil {
				t.Fatal(err)
			}
			manPath := filepath.Join(dir, results.ManifestFile)
			if tc.edit != nil {
				data, err := os.ReadFile(manPath)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]any
				if err := json.Unmarshal(data, &m); err != nil {
					t.Fatal(err)
				}
				tc.edit(m)
				if data, err = json.Marshal(m); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(manPath, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before, err := os.ReadFile(manPath)
			if err != nil {
				t.Fatal(err)
			}

			_, runErr := run.Execute(tc.ctx, run.Options{Config: fresh, OutDir: dir, ChunkSize: 100, Force: true})
			if tc.errIs == nil && runErr != nil || tc.errIs != nil && !errors.Is(runErr, tc.errIs) {
				t.Fatalf("error %v, want %v", runErr, tc.errIs)
			}
			for _, f := range gone {
				_, err := os.Stat(filepath.Join(dir, f))
				if failed := tc.status == ""; failed && err != nil || !failed && !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the previous run's %s: stat %v; want it there only when --force failed", f, err)
				}
			}
			temps, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp-*"))
			top, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
			if temps = append(temps, top...); len(temps) > 0 {
				t.Errorf("temporary files left: %v", temps)
			}
			after, err := os.ReadFile(manPath)
			if err != nil {
				t.Fatal(err)
			}
			if tc.status == "" {
				if !strings.Contains(runErr.Error(), "--force: remove the previous run's") {
					t.Errorf("error %q does not say what failed", runErr)
				}
				if !bytes.Equal(after, before) {
					t.Errorf("the previous run's manifest changed:\n%s", after)
				}
				return
			}
			man, err := results.ReadManifestFile(manPath)
			if err != nil {
				t.Fatal(err)
			}
			if man.Status != tc.status || man.Paths != 200 {
				t.Fatalf("manifest: status %q, %d paths; want %q, 200", man.Status, man.Paths, tc.status)
			}
			if tc.status != results.StatusComplete {
				if len(man.Index) != 0 {
					t.Errorf("an interrupted run lists %d chunks, want 0", len(man.Index))
				}
				return
			}
			for _, f := range []string{"summary.csv", "effects.csv", "tails.csv"} {
				want, err := os.ReadFile(filepath.Join(base, f))
				if err != nil {
					t.Fatal(err)
				}
				if got, err := os.ReadFile(filepath.Join(dir, f)); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s differs from the run's in a fresh directory (read: %v)", f, err)
				}
			}
		})
	}
}

// TestForceLeavesUsersHiddenEntries plants, in a finished run's directory, entries of the
// user's own with the name of the hidden directory --force moves a previous run's files
// into (a directory of files, one of them named as a moved part would be, a file, a
// symbolic link to a directory elsewhere) and checks that --force over the run, then
// --resume of a run interrupted there, leave every one of them and what they hold.
func TestForceLeavesUsersHiddenEntries(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 200
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	users := map[string]string{ // name under dir or elsewhere: content
		filepath.Join(dir, ".previous-run.tmp-mine", "notes.txt"):            "notes",
		filepath.Join(dir, ".previous-run.tmp-mine", "3-part-00001.parquet"): "mine",
		filepath.Join(dir, ".previous-run.tmp-notes"):                        "a file",
		filepath.Join(elsewhere, "kept.txt"):                                 "elsewhere",
	}
	for f, content := range users {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, ".previous-run.tmp-link")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, step := range []struct {
		name string
		ctx  context.Context
		opt  run.Options
	}{
		{"--force", context.Background(), run.Options{Force: true}},
		{"--force, interrupted", cancelled, run.Options{Force: true}},
		{"--resume", context.Background(), run.Options{Resume: true}},
	} {
		opt := step.opt
		opt.Config, opt.OutDir, opt.ChunkSize = cfg, dir, 100
		if _, err := run.Execute(step.ctx, opt); err != nil && !errors.Is(err, run.ErrInterrupted) {
			t.Fatalf("%s: %v", step.name, err)
		}
		for f, content := range users {
			if got, err := os.ReadFile(f); err != nil || string(got) != content {
				t.Errorf("after %s: %s holds %q (read: %v), want the user's %q", step.name, f, got, err, content)
			}
		}
		if target, err := os.Readlink(link); err != nil || target != elsewhere {
			t.Errorf("after %s: the user's link %s: %q, %v", step.name, link, target, err)
		}
	}
}

// TestShardLeavesOtherShardsTemps plants, in the directory of a run in 2 shards, the
// temporary files of shard 1's writes in flight (its parts and checkpoints are written
// beside shard 2's, under the directory's shared lock) and one a killed shard 2 left, and
// checks that shard 2 resumed, or started over with --force (as a requeued array task
// does while its siblings run), removes its own and leaves shard 1's, whose renames would
// otherwise fail.
func TestShardLeavesOtherShardsTemps(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, opt := range []run.Options{{Resume: true}, {Force: true}} {
		cfg := configs.Baseline()
		cfg.Paths = 400
		dir := filepath.Join(t.TempDir(), "run")
		opt.Config, opt.OutDir, opt.ChunkSize, opt.Shard = cfg, dir, 100, run.ShardSpec{Index: 2, Count: 2}
		first := opt
		first.Resume, first.Force = false, false
		if _, err := run.Execute(cancelled, first); !errors.Is(err, run.ErrInterrupted) {
			t.Fatalf("shard 2, interrupted: %v", err)
		}
		others := []string{ // shard 1's (chunks 0 and 1), being written
			filepath.Join(dir, results.PathsDir, "."+results.PartName(0)+".tmp-123"),
			filepath.Join(dir, run.TalliesDir, "."+run.CheckpointName(1)+".tmp-456"),
			filepath.Join(dir, results.ShardsDir, ".shard-1-of-2.json.tmp-789"),
		}
		own := filepath.Join(dir, results.PathsDir, "."+results.PartName(3)+".tmp-321")
		for _, f := range append(others, own) {
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := run.Execute(context.Background(), opt); err != nil {
			t.Fatalf("shard 2, resume %v, force %v: %v", opt.Resume, opt.Force, err)
		}
		for _, f := range others {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("resume %v, force %v: shard 1's %s: %v", opt.Resume, opt.Force, f, err)
			}
		}
		if _, err := os.Stat(own); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("resume %v, force %v: shard 2's stale %s is still there (stat: %v)", opt.Resume, opt.Force, own, err)
		}
	}
}

// TestForceFailsLeavesLinks checks a --force that fails (a listed part is a directory of
// the user's files) over a run where a listed file is a symbolic link to a file elsewhere:
// the link is back at its name, pointing where it did, the file it points to is as it
// was, and the directory and its files are untouched.
func TestForceFailsLeavesLinks(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 400
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "theirs.parquet")
	if err := os.WriteFile(elsewhere, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, results.PathsDir, results.PartName(1)) // listed before part 3
	part := filepath.Join(dir, results.PathsDir, results.PartName(3))
	kept := filepath.Join(part, "kept.txt")
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(part); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(part, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kept, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100, Force: true})
	if err == nil || !strings.Contains(err.Error(), results.PartName(3)) {
		t.Fatalf("error %v, want the removal of %s refused", err, results.PartName(3))
	}
	if target, err := os.Readlink(link); err != nil || target != elsewhere {
		t.Errorf("the link %s: %q, %v; want it back, to %s", link, target, err, elsewhere)
	}
	for f, want := range map[string]string{elsewhere: "theirs", kept: "kept"} {
		if got, err := os.ReadFile(f); err != nil || string(got) != want {
			t.Errorf("%s holds %q (read: %v), want %q", f, got, err, want)
		}
	}
}
