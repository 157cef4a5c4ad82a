// Package dirstate describes a directory tree for tests that check a command changed
// nothing in it. It is for tests only.
package dirstate

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Describe returns a line for every entry under dir, dir included, in lexical order: its
// path, mode, size and modification time, and for a regular file the SHA-256 of its
// contents. Two calls return the same text exactly when no entry was added, removed,
// renamed, rewritten, touched or given other permissions in between. It fails t when dir
// cannot be read.
func Describe(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %v", p, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(data))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatalf("describe %s: %v", dir, err)
	}
	return b.String()
}
