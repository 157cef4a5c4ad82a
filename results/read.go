package results

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/internal/shellquote"
	"golang.org/x/sync/errgroup"
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
	f, err := regular.Open(path)
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
	fr, err := newArrowReader(path, pr, pqarrow.ArrowReadProperties{BatchSize: readBatchRows(pr)})
	if err != nil {
		return nil, nil, err
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

// readBatchRows returns the rows to read at a time from pr: its largest row group's, at
// most 65,536. The reader reserves a batch's values for every column, zeroed, before it
// reads them: a batch no larger than a row group (a part's 32,768 rows) spares it half.
func readBatchRows(pr *file.Reader) int64 {
	var rows int64 = 1
	for i := 0; i < pr.NumRowGroups(); i++ {
		rows = max(rows, pr.MetaData().RowGroup(i).NumRows())
	}
	return min(rows, 1<<16)
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
			return nil, fmt.Errorf("%s lists %s, which is missing (%v): check the run with backstop verify %s", filepath.Join(dir, ManifestFile), p, err, shellquote.Path(dir))
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
//
// The parts are decoded up to GOMAXPROCS at a time and appended in path order, so the
// columns (and of several bad parts, the error reported) are those of reading them one
// after another. Which parts hold the first maxRows rows comes from the manifest's index;
// without it, parts are read a batch of GOMAXPROCS at a time until enough rows are in.
func ReadPathColumnsUpTo(dir string, metrics []string, maxRows int) (*PathColumns, error) {
	return readPathColumnsBy(runtime.GOMAXPROCS(0), dir, metrics, maxRows)
}

// readPathColumnsBy is ReadPathColumnsUpTo decoding up to workers parts at a time.
func readPathColumnsBy(workers int, dir string, metrics []string, maxRows int) (*PathColumns, error) {
	parts, err := PartFiles(dir)
	if err != nil {
		return nil, err
	}
	out := newPathColumns()
	cols := append([]string{ColPath, ColPolicy}, metrics...)
	ids := partIdentities(dir)
	workers = max(workers, 1)
	batch := workers
	if n, ok := partsHolding(parts, ids, maxRows); ok {
		batch = max(n, 1)
	}
	for start := 0; start < len(parts); {
		if maxRows > 0 && len(out.Path) >= maxRows {
			break
		}
		end := min(len(parts), start+batch)
		tbls, mds, errs := readTables(workers, parts[start:end], cols)
		err := appendTables(out, dir, parts[start:end], tbls, mds, errs, ids, metrics, maxRows)
		for _, tbl := range tbls {
			if tbl != nil {
				tbl.Release()
			}
		}
		if err != nil {
			return nil, err
		}
		start = end
	}
	out.Policy = out.Strings[ColPolicy]
	return out, nil
}

// partsHolding returns how many of parts, in order, hold the first maxRows rows by the
// manifest index ids (all of them when maxRows <= 0), and false when the index does not
// say how many rows every part holds.
func partsHolding(parts []string, ids map[string]ChunkEntry, maxRows int) (int, bool) {
	if maxRows <= 0 {
		return len(parts), true
	}
	var rows int64
	for i, part := range parts {
		e, ok := ids[part]
		if !ok || e.Rows <= 0 {
			return 0, false
		}
		if rows += e.Rows; rows >= int64(maxRows) {
			return i + 1, true
		}
	}
	return len(parts), true
}

// readTables reads columns from each of parts, up to workers at a time.
func readTables(workers int, parts []string, columns []string) ([]arrow.Table, []map[string]string, []error) {
	tbls := make([]arrow.Table, len(parts))
	mds := make([]map[string]string, len(parts))
	errs := make([]error, len(parts))
	var g errgroup.Group
	g.SetLimit(workers)
	for i, part := range parts {
		g.Go(func() error {
			tbls[i], mds[i], errs[i] = readTable(part, columns)
			return nil
		})
	}
	g.Wait()
	return tbls, mds, errs
}

// appendTables appends the parts' tables to out in order, as reading them one after
// another would: it stops once out holds maxRows rows (when maxRows > 0), and returns the
// first error met on the way (a part unread, or not the one the manifest lists).
func appendTables(out *PathColumns, dir string, parts []string, tbls []arrow.Table, mds []map[string]string, errs []error, ids map[string]ChunkEntry, metrics []string, maxRows int) error {
	// Each column grows once, to the rows of the parts it will take.
	var rows int
	for i := range parts {
		if errs[i] != nil || (maxRows > 0 && len(out.Path)+rows >= maxRows) {
			break
		}
		rows += int(tbls[i].NumRows())
	}
	out.Path = slices.Grow(out.Path, rows)
	for _, c := range metrics {
		out.Columns[c] = slices.Grow(out.Columns[c], rows)
	}
	out.Strings[ColPolicy] = slices.Grow(out.Strings[ColPolicy], rows)
	for i, part := range parts {
		if maxRows > 0 && len(out.Path) >= maxRows {
			return nil
		}
		if errs[i] != nil {
			return errs[i]
		}
		if e, ok := ids[part]; ok {
			if why := foreignPart(mds[i], e); why != "" {
				return fmt.Errorf("%s %s: check the run with backstop verify %s", part, why, shellquote.Path(dir))
			}
		}
		if out.Metadata == nil {
			out.Metadata = mds[i]
		}
		if err := appendColumns(out, tbls[i], part, metrics); err != nil {
			return err
		}
	}
	return nil
}

// appendColumns appends tbl's columns to out's, by name: int64 path as it is, other
// numbers as float64, dictionary and plain strings as strings. Each column grows once, to
// the rows it takes (after appendTables sized it for every part, not at all).
func appendColumns(out *PathColumns, tbl arrow.Table, part string, metrics []string) error {
	for i := 0; i < int(tbl.NumCols()); i++ {
		col := tbl.Column(i)
		name := col.Name()
		chunks := col.Data().Chunks()
		switch {
		case name == ColPath && col.DataType().ID() == arrow.INT64:
			out.Path = slices.Grow(out.Path, col.Len())
		case col.DataType().ID() == arrow.DICTIONARY || col.DataType().ID() == arrow.STRING:
			out.Strings[name] = slices.Grow(out.Strings[name], col.Len())
		default:
			out.Columns[name] = slices.Grow(out.Columns[name], col.Len())
		}
		for _, chunk := range chunks {
			switch a := chunk.(type) {
			case *array.Int64:
				if name == ColPath {
					out.Path = append(out.Path, a.Int64Values()...)
					continue
				}
				out.Columns[name] = appendFloat64s(out.Columns[name], a.Int64Values())
			case *array.Int32:
				out.Columns[name] = appendFloat64s(out.Columns[name], a.Int32Values())
			case *array.Float64:
				out.Columns[name] = append(out.Columns[name], a.Float64Values()...)
			case *array.Dictionary:
				dict, ok := a.Dictionary().(*array.String)
				if !ok {
					return fmt.Errorf("%s: column %q is not a dictionary of strings", part, name)
				}
				values := make([]string, dict.Len())
				for j := range values {
					values[j] = dict.Value(j)
				}
				dst := out.Strings[name]
				if idx, ok := a.Indices().(*array.Int32); ok && a.NullN() == 0 {
					for _, k := range idx.Int32Values() {
						dst = append(dst, values[k])
					}
				} else {
					for j := 0; j < a.Len(); j++ {
						dst = append(dst, values[a.GetValueIndex(j)])
					}
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

// appendFloat64s appends xs, integers, to dst as float64s.
func appendFloat64s[T int32 | int64](dst []float64, xs []T) []float64 {
	for _, v := range xs {
		dst = append(dst, float64(v))
	}
	return dst
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
