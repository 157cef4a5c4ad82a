package run

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/dirstate"
	"github.com/backstop-research/backstop/results"
)

// TestVerifyNotesStaleTemps plants the temporary files of writes a kill cut short (in the
// run directory and the directories backstop writes in it) and the hidden directory of a
// stopped --force, in a complete, an unfinished and a sharded run, and checks that Verify
// names each in a note, with the command that removes them, without calling the run
// damaged or changing anything; and that it names no file of another kind (a name that
// does not end in digits, a directory, a name without the leading dot).
func TestVerifyNotesStaleTemps(t *testing.T) {
	temps := []string{
		"." + results.ManifestFile + ".tmp-123456",
		filepath.Join(results.PathsDir, "."+results.PartName(1)+".tmp-987654321"),
		filepath.Join(TalliesDir, "."+CheckpointName(0)+".tmp-42"),
	}
	others := []string{
		".notes.tmp-draft",
		filepath.Join(results.PathsDir, ".part-00001.parquet.tmp-12x"),
		"summary.csv.tmp-77", // no leading dot: not a temporary file of backstop's
	}
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T) string
		remedy string // besides DIR
	}{
		{"complete", func(t *testing.T) string { _, dir := finishedRun(t, 200); return dir }, "can be deleted"},
		{"unfinished", func(t *testing.T) string {
			_, dir := finishedRun(t, 200)
			m, err := results.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			m.Status = results.StatusIncomplete
			if err := results.WriteManifest(dir, m); err != nil {
				t.Fatal(err)
			}
			return dir
		}, "backstop run --resume "},
		{"shards", func(t *testing.T) string {
			dir := filepath.Join(t.TempDir(), "run")
			cfg := configs.Baseline()
			cfg.Paths = 200
			for i := 1; i <= 2; i++ {
				if _, err := Execute(context.Background(), Options{Config: cfg, OutDir: dir, ChunkSize: 100, Shard: ShardSpec{Index: i, Count: 2}}); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}, "backstop merge "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			for _, f := range append(append([]string{}, temps...), others...) {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("cut short"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, ".dir.tmp-5"), 0o755); err != nil {
				t.Fatal(err)
			}
			aside := replacedPrefix + "31"
			if err := os.Mkdir(filepath.Join(dir, aside), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, aside, asideMarker), []byte(asideMarkerText), 0o644); err != nil {
				t.Fatal(err)
			}
			before := dirstate.Describe(t, dir)
			rep, err := Verify(dir, VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Intact() {
				t.Errorf("problems %q; stale temporary files do not make a run damaged", rep.Problems)
			}
			notes := strings.Join(rep.Notes, "\n")
			for _, f := range append(temps, aside) {
				if !strings.Contains(notes, f) {
					t.Errorf("notes do not name %s:\n%s", f, notes)
				}
			}
			for _, f := range append(others, ".dir.tmp-5") {
				if strings.Contains(notes, f) {
					t.Errorf("notes name %s, not a temporary file of backstop's:\n%s", f, notes)
				}
			}
			if !strings.Contains(notes, tc.remedy) {
				t.Errorf("notes do not say %q:\n%s", tc.remedy, notes)
			}
			if after := dirstate.Describe(t, dir); after != before {
				t.Errorf("verify changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	// A run without them has no note.
	_, dir := finishedRun(t, 200)
	if rep, err := Verify(dir, VerifyOptions{}); err != nil || len(rep.Notes) > 0 {
		t.Errorf("clean run: notes %q, %v; want none", rep.Notes, err)
	}
}

// TestVerifyLeftoversStayInTheRun: Verify's notes on leftovers never look through a
// symbolic link out of the run directory: a subdirectory backstop writes (figures/,
// shards/, quarantine/) that is a link to another directory, a link named like a
// temporary file or like a stopped --force's hidden directory. Before, the temporary-like
// files of the linked directory were named as the run's, "they can be deleted".
func TestVerifyLeftoversStayInTheRun(t *testing.T) {
	_, dir := finishedRun(t, 200)
	outside := t.TempDir()
	victim := ".precious.tmp-1234" // in a directory that is not the run's
	if err := os.WriteFile(filepath.Join(outside, victim), []byte("not the run's"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{results.FiguresDir, results.ShardsDir, QuarantineDir} {
		os.RemoveAll(filepath.Join(dir, sub))
		if err := os.Symlink(outside, filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	for _, link := range []string{".summary.csv.tmp-77", replacedPrefix + "8"} {
		if err := os.Symlink(filepath.Join(outside, victim), filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	before := dirstate.Describe(t, outside)
	rep, err := Verify(dir, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	for _, name := range []string{victim, ".summary.csv.tmp-77", replacedPrefix + "8"} {
		if strings.Contains(notes, name) {
			t.Errorf("notes name %s, outside the run or a link:\n%s", name, notes)
		}
	}
	if after := dirstate.Describe(t, outside); after != before {
		t.Errorf("verify changed the directory outside the run")
	}
}
