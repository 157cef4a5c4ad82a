package results

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/backstop-research/backstop/internal/printable"
)

// SumFiles returns the SHA-256 of each of files (relative to dir) as it is now, by its
// relative name: what a manifest's output_sha256 records of the files it lists (a run's,
// a sweep's, an exploration's or a calibration's own files), so that verify can check
// every file the directory holds.
func SumFiles(dir string, files []string) (map[string]string, error) {
	sums := make(map[string]string, len(files))
	for _, rel := range files {
		sum, err := FileSHA256(filepath.Join(dir, rel))
		if err != nil {
			return nil, fmt.Errorf("checksum output %s: %w", filepath.Join(dir, rel), err)
		}
		sums[rel] = sum
	}
	return sums, nil
}

// RelativeFiles returns files (paths under dir, as writers return what they wrote)
// relative to dir, as a manifest lists them; a path outside dir is left out.
func RelativeFiles(dir string, files []string) []string {
	var out []string
	for _, f := range files {
		if rel, err := filepath.Rel(dir, f); err == nil && filepath.IsLocal(rel) {
			out = append(out, rel)
		}
	}
	return out
}

// AddOutputs adds files (relative to dir) to a manifest's outputs, each once, and the
// SHA-256 of each as it is now to its sums (made when nil): a run's or a sweep's figures
// drawn again, say, recorded so that verify checks them as drawn.
func AddOutputs(dir string, outputs *[]string, sums *map[string]string, files []string) error {
	now, err := SumFiles(dir, files)
	if err != nil {
		return err
	}
	if *sums == nil {
		*sums = map[string]string{}
	}
	for _, rel := range files {
		if !slices.Contains(*outputs, rel) {
			*outputs = append(*outputs, rel)
		}
		(*sums)[rel] = now[rel]
	}
	return nil
}

// FileProblems checks each of files (relative to dir) against the SHA-256 sums records
// for it, one line per file missing, unreadable or changed; a file sums has no record of
// (a manifest written before checksums were recorded) is checked for presence and
// readability alone. Names are shown as printable.Name shows them.
func FileProblems(dir string, files []string, sums map[string]string) []string {
	var problems []string
	for _, f := range files {
		sum, err := FileSHA256(filepath.Join(dir, f))
		switch want := sums[f]; {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: listed by the manifest but missing or unreadable (%v)", printable.Name(f), printable.Error(err)))
		case want != "" && want != sum:
			problems = append(problems, fmt.Sprintf("%s: changed since it was written (sha256 %s, the manifest records %s)", printable.Name(f), sum[:12], want[:min(12, len(want))]))
		}
	}
	return problems
}
