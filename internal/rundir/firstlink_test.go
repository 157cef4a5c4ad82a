package rundir

import (
	"os"
	"path/filepath"
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
