package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	Error           string `json:"error,omitempty"`
	Config          string `json:"config"` // the resolved configuration, YAML
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

// ReadManifestFile reads the manifest at path.
func ReadManifestFile(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // names the path
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if m.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("%s has schema version %d; this tool reads up to %d: upgrade backstop", path, m.SchemaVersion, SchemaVersion)
	}
	return &m, nil
}
