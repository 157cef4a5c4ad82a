package results_test

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/backstop-research/backstop/results"
)

func sweepRows(params ...string) []results.SweepRow {
	var rows []results.SweepRow
	for point := 0; point < 3; point++ {
		for _, pol := range []string{"none", "spv"} {
			for m, metric := range []string{"peak_basis_bp", "funds_defaulted"} {
				r := results.SweepRow{Point: point, SummaryRow: results.SummaryRow{
					Policy: pol, Metric: metric, Unit: []string{"bp", "funds"}[m], N: 5000,
					Mean: 10.1 * float64(point+1), Lo: 9.3, Hi: 11.7, P50: math.Pi, P95: 1e-300,
				}}
				for k, name := range params {
					r.Params = append(r.Params, results.ParamValue{Name: name, Value: 0.25*float64(point) + float64(k)})
				}
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// TestSweepRoundTrip writes sweep.parquet for one- and two-parameter sweeps and reads it
// back exactly, with the provenance in the footer, no unsigned types, and the strings
// dictionary-encoded in Parquet too.
func TestSweepRoundTrip(t *testing.T) {
	for _, params := range [][]string{{"funds.b0"}, {"spv.discount", "spv.capacity"}} {
		t.Run(strings.Join(params, ","), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), results.SweepFile)
			rows := sweepRows(params...)
			prov := results.NewProvenance("name: s\n", 9, 5000)
			if err := results.WriteSweep(path, prov, rows); err != nil {
				t.Fatal(err)
			}
			back, md, err := results.ReadSweep(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, rows) {
				t.Fatalf("read back\n%+v\nwant\n%+v", back[:2], rows[:2])
			}
			if md[results.KeyConfig] != "name: s\n" || md[results.KeySeed] != "9" || md[results.KeyPaths] != "5000" || md[results.KeySchemaVersion] == "" {
				t.Errorf("footer metadata %v", md)
			}
			info, err := results.StatFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range info.Fields {
				if strings.Contains(f, "uint") {
					t.Errorf("unsigned column %s", f)
				}
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pr, err := file.NewParquetReader(f, file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
			if err != nil {
				t.Fatal(err)
			}
			defer pr.Close()
			rg := pr.MetaData().RowGroup(0)
			for i, fld := range results.SweepSchema(arrow.Metadata{}).Fields() {
				cc, err := rg.ColumnChunk(i)
				if err != nil {
					t.Fatal(err)
				}
				dict := slices.Contains(cc.Encodings(), parquet.Encodings.RLEDict) || slices.Contains(cc.Encodings(), parquet.Encodings.PlainDict)
				if want := fld.Type.ID() == arrow.DICTIONARY; dict != want {
					t.Errorf("column %s: dictionary-encoded %v, want %v (encodings %v)", fld.Name, dict, want, cc.Encodings())
				}
				if cc.Compression() != compress.Codecs.Zstd {
					t.Errorf("column %s compressed with %v", fld.Name, cc.Compression())
				}
			}
		})
	}
}

// TestSweepDocCoversSchema keeps the sweep.parquet section of docs/outputs.md in step with
// SweepSchema.
func TestSweepDocCoversSchema(t *testing.T) {
	raw, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i := strings.Index(doc, "## `sweep.parquet`")
	if i < 0 {
		t.Fatal("docs/outputs.md has no section ## `sweep.parquet`")
	}
	section := doc[i:]
	if j := strings.Index(section[3:], "\n## "); j >= 0 {
		section = section[:j+3]
	}
	for _, f := range results.SweepSchema(arrow.Metadata{}).Fields() {
		typ := map[arrow.Type]string{arrow.INT32: "int32", arrow.INT64: "int64", arrow.FLOAT64: "double", arrow.DICTIONARY: "dictionary<int32, string>"}[f.Type.ID()]
		if !strings.Contains(section, "| `"+f.Name+"` | "+typ+" |") {
			t.Errorf("the sweep.parquet section has no row | `%s` | %s |", f.Name, typ)
		}
	}
}

func TestPointName(t *testing.T) {
	for _, tc := range []struct {
		i, n int
		want string
	}{{0, 1, "0"}, {3, 10, "3"}, {3, 11, "03"}, {24, 25, "24"}, {7, 1000, "007"}} {
		if got := results.PointName(tc.i, tc.n); got != tc.want {
			t.Errorf("PointName(%d, %d) = %q, want %q", tc.i, tc.n, got, tc.want)
		}
	}
}
