package results

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/avxstate"
	"github.com/backstop-research/backstop/sim"
)

// writeOnly hides a file's Close from the Parquet writer, which would otherwise close it
// before writeAtomic can sync it.
type writeOnly struct{ io.Writer }

// clearingWriter clears the vector registers' upper halves (avxstate.Clear) before each
// write to w: SHA-256's instructions are legacy SSE, which an Intel CPU slows down a
// hundredfold while the upper halves are in use (internal/avxstate's BenchmarkSHA256).
type clearingWriter struct{ w io.Writer }

// Write writes p to w.
func (c clearingWriter) Write(p []byte) (int, error) {
	avxstate.Clear()
	return c.w.Write(p)
}

// writeParquet writes rec to w with zstd compression, Parquet dictionary encoding for the
// dictionary columns (and only those), the arrow schema stored in the footer (so readers
// restore dictionary columns as categories/factors) and rec's schema metadata as the
// footer's key-value metadata.
func writeParquet(w io.Writer, rec arrow.Record) error {
	return writeParquetGroups(w, rec.Schema(), 1, func(int) (arrow.Record, error) { rec.Retain(); return rec, nil })
}

// writeParquetGroups writes groups row groups to w as writeParquet does, row group i being
// the record group(i), built only when it is written (and released after), so that memory
// holds one row group's columns at a time; extra adds writer properties. An error from
// group ends the write.
func writeParquetGroups(w io.Writer, schema *arrow.Schema, groups int, group func(i int) (arrow.Record, error), extra ...parquet.WriterProperty) error {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(1 << 20),
	}
	opts = append(opts, extra...)
	for _, f := range schema.Fields() {
		if f.Type.ID() == arrow.DICTIONARY { // else pqarrow writes the strings out in full
			opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
		}
	}
	props := parquet.NewWriterProperties(opts...)
	fw, err := pqarrow.NewFileWriter(schema, writeOnly{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	for i := 0; i < groups; i++ {
		rec, err := group(i)
		if err != nil {
			fw.Close()
			return err
		}
		err = fw.Write(rec)
		rec.Release()
		if err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

// dictionaryColumn builds a dictionary-encoded string column from indices into values.
func dictionaryColumn(mem memory.Allocator, values []string, idx []int32) arrow.Array {
	return nullableDictionaryColumn(mem, values, idx, nil)
}

// float64Columns builds one float64 column per slice of vals.
func float64Columns(mem memory.Allocator, vals ...[]float64) []arrow.Array {
	out := make([]arrow.Array, len(vals))
	for i, v := range vals {
		b := array.NewFloat64Builder(mem)
		b.AppendValues(v, nil)
		out[i] = b.NewArray()
		b.Release()
	}
	return out
}

// PathsRecord builds the Arrow record of rows (one per path and policy, in order) whose
// Policy indexes policies.
func PathsRecord(prov Provenance, policies []string, rows []sim.Result) arrow.Record {
	dict := dictionaryValues(policies)
	defer dict.Release()
	return new(partColumns).record(PathsSchema(prov.Metadata()), dict, rows)
}

// partColumns holds the columns of one row group of a part, gathered from its rows: the
// record it builds wraps these slices without a copy, and the next row group (and the
// next part, through partColumnsPool) gathers into the same memory once the Parquet
// writer is done with the record, instead of allocating a row group's ~6 MB afresh.
type partColumns struct {
	path   []int64
	policy []int32
	ints   [sim.NumMetrics][]int32   // the sim.Metrics that are Integer
	floats [sim.NumMetrics][]float64 // the others
}

// partColumnsPool lends partColumns from one part's write to the next.
var partColumnsPool = sync.Pool{New: func() any { return new(partColumns) }}

// record gathers rows into c's columns and returns them as a record of schema (that of
// PathsSchema) whose policy column indexes dict. The record uses c's memory: c must not
// gather again until the record is released and no longer read.
func (c *partColumns) record(schema *arrow.Schema, dict arrow.Array, rows []sim.Result) arrow.Record {
	n := len(rows)
	c.path, c.policy = resize(c.path, n), resize(c.policy, n)
	for j, m := range sim.Metrics {
		if m.Integer {
			c.ints[j] = resize(c.ints[j], n)
		} else {
			c.floats[j] = resize(c.floats[j], n)
		}
	}
	c.gather(rows)
	cols := make([]arrow.Array, 0, schema.NumFields())
	idx := wrapColumn(arrow.PrimitiveTypes.Int32, arrow.Int32Traits.CastToBytes(c.policy), n)
	cols = append(cols, wrapColumn(arrow.PrimitiveTypes.Int64, arrow.Int64Traits.CastToBytes(c.path), n),
		array.NewDictionaryArray(dictString, idx, dict))
	idx.Release()
	for j, m := range sim.Metrics {
		if m.Integer {
			cols = append(cols, wrapColumn(arrow.PrimitiveTypes.Int32, arrow.Int32Traits.CastToBytes(c.ints[j]), n))
		} else {
			cols = append(cols, wrapColumn(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(c.floats[j]), n))
		}
	}
	rec := array.NewRecord(schema, cols, int64(n))
	for _, col := range cols {
		col.Release()
	}
	return rec
}

// gatherBlock is how many rows gather copies column by column at a time: their values
// (about 40 KB) stay in the core's first-level cache while each column takes its share,
// where a column's pass over a whole row group (5 MB of rows) would read them from
// memory once per column.
const gatherBlock = 256

// gather copies rows' fields into c's columns, which have len(rows) values each.
func (c *partColumns) gather(rows []sim.Result) {
	for lo := 0; lo < len(rows); lo += gatherBlock {
		block := rows[lo:min(lo+gatherBlock, len(rows))]
		path, policy := c.path[lo:lo+len(block)], c.policy[lo:lo+len(block)]
		for i := range block {
			path[i], policy[i] = block[i].Path, int32(block[i].Policy)
		}
		for j, m := range sim.Metrics {
			if m.Integer {
				col := c.ints[j][lo : lo+len(block)]
				for i := range block {
					col[i] = int32(block[i].Values[j])
				}
				continue
			}
			col := c.floats[j][lo : lo+len(block)]
			for i := range block {
				col[i] = block[i].Values[j]
			}
		}
	}
}

// resize returns s with length n, reallocated only when its capacity is short.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// dictionaryValues returns values as the string array of a dictionary column.
func dictionaryValues(values []string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(values, nil)
	return b.NewArray()
}

// wrapColumn returns the n values of type typ in data (no nulls) as an Arrow array that
// uses data in place.
func wrapColumn(typ arrow.DataType, data []byte, n int) arrow.Array {
	d := array.NewData(typ, n, []*memory.Buffer{nil, memory.NewBufferBytes(data)}, nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// PartName returns the file name of part number i under paths/.
func PartName(i int) string { return fmt.Sprintf("part-%05d.parquet", i) }

// WritePart writes rows atomically as the Parquet file path: a part on disk is always
// complete.
func WritePart(path string, prov Provenance, policies []string, rows []sim.Result) error {
	_, err := WritePartSum(path, prov, policies, rows)
	return err
}

// WritePartSum is WritePart that also returns the hex SHA-256 of the bytes written, for
// the manifest's index.
func WritePartSum(path string, prov Provenance, policies []string, rows []sim.Result) (string, error) {
	return WritePartStreamed(path, prov, policies, rows, PartStream{})
}

// PartStream lets WritePartStreamed write a part whose rows are still being produced, and
// hold it back until the part may exist.
type PartStream struct {
	// Ready, unless nil, waits until rows[:n] are final, or returns an error if they will
	// not be, which abandons the part.
	Ready func(n int) error
	// Commit, unless nil, is called once the part is complete and synced, before it takes
	// its name: an error abandons it (no file appears, the error is returned as it is).
	Commit func() error
}

// WritePartStreamed is WritePartSum for rows that are still being produced: it writes
// each row group once s.Ready says its rows are final, so that the part is mostly written
// by the time its last row is, and puts the part in place only when s.Commit allows. The
// bytes are those WritePartSum writes.
func WritePartStreamed(path string, prov Provenance, policies []string, rows []sim.Result, s PartStream) (string, error) {
	groups := max(1, (len(rows)+PartRowGroupRows-1)/PartRowGroupRows)
	schema := PathsSchema(prov.Metadata())
	dict := dictionaryValues(policies)
	defer dict.Release()
	cols := partColumnsPool.Get().(*partColumns)
	defer partColumnsPool.Put(cols)
	h := sha256.New()
	err := atomicfile.WriteGated(path, func(f *os.File) error {
		// A row group's columns are written in one batch each: their encoders reserve a
		// column's bytes at once instead of growing 1 KiB, 2 KiB, ... Each column of a
		// row group (at most PartRowGroupRows values of 8 bytes) fits in one data page
		// either way, so the bytes written are the same.
		return writeParquetGroups(io.MultiWriter(f, clearingWriter{h}), schema, groups, func(i int) (arrow.Record, error) {
			end := min((i+1)*PartRowGroupRows, len(rows))
			if s.Ready != nil {
				if err := s.Ready(end); err != nil {
					return nil, err
				}
			}
			return cols.record(schema, dict, rows[i*PartRowGroupRows:end]), nil
		}, parquet.WithBatchSize(PartRowGroupRows))
	}, s.Commit)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PartRowGroupRows is the most rows in one row group of a part. Writing a part a row group
// at a time keeps a few megabytes of Arrow columns and encoder buffers in memory instead of
// the whole part's; readers see one table either way (and DuckDB scans row groups in
// parallel).
const PartRowGroupRows = 32 * 1024
