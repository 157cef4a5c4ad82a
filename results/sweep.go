package results

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/backstop-research/backstop/internal/regular"
)

// File names inside a sweep directory. Each grid point is a run directory under PointsDir.
const (
	SweepFile = "sweep.parquet"
	PointsDir = "points"
)

// Columns of sweep.parquet before the summary columns.
const (
	ColPoint = "point"
)

// MaxSweepParams is the number of parameters a sweep may vary at once.
const MaxSweepParams = 2

// SweepParamColumns returns the name and value columns of parameter i (0-based) of a
// sweep: param1_name and param1_value for the first.
func SweepParamColumns(i int) (name, value string) {
	return fmt.Sprintf("param%d_name", i+1), fmt.Sprintf("param%d_value", i+1)
}

// ParamValue is one swept parameter at one grid point.
type ParamValue struct {
	Name  string  // dotted scenario key, e.g. "funds.b0"
	Value float64 // its value at the point
}

// SweepRow is one row of sweep.parquet: a grid point's summary row for one policy and
// metric.
type SweepRow struct {
	Point  int          // grid point index; its run is PointsDir/PointName(Point, n)
	Params []ParamValue // one or two, in the sweep file's order
	SummaryRow
}

// PointName returns the directory name, under PointsDir, of point i of a sweep of n
// points: zero-padded to the width of n-1 so the directories list in grid order.
func PointName(i, n int) string {
	return fmt.Sprintf("%0*d", len(fmt.Sprint(max(n-1, 0))), i)
}

// SweepSchema returns the schema of sweep.parquet: point, the parameter name and value
// columns (nullable: the second pair is null in a one-parameter sweep), then the columns
// of summary.csv.
func SweepSchema(md arrow.Metadata) *arrow.Schema {
	fields := []arrow.Field{{Name: ColPoint, Type: arrow.PrimitiveTypes.Int32}}
	for i := 0; i < MaxSweepParams; i++ {
		name, value := SweepParamColumns(i)
		fields = append(fields,
			arrow.Field{Name: name, Type: dictString, Nullable: i > 0},
			arrow.Field{Name: value, Type: arrow.PrimitiveTypes.Float64, Nullable: i > 0})
	}
	for c, name := range summaryHeader {
		fields = append(fields, arrow.Field{Name: name, Type: summaryColumnType(c)})
	}
	return arrow.NewSchema(fields, &md)
}

// summaryColumnType is the type in sweep.parquet of column c of summary.csv.
func summaryColumnType(c int) arrow.DataType {
	switch col := summaryColumns[c]; {
	case col.text != nil:
		return dictString
	case col.number != nil:
		return arrow.PrimitiveTypes.Float64
	}
	return arrow.PrimitiveTypes.Int64
}

// WriteSweep writes rows atomically as sweep.parquet at path.
func WriteSweep(path string, prov Provenance, rows []SweepRow) error {
	mem := memory.DefaultAllocator
	schema := SweepSchema(prov.Metadata())
	n := len(rows)
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()

	point := array.NewInt32Builder(mem)
	defer point.Release()
	for _, r := range rows {
		point.Append(int32(r.Point))
	}
	cols = append(cols, point.NewArray())
	for i := 0; i < MaxSweepParams; i++ {
		names, idx, valid := newDict(), make([]int32, n), make([]bool, n)
		vb := array.NewFloat64Builder(mem)
		for j, r := range rows {
			if i < len(r.Params) {
				idx[j], valid[j] = names.index(r.Params[i].Name), true
				vb.Append(r.Params[i].Value)
			} else {
				vb.AppendNull()
			}
		}
		cols = append(cols, nullableDictionaryColumn(mem, names.values, idx, valid), vb.NewArray())
		vb.Release()
	}
	for _, c := range summaryColumns {
		switch {
		case c.text != nil:
			d, idx := newDict(), make([]int32, n)
			for j := range rows {
				idx[j] = d.index(*c.text(&rows[j].SummaryRow))
			}
			cols = append(cols, dictionaryColumn(mem, d.values, idx))
		case c.number != nil:
			b := array.NewFloat64Builder(mem)
			for j := range rows {
				b.Append(*c.number(&rows[j].SummaryRow))
			}
			cols = append(cols, b.NewArray())
			b.Release()
		default:
			nb := array.NewInt64Builder(mem)
			for _, r := range rows {
				nb.Append(r.N)
			}
			cols = append(cols, nb.NewArray())
			nb.Release()
		}
	}
	rec := array.NewRecord(schema, cols, int64(n))
	defer rec.Release()
	return writeAtomic(path, func(f *os.File) error { return writeParquet(f, rec) })
}

// dict numbers distinct strings in order of first appearance.
type dict struct {
	values []string
	at     map[string]int32
}

func newDict() *dict { return &dict{at: map[string]int32{}} }

func (d *dict) index(s string) int32 {
	i, ok := d.at[s]
	if !ok {
		i = int32(len(d.values))
		d.at[s] = i
		d.values = append(d.values, s)
	}
	return i
}

// nullableDictionaryColumn is dictionaryColumn with nulls where valid is false (none when
// valid is nil).
func nullableDictionaryColumn(mem memory.Allocator, values []string, idx []int32, valid []bool) arrow.Array {
	vb := array.NewStringBuilder(mem)
	defer vb.Release()
	vb.AppendValues(values, nil)
	d := vb.NewArray()
	defer d.Release()
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	ib.AppendValues(idx, valid)
	ind := ib.NewArray()
	defer ind.Release()
	return array.NewDictionaryArray(dictString, ind, d)
}

// ReadSweep reads the sweep.parquet at path and its footer metadata.
func ReadSweep(path string) ([]SweepRow, map[string]string, error) {
	var cols []string
	for _, f := range SweepSchema(arrow.Metadata{}).Fields() {
		cols = append(cols, f.Name)
	}
	tbl, md, err := readTable(path, cols)
	if err != nil {
		return nil, nil, err
	}
	defer tbl.Release()
	rows := make([]SweepRow, tbl.NumRows())
	params := make([][MaxSweepParams]ParamValue, len(rows))
	present := make([][MaxSweepParams]bool, len(rows))
	for c := 0; c < int(tbl.NumCols()); c++ {
		col := tbl.Column(c)
		name := col.Name()
		j := 0
		for _, chunk := range col.Data().Chunks() {
			for k := 0; k < chunk.Len(); k, j = k+1, j+1 {
				if err := setSweepField(&rows[j], &params[j], &present[j], name, chunk, k); err != nil {
					return nil, nil, fmt.Errorf("%s: %w", path, err)
				}
			}
		}
	}
	for j := range rows {
		for i := 0; i < MaxSweepParams && present[j][i]; i++ {
			rows[j].Params = append(rows[j].Params, params[j][i])
		}
	}
	return rows, md, nil
}

// setSweepField stores element k of column name (chunk a) in row r.
func setSweepField(r *SweepRow, params *[MaxSweepParams]ParamValue, present *[MaxSweepParams]bool, name string, a arrow.Array, k int) error {
	if name == ColPoint {
		v, ok := a.(*array.Int32)
		if !ok {
			return fmt.Errorf("column %q is %s, want int32", name, a.DataType())
		}
		r.Point = int(v.Value(k))
		return nil
	}
	for i := 0; i < MaxSweepParams; i++ {
		pn, pv := SweepParamColumns(i)
		switch name {
		case pn:
			if a.IsNull(k) {
				return nil
			}
			s, err := dictValue(a, k, name)
			params[i].Name, present[i] = s, true
			return err
		case pv:
			v, ok := a.(*array.Float64)
			if !ok {
				return fmt.Errorf("column %q is %s, want double", name, a.DataType())
			}
			if a.IsNull(k) {
				params[i].Value = math.NaN()
			} else {
				params[i].Value = v.Value(k)
			}
			return nil
		}
	}
	c := slices.Index(summaryHeader, name)
	if c < 0 {
		return fmt.Errorf("unexpected column %q", name)
	}
	switch col := summaryColumns[c]; {
	case col.text != nil:
		s, err := dictValue(a, k, name)
		*col.text(&r.SummaryRow) = s
		return err
	case col.number != nil:
		v, ok := a.(*array.Float64)
		if !ok {
			return fmt.Errorf("column %q is %s, want double", name, a.DataType())
		}
		*col.number(&r.SummaryRow) = v.Value(k)
	default:
		v, ok := a.(*array.Int64)
		if !ok {
			return fmt.Errorf("column %q is %s, want int64", name, a.DataType())
		}
		r.N = v.Value(k)
	}
	return nil
}

func dictValue(a arrow.Array, k int, name string) (string, error) {
	d, ok := a.(*array.Dictionary)
	if !ok {
		return "", fmt.Errorf("column %q is %s, want a dictionary of strings", name, a.DataType())
	}
	s, ok := d.Dictionary().(*array.String)
	if !ok {
		return "", fmt.Errorf("column %q is not a dictionary of strings", name)
	}
	return s.Value(d.GetValueIndex(k)), nil
}

// SweepManifest is a sweep directory's manifest.json: provenance, the grid and status.
type SweepManifest struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          string       `json:"tool"`
	Kind          string       `json:"kind"` // "sweep"
	Version       string       `json:"version"`
	Versions      []string     `json:"versions,omitempty"` // each version that wrote it, when more than one (results.Versions)
	Status        string       `json:"status"`             // as a run's
	Name          string       `json:"name"`
	Seed          uint64       `json:"seed"`  // every point's: common random numbers
	Paths         int64        `json:"paths"` // per point
	Policies      []string     `json:"policies"`
	Parameters    []SweepParam `json:"parameters"`
	Points        []SweepPoint `json:"points"` // in grid order, the last parameter fastest
	Created       string       `json:"created"`
	Finished      string       `json:"finished,omitempty"`
	Command       string       `json:"command,omitempty"`
	Resume        string       `json:"resume,omitempty"` // the command that finishes an incomplete sweep
	Error         string       `json:"error,omitempty"`
	Config        string       `json:"config"` // the resolved sweep file, YAML
	// Outputs are the sweep's own files (sweep.parquet, the figures), relative to its
	// directory, and OutputSHA256 the SHA-256 of each as written, recorded when the sweep
	// completes, so that verify checks them as a run's outputs (each grid point's run
	// records its own files). Absent from a manifest of an earlier version.
	Outputs      []string          `json:"outputs,omitempty"`
	OutputSHA256 map[string]string `json:"output_sha256,omitempty"`
}

// SweepKind is SweepManifest.Kind.
const SweepKind = "sweep"

// SweepParam is one swept parameter and its grid.
type SweepParam struct {
	Key    string    `json:"key"`
	Values []float64 `json:"values"`
}

// SweepPoint is one grid point of a sweep and where its run is.
type SweepPoint struct {
	Point  int       `json:"point"`
	Values []float64 `json:"values"` // one per parameter
	Dir    string    `json:"dir"`    // relative to the sweep directory
	Status string    `json:"status"` // the point's run status; "pending" before it starts
}

// WriteSweepManifest writes m atomically as dir/manifest.json.
func WriteSweepManifest(dir string, m *SweepManifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode sweep manifest: %w", err)
	}
	return writeAtomic(filepath.Join(dir, ManifestFile), func(f *os.File) error {
		_, err := f.Write(append(data, '\n'))
		return err
	})
}

// ReadSweepManifest reads dir/manifest.json of a sweep directory.
func ReadSweepManifest(dir string) (*SweepManifest, error) {
	path := filepath.Join(dir, ManifestFile)
	data, err := regular.ReadFile(path)
	if err != nil {
		return nil, err // names the path
	}
	var m SweepManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if m.Kind != SweepKind {
		return nil, fmt.Errorf("%s is not a sweep's manifest (kind %q): is %s a run directory?", path, m.Kind, dir)
	}
	if m.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("%s has schema version %d; this tool reads up to %d: upgrade backstop", path, m.SchemaVersion, SchemaVersion)
	}
	return &m, nil
}
