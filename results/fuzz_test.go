package results

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecodeManifest feeds arbitrary bytes to the manifest decoder: it must never panic,
// every rejection must name the file, and every manifest it accepts must have counts that
// are consistent (what readers loop over and allocate by) and survive a round trip.
func FuzzDecodeManifest(f *testing.F) {
	good := &Manifest{
		SchemaVersion: SchemaVersion, Tool: "backstop", Status: StatusComplete, Paths: 4, ChunkSize: 2, Chunks: 2,
		Policies: []string{"none"}, Parts: []string{"paths/part-00000.parquet"}, RunID: "0123456789abcdef",
		Index: []ChunkEntry{{Chunk: 0, EndPath: 2, Rows: 2, Part: "paths/part-00000.parquet", Checkpoint: "tallies/chunk-00000.bin"}},
		Shard: &Shard{Index: 1, Count: 2, FirstChunk: 0, EndChunk: 1},
	}
	b, _ := json.Marshal(good)
	f.Add(b)
	for _, seed := range []string{
		"", "{}", "null", "[]", `{"schema_version": 99}`, `{"chunks": -1}`, `{"chunks": 1e12}`,
		`{"chunks": 2, "shard": {"index": 1, "count": 9223372036854775807}}`,
		`{"chunks": 1, "index": [{"chunk": 0, "part": "../../etc/passwd", "checkpoint": "t"}]}`,
		`{"parts": ["/etc/passwd"]}`, `{"paths": "many"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeManifest(data, "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("rejection %q does not name the file", err)
			}
			return
		}
		if m.Chunks < 0 || m.Chunks > MaxChunks || len(m.Index) > m.Chunks {
			t.Fatalf("accepted %d chunks with %d index entries", m.Chunks, len(m.Index))
		}
		if s := m.Shard; s != nil && (s.Count > m.Chunks || s.Index < 1 || s.Index > s.Count) {
			t.Fatalf("accepted shard %d/%d of %d chunks", s.Index, s.Count, m.Chunks)
		}
		for _, e := range m.Index {
			if !localPath(e.Part) || !localPath(e.Checkpoint) {
				t.Fatalf("accepted index entry naming %q, %q outside the run", e.Part, e.Checkpoint)
			}
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeManifest(again, "again.json"); err != nil {
			t.Fatalf("an accepted manifest, re-encoded, is refused: %v", err)
		}
	})
}
