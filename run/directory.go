package run

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/dirglob"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
)

// prepare creates or checks the run directory and returns the manifest to keep up to date
// and which chunks are already done (on resume). The caller holds the directory's lock.
func (j *job) prepare() (*results.Manifest, []bool, error) {
	dir := j.opt.OutDir
	done := make([]bool, j.chunks)
	var aside *asideMoves // the previous run's files, moved aside by --force
	old, err := results.ReadManifestFile(j.manifestPath)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		// A manifest we cannot read says nothing of what is ours to replace.
		return nil, nil, fmt.Errorf("%w; move it away to start over in %s (backstop removes only what a manifest lists)", err, dir)
	}
	if err := checkNoSymlinks(dir); err != nil {
		return nil, nil, err
	}
	if exists && j.opt.Resume {
		j.adoptRecorded(old.Config)
	}
	if err := checkShardsAgree(j); err != nil {
		return nil, nil, err
	}
	if whole, err := j.wholeRunForShard(); err != nil {
		return nil, nil, err
	} else if whole != nil { // --force: the run in one process makes way for the shards
		if err := j.clearWhole(whole); err != nil {
			return nil, nil, err
		}
	}
	switch {
	case j.opt.Resume && !exists:
		return nil, nil, fmt.Errorf("nothing to resume: %s holds no run (%s)", dir, j.manifestPath)
	case j.opt.Resume:
		if err := j.checkResumable(old); err != nil {
			return nil, nil, err
		}
		j.opt.AllowVersionChange = j.opt.AllowVersionChange || results.ChangeAllowed(old.Versions, old.Version)
		j.runID = old.RunID
		if err := j.verifyChunks(old, done); err != nil {
			return nil, nil, err
		}
		j.removeStaleTemps()
		fmt.Fprintf(j.opt.Log, "backstop: resuming %s: %d of %d chunks on disk\n", dir, j.doneCount(done), j.end-j.first)
	case exists && !j.opt.Force:
		if old.Status == results.StatusComplete {
			return nil, nil, fmt.Errorf("output directory %s already holds a finished run (%s); choose another --out, or --force to replace it", dir, j.manifestPath)
		}
		return nil, nil, fmt.Errorf("output directory %s holds an unfinished run (status %s); finish it with: %s (or --force to start over)", dir, old.Status, j.resumeCommand())
	case exists && j.opt.Shard.Count <= 1:
		if aside, err = j.clearAside(old); err != nil {
			return nil, nil, err
		}
	case exists:
		if err := j.clear(old); err != nil {
			return nil, nil, err
		}
	case j.opt.Shard.Count <= 1 && len(shardManifests(dir)) > 0:
		if !j.opt.Force {
			return nil, nil, fmt.Errorf("output directory %s holds the shards of a run (%s/); finish it with: %s (or --force to replace it with a run in one process)", dir, results.ShardsDir, MergeCommand(dir))
		}
		manifests := shardManifests(dir)
		for _, f := range manifests {
			if m, err := results.ReadManifestFile(f); err == nil {
				if err := j.clear(m); err != nil {
					return nil, nil, err
				}
			}
		}
		// The shards' manifests went with their files, and their locks go (this run holds
		// the directory whole, so no shard is running): shards/ goes too when that left it
		// empty (a user's file keeps it).
		rundir.RemoveShardLocks(dir)
		var listed []string
		for _, f := range manifests {
			if rel, err := filepath.Rel(dir, f); err == nil {
				listed = append(listed, rel)
			}
		}
		rundir.RemoveEmptied(dir, listed)
	}
	if !exists && j.opt.Shard.Count <= 1 {
		// A run killed before its first manifest left at most its temporary file here
		// (checkOutDir let nothing else pass).
		atomicfile.RemoveStale(dir)
	}
	if err := os.MkdirAll(filepath.Dir(j.manifestPath), 0o755); err != nil {
		aside.putBack()
		return nil, nil, fmt.Errorf("create output directory: %w", err)
	}
	prov := results.NewProvenance(j.yml, j.cfg.Seed, int64(j.cfg.Paths))
	man := &results.Manifest{
		SchemaVersion: results.SchemaVersion, Tool: "backstop", Version: prov.Version,
		Status: results.StatusRunning, Scenario: j.cfg.Scenario, Seed: j.cfg.Seed, Paths: int64(j.cfg.Paths),
		Policies: j.cfg.Policies, Days: j.cfg.Days, ChunkSize: j.opt.ChunkSize, Chunks: j.chunks,
		Created: prov.Created.Format(time.RFC3339), Command: j.opt.Command, Config: j.yml,
		RunID: j.runID, ConfigSHA256: j.cfgHash,
	}
	j.index(man)
	switch {
	case j.opt.Resume:
		man.Created, man.Versions = old.Created, results.Versions(man.Version, results.WrittenBy(old.Versions, old.Version))
	case !j.opt.Created.IsZero():
		man.Created = j.opt.Created.UTC().Format(time.RFC3339)
	}
	if t := j.opt.Target; t != nil {
		man.TargetPrecision, man.MaxPaths = t.String(), int64(j.cfg.Paths)
	}
	if s := j.opt.Shard; s.Count > 1 {
		man.Shard = &results.Shard{Index: s.Index, Count: s.Count, FirstChunk: j.first, EndChunk: j.end}
	}
	if err := writeFirstManifest(j.manifestPath, man); err != nil {
		aside.putBack()
		return nil, nil, err
	}
	if aside != nil {
		// The previous run's files are out of their directories now for good: one they
		// leave empty goes (figures/ of a run that drew them, replaced by one that does
		// not); one that holds anything else, a user's file, stays.
		rundir.RemoveEmptied(dir, aside.listed)
	}
	j.waitClear = aside.emptyMeanwhile()
	return man, done, nil
}

// writeFirstManifest writes a run's first manifest (prepare); a test replaces it to see
// what is on disk then, or to make it fail.
var writeFirstManifest = results.WriteManifestFile

// RemoveStaleTemps removes the temporary files of writes cut short by a kill from the run
// directory dir and its subdirectories (atomicfile.RemoveStale): never renamed, so never
// part of the run; hidden, so readers skip them meanwhile. A resumed run, or one --force
// starts over, does so; so does a resumed sweep for its points and its own directory.
func RemoveStaleTemps(dir string) {
	rundir.RemoveStaleIn(dir, runSubdirs) // never through a linked subdirectory
	aside, _ := dirglob.Glob(dir, replacedPrefix+"*")
	for _, a := range aside {
		if rundir.IsRealDir(a) {
			removeAside(a) // the previous run's files a killed --force had moved aside
			os.Remove(a)   // empty: one a kill left before its marker (nothing to lose)
		}
	}
}

// clear makes way for a fresh run with --force: it removes what old, the previous run's
// (or this shard's previous attempt's) manifest, lists as written by backstop, and nothing
// else. Files it does not list stay; any left in paths/ are moved to quarantine/ when the
// new run finishes, so the dataset is exactly the new run's parts.
func (j *job) clear(old *results.Manifest) error {
	if err := removeListed(j.opt.OutDir, j.previousFiles(old)); err != nil {
		return err
	}
	j.removeStaleTemps()
	os.Remove(j.manifestPath)
	return nil
}

// removeStaleTemps is RemoveStaleTemps for this job: for a shard, only the temporary
// files of its own chunks and manifest, since the other shards of the run write theirs
// beside it meanwhile (under the directory's shared lock; a requeued array task resumes
// while its siblings run), and their renames would fail.
func (j *job) removeStaleTemps() {
	if j.opt.Shard.Count <= 1 {
		RemoveStaleTemps(j.opt.OutDir)
		return
	}
	var parts, checkpoints []string
	for c := j.first; c < j.end; c++ {
		parts, checkpoints = append(parts, results.PartName(c)), append(checkpoints, CheckpointName(c))
	}
	atomicfile.RemoveStaleOf(filepath.Join(j.opt.OutDir, results.PathsDir), parts...)
	atomicfile.RemoveStaleOf(filepath.Join(j.opt.OutDir, TalliesDir), checkpoints...)
	atomicfile.RemoveStaleOf(filepath.Dir(j.manifestPath), filepath.Base(j.manifestPath))
}

// previousFiles lists what clear removes of old's run: the files its manifest lists, and
// for a whole run backstop's fixed outputs and its shards' manifests; never the lock or
// the manifest itself.
func (j *job) previousFiles(old *results.Manifest) []string {
	dir := j.opt.OutDir
	var files []string
	for _, e := range old.Index {
		files = append(files, e.Part, e.Checkpoint)
	}
	files = append(files, old.Parts...)
	files = append(files, old.Outputs...)
	if j.opt.Shard.Count <= 1 {
		// A whole run's fixed outputs (results.RunFiles), and its shards' manifests:
		// backstop's names.
		for _, f := range results.RunFiles {
			if f.Kind == results.Result && !f.Dir {
				files = append(files, f.Name)
			}
		}
		shardFiles, _ := results.ShardManifests(dir)
		for _, f := range shardFiles {
			rel, _ := filepath.Rel(dir, f)
			files = append(files, rel)
		}
	}
	// Never the directory's lock, which this run holds, nor the manifest, which this
	// run's replaces: a manifest edited by hand may list them.
	keep := map[string]bool{filepath.Base(runLockPath(dir)): true, results.ManifestFile: true}
	if rel, err := filepath.Rel(dir, j.manifestPath); err == nil {
		keep[rel] = true
	}
	return slices.DeleteFunc(files, func(f string) bool { return keep[filepath.Clean(f)] })
}

// removeListed removes the files of dir listed (relative to it; names that leave dir are
// skipped), and any that are gone already.
func removeListed(dir string, files []string) error {
	for _, f := range files {
		if !filepath.IsLocal(f) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("--force: remove the previous run's %s: %w", f, err)
		}
	}
	return nil
}

// replacedPrefix begins the name of the hidden directory that --force moves the previous
// run's files into (clearAside): a temporary name (atomicfile.IsTemp), which readers and
// directory checks skip, and which RemoveStaleTemps empties and removes if a kill left it.
const replacedPrefix = ".previous-run.tmp-"

// clearAside is clear for a whole run that replaces a finished or unfinished one
// (--force), with the unlinks off the run's path: the previous run's files are renamed
// (and symbolic links, movable) into a hidden directory of their own, marked as such
// (asideMarker) (a rename is a few µs; an unlink frees the file's
// pages, some 3 ms for a 200,000-path run's part, 15 ms for the run, with the cores idle).
// The previous manifest stays until this run's first manifest replaces it (one rename:
// a run killed meanwhile leaves a manifest, the previous run's, which --force replaces
// again); only then is that directory emptied, on a goroutine of its own while the run
// samples (asideMoves.emptyMeanwhile; j.waitClear waits for it). A run killed meanwhile
// leaves its own manifest and that hidden directory, which the next run there (resume or
// --force) empties. A listed directory, or a file that cannot be renamed, is removed in
// place, as clear does, with the same errors; on an error, here or in writing this run's
// first manifest, the files moved go back (asideMoves.putBack), so a --force that fails
// leaves the previous run as it was.
func (j *job) clearAside(old *results.Manifest) (*asideMoves, error) {
	dir := j.opt.OutDir
	RemoveStaleTemps(dir) // a killed run's, before this run makes its own
	path, err := os.MkdirTemp(dir, replacedPrefix)
	if err != nil {
		return nil, fmt.Errorf("--force: %w", err)
	}
	a := &asideMoves{dir: path, listed: j.previousFiles(old)}
	if err := os.WriteFile(filepath.Join(path, asideMarker), []byte(asideMarkerText), 0o644); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("--force: %w", err)
	}
	for i, f := range a.listed {
		if !filepath.IsLocal(f) {
			continue
		}
		m := move{filepath.Join(dir, f), filepath.Join(path, fmt.Sprintf("%d-%s", i, filepath.Base(f)))}
		if fi, err := os.Lstat(m.from); err == nil && movable(fi.Mode()) && os.Rename(m.from, m.to) == nil {
			a.moved = append(a.moved, m)
			continue
		}
		if err := removeListed(dir, []string{f}); err != nil {
			a.putBack()
			return nil, err
		}
	}
	return a, nil
}

// movable reports whether clearAside moves an entry of mode m aside (and removeAside
// removes it there): a regular file, or a symbolic link (the link itself, never what it
// points to), which thus goes back too if the --force fails; a directory is removed in
// place, only if empty.
func movable(m os.FileMode) bool { return m.IsRegular() || m&os.ModeSymlink != 0 }

// asideMoves is a hidden directory of the previous run's files that clearAside moved
// there, and the moves.
type asideMoves struct {
	dir    string
	moved  []move
	listed []string // the previous run's files, relative to the run directory
}

// move is a file's rename from its name in the run directory to one aside.
type move struct{ from, to string }

// putBack leaves the previous run as it was: its files go back to their names (what
// cannot stays aside, for the next run there to remove). A nil a does nothing.
func (a *asideMoves) putBack() {
	if a == nil {
		return
	}
	for k := len(a.moved) - 1; k >= 0; k-- {
		os.Rename(a.moved[k].to, a.moved[k].from)
	}
	os.Remove(filepath.Join(a.dir, asideMarker))
	os.Remove(a.dir)
}

// emptyMeanwhile empties and removes a's directory on a goroutine of its own and returns
// the wait for it; nil for a nil a.
func (a *asideMoves) emptyMeanwhile() (wait func()) {
	if a == nil {
		return nil
	}
	emptied := make(chan struct{})
	go func() {
		defer close(emptied)
		emptyAside(a.dir)
	}()
	return func() { <-emptied }
}

// emptyAside is removeAside, the function clearAside runs on its goroutine (a test
// holds it back to see what is on disk meanwhile).
var emptyAside = removeAside

// asideMarker is the file clearAside writes first into the hidden directory it makes,
// saying what the directory is to whoever finds it: removeAside empties only a directory
// that holds it (one a killed --force left), never one of the same name that someone
// else made.
const asideMarker = "README.backstop"

// asideMarkerText is asideMarker's content.
const asideMarkerText = "backstop run --force moved the previous run's files here to remove them; the next backstop run in this directory (--resume or --force) removes this directory if a kill left it.\n"

// stoppedForces returns the hidden directories (with their marker) into which a --force
// killed since had moved the previous run's files, in dir.
func stoppedForces(dir string) []string {
	var found []string
	aside, _ := dirglob.Glob(dir, replacedPrefix+"*")
	for _, a := range aside {
		if fi, err := os.Lstat(filepath.Join(a, asideMarker)); err == nil && fi.Mode().IsRegular() {
			found = append(found, a)
		}
	}
	return found
}

// removeAside removes the files and links a --force moved into aside (clearAside), then
// aside, if aside holds asideMarker (else it is not a directory clearAside made, and is
// left). Its marker is removed last, so that a removal cut short is taken up by the
// next. Anything else in it (no run puts anything else there) is left.
func removeAside(aside string) {
	marker := filepath.Join(aside, asideMarker)
	if fi, err := os.Lstat(marker); err != nil || !fi.Mode().IsRegular() {
		return
	}
	entries, _ := os.ReadDir(aside)
	for _, e := range entries {
		if movable(e.Type()) && e.Name() != asideMarker {
			os.Remove(filepath.Join(aside, e.Name()))
		}
	}
	os.Remove(marker)
	os.Remove(aside)
}

// wholeRunForShard checks, for a shard, the directory's manifest.json: a directory that
// holds a run computed in one process (finished or not) or another kind of backstop output
// is not the directory of a sharded run, and the shard's chunks would replace that run's.
// It is refused, naming the run, unless --force, when the run's manifest is returned for
// clearWhole. Not a shard, or no manifest.json: nil, nil.
func (j *job) wholeRunForShard() (*results.Manifest, error) {
	s, dir := j.opt.Shard, j.opt.OutDir
	if s.Count <= 1 {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err != nil {
		return nil, nil
	}
	whole, err := results.ReadManifest(dir)
	if err != nil {
		return nil, rundir.Refusef("output directory %s is not the directory of a sharded run: %v; write shard %d/%d to another --out", dir, err, s.Index, s.Count)
	}
	if whole.Shard != nil { // a merged run records no shard; this is defensive
		return nil, nil
	}
	if !j.opt.Force {
		what := "an unfinished run computed in one process (status " + whole.Status + "; finish it with: " + ResumeCommand(dir, ShardSpec{}) + ")"
		if whole.Status == results.StatusComplete {
			what = "a finished run"
		}
		return nil, rundir.Refusef("output directory %s already holds %s (%s), not the shards of a run; write shard %d/%d to another --out, or --force to replace that run with this shard",
			dir, what, results.ManifestFile, s.Index, s.Count)
	}
	return whole, nil
}

// clearWhole removes, for --force, the run in one process whose manifest is whole: the
// files it lists, its fixed outputs and its manifest.json, and nothing else.
func (j *job) clearWhole(whole *results.Manifest) error {
	var files []string
	for _, e := range whole.Index {
		files = append(files, e.Part, e.Checkpoint)
	}
	files = append(files, whole.Parts...)
	files = append(files, whole.Outputs...)
	for _, f := range results.RunFiles {
		if f.Kind == results.Result && !f.Dir {
			files = append(files, f.Name)
		}
	}
	if err := rundir.RemoveListed(j.opt.OutDir, files); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(j.opt.OutDir, results.ManifestFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--force: remove the previous run's %s: %w", results.ManifestFile, err)
	}
	return nil
}

// shardManifests returns the shard manifests in dir.
func shardManifests(dir string) []string {
	files, _ := results.ShardManifests(dir)
	return files
}

// checkOutDir refuses, before anything is written, an output directory that backstop
// must not write into: the root, or one that exists, is not empty and holds no backstop
// run (it would mix our files with, or replace, someone else's).
func checkOutDir(j *job) error {
	dir := j.opt.OutDir
	if err := rundir.CheckNotRoot(dir); err != nil {
		return err
	}
	if _, err := j.wholeRunForShard(); err != nil {
		return err
	}
	if _, err := os.Stat(j.manifestPath); err == nil {
		return nil // a run (or this shard) of ours: prepare decides
	}
	if len(shardManifests(dir)) > 0 {
		return nil // the shards of a run: prepare decides, under the lock
	}
	return rundir.Check(dir, "run", func(e os.DirEntry) bool {
		// the other shards of this run write these
		name := e.Name()
		return j.opt.Shard.Count > 1 && e.IsDir() && (name == results.ShardsDir || name == results.PathsDir || name == TalliesDir)
	})
}

// checkResumable checks that old, the manifest on disk, describes the run being resumed.
func (j *job) checkResumable(old *results.Manifest) error {
	if old.Status == results.StatusComplete {
		return fmt.Errorf("%s is already complete: nothing to resume", j.manifestPath)
	}
	if err := results.CheckResumeVersion(j.opt.OutDir, old.Version, j.opt.AllowVersionChange, "chunks", versionWays(j.opt.OutDir, j.opt.Shard)); err != nil {
		return err
	}
	if old.RunID == "" {
		return fmt.Errorf("cannot resume %s: its manifest records no run identity (an older backstop wrote it); start over with --force", j.opt.OutDir)
	}
	if old.Seed != j.cfg.Seed {
		return fmt.Errorf("cannot resume %s: it was run with seed %d, not %d", j.opt.OutDir, old.Seed, j.cfg.Seed)
	}
	if old.ChunkSize != j.opt.ChunkSize {
		return fmt.Errorf("cannot resume %s: it was run with --chunk-size %d, not %d", j.opt.OutDir, old.ChunkSize, j.opt.ChunkSize)
	}
	if want := ""; j.opt.Target != nil || old.TargetPrecision != "" {
		if j.opt.Target != nil {
			want = j.opt.Target.String()
		}
		if want != old.TargetPrecision {
			return fmt.Errorf("cannot resume %s: it was run with target precision %q, not %q", j.opt.OutDir, old.TargetPrecision, want)
		}
	}
	if old.Config != j.yml {
		return fmt.Errorf("cannot resume %s: its config differs from the one given (%s)", j.opt.OutDir, firstDifference(recordedMeaning(old.Config), j.yml))
	}
	return nil
}

// adoptRecorded makes text, the config a run (or its shards) recorded, this job's config
// text and identity when it means the job's config (configs.DecodeRecorded). A config
// recorded by an earlier version, which lacks the keys added since (output.band_paths),
// thus keeps the sha256 its checkpoints and footers carry, and --allow-version-change
// finishes the run as that version began it.
func (j *job) adoptRecorded(text string) {
	if text == j.yml {
		return
	}
	cfg, err := configs.DecodeRecorded([]byte(text), "the recorded config")
	if err != nil || !reflect.DeepEqual(cfg, j.cfg) {
		return
	}
	j.yml, j.cfgHash = text, results.ConfigSHA256(text)
}

// recordedMeaning is text, a recorded config, written out in full as this version writes
// configs (with the keys an earlier version did not write), so that a difference from a
// given config names a setting, not a line the earlier version lacks; text itself if it
// does not decode.
func recordedMeaning(text string) string {
	cfg, err := configs.DecodeRecorded([]byte(text), "the recorded config")
	if err != nil {
		return text
	}
	yml, err := configs.Marshal(&cfg)
	if err != nil {
		return text
	}
	return string(yml)
}

// firstDifference describes the first line where the run's config a and the given b differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: run has %q, given %q", i+1, strings.TrimSpace(x), strings.TrimSpace(y))
		}
	}
	return "they differ"
}

// verifyChunks marks the chunks whose checkpoint and part are on disk and the run's: a
// listed chunk must match its index entry's checksums (else the run is refused, naming the
// file, with how to recompute it alone); a chunk written but not yet listed (the process
// was killed before the manifest caught up) is checked in full and adopted, or moved to
// quarantine/ and recomputed. A listed chunk whose two files are both gone (moved to
// quarantine/ by backstop verify --quarantine) is recomputed.
func (j *job) verifyChunks(old *results.Manifest, done []bool) error {
	listed := map[int]results.ChunkEntry{}
	for _, e := range old.Index {
		listed[e.Chunk] = e
	}
	for c := j.first; c < j.end; c++ {
		e, isListed := listed[c]
		part := filepath.Join(j.opt.OutDir, results.PathsDir, results.PartName(c))
		ckpt := filepath.Join(j.opt.OutDir, TalliesDir, CheckpointName(c))
		_, perr := os.Stat(part)
		_, cerr := os.Stat(ckpt)
		if perr != nil && cerr != nil {
			if isListed {
				fmt.Fprintf(j.opt.Log, "backstop: chunk %d is listed but its part and checkpoint are gone: recomputing it\n", c)
			}
			continue
		}
		if isListed {
			j.entries[c] = e
			if err := checkEntry(j.opt.OutDir, e); err != nil {
				return fmt.Errorf("cannot resume %s: %w; to recompute that chunk alone: backstop verify --quarantine %s, then %s", j.opt.OutDir, err, shellquote.Path(j.opt.OutDir), j.resumeCommand())
			}
			done[c] = true
			continue
		}
		if perr != nil || cerr != nil {
			// Half a chunk: its checkpoint was written, its part not (or the reverse).
			if err := quarantine(j.opt.OutDir, j.opt.Log, "an unfinished chunk", part, ckpt); err != nil {
				return err
			}
			continue
		}
		e = j.entry(c, "", "")
		err := checkChunk(j.opt.OutDir, j.l, j.identity(c), e, j.opt.AllowVersionChange)
		if err == nil {
			e.PartSHA256, err = results.FileSHA256(part)
		}
		if err == nil {
			e.CheckpointSHA256, err = results.FileSHA256(ckpt)
		}
		if err != nil {
			fmt.Fprintf(j.opt.Log, "backstop: chunk %d on disk is unusable (%v)\n", c, err)
			if err := quarantine(j.opt.OutDir, j.opt.Log, "an unusable chunk", part, ckpt); err != nil {
				return err
			}
			continue
		}
		j.entries[c] = e
		done[c] = true
	}
	return nil
}
