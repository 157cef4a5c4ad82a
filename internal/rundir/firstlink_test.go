package rundir

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FirstLink names the first symbolic link on the way from a directory to a name in it,
// rel itself included, and nothing for a way of real directories or one that ends at a
// name that does not exist.
func TestFirstLink(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a/b", "real"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "a/b/f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"real", "a/link"}, {"real", "ln"}, {"a/b/f", "a/b/flink"}} {
		if err := os.Symlink(filepath.Join(dir, l[0]), filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ rel, want string }{
		{".", ""},
		{"a/b/f", ""},
		{"a/b", ""},
		{"a/link", "a/link"},
		{"a/link/x", "a/link"},
		{"ln/x/y", "ln"},
		{"a/b/flink", "a/b/flink"},
		{"missing/ln", ""},
		{"./a/./link/x", "a/link"},
	} {
		if got := FirstLink(dir, tc.rel); got != tc.want {
			t.Errorf("FirstLink(dir, %q) = %q, want %q", tc.rel, got, tc.want)
		}
	}
}

// StaleIn lists, and RemoveStaleIn removes, the temporary files of cut-short writes in a
// directory and its real subdirectories, never those behind a linked subdirectory.
func TestStaleInSkipsLinks(t *testing.T) {
	dir, mine := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(mine, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	stale := []string{filepath.Join(dir, ".a.tmp-1"), filepath.Join(dir, "real", ".b.tmp-2")}
	behind := filepath.Join(mine, ".c.tmp-3")
	for _, f := range append(slices.Clone(stale), behind) {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	subs := []string{"real", "linked", "missing"}
	got := StaleIn(dir, subs)
	slices.Sort(got)
	if !slices.Equal(got, stale) {
		t.Errorf("StaleIn = %q, want %q", got, stale)
	}
	RemoveStaleIn(dir, subs)
	for _, f := range stale {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed (%v)", f, err)
		}
	}
	if _, err := os.Stat(behind); err != nil {
		t.Errorf("removed %s behind the link: %v", behind, err)
	}
}
