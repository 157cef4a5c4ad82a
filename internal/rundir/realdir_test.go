package rundir

import (
	"os"
	"path/filepath"
	"testing"
)

// IsRealDir holds for a directory, not for a link to one, nor a file, a link to a file,
// a dangling link or a missing name.
func TestIsRealDir(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, make func(p string) error) string {
		p := filepath.Join(dir, name)
		if err := make(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	real := mk("real", func(p string) error { return os.Mkdir(p, 0o755) })
	file := mk("file", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	for _, tc := range []struct {
		path string
		want bool
	}{
		{real, true},
		{dir, true},
		{mk("link-to-dir", func(p string) error { return os.Symlink(real, p) }), false},
		{file, false},
		{mk("link-to-file", func(p string) error { return os.Symlink(file, p) }), false},
		{mk("dangling", func(p string) error { return os.Symlink(filepath.Join(dir, "none"), p) }), false},
		{filepath.Join(dir, "missing"), false},
		{filepath.Join(file, "under-a-file"), false},
	} {
		if got := IsRealDir(tc.path); got != tc.want {
			t.Errorf("IsRealDir(%s) = %v, want %v", filepath.Base(tc.path), got, tc.want)
		}
	}
}
