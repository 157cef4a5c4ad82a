package explore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/backstop-research/backstop/run"
)

// Shards computed separately and merged give the outputs of one process: the CSV files
// and chunks byte for byte, samples.parquet row for row.
func TestShardedMergedEqualsOneProcess(t *testing.T) {
	p := plan(t, smallSobol)
	ref := t.TempDir()
	if _, err := Run(context.Background(), p, Options{OutDir: ref, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, i := range []int{3, 1} {
		if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 1, Shard: run.ShardSpec{Index: i, Count: 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge(dir, MergeOptions{}); err == nil {
		t.Fatal("merge with shard 2/3 missing succeeded")
	}
	if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Shard: run.ShardSpec{Index: 2, Count: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Shard: run.ShardSpec{Index: 2, Count: 3}}); err == nil {
		t.Error("a complete shard ran again without Force")
	}
	if !IsExploration(dir) {
		t.Error("a directory of shards is not recognized as an exploration")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Merge(dir, MergeOptions{Context: cancelled}); !errors.Is(err, run.ErrInterrupted) || err.Error() != run.MergeInterrupted(dir).Error() {
		t.Fatalf("merge with its context cancelled: %v, want %v", err, run.MergeInterrupted(dir))
	}
	if m, err := ReadManifest(dir); err == nil {
		t.Fatalf("an interrupted merge wrote a manifest, status %s", m.Status)
	}
	if _, err := Merge(dir, MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	compare(t, ref, dir)
	a, b := parquetRows(t, filepath.Join(ref, SamplesFile)), parquetRows(t, filepath.Join(dir, SamplesFile))
	if !strings.Contains(a, "peak_basis_bp") || !strings.Contains(a, "spv.discount:") {
		t.Errorf("samples.parquet as read lacks its columns:\n%.500s", a)
	}
	if a != b {
		t.Error("samples.parquet rows differ between one process and the merged shards")
	}
	if _, err := Merge(dir, MergeOptions{}); err == nil {
		t.Error("merging a complete exploration again without Force succeeded")
	}
}

// parquetRows renders a Parquet file's columns, read with arrow-go's reader, as text.
func parquetRows(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if tbl.NumRows() == 0 {
		t.Fatalf("%s has no rows", path)
	}
	s := ""
	for i := 0; i < int(tbl.NumCols()); i++ {
		s += tbl.Schema().Field(i).Name + ":"
		for _, c := range tbl.Column(i).Data().Chunks() {
			s += c.String()
		}
		s += "\n"
	}
	return s
}
