package results

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/backstop-research/backstop/internal/dirglob"
	"github.com/backstop-research/backstop/internal/regular"
)

// Run statuses recorded in the manifest.
const (
	StatusRunning    = "running"
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	StatusFailed     = "failed"
)

// File names inside a run directory.
const (
	ManifestFile = "manifest.json"
	BandsFile    = "bands.parquet"
	SummaryFile  = "summary.csv"
	ReportFile   = "summary.md"
	PathsDir     = "paths"
	FiguresDir   = "figures"
)

// Manifest is manifest.json: the run's provenance, layout and status.
type Manifest struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          string   `json:"tool"`
	Version       string   `json:"version"`
	Versions      []string `json:"versions,omitempty"` // each version that wrote it, when more than one (results.Versions)
	Status        string   `json:"status"`
	Scenario      string   `json:"scenario"`
	Seed          uint64   `json:"seed"`
	Paths         int64    `json:"paths"`
	Policies      []string `json:"policies"`
	Days          int      `json:"days"`
	ChunkSize     int      `json:"chunk_size"`
	Parts         []string `json:"parts"` // relative to the run directory, in path order
	Created       string   `json:"created"`
	Finished      string   `json:"finished,omitempty"`
	Command       string   `json:"command,omitempty"`
	Resume        string   `json:"resume,omitempty"` // the command that finishes an incomplete run
	Chunks        int      `json:"chunks"`           // chunks of the whole run (parts when complete)
	Shard         *Shard   `json:"shard,omitempty"`  // set in a shard's manifest
	// TargetPrecision is METRIC=HALFWIDTH when the run sampled until that precision, at
	// most MaxPaths paths; Paths is then the paths drawn.
	TargetPrecision string `json:"target_precision,omitempty"`
	MaxPaths        int64  `json:"max_paths,omitempty"`
	// TargetReached says, for a run with TargetPrecision, whether the target was reached
	// (false: it drew MaxPaths paths without reaching it).
	TargetReached *bool  `json:"target_reached,omitempty"`
	Error         string `json:"error,omitempty"`
	Config        string `json:"config"` // the resolved configuration, YAML
	// Bands says, once the run is complete, which paths the quantiles of bands.parquet
	// count (output.band_paths) and their largest Monte Carlo error.
	Bands *BandSample `json:"bands,omitempty"`

	// The run's identity, recorded in every part and checkpoint too: RunID is made when the
	// run (or shard) is created, ConfigSHA256 is the SHA-256 of Config.
	RunID        string `json:"run_id,omitempty"`
	ConfigSHA256 string `json:"config_sha256,omitempty"`
	// Index lists every finished chunk's part and checkpoint, in chunk order: the run's
	// data is exactly these files, as checksummed here.
	Index []ChunkEntry `json:"index,omitempty"`
	// Outputs are the other files the run wrote (bands, summary, figures...), relative to
	// the run directory: what --force may remove besides Index.
	Outputs []string `json:"outputs,omitempty"`
	// OutputSHA256 is the SHA-256 of each file of Outputs as written (figures too, when
	// backstop plot redraws them), so that verify checks every file the run holds.
	OutputSHA256 map[string]string `json:"output_sha256,omitempty"`
	// Kind is empty for a run; sweeps and explorations write "sweep" or "explore" into
	// their manifest.json, which no run reader accepts.
	Kind string `json:"kind,omitempty"`
}

// NotARunError is the error of reading the manifest of a sweep or exploration as a run's.
type NotARunError struct {
	Path, Kind string
}

func (e *NotARunError) Error() string {
	return fmt.Sprintf("%s is the manifest of a backstop %s, not of a run: the run commands (plot, inspect, merge, run --resume) do not read it (backstop verify checks it)", e.Path, e.Kind)
}

// ChunkEntry is one finished chunk as the manifest lists it: its paths [FirstPath,
// EndPath), its part of Rows rows and its checkpoint, each with the SHA-256 of its bytes,
// and the RunID written into both (a shard's, in a merged run).
type ChunkEntry struct {
	Chunk            int    `json:"chunk"`
	FirstPath        int64  `json:"first_path"`
	EndPath          int64  `json:"end_path"`
	Rows             int64  `json:"rows"`
	Part             string `json:"part"`
	PartSHA256       string `json:"part_sha256"`
	Checkpoint       string `json:"checkpoint"`
	CheckpointSHA256 string `json:"checkpoint_sha256"`
	RunID            string `json:"run_id"`
}

// Shard says which part of a run a shard process computes: shard Index of Count (1-based),
// the chunks [FirstChunk, EndChunk).
type Shard struct {
	Index      int `json:"index"`
	Count      int `json:"count"`
	FirstChunk int `json:"first_chunk"`
	EndChunk   int `json:"end_chunk"`
}

// ShardsDir holds the shards' manifests of a run split across processes.
const ShardsDir = "shards"

// ShardManifestName is the file name, under ShardsDir, of shard i of n's manifest.
func ShardManifestName(i, n int) string { return fmt.Sprintf("shard-%d-of-%d.json", i, n) }

// ShardManifests returns the paths of the shards' manifests (ShardManifestName) in run
// directory dir, in lexical order, dir's own name taken literally (it may hold * ? [).
func ShardManifests(dir string) ([]string, error) {
	return dirglob.Glob(dir, ShardsDir+"/shard-*-of-*.json")
}

// WriteManifest writes m atomically as dir/manifest.json.
func WriteManifest(dir string, m *Manifest) error {
	return WriteManifestFile(filepath.Join(dir, ManifestFile), m)
}

// WriteManifestFile writes m atomically at path.
func WriteManifestFile(path string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return writeAtomic(path, func(f *os.File) error {
		_, err := f.Write(append(data, '\n'))
		return err
	})
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	return ReadManifestFile(filepath.Join(dir, ManifestFile))
}

// MaxManifestBytes bounds the manifest read: a run of a million chunks has a manifest of
// a few hundred megabytes; anything larger is not one of ours.
const MaxManifestBytes = 512 << 20

// ReadManifestFile reads and checks the manifest at path.
func ReadManifestFile(path string) (*Manifest, error) {
	f, err := regular.Open(path)
	if err != nil {
		return nil, err // names the path
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxManifestBytes {
		return nil, fmt.Errorf("read %s: larger than %d MB, not a backstop manifest", path, MaxManifestBytes>>20)
	}
	return DecodeManifest(data, path)
}

// DecodeManifest decodes and checks a manifest's bytes (named path in errors): JSON of the
// right shape whose counts are consistent, so that no reader loops or allocates on a
// number it did not write.
func DecodeManifest(data []byte, path string) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if m.Kind != "" {
		return nil, &NotARunError{Path: path, Kind: m.Kind}
	}
	if m.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("%s has schema version %d; this tool reads up to %d: upgrade backstop", path, m.SchemaVersion, SchemaVersion)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s is not a sound backstop manifest: %w", path, err)
	}
	// Every backstop manifest has recorded its tool since the first; the other commands'
	// manifests are told apart by their kind, a run's by this.
	if m.Tool != "backstop" {
		return nil, fmt.Errorf("%s is not a backstop manifest (its tool is %q, not backstop): another program's file, which backstop leaves as it is", path, m.Tool)
	}
	return &m, nil
}

// MaxChunks is the most chunks a run may have (a manifest entry each).
const MaxChunks = 1_000_000

// check refuses counts no backstop run has: negative or huge, or inconsistent with each other.
func (m *Manifest) check() error {
	switch {
	case m.Paths < 0:
		return fmt.Errorf("paths %d is negative", m.Paths)
	case m.ChunkSize < 0:
		return fmt.Errorf("chunk_size %d is negative", m.ChunkSize)
	case m.Chunks < 0 || m.Chunks > MaxChunks:
		return fmt.Errorf("chunks %d is outside 0 to %d", m.Chunks, MaxChunks)
	case m.MaxPaths < 0:
		return fmt.Errorf("max_paths %d is negative", m.MaxPaths)
	case len(m.Index) > m.Chunks:
		return fmt.Errorf("index lists %d chunks of a run of %d", len(m.Index), m.Chunks)
	}
	if s := m.Shard; s != nil {
		if s.Count < 1 || s.Count > m.Chunks || s.Index < 1 || s.Index > s.Count {
			return fmt.Errorf("shard %d/%d of a run of %d chunks", s.Index, s.Count, m.Chunks)
		}
		if s.FirstChunk < 0 || s.FirstChunk > s.EndChunk || s.EndChunk > m.Chunks {
			return fmt.Errorf("shard chunks [%d, %d) of a run of %d chunks", s.FirstChunk, s.EndChunk, m.Chunks)
		}
	}
	for i, e := range m.Index {
		if e.Chunk < 0 || e.Chunk >= m.Chunks || (i > 0 && e.Chunk <= m.Index[i-1].Chunk) {
			return fmt.Errorf("index entry %d: chunk %d out of order or outside 0 to %d", i, e.Chunk, m.Chunks-1)
		}
		if e.FirstPath < 0 || e.EndPath < e.FirstPath || e.Rows < 0 {
			return fmt.Errorf("index entry %d: paths [%d, %d) and %d rows", i, e.FirstPath, e.EndPath, e.Rows)
		}
		for _, p := range []string{e.Part, e.Checkpoint} {
			if !localPath(p) {
				return fmt.Errorf("index entry %d: %q is not a file inside the run directory", i, p)
			}
		}
	}
	if err := m.checkCoverage(); err != nil {
		return err
	}
	if err := m.checkConfig(); err != nil {
		return err
	}
	for _, p := range append(append([]string(nil), m.Parts...), m.Outputs...) {
		if !localPath(p) {
			return fmt.Errorf("%q is not a file inside the run directory", p)
		}
	}
	return nil
}

// checkCoverage refuses a complete run's manifest whose counts disagree with its index (a
// hand-edited paths, say): the index's chunks must cover exactly Paths paths, each row of
// them a path under one of Policies.
func (m *Manifest) checkCoverage() error {
	if m.Status != StatusComplete || m.Shard != nil {
		return nil
	}
	if len(m.Index) != m.Chunks {
		return fmt.Errorf("complete, but its index lists %d of its %d chunks", len(m.Index), m.Chunks)
	}
	var paths, rows int64
	for _, e := range m.Index {
		paths += e.EndPath - e.FirstPath
		rows += e.Rows
	}
	if paths != m.Paths {
		return fmt.Errorf("paths %d, but its index's %d chunks hold %d paths", m.Paths, len(m.Index), paths)
	}
	if want := paths * int64(len(m.Policies)); rows != want {
		return fmt.Errorf("its index's chunks hold %d rows, not %d paths x %d policies", rows, paths, len(m.Policies))
	}
	return nil
}

// checkConfig refuses a manifest whose fields disagree with the config it embeds (a
// hand-edited days or seed, say), so that no reader shows or uses a value the run did
// not have: scenario, days, seed, policies and paths (the most, for a run sampled to a
// target precision) must be the config's.
func (m *Manifest) checkConfig() error {
	if m.Config == "" {
		return nil
	}
	var c struct {
		Scenario string   `yaml:"scenario"`
		Days     int      `yaml:"days"`
		Paths    int64    `yaml:"paths"`
		Seed     uint64   `yaml:"seed"`
		Policies []string `yaml:"policies"`
	}
	if err := yaml.Unmarshal([]byte(m.Config), &c); err != nil {
		return fmt.Errorf("its config does not decode: %w", err)
	}
	paths, pathsKey := m.Paths, "paths"
	if m.MaxPaths > 0 {
		paths, pathsKey = m.MaxPaths, "max_paths"
	}
	var diff []string
	if m.Scenario != c.Scenario {
		diff = append(diff, fmt.Sprintf("scenario %q (config %q)", m.Scenario, c.Scenario))
	}
	if m.Days != c.Days {
		diff = append(diff, fmt.Sprintf("days %d (config %d)", m.Days, c.Days))
	}
	if m.Seed != c.Seed {
		diff = append(diff, fmt.Sprintf("seed %d (config %d)", m.Seed, c.Seed))
	}
	if paths != c.Paths {
		diff = append(diff, fmt.Sprintf("%s %d (config %d)", pathsKey, paths, c.Paths))
	}
	if !slices.Equal(m.Policies, c.Policies) {
		diff = append(diff, fmt.Sprintf("policies %v (config %v)", m.Policies, c.Policies))
	}
	if len(diff) > 0 {
		return fmt.Errorf("its %s differ from the config it records: it was edited; restore it, or recompute the run", strings.Join(diff, ", "))
	}
	return nil
}

// localPath reports whether p names a file inside the run directory (relative, no "..").
func localPath(p string) bool { return p != "" && filepath.IsLocal(p) }
