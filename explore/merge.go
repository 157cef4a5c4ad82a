package explore

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// IsExploration reports whether dir holds an exploration or shards of one.
func IsExploration(dir string) bool {
	if _, err := ReadManifest(dir); err == nil {
		return true
	}
	files, _ := results.ShardManifests(dir)
	for _, f := range files {
		if _, err := readManifestFile(f); err == nil {
			return true
		}
	}
	return false
}

// MergeOptions configure Merge.
type MergeOptions struct {
	Figures       bool
	FigureFormats []string
	Force         bool // merge again over a complete exploration
	Log           io.Writer
	Command       string
	// AllowVersionChange merges shards written by another version of backstop (as
	// run.MergeOptions'); the manifest then lists the versions that wrote them (versions).
	AllowVersionChange bool
	// Context, once cancelled (Ctrl-C), stops the merge before it writes the manifest,
	// with an error wrapping run.ErrInterrupted: the shards are left as they were, the
	// exploration not complete, and merging again finishes it. Nil: the merge runs to its end.
	Context context.Context
}

// Merge finishes an exploration computed in shards (`backstop explore --shard I/N` into
// one directory): every shard must be complete and every chunk of evaluations on disk.
// The outputs are those of one process (the CSV files byte for byte; the Parquet files
// row for row, their footers stamped with the merge's time).
func Merge(dir string, opt MergeOptions) (*Outcome, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if m, err := ReadManifest(dir); err == nil && m.Status == results.StatusComplete && !opt.Force {
		return nil, fmt.Errorf("the exploration in %s is already complete; use --force to merge it again", dir)
	}
	files, err := results.ShardManifests(dir)
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("%s holds no shard manifests (%s/shard-I-of-N.json): run the shards first with backstop explore --shard I/N --out %s", dir, results.ShardsDir, shellquote.Path(dir))
	}
	locks, err := rundir.Lock(dir, 0, 1, opt.Log)
	if err != nil {
		return nil, err
	}
	defer locks.Release()
	var first *Manifest
	seen := map[int]bool{}
	var kept []string // every shard's kept runs: each runs those of its own chunks
	var keep []int
	var keeps []string // each recording shard's keep_runs, said if they differ
	var keepsDiffer bool
	var firstKeep []int
	var wrote [][]string // the versions of each shard
	for _, f := range files {
		m, err := readManifestFile(f)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = m
		}
		switch {
		case m.Config != first.Config:
			return nil, fmt.Errorf("%s explores a different file than %s", f, files[0])
		case m.Shard == nil || m.Shard.Count != first.Shard.Count:
			return nil, fmt.Errorf("%s: mixed shard counts in %s", f, filepath.Join(dir, results.ShardsDir))
		case m.Status != results.StatusComplete:
			return nil, fmt.Errorf("shard %d/%d is %s; finish it first (run it again: it resumes)", m.Shard.Index, m.Shard.Count, m.Status)
		case m.Version != results.ToolVersion() && !opt.AllowVersionChange:
			return nil, results.ShardVersionError(m.Shard.Index, m.Shard.Count, filepath.Join(results.ShardsDir, filepath.Base(f)), m.Version, run.MergeCommand(dir))
		}
		seen[m.Shard.Index] = true
		wrote = append(wrote, results.WrittenBy(m.Versions, m.Version))
		kept, keep = append(kept, m.KeptRuns...), append(keep, m.KeepRuns...)
		if m.KeepRuns != nil { // nil: a shard of a version that did not record them
			k := sortedKeepRuns(m.KeepRuns)
			if firstKeep == nil {
				firstKeep = k
			}
			keepsDiffer = keepsDiffer || !slices.Equal(k, firstKeep)
			keeps = append(keeps, fmt.Sprintf("shard %d/%d: %s", m.Shard.Index, m.Shard.Count, keepRunsText(k)))
		}
	}
	for i := 1; i <= first.Shard.Count; i++ {
		if !seen[i] {
			return nil, fmt.Errorf("shard %d/%d has no manifest in %s; run it first", i, first.Shard.Count, dir)
		}
	}
	if keepsDiffer {
		// Each shard runs the kept evaluations of its own chunks: one named by another
		// shard alone would never run, while the merged keep_runs named it.
		return nil, fmt.Errorf("cannot merge %s: its shards were run with different --keep-runs (%s), and each runs only those of its own evaluations; run the shards that differ again with --force and the same --keep-runs", dir, strings.Join(keeps, "; "))
	}
	removeStaleTemps(dir, "", false, 0, 0) // every shard is complete: nothing writes here but us
	p, err := Decode([]byte(first.Config), filepath.Join(dir, results.ManifestFile))
	if err != nil {
		return nil, err
	}
	values, err := p.Values()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "explore: merging %d shards, %d evaluations of %s\n", first.Shard.Count, len(values), dir)
	var evals []Evaluation
	for c := 0; c < first.Chunks; c++ {
		if ctx.Err() != nil {
			return nil, run.MergeInterrupted(dir)
		}
		lo, hi := c*ChunkSize, min((c+1)*ChunkSize, len(values))
		chunk, ok, err := readChunk(chunkPath(dir, c), first.chunkIdentity(), c, lo, hi, values)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("chunk %s is missing or does not match the design; run its shard again", chunkPath(dir, c))
		}
		evals = append(evals, chunk...)
	}
	prov := results.NewProvenance(first.Config, p.Seed, int64(p.Paths))
	man := *first
	man.Shard, man.Failed, man.Command = nil, 0, opt.Command
	man.Version = prov.Version // the merge's, as a run's merge records
	man.Versions = results.Versions(man.Version, wrote...)
	man.KeptRuns = sortedRunDirs(kept)
	if man.KeepRuns != nil {
		man.KeepRuns = sortedKeepRuns(keep)
	}
	man.Created = prov.Created.Format(time.RFC3339)
	for _, e := range evals {
		if e.Status == StatusFailed {
			man.Failed++
		}
	}
	out, err := finish(dir, p, prov, evals, Options{Figures: opt.Figures, FigureFormats: opt.FigureFormats})
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, run.MergeInterrupted(dir)
	}
	if err := man.recordOutputs(dir, out.Figures); err != nil {
		return nil, err
	}
	man.Status, man.Error = results.StatusComplete, ""
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := writeJSON(filepath.Join(dir, results.ManifestFile), &man); err != nil {
		return nil, err
	}
	out.Manifest = &man
	return out, nil
}

// sortedRunDirs returns kept run directories (runs/<index>) in the order of their
// evaluations, without repeats, as one process lists them.
func sortedRunDirs(dirs []string) []string {
	index := func(d string) int { i, _ := strconv.Atoi(filepath.Base(d)); return i }
	slices.SortFunc(dirs, func(a, b string) int { return cmp.Compare(index(a), index(b)) })
	return slices.Compact(dirs)
}
