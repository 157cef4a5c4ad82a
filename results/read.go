package results

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// readTable reads a whole Parquet file, keeping only columns (all when nil), and returns
// it with the footer's key-value metadata.
//
// A damaged file gives an error naming it, never a panic: arrow's decoders panic on some
// damage (a zstd frame failing its CRC), which is recovered here.
func readTable(path string, columns []string) (tbl arrow.Table, md map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			tbl, md, err = nil, nil, fmt.Errorf("read %s: the file is damaged (%v)", path, r)
		}
	}()
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
	md = map[string]string{}
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
	tbl, err = readColumns(fr, idx)
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

// PartFiles returns the Parquet parts of the run in dir, in path order: those its
// manifest lists, never whatever else lies in paths/. A listed part that is missing is an
// error naming it.
func PartFiles(dir string) ([]string, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s holds no %s: is it a backstop run directory?", dir, ManifestFile)
		}
		return nil, err
	}
	if len(m.Parts) == 0 {
		return nil, fmt.Errorf("the manifest of %s lists no Parquet parts (status %s)", dir, m.Status)
	}
	parts := make([]string, len(m.Parts))
	for i, p := range m.Parts {
		parts[i] = filepath.Join(dir, p)
		if _, err := os.Stat(parts[i]); err != nil {
			return nil, fmt.Errorf("%s lists %s, which is missing (%v): check the run with backstop verify %s", filepath.Join(dir, ManifestFile), p, err, dir)
		}
	}
	return parts, nil
}

// partIdentities returns, per listed part of the run in dir, the index entry whose run id
// and chunk its footer must carry (none for a run written before identities).
func partIdentities(dir string) map[string]ChunkEntry {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil
	}
	ids := map[string]ChunkEntry{}
	for _, e := range m.Index {
		ids[filepath.Join(dir, e.Part)] = e
	}
	return ids
}

// foreignPart describes how the footer md of part differs from the index entry e the
// manifest lists for it ("" when it does not): another run's part, or another chunk's
// of this run (copied over it).
func foreignPart(md map[string]string, e ChunkEntry) string {
	if md[KeyRunID] != e.RunID {
		return fmt.Sprintf("belongs to another run (run id %q, the manifest lists %q)", md[KeyRunID], e.RunID)
	}
	if md[KeyChunk] != strconv.Itoa(e.Chunk) {
		return fmt.Sprintf("holds chunk %q of the run, but the manifest lists it as chunk %d (a part copied over another)", md[KeyChunk], e.Chunk)
	}
	return ""
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
	ids := partIdentities(dir)
	for _, part := range parts {
		if maxRows > 0 && len(out.Path) >= maxRows {
			break
		}
		tbl, md, err := readTable(part, cols)
		if err != nil {
			return nil, err
		}
		if e, ok := ids[part]; ok {
			if why := foreignPart(md, e); why != "" {
				tbl.Release()
				return nil, fmt.Errorf("%s %s: check the run with backstop verify %s", part, why, dir)
			}
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
				dst := out.Columns[name]
				for _, v := range a.Int64Values() {
					dst = append(dst, float64(v))
				}
				out.Columns[name] = dst
			case *array.Int32:
				dst := out.Columns[name]
				for _, v := range a.Int32Values() {
					dst = append(dst, float64(v))
				}
				out.Columns[name] = dst
			case *array.Float64:
				out.Columns[name] = append(out.Columns[name], a.Float64Values()...)
			case *array.Dictionary:
				dict, ok := a.Dictionary().(*array.String)
				if !ok {
					return fmt.Errorf("%s: column %q is not a dictionary of strings", part, name)
				}
				dst := out.Strings[name]
				for j := 0; j < a.Len(); j++ {
					dst = append(dst, dict.Value(a.GetValueIndex(j)))
				}
				out.Strings[name] = dst
			case *array.String:
				dst := out.Strings[name]
				for j := 0; j < a.Len(); j++ {
					dst = append(dst, a.Value(j))
				}
				out.Strings[name] = dst
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

// DecodePart reads every page of every column of the Parquet part at path and returns its
// footer metadata and row count: an error names the file if any page is damaged.
func DecodePart(path string) (map[string]string, int64, error) {
	tbl, md, err := readTable(path, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tbl.Release()
	return md, tbl.NumRows(), nil
}
