package run

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/results"
)

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Quarantine moves each damaged or foreign chunk's part and checkpoint, and every stray
	// file of paths/ and tallies/, to quarantine/, and marks the run incomplete, so that
	// `backstop run --resume` recomputes those chunks alone.
	Quarantine bool
	Log        io.Writer // notes of what was moved; nil for none
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	Manifests []string // the manifests checked, relative to the run directory
	Chunks    int      // index entries checked
	Files     int      // files decoded
	Problems  []string // one line per damaged, foreign, missing or stray file
	Damaged   []int    // the chunks whose files are damaged, foreign or missing
	Resume    string   // after Quarantine: the command that recomputes them
	// Unfinished says, per manifest of a run not complete (interrupted, failed, running),
	// its status, chunks done and the command that finishes it: intact files, not a run.
	Unfinished []string
	// Notes name what is not part of the run and does not make it fail: the temporary
	// files of writes a kill cut short, the files a stopped --force moved aside; and the
	// command that removes them.
	Notes []string
}

// Intact reports whether Verify found nothing wrong.
func (r *VerifyReport) Intact() bool { return len(r.Problems) == 0 }

// Verify checks the run in dir against its manifest (or, before a merge, its shards'
// manifests): every chunk listed is on disk with the checksums recorded, every page of its
// part decodes, its checkpoint decodes, and both carry the run's identity; a complete run
// lists every chunk; paths/ and tallies/ hold nothing else. It notes, without counting
// them, what killed processes left (leftovers). It refuses a directory that a process is
// writing.
func Verify(dir string, opt VerifyOptions) (*VerifyReport, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Quarantine { // it moves files: a writer's lock
		lock, err := lockRun(dir, ShardSpec{}, opt.Log)
		if err != nil {
			return nil, err
		}
		defer lock.Release()
	} else if dirlock.Held(runLockPath(dir)) { // it only reads: refuse a run being written
		return nil, explainHeld(dir, &dirlock.HeldError{Path: runLockPath(dir), Holder: dirlock.Holder(runLockPath(dir))})
	}
	var manifests []string
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		manifests = []string{results.ManifestFile}
	} else {
		shards, _ := results.ShardManifests(dir)
		sort.Strings(shards)
		for _, s := range shards {
			rel, _ := filepath.Rel(dir, s)
			manifests = append(manifests, rel)
		}
	}
	if len(manifests) == 0 {
		return nil, fmt.Errorf("%s holds no backstop run (%s)", dir, results.ManifestFile)
	}
	rep := &VerifyReport{Manifests: manifests}
	listed := map[string]bool{}
	for _, name := range manifests {
		if err := verifyManifest(dir, name, rep, listed, opt); err != nil {
			return nil, err
		}
	}
	if manifests[0] != results.ManifestFile {
		if note := unmerged(dir, manifests); note != "" {
			rep.Unfinished = append(rep.Unfinished, note)
		}
	}
	s := strays(dir, listed)
	for _, f := range s {
		rel, _ := filepath.Rel(dir, f)
		if len(rep.Unfinished) > 0 && !opt.Quarantine && chunkFileName(filepath.Base(f)) {
			// An unfinished run's chunk written after its manifest was last updated (the
			// writer was stopped): resume checks it, and uses or quarantines it.
			rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("%s: written after the manifest was last updated; run --resume checks it and uses it or moves it to %s/", printable.Name(rel), QuarantineDir))
			continue
		}
		why := "a stray file"
		if strings.HasPrefix(rel, results.PathsDir+string(filepath.Separator)) {
			why += ": readers of " + results.PathsDir + "/ as a dataset would read it"
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: not listed by the manifest (%s)", printable.Name(rel), why))
	}
	if opt.Quarantine && len(s) > 0 {
		if err := quarantine(dir, opt.Log, "not part of this run", s...); err != nil {
			return nil, err
		}
	}
	if len(rep.Problems) > 0 {
		for _, a := range stoppedForces(dir) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s/: the files a backstop run --force moved aside to replace this run, stopped before it wrote its own manifest: run that --force again (it removes this directory)", filepath.Base(a)))
		}
	}
	rep.Notes = leftovers(dir, manifests, len(rep.Problems) > 0)
	return rep, nil
}

// verifyManifest checks the chunks the manifest at dir/name lists, adding what it finds to
// rep and the files it lists to listed; with opt.Quarantine it moves the damaged chunks
// away and rewrites the manifest without them, incomplete.
func verifyManifest(dir, name string, rep *VerifyReport, listed map[string]bool, opt VerifyOptions) error {
	path := filepath.Join(dir, name)
	m, err := results.ReadManifestFile(path)
	if err != nil {
		return err
	}
	cfg, err := configs.DecodeRecorded([]byte(m.Config), path)
	if err != nil {
		return fmt.Errorf("%s: its config does not decode: %w", path, err)
	}
	if m.ConfigSHA256 != results.ConfigSHA256(m.Config) {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: its config does not match its config_sha256", name))
	}
	l := newLayout(cfg.Policies, cfg.Days)
	for p := range listedFiles(m) {
		listed[p] = true
	}
	var bad []int
	for _, e := range m.Index {
		rep.Chunks++
		id := results.Identity{RunID: e.RunID, ConfigSHA256: m.ConfigSHA256, Seed: m.Seed, ChunkSize: m.ChunkSize, Chunk: e.Chunk}
		err := checkEntry(dir, e)
		if err == nil {
			rep.Files += 2
			// The version of each file is not checked: a run resumed with
			// --allow-version-change holds chunks of two versions, each checksummed.
			err = checkChunk(dir, l, id, e, true)
		}
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("chunk %d: %v", e.Chunk, err))
			rep.Damaged = append(rep.Damaged, e.Chunk)
			bad = append(bad, e.Chunk)
		}
	}
	want := m.Chunks
	if m.Shard != nil {
		want = m.Shard.EndChunk - m.Shard.FirstChunk
	}
	if m.Status != results.StatusComplete {
		next := m.Resume
		if next == "" {
			next = ResumeCommand(dir, ShardSpec{})
		}
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("%s: %s, %d of %d chunks done; finish it with %s", name, m.Status, len(m.Index), want, next))
	}
	if m.Status == results.StatusComplete && len(m.Index) != want {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: complete, but its index lists %d of %d chunks", name, len(m.Index), want))
	}
	if m.Status == results.StatusComplete && m.Shard == nil {
		rep.Problems = append(rep.Problems, outputProblems(dir, m)...)
		rep.Problems = append(rep.Problems, bandsProblems(dir, m, cfg)...)
		rep.Files += len(m.Outputs)
	}
	if !opt.Quarantine || len(bad) == 0 {
		return nil
	}
	isBad := map[int]bool{}
	for _, c := range bad {
		isBad[c] = true
	}
	var keep []results.ChunkEntry
	for _, e := range m.Index {
		if !isBad[e.Chunk] {
			keep = append(keep, e)
			continue
		}
		if err := quarantine(dir, opt.Log, fmt.Sprintf("chunk %d, damaged or foreign", e.Chunk), filepath.Join(dir, e.Part), filepath.Join(dir, e.Checkpoint)); err != nil {
			return err
		}
	}
	m.Index, m.Parts = keep, nil
	for _, e := range keep {
		m.Parts = append(m.Parts, e.Part)
	}
	resume := ResumeCommand(dir, ShardSpec{})
	if s := m.Shard; s != nil {
		resume += fmt.Sprintf(" --shard %d/%d", s.Index, s.Count)
	}
	m.Status, m.Finished, m.Resume = results.StatusIncomplete, "", resume
	m.Error = fmt.Sprintf("chunks %s quarantined by backstop verify; recompute them with: %s", joinInts(bad), resume)
	rep.Resume = resume
	if err := results.WriteManifestFile(path, m); err != nil {
		return errors.Join(fmt.Errorf("the damaged chunks are in %s/ but the manifest was not updated", QuarantineDir), err)
	}
	return nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// chunkFileName reports whether name is that of a chunk's part or checkpoint.
func chunkFileName(name string) bool {
	var c int
	for _, pattern := range []string{"part-%05d.parquet", "chunk-%05d.bin"} {
		if n, err := fmt.Sscanf(name, pattern, &c); err == nil && n == 1 && (name == results.PartName(c) || name == CheckpointName(c)) {
			return true
		}
	}
	return false
}

// unmerged describes a run still in shards: which shards are missing, or that they are
// all there and wait for a merge.
func unmerged(dir string, manifests []string) string {
	have := map[int]bool{}
	count := 0
	for _, name := range manifests {
		m, err := results.ReadManifestFile(filepath.Join(dir, name))
		if err != nil || m.Shard == nil {
			continue
		}
		have[m.Shard.Index], count = m.Status == results.StatusComplete, m.Shard.Count
	}
	var missing []string
	for i := 1; i <= count; i++ {
		if !have[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, count))
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("the run is in shards, not merged: shard %s not complete; once every shard is done, %s", strings.Join(missing, ", "), MergeCommand(dir))
	}
	return fmt.Sprintf("the run is in shards, every one complete, not merged: %s", MergeCommand(dir))
}
