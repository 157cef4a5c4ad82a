package results

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// readTable reads a whole Parquet file, keeping only columns (all when nil), and returns
// it with the footer's key-value metadata.
func readTable(path string, columns []string) (arrow.Table, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // names the path already
	}
	defer f.Close()
	pr, err := file.NewParquetReader(f, file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer pr.Close()
	md := map[string]string{}
	for _, kv := range pr.MetaData().KeyValueMetadata() {
		if kv.Value != nil {
			md[kv.Key] = *kv.Value
		}
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s schema: %w", path, err)
	}
	var idx []int
	for _, c := range columns {
		i := schema.FieldIndices(c)
		if len(i) == 0 {
			return nil, nil, fmt.Errorf("%s has no column %q (this run's schema does not match: rerun or use a matching backstop version)", path, c)
		}
		idx = append(idx, i[0])
	}
	if columns == nil {
		for i := range schema.Fields() {
			idx = append(idx, i)
		}
	}
	tbl, err := readColumns(fr, idx)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return tbl, md, nil
}

// readColumns reads columns idx of every row group, one row group at a time: pqarrow
// cannot join dictionary-encoded chunks of two row groups into one batch.
func readColumns(fr *pqarrow.FileReader, idx []int) (arrow.Table, error) {
	var recs []arrow.Record
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var schema *arrow.Schema
	for rg := 0; rg < fr.ParquetReader().NumRowGroups(); rg++ {
		rr, err := fr.GetRecordReader(context.Background(), idx, []int{rg})
		if err != nil {
			return nil, err
		}
		schema = rr.Schema()
		for rr.Next() {
			rec := rr.Record()
			rec.Retain()
			recs = append(recs, rec)
		}
		err = rr.Err()
		rr.Release()
		if err != nil && !errors.Is(err, io.EOF) { // pqarrow reports the end as io.EOF
			return nil, err
		}
	}
	if schema == nil { // no row groups: an empty table of the columns
		rr, err := fr.GetRecordReader(context.Background(), idx, nil)
		if err != nil {
			return nil, err
		}
		schema = rr.Schema()
		rr.Release()
	}
	return array.NewTableFromRecords(schema, recs), nil
}

// PartFiles returns the Parquet parts under dir/paths in name order (= path order).
func PartFiles(dir string) ([]string, error) {
	parts, err := filepath.Glob(filepath.Join(dir, PathsDir, "*.parquet"))
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%s holds no Parquet parts: is %s a backstop run directory?", filepath.Join(dir, PathsDir), dir)
	}
	sort.Strings(parts)
	return parts, nil
}

// Column is one column read from every part, as float64 (integer columns converted).
type Column struct {
	Name   string
	Values []float64
}

// PathColumns is the per-path dataset, or some of its columns, read from every part.
type PathColumns struct {
	Path     []int64
	Policy   []string             // per row
	Columns  map[string][]float64 // numeric columns, integers converted
	Strings  map[string][]string  // string columns (dictionary-decoded), Policy among them
	Metadata map[string]string    // the first part's footer
}

func newPathColumns() *PathColumns {
	return &PathColumns{Columns: map[string][]float64{}, Strings: map[string][]string{}}
}

// ReadPathColumns reads the path and policy columns and the named metric columns from
// every part of the run in dir, in path order.
func ReadPathColumns(dir string, metrics []string) (*PathColumns, error) {
	return ReadPathColumnsUpTo(dir, metrics, 0)
}

// ReadPathColumnsUpTo is ReadPathColumns that stops after the part holding the first
// maxRows rows (every row when maxRows <= 0): the first paths of a run are an unbiased
// sample of it, since every path's shocks are independent.
func ReadPathColumnsUpTo(dir string, metrics []string, maxRows int) (*PathColumns, error) {
	parts, err := PartFiles(dir)
	if err != nil {
		return nil, err
	}
	out := newPathColumns()
	cols := append([]string{ColPath, ColPolicy}, metrics...)
	for _, part := range parts {
		if maxRows > 0 && len(out.Path) >= maxRows {
			break
		}
		tbl, md, err := readTable(part, cols)
		if err != nil {
			return nil, err
		}
		if out.Metadata == nil {
			out.Metadata = md
		}
		err = appendColumns(out, tbl, part, metrics)
		tbl.Release()
		if err != nil {
			return nil, err
		}
	}
	out.Policy = out.Strings[ColPolicy]
	return out, nil
}

func appendColumns(out *PathColumns, tbl arrow.Table, part string, metrics []string) error {
	for i := 0; i < int(tbl.NumCols()); i++ {
		col := tbl.Column(i)
		name := col.Name()
		for _, chunk := range col.Data().Chunks() {
			switch a := chunk.(type) {
			case *array.Int64:
				if name == ColPath {
					out.Path = append(out.Path, a.Int64Values()...)
					continue
				}
				for _, v := range a.Int64Values() {
					out.Columns[name] = append(out.Columns[name], float64(v))
				}
			case *array.Int32:
				for _, v := range a.Int32Values() {
					out.Columns[name] = append(out.Columns[name], float64(v))
				}
			case *array.Float64:
				out.Columns[name] = append(out.Columns[name], a.Float64Values()...)
			case *array.Dictionary:
				dict, ok := a.Dictionary().(*array.String)
				if !ok {
					return fmt.Errorf("%s: column %q is not a dictionary of strings", part, name)
				}
				for j := 0; j < a.Len(); j++ {
					out.Strings[name] = append(out.Strings[name], dict.Value(a.GetValueIndex(j)))
				}
			case *array.String:
				for j := 0; j < a.Len(); j++ {
					out.Strings[name] = append(out.Strings[name], a.Value(j))
				}
			default:
				return fmt.Errorf("%s: column %q has unexpected type %s", part, name, chunk.DataType())
			}
		}
	}
	return nil
}

// ReadBands reads dir/bands.parquet.
func ReadBands(dir string) ([]BandRow, map[string]string, error) {
	path := filepath.Join(dir, BandsFile)
	cols := []string{ColPolicy, ColSeries, ColDay, ColMean}
	for _, q := range BandQuantiles {
		cols = append(cols, q.Column)
	}
	tbl, md, err := readTable(path, cols)
	if err != nil {
		return nil, nil, err
	}
	defer tbl.Release()
	pc := newPathColumns()
	if err := appendColumns(pc, tbl, path, nil); err != nil {
		return nil, nil, err
	}
	rows := make([]BandRow, tbl.NumRows())
	for i := range rows {
		r := BandRow{Policy: pc.Strings[ColPolicy][i], Series: pc.Strings[ColSeries][i], Day: int(pc.Columns[ColDay][i]), Mean: pc.Columns[ColMean][i]}
		for q, bq := range BandQuantiles {
			r.Q[q] = pc.Columns[bq.Column][i]
		}
		rows[i] = r
	}
	return rows, md, nil
}
