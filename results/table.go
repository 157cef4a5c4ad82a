package results

import (
	"fmt"
	"os"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TableColumn is one column of a table written by WriteTable and WriteTableCSV. Exactly one of
// Strings (written as a dictionary column: a pandas category, an R factor), Ints (int64)
// and Floats (float64) holds its values; Valid, when not nil, marks the rows that are not
// null (a null is an empty cell in the CSV).
type TableColumn struct {
	Name    string
	Strings []string
	Ints    []int64
	Floats  []float64
	Valid   []bool
}

func (c TableColumn) len() int { return max(len(c.Strings), len(c.Ints), len(c.Floats)) }

func (c TableColumn) valid(i int) bool { return c.Valid == nil || c.Valid[i] }

// checkTable reports columns of different lengths.
func checkTable(cols []TableColumn) (int, error) {
	if len(cols) == 0 {
		return 0, fmt.Errorf("a table needs a column")
	}
	n := cols[0].len()
	for _, c := range cols {
		if c.len() != n || (c.Valid != nil && len(c.Valid) != n) {
			return 0, fmt.Errorf("column %s has %d rows, %s %d", c.Name, c.len(), cols[0].Name, n)
		}
	}
	return n, nil
}

// WriteTable writes cols atomically as a Parquet file at path, with prov in its footer as
// every output's.
func WriteTable(path string, prov Provenance, cols []TableColumn) error {
	n, err := checkTable(cols)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mem := memory.DefaultAllocator
	var fields []arrow.Field
	var arrs []arrow.Array
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	for _, c := range cols {
		switch {
		case c.Strings != nil:
			d, idx := newDict(), make([]int32, n)
			for i, s := range c.Strings {
				idx[i] = d.index(s)
			}
			fields = append(fields, arrow.Field{Name: c.Name, Type: dictString, Nullable: c.Valid != nil})
			arrs = append(arrs, nullableDictionaryColumn(mem, d.values, idx, c.Valid))
		case c.Ints != nil:
			b := array.NewInt64Builder(mem)
			b.AppendValues(c.Ints, c.Valid)
			fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Int64, Nullable: c.Valid != nil})
			arrs = append(arrs, b.NewArray())
			b.Release()
		default:
			b := array.NewFloat64Builder(mem)
			vals := c.Floats
			if vals == nil {
				vals = make([]float64, n)
			}
			b.AppendValues(vals, c.Valid)
			fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Float64, Nullable: c.Valid != nil})
			arrs = append(arrs, b.NewArray())
			b.Release()
		}
	}
	md := prov.Metadata()
	rec := array.NewRecord(arrow.NewSchema(fields, &md), arrs, int64(n))
	defer rec.Release()
	return writeAtomic(path, func(f *os.File) error { return writeParquet(f, rec) })
}

// WriteTableCSV writes cols atomically as a CSV file at path, numbers at full precision
// (the shortest decimal that reads back exactly), nulls as empty cells.
func WriteTableCSV(path string, cols []TableColumn) error {
	n, err := checkTable(cols)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	header := make([]string, len(cols))
	for j, c := range cols {
		header[j] = c.Name
	}
	records := make([][]string, n)
	for i := range records {
		rec := make([]string, len(cols))
		for j, c := range cols {
			switch {
			case !c.valid(i):
			case c.Strings != nil:
				rec[j] = c.Strings[i]
			case c.Ints != nil:
				rec[j] = strconv.FormatInt(c.Ints[i], 10)
			default:
				rec[j] = full(c.Floats[i])
			}
		}
		records[i] = rec
	}
	return writeCSV(path, header, records)
}
