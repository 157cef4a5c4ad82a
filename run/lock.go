package run

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
)

// dirLock is what a process holds while it writes a run directory: the whole directory
// exclusively (a run, a merge), or, for shard I of N, the directory shared with the other
// shards and its own shard exclusively. So shards of one array job run side by side, while
// a second writer of the same shard, a whole run, or a merge while any shard still runs is
// refused, naming the holder.
type dirLock struct{ locks []*dirlock.Lock }

// release gives the locks up.
func (d *dirLock) release() {
	if d == nil {
		return
	}
	for i := len(d.locks) - 1; i >= 0; i-- {
		d.locks[i].Release()
	}
	d.locks = nil
}

// runLockPath is the lock file of run directory dir.
func runLockPath(dir string) string { return filepath.Join(dir, dirlock.FileName) }

// shardLockPath is the lock file of shard s of the run in dir.
func shardLockPath(dir string, s ShardSpec) string {
	return filepath.Join(dir, results.ShardsDir, fmt.Sprintf(".shard-%d-of-%d.lock", s.Index, s.Count))
}

// lockRun locks dir for a writer of shard s (the whole run when s.Count <= 1); on a file
// system without locks it says so on log and goes on.
func lockRun(dir string, s ShardSpec, log io.Writer) (l *dirLock, err error) {
	defer func() {
		if l != nil && len(l.locks) > 0 && l.locks[0].Unsupported() {
			fmt.Fprintf(log, "backstop: WARNING: the file system of %s has no file locks: nothing stops a second process from writing it meanwhile\n", dir)
		}
	}()
	if s.Count <= 1 {
		l, err := dirlock.Exclusive(runLockPath(dir))
		if err != nil {
			return nil, explainHeld(dir, err)
		}
		return &dirLock{locks: []*dirlock.Lock{l}}, nil
	}
	whole, err := dirlock.Shared(runLockPath(dir))
	if err != nil {
		return nil, explainHeld(dir, err)
	}
	own, err := dirlock.Exclusive(shardLockPath(dir, s))
	if err != nil {
		whole.Release()
		return nil, fmt.Errorf("shard %d/%d of %s: %w", s.Index, s.Count, dir, err)
	}
	return &dirLock{locks: []*dirlock.Lock{whole, own}}, nil
}

// explainHeld turns a refused lock on dir into a message naming the holders: the shards
// still running, when the directory is held by shards.
func explainHeld(dir string, err error) error {
	var he *dirlock.HeldError
	if !errors.As(err, &he) {
		return err
	}
	locks, _ := filepath.Glob(filepath.Join(dir, results.ShardsDir, ".shard-*-of-*.lock"))
	sort.Strings(locks)
	var running []string
	for _, l := range locks {
		if dirlock.Held(l) {
			name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(l), ".shard-"), ".lock")
			running = append(running, fmt.Sprintf("shard %s (%s)", strings.Replace(name, "-of-", "/", 1), dirlock.Holder(l)))
		}
	}
	if len(running) > 0 {
		return fmt.Errorf("%s is being written by its shards, still running: %s; wait for them to finish (lock %s)", dir, strings.Join(running, ", "), he.Path)
	}
	return err
}
