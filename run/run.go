package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// DefaultChunkSize is the number of paths written per Parquet part.
const DefaultChunkSize = 50_000

// ErrInterrupted is returned (wrapped) when a run stops early because its context was
// cancelled: the chunks in flight were finished and written, the manifest says
// incomplete, and the run can be resumed.
var ErrInterrupted = errors.New("interrupted")

// Options configure a run.
type Options struct {
	Config    sim.Config // validated scenario; Paths and Seed are the run's
	OutDir    string     // run directory
	Workers   int        // sampler goroutines, 0 for all cores
	ChunkSize int        // paths per part, 0 for DefaultChunkSize
	Figures   bool       // draw the figures after the run
	Command   string     // the command line, recorded in the manifest
	Log       io.Writer  // notes (resuming, shard, interruption); nil for none
	Progress  Progress   // progress reports while sampling

	// Resume finishes the run already in OutDir: its config, seed and chunk size must equal
	// these, chunks whose part and checkpoint are on disk are kept, the rest are computed.
	Resume bool
	// Force replaces a run already in OutDir (finished or not) instead of refusing.
	Force bool
	// Shard, when Count > 1, computes only shard Index (1-based) of Count: a contiguous
	// range of chunks. Its manifest goes under shards/; `merge` finishes the run.
	Shard ShardSpec
	// Created, when not zero, is the run's creation time instead of now (a sweep's grid
	// points take the sweep's); a resumed run keeps the time it was created.
	Created time.Time
	// AllowVersionChange lets --resume (and merge) finish a run begun by another version
	// of backstop; without it that is refused, since the versions' results may differ.
	AllowVersionChange bool
	// Target, when set, stops sampling at the first chunk boundary where the target
	// precision is reached (Config.Paths is then the most paths to draw).
	Target *Target
}

// Target is a precision target: enough paths that the 95% CI of the mean of Metric has a
// half-width of at most HalfWidth under every policy.
type Target struct {
	Metric    string
	HalfWidth float64
}

// String returns the target as the command line writes it, METRIC=HALFWIDTH.
func (t Target) String() string {
	return t.Metric + "=" + strconv.FormatFloat(t.HalfWidth, 'g', -1, 64)
}

// ParseTarget parses METRIC=HALFWIDTH, naming what is wrong.
func ParseTarget(v string) (*Target, error) {
	name, hw, ok := strings.Cut(v, "=")
	x, err := strconv.ParseFloat(hw, 64)
	if !ok || err != nil || !(x > 0) || math.IsInf(x, 0) {
		return nil, fmt.Errorf("target precision %q: use METRIC=HALFWIDTH with a positive half-width, e.g. peak_basis_bp=0.5", v)
	}
	for _, m := range sim.Metrics {
		if m.Name == name {
			return &Target{Metric: name, HalfWidth: x}, nil
		}
	}
	var names []string
	for _, m := range sim.Metrics {
		names = append(names, m.Name)
	}
	return nil, fmt.Errorf("target precision %q: unknown metric %q; allowed are %s", v, name, strings.Join(names, ", "))
}

// reached reports whether t's precision target holds for the paths tallied in t.
func (j *job) reached(t *Tally) bool {
	var m int
	for i, info := range sim.Metrics {
		if info.Name == j.opt.Target.Metric {
			m = i
		}
	}
	for k := 0; k < j.l.policies; k++ {
		ci := t.Moments[k*sim.NumMetrics+m].CI(0.95)
		if !(ci.HalfWidth() <= j.opt.Target.HalfWidth) {
			return false
		}
	}
	return true
}

// ShardSpec names one shard of a run split in Count (1-based Index).
type ShardSpec struct{ Index, Count int }

// Outcome is what a finished run produced.
type Outcome struct {
	Dir      string
	Manifest *results.Manifest
	Summary  []results.SummaryRow // nil for a shard: merge writes it
	Effects  []results.EffectRow  // paired policy effects; nil for a shard
	Figures  []string
}

// job is a run's resolved plan.
type job struct {
	opt          Options
	cfg          sim.Config
	yml          string
	l            layout
	chunks       int // chunks of the whole run
	first, end   int // chunks this process computes
	manifestPath string
	runID        string               // this run's (or shard's) identity
	cfgHash      string               // SHA-256 of yml
	entries      []results.ChunkEntry // per chunk: its index entry once done (Part == "" before)
	ctx          context.Context      // cancelled by an interruption; finish checks it
}

// identity is chunk c's identity: this run's, or for a chunk listed by a shard (in a
// merge), that shard's run id.
func (j *job) identity(c int) results.Identity {
	id := results.Identity{RunID: j.runID, ConfigSHA256: j.cfgHash, Seed: j.cfg.Seed, ChunkSize: j.opt.ChunkSize, Chunk: c, Version: results.ToolVersion()}
	if c >= 0 && c < len(j.entries) && j.entries[c].RunID != "" {
		id.RunID = j.entries[c].RunID
	}
	return id
}

// entry is the index entry of chunk c, with its checksums.
func (j *job) entry(c int, partSum, checkpointSum string) results.ChunkEntry {
	first := int64(c) * int64(j.opt.ChunkSize)
	n := j.chunkPaths(c)
	return results.ChunkEntry{
		Chunk: c, FirstPath: first, EndPath: first + int64(n), Rows: int64(n * j.l.policies),
		Part: filepath.Join(results.PathsDir, results.PartName(c)), PartSHA256: partSum,
		Checkpoint: filepath.Join(TalliesDir, CheckpointName(c)), CheckpointSHA256: checkpointSum,
		RunID: j.identity(c).RunID,
	}
}

func (j *job) chunkPaths(c int) int { return min(j.opt.ChunkSize, j.cfg.Paths-c*j.opt.ChunkSize) }

// Execute runs the scenario of opt.Config into opt.OutDir (or resumes it, or computes one
// shard of it). On interruption it returns an error wrapping ErrInterrupted.
func Execute(ctx context.Context, opt Options) (out *Outcome, err error) {
	j, err := plan(opt)
	if err != nil {
		return nil, err
	}
	j.ctx = ctx
	model, err := sim.NewModel(j.cfg)
	if err != nil {
		return nil, err
	}
	if err := preflight(model, j.cfg); err != nil {
		return nil, err
	}
	if err := checkOutDir(j); err != nil {
		return nil, err
	}
	lock, err := lockRun(opt.OutDir, opt.Shard, j.opt.Log)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	man, done, err := j.prepare()
	if err != nil {
		return nil, err
	}
	defer func() { // last resort: a bug is a runtime failure recorded in the manifest
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (please report it): %v\n%s", r, debug.Stack())
			man.Status, man.Error = results.StatusFailed, fmt.Sprint(r)
			results.WriteManifestFile(j.manifestPath, man)
			out = nil
		}
	}()
	fail := func(err error) (*Outcome, error) {
		man.Status, man.Error = results.StatusFailed, err.Error()
		if errors.Is(err, ErrInterrupted) {
			man.Status, man.Error = results.StatusIncomplete, "interrupted"
		}
		if man.Status != results.StatusComplete {
			man.Resume = j.resumeCommand()
		}
		j.index(man) // every chunk whose write finished
		if werr := results.WriteManifestFile(j.manifestPath, man); werr != nil {
			err = errors.Join(err, werr)
		}
		return nil, err
	}
	for _, sub := range []string{results.PathsDir, TalliesDir} {
		if err := os.MkdirAll(filepath.Join(j.opt.OutDir, sub), 0o755); err != nil {
			return fail(fmt.Errorf("create output directory: %w", err))
		}
	}

	prov := j.provenance(man)
	sampler := &sim.Sampler{Model: model, Policies: j.cfg.Policies, Workers: opt.Workers, Seed: j.cfg.Seed}
	var todo int64
	for c := j.first; c < j.end; c++ {
		if !done[c] {
			todo += int64(j.chunkPaths(c))
		}
	}
	var counter atomic.Int64
	stopProgress := opt.Progress.start(todo, &counter)
	defer stopProgress()
	// The chunks so far, merged in chunk order as they are written (or read back, for those
	// on disk when resuming): the run's totals at the end, and what a precision target is
	// checked against. A shard leaves them to merge.
	var running *Tally
	if opt.Target != nil || j.opt.Shard.Count <= 1 {
		running = newTally(j.l)
	}
	// Chunk c's checkpoint and part are written on another goroutine while chunk c+1 is
	// sampled, so two row buffers (and tallies) take turns. The writes, and the manifest
	// updates after them, still happen one chunk at a time in chunk order.
	var rowBufs [2][]sim.Result
	var tallies [2]*chunkTally
	var writing *chunkWrite
	wait := func() error {
		if writing == nil {
			return nil
		}
		w := writing
		writing = nil
		<-w.tallied // err reports the same failure, if any
		if err := <-w.err; err != nil {
			return err
		}
		done[w.chunk] = true
		j.entries[w.chunk] = j.entry(w.chunk, w.partSum, w.checkpointSum)
		j.index(man)
		return results.WriteManifestFile(j.manifestPath, man)
	}
	failAfterWrite := func(err error) (*Outcome, error) {
		return fail(errors.Join(err, wait()))
	}
	for c := j.first; c < j.end; c++ {
		if opt.Target != nil && c > j.first && j.reached(running) {
			j.stopAt(c, man)
			break
		}
		if done[c] {
			if err := wait(); err != nil { // the chunk before is merged first
				return fail(err)
			}
			if err := j.mergeCheckpoint(running, c); err != nil {
				return fail(err)
			}
			continue
		}
		if ctx.Err() != nil {
			if err := wait(); err != nil {
				return fail(err)
			}
			stopProgress()
			return fail(fmt.Errorf("%w: %d of %d chunks on disk; resume with: %s", ErrInterrupted, j.doneCount(done), j.end-j.first, j.resumeCommand()))
		}
		buf := &rowBufs[c%2]
		if *buf == nil {
			*buf = make([]sim.Result, min(j.opt.ChunkSize, j.cfg.Paths)*j.l.policies)
		}
		// A chunk once started is finished, even when ctx is cancelled meanwhile.
		tally := &tallies[c%2]
		if *tally == nil {
			*tally = newChunkTally(j.l, sampler.WorkerCount(), sim.Blocks(j.chunkPaths(c)))
		}
		rows, err := j.sampleChunk(context.WithoutCancel(ctx), sampler, c, *buf, (*tally).reuse(sim.Blocks(j.chunkPaths(c))), &counter)
		if err != nil {
			return failAfterWrite(err)
		}
		if err := wait(); err != nil {
			return fail(err)
		}
		writing = j.startWrite(prov, c, rows, *tally, running)
		if opt.Target != nil {
			// A precision target decides on the next chunk from the totals with this one.
			if err := wait(); err != nil {
				return fail(err)
			}
		}
	}
	// The last chunk's part may still be being written: finish works from the tallies
	// meanwhile and waits for the part only to read it back (lastPart).
	lastPart := func() error { return nil }
	if writing != nil && j.opt.Shard.Count <= 1 {
		w := writing
		writing = nil
		if err := <-w.tallied; err != nil {
			return fail(errors.Join(err, <-w.err))
		}
		lastPart = sync.OnceValue(func() error {
			err := <-w.err
			if err == nil {
				j.entries[w.chunk] = j.entry(w.chunk, w.partSum, w.checkpointSum)
			}
			return err
		})
	}
	if err := wait(); err != nil {
		return fail(err)
	}
	stopProgress()
	if opt.Target != nil && j.end == j.chunks && running != nil {
		reached := j.reached(running)
		man.TargetReached = &reached
		if !reached {
			fmt.Fprintf(j.opt.Log, "backstop: target precision %s NOT reached: all %d paths (--paths) drawn; the results are those of %d paths\n", opt.Target, j.cfg.Paths, j.cfg.Paths)
		} else {
			fmt.Fprintf(j.opt.Log, "backstop: target precision %s reached after %d paths, of at most %d\n", opt.Target, j.cfg.Paths, man.MaxPaths)
		}
	}
	if j.opt.Shard.Count > 1 {
		man.Status = results.StatusComplete
		man.Finished = time.Now().UTC().Format(time.RFC3339)
		if err := results.WriteManifestFile(j.manifestPath, man); err != nil {
			return nil, err
		}
		return &Outcome{Dir: opt.OutDir, Manifest: man}, nil
	}
	done2, err := finish(j, man, prov, running, lastPart)
	if err != nil {
		return fail(errors.Join(err, lastPart()))
	}
	return done2, nil
}

// mergeCheckpoint merges chunk c's checkpoint into running, unless that is nil.
func (j *job) mergeCheckpoint(running *Tally, c int) error {
	if running == nil {
		return nil
	}
	t, err := readCheckpoint(j.opt.OutDir, j.l, j.identity(c), j.chunkPaths(c), j.opt.AllowVersionChange)
	if err != nil {
		return err
	}
	running.Merge(t)
	return nil
}

// stopAt ends a run with a precision target at chunk c: the run is its first c chunks.
func (j *job) stopAt(c int, man *results.Manifest) {
	j.chunks, j.end = c, c
	j.cfg.Paths = c * j.opt.ChunkSize
	man.Paths, man.Chunks = int64(j.cfg.Paths), c
	reached := true
	man.TargetReached = &reached
}

// plan validates opt and resolves the run's layout.
func plan(opt Options) (*job, error) {
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = DefaultChunkSize
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	cfg := opt.Config
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	yml, err := configs.Marshal(&cfg)
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	if err := checkSize(cfg, opt); err != nil {
		return nil, err
	}
	j := &job{
		opt: opt, cfg: cfg, yml: string(yml), cfgHash: results.ConfigSHA256(string(yml)), runID: results.NewRunID(), ctx: context.Background(),
		l:            newLayout(cfg.Policies, cfg.Days),
		chunks:       (cfg.Paths + opt.ChunkSize - 1) / opt.ChunkSize,
		manifestPath: filepath.Join(opt.OutDir, results.ManifestFile),
	}
	j.first, j.end = 0, j.chunks
	j.entries = make([]results.ChunkEntry, j.chunks)
	if opt.Target != nil && opt.Shard.Count > 1 {
		return nil, errors.New("a target precision needs the paths in order and cannot be split in shards; run it in one process")
	}
	if s := opt.Shard; s.Count > 1 || s.Index > 1 {
		if s.Index < 1 || s.Index > s.Count {
			return nil, fmt.Errorf("shard %d/%d: the index must be 1 to %d", s.Index, s.Count, s.Count)
		}
		if s.Count > j.chunks {
			return nil, fmt.Errorf("shard %d/%d: %d paths make only %d chunks of %d; use at most %d shards or a smaller --chunk-size", s.Index, s.Count, cfg.Paths, j.chunks, opt.ChunkSize, j.chunks)
		}
		j.first, j.end = ShardChunks(j.chunks, s.Index, s.Count)
		j.manifestPath = filepath.Join(opt.OutDir, results.ShardsDir, results.ShardManifestName(s.Index, s.Count))
	}
	return j, nil
}

// ShardChunks returns the chunks [first, end) of shard index (1-based) of count, for a run
// of chunks chunks: contiguous ranges whose sizes differ by at most one.
func ShardChunks(chunks, index, count int) (first, end int) {
	return (index - 1) * chunks / count, index * chunks / count
}

func (j *job) doneCount(done []bool) int {
	n := 0
	for c := j.first; c < j.end; c++ {
		if done[c] {
			n++
		}
	}
	return n
}

// index sets man's Index and Parts from the chunks done, in chunk order.
func (j *job) index(man *results.Manifest) {
	man.Index, man.Parts = nil, nil
	for c := j.first; c < j.end; c++ {
		if e := j.entries[c]; e.Part != "" {
			man.Index = append(man.Index, e)
			man.Parts = append(man.Parts, e.Part)
		}
	}
}

// resumeCommand is the command line that finishes this run (or shard).
func (j *job) resumeCommand() string {
	cmd := "backstop run --resume " + j.opt.OutDir
	if s := j.opt.Shard; s.Count > 1 {
		cmd += fmt.Sprintf(" --shard %d/%d", s.Index, s.Count)
	}
	return cmd
}

// sampleChunk simulates chunk c into rows (path-major, a buffer of at least the chunk's
// rows) and tally (empty, not yet folded) and returns the chunk's rows. Two buffers and
// tallies take turns: chunk c's are in use until its write is done, while chunk c+1 is
// sampled into the others.
func (j *job) sampleChunk(ctx context.Context, sampler *sim.Sampler, c int, rows []sim.Result, tally *chunkTally, counter *atomic.Int64) ([]sim.Result, error) {
	first := int64(c) * int64(j.opt.ChunkSize)
	n := j.chunkPaths(c)
	chunkRows := rows[:n*j.l.policies]
	// Progress counts 64 paths at every path whose index is 63 mod 64 (so the workers do
	// not contend for the counter's cache line on every path), and the rest at the end.
	const step = 64
	check := &finiteCheck{}
	err := sampler.Run(ctx, first, n, func(w, b int, res []sim.Result, days [][]float64) {
		i := int(res[0].Path-first) * j.l.policies
		copy(chunkRows[i:i+j.l.policies], res)
		if check.visit(j.cfg.Policies, res, days) { // else the sketches cannot hold it
			tally.visit(w, b, res, days)
		}
		if res[0].Path%step == step-1 {
			counter.Add(step)
		}
	})
	end := first + int64(n)
	counter.Add(int64(n) - step*(end/step-first/step))
	if cerr := check.err(); cerr != nil && err == nil {
		err = fmt.Errorf("chunk %d: %v: the parameters overflow on this path; bring the extreme values back into range", c, cerr)
	}
	return chunkRows, err
}

// chunkWrite is a chunk's checkpoint and part being written: tallied receives the outcome
// of the checkpoint and the merge into the running tally, then err that of the whole.
type chunkWrite struct {
	chunk   int
	tallied chan error
	err     chan error
	// The checksums of the files written, for the index: set before err reports nil.
	partSum, checkpointSum string
}

// startWrite folds chunk c's tallies and writes its checkpoint and then its part, each
// atomically, on a new goroutine. The folded tally, equal to the checkpoint's, is merged
// into running (unless nil) in between. A chunk is done when both files exist (a resumed
// run recomputes a chunk whose part is missing). The caller must not start the next
// write, or touch running, before tallied has reported.
func (j *job) startWrite(prov results.Provenance, c int, rows []sim.Result, tally *chunkTally, running *Tally) *chunkWrite {
	w := &chunkWrite{chunk: c, tallied: make(chan error, 1), err: make(chan error, 1)}
	go func() {
		n := len(rows) / j.l.policies
		id := j.identity(c)
		sum, err := writeCheckpoint(j.opt.OutDir, foldChunk(tally, rows, id, n, running), c)
		if err != nil {
			w.tallied <- err
			w.err <- err
			return
		}
		w.checkpointSum = sum
		w.tallied <- nil
		part := filepath.Join(j.opt.OutDir, results.PathsDir, results.PartName(c))
		prov.ID = &id
		w.partSum, err = results.WritePartSum(part, prov, j.cfg.Policies, rows)
		w.err <- err
	}()
	return w
}

// prepare creates or checks the run directory and returns the manifest to keep up to date
// and which chunks are already done (on resume). The caller holds the directory's lock.
func (j *job) prepare() (*results.Manifest, []bool, error) {
	dir := j.opt.OutDir
	done := make([]bool, j.chunks)
	old, err := results.ReadManifestFile(j.manifestPath)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		// A manifest we cannot read says nothing of what is ours to replace.
		return nil, nil, fmt.Errorf("%w; move it away to start over in %s (backstop removes only what a manifest lists)", err, dir)
	}
	if s := j.opt.Shard; s.Count > 1 && !j.opt.Force {
		if whole, err := results.ReadManifest(dir); err == nil && whole.Status == results.StatusComplete {
			return nil, nil, fmt.Errorf("output directory %s already holds a finished run (%s); --force to recompute shard %d/%d into it", dir, results.ManifestFile, s.Index, s.Count)
		}
	}
	switch {
	case j.opt.Resume && !exists:
		return nil, nil, fmt.Errorf("nothing to resume: %s holds no run (%s)", dir, j.manifestPath)
	case j.opt.Resume:
		if err := j.checkResumable(old); err != nil {
			return nil, nil, err
		}
		j.runID = old.RunID
		if err := j.verifyChunks(old, done); err != nil {
			return nil, nil, err
		}
		// Temporary files of writes cut short by a kill: never renamed, so never part of
		// the run; hidden, so readers skip them meanwhile.
		for _, sub := range []string{results.PathsDir, TalliesDir} {
			stale, _ := filepath.Glob(filepath.Join(dir, sub, ".*.tmp-*"))
			for _, f := range stale {
				os.Remove(f)
			}
		}
		fmt.Fprintf(j.opt.Log, "backstop: resuming %s: %d of %d chunks on disk\n", dir, j.doneCount(done), j.end-j.first)
	case exists && !j.opt.Force:
		if old.Status == results.StatusComplete {
			return nil, nil, fmt.Errorf("output directory %s already holds a finished run (%s); choose another --out, or --force to replace it", dir, j.manifestPath)
		}
		return nil, nil, fmt.Errorf("output directory %s holds an unfinished run (status %s); finish it with: %s (or --force to start over)", dir, old.Status, j.resumeCommand())
	case exists:
		if err := j.clear(old); err != nil {
			return nil, nil, err
		}
	case j.opt.Shard.Count <= 1 && len(shardManifests(dir)) > 0:
		if !j.opt.Force {
			return nil, nil, fmt.Errorf("output directory %s holds the shards of a run (%s/); finish it with: backstop merge %s (or --force to replace it with a run in one process)", dir, results.ShardsDir, dir)
		}
		for _, f := range shardManifests(dir) {
			if m, err := results.ReadManifestFile(f); err == nil {
				if err := j.clear(m); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(j.manifestPath), 0o755); err != nil {
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
		man.Created = old.Created
	case !j.opt.Created.IsZero():
		man.Created = j.opt.Created.UTC().Format(time.RFC3339)
	}
	if t := j.opt.Target; t != nil {
		man.TargetPrecision, man.MaxPaths = t.String(), int64(j.cfg.Paths)
	}
	if s := j.opt.Shard; s.Count > 1 {
		man.Shard = &results.Shard{Index: s.Index, Count: s.Count, FirstChunk: j.first, EndChunk: j.end}
	}
	if err := results.WriteManifestFile(j.manifestPath, man); err != nil {
		return nil, nil, err
	}
	return man, done, nil
}

// clear makes way for a fresh run with --force: it removes what old, the previous run's
// (or this shard's previous attempt's) manifest, lists as written by backstop, and nothing
// else. Files it does not list stay; any left in paths/ are moved to quarantine/ when the
// new run finishes, so the dataset is exactly the new run's parts.
func (j *job) clear(old *results.Manifest) error {
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
		shardFiles, _ := filepath.Glob(filepath.Join(dir, results.ShardsDir, "shard-*-of-*.json"))
		for _, f := range shardFiles {
			rel, _ := filepath.Rel(dir, f)
			files = append(files, rel)
		}
	}
	for _, f := range files {
		if !filepath.IsLocal(f) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("--force: remove the previous run's %s: %w", f, err)
		}
	}
	os.Remove(j.manifestPath)
	return nil
}

// shardManifests returns the shard manifests in dir.
func shardManifests(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, results.ShardsDir, "shard-*-of-*.json"))
	return files
}

// checkOutDir refuses, before anything is written, an output directory that backstop
// must not write into: the root, or one that exists, is not empty and holds no backstop
// run (it would mix our files with, or replace, someone else's).
func checkOutDir(j *job) error {
	dir := j.opt.OutDir
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if abs == filepath.Dir(abs) {
		return fmt.Errorf("output directory %s is the file system root; choose a directory of its own, e.g. --out outputs/run1", dir)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if s := j.opt.Shard; s.Count > 1 && !j.opt.Force {
		if whole, err := results.ReadManifest(dir); err == nil && whole.Status == results.StatusComplete {
			return fmt.Errorf("output directory %s already holds a finished run (%s); --force to recompute shard %d/%d into it", dir, results.ManifestFile, s.Index, s.Count)
		}
	}
	if _, err := os.Stat(j.manifestPath); err == nil {
		return nil // a run (or this shard) of ours: prepare decides
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		return nil
	}
	if len(shardManifests(dir)) > 0 {
		return nil // the shards of a run: prepare decides, under the lock
	}
	var foreign []string
	for _, e := range entries {
		switch name := e.Name(); {
		case name == dirlock.FileName:
		case j.opt.Shard.Count > 1 && e.IsDir() && (name == results.ShardsDir || name == results.PathsDir || name == TalliesDir):
			// the other shards of this run write these
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	shown := foreign
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("and %d more", len(foreign)-5))
	}
	return fmt.Errorf("output directory %s is not empty and holds no backstop run (%s): it holds %s; choose an empty or new directory with --out (backstop never replaces files it did not write, even with --force)",
		dir, results.ManifestFile, strings.Join(shown, ", "))
}

// checkResumable checks that old, the manifest on disk, describes the run being resumed.
func (j *job) checkResumable(old *results.Manifest) error {
	if old.Status == results.StatusComplete {
		return fmt.Errorf("%s is already complete: nothing to resume", j.manifestPath)
	}
	if old.Version != results.ToolVersion() && !j.opt.AllowVersionChange {
		return fmt.Errorf("cannot resume %s: it was begun by backstop %s, this is %s; its chunks may differ from this version's (--allow-version-change resumes anyway, or --force starts over)", j.opt.OutDir, old.Version, results.ToolVersion())
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
		return fmt.Errorf("cannot resume %s: its config differs from the one given (%s)", j.opt.OutDir, firstDifference(old.Config, j.yml))
	}
	return nil
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
				return fmt.Errorf("cannot resume %s: %w; to recompute that chunk alone: backstop verify --quarantine %s, then %s", j.opt.OutDir, err, j.opt.OutDir, j.resumeCommand())
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

// provenance is what the run's files say about it: the resolved config, seed, paths, this
// tool's version and the run's creation time as man records it, the same in every file
// of the run however often it was resumed, and for a run merged from shards.
func (j *job) provenance(man *results.Manifest) results.Provenance {
	prov := results.NewProvenance(j.yml, j.cfg.Seed, int64(j.cfg.Paths))
	if t, err := time.Parse(time.RFC3339, man.Created); err == nil {
		prov.Created = t
	}
	return prov
}

// finish writes the bands, summary, figures and the complete manifest from total, every
// chunk's tally merged in chunk order; when total is nil (a merge of shards), it merges the
// chunks' checkpoints so. Uninterrupted, resumed and sharded runs all come through here
// with the same merge order, which is what makes them identical (a tally in memory equals
// its checkpoint read back).
//
// lastPart, when not nil, waits for the last part to be on disk: the part is needed only
// to read the parts back (convergence and tails), so its write overlaps the rest.
func finish(j *job, man *results.Manifest, prov results.Provenance, total *Tally, lastPart func() error) (*Outcome, error) {
	if total == nil {
		total = newTally(j.l)
		for c := 0; c < j.chunks; c++ {
			t, err := readCheckpoint(j.opt.OutDir, j.l, j.identity(c), j.chunkPaths(c), j.opt.AllowVersionChange)
			if err != nil {
				return nil, err
			}
			total.Merge(t)
		}
	}
	dir := j.opt.OutDir
	bands := results.Bands(total.Dist, j.cfg.Policies, j.cfg.Days)
	if err := results.WriteBands(filepath.Join(dir, results.BandsFile), prov, j.cfg.Policies, bands); err != nil {
		return nil, err
	}
	summary := summarize(total, j.l, j.cfg.Policies)
	if err := results.WriteSummaryCSV(filepath.Join(dir, results.SummaryFile), summary); err != nil {
		return nil, err
	}
	effects := pairedEffects(total, j.l, j.cfg.Policies)
	if err := results.WriteEffectsCSV(filepath.Join(dir, results.EffectsFile), effects); err != nil {
		return nil, err
	}
	q95 := make([]float64, len(j.cfg.Policies))
	for k := range q95 {
		q95[k] = total.Dist.Sketches[j.l.metricGroup(k, sim.PeakBasisBP)].Quantile(0.95)
	}
	parts := make([]string, j.chunks)
	for c := range parts {
		parts[c] = filepath.Join(dir, results.PathsDir, results.PartName(c))
	}
	ready := func(i int) error {
		if i == len(parts)-1 && lastPart != nil {
			return lastPart()
		}
		return nil
	}
	conv, tails, err := convergence(parts, ready, j.cfg.Policies, int64(j.cfg.Paths), j.cfg.Market.BDys, q95)
	if err != nil {
		return nil, err
	}
	if err := results.WriteTailsCSV(filepath.Join(dir, results.TailsFile), tails); err != nil {
		return nil, err
	}
	if err := results.WriteConvergence(filepath.Join(dir, results.ConvergenceFile), prov, j.cfg.Policies, conv); err != nil {
		return nil, err
	}
	out := &Outcome{Dir: dir, Manifest: man, Summary: summary, Effects: effects}
	if err := j.interrupted(); err != nil {
		return nil, err
	}
	// Every chunk is on disk now: the manifest lists them all before the figures read the
	// parts through it.
	if lastPart != nil {
		if err := lastPart(); err != nil {
			return nil, err
		}
	}
	j.first, j.end = 0, j.chunks
	j.index(man)
	if len(man.Index) != j.chunks {
		return nil, fmt.Errorf("internal error: %d of %d chunks indexed", len(man.Index), j.chunks)
	}
	if err := quarantineStrays(dir, man, j.opt.Log); err != nil {
		return nil, err
	}
	if err := results.WriteManifest(dir, man); err != nil {
		return nil, err
	}
	if j.opt.Figures {
		figs, err := DrawFigures(dir, FigureOptions{})
		if err != nil {
			return nil, err
		}
		out.Figures = figs
	}
	if err := writeReport(dir, report{cfg: j.cfg, man: man, summary: summary, effects: effects, tails: tails, convergence: conv, figures: j.opt.Figures}); err != nil {
		return nil, err
	}
	man.Outputs = append([]string{results.BandsFile, results.SummaryFile, results.EffectsFile, results.TailsFile,
		results.ConvergenceFile, results.ReportFile}, relativeTo(dir, out.Figures)...)
	if err := j.interrupted(); err != nil {
		return nil, err
	}
	man.Status, man.Error, man.Resume = results.StatusComplete, "", ""
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := results.WriteManifest(dir, man); err != nil {
		return nil, err
	}
	return out, nil
}

// summarize computes the summary table: per policy and summary metric, the mean with its
// 95% confidence interval and the sketch's median and 95th percentile with theirs.
func summarize(t *Tally, l layout, policies []string) []results.SummaryRow {
	var rows []results.SummaryRow
	for k, p := range policies {
		for _, m := range results.SummaryMetrics {
			mo := t.Moments[k*sim.NumMetrics+int(m)]
			ci := mo.CI(0.95)
			sk := t.Dist.Sketches[l.metricGroup(k, m)]
			q50, q95 := sk.QuantileInterval(0.5, 0.95), sk.QuantileInterval(0.95, 0.95)
			row := results.SummaryRow{
				Policy: p, Metric: sim.Metrics[m].Name, Unit: sim.Metrics[m].Unit, N: int64(mo.N()),
				Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi, P50: q50.Estimate, P95: q95.Estimate,
				P50Lo: q50.Lo, P50Hi: q50.Hi, P95Lo: q95.Lo, P95Hi: q95.Hi,
			}
			if sim.Metrics[m].Integer {
				for _, x := range []*float64{&row.P50, &row.P95, &row.P50Lo, &row.P50Hi, &row.P95Lo, &row.P95Hi} {
					*x = roundCount(*x)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// pairedEffects computes effects.csv: for every pair of policies and summary metric, the
// per-path difference's mean and 95% CI, the unpaired CI, the variance reduction from
// common random numbers, and the shares of paths where the first policy is lower/higher.
func pairedEffects(t *Tally, l layout, policies []string) []results.EffectRow {
	var rows []results.EffectRow
	for q, pr := range l.pairs {
		for i, m := range results.SummaryMetrics {
			acc := t.Paired[pairedIndex(q, i)]
			e, err := acc.Effect(0.95)
			if err != nil { // fewer than two paths
				continue
			}
			rows = append(rows, results.EffectRow{
				A: policies[pr.a], B: policies[pr.b], Metric: sim.Metrics[m].Name, Unit: sim.Metrics[m].Unit,
				N: int64(acc.D.N()), Mean: e.Diff.Estimate, Lo: e.Diff.Lo, Hi: e.Diff.Hi,
				UnpairedLo: e.Unpaired.Lo, UnpairedHi: e.Unpaired.Hi, VarianceReduction: e.VarianceReduction,
				ShareLower: e.ShareBelow, ShareHigher: e.ShareAbove,
			})
		}
	}
	return rows
}

// roundCount restores a whole-number quantile from the sketch: below 100 in magnitude the
// sketch's relative error (0.5%) is under one half, so rounding gives the exact value.
func roundCount(x float64) float64 {
	if math.Abs(x) < 100 {
		return math.Round(x)
	}
	return x
}
