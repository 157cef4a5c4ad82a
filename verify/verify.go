// Package verify checks a sweep's, an exploration's or a calibration's directory against
// its manifest, as run.Verify checks a run's: every run the directory holds (a sweep's
// grid points, an exploration's runs kept in full) is verified as a run, and the
// directory's own files (tables, chunks of evaluations, figures) against the SHA-256 its
// manifest records. It names each damaged, missing or stray file, says what is not
// finished and the command that finishes it, and with Quarantine moves what is damaged
// aside so that the resume recomputes it.
package verify

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/explore"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sweep"
)

// Kinds of directory Dir verifies, as their manifests record them.
const (
	KindSweep       = results.SweepKind
	KindExplore     = "explore"
	KindCalibration = "calibration"
)

// Options configure Dir.
type Options struct {
	// Quarantine moves each damaged file to the directory's quarantine/ (in a run it
	// holds, run.Verify's quarantine: the damaged chunks in that run's), and marks the
	// directory incomplete, so that its resume recomputes what was moved and writes its
	// tables again.
	Quarantine bool
	Log        io.Writer // notes of what was moved; nil for none
}

// maxRunProblems is the most problems of one embedded run Dir lists; the rest are counted,
// with the command that lists them all.
const maxRunProblems = 5

// Report is what Dir found.
type Report struct {
	Kind string // KindSweep, KindExplore or KindCalibration
	What string // e.g. "a sweep of 25 grid points"
	// Problems has one line per damaged, missing, foreign or stray file, naming it
	// relative to the directory (a run's file after the run's directory).
	Problems []string
	// Unfinished says why the directory is not finished, and the command that finishes it.
	Unfinished []string
	// Notes name what does not bear on the verdict: an earlier version's manifest that
	// records no checksums, the temporary files of writes a kill cut short.
	Notes []string
	// Runs counts the runs verified, RunsIntact those complete and intact; Chunks and
	// RunFiles the chunks and files they hold, decoded and checksummed.
	Runs, RunsIntact, Chunks, RunFiles int
	// OwnFiles counts the directory's own files checked.
	OwnFiles int
	// Damaged names the embedded runs with problems, relative to the directory.
	Damaged []string
	// Resume is, after Quarantine moved or marked anything, the command that recomputes it.
	Resume string
	// Repair says, for a directory not intact, how to recompute what is damaged.
	Repair string
	// Unrepaired names the damaged files Quarantine cannot have recomputed (the outputs of
	// a complete run, which are not chunks): they must be restored from a copy.
	Unrepaired []string

	leftNotes int // the held runs' notes on what killed processes left in them
}

// Intact reports whether Dir found nothing wrong.
func (r *Report) Intact() bool { return len(r.Problems) == 0 }

// Kind returns the kind of backstop directory dir holds: "" for a run (or a run's shards,
// or nothing backstop wrote: run.Verify says which), else KindSweep, KindExplore or
// KindCalibration; an error when its manifest does not decode or has a kind this
// version does not know.
func Kind(dir string) (string, error) {
	kind, err := results.ManifestKind(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if shards, _ := results.ShardManifests(dir); len(shards) > 0 {
			if k, err := results.ManifestKindFile(shards[0]); err == nil && k == KindExplore {
				return KindExplore, nil
			}
		}
		return "", nil
	}
	if err != nil {
		return "", err
	}
	switch kind {
	case "", KindSweep, KindExplore, KindCalibration:
		return kind, nil
	}
	return "", fmt.Errorf("%s records kind %q, which this backstop does not know: upgrade backstop", filepath.Join(dir, results.ManifestFile), kind)
}

// Dir verifies the directory dir of the given kind (as Kind returns it, not "").
func Dir(dir, kind string, opt Options) (*Report, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	what := Noun(kind)
	if what == "" {
		return nil, fmt.Errorf("verify %s: kind %q is not a sweep, exploration or calibration", dir, kind)
	}
	if opt.Quarantine { // it moves files: the writer's lock
		lock, err := rundir.Lock(dir, 0, 1, opt.Log)
		if err != nil {
			return nil, err
		}
		defer lock.Release()
	} else if lock := rundir.LockPath(dir); dirlock.Held(lock) { // it only reads
		// as run.Verify says it: the holder, or the shards that hold it
		return nil, rundir.ExplainHeld(dir, &dirlock.HeldError{Path: lock, Holder: dirlock.Holder(lock)})
	}
	rep := &Report{Kind: kind}
	var err error
	switch kind {
	case KindSweep:
		err = verifySweep(dir, rep, opt)
	case KindExplore:
		err = verifyExplore(dir, rep, opt)
	case KindCalibration:
		err = verifyCalibration(dir, rep, opt)
	}
	if err != nil {
		return nil, err
	}
	if rep.Repair == "" && !rep.Intact() {
		rep.Repair = fmt.Sprintf("to move the damaged and stray files aside and recompute them: backstop verify --quarantine %s, then %s", shellquote.Path(dir), ResumeCommand(kind, dir))
	}
	return rep, nil
}

// ResumeCommand is the command that finishes (or, after verify --quarantine, repairs) the
// directory dir of kind.
func ResumeCommand(kind, dir string) string {
	switch kind {
	case KindSweep:
		return sweep.ResumeCommand(dir)
	case KindExplore:
		return explore.ResumeCommand(dir)
	}
	return calibrate.ResumeCommand(dir)
}

// addRun verifies the run in dir/rel (an embedded run) and adds what it found to rep:
// its problems, each after rel (at most maxRunProblems of them), its notes. finished says
// whether the directory holding it is complete: then an unfinished run is a problem;
// otherwise the directory's resume finishes it, and it is counted, not named. It returns
// run.Verify's report (nil when the run could not be read, a problem then).
func (rep *Report) addRun(dir, rel string, finished bool, opt Options) *run.VerifyReport {
	rep.Runs++
	name := printable.Name(filepath.ToSlash(rel))
	r, err := run.Verify(filepath.Join(dir, rel), run.VerifyOptions{Quarantine: opt.Quarantine, Log: prefixLog{opt.Log, name + ": "}})
	if err != nil {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %v", name, strings.TrimPrefix(printable.Error(err), filepath.Join(dir, rel)+string(filepath.Separator))))
		rep.Damaged = append(rep.Damaged, rel)
		return nil
	}
	rep.Chunks += r.Chunks
	rep.RunFiles += r.Files
	for i, p := range r.Problems {
		if i == maxRunProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: and %d more problems (backstop verify %s lists them all)", name, len(r.Problems)-i, shellquote.Path(filepath.Join(dir, rel))))
			break
		}
		rep.Problems = append(rep.Problems, name+": "+p)
	}
	if finished {
		for _, u := range r.Unfinished {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the %s is complete but this run is not: %s", name, Noun(rep.Kind), u))
		}
	}
	if len(r.Problems) > 0 {
		rep.Damaged = append(rep.Damaged, rel)
		if opt.Quarantine && r.Resume == "" { // nothing its resume recomputes was moved: is it whole now?
			if again, err := run.Verify(filepath.Join(dir, rel), run.VerifyOptions{}); err != nil || len(again.Problems) > 0 {
				rep.Unrepaired = append(rep.Unrepaired, name)
			}
		}
	} else if len(r.Unfinished) == 0 {
		rep.RunsIntact++
	}
	if n := len(r.Notes); n > 0 { // the last is the run's own removal command
		for _, note := range r.Notes[:n-1] {
			rep.Notes = append(rep.Notes, name+": "+note)
		}
		rep.leftNotes += n - 1
	}
	return r
}

// statusText is a manifest's status with its error, as an unfinished directory's line
// says it: "incomplete: interrupted".
func statusText(status, errText string) string {
	if errText != "" {
		return status + ": " + errText
	}
	return status
}

// quarantinedError is the error a sweep's, an exploration's or a calibration's manifest
// records once Quarantine has moved its damaged files and marked it incomplete.
const quarantinedError = "damaged files quarantined by backstop verify"

// notUpdated is the error of a quarantine that moved the damaged files of dir but could
// not mark its manifest incomplete (err).
func (rep *Report) notUpdated(dir string, err error) error {
	return errors.Join(fmt.Errorf("the damaged files are in %s/ but the %s's manifest was not updated", filepath.Join(dir, run.QuarantineDir), Noun(rep.Kind)), err)
}

// Noun names a kind of directory in a sentence: "sweep", "exploration", "calibration"
// ("" for another kind).
func Noun(kind string) string {
	return map[string]string{KindSweep: "sweep", KindExplore: "exploration", KindCalibration: "calibration"}[kind]
}

// ownFiles checks files (relative to dir) against sums, adding a problem per missing,
// unreadable or changed file, per file behind a symbolic link, per name outside dir (a
// hand-edited manifest's, neither read nor moved) and, when sums is not nil (a manifest
// that records checksums), per file it has no checksum of; and returns those
// missing or changed (not those behind a link): what Quarantine moves (those present) and
// the resume writes again.
func (rep *Report) ownFiles(dir string, files []string, sums map[string]string) (damaged []string) {
	for _, f := range files {
		rep.OwnFiles++
		if !filepath.IsLocal(f) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: not inside the %s's directory (a hand-edited manifest): not read", printable.Name(filepath.ToSlash(f)), Noun(rep.Kind)))
			continue
		}
		if link := rundir.FirstLink(dir, f); link != "" {
			rep.Problems = append(rep.Problems, linkProblem(dir, link))
			continue
		}
		if sums != nil && sums[f] == "" { // recorded with checksums, this one's lost
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: listed by the manifest, which records no checksum of it (a hand-edited or damaged manifest): cannot be checked", printable.Name(filepath.ToSlash(f))))
			continue
		}
		p := results.FileProblems(dir, []string{f}, sums)
		rep.Problems = append(rep.Problems, p...)
		if len(p) > 0 {
			damaged = append(damaged, f)
		}
	}
	return damaged
}

// linkProblem names the symbolic link rel in dir.
func linkProblem(dir, rel string) string {
	target, _ := os.Readlink(filepath.Join(dir, rel))
	return fmt.Sprintf("%s: a symbolic link (to %s), not followed: verify checks only what is inside the directory; replace the link by the files it points to", printable.Name(filepath.ToSlash(rel)), printable.Name(target))
}

// strays adds a problem for each entry of dir/sub that listed does not name (hidden names,
// such as writes in progress, aside), as run.Verify does for a run's paths/ and tallies/,
// and returns them (relative to dir). A sub that is a symbolic link is not looked into.
func (rep *Report) strays(dir, sub string, listed map[string]bool) []string {
	if !rundir.IsRealDir(filepath.Join(dir, sub)) {
		return nil
	}
	entries, _ := os.ReadDir(filepath.Join(dir, sub))
	var out []string
	for _, e := range entries {
		rel := filepath.Join(sub, e.Name())
		if strings.HasPrefix(e.Name(), ".") || listed[rel] {
			continue
		}
		what := "a stray file"
		if e.IsDir() {
			what = "a stray directory"
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: not listed by the manifest (%s)", printable.Name(filepath.ToSlash(rel)), what))
		out = append(out, rel)
	}
	return out
}

// quarantine moves files (relative to dir) to dir/quarantine/, saying why on opt.Log.
func quarantine(dir string, opt Options, why string, files []string) error {
	abs := make([]string, len(files))
	for i, f := range files {
		abs[i] = filepath.Join(dir, f)
	}
	return run.QuarantineFiles(dir, opt.Log, why, abs...)
}

// leftovers notes the temporary files of writes a kill cut short in dir and its subs
// (never through a symbolic link), with what removes them: resume for an unfinished
// directory, else nothing (they can be deleted).
func (rep *Report) leftovers(dir string, subs []string, resume string) {
	stale := run.StaleTempNotes(dir, subs, Noun(rep.Kind))
	rep.Notes = append(rep.Notes, stale...)
	if len(stale)+rep.leftNotes == 0 {
		return
	}
	const harmless = "these do not affect the results or their readers (hidden names); "
	if resume != "" {
		rep.Notes = append(rep.Notes, harmless+resume+" removes them as it finishes")
	} else {
		rep.Notes = append(rep.Notes, harmless+"the "+Noun(rep.Kind)+" is complete, so no backstop command writes here again to remove them (--force would, replacing it): they can be deleted")
	}
}

// prefixLog writes the lines run.Verify logs of a run a directory holds (one "backstop:
// moved FILE ..." per Write) with the run's directory after "backstop: ", so that each
// names the file moved relative to the directory verified.
type prefixLog struct {
	w      io.Writer
	prefix string
}

func (l prefixLog) Write(p []byte) (int, error) {
	s := string(p)
	if rest, ok := strings.CutPrefix(s, "backstop: "); ok {
		s = "backstop: " + l.prefix + rest
	} else {
		s = l.prefix + s
	}
	if _, err := io.WriteString(l.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
