package dirstate

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDescribeSeesEveryChange checks that Describe's text changes with each kind of change
// a command could make, and with none other.
func TestDescribeSeesEveryChange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(dir string) error
		same   bool
	}{
		{"nothing", func(string) error { return nil }, true},
		{"a file added", func(d string) error { return os.WriteFile(filepath.Join(d, "b"), nil, 0o644) }, false},
		{"a file removed", func(d string) error { return os.Remove(filepath.Join(d, "sub", "a")) }, false},
		{"a file renamed", func(d string) error { return os.Rename(filepath.Join(d, "sub", "a"), filepath.Join(d, "sub", "c")) }, false},
		{"contents of the same size and time", func(d string) error {
			p := filepath.Join(d, "sub", "a")
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte("xyz"), 0o644); err != nil {
				return err
			}
			return os.Chtimes(p, fi.ModTime(), fi.ModTime())
		}, false},
		{"touched", func(d string) error {
			return os.Chtimes(filepath.Join(d, "sub", "a"), time.Now(), time.Unix(1, 0))
		}, false},
		{"permissions", func(d string) error { return os.Chmod(filepath.Join(d, "sub", "a"), 0o600) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "sub", "a"), []byte("abc"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := Describe(t, dir)
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			if same := Describe(t, dir) == before; same != tc.same {
				t.Errorf("after %s: the description is unchanged = %v, want %v", tc.name, same, tc.same)
			}
		})
	}
}
