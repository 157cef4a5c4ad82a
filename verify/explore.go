package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/explore"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// verifyExplore verifies the exploration in dir: its chunks of evaluations (decoded, and
// checksummed once it is complete), each run kept in full as a run, evaluations/ and runs/
// for entries it does not list, and, once complete, its tables, shard manifests and
// figures. An exploration still in shards (no manifest.json) is verified shard by shard.
func verifyExplore(dir string, rep *Report, opt Options) error {
	mpath := filepath.Join(dir, results.ManifestFile)
	m, err := explore.ReadManifestFile(mpath)
	if errors.Is(err, fs.ErrNotExist) {
		return verifyShards(dir, rep, opt)
	}
	if err != nil {
		return err
	}
	rep.What = fmt.Sprintf("an exploration of %d evaluations", m.Evaluations)
	complete := m.Status == results.StatusComplete
	check, err := explore.NewChunkChecker(m, mpath)
	if err != nil {
		return fmt.Errorf("%s: its explore file does not decode, so its evaluations cannot be checked: %w", mpath, err)
	}
	if link := rundir.FirstLink(dir, explore.EvaluationsDir); link != "" {
		rep.Problems = append(rep.Problems, linkProblem(dir, link))
	}
	listed := map[string]bool{}
	var damaged []string // own files to move and write again
	done := 0
	for c := 0; c < m.Chunks; c++ {
		rel := explore.ChunkFile(c)
		listed[rel] = true
		if rundir.FirstLink(dir, rel) != "" {
			continue
		}
		if !complete && !exists(filepath.Join(dir, rel)) {
			continue // not computed yet: the resume computes it
		}
		rep.OwnFiles++
		if complete && m.OutputSHA256 != nil {
			if p := results.FileProblems(dir, []string{rel}, m.OutputSHA256); len(p) > 0 {
				rep.Problems, damaged = append(rep.Problems, p...), append(damaged, rel)
				continue
			}
		}
		if err := check.Check(dir, c); err != nil {
			rep.Problems, damaged = append(rep.Problems, printable.Error(err)), append(damaged, rel)
			continue
		}
		done++
	}
	runs := keptRuns(m, complete)
	runsListed := map[string]bool{}
	for _, rel := range runs {
		runsListed[rel] = true
	}
	requeue := rep.keptRuns(dir, runs, complete, opt)
	moved := rep.strays(dir, explore.EvaluationsDir, listed)
	if rundir.FirstLink(dir, explore.RunsDir) == "" {
		moved = append(moved, rep.strays(dir, explore.RunsDir, runsListed)...)
	} else {
		rep.Problems = append(rep.Problems, linkProblem(dir, explore.RunsDir))
	}
	if complete {
		var own []string
		for _, f := range m.Outputs {
			if !strings.HasPrefix(filepath.ToSlash(f), explore.EvaluationsDir+"/") { // checked above
				own = append(own, f)
			}
		}
		if m.OutputSHA256 == nil {
			rep.Notes = append(rep.Notes, "this exploration was written by an earlier backstop that did not record checksums of its own files: its tables and figures were checked only for presence and readability; its chunks of evaluations were decoded and every run kept in full verified in full")
			own = append(legacyTables(dir, check), own...)
		}
		damaged = append(damaged, rep.ownFiles(dir, own, m.OutputSHA256)...)
	} else {
		why := statusText(m.Status, m.Error)
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("the exploration is %s; %d of %d chunks of evaluations done; finish it with %s", why, done, m.Chunks, explore.ResumeCommand(dir)))
	}
	resume := ""
	if !complete {
		resume = explore.ResumeCommand(dir)
	}
	rep.leftovers(dir, []string{explore.EvaluationsDir, results.FiguresDir, results.ShardsDir}, resume)
	if !opt.Quarantine {
		return nil
	}
	for _, rel := range requeue {
		if notDir(dir, rel) {
			moved = append(moved, rel) // a file where a kept run's directory goes
		}
	}
	if err := quarantine(dir, opt, "not part of this exploration", moved); err != nil {
		return err
	}
	if err := quarantine(dir, opt, "damaged: explore --resume writes it again", damaged); err != nil {
		return err
	}
	if len(requeue) == 0 && len(damaged) == 0 {
		return nil
	}
	// Mark the exploration incomplete: explore --resume computes the chunks moved, runs the
	// kept runs whose chunks were moved again, and writes the tables and figures again.
	rep.Resume = explore.ResumeCommand(dir)
	m.Status, m.Finished = results.StatusIncomplete, ""
	m.Error = quarantinedError
	if err := explore.WriteManifest(mpath, m); err != nil {
		return rep.notUpdated(dir, err)
	}
	return nil
}

// keptRuns lists the runs kept in full that m's directory should hold: those it lists
// (kept_runs) when complete; else those of its own evaluations it asked for, which may
// be there.
func keptRuns(m *explore.Manifest, complete bool) []string {
	if complete {
		return slices.Clone(m.KeptRuns)
	}
	return m.RunDirs()
}

// keptRuns verifies the runs kept in full (relative to dir) that are there: each must be,
// when finished says the exploration is complete. It returns those whose chunks
// Quarantine moved.
func (rep *Report) keptRuns(dir string, runs []string, finished bool, opt Options) []string {
	var requeue []string
	for _, rel := range runs {
		if !filepath.IsLocal(rel) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: a kept run outside the directory (a hand-edited manifest)", printable.Name(rel)))
			continue
		}
		if link := rundir.FirstLink(dir, rel); link != "" {
			if link != explore.RunsDir { // runs/ itself is named once
				rep.Problems = append(rep.Problems, linkProblem(dir, link))
			}
			continue
		}
		if !holdsRun(filepath.Join(dir, rel)) {
			if notDir(dir, rel) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: a kept run's directory is a file, not a directory", printable.Name(filepath.ToSlash(rel))))
				rep.Damaged, requeue = append(rep.Damaged, rel), append(requeue, rel)
			} else if finished {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: a kept run the manifest lists is missing (no %s)", printable.Name(filepath.ToSlash(rel)), results.ManifestFile))
				rep.Damaged = append(rep.Damaged, rel)
				requeue = append(requeue, rel)
			}
			continue
		}
		if r := rep.addRun(dir, rel, finished, opt); r != nil && r.Resume != "" {
			requeue = append(requeue, rel)
		}
	}
	return requeue
}

// legacyTables are the tables an exploration of an earlier version holds (its manifest
// names none): samples, sensitivity, and boxes.csv when it discovers.
func legacyTables(dir string, check *explore.ChunkChecker) []string {
	files := []string{explore.SamplesFile, explore.SensitivityCSV, explore.SensitivityFile}
	if check.Discovers() {
		files = append(files, explore.BoxesFile)
	}
	return files
}

// verifyShards verifies an exploration still in shards: each shard's chunks and kept runs,
// and says which shards are not complete and the merge that finishes it.
func verifyShards(dir string, rep *Report, opt Options) error {
	if opt.Quarantine {
		return fmt.Errorf("verify --quarantine %s: the exploration is in shards, not merged: --quarantine repairs a merged exploration; verify it without --quarantine to see what is damaged, and run a damaged shard again with --force", dir)
	}
	files, err := results.ShardManifests(dir)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	runsListed := map[string]bool{}
	var missing []string
	count, evaluations := 0, 0
	have := map[int]bool{}
	for _, f := range files {
		m, err := explore.ReadManifestFile(f)
		if err != nil || m.Shard == nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: not a shard manifest of an exploration (%v)", printable.Name(relTo(dir, f)), printable.Error(err)))
			continue
		}
		count, evaluations = m.Shard.Count, m.Evaluations
		complete := m.Status == results.StatusComplete
		have[m.Shard.Index] = complete
		check, err := explore.NewChunkChecker(m, f)
		if err != nil {
			return err
		}
		for c := m.Shard.FirstChunk; c < m.Shard.EndChunk && c < m.Chunks; c++ {
			rel := explore.ChunkFile(c)
			listed[rel] = true
			if rundir.FirstLink(dir, rel) != "" || (!complete && !exists(filepath.Join(dir, rel))) {
				continue
			}
			rep.OwnFiles++
			if complete && m.OutputSHA256 != nil {
				if p := results.FileProblems(dir, []string{rel}, m.OutputSHA256); len(p) > 0 {
					rep.Problems = append(rep.Problems, p...)
					continue
				}
			}
			if err := check.Check(dir, c); err != nil {
				rep.Problems = append(rep.Problems, printable.Error(err))
				continue
			}
		}
		var runs []string
		for _, rel := range keptRuns(m, complete) {
			if !runsListed[rel] { // each once, though shards' manifests may name another's
				runsListed[rel] = true
				runs = append(runs, rel)
			}
		}
		rep.keptRuns(dir, runs, complete, opt)
	}
	rep.What = fmt.Sprintf("an exploration of %d evaluations in %d shards", evaluations, count)
	for i := 1; i <= count; i++ {
		if !have[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, count))
		}
	}
	if link := rundir.FirstLink(dir, explore.EvaluationsDir); link != "" {
		rep.Problems = append(rep.Problems, linkProblem(dir, link))
	}
	rep.strays(dir, explore.EvaluationsDir, listed)
	if rundir.FirstLink(dir, explore.RunsDir) == "" {
		rep.strays(dir, explore.RunsDir, runsListed)
	} else {
		rep.Problems = append(rep.Problems, linkProblem(dir, explore.RunsDir))
	}
	if len(missing) > 0 {
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("the exploration is in shards, not merged: shard %s not complete (run each again as it was started: it resumes); once every shard is done, %s", strings.Join(missing, ", "), run.MergeCommand(dir)))
	} else {
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("the exploration is in shards, every one complete, not merged: %s", run.MergeCommand(dir)))
	}
	rep.leftovers(dir, []string{explore.EvaluationsDir, results.ShardsDir}, run.MergeCommand(dir))
	if !rep.Intact() {
		rep.Repair = "to recompute what is damaged: run the shard that holds it again, as it was started, with --force; then, once every shard is done, " + run.MergeCommand(dir)
	}
	return nil
}

// relTo returns path relative to dir, for a message.
func relTo(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

// notDir reports whether dir/rel is there but not a directory: a file where a run's
// directory goes.
func notDir(dir, rel string) bool {
	fi, err := os.Lstat(filepath.Join(dir, rel))
	return err == nil && !fi.IsDir()
}

// exists reports whether path names anything (a symbolic link too).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
