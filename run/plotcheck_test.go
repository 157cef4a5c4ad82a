package run_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// TestPlotRefusesChangedFiles checks that backstop plot draws no figures from a file the
// figures read that is not the one the run wrote, and names it: a part rewritten by
// another tool with its footer kept (as pandas keeps it) but fewer rows, which every
// Parquet reader reads without complaint; a part whose footer lost a byte's bit; bands and
// convergence tables changed the same ways.
func TestPlotRefusesChangedFiles(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		change     func(t *testing.T, path string)
	}{
		{"a part rewritten with half its rows", "paths/part-00001.parquet", keepHalfTheRows},
		{"a bit flipped in a part's footer", "paths/part-00001.parquet", flipFooterBit},
		{"the bands rewritten with half their rows", results.BandsFile, keepHalfTheRows},
		{"a bit flipped in the convergence table's footer", results.ConvergenceFile, flipFooterBit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			smallRun(t, dir, 1200, 2, 400, 3)
			tc.change(t, filepath.Join(dir, tc.file))
			files, err := run.Plot(dir, run.FigureOptions{Formats: []string{"svg"}}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.file) {
				t.Fatalf("plot drew %d files, error %v: want an error naming %s", len(files), err, tc.file)
			}
			if _, err := os.Stat(filepath.Join(dir, results.FiguresDir)); err == nil {
				t.Errorf("plot wrote %s despite the changed %s", results.FiguresDir, tc.file)
			}
		})
	}
}

// keepHalfTheRows rewrites the Parquet file at path as another tool would after dropping
// rows: a valid file with the same footer metadata and half the rows.
func keepHalfTheRows(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	defer pr.Close()
	tr := array.NewTableReader(tbl, max(tbl.NumRows()/2, 1))
	defer tr.Release()
	tr.Next()
	var keys, values []string // the footer's metadata, kept as pandas keeps it
	for _, kv := range pr.MetaData().KeyValueMetadata() {
		if kv.Key != "ARROW:schema" && kv.Value != nil {
			keys, values = append(keys, kv.Key), append(values, *kv.Value)
		}
	}
	md := arrow.NewMetadata(keys, values)
	half := array.NewTableFromRecords(arrow.NewSchema(tbl.Schema().Fields(), &md), []arrow.RecordBatch{tr.RecordBatch()})
	defer half.Release()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd))
	if err := pqarrow.WriteTable(half, out, 1<<20, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema())); err != nil {
		t.Fatal(err)
	}
}

// flipFooterBit flips one bit of the footer of the Parquet file at path: the high bit of
// the last byte of its footer metadata, a byte of the key-value metadata.
func flipFooterBit(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-9] ^= 0x80
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
