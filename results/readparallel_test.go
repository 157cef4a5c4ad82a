package results_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestParallelPartReadingMatchesSerial checks that reading the parts several at a time
// gives the columns of reading them one after another: every row of the whole parts that
// hold the first maxRows rows, in path order, whatever the number of workers, with and
// without the manifest's row counts; and that of several bad parts the first in path order
// is reported, but only when reading one by one would have reached it.
func TestParallelPartReadingMatchesSerial(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 600
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 70}); err != nil {
		t.Fatal(err)
	}
	metrics := []string{"peak_basis_bp", "funds_defaulted", "cb_pnl_bn"}
	all, err := results.ReadPathColumnsBy(1, dir, metrics, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	// want returns the rows that reading whole parts one by one until maxRows are in keeps.
	want := func(maxRows int) int {
		rows := 0
		for _, e := range m.Index {
			if maxRows > 0 && rows >= maxRows {
				break
			}
			rows += int(e.Rows)
		}
		return rows
	}
	if len(m.Index) != 9 || len(all.Path) != want(0) || len(all.Path) != 1800 {
		t.Fatalf("%d parts, %d rows read, want 9 parts of 1800 rows", len(m.Index), len(all.Path))
	}
	check := func(t *testing.T, workers, maxRows int) {
		got, err := results.ReadPathColumnsBy(workers, dir, metrics, maxRows)
		if err != nil {
			t.Fatal(err)
		}
		n := want(maxRows)
		if len(got.Path) != n {
			t.Fatalf("%d rows, want %d", len(got.Path), n)
		}
		if !reflect.DeepEqual(got.Path, all.Path[:n]) || !reflect.DeepEqual(got.Policy, all.Policy[:n]) || !reflect.DeepEqual(got.Metadata, all.Metadata) {
			t.Fatal("paths, policies or metadata differ from reading part by part")
		}
		for _, c := range metrics {
			if !reflect.DeepEqual(got.Columns[c], all.Columns[c][:n]) {
				t.Fatalf("column %s differs from reading part by part", c)
			}
		}
	}
	cases := []struct{ workers, maxRows int }{
		{1, 0}, {2, 0}, {3, 0}, {16, 0},
		{2, 1}, {2, 210}, {2, 211}, {3, 629}, {2, 630}, {2, 631}, {4, 1799}, {2, 1800}, {2, 5000},
	}
	for _, tc := range cases {
		t.Run("index", func(t *testing.T) { check(t, tc.workers, tc.maxRows) })
	}
	// A manifest without the index (an incomplete run from before it): parts are read in
	// batches until the rows are in.
	noRows := *m
	noRows.Index, noRows.Status = nil, results.StatusIncomplete
	if err := results.WriteManifest(dir, &noRows); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run("no index", func(t *testing.T) { check(t, tc.workers, tc.maxRows) })
	}
	if err := results.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	// Parts 4 and 7 (0-based) replaced by part 1: both foreign, part 4 reported.
	src, err := os.ReadFile(filepath.Join(dir, m.Index[1].Part))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{4, 7} {
		if err := os.WriteFile(filepath.Join(dir, m.Index[k].Part), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, serialErr := results.ReadPathColumnsBy(1, dir, metrics, 0)
	if serialErr == nil {
		t.Fatal("foreign parts read without error")
	}
	for _, workers := range []int{2, 3, 16} {
		if _, err := results.ReadPathColumnsBy(workers, dir, metrics, 0); err == nil || err.Error() != serialErr.Error() {
			t.Errorf("%d workers: error %v, want %v", workers, err, serialErr)
		}
		// The first four parts hold 840 rows: part 4 is never reached.
		got, err := results.ReadPathColumnsBy(workers, dir, metrics, 840)
		if err != nil || len(got.Path) != 840 {
			t.Errorf("%d workers, first 840 rows: %d rows, error %v", workers, len(got.Path), err)
		}
	}
	if want := filepath.Join(dir, m.Index[4].Part); !strings.Contains(serialErr.Error(), want) {
		t.Errorf("error %q does not name the first foreign part %s", serialErr, want)
	}
}
