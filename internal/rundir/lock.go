package rundir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/backstop-research/backstop/internal/dirglob"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
)

// Locks is what a process holds while it writes an output directory: the whole directory
// exclusively (a run, a merge, a sweep, a whole exploration, a calibration), or, for shard
// I of N, the directory shared with the other shards and its own shard exclusively. So
// shards of one array job run side by side, while a second writer of the same shard, a
// whole run, or a merge while any shard still runs is refused, naming the holder.
type Locks struct{ locks []*dirlock.Lock }

// Release gives the locks up.
func (l *Locks) Release() {
	if l == nil {
		return
	}
	for i := len(l.locks) - 1; i >= 0; i-- {
		l.locks[i].Release()
	}
	l.locks = nil
}

// LockPath is the lock file of output directory dir.
func LockPath(dir string) string { return filepath.Join(dir, dirlock.FileName) }

// ShardLockPath is the lock file of shard index/count of the output directory dir.
func ShardLockPath(dir string, index, count int) string {
	return filepath.Join(dir, results.ShardsDir, fmt.Sprintf(".shard-%d-of-%d.lock", index, count))
}

// Lock locks dir for a writer of shard index/count (the whole directory when count <= 1),
// creating dir; on a file system without locks it says so on log and goes on.
func Lock(dir string, index, count int, log io.Writer) (l *Locks, err error) {
	defer func() {
		if l != nil && len(l.locks) > 0 && l.locks[0].Unsupported() && log != nil {
			fmt.Fprintf(log, "backstop: WARNING: the file system of %s has no file locks: nothing stops a second process from writing it meanwhile\n", dir)
		}
	}()
	if count <= 1 {
		l, err := dirlock.Exclusive(LockPath(dir))
		if err != nil {
			return nil, ExplainHeld(dir, err)
		}
		return &Locks{locks: []*dirlock.Lock{l}}, nil
	}
	whole, err := dirlock.Shared(LockPath(dir))
	if err != nil {
		return nil, ExplainHeld(dir, err)
	}
	own, err := dirlock.Exclusive(ShardLockPath(dir, index, count))
	if err != nil {
		whole.Release()
		return nil, fmt.Errorf("shard %d/%d of %s: %w", index, count, dir, err)
	}
	return &Locks{locks: []*dirlock.Lock{whole, own}}, nil
}

// RemoveShardLocks removes the lock files of dir's shards that no process holds: for a
// writer that holds dir whole, and replaces its shards, they are bookkeeping of runs gone.
func RemoveShardLocks(dir string) {
	locks, _ := dirglob.Glob(dir, results.ShardsDir+"/.shard-*-of-*.lock")
	for _, l := range locks {
		if !dirlock.Held(l) {
			os.Remove(l)
		}
	}
}

// ExplainHeld turns a refused lock on dir into a message naming the holders: the shards
// still running, when the directory is held by shards.
func ExplainHeld(dir string, err error) error {
	var he *dirlock.HeldError
	if !errors.As(err, &he) {
		return err
	}
	locks, _ := dirglob.Glob(dir, results.ShardsDir+"/.shard-*-of-*.lock")
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
