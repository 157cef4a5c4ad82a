package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/verify"
)

// errNotIntact is verify's answer for a run with damaged, foreign, missing or stray files:
// exit status 1, the files named on stdout.
var errNotIntact = errors.New("the run is not intact")

// errNotFinished is verify's answer for a run whose files are intact but which is not
// complete (interrupted, failed, still running, or shards not yet merged): exit status
// exitNotFinished, so that `backstop verify DIR && publish` stops there and a script can
// tell "finish it" (3) from "it is damaged" (1).
var errNotFinished = errors.New("the run is intact but not finished")

// exitNotFinished is verify's exit status for an intact run that is not complete.
const exitNotFinished = 3

// cmdVerify checks a run's, a sweep's, an exploration's or a calibration's directory
// against its manifest: `backstop verify [--quarantine] DIR`.
func cmdVerify(args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if err != nil {
			err = printableError{err}
		}
	}()
	fs := flag.NewFlagSet("backstop verify", flag.ContinueOnError)
	quarantine := fs.Bool("quarantine", false, "move damaged or foreign chunks and stray files to DIR/"+run.QuarantineDir+"/ and mark the run incomplete, so that run --resume recomputes those chunks alone (a sweep, exploration or calibration: the same in each run it holds, its own damaged files moved too, and it is marked incomplete for its --resume)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: backstop verify [--quarantine] DIR\n\nDecodes every part and checkpoint the run's manifest lists, checks their checksums and\nidentity, and names every damaged, foreign, missing or stray file. It notes, without\ncounting them, the temporary files of writes a kill cut short. Exit status: 0 the run\nis complete and intact, 1 a file is damaged, foreign, missing or stray, 3 the files are\nintact but the run is not finished (resume or merge it), 2 a bad command line or a\ndirectory that holds no run.\n\nDIR may also be a sweep's, an exploration's or a calibration's directory: every run it\nholds (a sweep's grid points, an exploration's runs/N) is verified as a run, one line per\nproblem after the run's directory, and its own files (sweep.parquet, evaluations/,\nthe tables, figures) against the checksums its manifest records; the exit status is the\nsame, 3 naming the --resume (or merge) that finishes it.\n\n")
		fs.PrintDefaults()
	}
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("verify takes one directory (a run's, a sweep's, an exploration's or a calibration's), e.g. backstop verify outputs/baseline")}
	}
	dir := fs.Arg(0)
	if _, err := os.Stat(dir); err != nil {
		return usageError{fmt.Errorf("verify %s: %w", dir, err)}
	}
	if kind, err := verify.Kind(dir); err != nil {
		return err
	} else if kind != "" {
		return verifyDir(dir, kind, *quarantine, stdout, stderr)
	}
	rep, err := run.Verify(dir, run.VerifyOptions{Quarantine: *quarantine, Log: stderr})
	if err != nil {
		return err
	}
	if rep.Intact() {
		fmt.Fprintf(stdout, "%s: intact: %d chunks, %d files decoded and checksummed against %s\n", printable.Name(dir), rep.Chunks, rep.Files, strings.Join(rep.Manifests, ", "))
		for _, u := range rep.Unfinished {
			fmt.Fprintf(stdout, "%s: not finished: %s\n", printable.Name(dir), printable.Line(u))
		}
		printNotes(stdout, dir, rep.Notes)
		if len(rep.Unfinished) > 0 {
			return fmt.Errorf("%w: %s", errNotFinished, printable.Name(dir))
		}
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "%s: %s\n", printable.Name(dir), printable.Line(p))
	}
	printNotes(stdout, dir, rep.Notes)
	switch {
	case rep.Resume != "":
		fmt.Fprintf(stdout, "%s: the damaged chunks were moved to %s/; recompute them with: %s\n", printable.Name(dir), run.QuarantineDir, rep.Resume)
	case len(rep.Damaged) > 0:
		fmt.Fprintf(stdout, "%s: to recompute the damaged chunks alone: backstop verify --quarantine %s, then %s\n", printable.Name(dir), shellquote.Path(dir), run.ResumeCommand(dir, run.ShardSpec{}))
	}
	return fmt.Errorf("%w: %s in %s", errNotIntact, problemCount(len(rep.Problems)), printable.Name(dir))
}

// problemCount is "1 problem" or "n problems".
func problemCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}

// printNotes writes verify's notes: what is in dir but not part of the run, without
// bearing on its status.
func printNotes(w io.Writer, dir string, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "%s: note: %s\n", printable.Name(dir), printable.Line(n))
	}
}

// printableError is an error of verify as main prints it: its message with every control
// character escaped (printable.Error), so that a name holding an escape sequence, from a
// hand-edited manifest or the command line, never reaches the terminal raw; errors.Is and
// errors.As see err as it is.
type printableError struct{ err error }

func (e printableError) Error() string { return printable.Error(e.err) }
func (e printableError) Unwrap() error { return e.err }
