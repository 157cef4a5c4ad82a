package results

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/internal/regular"
)

// Metadata keys of a part's identity, in its footer besides the provenance keys.
const (
	KeyRunID        = "backstop.run_id"        // the run (or shard) that wrote the part
	KeyConfigSHA256 = "backstop.config_sha256" // SHA-256 of backstop.config
	KeyChunk        = "backstop.chunk"         // the chunk the part holds, from 0
	KeyChunkSize    = "backstop.chunk_size"    // paths per chunk of the run
)

// Identity ties a part or checkpoint to the run that wrote it: a file whose identity
// differs from its run's is foreign (another run, seed, config, layout or chunk).
type Identity struct {
	RunID        string // made when the run (or shard) is created
	ConfigSHA256 string // of the resolved config
	Seed         uint64
	ChunkSize    int
	Chunk        int // -1 for a file of the whole run
	Version      string
}

// NewRunID returns a fresh random run id: 16 hex digits.
func NewRunID() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return short)
	return hex.EncodeToString(b[:])
}

// ConfigSHA256 returns the hex SHA-256 of a resolved config.
func ConfigSHA256(yml string) string {
	s := sha256.Sum256([]byte(yml))
	return hex.EncodeToString(s[:])
}

// FileSHA256 returns the hex SHA-256 of the file at path.
func FileSHA256(path string) (string, error) {
	f, err := regular.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(clearingWriter{h}, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// metadata returns id's footer keys and values.
func (id Identity) metadata() (keys, values []string) {
	return []string{KeyRunID, KeyConfigSHA256, KeyChunk, KeyChunkSize},
		[]string{id.RunID, id.ConfigSHA256, strconv.Itoa(id.Chunk), strconv.Itoa(id.ChunkSize)}
}

// IdentityOf reads a part's identity from its footer metadata (md); missing keys leave
// zero values (a part from before identities is then foreign to every run).
func IdentityOf(md map[string]string) Identity {
	id := Identity{RunID: md[KeyRunID], ConfigSHA256: md[KeyConfigSHA256], Version: md[KeyVersion], Chunk: -1}
	id.Seed, _ = strconv.ParseUint(md[KeySeed], 10, 64)
	if c, err := strconv.Atoi(md[KeyChunk]); err == nil {
		id.Chunk = c
	}
	id.ChunkSize, _ = strconv.Atoi(md[KeyChunkSize])
	return id
}

// Mismatch describes how got differs from want ("" when it does not). A different
// version is a mismatch unless allowVersion.
func (want Identity) Mismatch(got Identity, allowVersion bool) string {
	var d []string
	if got.RunID != want.RunID {
		d = append(d, fmt.Sprintf("run id %q, want %q", got.RunID, want.RunID))
	}
	if got.ConfigSHA256 != want.ConfigSHA256 {
		d = append(d, "another config (sha256 "+short(got.ConfigSHA256)+", want "+short(want.ConfigSHA256)+")")
	}
	if got.Seed != want.Seed {
		d = append(d, fmt.Sprintf("seed %d, want %d", got.Seed, want.Seed))
	}
	if got.ChunkSize != want.ChunkSize {
		d = append(d, fmt.Sprintf("chunk size %d, want %d", got.ChunkSize, want.ChunkSize))
	}
	if got.Chunk != want.Chunk {
		d = append(d, fmt.Sprintf("chunk %d, want %d", got.Chunk, want.Chunk))
	}
	if got.Version != want.Version && !allowVersion {
		d = append(d, fmt.Sprintf("written by backstop %q, this is %q (--allow-version-change accepts it)", got.Version, want.Version))
	}
	return strings.Join(d, "; ")
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "none"
	}
	return h
}
