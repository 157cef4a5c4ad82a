package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// DefaultChunkSize is the number of paths written per Parquet part.
const DefaultChunkSize = 50_000

// ErrInterrupted is returned (wrapped) when a run stops early because its context was
// cancelled: the chunks in flight were finished and written, the manifest says
// incomplete, and the run can be resumed.
var ErrInterrupted = errors.New("interrupted")

// Options configure a run.
type Options struct {
	Config    sim.Config // validated scenario; Paths and Seed are the run's
	OutDir    string     // run directory
	Workers   int        // sampler goroutines, 0 for all cores
	ChunkSize int        // paths per part, 0 for DefaultChunkSize
	Figures   bool       // draw the figures after the run
	Command   string     // the command line, recorded in the manifest
	Log       io.Writer  // notes (resuming, shard, interruption); nil for none
	Progress  Progress   // progress reports while sampling

	// Resume finishes the run already in OutDir: its config, seed and chunk size must equal
	// these, chunks whose part and checkpoint are on disk are kept, the rest are computed.
	Resume bool
	// Force replaces a run already in OutDir (finished or not) instead of refusing.
	Force bool
	// Shard, when Count > 1, computes only shard Index (1-based) of Count: a contiguous
	// range of chunks. Its manifest goes under shards/; `merge` finishes the run.
	Shard ShardSpec
	// Created, when not zero, is the run's creation time instead of now (a sweep's grid
	// points take the sweep's); a resumed run keeps the time it was created.
	Created time.Time
	// AllowVersionChange lets --resume (and merge) finish a run begun by another version
	// of backstop; without it that is refused, since the versions' results may differ.
	// A run whose manifest lists several versions (results.ChangeAllowed) had it given
	// already: its last version resumes it again without.
	AllowVersionChange bool
	// Target, when set, stops sampling at the first chunk boundary where the target
	// precision is reached (Config.Paths is then the most paths to draw).
	Target *Target
	// ReturnMemory, for a process that ends after this run (the run command), returns the
	// memory sampling used to the system while a run without figures finishes, on a
	// goroutine of its own (one core is idle then), so that the kernel has that much less
	// to free at exit (some 10 ms at 200,000 paths). Leave it false in a process that runs
	// more (sweep, explore): their next run would fault those pages in again.
	ReturnMemory bool
}

// ShardSpec names one shard of a run split in Count (1-based Index).
type ShardSpec struct{ Index, Count int }

// Outcome is what a finished run produced.
type Outcome struct {
	Dir      string
	Manifest *results.Manifest
	Summary  []results.SummaryRow // nil for a shard: merge writes it
	Effects  []results.EffectRow  // paired policy effects; nil for a shard
	Figures  []string
}

// Execute runs the scenario of opt.Config into opt.OutDir (or resumes it, or computes one
// shard of it). On interruption it returns an error wrapping ErrInterrupted.
//
// A run is four steps, each in a file of its own:
//
//  1. plan (plan.go, directory.go, lock.go): resolve the chunks this process computes,
//     check and lock the output directory, and read what a resumed run already has on
//     disk;
//  2. sample (sample.go): simulate one chunk of paths into its rows and a chunk tally, on
//     the sampler's workers;
//  3. write (pipeline.go): fold the chunk's tally, write its checkpoint and Parquet part
//     and list them in the manifest, while the next chunk is sampled;
//  4. finish (finish.go): from every chunk's tally merged in chunk order, the bands, the
//     tables, the report, the figures and the complete manifest.
//
// pipeline.go holds all of the run's own concurrency and states its protocol; the
// sampler's is sim.Sampler's.
func Execute(ctx context.Context, opt Options) (out *Outcome, err error) {
	j, err := plan(opt)
	if err != nil {
		return nil, err
	}
	j.ctx = ctx
	model, err := sim.NewModel(j.cfg)
	if err != nil {
		return nil, err
	}
	if err := preflight(model, j.cfg); err != nil {
		return nil, err
	}
	if err := checkOutDir(j); err != nil {
		return nil, err
	}
	lock, err := lockRun(opt.OutDir, opt.Shard, j.opt.Log)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	man, done, err := j.prepare()
	if j.waitClear != nil {
		defer j.waitClear() // no return leaves the previous run's removal running
	}
	if err != nil {
		return nil, err
	}
	defer func() { // last resort: a bug is a runtime failure recorded in the manifest
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (please report it): %v\n%s", r, debug.Stack())
			// As any failure: the command that finishes the run, from the chunks on disk.
			man.Status, man.Error, man.Resume = results.StatusFailed, fmt.Sprint(r), j.resumeCommand()
			results.WriteManifestFile(j.manifestPath, man)
			out = nil
		}
	}()
	if err := j.makeDirs(); err != nil {
		return j.fail(man, err)
	}

	prov := j.provenance(man)
	// The chunks so far, merged in chunk order as they are written (or read back, for those
	// on disk when resuming): the run's totals at the end, and what a precision target is
	// checked against. A shard leaves them to merge.
	var running *Tally
	if opt.Target != nil || j.opt.Shard.Count <= 1 {
		running = newTally(j.l)
	}
	if running != nil && j.opt.Shard.Count <= 1 {
		j.conv = newConvergenceTally(j.cfg.Policies, int64(j.cfg.Paths), j.cfg.Market.BDys)
		if opt.Figures {
			if j.figs, err = newFigureRows(j.cfg.Policies, j.cfg.Paths, MaxFigurePaths); err != nil {
				return j.fail(man, err)
			}
		}
	}
	lastPart, err := j.sampleAndWrite(ctx, model, man, done, prov, running)
	if err != nil {
		return j.fail(man, err)
	}
	if opt.ReturnMemory && !opt.Figures && j.opt.Shard.Count <= 1 {
		defer returnMemory(lastPart)()
	}
	if opt.Target != nil && j.end == j.chunks && running != nil {
		reached := j.reached(running)
		man.TargetReached = &reached
		if !reached {
			fmt.Fprintf(j.opt.Log, "backstop: target precision %s NOT reached: all %d paths (--paths) drawn; the results are those of %d paths\n", opt.Target, j.cfg.Paths, j.cfg.Paths)
		} else {
			fmt.Fprintf(j.opt.Log, "backstop: target precision %s reached after %d paths, of at most %d\n", opt.Target, j.cfg.Paths, man.MaxPaths)
		}
	}
	if j.opt.Shard.Count > 1 {
		man.Status = results.StatusComplete
		man.Finished = time.Now().UTC().Format(time.RFC3339)
		if err := results.WriteManifestFile(j.manifestPath, man); err != nil {
			return nil, err
		}
		return &Outcome{Dir: opt.OutDir, Manifest: man}, nil
	}
	out, err = finish(j, man, prov, running, lastPart)
	if err != nil {
		return j.fail(man, errors.Join(err, lastPart()))
	}
	return out, nil
}

// fail records err in the manifest (incomplete with a resume command when interrupted,
// else failed), with every chunk whose write finished, and returns it.
func (j *job) fail(man *results.Manifest, err error) (*Outcome, error) {
	man.Status, man.Error = results.StatusFailed, err.Error()
	if errors.Is(err, ErrInterrupted) {
		man.Status, man.Error = results.StatusIncomplete, "interrupted"
	}
	if man.Status != results.StatusComplete {
		man.Resume = j.resumeCommand()
	}
	j.index(man) // every chunk whose write finished
	if werr := results.WriteManifestFile(j.manifestPath, man); werr != nil {
		// The manifest, which would say how to finish the run, could not record it (a full
		// disk, a directory made read-only): the error says it instead.
		err = errors.Join(err, fmt.Errorf("%w; once it can be written, finish the run with: %s", werr, man.Resume))
	}
	return nil, err
}

// makeDirs creates the directories of the parts and the checkpoints.
func (j *job) makeDirs() error {
	for _, sub := range []string{results.PathsDir, TalliesDir} {
		if err := os.MkdirAll(filepath.Join(j.opt.OutDir, sub), 0o755); err != nil {
			return fmt.Errorf("create output directory: %w", err)
		}
	}
	return nil
}

// returnMemory returns the heap's free memory to the system (debug.FreeOSMemory) on a
// goroutine of its own once the last part is written (whose rows are the last of the
// chunks' row buffers in use), and returns the wait for it. Pages returned are freed now,
// beside the finish's writes on one core, instead of by the kernel at exit, on one core
// with nothing else left to do.
func returnMemory(lastPart func() error) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		lastPart()
		debug.FreeOSMemory()
	}()
	return func() { <-done }
}
