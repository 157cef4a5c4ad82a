package run

import (
	"io"

	"github.com/backstop-research/backstop/internal/rundir"
)

// dirLock is what a process holds while it writes a run directory (see rundir.Locks).
type dirLock = rundir.Locks

// runLockPath is the lock file of run directory dir.
func runLockPath(dir string) string { return rundir.LockPath(dir) }

// lockRun locks dir for a writer of shard s (the whole run when s.Count <= 1).
func lockRun(dir string, s ShardSpec, log io.Writer) (*dirLock, error) {
	return rundir.Lock(dir, s.Index, s.Count, log)
}

// explainHeld names the holders of a refused lock on dir.
func explainHeld(dir string, err error) error { return rundir.ExplainHeld(dir, err) }
