package run_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestMergeRemovesStaleTemps plants the temporary files a merge killed half-way leaves
// behind (a figure's, the summary's) and checks that the next merge removes them, as a
// resumed run does: they are never any file's content.
func TestMergeRemovesStaleTemps(t *testing.T) {
	dir := twoShards(t)
	stale := []string{
		filepath.Join(dir, results.FiguresDir, ".convergence.png.tmp-3780032331"),
		filepath.Join(dir, ".summary.csv.tmp-12345"),
	}
	for _, f := range stale {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("cut short"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := run.Merge(dir, run.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s is still there after the merge (stat: %v)", f, err)
		}
	}
}
