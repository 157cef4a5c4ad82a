package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sweep"
)

// verifySweep verifies the sweep in dir: each grid point's run as a run, points/ for
// entries no point is, and, once the sweep is complete, sweep.parquet and the figures.
func verifySweep(dir string, rep *Report, opt Options) error {
	m, err := results.ReadSweepManifest(dir)
	if err != nil {
		return err
	}
	rep.What = fmt.Sprintf("a sweep of %d grid points", len(m.Points))
	complete := m.Status == results.StatusComplete
	listed := map[string]bool{}
	var done, partial, pending, requeue []int
	var notDirs []string // files where a grid point's run directory goes
	for i, pt := range m.Points {
		name := printable.Name(filepath.ToSlash(pt.Dir))
		if !filepath.IsLocal(pt.Dir) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("grid point %d: its directory %s is not inside the sweep's directory (a hand-edited manifest)", pt.Point, name))
			continue
		}
		listed[pt.Dir] = true
		if link := rundir.FirstLink(dir, pt.Dir); link != "" {
			rep.Problems = append(rep.Problems, linkProblem(dir, link))
			rep.Damaged = append(rep.Damaged, pt.Dir)
			continue
		}
		if !holdsRun(filepath.Join(dir, pt.Dir)) {
			if notDir(dir, pt.Dir) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: grid point %d's run directory is a file, not a directory", name, pt.Point))
				rep.Damaged, notDirs = append(rep.Damaged, pt.Dir), append(notDirs, pt.Dir)
				requeue = append(requeue, i)
			} else if complete || pt.Status == results.StatusComplete {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: grid point %d's run is missing (no %s)", name, pt.Point, results.ManifestFile))
				rep.Damaged = append(rep.Damaged, pt.Dir)
				requeue = append(requeue, i)
			} else {
				pending = append(pending, pt.Point)
			}
			continue
		}
		r := rep.addRun(dir, pt.Dir, complete, opt)
		switch {
		case r != nil && r.Resume != "":
			requeue = append(requeue, i)
		case r != nil && len(r.Unfinished) == 0:
			done = append(done, pt.Point)
		case r != nil:
			partial = append(partial, pt.Point)
		}
	}
	moved := rep.strays(dir, results.PointsDir, listed)
	var changed []string
	if complete {
		if m.OutputSHA256 != nil {
			changed = rep.ownFiles(dir, m.Outputs, m.OutputSHA256)
		} else {
			rep.Notes = append(rep.Notes, fmt.Sprintf("this sweep was written by an earlier backstop that did not record checksums of its own files: %s was checked only for presence and readability (its rows decoded), every grid point's run in full", results.SweepFile))
			rep.OwnFiles++
			if link := rundir.FirstLink(dir, results.SweepFile); link != "" {
				rep.Problems = append(rep.Problems, linkProblem(dir, link))
			} else if _, _, err := results.ReadSweep(filepath.Join(dir, results.SweepFile)); err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: listed by the manifest but missing or unreadable (%s)", results.SweepFile, strings.TrimPrefix(printable.Error(err), dir+string(filepath.Separator))))
				changed = append(changed, results.SweepFile)
			}
		}
	} else {
		why := statusText(m.Status, m.Error)
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("the sweep is %s; %d of %d grid points complete%s%s; finish it with %s",
			why, len(done), len(m.Points), pointsText(partial, "cut short"), pointsText(pending, "not started"), sweep.ResumeCommand(dir)))
	}
	resume := ""
	if !complete {
		resume = sweep.ResumeCommand(dir)
	}
	rep.leftovers(dir, []string{results.FiguresDir, results.PointsDir}, resume)
	if !opt.Quarantine {
		return nil
	}
	if err := quarantine(dir, opt, "not part of this sweep", append(moved, notDirs...)); err != nil {
		return err
	}
	if err := quarantine(dir, opt, "damaged: sweep --resume writes it again", changed); err != nil {
		return err
	}
	if len(requeue) == 0 && len(changed) == 0 {
		return nil
	}
	// Mark the sweep, and each point whose chunks were moved, incomplete: sweep --resume
	// then recomputes those chunks and writes sweep.parquet and the figures again.
	var points []string
	for _, i := range requeue {
		m.Points[i].Status = results.StatusIncomplete
		points = append(points, fmt.Sprint(m.Points[i].Point))
	}
	rep.Resume = sweep.ResumeCommand(dir)
	m.Status, m.Finished, m.Resume = results.StatusIncomplete, "", rep.Resume
	m.Error = quarantinedError
	if len(points) > 0 {
		m.Error += " (grid points " + strings.Join(points, ", ") + ")"
	}
	if err := results.WriteSweepManifest(dir, m); err != nil {
		return rep.notUpdated(dir, err)
	}
	return nil
}

// holdsRun reports whether dir holds a run's manifest (or its shards').
func holdsRun(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, results.ManifestFile)); err == nil {
		return true
	}
	shards, _ := results.ShardManifests(dir)
	return len(shards) > 0
}

// pointsText says which grid points are in a state ("" for none): ", 2 not started (3, 4)".
func pointsText(points []int, state string) string {
	if len(points) == 0 {
		return ""
	}
	s := make([]string, len(points))
	for i, p := range points {
		s[i] = fmt.Sprint(p)
	}
	if len(s) > 8 {
		s = append(s[:8], "...")
	}
	return fmt.Sprintf(", %d %s (%s)", len(points), state, strings.Join(s, ", "))
}
