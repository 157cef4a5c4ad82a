package run

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
)

// MergeOptions configure Merge.
type MergeOptions struct {
	Figures bool      // draw the figures
	Log     io.Writer // notes; nil for none
	Force   bool      // merge again over a complete manifest.json
}

// Merge finishes a run computed in shards (`backstop run --shard I/N` into one directory
// on a shared filesystem): it checks that every shard's manifest is present, complete and
// of the same config, seed and chunk size, that every chunk's part and checkpoint are on
// disk, then merges the checkpoints in chunk order and writes the bands, summary, figures
// and a complete manifest.json. Since a single-process run finishes the same way, the
// merged result equals it row for row and band for band.
func Merge(dir string, opt MergeOptions) (*Outcome, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if m, err := results.ReadManifest(dir); err == nil && m.Status == results.StatusComplete && !opt.Force {
		return nil, fmt.Errorf("%s is already complete (%s); use --force to merge again", dir, results.ManifestFile)
	}
	shardFiles, err := filepath.Glob(filepath.Join(dir, results.ShardsDir, "shard-*-of-*.json"))
	if err != nil || len(shardFiles) == 0 {
		return nil, fmt.Errorf("%s holds no shard manifests (%s/shard-I-of-N.json): run the shards first with backstop run --shard I/N --out %s", dir, results.ShardsDir, dir)
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
	for i := 1; i <= n; i++ {
		name := filepath.Join(results.ShardsDir, results.ShardManifestName(i, n))
		m, err := results.ReadManifestFile(filepath.Join(dir, name))
		if err == nil && m.Created < created { // RFC 3339 in UTC: ordered as strings
			created = m.Created
		}
		switch {
		case os.IsNotExist(err):
			missing = append(missing, fmt.Sprintf("shard %d/%d (%s) is missing", i, n, name))
		case err != nil:
			return nil, err
		case m.Status != results.StatusComplete:
			missing = append(missing, fmt.Sprintf("shard %d/%d is %s (finish it: backstop run --resume %s --shard %d/%d)", i, n, m.Status, dir, i, n))
		case m.Config != first.Config || m.Seed != first.Seed || m.ChunkSize != first.ChunkSize || m.Paths != first.Paths:
			return nil, fmt.Errorf("shard %d/%d (%s) was run with another config, seed, path count or chunk size than %s", i, n, name, shardFiles[0])
		}
	}
	if len(shardFiles) > n {
		missing = append(missing, fmt.Sprintf("%d shard manifests for a run in %d shards (mixed shard counts?)", len(shardFiles), n))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cannot merge %s: %s", dir, strings.Join(missing, "; "))
	}
	cfg, err := configs.Decode([]byte(first.Config), shardFiles[0])
	if err != nil {
		return nil, err
	}
	j, err := plan(Options{Config: cfg, OutDir: dir, ChunkSize: first.ChunkSize, Figures: opt.Figures, Log: opt.Log})
	if err != nil {
		return nil, err
	}
	for c := 0; c < j.chunks; c++ {
		for _, f := range []string{filepath.Join(dir, results.PathsDir, results.PartName(c)), filepath.Join(dir, TalliesDir, CheckpointName(c))} {
			if _, err := os.Stat(f); err != nil {
				return nil, fmt.Errorf("cannot merge %s: chunk %d: %w", dir, c, err)
			}
		}
	}
	man := *first
	man.Shard, man.Command = nil, "backstop merge "+dir
	man.Created = created // the merge's own time is the manifest's finished
	fmt.Fprintf(opt.Log, "backstop: merging %d shards, %d chunks of %s\n", n, j.chunks, dir)
	return finish(j, &man, j.provenance(&man), nil, nil)
}
