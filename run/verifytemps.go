package run

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/dirglob"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/results"
)

// leftovers returns Verify's notes on what killed processes left in the run directory
// dir, not part of the run: the temporary files of writes cut short, in dir and the
// directories backstop writes in it (those RemoveStaleTemps empties), and the hidden
// directories of a stopped --force (but those Verify names as a problem, when named);
// then the command that removes them. It changes nothing. manifests are those Verify
// read (the run's, or its shards').
func leftovers(dir string, manifests []string, named bool) []string {
	notes := StaleTempNotes(dir, runSubdirs, "run")
	aside, _ := dirglob.Glob(dir, replacedPrefix+"*")
	for _, a := range aside {
		if !rundir.IsRealDir(a) {
			continue
		}
		entries, _ := os.ReadDir(a)
		marker, err := os.Lstat(filepath.Join(a, asideMarker))
		switch {
		case err == nil && marker.Mode().IsRegular() && !named:
			notes = append(notes, fmt.Sprintf("%s/: the previous run's files, which a backstop run --force moved aside to replace it and was stopped before removing: not part of the run", filepath.Base(a)))
		case err != nil && len(entries) == 0:
			notes = append(notes, fmt.Sprintf("%s/: an empty directory a backstop run --force stopped at its start left", filepath.Base(a)))
		}
	}
	if len(notes) == 0 {
		return nil
	}
	return append(notes, leftoversRemoval(dir, manifests))
}

// StaleTempNotes lists, one note each, the temporary files of writes a kill cut short in
// dir and in its subdirectories subs (never through a symbolic link: dir itself may be
// one), named relative to dir as not part of what dir holds (what: "run", "sweep", ...).
// It changes nothing.
func StaleTempNotes(dir string, subs []string, what string) []string {
	var notes []string
	for _, f := range rundir.StaleIn(dir, subs) {
		rel, _ := filepath.Rel(dir, f)
		notes = append(notes, fmt.Sprintf("%s: the temporary file of a write cut short (a backstop killed while writing it), never renamed into place: not part of the %s", printable.Name(filepath.ToSlash(rel)), what))
	}
	return notes
}

// leftoversRemoval says which command removes the leftovers of the run in dir.
func leftoversRemoval(dir string, manifests []string) string {
	const harmless = "these do not affect the run or its readers (hidden names); "
	if manifests[0] != results.ManifestFile {
		return harmless + MergeCommand(dir) + " removes them, once every shard is complete"
	}
	m, err := results.ReadManifest(dir)
	if err == nil && m.Status == results.StatusComplete {
		return harmless + "the run is complete, so no backstop command writes here again to remove them (--force would, replacing the run): they can be deleted"
	}
	next := ResumeCommand(dir, ShardSpec{})
	if err == nil && m.Resume != "" {
		next = m.Resume
	}
	return harmless + next + " removes them as it finishes the run"
}
