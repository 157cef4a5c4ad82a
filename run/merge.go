package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
)

// MergeOptions configure Merge.
type MergeOptions struct {
	Figures bool      // draw the figures
	Log     io.Writer // notes; nil for none
	Force   bool      // merge again over a complete manifest.json
	// AllowVersionChange merges shards written by another version of backstop.
	AllowVersionChange bool
	// Context, once cancelled (Ctrl-C), stops the merge at its next step with an error
	// wrapping ErrInterrupted: the shards are left as they were, the run not complete,
	// and merging again finishes it. Nil: the merge runs to its end.
	Context context.Context
}

// shardOption matches a --shard flag and its value in a recorded command line.
var shardOption = regexp.MustCompile(`(^|\s)--?shard(=|\s+)\S+`)

// outOption matches an --out flag and its value in a recorded command line.
var outOption = regexp.MustCompile(`\s--?out(=|\s+)\S+`)

// shardCommand is the command that computes shard i of n, from the command line recorded
// in another shard's manifest (the same config, seed, paths and chunk size).
func shardCommand(recorded, dir string, i, n int) string {
	flag := fmt.Sprintf("--shard %d/%d", i, n)
	// The directory merged now, not the one recorded: the shards may have been copied.
	if outOption.MatchString(recorded) {
		recorded = outOption.ReplaceAllLiteralString(recorded, " --out "+shellquote.Path(dir))
	}
	switch {
	case recorded == "":
		return fmt.Sprintf("backstop run %s --out %s with the other shards' config, --paths, --seed and --chunk-size", flag, shellquote.Path(dir))
	case shardOption.MatchString(recorded):
		return shardOption.ReplaceAllString(recorded, "${1}"+flag)
	}
	return recorded + " " + flag
}

// Merge finishes a run computed in shards (`backstop run --shard I/N` into one directory
// on a shared filesystem): it takes the directory's lock (refused while any shard still
// runs), checks that every shard's manifest is present, complete, of the same config,
// seed, chunk size and backstop version, and that every chunk its index lists is on disk
// with the checksums recorded, then merges the checkpoints in chunk order and writes the
// bands, summary, figures and a complete manifest.json. Since a single-process run
// finishes the same way, the merged result equals it row for row and band for band.
// Interrupted (opt.Context), it never writes in the shards' files, and leaves a run that
// is not complete (manifest.json absent, or incomplete) for a merge again to finish.
func Merge(dir string, opt MergeOptions) (*Outcome, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	lock, err := lockRun(dir, ShardSpec{}, opt.Log)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if m, err := results.ReadManifest(dir); err == nil && m.Status == results.StatusComplete && !opt.Force {
		return nil, fmt.Errorf("%s is already complete (%s); use --force to merge again", dir, results.ManifestFile)
	}
	shardFiles, err := results.ShardManifests(dir)
	if err != nil || len(shardFiles) == 0 {
		return nil, fmt.Errorf("%s holds no shard manifests (%s/shard-I-of-N.json): run the shards first with backstop run --shard I/N --out %s", dir, results.ShardsDir, shellquote.Path(dir))
	}
	first, err := results.ReadManifestFile(shardFiles[0])
	if err != nil {
		return nil, err
	}
	if first.Shard == nil {
		return nil, fmt.Errorf("%s is not a shard manifest", shardFiles[0])
	}
	n := first.Shard.Count
	created := first.Created // the run's: when its first shard started
	var missing []string
	var shards []*results.Manifest
	for i := 1; i <= n; i++ {
		name := filepath.Join(results.ShardsDir, results.ShardManifestName(i, n))
		m, err := results.ReadManifestFile(filepath.Join(dir, name))
		if err == nil && m.Created < created { // RFC 3339 in UTC: ordered as strings
			created = m.Created
		}
		switch {
		case os.IsNotExist(err):
			missing = append(missing, fmt.Sprintf("shard %d/%d (%s) is missing (compute it: %s)", i, n, name, shardCommand(first.Command, dir, i, n)))
		case err != nil:
			return nil, err
		case m.Status != results.StatusComplete:
			missing = append(missing, fmt.Sprintf("shard %d/%d is %s (finish it: %s)", i, n, m.Status, ResumeCommand(dir, ShardSpec{Index: i, Count: n})))
		case m.Config != first.Config || m.Seed != first.Seed || m.ChunkSize != first.ChunkSize || m.Paths != first.Paths || m.Chunks != first.Chunks:
			return nil, fmt.Errorf("shard %d/%d (%s) was run with another config, seed, path count or chunk size than %s", i, n, name, shardFiles[0])
		case m.Shard == nil || m.Shard.Index != i || m.Shard.Count != n:
			return nil, fmt.Errorf("%s does not describe shard %d/%d", name, i, n)
		case m.RunID == "":
			return nil, fmt.Errorf("%s records no run identity (an older backstop wrote it); rerun that shard with --force", name)
		case m.Version != results.ToolVersion() && !opt.AllowVersionChange:
			return nil, results.ShardVersionError(i, n, name, m.Version, MergeCommand(dir))
		default:
			shards = append(shards, m)
		}
	}
	if len(shardFiles) > n {
		missing = append(missing, fmt.Sprintf("%d shard manifests for a run in %d shards (mixed shard counts?)", len(shardFiles), n))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cannot merge %s:\n  %s", dir, strings.Join(missing, "\n  "))
	}
	cfg, err := configs.DecodeRecorded([]byte(first.Config), shardFiles[0])
	if err != nil {
		return nil, err
	}
	j, err := plan(Options{Config: cfg, OutDir: dir, ChunkSize: first.ChunkSize, Figures: opt.Figures, Log: opt.Log, AllowVersionChange: opt.AllowVersionChange})
	if err != nil {
		return nil, err
	}
	j.adoptRecorded(first.Config)
	for _, m := range shards {
		if len(m.Index) != m.Shard.EndChunk-m.Shard.FirstChunk {
			return nil, fmt.Errorf("cannot merge %s: shard %d/%d lists %d chunks, it computes %d", dir, m.Shard.Index, n, len(m.Index), m.Shard.EndChunk-m.Shard.FirstChunk)
		}
		for _, e := range m.Index {
			if e.Chunk < m.Shard.FirstChunk || e.Chunk >= m.Shard.EndChunk || e.RunID != m.RunID {
				return nil, fmt.Errorf("cannot merge %s: shard %d/%d lists chunk %d of run %q, outside its chunks [%d, %d) or its run %q", dir, m.Shard.Index, n, e.Chunk, e.RunID, m.Shard.FirstChunk, m.Shard.EndChunk, m.RunID)
			}
			j.entries[e.Chunk] = e
		}
	}
	for c := 0; c < j.chunks; c++ {
		if ctx.Err() != nil {
			return nil, MergeInterrupted(dir)
		}
		e := j.entries[c]
		if e.Part == "" {
			return nil, fmt.Errorf("cannot merge %s: no shard lists chunk %d", dir, c)
		}
		if err := checkEntry(dir, e); err != nil {
			return nil, fmt.Errorf("cannot merge %s: chunk %d: %w; check the run with: backstop verify %s", dir, c, err, shellquote.Path(dir))
		}
	}
	// Every shard is complete and none runs (the lock): a temporary file here is a write
	// cut short, by a merge killed half-way or a shard before it, and never any file's content.
	RemoveStaleTemps(dir)
	man := *first
	man.Shard, man.Command = nil, MergeCommand(dir)
	man.RunID, man.Version = j.runID, results.ToolVersion()
	var wrote [][]string // the versions of each shard
	for _, m := range shards {
		wrote = append(wrote, results.WrittenBy(m.Versions, m.Version))
	}
	man.Versions = results.Versions(man.Version, wrote...)
	man.Created = created // the merge's own time is the manifest's finished
	// Running until finish has written every output: a merge killed half-way must not
	// leave a manifest that calls the run complete.
	man.Status, man.Finished = results.StatusRunning, ""
	fmt.Fprintf(opt.Log, "backstop: merging %d shards, %d chunks of %s\n", n, j.chunks, dir)
	if ctx.Err() != nil {
		return nil, MergeInterrupted(dir)
	}
	j.ctx, j.merge = ctx, true
	out, err := finish(j, &man, j.provenance(&man), nil, nil)
	if errors.Is(err, ErrInterrupted) {
		markStopped(j.manifestPath, "interrupted", j.resumeCommand())
	}
	return out, err
}
