// Package atomicfile writes files so that a reader, or a run killed midway, never sees a
// partial one: the content goes to a temporary name in the same directory, is synced, and
// is renamed into place.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/internal/dirglob"
)

// Write writes path through write, atomically; the file ends with mode 0644. The error
// names path and the step that failed.
func Write(path string, write func(f *os.File) error) error {
	return WriteGated(path, write, nil)
}

// WriteGated is Write with a gate between the content and its name: once the content is
// written and synced, gate (unless nil) decides whether the file is renamed into place
// (nil) or abandoned (an error, returned as it is, the temporary file removed). A file can
// so be written before the condition for it to exist holds, such as another file being on
// disk first, and appear only once it does.
func WriteGated(path string, write func(f *os.File) error, gate func() error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempSuffix+"*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if gate != nil {
		if err := gate(); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

// tempSuffix follows a file's name in the name of its temporary file (hidden, with a
// leading dot), before a random number.
const tempSuffix = ".tmp-"

// IsTemp reports whether name (a file name, without its directory) is that of a
// temporary file of this package's writes: one a killed process may leave behind.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempSuffix)
}

// RemoveStale removes from dir the temporary files of writes a killed process left
// behind: never renamed, so never any file's content. It returns the names it removed;
// a file it cannot remove is left as it is. Only a regular file whose name ends as a
// temporary file's does, in a random number (os.CreateTemp's digits), is one: an entry of
// a name someone chose, a symbolic link or a directory is left.
func RemoveStale(dir string) []string {
	return removeStale(dir, func(string) bool { return true })
}

// RemoveStaleOf is RemoveStale for the writes of the files named (in dir) alone: the
// temporary files of their writes a killed process left, not those of other files in dir
// (which another process may be writing now).
func RemoveStaleOf(dir string, names ...string) []string {
	of := make(map[string]bool, len(names))
	for _, n := range names {
		of[n] = true
	}
	return removeStale(dir, func(name string) bool {
		i := strings.LastIndex(name, tempSuffix)
		return of[name[1:i]] // name is "." + a file's name + tempSuffix + digits
	})
}

// Stale lists the temporary files in dir that RemoveStale would remove (paths including
// dir), and changes nothing: for a check that reports them.
func Stale(dir string) []string {
	return stale(dir, func(string) bool { return true })
}

// removeStale removes the temporary files in dir whose names of accepts.
func removeStale(dir string, of func(name string) bool) []string {
	var removed []string
	for _, f := range stale(dir, of) {
		if os.Remove(f) == nil {
			removed = append(removed, f)
		}
	}
	return removed
}

// stale lists the temporary files in dir whose names of accepts.
func stale(dir string, of func(name string) bool) []string {
	found, _ := dirglob.Glob(dir, ".*"+tempSuffix+"*")
	var out []string
	for _, f := range found {
		if name := filepath.Base(f); !randomSuffix(name) || !of(name) {
			continue
		}
		if fi, err := os.Lstat(f); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		out = append(out, f)
	}
	return out
}

// randomSuffix reports whether name ends in tempSuffix and decimal digits, as the name
// of a temporary file of this package's writes does.
func randomSuffix(name string) bool {
	i := strings.LastIndex(name, tempSuffix)
	if i < 0 {
		return false
	}
	digits := name[i+len(tempSuffix):]
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}
