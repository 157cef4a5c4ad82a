package explore

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
)

// ResumeCommand is the command that finishes the exploration in dir, as a user types it
// (dir quoted for a POSIX shell when it needs to be).
func ResumeCommand(dir string) string { return "backstop explore --resume " + shellquote.Path(dir) }

// ChunkFile is the file of chunk c of evaluations, relative to the exploration's directory.
func ChunkFile(c int) string { return filepath.Join(EvaluationsDir, filepath.Base(chunkPath("", c))) }

// ownFiles lists the files a complete exploration m in dir holds besides its manifest, its
// kept runs and its figures: the tables (boxes.csv with discover), every chunk of
// evaluations and the shards' manifests of one merged from shards; relative to dir.
func (m *Manifest) ownFiles(dir string) []string {
	files := []string{SamplesFile, SensitivityCSV, SensitivityFile}
	if _, err := os.Lstat(filepath.Join(dir, BoxesFile)); err == nil {
		files = append(files, BoxesFile)
	}
	for c := 0; c < m.Chunks; c++ {
		files = append(files, ChunkFile(c))
	}
	shards, _ := results.ShardManifests(dir)
	for _, f := range shards {
		if rel, err := filepath.Rel(dir, f); err == nil {
			files = append(files, rel)
		}
	}
	return files
}

// recordOutputs lists in m, as the exploration completes, its own files and figures (paths
// under dir) with the SHA-256 of each as written.
func (m *Manifest) recordOutputs(dir string, figures []string) error {
	return m.record(dir, append(m.ownFiles(dir), results.RelativeFiles(dir, figures)...))
}

// recordChunks lists in the manifest m of a shard, as it completes, its chunks of
// evaluations [first, end) with the SHA-256 of each, so that verify checks a shard's
// chunks before the merge as those of a merged exploration.
func (m *Manifest) recordChunks(dir string, first, end int) error {
	var files []string
	for c := first; c < end; c++ {
		files = append(files, ChunkFile(c))
	}
	return m.record(dir, files)
}

// record makes files (relative to dir) m's outputs, with the SHA-256 of each as it is now.
func (m *Manifest) record(dir string, files []string) error {
	sums, err := results.SumFiles(dir, files)
	if err != nil {
		return err
	}
	m.Outputs, m.OutputSHA256 = files, sums
	return nil
}

// ReadManifestFile reads the exploration manifest at path: manifest.json, or a shard's
// under shards/.
func ReadManifestFile(path string) (*Manifest, error) { return readManifestFile(path) }

// WriteManifest writes m atomically at path (manifest.json, or a shard's): for backstop
// verify --quarantine, which marks an exploration whose damaged files it moved incomplete.
func WriteManifest(path string, m *Manifest) error { return writeJSON(path, m) }

// ChunkChecker decodes the chunks of evaluations of one exploration and checks each holds
// what the exploration's design computes at that chunk (its identity and values), as
// resume and merge do before they use one.
type ChunkChecker struct {
	m        *Manifest
	values   [][]float64
	discover bool // the explore file discovers boxes
}

// NewChunkChecker returns the checker of m's chunks; an error when m's explore file does not
// decode (path names it).
func NewChunkChecker(m *Manifest, path string) (*ChunkChecker, error) {
	p, err := Decode([]byte(m.Config), path)
	if err != nil {
		return nil, err
	}
	values, err := p.Values()
	if err != nil {
		return nil, err
	}
	if len(values) != m.Evaluations {
		return nil, fmt.Errorf("%s: its explore file makes %d evaluations, its manifest says %d", path, len(values), m.Evaluations)
	}
	return &ChunkChecker{m: m, values: values, discover: p.Discover != nil}, nil
}

// Discovers reports whether the exploration discovers boxes (writes boxes.csv).
func (k *ChunkChecker) Discovers() bool { return k.discover }

// Check checks chunk c in dir: nil when it holds this exploration's evaluations; an error
// naming the file when it is missing, does not decode or is another's.
func (k *ChunkChecker) Check(dir string, c int) error {
	lo, hi := c*ChunkSize, min((c+1)*ChunkSize, len(k.values))
	data, err := regular.ReadFile(chunkPath(dir, c))
	if err != nil {
		return fmt.Errorf("%s: missing or unreadable (%w)", ChunkFile(c), err)
	}
	if _, why := decodeChunk(data, k.m.chunkIdentity(), c, lo, hi, k.values); why != "" {
		return fmt.Errorf("%s: %s", ChunkFile(c), why)
	}
	return nil
}

// RunDirs lists, relative to its directory, the runs kept in full that m asked for of its
// own evaluations (a shard's: those of its chunks), listed (kept_runs) or not yet: what an
// exploration stopped part-way may hold under runs/.
func (m *Manifest) RunDirs() []string { return m.ownRunDirs() }
