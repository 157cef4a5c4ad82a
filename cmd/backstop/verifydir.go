package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/verify"
)

// kindNotFinished is verify's answer for a sweep, exploration or calibration whose files are
// intact but which is not finished: errors.Is errNotFinished (exit status exitNotFinished).
type kindNotFinished struct{ msg string }

func (e kindNotFinished) Error() string        { return e.msg }
func (e kindNotFinished) Is(target error) bool { return target == errNotFinished }

// verifyDir verifies a sweep's, an exploration's or a calibration's directory (kind, as
// verify.Kind says) and prints what it found: one line per problem, naming the file (a
// run's after the run's directory), the notes, then the verdict; the returned error
// carries the exit status, as for a run.
func verifyDir(dir, kind string, quarantine bool, stdout, stderr io.Writer) error {
	rep, err := verify.Dir(dir, kind, verify.Options{Quarantine: quarantine, Log: stderr})
	if err != nil {
		return err
	}
	name := printable.Name(dir)
	line := func(format string, args ...any) {
		fmt.Fprintf(stdout, "%s: %s\n", name, printable.Line(fmt.Sprintf(format, args...)))
	}
	for _, p := range rep.Problems {
		line("%s", p)
	}
	for _, n := range rep.Notes {
		line("note: %s", n)
	}
	word := verify.Noun(kind)
	if rep.Intact() {
		line("intact: %s", intactSummary(rep))
	}
	for _, u := range rep.Unfinished {
		line("not finished: %s", u)
	}
	if rep.Intact() {
		if len(rep.Unfinished) > 0 {
			return kindNotFinished{fmt.Sprintf("the %s is intact but not finished: %s", word, name)}
		}
		return nil
	}
	for _, u := range rep.Unrepaired {
		line("%s: its damaged files are outputs of a complete run, not chunks, which --quarantine does not move: restore them from a copy", u)
	}
	switch {
	case rep.Resume != "":
		line("the damaged files were moved to %s/ (a run's damaged chunks to that run's %s/), and the %s marked incomplete; recompute them with: %s", run.QuarantineDir, run.QuarantineDir, word, rep.Resume)
	case !quarantine:
		line("%s", rep.Repair)
	}
	what := ""
	if len(rep.Damaged) > 0 {
		var shown []string
		for i, d := range rep.Damaged {
			if i == 8 {
				shown = append(shown, "...")
				break
			}
			shown = append(shown, printable.Name(filepath.ToSlash(d)))
		}
		what = fmt.Sprintf("; runs with problems: %s", strings.Join(shown, ", "))
	}
	return fmt.Errorf("the %s is not intact: %s in %s%s", word, problemCount(len(rep.Problems)), name, what)
}

// intactSummary says in one line what verify checked of an intact directory.
func intactSummary(rep *verify.Report) string {
	var parts []string
	switch {
	case rep.Runs > 0 && rep.RunsIntact == rep.Runs:
		parts = append(parts, fmt.Sprintf("%s complete and intact (%s, %s decoded and checksummed)", count(rep.Runs, "run"), count(rep.Chunks, "chunk"), count(rep.RunFiles, "file")))
	case rep.Runs > 0:
		parts = append(parts, fmt.Sprintf("%s verified, %d complete and intact (%s, %s decoded and checksummed)", count(rep.Runs, "run"), rep.RunsIntact, count(rep.Chunks, "chunk"), count(rep.RunFiles, "file")))
	}
	parts = append(parts, count(rep.OwnFiles, "file")+" of its own checked")
	return rep.What + ": " + strings.Join(parts, "; ")
}

// count writes n things, noun in the plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
