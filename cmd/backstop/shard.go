package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"golang.org/x/term"
)

// resolveShard returns the shard this process computes: from --shard I/N; else from a
// Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT);
// else from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based, with --shards N).
// The source is returned for the log. No shard is {0, 0}: the whole run.
func resolveShard(flagValue string, shards int, getenv func(string) string) (run.ShardSpec, string, error) {
	if flagValue != "" {
		s, err := parseShard(flagValue)
		return s, "--shard", err
	}
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		count, err := envInt(getenv, "SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return run.ShardSpec{}, "", err
		}
		task, err := envInt(getenv, "SLURM_ARRAY_TASK_ID")
		if err != nil {
			return run.ShardSpec{}, "", err
		}
		first := 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if first, err = envInt(getenv, "SLURM_ARRAY_TASK_MIN"); err != nil {
				return run.ShardSpec{}, "", err
			}
		}
		s := run.ShardSpec{Index: task - first + 1, Count: count}
		return s, fmt.Sprintf("Slurm array task %d (min %d, count %d)", task, first, count), checkShard(s, "SLURM_ARRAY_TASK_ID")
	}
	if getenv("JOB_COMPLETION_INDEX") != "" {
		if shards < 1 {
			return run.ShardSpec{}, "", fmt.Errorf("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the job's completions as --shards N")
		}
		idx, err := envInt(getenv, "JOB_COMPLETION_INDEX")
		if err != nil {
			return run.ShardSpec{}, "", err
		}
		s := run.ShardSpec{Index: idx + 1, Count: shards}
		return s, fmt.Sprintf("Kubernetes JOB_COMPLETION_INDEX=%d with --shards %d", idx, shards), checkShard(s, "JOB_COMPLETION_INDEX")
	}
	if shards > 0 {
		return run.ShardSpec{}, "", fmt.Errorf("--shards %d needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); use --shard I/N elsewhere", shards)
	}
	return run.ShardSpec{}, "", nil
}

// parseShard parses "I/N" with 1 <= I <= N.
func parseShard(v string) (run.ShardSpec, error) {
	i, n, ok := strings.Cut(v, "/")
	idx, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return run.ShardSpec{}, fmt.Errorf("--shard %q: use I/N, two whole numbers with 1 <= I <= N, e.g. 2/4", v)
	}
	s := run.ShardSpec{Index: idx, Count: count}
	return s, checkShard(s, "--shard")
}

func checkShard(s run.ShardSpec, source string) error {
	if s.Count < 1 || s.Index < 1 || s.Index > s.Count {
		return fmt.Errorf("%s gives shard %d/%d: allowed are I/N with 1 <= I <= N", source, s.Index, s.Count)
	}
	return nil
}

func envInt(getenv func(string) string, name string) (int, error) {
	v, err := strconv.Atoi(getenv(name))
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a whole number", name, getenv(name))
	}
	return v, nil
}

// manifestPath is where the manifest of dir (or of its shard) lives.
func manifestPath(dir string, s run.ShardSpec) string {
	if s.Count > 1 {
		return filepath.Join(dir, results.ShardsDir, results.ShardManifestName(s.Index, s.Count))
	}
	return filepath.Join(dir, results.ManifestFile)
}

// isTerminal reports whether w is a terminal, for the live progress bar.
func isTerminal(w io.Writer) bool {
	f, ok := fileOf(w)
	return ok && term.IsTerminal(int(f.Fd()))
}
