package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// job is a run's resolved plan.
type job struct {
	opt    Options
	cfg    sim.Config
	yml    string
	l      layout
	chunks int // chunks of the whole run
	// bandStride is the band subset's: the bands count path i iff i % bandStride == 0. It
	// is fixed by the run's planned paths, so every shard, resume and merge of the run
	// counts the same paths; a run with a precision target counts every path (1), since
	// how many paths it will draw is not known when it starts.
	bandStride   int64
	first, end   int // chunks this process computes
	manifestPath string
	runID        string               // this run's (or shard's) identity
	cfgHash      string               // SHA-256 of yml
	entries      []results.ChunkEntry // per chunk: its index entry once done (Part == "" before)
	ctx          context.Context      // cancelled by an interruption; finish checks it
	merge        bool                 // the job merges shards: backstop merge finishes it
	// conv takes the convergence table and tails.csv from the chunks as they are written
	// (nil for a shard, whose merge reads the parts back).
	conv *convergenceTally
	// figs gathers the figures' per-path metrics from the chunks as they are written (nil
	// without figures, and for a shard).
	figs *figureRows
	// waitClear, set when prepare moved a previous run's files aside (--force), waits for
	// them to be removed (clearAside); nil otherwise.
	waitClear func()
}

// marshalConfig renders a run's config as its files record it; a test replaces it to write
// a run as an earlier version did.
var marshalConfig = configs.Marshal

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
	yml, err := marshalConfig(&cfg)
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
		bandStride:   int64(cfg.Output.BandStride(cfg.Paths)),
		manifestPath: filepath.Join(opt.OutDir, results.ManifestFile),
	}
	if opt.Target != nil {
		j.bandStride = 1
	}
	j.first, j.end = 0, j.chunks
	j.entries = make([]results.ChunkEntry, j.chunks)
	if opt.Target != nil && opt.Shard.Count > 1 {
		return nil, errors.New("a target precision needs the paths in order and cannot be split in shards; run it in one process")
	}
	if s := opt.Shard; s.Count > 1 || s.Index > 1 {
		if s.Index < 1 || s.Index > s.Count {
			return nil, badFlag{fmt.Sprintf("shard %d/%d: the index must be 1 to %d", s.Index, s.Count, s.Count)}
		}
		if s.Count > j.chunks {
			return nil, badFlag{fmt.Sprintf("shard %d/%d: %d paths make only %d chunks of %d; use at most %d shards or a smaller --chunk-size", s.Index, s.Count, cfg.Paths, j.chunks, opt.ChunkSize, j.chunks)}
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

// resumeCommand is the command line that finishes this run (or shard, or merge).
func (j *job) resumeCommand() string {
	if j.merge {
		return MergeCommand(j.opt.OutDir)
	}
	return ResumeCommand(j.opt.OutDir, j.opt.Shard)
}

// ResumeCommand is the command that finishes the run in dir, or its shard when shard
// names one, as a user types it: the directory quoted for a shell where it needs it.
// Every message that tells how to finish a run says it with this.
func ResumeCommand(dir string, shard ShardSpec) string {
	cmd := "backstop run --resume " + shellquote.Path(dir)
	if shard.Count > 1 {
		cmd += fmt.Sprintf(" --shard %d/%d", shard.Index, shard.Count)
	}
	return cmd
}

// MergeCommand is the command that merges the shards of the run in dir into the whole
// run, as a user types it (see ResumeCommand).
func MergeCommand(dir string) string { return "backstop merge " + shellquote.Path(dir) }

// MergeInterrupted is the error of a merge of the shards in dir (a run's or an
// exploration's) stopped by its context (Ctrl-C) before it finished: it wraps
// ErrInterrupted and says to merge again, with MergeCommand. Both merges stop only where
// the shards are still as they were, so merging again finishes the job.
func MergeInterrupted(dir string) error {
	return fmt.Errorf("%w before the merge finished; the shards are not changed: merge again with %s", ErrInterrupted, MergeCommand(dir))
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
