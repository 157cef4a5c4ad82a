package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"golang.org/x/term"
)

// checkRunDir applies the output-directory rule before a fresh run into dir: a finished
// run there is kept, and the error shows the two commands that go on (the same command
// with --force, or with a free --out); with --force it returns a note for the log saying
// what is replaced. A directory without a finished run is left to run.Execute's checks.
func checkRunDir(dir string, force bool, args []string) (note string, err error) {
	m, err := results.ReadManifest(dir)
	if err != nil {
		return "", nil
	}
	if force {
		return fmt.Sprintf("backstop: --force: replacing the %s run in %s (scenario %s, %d paths, seed %d, created %s)",
			m.Status, dir, m.Scenario, m.Paths, m.Seed, m.Created), nil
	}
	if m.Status != results.StatusComplete {
		return "", nil
	}
	again := append([]string{"run"}, args...)
	elsewhere := append(append([]string{"run"}, withoutFlag(args, "out", true)...), "--out", freeSibling(dir))
	return "", fmt.Errorf("%s already holds a finished run (scenario %s, %d paths, seed %d, finished %s), kept unless --force.\n"+
		"  replace it:            %s --force\n  or write elsewhere:    %s",
		dir, m.Scenario, m.Paths, m.Seed, m.Finished, commandLine(again), commandLine(elsewhere))
}

// startLine is the first line of a run's log, written before any work: what runs, where,
// with which build.
func startLine(cfg sim.Config, dir string, chunkSize, workers int, resume bool, tgt *run.Target, shard run.ShardSpec, shardSource string) string {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var b strings.Builder
	verb := "start"
	if resume {
		verb = "resume"
	}
	fmt.Fprintf(&b, "backstop: %s scenario %s, seed %d, %d paths", verb, cfg.Scenario, cfg.Seed, cfg.Paths)
	if tgt != nil {
		fmt.Fprintf(&b, " at most (until %s)", tgt)
	}
	fmt.Fprintf(&b, ", policies %s, chunk size %d, workers %d", strings.Join(cfg.Policies, ","), chunkSize, workers)
	if shard.Count > 1 {
		fmt.Fprintf(&b, ", shard %d/%d (from %s)", shard.Index, shard.Count, shardSource)
	}
	fmt.Fprintf(&b, ", output %s, version %s, pid %d", dir, results.ToolVersion(), os.Getpid())
	return b.String()
}

// terminalWidth is the number of columns of the terminal w, 0 when unknown.
func terminalWidth(w io.Writer) int {
	f, ok := fileOf(w)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

// checkOutIsDir refuses an output path that exists and is not a directory (a usage error:
// the command line names a file where a directory belongs).
func checkOutIsDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usageError{fmt.Errorf("--out %s is a file, not a directory: name a new or existing run directory", dir)}
	}
	return nil
}
