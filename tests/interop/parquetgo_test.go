package interop

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sweep"
	"github.com/backstop-research/backstop/tests/interop/goside"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// TestParquetGoReadsEveryFile reads every Parquet file of a 3-policy run, a 6-policy run
// and a one-parameter sweep with parquet-go, a Parquet implementation independent of
// Arrow Go's writer, and checks, file by file:
//   - the footer: a root schema element without repetition (the Parquet spec; Arrow Go v17
//     wrote REPEATED, which arrow-rs and hyparquet refuse) and a type-defined column
//     order for every column (what gives min_value and max_value their meaning);
//   - every value of every column equals what the Go side reads back (goside.Read);
//   - every column chunk's statistics against its data: null_count equal to the nulls,
//     min and max equal to the smallest and largest non-null value (for a column with
//     values), no distinct_count other than the true one;
//   - every data page header's statistics: a null count between 0 and the page's values
//     (v17 wrote minus the row count) and bounds within the chunk's;
//   - the same backstop.created in every file of a run, equal to the manifest's, and in
//     a sweep's points the sweep's.
func TestParquetGoReadsEveryFile(t *testing.T) {
	base := t.TempDir()
	ctx := context.Background()
	baseline := configs.Baseline()
	baseline.Paths, baseline.Seed = 1200, 5
	escalation, err := configs.Load(filepath.Join("..", "..", "configs", "escalation.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(escalation.Policies) != 6 {
		t.Fatalf("configs/escalation.yaml runs %d policies, want all six", len(escalation.Policies))
	}
	escalation.Paths, escalation.Seed = 1200, 5
	for _, r := range []struct {
		name string
		opt  run.Options
	}{
		{"run3", run.Options{Config: baseline, ChunkSize: 500}},
		{"run6", run.Options{Config: escalation, ChunkSize: 500}},
	} {
		r.opt.OutDir = filepath.Join(base, r.name)
		if _, err := run.Execute(ctx, r.opt); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
	}
	plan, err := sweep.Decode([]byte("name: sw\npaths: 300\nseed: 2\nparameters:\n  - key: spv.discount\n    values: [0, 10]\n"), "sweep.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Run(ctx, plan, sweep.Options{OutDir: filepath.Join(base, "sweep")}); err != nil {
		t.Fatal(err)
	}

	kinds := map[string]int{}
	err = filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		kinds[kind(path)]++
		t.Run(strings.TrimPrefix(path, base+"/"), func(t *testing.T) { checkFile(t, path) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"part", "bands.parquet", "convergence.parquet", "sweep.parquet"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the files read (%v)", k, kinds)
		}
	}

	for _, dir := range []string{"run3", "run6", "sweep", "sweep/points/0", "sweep/points/1"} {
		checkCreated(t, filepath.Join(base, dir))
	}
	sm, err := results.ReadSweepManifest(filepath.Join(base, "sweep"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range sm.Points {
		if m, err := results.ReadManifest(filepath.Join(base, "sweep", pt.Dir)); err != nil || m.Created != sm.Created {
			t.Errorf("sweep point %s: created %v (%v), the sweep's %s", pt.Dir, m, err, sm.Created)
		}
	}
}

// kind names the kind of Parquet file path is: "part" or its file name.
func kind(path string) string {
	if filepath.Base(filepath.Dir(path)) == results.PathsDir {
		return "part"
	}
	return filepath.Base(path)
}

// checkCreated checks that every Parquet file directly in dir or in dir/paths carries
// the manifest's creation time as backstop.created.
func checkCreated(t *testing.T, dir string) {
	t.Helper()
	man, err := results.ReadManifest(dir)
	var created string
	if err == nil {
		created = man.Created
	} else if sm, serr := results.ReadSweepManifest(dir); serr == nil {
		created = sm.Created
	} else {
		t.Fatalf("%s: no manifest: %v; %v", dir, err, serr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	parts, _ := filepath.Glob(filepath.Join(dir, results.PathsDir, "*.parquet"))
	for _, f := range append(files, parts...) {
		tab, err := goside.Read(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if got := tab.Metadata[results.KeyCreated]; got != created {
			t.Errorf("%s: %s = %q, manifest's created %q", f, results.KeyCreated, got, created)
		}
	}
}

// checkFile compares the file at path as parquet-go reads it with the Go side and checks
// its footer and statistics.
func checkFile(t *testing.T, path string) {
	want, err := goside.Read(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("parquet-go: %v", err)
	}
	md := f.Metadata()
	if root := md.Schema[0]; root.RepetitionType.Valid {
		t.Errorf("root schema element %q has repetition %v; the spec gives the root none", root.Name, root.RepetitionType.V)
	}
	// min_value and max_value mean something only under a column order (parquet.thrift:
	// "if these fields are written to a Parquet file, column_orders must be written as well").
	if len(md.ColumnOrders) != len(f.Schema().Columns()) {
		t.Errorf("%d column orders for %d columns", len(md.ColumnOrders), len(f.Schema().Columns()))
	}
	for i, o := range md.ColumnOrders {
		if _, ok := o.Value.(*format.TypeDefinedOrder); !ok {
			t.Errorf("column %d: column order %T, want TypeDefinedOrder", i, o.Value)
		}
	}
	if f.NumRows() != want.Rows {
		t.Fatalf("parquet-go reads %d rows, the Go side %d", f.NumRows(), want.Rows)
	}
	leaves := f.Schema().Columns()
	if len(leaves) != len(want.Columns) {
		t.Fatalf("parquet-go reads %d columns, the Go side %d", len(leaves), len(want.Columns))
	}
	for c, wc := range want.Columns {
		if name := strings.Join(leaves[c], "."); name != wc.Name {
			t.Fatalf("column %d: parquet-go names it %q, the Go side %q", c, name, wc.Name)
		}
	}

	row := 0 // first row of the row group
	for g, rg := range f.RowGroups() {
		n := int(rg.NumRows())
		for c, cc := range rg.ColumnChunks() {
			name := want.Columns[c].Name
			got, err := readChunk(cc)
			if err != nil {
				t.Fatalf("row group %d, column %s: parquet-go: %v", g, name, err)
			}
			wantVals := want.Columns[c].Values[row : row+n]
			if len(got) != n {
				t.Fatalf("row group %d, column %s: parquet-go reads %d values, want %d", g, name, len(got), n)
			}
			for i := range got {
				if !same(got[i], wantVals[i]) {
					t.Fatalf("row group %d, column %s, row %d: parquet-go reads %v, the Go side %v", g, name, row+i, got[i], wantVals[i])
				}
			}
			meta := md.RowGroups[g].Columns[c].MetaData
			if err := checkStats(meta.Statistics, meta.Type, wantVals); err != nil {
				t.Errorf("row group %d, column %s: column chunk statistics: %v", g, name, err)
			}
			if err := checkPageHeaders(data, meta, wantVals); err != nil {
				t.Errorf("row group %d, column %s: %v", g, name, err)
			}
		}
		row += n
	}
	if row != int(want.Rows) {
		t.Errorf("row groups hold %d rows, the file %d", row, want.Rows)
	}
}

// readChunk returns a column chunk's values as goside.Column holds them.
func readChunk(cc parquet.ColumnChunk) ([]any, error) {
	pages := cc.Pages()
	defer pages.Close()
	var out []any
	buf := make([]parquet.Value, 256)
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		vr := p.Values()
		for {
			k, err := vr.ReadValues(buf)
			for _, v := range buf[:k] {
				out = append(out, goValue(v))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
		parquet.Release(p)
	}
}

// goValue converts a parquet-go value as goside.Column holds it.
func goValue(v parquet.Value) any {
	if v.IsNull() {
		return nil
	}
	switch v.Kind() {
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Double:
		return v.Double()
	case parquet.ByteArray:
		return string(v.ByteArray())
	}
	return fmt.Sprintf("unhandled kind %v", v.Kind())
}

// same reports whether a and b are the same value, NaN equal to NaN and -0 not to +0.
func same(a, b any) bool {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if oka && okb {
		return math.Float64bits(fa) == math.Float64bits(fb) || (math.IsNaN(fa) && math.IsNaN(fb))
	}
	return a == b
}

// bounds returns the nulls, smallest and largest non-null, non-NaN value of vals, and
// whether there was one.
func bounds(vals []any) (nulls int64, lo, hi any, ok bool) {
	for _, v := range vals {
		if v == nil {
			nulls++
			continue
		}
		if f, isF := v.(float64); isF && math.IsNaN(f) {
			continue
		}
		if !ok || less(v, lo) {
			lo = v
		}
		if !ok || less(hi, v) {
			hi = v
		}
		ok = true
	}
	return
}

// less orders two non-null values of one column (strings bytewise, as Parquet's
// UTF8 order does).
func less(a, b any) bool {
	switch a := a.(type) {
	case int64:
		return a < b.(int64)
	case float64:
		return a < b.(float64)
	case string:
		return a < b.(string)
	}
	panic(fmt.Sprintf("less: %T", a))
}

// decodeStat decodes a plain-encoded statistics bound of physical type typ.
func decodeStat(b []byte, typ format.Type) (any, error) {
	switch typ {
	case format.Int32:
		if len(b) != 4 {
			return nil, fmt.Errorf("INT32 bound of %d bytes", len(b))
		}
		return int64(int32(binary.LittleEndian.Uint32(b))), nil
	case format.Int64:
		if len(b) != 8 {
			return nil, fmt.Errorf("INT64 bound of %d bytes", len(b))
		}
		return int64(binary.LittleEndian.Uint64(b)), nil
	case format.Double:
		if len(b) != 8 {
			return nil, fmt.Errorf("DOUBLE bound of %d bytes", len(b))
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), nil
	case format.ByteArray:
		return string(b), nil
	}
	return nil, fmt.Errorf("physical type %v not handled", typ)
}

// equalBound reports whether a statistics bound equals the data's (floats by value, so
// a zero bound may be written as -0 or +0, as the spec asks).
func equalBound(a, b any) bool {
	if fa, ok := a.(float64); ok {
		return fa == b.(float64)
	}
	return a == b
}

// checkStats checks a column chunk's statistics against its values.
func checkStats(s format.Statistics, typ format.Type, vals []any) error {
	nulls, lo, hi, ok := bounds(vals)
	if s.NullCount != nulls {
		return fmt.Errorf("null_count %d, the data has %d nulls", s.NullCount, nulls)
	}
	if s.DistinctCount != 0 {
		distinct := map[any]bool{}
		for _, v := range vals {
			if v != nil {
				distinct[v] = true
			}
		}
		if s.DistinctCount != int64(len(distinct)) {
			return fmt.Errorf("distinct_count %d, the data has %d distinct values", s.DistinctCount, len(distinct))
		}
	}
	if !ok {
		if s.MinValue != nil || s.MaxValue != nil {
			return fmt.Errorf("bounds written for a column without values")
		}
		return nil
	}
	if s.MinValue == nil || s.MaxValue == nil {
		return fmt.Errorf("no min_value/max_value for a column with values")
	}
	for _, b := range []struct {
		name     string
		raw      []byte
		want     any
		optional bool
	}{{"min_value", s.MinValue, lo, false}, {"max_value", s.MaxValue, hi, false}, {"min", s.Min, lo, true}, {"max", s.Max, hi, true}} {
		if b.raw == nil && b.optional {
			continue
		}
		got, err := decodeStat(b.raw, typ)
		if err != nil {
			return fmt.Errorf("%s: %v", b.name, err)
		}
		if !equalBound(got, b.want) {
			return fmt.Errorf("%s %v, the data's %v", b.name, got, b.want)
		}
	}
	return nil
}

// checkPageHeaders decodes the page headers of a column chunk in the file's bytes and
// checks their statistics: a null count in [0, values] and bounds within the data's.
func checkPageHeaders(data []byte, meta format.ColumnMetaData, vals []any) error {
	start := meta.DataPageOffset
	if meta.DictionaryPageOffset != 0 {
		start = meta.DictionaryPageOffset
	}
	end := start + meta.TotalCompressedSize
	if start < 0 || end > int64(len(data)) {
		return fmt.Errorf("column chunk [%d, %d) outside the file of %d bytes", start, end, len(data))
	}
	_, lo, hi, ok := bounds(vals)
	var proto thrift.CompactProtocol
	pos, values := start, int64(0)
	for pos < end {
		r := bytes.NewReader(data[pos:end])
		var h format.PageHeader
		if err := thrift.NewDecoder(proto.NewReader(r)).Decode(&h); err != nil {
			return fmt.Errorf("page header at byte %d: %v", pos, err)
		}
		headerLen := int64(end-pos) - int64(r.Len())
		var s *format.Statistics
		var n int64
		switch {
		case h.DataPageHeader.Valid:
			s, n = &h.DataPageHeader.V.Statistics, int64(h.DataPageHeader.V.NumValues)
		case h.DataPageHeaderV2.Valid:
			s, n = &h.DataPageHeaderV2.V.Statistics, int64(h.DataPageHeaderV2.V.NumValues)
		}
		if s != nil {
			values += n
			if s.NullCount < 0 || s.NullCount > n {
				return fmt.Errorf("page at byte %d: null_count %d for %d values", pos, s.NullCount, n)
			}
			for _, b := range [][]byte{s.MinValue, s.MaxValue, s.Min, s.Max} {
				if b == nil {
					continue
				}
				v, err := decodeStat(b, meta.Type)
				if err != nil {
					return fmt.Errorf("page at byte %d: %v", pos, err)
				}
				if !ok || less(v, lo) || less(hi, v) {
					return fmt.Errorf("page at byte %d: bound %v outside the chunk's data [%v, %v]", pos, v, lo, hi)
				}
			}
		}
		pos += headerLen + int64(h.CompressedPageSize)
	}
	if pos != end || values != meta.NumValues {
		return fmt.Errorf("pages end at byte %d holding %d values; the chunk ends at %d holding %d", pos, values, end, meta.NumValues)
	}
	return nil
}
