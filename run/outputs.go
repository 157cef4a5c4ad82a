package run

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
)

// recordOutputs adds files (relative to dir) to m's outputs, with the SHA-256 of each as
// it is now, so that verify can check every file the run holds.
func recordOutputs(dir string, m *results.Manifest, files []string) error {
	return results.AddOutputs(dir, &m.Outputs, &m.OutputSHA256, files)
}

// outputProblems checks every output m lists against its recorded SHA-256 (a manifest
// from before checksums were recorded is checked only for presence), one line per
// missing or changed file.
func outputProblems(dir string, m *results.Manifest) []string {
	return results.FileProblems(dir, m.Outputs, m.OutputSHA256)
}

// runSubdirs are the directories backstop writes inside a run directory.
var runSubdirs = []string{results.PathsDir, TalliesDir, results.FiguresDir, results.ShardsDir, QuarantineDir}

// checkNoSymlinks refuses a run directory whose subdirectories are symbolic links: writing
// (or, with --force, removing) through one would change files outside the run.
func checkNoSymlinks(dir string) error {
	for _, sub := range runSubdirs {
		p := filepath.Join(dir, sub)
		fi, err := os.Lstat(p)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			return rundir.Refusef("%s is a symbolic link (to %s): backstop writes only inside the run directory; replace the link by a directory or use another --out", p, target)
		}
	}
	return nil
}

// checkShardsAgree refuses shard s of a run into dir when the shards already there belong
// to another run: another shard count, config (seed and paths included) or chunk size.
// Their chunks would be overwritten or mixed with this shard's.
func checkShardsAgree(j *job) error {
	s := j.opt.Shard
	if s.Count <= 1 {
		return nil
	}
	for _, f := range shardManifests(j.opt.OutDir) {
		if filepath.Clean(f) == filepath.Clean(j.manifestPath) {
			continue
		}
		m, err := results.ReadManifestFile(f)
		if err != nil || m.Shard == nil {
			continue // verify and merge name a damaged shard manifest
		}
		var diff []string
		if m.Shard.Count != s.Count {
			diff = append(diff, fmt.Sprintf("%d shards, not %d", m.Shard.Count, s.Count))
		}
		if m.Seed != j.cfg.Seed {
			diff = append(diff, fmt.Sprintf("seed %d, not %d", m.Seed, j.cfg.Seed))
		}
		if m.ConfigSHA256 != j.cfgHash && m.Seed == j.cfg.Seed {
			diff = append(diff, "another config")
		}
		if m.ChunkSize != j.opt.ChunkSize {
			diff = append(diff, fmt.Sprintf("chunk size %d, not %d", m.ChunkSize, j.opt.ChunkSize))
		}
		if len(diff) > 0 {
			return rundir.Refusef("%s holds shard %d/%d of another run (%s): the shards of one run share their count, config, seed and chunk size; write this one to another --out (or remove %s to start the sharded run over)",
				j.opt.OutDir, m.Shard.Index, m.Shard.Count, strings.Join(diff, ", "), filepath.Join(j.opt.OutDir, results.ShardsDir))
		}
	}
	return nil
}

// Plot redraws the figures of the finished run in dir (as DrawFigures) under the run's
// lock, and records them, with their checksums, among the manifest's outputs: a later
// --force removes them with the run, and verify checks them. A run still being written,
// incomplete or failed is refused with the command that finishes it; a sweep's or an
// exploration's directory is refused naming what it is.
func Plot(dir string, opt FigureOptions, log io.Writer) ([]string, error) {
	if log == nil {
		log = io.Discard
	}
	m, err := results.ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if len(shardManifests(dir)) > 0 {
			return nil, fmt.Errorf("%s holds the shards of a run, not yet merged: once every shard is done, %s", dir, MergeCommand(dir))
		}
		return nil, fmt.Errorf("%s holds no backstop run (%s is missing)", dir, results.ManifestFile)
	}
	if err != nil {
		return nil, err
	}
	if err := checkNoSymlinks(dir); err != nil {
		return nil, err
	}
	lock, err := lockRun(dir, ShardSpec{}, log)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if m, err = results.ReadManifest(dir); err != nil { // as it is under the lock
		return nil, err
	}
	if m.Status != results.StatusComplete {
		next := m.Resume
		if next == "" {
			next = ResumeCommand(dir, ShardSpec{})
		}
		return nil, fmt.Errorf("the run in %s is %s, not complete: finish it first with %s", dir, m.Status, next)
	}
	if err := checkFigureInputs(dir, m); err != nil {
		return nil, err
	}
	files, err := DrawFigures(dir, opt)
	if err != nil {
		return files, err
	}
	if err := recordOutputs(dir, m, results.RelativeFiles(dir, files)); err != nil {
		return files, err
	}
	if err := results.WriteManifest(dir, m); err != nil {
		return files, fmt.Errorf("the figures are drawn but not recorded in the manifest: %w", err)
	}
	return files, nil
}

// checkFigureInputs checks the files the figures read (the bands, the convergence table
// and the parts holding the first MaxFigurePaths paths) against the SHA-256 the manifest
// records for each: one damaged or rewritten since the run is an error naming it, never
// figures drawn from other values. Parquet's own checks miss such changes in a footer or
// a rewritten file, and a damaged footer can even make the reader exhaust memory.
func checkFigureInputs(dir string, m *results.Manifest) error {
	check := func(what, rel, want string) error {
		if want == "" { // a run written before checksums were recorded
			return nil
		}
		sum, err := results.FileSHA256(filepath.Join(dir, rel))
		if err != nil {
			return err
		}
		if sum != want {
			return fmt.Errorf("%s%w; check the run with backstop verify %s", what, replacedError(filepath.Join(dir, rel), sum, want), shellquote.Path(dir))
		}
		return nil
	}
	for _, f := range []string{results.BandsFile, results.ConvergenceFile} {
		if err := check("", f, m.OutputSHA256[f]); err != nil {
			return err
		}
	}
	var rows int64
	for _, e := range m.Index {
		if rows >= int64(MaxFigurePaths)*int64(len(m.Policies)) {
			break
		}
		if err := check(fmt.Sprintf("chunk %d: ", e.Chunk), e.Part, e.PartSHA256); err != nil {
			return err
		}
		rows += e.Rows
	}
	return nil
}

// MarkStopped rewrites the manifest at path of a run stopped at once (a second signal)
// from running to incomplete, with resume as the command that finishes it. The chunks it
// lists are whole; any written after it are found by the resume. Best effort: the process
// is exiting, and a manifest it cannot rewrite stays "running", which resume also accepts.
func MarkStopped(path, resume string) {
	markStopped(path, "stopped at once by a second signal", resume)
}

// markStopped rewrites the manifest at path from running to incomplete, with why as its
// error and resume as the command that finishes it; best effort, as MarkStopped.
func markStopped(path, why, resume string) {
	m, err := results.ReadManifestFile(path)
	if err != nil || m.Status != results.StatusRunning {
		return
	}
	m.Status, m.Error, m.Resume = results.StatusIncomplete, why, resume
	results.WriteManifestFile(path, m)
}
