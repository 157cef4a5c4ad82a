package sweep

import (
	"fmt"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// IsSweep reports whether dir holds a sweep, finished or not: its manifest.json is a
// sweep's.
func IsSweep(dir string) bool {
	m, err := results.ReadSweepManifest(dir)
	return err == nil && m.Kind == results.SweepKind
}

// ResumeCommand is the command that finishes the sweep in dir, as a user types it (dir
// quoted for a POSIX shell when it needs to be).
func ResumeCommand(dir string) string { return "backstop sweep --resume " + shellquote.Path(dir) }

// CheckFinished refuses, for a reader (plot, inspect, sweep --plot), a sweep that is not
// complete: one being written (the lock's holder is named), or one interrupted, failed or
// stopped at once, with the command that finishes it.
func CheckFinished(dir string) error {
	m, err := results.ReadSweepManifest(dir)
	if err != nil {
		return err
	}
	if m.Kind != results.SweepKind {
		return fmt.Errorf("%s holds a run, not a sweep", dir)
	}
	if m.Status == results.StatusComplete {
		return nil
	}
	if lock := rundir.LockPath(dir); dirlock.Held(lock) {
		return fmt.Errorf("the sweep in %s is being written (%s): wait for it to finish", dir, dirlock.Holder(lock))
	}
	return fmt.Errorf("the sweep in %s is %s, not complete: finish it first with %s", dir, m.Status, ResumeCommand(dir))
}

// Redraw redraws the figures of the finished sweep in dir (as DrawFigures), refusing one
// that is not complete (CheckFinished), under the sweep's lock; a manifest that records
// its own files' checksums records the figures drawn, with theirs, so that verify checks
// them as drawn.
func Redraw(dir string, opt plots.Options) ([]string, error) {
	if err := CheckFinished(dir); err != nil {
		return nil, err
	}
	lock, err := rundir.Lock(dir, 0, 1, nil)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	files, err := DrawFigures(dir, opt)
	if err != nil {
		return files, err
	}
	m, err := results.ReadSweepManifest(dir)
	if err != nil || m.OutputSHA256 == nil { // an earlier version's: it records none
		return files, err
	}
	if err := results.AddOutputs(dir, &m.Outputs, &m.OutputSHA256, results.RelativeFiles(dir, files)); err != nil {
		return files, err
	}
	if err := results.WriteSweepManifest(dir, m); err != nil {
		return files, fmt.Errorf("the figures are drawn but not recorded in the manifest: %w", err)
	}
	return files, nil
}

// MarkStopped rewrites the manifest of the sweep in dir, and that of its grid point being
// computed, from running to incomplete with resume as the command that finishes it: what a
// second signal does before it exits at once. Best effort: the process is exiting, and a
// manifest it cannot rewrite stays "running", which --resume also accepts.
func MarkStopped(dir, resume string) {
	m, err := results.ReadSweepManifest(dir)
	if err != nil || m.Kind != results.SweepKind || m.Status != results.StatusRunning {
		return
	}
	for i, pt := range m.Points {
		if !filepath.IsLocal(pt.Dir) {
			continue
		}
		pm, err := results.ReadManifest(filepath.Join(dir, pt.Dir))
		if err == nil && pm.Status == results.StatusRunning {
			run.MarkStopped(filepath.Join(dir, pt.Dir, results.ManifestFile), resume)
			m.Points[i].Status = results.StatusIncomplete
		}
	}
	m.Status, m.Error, m.Resume = results.StatusIncomplete, "stopped at once by a second signal", resume
	results.WriteSweepManifest(dir, m)
}
