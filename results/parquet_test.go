package results

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/backstop-research/backstop/sim"
)

// TestWritePartRowGroups writes parts that fill less than one, exactly one, and several
// row groups and reads every value back, policy strings included, across the row groups.
func TestWritePartRowGroups(t *testing.T) {
	policies := []string{"none", "qe", "spv"}
	names := make([]string, sim.NumMetrics)
	for m := range names {
		names[m] = sim.Metrics[m].Name
	}
	for _, tc := range []struct {
		rows, groups int
	}{
		{10, 1},
		{PartRowGroupRows, 1},
		{2*PartRowGroupRows + 1, 3},
	} {
		rows := make([]sim.Result, tc.rows)
		for i := range rows {
			rows[i].Path, rows[i].Policy = int64(i/len(policies)), i%len(policies)
			for m := range rows[i].Values {
				rows[i].Values[m] = float64(i*sim.NumMetrics + m)
			}
		}
		path := filepath.Join(t.TempDir(), "part.parquet")
		if err := WritePart(path, NewProvenance("scenario: test\n", 1, int64(tc.rows)), policies, rows); err != nil {
			t.Fatal(err)
		}
		info, err := StatFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Rows != int64(tc.rows) || info.RowGroups != tc.groups {
			t.Errorf("%d rows: file has %d rows in %d row groups, want %d in %d", tc.rows, info.Rows, info.RowGroups, tc.rows, tc.groups)
		}
		pc, err := ReadPartColumns(path, names)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if pc.Path[i] != r.Path || pc.Policy[i] != policies[r.Policy] {
				t.Fatalf("%d rows: row %d reads back as path %d policy %q, want %d %q", tc.rows, i, pc.Path[i], pc.Policy[i], r.Path, policies[r.Policy])
			}
			for m, name := range names {
				if got := pc.Columns[name][i]; got != r.Values[m] {
					t.Fatalf("%d rows: row %d %s reads back as %v, want %v", tc.rows, i, name, got, r.Values[m])
				}
			}
		}
	}
}

// TestWritePartBytes checks that a part written by WritePart, its row groups gathered
// into reused columns and written in one batch per column, has the bytes of the same row
// groups built afresh (PathsRecord) and written with the writer's default batches.
func TestWritePartBytes(t *testing.T) {
	policies := []string{"none", "qe", "spv"}
	rows := make([]sim.Result, 2*PartRowGroupRows+7)
	for i := range rows {
		rows[i].Path, rows[i].Policy = int64(i/len(policies)), i%len(policies)
		for m := range rows[i].Values {
			rows[i].Values[m] = float64((i*7919+m*104729)%100003) / 7
		}
	}
	prov := NewProvenance("scenario: test\n", 1, int64(len(rows)/len(policies)))
	dir := t.TempDir()
	for range 2 { // the second write reuses the first's columns
		if err := WritePart(filepath.Join(dir, "part.parquet"), prov, policies, rows); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "part.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	groups := (len(rows) + PartRowGroupRows - 1) / PartRowGroupRows
	if err := writeParquetGroups(&want, PathsSchema(prov.Metadata()), groups, func(i int) (arrow.Record, error) {
		return PathsRecord(prov, policies, rows[i*PartRowGroupRows:min((i+1)*PartRowGroupRows, len(rows))]), nil
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("WritePart wrote %d bytes that differ from the %d of fresh row groups", len(got), want.Len())
	}
}

// BenchmarkPartColumnsRecord measures gathering one row group of rows into the columns a
// part's record wraps.
func BenchmarkPartColumnsRecord(b *testing.B) {
	policies := []string{"none", "qe", "spv"}
	rows := make([]sim.Result, PartRowGroupRows)
	for i := range rows {
		rows[i].Path, rows[i].Policy = int64(i/len(policies)), i%len(policies)
		for m := range rows[i].Values {
			rows[i].Values[m] = float64(i*sim.NumMetrics + m)
		}
	}
	schema := PathsSchema(NewProvenance("scenario: bench\n", 1, int64(len(rows))).Metadata())
	dict := dictionaryValues(policies)
	defer dict.Release()
	var c partColumns
	b.SetBytes(int64(len(rows)) * int64(unsafe.Sizeof(rows[0])))
	for b.Loop() {
		c.record(schema, dict, rows).Release()
	}
}
