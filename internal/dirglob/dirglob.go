// Package dirglob finds the files of a directory whose path may hold any character,
// those of a file name pattern (* ? [ \) included, which filepath.Glob would read as a
// pattern: an output directory named run[1] or a*b holds its files like any other.
package dirglob

import (
	"path/filepath"
	"strings"
)

// Glob returns the names of the files matching dir/pattern, as filepath.Glob does, with
// dir taken literally and pattern (filepath.Match syntax, slash-separated) a pattern.
func Glob(dir, pattern string) ([]string, error) {
	return filepath.Glob(filepath.Join(Escape(dir), pattern))
}

// Escape returns s with every character that filepath.Match reads as a pattern escaped
// by a backslash, so that it matches s alone.
func Escape(s string) string {
	return metaReplacer.Replace(s)
}

// metaReplacer escapes filepath.Match's special characters.
var metaReplacer = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
