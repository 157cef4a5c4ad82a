package dirglob

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestGlob checks that Glob finds a directory's files by a pattern whatever characters
// the directory's name holds, and only that directory's: not those of a directory whose
// name the first's would match as a pattern.
func TestGlob(t *testing.T) {
	for _, name := range []string{"plain", "seed[1]", "a*b", "what?", `back\slash`, "[x]*?"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, name)
			decoy := filepath.Join(root, "seed1") // seed[1] as a pattern matches it
			for _, f := range []string{filepath.Join(dir, "shards", "shard-1-of-2.json"), filepath.Join(dir, "notes.txt"), filepath.Join(decoy, "shards", "shard-2-of-2.json")} {
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Glob(dir, "shards/shard-*-of-*.json")
			if want := []string{filepath.Join(dir, "shards", "shard-1-of-2.json")}; err != nil || !slices.Equal(got, want) {
				t.Errorf("Glob: %v, %v; want %v", got, err, want)
			}
		})
	}
}
