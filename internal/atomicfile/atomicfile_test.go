package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := Write(path, func(f *os.File) error { _, err := f.WriteString("one"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, func(f *os.File) error { f.WriteString("partial"); return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v: want it to wrap the cause and name %s", err, path)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "one" || st.Mode().Perm() != 0o644 {
		t.Fatalf("after a failed rewrite: %q, mode %v; want the first content, 0644", got, st.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if err := Write(filepath.Join(dir, "missing", "b.txt"), func(*os.File) error { return nil }); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("write into a missing directory: %v", err)
	}
}

// TestWriteGated checks that the gate runs once the content is complete, and that a gate's
// error leaves the file as it was (absent, or its old content) with no temporary file,
// while a nil one puts the new content in place.
func TestWriteGated(t *testing.T) {
	closed := errors.New("the run was interrupted")
	tests := []struct {
		name string
		old  string // content before, "" for none
		gate error
		want string // content after, "" for none
	}{
		{"open gate, new file", "", nil, "new"},
		{"open gate, old file", "old", nil, "new"},
		{"closed gate, new file", "", closed, ""},
		{"closed gate, old file", "old", closed, "old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "part.parquet")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var sawAtGate string
			err := WriteGated(path, func(f *os.File) error {
				_, err := f.WriteString("new")
				return err
			}, func() error {
				left, _ := filepath.Glob(filepath.Join(dir, ".part.parquet.tmp-*"))
				if len(left) == 1 {
					b, _ := os.ReadFile(left[0])
					sawAtGate = string(b)
				}
				return tc.gate
			})
			if !errors.Is(err, tc.gate) || (tc.gate == nil) != (err == nil) {
				t.Fatalf("error %v, want %v", err, tc.gate)
			}
			if sawAtGate != "new" {
				t.Errorf("the gate saw the temporary file holding %q, want the whole content", sawAtGate)
			}
			got, err := os.ReadFile(path)
			if tc.want == "" {
				if !os.IsNotExist(err) {
					t.Errorf("file exists (%q, %v) after a closed gate", got, err)
				}
			} else if string(got) != tc.want {
				t.Errorf("file holds %q, want %q", got, tc.want)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestRemoveStale checks that RemoveStale removes the temporary files Write makes (those
// Stale lists, without removing them), and
// only those: not visible files, nor hidden ones of another name, nor one named like them
// but for the random number (a name someone chose), nor a symbolic link or a directory
// with such a name.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	files := map[string]bool{ // name: removed
		".part-00001.parquet.tmp-123": true,
		".manifest.json.tmp-9":        true,
		"part-00001.parquet":          false,
		"notes.tmp-1":                 false,
		".hidden":                     false,
		".config.yaml.bak":            false,
		".part-00001.parquet.tmp-old": false,
		".previous-run.tmp-notes":     false,
		".summary.csv.tmp-":           false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "notes.tmp-1"), filepath.Join(dir, ".link.tmp-42")); err != nil {
		t.Fatal(err)
	}
	files[".link.tmp-42"] = false
	if err := os.Mkdir(filepath.Join(dir, ".dir.tmp-43"), 0o755); err != nil {
		t.Fatal(err)
	}
	files[".dir.tmp-43"] = false
	// What a write cut short leaves: its own temporary file.
	tmp, err := os.CreateTemp(dir, ".summary.csv"+tempSuffix+"*")
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	files[filepath.Base(tmp.Name())] = true
	listed := Stale(dir) // lists, removing nothing: RemoveStale then removes the same
	removed := RemoveStale(dir)
	if !slices.Equal(listed, removed) {
		t.Errorf("Stale listed %v, RemoveStale removed %v; want the same", listed, removed)
	}
	for name, want := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != want {
			t.Errorf("%s: removed %v, want %v", name, gone, want)
		}
	}
	if len(removed) != 3 {
		t.Errorf("removed %v, want the 3 temporary files", removed)
	}
}

// TestRemoveStaleOf checks that RemoveStaleOf removes the temporary files of the named
// files' writes and leaves those of the other files in their directory.
func TestRemoveStaleOf(t *testing.T) {
	dir := t.TempDir()
	files := map[string]bool{ // name: removed
		".part-00001.parquet.tmp-123":  true,
		".part-00001.parquet.tmp-9":    true,
		".part-00003.parquet.tmp-77":   true,
		".part-00011.parquet.tmp-123":  false,
		".part-00001.parquet.x.tmp-12": false,
		".part-00002.parquet.tmp-123":  false,
		"part-00001.parquet":           false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed := RemoveStaleOf(dir, "part-00001.parquet", "part-00003.parquet")
	for name, want := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != want {
			t.Errorf("%s: removed %v, want %v", name, gone, want)
		}
	}
	if len(removed) != 3 {
		t.Errorf("removed %v, want the 3 temporary files of part-00001.parquet and part-00003.parquet", removed)
	}
}
