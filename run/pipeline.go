package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// This file holds the run's own concurrency: the write of chunk c overlaps the sampling
// of chunk c+1. The protocol:
//
//   - At most one write is in flight (chunkWriter.inFlight), on a goroutine of its own
//     (startWrite). The writes, and the manifest updates after them, happen one chunk at
//     a time in chunk order.
//   - The write reports on two buffered channels, in this order, and is read in this
//     order: tallied, once the chunk's checkpoint is written and its tally merged into
//     the running totals; then err, once its Parquet part is written too (err repeats a
//     failure tallied reported).
//   - The loop on the calling goroutine does not touch the running totals, nor start the
//     next write, before the write in flight has reported on tallied: settle reads both
//     channels, detachLast only tallied, handing err to finish.
//   - Two row buffers and two chunk tallies take turns (chunk c uses c%2): chunk c+1 is
//     sampled into the pair chunk c-1 used, whose write was settled before chunk c's
//     began.
//   - A chunk once started is sampled and written to the end, even when the run is
//     interrupted meanwhile; an interruption is acted on between chunks, after settling
//     the write in flight, so every chunk listed in the manifest is whole on disk.

// chunkWrite is a chunk's checkpoint and part being written: tallied receives the outcome
// of the checkpoint and the merge into the running tally, then err that of the whole.
type chunkWrite struct {
	chunk   int
	tallied chan error
	err     chan error
	// The checksums of the files written, for the index: set before err reports nil.
	partSum, checkpointSum string
}

// startWrite folds chunk c's tallies and writes its checkpoint and then its part, each
// atomically, on a new goroutine. The folded tally, equal to the checkpoint's, is merged
// into running (unless nil) in between. A chunk is done when both files exist (a resumed
// run recomputes a chunk whose part is missing). The caller must not start the next
// write, or touch running, before tallied has reported.
func (j *job) startWrite(prov results.Provenance, c int, rows []sim.Result, tally *chunkTally, running *Tally) *chunkWrite {
	w := &chunkWrite{chunk: c, tallied: make(chan error, 1), err: make(chan error, 1)}
	go func() {
		n := len(rows) / j.l.policies
		id := j.identity(c)
		sum, err := writeCheckpoint(j.opt.OutDir, foldChunk(tally, rows, id, n, running), c)
		if err != nil {
			w.tallied <- err
			w.err <- err
			return
		}
		w.checkpointSum = sum
		w.tallied <- nil
		part := filepath.Join(j.opt.OutDir, results.PathsDir, results.PartName(c))
		prov.ID = &id
		w.partSum, err = results.WritePartSum(part, prov, j.cfg.Policies, rows)
		w.err <- err
	}()
	return w
}

// chunkWriter is the write in flight and what settling it updates: the chunks done and
// the manifest's index.
type chunkWriter struct {
	j        *job
	man      *results.Manifest
	done     []bool
	inFlight *chunkWrite
}

// start begins writing chunk c on a goroutine of its own; any previous write must have
// been settled.
func (w *chunkWriter) start(prov results.Provenance, c int, rows []sim.Result, tally *chunkTally, running *Tally) {
	w.inFlight = w.j.startWrite(prov, c, rows, tally, running)
}

// settle waits for the write in flight, if any, to end; when it succeeded, marks its
// chunk done and writes the manifest listing it.
func (w *chunkWriter) settle() error {
	if w.inFlight == nil {
		return nil
	}
	cw := w.inFlight
	w.inFlight = nil
	<-cw.tallied // err reports the same failure, if any
	if err := <-cw.err; err != nil {
		return err
	}
	w.done[cw.chunk] = true
	w.j.entries[cw.chunk] = w.j.entry(cw.chunk, cw.partSum, cw.checkpointSum)
	w.j.index(w.man)
	return results.WriteManifestFile(w.j.manifestPath, w.man)
}

// detachLast hands the last write in flight of a whole run to finish: finish works from
// the tallies meanwhile, which are complete once tallied has reported, and waits for the
// part only to read it back (the function returned). A shard's last write is left to
// settle.
func (w *chunkWriter) detachLast() (lastPart func() error, err error) {
	lastPart = func() error { return nil }
	if w.inFlight == nil || w.j.opt.Shard.Count > 1 {
		return lastPart, nil
	}
	cw := w.inFlight
	w.inFlight = nil
	if err := <-cw.tallied; err != nil {
		return lastPart, errors.Join(err, <-cw.err)
	}
	return sync.OnceValue(func() error {
		err := <-cw.err
		if err == nil {
			w.j.entries[cw.chunk] = w.j.entry(cw.chunk, cw.partSum, cw.checkpointSum)
		}
		return err
	}), nil
}

// sampleAndWrite samples the chunks [j.first, j.end) not yet done, in order, and writes
// each (its checkpoint and part, then the manifest listing it) while the next one is
// sampled; the chunks done before (a resumed run) are read back from their checkpoints
// instead. Every chunk's tally is merged into running (unless nil) in chunk order. It
// returns, for finish, the wait for the last part (see detachLast).
func (j *job) sampleAndWrite(ctx context.Context, model *sim.Model, man *results.Manifest, done []bool, prov results.Provenance, running *Tally) (func() error, error) {
	sampler := &sim.Sampler{Model: model, Policies: j.cfg.Policies, Workers: j.opt.Workers, Seed: j.cfg.Seed}
	var todo int64
	for c := j.first; c < j.end; c++ {
		if !done[c] {
			todo += int64(j.chunkPaths(c))
		}
	}
	var counter atomic.Int64
	stopProgress := j.opt.Progress.start(todo, &counter)
	defer stopProgress()

	w := &chunkWriter{j: j, man: man, done: done}
	var rowBufs [2][]sim.Result
	var tallies [2]*chunkTally
	for c := j.first; c < j.end; c++ {
		if j.opt.Target != nil && c > j.first && j.reached(running) {
			j.stopAt(c, man)
			break
		}
		if done[c] {
			if err := w.settle(); err != nil { // the chunk before is merged first
				return nil, err
			}
			if err := j.mergeCheckpoint(running, c); err != nil {
				return nil, err
			}
			continue
		}
		if ctx.Err() != nil {
			if err := w.settle(); err != nil {
				return nil, err
			}
			stopProgress()
			return nil, fmt.Errorf("%w: %d of %d chunks on disk; resume with: %s", ErrInterrupted, j.doneCount(done), j.end-j.first, j.resumeCommand())
		}
		buf := &rowBufs[c%2]
		if *buf == nil {
			*buf = make([]sim.Result, min(j.opt.ChunkSize, j.cfg.Paths)*j.l.policies)
		}
		tally := &tallies[c%2]
		if *tally == nil {
			*tally = newChunkTally(j.l, sampler.WorkerCount(), sim.Blocks(j.chunkPaths(c)))
		}
		rows, err := j.sampleChunk(context.WithoutCancel(ctx), sampler, c, *buf, (*tally).reuse(sim.Blocks(j.chunkPaths(c))), &counter)
		if err != nil {
			return nil, errors.Join(err, w.settle())
		}
		if err := w.settle(); err != nil {
			return nil, err
		}
		w.start(prov, c, rows, *tally, running)
		if j.opt.Target != nil {
			// A precision target decides on the next chunk from the totals with this one.
			if err := w.settle(); err != nil {
				return nil, err
			}
		}
	}
	lastPart, err := w.detachLast()
	if err != nil {
		return nil, err
	}
	if err := w.settle(); err != nil {
		return nil, err
	}
	return lastPart, nil
}
