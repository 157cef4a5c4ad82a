package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestForceMovesPreviousRunAside checks prepare with --force over a finished run: when it
// returns, this run's manifest is on disk, none of the previous run's files is at its
// name any more, and they are all in the hidden directory, still to be removed (the
// removal is held back here: it runs beside the sampling; a kill now leaves a resumable
// run); once waitClear returns, that directory is gone too.
func TestForceMovesPreviousRunAside(t *testing.T) {
	release := holdAsideRemoval(t)
	cfg, dir := finishedRun(t, 400)
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
		t.Fatal("prepare left nothing to remove beside the run")
	}
	man, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if man.RunID == old.RunID || man.Status != results.StatusRunning || man.Paths != 200 || len(man.Index) != 0 {
		t.Errorf("manifest on disk: run %s (the previous %s), status %q, %d paths, %d chunks; want this run's, running, 200, 0",
			man.RunID, old.RunID, man.Status, man.Paths, len(man.Index))
	}
	for _, f := range append(append([]string{}, old.Parts...), old.Outputs...) {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the previous run's %s is still there (stat: %v)", f, err)
		}
	}
	aside, _ := filepath.Glob(filepath.Join(dir, replacedPrefix+"*"))
	if len(aside) != 1 {
		t.Fatalf("directories aside: %v, want 1", aside)
	}
	moved, _ := os.ReadDir(aside[0])
	if want := len(old.Index)*2 + len(old.Outputs) + 1; len(moved) != want {
		t.Errorf("%d files aside before the removal, want the previous run's %d and %s", len(moved), want-1, asideMarker)
	}
	close(release)
	j.waitClear()
	if aside, _ := filepath.Glob(filepath.Join(dir, replacedPrefix+"*")); len(aside) > 0 {
		t.Errorf("%v left after the removal", aside)
	}
}

// TestStaleAsideRemoved plants what a run killed right after --force moved the previous
// run's files aside leaves (its own manifest, running, and the hidden directory with those
// files, and the marker saying it is --force's) and checks that resuming it, or starting
// over with --force, removes the files and the marker, and leaves what no run puts there
// (a subdirectory of it).
func TestStaleAsideRemoved(t *testing.T) {
	for _, opt := range []Options{{Resume: true}, {Force: true}} {
		cfg, dir := finishedRun(t, 200)
		opt.Config, opt.OutDir, opt.ChunkSize = cfg, dir, 100
		man, err := results.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		man.Status, man.Index, man.Parts = results.StatusRunning, nil, nil
		if err := results.WriteManifest(dir, man); err != nil {
			t.Fatal(err)
		}
		aside := filepath.Join(dir, replacedPrefix+"123")
		keep := filepath.Join(aside, "sub", "kept.txt")
		if err := os.MkdirAll(filepath.Dir(keep), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{filepath.Join(aside, "0-part-00000.parquet"), filepath.Join(aside, "7-summary.csv"), filepath.Join(aside, asideMarker), keep} {
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Execute(context.Background(), opt); err != nil {
			t.Fatalf("resume %v, force %v: %v", opt.Resume, opt.Force, err)
		}
		left, _ := filepath.Glob(filepath.Join(aside, "*"))
		if len(left) != 1 || left[0] != filepath.Join(aside, "sub") {
			t.Errorf("resume %v, force %v: left in %s: %v, want only sub", opt.Resume, opt.Force, aside, left)
		}
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("resume %v, force %v: %s: %v", opt.Resume, opt.Force, keep, err)
		}
	}
}

// TestForceKeepsAManifest checks that --force is never without a manifest on disk: when
// this run's first manifest is written, the previous run's is still there, byte for byte
// (a run killed before that write leaves the previous run's manifest, which --force
// replaces again, not a directory of files with no manifest, which backstop refuses even
// with --force); and when that write fails, the previous run is as it was: its files back
// at their names, byte for byte, and nothing left aside.
func TestForceKeepsAManifest(t *testing.T) {
	cfg, dir := finishedRun(t, 400)
	before := treeBytes(t, dir)
	manPath := filepath.Join(dir, results.ManifestFile)
	boom := errors.New("disk full")
	defer func(f func(string, *results.Manifest) error) { writeFirstManifest = f }(writeFirstManifest)
	calls := 0
	writeFirstManifest = func(path string, m *results.Manifest) error {
		calls++
		if got, err := os.ReadFile(manPath); err != nil || string(got) != before[results.ManifestFile] {
			t.Errorf("when this run's first manifest is written, the previous run's is not on disk as it was (read: %v)", err)
		}
		return boom
	}
	cfg.Paths = 200
	_, err := Execute(context.Background(), Options{Config: cfg, OutDir: dir, ChunkSize: 100, Force: true})
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("error %v after %d writes, want %v after 1", err, calls, boom)
	}
	after := treeBytes(t, dir)
	for name, b := range before {
		if a, ok := after[name]; !ok || a != b {
			t.Errorf("the previous run's %s: there %v, same bytes %v; want it as it was", name, ok, a == b)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s left by a --force that failed", name)
		}
	}
}

// treeBytes returns the regular files under dir (relative names) and their contents,
// leaving out the directory's lock.
func treeBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".backstop.lock" {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestForceKeepsLockAndManifestListed checks --force over a run whose manifest (edited by
// hand) lists the directory's lock and the manifest itself among its outputs: neither is
// moved aside with the previous run's files, so the lock this run holds stays the
// directory's (a second writer is refused meanwhile) and this run's manifest is on disk.
func TestForceKeepsLockAndManifestListed(t *testing.T) {
	release := holdAsideRemoval(t)
	cfg, dir := finishedRun(t, 200)
	old, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	lockName := filepath.Base(runLockPath(dir))
	old.Outputs = append(old.Outputs, lockName, results.ManifestFile, "./"+lockName)
	if err := results.WriteManifest(dir, old); err != nil {
		t.Fatal(err)
	}
	j, err := plan(Options{Config: cfg, OutDir: dir, ChunkSize: 100, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	lock, err := lockRun(dir, ShardSpec{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	if _, _, err := j.prepare(); err != nil {
		t.Fatal(err)
	}
	defer func() { close(release); j.waitClear() }()
	if second, err := lockRun(dir, ShardSpec{}, nil); err == nil {
		second.Release()
		t.Errorf("a second writer took the lock of %s while --force runs there", dir)
	}
	if man, err := results.ReadManifest(dir); err != nil || man.RunID == old.RunID {
		t.Errorf("manifest on disk: %v (read: %v); want this run's", man, err)
	}
}

// TestVerifyNamesStoppedForce plants what a --force killed after moving the previous
// run's files aside, before writing its first manifest, leaves (the previous manifest, its
// files in the marked hidden directory) and checks that Verify, besides the missing
// files, names that directory and the --force to run again; and that it says nothing of
// the kind for a run with missing files and no such directory.
func TestVerifyNamesStoppedForce(t *testing.T) {
	for _, stopped := range []bool{true, false} {
		_, dir := finishedRun(t, 200)
		part := filepath.Join(dir, results.PathsDir, results.PartName(1))
		aside := filepath.Join(dir, replacedPrefix+"42")
		to := filepath.Join(aside, "2-"+results.PartName(1))
		if !stopped {
			to = filepath.Join(t.TempDir(), results.PartName(1))
		} else if err := os.MkdirAll(aside, 0o700); err != nil {
			t.Fatal(err)
		} else if err := os.WriteFile(filepath.Join(aside, asideMarker), []byte(asideMarkerText), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(part, to); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(dir, VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var named bool
		for _, p := range rep.Problems {
			named = named || strings.Contains(p, filepath.Base(aside)) && strings.Contains(p, "--force")
		}
		if rep.Intact() || named != stopped {
			t.Errorf("stopped --force %v: problems %q; want the missing part, and the hidden directory and --force named only after a stopped --force", stopped, rep.Problems)
		}
	}
}

// holdAsideRemoval holds back the removal of the files a --force moved aside until the
// returned channel is closed, for the test's duration.
func holdAsideRemoval(t *testing.T) chan struct{} {
	release := make(chan struct{})
	f := emptyAside
	t.Cleanup(func() { emptyAside = f })
	emptyAside = func(aside string) {
		<-release
		removeAside(aside)
	}
	return release
}

// finishedRun runs the baseline on paths paths, in chunks of 100, into a new directory and
// returns its config and that directory.
func finishedRun(t *testing.T, paths int) (sim.Config, string) {
	t.Helper()
	cfg := configs.Baseline()
	cfg.Paths = paths
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := Execute(context.Background(), Options{Config: cfg, OutDir: dir, ChunkSize: 100}); err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}
