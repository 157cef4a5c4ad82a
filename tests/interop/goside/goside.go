// Package goside reads a Parquet file backstop wrote as its Go side sees it (through
// Arrow Go, the library that wrote it): the reference the independent readers of the
// interop checks are compared against.
package goside

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Table is a Parquet file's rows, column by column, and its footer's key-value metadata.
type Table struct {
	Rows     int64
	Metadata map[string]string
	Columns  []Column
}

// Column is one column's values in row order: int64 for every integer type, float64,
// string for string and dictionary-of-string columns, nil for a null.
type Column struct {
	Name   string
	Kind   string // "int", "float" or "string"
	Values []any
}

// Read reads the Parquet file at path whole.
func Read(ctx context.Context, path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	tab, err := fr.ReadTable(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer tab.Release()
	out := &Table{Rows: tab.NumRows(), Metadata: map[string]string{}}
	for _, kv := range pf.MetaData().KeyValueMetadata() {
		if kv.Value != nil {
			out.Metadata[kv.Key] = *kv.Value
		}
	}
	for i, fld := range tab.Schema().Fields() {
		col := Column{Name: fld.Name, Kind: kind(fld.Type), Values: make([]any, 0, tab.NumRows())}
		for _, chunk := range tab.Column(i).Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				v, err := value(chunk, j)
				if err != nil {
					return nil, fmt.Errorf("read %s: column %s: %w", path, fld.Name, err)
				}
				col.Values = append(col.Values, v)
			}
		}
		out.Columns = append(out.Columns, col)
	}
	return out, nil
}

// kind names the kind of values a column of type t holds.
func kind(t arrow.DataType) string {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return "int"
	case arrow.FLOAT32, arrow.FLOAT64:
		return "float"
	}
	return "string"
}

// value returns element j of a as Column documents.
func value(a arrow.Array, j int) (any, error) {
	if a.IsNull(j) {
		return nil, nil
	}
	switch a := a.(type) {
	case *array.Int32:
		return int64(a.Value(j)), nil
	case *array.Int64:
		return a.Value(j), nil
	case *array.Float64:
		return a.Value(j), nil
	case *array.String:
		return a.Value(j), nil
	case *array.Dictionary:
		return value(a.Dictionary(), a.GetValueIndex(j))
	}
	return nil, fmt.Errorf("type %s not handled", a.DataType())
}
