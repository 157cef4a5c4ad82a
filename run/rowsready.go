package run

import (
	"errors"
	"sync"

	"github.com/backstop-research/backstop/sim"
)

// rowsReady tracks a chunk being sampled block by block (sim.BlockSize paths, in any
// order across workers) and tells the writer of its part when a prefix of its rows is
// final, so that the part's row groups are written while the rest of the chunk is
// sampled. A block is done once its last path is stored: a worker visits a block's paths
// in order.
type rowsReady struct {
	policies int
	paths    int // the chunk's paths

	mu       sync.Mutex
	changed  *sync.Cond
	done     []bool // per block
	prefix   int    // blocks [0, prefix) are all done
	finished bool   // the sampling has returned, with err
	err      error
}

// errChunkFailed abandons the part of a chunk whose sampling failed without an error of
// its own to report (the sampling's error goes to the caller).
var errChunkFailed = errors.New("the chunk's sampling failed")

func newRowsReady(paths, policies int) *rowsReady {
	r := &rowsReady{policies: policies, paths: paths, done: make([]bool, sim.Blocks(paths))}
	r.changed = sync.NewCond(&r.mu)
	return r
}

// stored records that the path at index i of the chunk (block b) is stored, which
// finishes block b when i is its last path.
func (r *rowsReady) stored(b, i int) {
	if i != min((b+1)*sim.BlockSize, r.paths)-1 {
		return
	}
	r.mu.Lock()
	r.done[b] = true
	advanced := false
	for r.prefix < len(r.done) && r.done[r.prefix] {
		r.prefix++
		advanced = true
	}
	r.mu.Unlock()
	if advanced {
		r.changed.Broadcast()
	}
}

// finish records that the sampling has returned, with err (nil: every row is final).
func (r *rowsReady) finish(err error) {
	r.mu.Lock()
	r.finished, r.err = true, err
	r.mu.Unlock()
	r.changed.Broadcast()
}

// wait waits until the first n rows are final; it returns an error if the sampling failed
// before they were, or failed at all: a failed chunk has no part.
func (r *rowsReady) wait(n int) error {
	blocks := sim.Blocks((n + r.policies - 1) / r.policies)
	r.mu.Lock()
	defer r.mu.Unlock()
	for !r.finished && r.prefix < blocks {
		r.changed.Wait()
	}
	if r.finished && r.err != nil {
		return errChunkFailed
	}
	return nil
}
