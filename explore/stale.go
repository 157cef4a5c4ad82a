package explore

import (
	"path/filepath"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/results"
)

// removeStaleTemps removes, under the lock, the temporary files of writes that a killed
// exploration cut short (atomicfile: never renamed into place, so never part of it). A
// whole exploration (or a merge) removes every one in dir and the directories it writes
// in; a shard only those of its own chunks [first, end) and its manifest mpath, since the
// other shards may be writing theirs now. The runs kept in full (runs/) are run
// directories, whose own runs remove theirs. A subdirectory that is a symbolic link is
// left alone: what is behind it is not the exploration's.
func removeStaleTemps(dir, mpath string, shard bool, first, end int) {
	if !shard {
		rundir.RemoveStaleIn(dir, []string{EvaluationsDir, results.FiguresDir, results.ShardsDir})
		return
	}
	chunks := make([]string, 0, end-first)
	for c := first; c < end; c++ {
		chunks = append(chunks, filepath.Base(chunkPath(dir, c)))
	}
	if rundir.IsRealDir(filepath.Join(dir, EvaluationsDir)) {
		atomicfile.RemoveStaleOf(filepath.Join(dir, EvaluationsDir), chunks...)
	}
	if mdir := filepath.Dir(mpath); mdir == filepath.Clean(dir) || rundir.IsRealDir(mdir) {
		atomicfile.RemoveStaleOf(mdir, filepath.Base(mpath))
	}
}
