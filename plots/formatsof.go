package plots

import (
	"path/filepath"
	"slices"
	"strings"
)

// FormatsOf returns the figure formats (in the order of Formats) of the files among
// files that are figures of a format WriteAll writes, nil when none is: the formats a
// manifest's outputs record, which a resume draws its figures in again unless told
// otherwise.
func FormatsOf(files []string) []string {
	var out []string
	for _, f := range Formats {
		if slices.ContainsFunc(files, func(file string) bool { return strings.TrimPrefix(filepath.Ext(file), ".") == f }) {
			out = append(out, f)
		}
	}
	return out
}
