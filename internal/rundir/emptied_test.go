package rundir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// RemoveEmptied removes the directories of the files named once those files are gone,
// deepest first, and nothing else: not one holding another file, not a directory no
// named file was in, not one reached through a symbolic link, not one outside dir.
func TestRemoveEmptied(t *testing.T) {
	for _, tc := range []struct {
		name        string
		have        []string // files under dir before
		gone        []string // of those, removed (or moved away) before RemoveEmptied
		named       []string // given to RemoveEmptied
		absent, dir []string // directories (relative to dir) then gone, then still there
	}{
		{name: "emptied", have: []string{"figures/a.png", "figures/b.pdf"}, gone: []string{"figures/a.png", "figures/b.pdf"},
			named: []string{"figures/a.png", "figures/b.pdf"}, absent: []string{"figures"}},
		{name: "a user's file keeps it", have: []string{"figures/a.png", "figures/mine.pdf"}, gone: []string{"figures/a.png"},
			named: []string{"figures/a.png"}, dir: []string{"figures"}},
		{name: "nested, deepest first", have: []string{"runs/3/paths/part-00000.parquet"}, gone: []string{"runs/3/paths/part-00000.parquet"},
			named: []string{"runs/3/paths/part-00000.parquet"}, absent: []string{"runs/3/paths", "runs/3", "runs"}},
		{name: "nested, a sibling keeps the parent", have: []string{"runs/3/a", "runs/4/b"}, gone: []string{"runs/3/a"},
			named: []string{"runs/3/a"}, absent: []string{"runs/3"}, dir: []string{"runs/4", "runs"}},
		{name: "empty but not named", have: []string{"figures/a.png", "paths/x"}, gone: []string{"figures/a.png", "paths/x"},
			named: []string{"figures/a.png"}, absent: []string{"figures"}, dir: []string{"paths"}},
		{name: "names outside", have: []string{"figures/a.png"}, gone: []string{"figures/a.png"},
			named: []string{"../d/figures/a.png", "/figures/a.png", ""}, dir: []string{"figures"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			write(t, dir, tc.have...)
			for _, f := range tc.gone {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			RemoveEmptied(dir, tc.named)
			for _, d := range tc.absent {
				if _, err := os.Lstat(filepath.Join(dir, d)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s/ is still there (%v)", d, err)
				}
			}
			for _, d := range tc.dir {
				if !IsRealDir(filepath.Join(dir, d)) {
					t.Errorf("%s/ was removed", d)
				}
			}
			if !IsRealDir(dir) {
				t.Error("the directory itself was removed")
			}
		})
	}

	// A link to an empty directory, named as a file's directory, is neither followed nor removed.
	base := t.TempDir()
	dir, elsewhere := filepath.Join(base, "d"), filepath.Join(base, "elsewhere", "empty")
	if err := os.MkdirAll(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "figures")); err != nil {
		t.Fatal(err)
	}
	RemoveEmptied(dir, []string{"figures/a.png"})
	if _, err := os.Lstat(filepath.Join(dir, "figures")); err != nil || !IsRealDir(elsewhere) {
		t.Errorf("a link named figures/ or what it points to was removed: %v", err)
	}
}
