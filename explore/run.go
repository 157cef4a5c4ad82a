package explore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// Files and directories of an explore directory.
const (
	EvaluationsDir  = "evaluations"
	SamplesFile     = "samples.parquet"
	SensitivityCSV  = "sensitivity.csv"
	SensitivityFile = "sensitivity.parquet"
	BoxesFile       = "boxes.csv"
	Kind            = "explore" // Manifest.Kind
)

// ChunkSize is the number of evaluations per file under evaluations/: the unit of resume.
const ChunkSize = 16

// Evaluation statuses.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Evaluation is one evaluation of the design: its parameter values and either its
// summary or the reason it failed.
type Evaluation struct {
	Index  int              `json:"index"`
	Values []float64        `json:"values"` // one per parameter, in file order
	Status string           `json:"status"` // StatusOK or StatusFailed
	Reason string           `json:"reason,omitempty"`
	Result *evaluate.Result `json:"result,omitempty"`
}

// Manifest is an explore directory's manifest.json.
type Manifest struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          string   `json:"tool"`
	Kind          string   `json:"kind"`
	Version       string   `json:"version"`
	Versions      []string `json:"versions,omitempty"` // each version that wrote it, when more than one (results.Versions)
	Status        string   `json:"status"`
	Name          string   `json:"name"`
	Design        string   `json:"design"`
	Samples       int      `json:"samples"`
	Evaluations   int      `json:"evaluations"`
	Failed        int      `json:"failed"`
	Paths         int      `json:"paths"` // per evaluation
	Seed          uint64   `json:"seed"`  // of every evaluation: common random numbers
	Policies      []string `json:"policies"`
	Parameters    []string `json:"parameters"`
	ChunkSize     int      `json:"chunk_size"`
	Chunks        int      `json:"chunks"`
	Created       string   `json:"created"`
	Finished      string   `json:"finished,omitempty"`
	Command       string   `json:"command,omitempty"`
	Error         string   `json:"error,omitempty"`
	Shard         *Shard   `json:"shard,omitempty"` // set in a shard's manifest
	// KeepRuns records the evaluations asked to be run in full (Options.KeepRuns), sorted,
	// [] for none, so that a resume keeps the same runs; nil (absent) in a manifest
	// written before it was recorded.
	KeepRuns []int    `json:"keep_runs"`
	KeptRuns []string `json:"kept_runs,omitempty"` // the run directories written, relative
	// Outputs lists the files the exploration wrote besides its manifest and kept runs
	// (paths relative to the directory): its tables, chunks of evaluations, shard
	// manifests and figures, so that --force removes exactly them; OutputSHA256 the SHA-256
	// of each as written, so that verify checks them. A manifest of an earlier version
	// lists the figures alone, without checksums.
	Outputs      []string          `json:"outputs,omitempty"`
	OutputSHA256 map[string]string `json:"output_sha256,omitempty"`
	// ConfigSHA256 is the SHA-256 of Config: with Seed and Design, the identity every
	// chunk of evaluations carries.
	ConfigSHA256 string `json:"config_sha256,omitempty"`
	Config       string `json:"config"` // the resolved explore file, YAML
}

// Shard says which chunks of evaluations a shard process computes: shard Index of Count
// (1-based), the chunks [FirstChunk, EndChunk).
type Shard struct {
	Index      int `json:"index"`
	Count      int `json:"count"`
	FirstChunk int `json:"first_chunk"`
	EndChunk   int `json:"end_chunk"`
}

// Options configure Run.
type Options struct {
	OutDir  string
	Workers int       // cores for the evaluations, 0 for all: several run at once, each on its share
	Command string    // recorded in the manifest
	Log     io.Writer // progress lines; nil for none
	Resume  bool      // finish the interrupted exploration in OutDir
	Force   bool      // replace an exploration already in OutDir
	Figures bool      // draw the figures
	// FigureFormats are the figures' formats (png, pdf, svg); plots.DefaultFormats when empty.
	FigureFormats []string
	// Shard, when Count > 1, computes only shard Index (1-based) of Count: a contiguous
	// range of chunks, with its manifest under shards/. Merge finishes the exploration.
	Shard run.ShardSpec
	// KeepRuns lists evaluations (by index) to also run in full, each as a run directory
	// runs/<index> with its per-path parts, bands, summary and figures. The manifest
	// records them: on Resume (or a shard run again), nil takes the recorded ones, and a
	// list naming others is refused (Manifest.ResumeKeepRuns).
	KeepRuns []int
	// AllowVersionChange lets Resume (or a shard run again) finish an exploration begun by
	// another version of backstop; the manifest then lists the versions that wrote it
	// (versions).
	AllowVersionChange bool
}

// Outcome is what a finished exploration produced.
type Outcome struct {
	Dir         string
	Manifest    *Manifest
	Evaluations []Evaluation
	Sensitivity []results.TableColumn
	Boxes       int // rows of boxes.csv, 0 without discover
	Figures     []string
}

// ReadManifest reads the manifest of the exploration in dir.
func ReadManifest(dir string) (*Manifest, error) {
	return readManifestFile(filepath.Join(dir, results.ManifestFile))
}

func readManifestFile(path string) (*Manifest, error) {
	data, err := regular.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Kind != Kind {
		return nil, fmt.Errorf("%s is not an exploration's manifest (kind %q)", path, m.Kind)
	}
	return &m, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.Write(path, func(f *os.File) error {
		_, err := f.Write(append(data, '\n'))
		return err
	})
}

func chunkPath(dir string, c int) string {
	return filepath.Join(dir, EvaluationsDir, fmt.Sprintf("chunk-%05d.json", c))
}

// Run evaluates every point of the design in p into opt.OutDir, chunk by chunk, and then
// writes the samples, the indices and the boxes. Resuming keeps the chunks on disk (each is
// complete: chunks are written atomically) and computes the rest, so the outputs equal an
// uninterrupted run's. On interruption it returns an error wrapping context.Canceled.
func Run(ctx context.Context, p *Plan, opt Options) (*Outcome, error) {
	yml, err := p.YAML()
	if err != nil {
		return nil, fmt.Errorf("encode explore file: %w", err)
	}
	values, err := p.Values()
	if err != nil {
		return nil, err
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	dir := opt.OutDir
	prov := results.NewProvenance(string(yml), p.Seed, int64(p.Paths))
	man := &Manifest{
		SchemaVersion: results.SchemaVersion, Tool: "backstop", Kind: Kind, Version: prov.Version,
		Status: results.StatusRunning, Name: p.Name, Design: p.Design, Samples: p.Samples,
		Evaluations: len(values), Paths: p.Paths, Seed: p.Seed, Policies: p.Policies(), Parameters: p.Keys(),
		ChunkSize: ChunkSize, Chunks: (len(values) + ChunkSize - 1) / ChunkSize,
		Created: prov.Created.Format(time.RFC3339), Command: opt.Command, Config: string(yml),
		ConfigSHA256: results.ConfigSHA256(string(yml)), KeepRuns: sortedKeepRuns(opt.KeepRuns),
	}
	first, end := 0, man.Chunks
	mpath := filepath.Join(dir, results.ManifestFile)
	if opt.Shard.Count > 1 {
		first, end = run.ShardChunks(man.Chunks, opt.Shard.Index, opt.Shard.Count)
		man.Shard = &Shard{Index: opt.Shard.Index, Count: opt.Shard.Count, FirstChunk: first, EndChunk: end}
		mpath = filepath.Join(dir, results.ShardsDir, results.ShardManifestName(opt.Shard.Index, opt.Shard.Count))
	}
	if err := rundir.Check(dir, "exploration", func(e os.DirEntry) bool {
		// the other shards of this exploration write these
		return opt.Shard.Count > 1 && e.IsDir() && (e.Name() == results.ShardsDir || e.Name() == EvaluationsDir || e.Name() == RunsDir)
	}); err != nil {
		return nil, err
	}
	locks, err := rundir.Lock(dir, opt.Shard.Index, opt.Shard.Count, opt.Log)
	if err != nil {
		return nil, err
	}
	defer locks.Release()
	if err := prepare(dir, mpath, man, opt); err != nil {
		return nil, err
	}
	removeStaleTemps(dir, mpath, man.Shard != nil, first, end)
	opt.KeepRuns = man.KeepRuns // on resume, the recorded ones
	id := man.chunkIdentity()
	fail := func(err error) (*Outcome, error) {
		man.Status, man.Error = results.StatusFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			man.Status, man.Error = results.StatusIncomplete, "interrupted"
		}
		return nil, errors.Join(err, writeJSON(mpath, man))
	}
	evals := make([]Evaluation, 0, len(values))
	start := time.Now()
	for c := first; c < end; c++ {
		first, end := c*ChunkSize, min((c+1)*ChunkSize, len(values))
		chunk, ok, err := readChunk(chunkPath(dir, c), id, c, first, end, values)
		if err != nil {
			return fail(err)
		}
		if !ok {
			if chunk, err = evaluateChunk(ctx, p, first, end, values, opt.Workers); err != nil {
				return fail(err)
			}
			if err := writeJSON(chunkPath(dir, c), chunkFile{Identity: id.of(c), Evaluations: chunk}); err != nil {
				return fail(err)
			}
		}
		evals = append(evals, chunk...)
		fmt.Fprintf(opt.Log, "explore: %d/%d evaluations (%.0fs)\n", end, len(values), time.Since(start).Seconds())
	}
	for _, e := range evals {
		if e.Status == StatusFailed {
			man.Failed++
		}
	}
	kept, err := keepRuns(ctx, p, dir, evals, opt)
	if err != nil {
		return fail(err)
	}
	man.KeptRuns = kept
	if man.Shard != nil {
		if err := man.recordChunks(dir, first, end); err != nil {
			return fail(err)
		}
		man.Status, man.Finished = results.StatusComplete, time.Now().UTC().Format(time.RFC3339)
		if err := writeJSON(mpath, man); err != nil {
			return nil, err
		}
		return &Outcome{Dir: dir, Manifest: man, Evaluations: evals}, nil
	}
	out, err := finish(dir, p, prov, evals, opt)
	if err != nil {
		return fail(err)
	}
	if err := man.recordOutputs(dir, out.Figures); err != nil {
		return fail(err)
	}
	man.Status = results.StatusComplete
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := writeJSON(filepath.Join(dir, results.ManifestFile), man); err != nil {
		return nil, err
	}
	out.Manifest = man
	return out, nil
}

// prepare checks what OutDir holds and writes the running manifest at mpath: a new
// directory, a resumed exploration of the same file (its creation time kept), or with
// Force a replaced one. A shard resumes its own unfinished manifest without asking (array
// jobs are requeued), and never removes what other shards wrote.
func prepare(dir, mpath string, man *Manifest, opt Options) error {
	_, statErr := os.Stat(mpath)
	exists := statErr == nil
	if man.Shard != nil {
		if m, err := ReadManifest(dir); err == nil && m.Status == results.StatusComplete && !opt.Force {
			return fmt.Errorf("the exploration in %s is already merged and complete; use --force to compute shard %d/%d again", dir, man.Shard.Index, man.Shard.Count)
		}
		if old, err := readManifestFile(mpath); err == nil {
			if old.Config != man.Config {
				return fmt.Errorf("shard manifest %s records a different explore file; use another --out", mpath)
			}
			if old.Status == results.StatusComplete && !opt.Force {
				return fmt.Errorf("shard %d/%d in %s is already complete; use --force to compute it again", man.Shard.Index, man.Shard.Count, dir)
			}
			if !opt.Force {
				ways := "run the shard again with --allow-version-change to resume it anyway, or with --force to start it over"
				if err := results.CheckResumeVersion(fmt.Sprintf("shard %d/%d in %s", man.Shard.Index, man.Shard.Count, dir), old.Version, opt.AllowVersionChange, "evaluations", ways); err != nil {
					return err
				}
				man.Versions = results.Versions(man.Version, results.WrittenBy(old.Versions, old.Version))
				keep, err := old.ResumeKeepRuns(opt.KeepRuns)
				if err != nil {
					return fmt.Errorf("shard %d/%d in %s: %w", man.Shard.Index, man.Shard.Count, dir, err)
				}
				man.KeepRuns = keep
			} else if err := old.removeOwnRuns(dir); err != nil {
				return err
			}
			man.Created = old.Created
		}
		if err := os.MkdirAll(filepath.Join(dir, results.ShardsDir), 0o755); err != nil {
			return fmt.Errorf("create output directory: %w", err)
		}
		if err := os.MkdirAll(filepath.Join(dir, EvaluationsDir), 0o755); err != nil {
			return fmt.Errorf("create output directory: %w", err)
		}
		return writeJSON(mpath, man)
	}
	switch {
	case opt.Resume:
		old, err := ReadManifest(dir)
		if err != nil {
			return fmt.Errorf("nothing to resume in %s: %w", dir, err)
		}
		if old.Status == results.StatusComplete {
			return fmt.Errorf("the exploration in %s is already complete: nothing to resume", dir)
		}
		if old.Config != man.Config {
			return fmt.Errorf("cannot resume %s: it explores a different file (its manifest holds the one to resume)", dir)
		}
		ways := results.VersionWays(ResumeCommand(dir), "explore", dir)
		if err := results.CheckResumeVersion(dir, old.Version, opt.AllowVersionChange, "evaluations", ways); err != nil {
			return err
		}
		keep, err := old.ResumeKeepRuns(opt.KeepRuns)
		if err != nil {
			return fmt.Errorf("--resume %s: %w", dir, err) // as the command line named it
		}
		man.Created, man.KeepRuns = old.Created, keep
		man.Versions = results.Versions(man.Version, results.WrittenBy(old.Versions, old.Version))
		if old.KeepRuns == nil && len(keep) == 0 {
			if before := runsOnDisk(dir); len(before) > 0 {
				fmt.Fprintf(opt.Log, "explore: resuming with no full runs; runs/ holds %s from before (an earlier backstop did not record --keep-runs): to keep them, resume with --keep-runs %s\n", joinInts(before), joinInts(before))
			}
		}
	case exists && !opt.Force:
		return fmt.Errorf("output directory %s already holds results (%s); choose another --out, resume it with --resume %s, or replace it with --force", dir, results.ManifestFile, dir)
	case exists:
		old, err := ReadManifest(dir)
		if err != nil {
			return fmt.Errorf("--force: %w; it is not replaced (backstop removes only what an exploration's manifest lists): choose another --out", err)
		}
		fmt.Fprintf(opt.Log, "explore: --force: replacing the %s exploration %s in %s (created %s)\n", old.Status, old.Name, dir, old.Created)
		if err := rundir.RemoveListed(dir, old.files(dir)); err != nil {
			return err
		}
		removeEmptyRuns(dir, old.runDirs())
		os.Remove(filepath.Join(dir, RunsDir)) // fails, as it should, when not empty
	}
	if err := os.MkdirAll(filepath.Join(dir, EvaluationsDir), 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	return writeJSON(mpath, man)
}

// runDirs lists m's runs kept in full (relative to its directory): those it lists
// (kept_runs) and those it asked for (keep_runs), for an exploration stopped before it
// listed them.
func (m *Manifest) runDirs() []string {
	runs := slices.Clone(m.KeptRuns)
	for _, i := range m.KeepRuns {
		if rel := filepath.Join(RunsDir, strconv.Itoa(i)); !slices.Contains(runs, rel) {
			runs = append(runs, rel)
		}
	}
	return slices.DeleteFunc(runs, func(rel string) bool { return !filepath.IsLocal(rel) })
}

// ownRunDirs lists, of m's runs kept in full (runDirs), those of m's own evaluations: a
// shard records every shard's --keep-runs, but runs only those of its own chunks.
func (m *Manifest) ownRunDirs() []string {
	runs := m.runDirs()
	if m.Shard == nil {
		return runs
	}
	first, end := m.Shard.FirstChunk*m.ChunkSize, m.Shard.EndChunk*m.ChunkSize
	return slices.DeleteFunc(runs, func(rel string) bool {
		i, err := strconv.Atoi(filepath.Base(rel))
		return filepath.Dir(rel) != RunsDir || err != nil || i < first || i >= end
	})
}

// removeOwnRuns removes, for a shard computed again with --force, the runs in full that
// its previous attempt (whose manifest is m) kept, as --force removes an exploration's:
// each run's files as its manifest lists them and its lock, then the directories so left
// empty. Only its own: runs/ itself stays, since the other shards may be writing theirs
// in it now; a user's file stays, with its directory.
func (m *Manifest) removeOwnRuns(dir string) error {
	runs := filepath.Join(dir, RunsDir)
	if !rundir.IsRealDir(runs) {
		return nil
	}
	own := m.ownRunDirs()
	var files []string
	for _, f := range keptRunFiles(dir, own) {
		if rel, err := filepath.Rel(RunsDir, f); err == nil {
			files = append(files, rel) // relative to runs/, which RemoveListed thus keeps
		}
	}
	if err := rundir.RemoveListed(runs, files); err != nil {
		return err
	}
	removeEmptyRuns(dir, own)
	return nil
}

// removeEmptyRuns removes, after --force removed the files of the kept runs runs
// (relative to dir), the directories they leave empty: a run stopped early has paths/ and
// tallies/ with nothing listed in them, or only the temporary files of a kill. A
// directory that holds anything else, or is a symbolic link, stays; so does runs/.
func removeEmptyRuns(dir string, runs []string) {
	if !rundir.IsRealDir(filepath.Join(dir, RunsDir)) {
		return
	}
	for _, rel := range runs {
		if filepath.Dir(rel) != RunsDir || !rundir.IsRealDir(filepath.Join(dir, rel)) {
			continue
		}
		for _, sub := range []string{results.PathsDir, run.TalliesDir, results.FiguresDir, "."} {
			if p := filepath.Join(dir, rel, sub); rundir.IsRealDir(p) {
				atomicfile.RemoveStale(p) // a killed run's writes cut short
				os.Remove(p)              // fails, as it should, when not empty
			}
		}
	}
}

// chunkFile is a chunk of evaluations on disk (evaluations/chunk-NNNNN.json): the
// evaluations with the identity of the exploration that computed them.
type chunkFile struct {
	Identity    ChunkIdentity `json:"identity"`
	Evaluations []Evaluation  `json:"evaluations"`
}

// ChunkIdentity says which exploration a chunk of evaluations belongs to. Resume and merge
// refuse a chunk whose identity differs, naming it: evaluations are a deterministic
// function of the explore file (its hash), the seed and the design, so a chunk with this
// identity holds exactly the numbers this exploration would compute. (There is no random
// run id: the shards of one exploration, started apart, could not agree on one.)
type ChunkIdentity struct {
	ConfigSHA256 string `json:"config_sha256"`
	Seed         uint64 `json:"seed"`
	Design       string `json:"design"`
	Evaluations  int    `json:"evaluations"` // of the whole exploration
	Chunk        int    `json:"chunk"`
}

// chunkIdentity is the identity of m's chunks (Chunk left 0: see of).
func (m *Manifest) chunkIdentity() ChunkIdentity {
	h := m.ConfigSHA256
	if h == "" {
		h = results.ConfigSHA256(m.Config)
	}
	return ChunkIdentity{ConfigSHA256: h, Seed: m.Seed, Design: m.Design, Evaluations: m.Evaluations}
}

// of is the identity of chunk c.
func (id ChunkIdentity) of(c int) ChunkIdentity { id.Chunk = c; return id }

// files lists what backstop wrote into the exploration dir that m describes: what --force
// removes (and nothing else).
func (m *Manifest) files(dir string) []string {
	files := []string{SamplesFile, SensitivityCSV, SensitivityFile, BoxesFile}
	for c := 0; c < m.Chunks; c++ {
		rel, _ := filepath.Rel(dir, chunkPath(dir, c))
		files = append(files, rel)
	}
	files = append(files, m.Outputs...)
	// The figures' names, for a manifest written before Outputs was recorded.
	for _, name := range figureNames {
		for _, f := range []string{"png", "pdf", "svg"} {
			files = append(files, filepath.Join(results.FiguresDir, name+"."+f))
		}
	}
	files = append(files, keptRunFiles(dir, m.runDirs())...)
	shards, _ := results.ShardManifests(dir)
	for _, f := range shards {
		rel, _ := filepath.Rel(dir, f)
		files = append(files, rel)
	}
	return append(files, results.ManifestFile)
}

// keptRunFiles lists the files of the runs kept in full runs (relative to dir), relative
// to dir: each run's files as its own manifest lists them, and its lock.
func keptRunFiles(dir string, runs []string) []string {
	var files []string
	for _, rel := range runs {
		files = append(files, filepath.Join(rel, dirlock.FileName))
		if rm, err := results.ReadManifest(filepath.Join(dir, rel)); err == nil {
			for _, f := range rm.Files() {
				files = append(files, filepath.Join(rel, f))
			}
		}
	}
	return files
}

// readChunk reads back finished chunk c (evaluations first..end-1) of the exploration
// with identity id: ok is false when it is missing (then it is computed); a chunk of
// another exploration, or one that does not hold these evaluations at these values, is
// an error naming the file.
func readChunk(path string, id ChunkIdentity, c, first, end int, values [][]float64) ([]Evaluation, bool, error) {
	data, err := regular.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read chunk %s: %w", path, err)
	}
	evals, why := decodeChunk(data, id, c, first, end, values)
	if why != "" {
		return nil, false, fmt.Errorf("chunk %s %s; it is not used: move it away (or start over in another --out)", path, why)
	}
	return evals, true, nil
}

// decodeChunk decodes the bytes of chunk c (evaluations first..end-1) of the exploration
// with identity id; why says, when it is not that chunk, what it is instead.
func decodeChunk(data []byte, id ChunkIdentity, c, first, end int, values [][]float64) (evals []Evaluation, why string) {
	var cf chunkFile
	if err := json.Unmarshal(data, &cf); err != nil {
		return nil, "is not a chunk of evaluations backstop wrote (" + err.Error() + ")"
	}
	if got, want := cf.Identity, id.of(c); got != want {
		return nil, fmt.Sprintf("belongs to another exploration (identity %s, this one's %s)", identityText(got), identityText(want))
	}
	if len(cf.Evaluations) != end-first {
		return nil, fmt.Sprintf("holds %d evaluations, not the %d of chunk %d", len(cf.Evaluations), end-first, c)
	}
	for j, e := range cf.Evaluations {
		if e.Index != first+j || !slices.Equal(e.Values, values[first+j]) {
			return nil, fmt.Sprintf("does not hold evaluation %d at the design's values", first+j)
		}
	}
	return cf.Evaluations, ""
}

// identityText shows a chunk identity briefly.
func identityText(id ChunkIdentity) string {
	h := id.ConfigSHA256
	if len(h) > 12 {
		h = h[:12]
	}
	return fmt.Sprintf("config %s, seed %d, design %s, %d evaluations, chunk %d", h, id.Seed, id.Design, id.Evaluations, id.Chunk)
}

// evaluateChunk runs evaluations first..end-1 on workers cores (0 for all), several at a
// time when they are small (evaluate.Each); the results do not depend on how the cores
// are shared.
func evaluateChunk(ctx context.Context, p *Plan, first, end int, values [][]float64, workers int) ([]Evaluation, error) {
	chunk := make([]Evaluation, end-first)
	err := evaluate.Each(ctx, end-first, p.Paths, workers, func(ctx context.Context, k, workers int) error {
		e, err := evaluateOne(ctx, p, first+k, values[first+k], workers)
		chunk[k] = e
		return err
	})
	if err != nil {
		return nil, err
	}
	return chunk, nil
}

// evaluateOne runs evaluation i. A scenario the values make invalid, or non-finite
// results, give a failed evaluation with its reason; only interruption is an error.
func evaluateOne(ctx context.Context, p *Plan, i int, values []float64, workers int) (Evaluation, error) {
	e := Evaluation{Index: i, Values: values, Status: StatusOK}
	cfg, err := p.scenario.Config(p.Paths, p.Seed, p.Keys(), values)
	if err == nil {
		e.Result, err = evaluate.Run(ctx, cfg, workers)
	}
	var ce *configs.Error
	var nf *evaluate.NonFiniteError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return e, ctx.Err()
	case errors.As(err, &ce):
		e.Status, e.Reason, e.Result = StatusFailed, "scenario rejected: "+ce.Key+": "+ce.Msg, nil
	case errors.As(err, &nf):
		e.Status, e.Reason, e.Result = StatusFailed, "not finite: "+nf.Error(), nil
	default:
		e.Status, e.Reason, e.Result = StatusFailed, err.Error(), nil
	}
	return e, nil
}

// RunsDir holds the full runs of the evaluations named by Options.KeepRuns.
const RunsDir = "runs"

// keepRuns runs the kept evaluations among evals (those of this process) in full, each a
// run directory under runs/ (a finished one is kept), and returns their directories.
func keepRuns(ctx context.Context, p *Plan, dir string, evals []Evaluation, opt Options) ([]string, error) {
	var out []string
	for _, e := range evals {
		if !slices.Contains(opt.KeepRuns, e.Index) || e.Status != StatusOK {
			continue
		}
		rel := filepath.Join(RunsDir, strconv.Itoa(e.Index))
		out = append(out, rel)
		if m, err := results.ReadManifest(filepath.Join(dir, rel)); err == nil && m.Status == results.StatusComplete {
			continue
		}
		cfg, err := p.scenario.Config(p.Paths, p.Seed, p.Keys(), e.Values)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(opt.Log, "explore: full run of evaluation %d -> %s\n", e.Index, rel)
		if _, err := run.Execute(ctx, run.Options{Config: cfg, OutDir: filepath.Join(dir, rel), Workers: opt.Workers, Figures: opt.Figures, Force: true,
			Command: fmt.Sprintf("%s (evaluation %d)", opt.Command, e.Index)}); err != nil {
			if errors.Is(err, run.ErrInterrupted) {
				return nil, errors.Join(err, context.Canceled)
			}
			return nil, fmt.Errorf("full run of evaluation %d: %w", e.Index, err)
		}
	}
	return out, nil
}

// ErrKeepRuns is wrapped by ResumeKeepRuns' refusals, and so by Run's when it resumes an
// exploration (or runs a shard again) with other --keep-runs than it was begun with: a
// usage error (exit status 2), which the command line (or a hand-edited manifest), not
// the machine, must change.
var ErrKeepRuns = errors.New("--keep-runs differ from the exploration's")

// keepRunsRefusal is a ResumeKeepRuns refusal: its message, and errors.Is(err, ErrKeepRuns).
type keepRunsRefusal struct{ msg string }

func (e keepRunsRefusal) Error() string        { return e.msg }
func (e keepRunsRefusal) Is(target error) bool { return target == ErrKeepRuns }

// ResumeKeepRuns returns the evaluations that a resume of the exploration m describes runs
// in full: those it was begun with. given are those the resume names, nil when it names
// none (then the recorded ones); naming others (in any order: duplicates and order do not
// count) is refused, the error naming both. A manifest written before the choice was
// recorded (KeepRuns nil) takes given as they are, none when nil, as those versions did.
// A recorded index that is not one of m's evaluations (a hand-edited manifest) is refused.
// Every refusal wraps ErrKeepRuns.
func (m *Manifest) ResumeKeepRuns(given []int) ([]int, error) {
	for _, i := range m.KeepRuns { // the manifest is a file a user can edit
		if i < 0 || i >= m.Evaluations {
			return nil, keepRunsRefusal{fmt.Sprintf("the manifest's keep_runs %d is not an evaluation; indices run from 0 to %d", i, m.Evaluations-1)}
		}
	}
	recorded := sortedKeepRuns(m.KeepRuns)
	switch g := sortedKeepRuns(given); {
	case m.KeepRuns == nil:
		return g, nil
	case given == nil || slices.Equal(g, recorded):
		return recorded, nil
	default:
		named := `""`
		if len(g) > 0 {
			named = joinInts(g)
		}
		return nil, keepRunsRefusal{fmt.Sprintf("resume finishes the exploration as it was begun, so it takes no --keep-runs %s (the exploration's is %s); drop the flag, or start a new exploration with another --out", named, keepRunsText(recorded))}
	}
}

// runsOnDisk returns the evaluations that have a directory under dir's runs/, sorted.
func runsOnDisk(dir string) []int {
	entries, _ := os.ReadDir(filepath.Join(dir, RunsDir))
	var out []int
	for _, e := range entries {
		if i, err := strconv.Atoi(e.Name()); err == nil && e.IsDir() && i >= 0 {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// sortedKeepRuns returns evaluations sorted, without repeats, and never nil (none is []),
// as the manifest records them.
func sortedKeepRuns(evals []int) []int {
	out := append([]int{}, evals...)
	slices.Sort(out)
	return slices.Compact(out)
}

// keepRunsText names recorded keep_runs in a message: the list, or "none".
func keepRunsText(keep []int) string {
	if len(keep) == 0 {
		return "none"
	}
	return joinInts(keep)
}

// joinInts writes xs as a comma-separated list, as --keep-runs takes it.
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
