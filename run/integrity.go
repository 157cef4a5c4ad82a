package run

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// ErrBadConfig marks (wrapped) a run refused before anything is written because its
// parameters cannot be run: sizes beyond the bounds or the machine's memory, or values
// that overflow on the first paths. The command exits 2 for it, as for any bad config.
var ErrBadConfig = errors.New("bad config")

// QuarantineDir receives the files backstop finds in a run directory but will not use
// (strays in paths/, damaged or foreign chunks): moved, never deleted.
const QuarantineDir = "quarantine"

// Bounds of a run's size, beyond any config anyone means.
const (
	MaxWorkers   = 1024
	MaxChunkSize = 10_000_000
)

// badFlag is a refused command-line flag: a usage error (errors.Is ErrBadConfig, exit
// status 2) whose message, unlike a config's, has no "bad config:" prefix.
type badFlag struct{ msg string }

func (e badFlag) Error() string        { return e.msg }
func (e badFlag) Is(target error) bool { return target == ErrBadConfig }

// checkSize refuses sizes beyond the bounds, and a run whose estimated memory exceeds the
// machine's, naming the estimate.
func checkSize(cfg sim.Config, opt Options) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadConfig}, args...)...)
	}
	if opt.Workers > MaxWorkers { // a flag, not the config: no "bad config:" prefix
		return badFlag{fmt.Sprintf("--workers %d is not allowed; use 0 (all cores) to %d", opt.Workers, MaxWorkers)}
	}
	if opt.ChunkSize > MaxChunkSize {
		return badFlag{fmt.Sprintf("--chunk-size %d is not allowed; use 1 to %d", opt.ChunkSize, MaxChunkSize)}
	}
	chunks := (int64(cfg.Paths) + int64(opt.ChunkSize) - 1) / int64(opt.ChunkSize)
	if chunks > results.MaxChunks {
		return bad("%d paths in chunks of %d make %d chunks; at most %d are allowed: use a larger --chunk-size", cfg.Paths, opt.ChunkSize, chunks, results.MaxChunks)
	}
	need := MemoryEstimate(cfg, opt)
	if have := physicalMemory(); have > 0 && need > have {
		return bad("this run would need about %s of memory (%d paths per chunk x %d policies x %d days, %d workers), more than the %s here; use a smaller --chunk-size, fewer --workers or fewer days",
			bytesString(need), min(opt.ChunkSize, cfg.Paths), len(cfg.Policies), cfg.Days, workerCount(opt.Workers), bytesString(have))
	}
	return nil
}

func workerCount(w int) int {
	if w > 0 {
		return w
	}
	return runtime.NumCPU()
}

// MemoryEstimate is the memory a run of cfg with opt needs, roughly: two chunks of rows,
// each worker's and the running tally's sketches, and the blocks' sums.
func MemoryEstimate(cfg sim.Config, opt Options) int64 {
	chunk := int64(opt.ChunkSize)
	if chunk <= 0 {
		chunk = DefaultChunkSize
	}
	chunk = min(chunk, int64(cfg.Paths))
	p := int64(len(cfg.Policies))
	groups := p * (int64(sim.NumSeries)*int64(cfg.Days) + int64(sim.NumMetrics))
	rows := 2 * chunk * p * int64(unsafe.Sizeof(sim.Result{}))
	sketch := int64(2048) // a sketch's bins, typically
	code := int64(4)      // a buffered value's bin code
	tallies := (int64(workerCount(opt.Workers)) + 3) * groups * (code*bufferedPaths + sketch)
	blockSums := 2 * (chunk/sim.BlockSize + 1) * groups * 8
	return rows + tallies + blockSums + 64<<20 // and the program itself
}

// physicalMemory is the machine's memory in bytes (0 when unknown).
func physicalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func bytesString(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	default:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
}

// preflightPaths is how many paths preflight simulates.
const preflightPaths = 64

// preflight simulates the first paths of the run and refuses parameters that make any
// output non-finite (or too large to tally) there, before anything is written.
func preflight(model *sim.Model, cfg sim.Config) error {
	n := min(cfg.Paths, preflightPaths)
	check := &finiteCheck{}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Workers: 1, Seed: cfg.Seed}
	if err := s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, days [][]float64) {
		check.visit(cfg.Policies, res, days)
	}); err != nil {
		return err
	}
	if err := check.err(); err != nil {
		return fmt.Errorf("%w: %v on the first %d paths: the parameters overflow; bring the extreme values back into range", ErrBadConfig, err, n)
	}
	return nil
}

// maxTallied is the largest magnitude the band sketches hold with room to spare.
const maxTallied = 1e300

// finiteCheck records the first output of a path that the tallies cannot hold.
type finiteCheck struct {
	mu    sync.Mutex
	first error
}

// visit checks one path's results and daily series; false when one is unusable. All of
// them at once first (allWithin, in vectors where it can), then, only on a path that fails,
// one by one for the first unusable value, in the order metrics, then series.
func (f *finiteCheck) visit(policies []string, res []sim.Result, days [][]float64) bool {
	if usable(res, days) {
		return true
	}
	for _, r := range res {
		for m, v := range r.Values {
			if !(math.Abs(v) <= maxTallied) {
				f.record(fmt.Errorf("path %d, policy %s: %s is %v", r.Path, policies[r.Policy], sim.Metrics[m].Name, v))
				return false
			}
		}
	}
	for k, d := range days {
		for i, v := range d {
			if !(math.Abs(v) <= maxTallied) {
				f.record(fmt.Errorf("path %d, policy %s: daily series value %d is %v", res[0].Path, policies[k], i, v))
				return false
			}
		}
	}
	return true
}

// usable reports whether the tallies can hold every one of a path's metrics and daily
// series values.
func usable(res []sim.Result, days [][]float64) bool {
	for k := range res {
		if !allWithin(res[k].Values[:], maxTallied) {
			return false
		}
	}
	for _, d := range days {
		if !allWithin(d, maxTallied) {
			return false
		}
	}
	return true
}

func (f *finiteCheck) record(err error) {
	f.mu.Lock()
	if f.first == nil {
		f.first = err
	}
	f.mu.Unlock()
}

func (f *finiteCheck) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.first
}

// interrupted returns an error wrapping ErrInterrupted once the run's context is
// cancelled: the finish phase stops there, the manifest says incomplete, and --resume
// finishes it from the checkpoints. The command prints the error; nothing else says it.
func (j *job) interrupted() error {
	if j.ctx == nil || j.ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("%w while finishing; every chunk is on disk; resume with: %s", ErrInterrupted, j.resumeCommand())
}

// replacedError says that the file name has the SHA-256 sum where the manifest records
// want.
func replacedError(name, sum, want string) error {
	return fmt.Errorf("%s is damaged or was replaced: its SHA-256 is %s, the manifest records %s", name, sum[:12], short(want))
}

// checkEntry checks that e's part and checkpoint in dir have the checksums e records.
func checkEntry(dir string, e results.ChunkEntry) error {
	for _, f := range [][2]string{{e.Part, e.PartSHA256}, {e.Checkpoint, e.CheckpointSHA256}} {
		sum, err := results.FileSHA256(filepath.Join(dir, f[0]))
		if err != nil {
			return fmt.Errorf("%s: %w", f[0], err)
		}
		if sum != f[1] {
			return replacedError(f[0], sum, f[1])
		}
	}
	return nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// checkChunk decodes chunk e's part in full and its checkpoint, and checks both against
// want, the chunk's identity, and e's row and path counts.
func checkChunk(dir string, l layout, want results.Identity, e results.ChunkEntry, allowVersion bool) error {
	md, rows, err := results.DecodePart(filepath.Join(dir, e.Part))
	if err != nil {
		return err
	}
	if rows != e.Rows {
		return fmt.Errorf("%s holds %d rows, want %d", e.Part, rows, e.Rows)
	}
	if d := want.Mismatch(results.IdentityOf(md), allowVersion); d != "" {
		return fmt.Errorf("%s belongs to another run: %s", e.Part, d)
	}
	_, err = readCheckpoint(dir, l, want, int(e.EndPath-e.FirstPath), allowVersion)
	return err
}

// quarantine moves files (those that exist) of the run in dir to dir/quarantine/, keeping
// their path under it (a numbered suffix if a file of that name is there already), and
// says so on log.
func quarantine(dir string, log io.Writer, why string, files ...string) error {
	for _, f := range files {
		if _, err := os.Lstat(f); err != nil {
			continue
		}
		rel, err := filepath.Rel(dir, f)
		if err != nil || !filepath.IsLocal(rel) { // a hand-edited manifest's: never moved
			return fmt.Errorf("quarantine %s: not inside %s, so not moved", printable.Name(f), printable.Name(dir))
		}
		dst := filepath.Join(dir, QuarantineDir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("quarantine %s: %w", f, err)
		}
		for i := 1; ; i++ {
			if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
				break
			}
			dst = filepath.Join(dir, QuarantineDir, fmt.Sprintf("%s.%d", rel, i))
		}
		if err := os.Rename(f, dst); err != nil {
			return fmt.Errorf("quarantine %s: %w", f, err)
		}
		fmt.Fprintf(log, "backstop: moved %s (%s) to %s\n", printable.Name(filepath.ToSlash(rel)), why, printable.Name(filepath.ToSlash(filepath.Join(QuarantineDir, filepath.Dir(rel))))+"/")
	}
	return nil
}

// strays returns the files in dir's paths/ and tallies/ that m's index does not list
// (hidden files, such as writes in progress, aside).
func strays(dir string, listed map[string]bool) []string {
	var out []string
	for _, sub := range []string{results.PathsDir, TalliesDir} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			rel := filepath.Join(sub, e.Name())
			if strings.HasPrefix(e.Name(), ".") || listed[rel] {
				continue
			}
			out = append(out, filepath.Join(dir, rel))
		}
	}
	return out
}

func listedFiles(m *results.Manifest) map[string]bool {
	listed := map[string]bool{}
	for _, e := range m.Index {
		listed[e.Part], listed[e.Checkpoint] = true, true
	}
	return listed
}

// quarantineStrays moves whatever paths/ and tallies/ hold besides m's index to
// quarantine/, so that a reader of paths/ as a dataset (pandas, R, DuckDB) reads exactly
// the run's parts.
func quarantineStrays(dir string, m *results.Manifest, log io.Writer) error {
	s := strays(dir, listedFiles(m))
	if len(s) == 0 {
		return nil
	}
	return quarantine(dir, log, "not part of this run", s...)
}
