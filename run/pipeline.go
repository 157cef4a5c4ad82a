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
// of chunk c+1, and its part is mostly written while chunk c itself is sampled. The
// protocol:
//
//   - Chunk c's part is written as its rows come (startPart: a row group once its rows
//     are final, rowsReady), into a temporary file that takes the part's name only after
//     the chunk's checkpoint is on disk (partWrite.commit), as when the part was written
//     after it: a part on disk always has its checkpoint. A chunk whose sampling, or the
//     write before it, fails has its part abandoned (no file).
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

// partWrite is a chunk's part being written while the chunk is sampled (startPart).
type partWrite struct {
	commit chan error // nil once the chunk's checkpoint is on disk; else the part is abandoned
	done   chan error // the outcome of the part's write
	sum    string     // the part's SHA-256, set before done reports nil
}

// startPart begins writing chunk c's part from rows, on a goroutine of its own, a row
// group at a time as ready says its rows are final; the part takes its name once commit
// receives nil.
func (j *job) startPart(prov results.Provenance, c int, rows []sim.Result, ready *rowsReady) *partWrite {
	p := &partWrite{commit: make(chan error, 1), done: make(chan error, 1)}
	id := j.identity(c)
	prov.ID = &id
	path := filepath.Join(j.opt.OutDir, results.PathsDir, results.PartName(c))
	go func() {
		sum, err := results.WritePartStreamed(path, prov, j.cfg.Policies, rows, results.PartStream{
			Ready:  ready.wait,
			Commit: func() error { return <-p.commit },
		})
		p.sum = sum
		p.done <- err
	}()
	return p
}

// abandon ends p's write without a part on disk (for the reason err) and waits for it.
func (p *partWrite) abandon(err error) {
	p.commit <- err
	<-p.done
}

// startWrite folds chunk c's tallies and writes its checkpoint, atomically, on a new
// goroutine, then lets the chunk's part, being written since the chunk's sampling began,
// take its name. The folded tally, equal to the checkpoint's, is merged into running
// (unless nil) in between, and the chunk's rows are added to j.conv and j.figs (unless
// nil). A chunk is done when both files exist (a resumed run recomputes a chunk whose part
// is missing). The caller must not start the next write, or touch running, j.conv or
// j.figs, before tallied has reported.
func (j *job) startWrite(c int, rows []sim.Result, tally *chunkTally, running *Tally, part *partWrite) *chunkWrite {
	w := &chunkWrite{chunk: c, tallied: make(chan error, 1), err: make(chan error, 1)}
	go func() {
		n := len(rows) / j.l.policies
		id := j.identity(c)
		folded := foldChunk(tally, rows, id, n, running)
		if j.conv != nil {
			j.conv.add(c, rows, running, j.l)
		}
		j.figs.add(c, rows)
		sum, err := writeCheckpoint(j.opt.OutDir, folded, c)
		if err != nil {
			part.abandon(err)
			w.tallied <- err
			w.err <- err
			return
		}
		w.checkpointSum = sum
		part.commit <- nil
		w.tallied <- nil
		err = <-part.done
		w.partSum = part.sum
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

// start begins writing chunk c's checkpoint on a goroutine of its own, and lets its part
// be committed after; any previous write must have been settled.
func (w *chunkWriter) start(c int, rows []sim.Result, tally *chunkTally, running *Tally, part *partWrite) {
	w.inFlight = w.j.startWrite(c, rows, tally, running, part)
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
		<-cw.err // the same failure
		return lastPart, err
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
		n := j.chunkPaths(c)
		ready := newRowsReady(n, j.l.policies)
		part := j.startPart(prov, c, (*buf)[:n*j.l.policies], ready)
		rows, err := j.sampleChunk(context.WithoutCancel(ctx), sampler, c, *buf, (*tally).reuse(sim.Blocks(n)), &counter, ready)
		if err != nil {
			part.abandon(err)
			return nil, errors.Join(err, w.settle())
		}
		if err := w.settle(); err != nil {
			part.abandon(err)
			return nil, err
		}
		w.start(c, rows, *tally, running, part)
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
