package run_test

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// TestDatasetPartsEqualSinglePart checks issue 8's "a run with many parts, read through
// the dataset path, gives the same table as a single-part run": the same config and seed
// written as one part and as seven uneven parts read back (results.ReadPathColumns
// concatenates paths/*.parquet) as the same rows, bit for bit. TestReproducible compares
// multi-part runs with each other, leaves out the policy column and summary.csv, and never
// writes a single part.
//
// Bands and summary come from statistics merged chunk by chunk, so their means (and the
// summary's CIs) are summed in another order when the chunking changes: they agree to a
// few ulps, not bit for bit (README promises bit-for-bit only across --workers). Their
// keys, counts and sketch quantiles must still be identical.
func TestDatasetPartsEqualSinglePart(t *testing.T) {
	const n = 1000
	base := t.TempDir()
	single, parted := filepath.Join(base, "single"), filepath.Join(base, "parted")
	if m := smallRun(t, single, n, 2, n, 11).Manifest; len(m.Parts) != 1 {
		t.Fatalf("single-part run wrote %d parts", len(m.Parts))
	}
	if m := smallRun(t, parted, n, 2, 150, 11).Manifest; len(m.Parts) != 7 { // 6 x 150 + 100
		t.Fatalf("chunked run wrote %d parts, want 7", len(m.Parts))
	}

	oneRows, oneBands := readRun(t, single)
	manyRows, manyBands := readRun(t, parted)
	if len(oneRows.Path) != n*3 || len(oneRows.Columns) != len(allColumns()) {
		t.Fatalf("single-part run read as %d rows and %d metric columns", len(oneRows.Path), len(oneRows.Columns))
	}
	if !reflect.DeepEqual(manyRows.Path, oneRows.Path) {
		t.Error("path column: 7 parts differ from 1 part")
	}
	if !reflect.DeepEqual(manyRows.Policy, oneRows.Policy) {
		t.Error("policy column: 7 parts differ from 1 part")
	}
	if !reflect.DeepEqual(manyRows.Columns, oneRows.Columns) {
		t.Error("metric columns: 7 parts differ from 1 part")
	}

	// 1e-12 relative is a thousand times the summation noise seen here (~1e-15) and a
	// million times finer than one path more or less in n = 1000.
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) }

	if len(manyBands) != len(oneBands) {
		t.Fatalf("bands: %d rows from 7 parts, %d from 1 part", len(manyBands), len(oneBands))
	}
	for i, a := range manyBands {
		b := oneBands[i]
		if a.Policy != b.Policy || a.Series != b.Series || a.Day != b.Day || a.Q != b.Q || !near(a.Mean, b.Mean) {
			t.Errorf("bands row %d: %+v from 7 parts, %+v from 1 part", i, a, b)
		}
	}

	oneSum, err := results.ReadSummaryCSV(filepath.Join(single, results.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	manySum, err := results.ReadSummaryCSV(filepath.Join(parted, results.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(manySum) != len(oneSum) {
		t.Fatalf("summary.csv: %d rows from 7 parts, %d from 1 part", len(manySum), len(oneSum))
	}
	for i, a := range manySum {
		b := oneSum[i]
		if a.Policy != b.Policy || a.Metric != b.Metric || a.Unit != b.Unit || a.N != b.N || a.P50 != b.P50 || a.P95 != b.P95 ||
			!near(a.Mean, b.Mean) || !near(a.Lo, b.Lo) || !near(a.Hi, b.Hi) {
			t.Errorf("summary.csv row %d: %+v from 7 parts, %+v from 1 part", i, a, b)
		}
	}
}
