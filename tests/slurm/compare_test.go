// Package slurm_test holds the check at the end of tests/slurm/run.sh: the run a Slurm
// array computed in shards and a dependent job merged must equal the single-process run of
// the same config, seed and chunk size, row for row and band for band.
package slurm_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestCompareMergedWithSingleRun compares the run directories BACKSTOP_COMPARE_A (merged
// from shards) and BACKSTOP_COMPARE_B (one process). tests/slurm/run.sh sets both; alone,
// the test has nothing to compare and skips.
func TestCompareMergedWithSingleRun(t *testing.T) {
	a, b := os.Getenv("BACKSTOP_COMPARE_A"), os.Getenv("BACKSTOP_COMPARE_B")
	if a == "" || b == "" {
		t.Skip("BACKSTOP_COMPARE_A and BACKSTOP_COMPARE_B name no run directories; tests/slurm/run.sh sets them")
	}

	ma, mb := readManifest(t, a), readManifest(t, b)
	if ma.Seed != mb.Seed || ma.Paths != mb.Paths || ma.ChunkSize != mb.ChunkSize {
		t.Fatalf("the runs differ in seed, paths or chunk size: %s has %d, %d, %d; %s has %d, %d, %d",
			a, ma.Seed, ma.Paths, ma.ChunkSize, b, mb.Seed, mb.Paths, mb.ChunkSize)
	}
	if ma.Config != mb.Config {
		t.Fatalf("the runs' configs differ:\n%s\n---\n%s", ma.Config, mb.Config)
	}
	if !reflect.DeepEqual(ma.Parts, mb.Parts) {
		t.Fatalf("parts differ: %s lists %v, %s lists %v", a, ma.Parts, b, mb.Parts)
	}

	var metrics []string
	for _, m := range sim.Metrics {
		metrics = append(metrics, m.Name)
	}
	ra, rb := readRows(t, a, metrics), readRows(t, b, metrics)
	if want := int(mb.Paths) * len(mb.Policies); len(rb.Path) != want {
		t.Fatalf("%s holds %d rows, want %d paths x %d policies", b, len(rb.Path), mb.Paths, len(mb.Policies))
	}
	if i := firstRowDifference(ra, rb, metrics); i >= 0 {
		t.Fatalf("row %d differs: %s\n%s has %s\n%s has %s", i, rowDiffColumn(ra, rb, metrics, i), a, rowString(ra, metrics, i), b, rowString(rb, metrics, i))
	}
	for _, key := range []string{"backstop.config", "backstop.seed", "backstop.paths"} {
		if ra.Metadata[key] != rb.Metadata[key] {
			t.Fatalf("footer key %s differs: %q vs %q", key, ra.Metadata[key], rb.Metadata[key])
		}
	}

	ba, bb := readBands(t, a), readBands(t, b)
	if len(ba) != len(bb) || len(bb) == 0 {
		t.Fatalf("%s has %d band rows, %s has %d", a, len(ba), b, len(bb))
	}
	for i := range ba {
		if ba[i] != bb[i] {
			t.Fatalf("band row %d differs:\n%s has %+v\n%s has %+v", i, a, ba[i], b, bb[i])
		}
	}

	sa, sb := readFile(t, filepath.Join(a, results.SummaryFile)), readFile(t, filepath.Join(b, results.SummaryFile))
	if sa != sb {
		t.Fatalf("%s differs between the runs:\n%s\n---\n%s", results.SummaryFile, sa, sb)
	}
	t.Logf("%d rows, %d band rows and %s identical", len(ra.Path), len(ba), results.SummaryFile)
}

func readManifest(t *testing.T, dir string) *results.Manifest {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.StatusComplete {
		t.Fatalf("%s: status %q, want %q", dir, m.Status, results.StatusComplete)
	}
	return m
}

func readRows(t *testing.T, dir string, metrics []string) *results.PathColumns {
	t.Helper()
	pc, err := results.ReadPathColumns(dir, metrics)
	if err != nil {
		t.Fatal(err)
	}
	return pc
}

func readBands(t *testing.T, dir string) []results.BandRow {
	t.Helper()
	rows, _, err := results.ReadBands(dir)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstRowDifference returns the first row where a and b differ, len of the shorter if one
// is a prefix of the other, or -1 when they are identical. Values compare bit for bit, so
// NaN equals NaN.
func firstRowDifference(a, b *results.PathColumns, metrics []string) int {
	n := min(len(a.Path), len(b.Path))
	for i := 0; i < n; i++ {
		if rowDiffColumn(a, b, metrics, i) != "" {
			return i
		}
	}
	if len(a.Path) != len(b.Path) {
		return n
	}
	return -1
}

// rowDiffColumn names the first column where row i of a and b differ, "" if none.
func rowDiffColumn(a, b *results.PathColumns, metrics []string, i int) string {
	if i >= len(a.Path) || i >= len(b.Path) {
		return "one run has fewer rows"
	}
	if a.Path[i] != b.Path[i] {
		return results.ColPath
	}
	if a.Policy[i] != b.Policy[i] {
		return results.ColPolicy
	}
	for _, m := range metrics {
		x, y := a.Columns[m][i], b.Columns[m][i]
		if x != y && !(x != x && y != y) {
			return m
		}
	}
	return ""
}

func rowString(pc *results.PathColumns, metrics []string, i int) string {
	if i >= len(pc.Path) {
		return "no such row"
	}
	s := fmt.Sprintf("path %d policy %s", pc.Path[i], pc.Policy[i])
	for _, m := range metrics {
		s += fmt.Sprintf(" %s=%v", m, pc.Columns[m][i])
	}
	return s
}
