package results_test

import (
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestOutputsDocCoversSchema keeps docs/outputs.md in step with the schema: every column
// with its type, every series and metadata key, and the schema version.
func TestOutputsDocCoversSchema(t *testing.T) {
	raw, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	typeName := func(dt arrow.DataType) string {
		switch dt.ID() {
		case arrow.INT32:
			return "int32"
		case arrow.INT64:
			return "int64"
		case arrow.FLOAT64:
			return "double"
		case arrow.DICTIONARY:
			return "dictionary<int32, string>"
		}
		return dt.String()
	}
	for _, schema := range []*arrow.Schema{results.PathsSchema(arrow.Metadata{}), results.BandsSchema(arrow.Metadata{}), results.ConvergenceSchema(arrow.Metadata{})} {
		for _, f := range schema.Fields() {
			if strings.HasPrefix(f.Name, "p") && len(f.Name) == 3 { // p05..p95 share a row
				if !strings.Contains(doc, "`"+f.Name+"`") {
					t.Errorf("docs/outputs.md does not list column %s", f.Name)
				}
				continue
			}
			row := "| `" + f.Name + "` | " + typeName(f.Type) + " |"
			if !strings.Contains(doc, row) {
				t.Errorf("docs/outputs.md has no row %q", row)
			}
		}
	}
	for _, s := range sim.SeriesTable {
		if !strings.Contains(doc, "| `"+s.Name+"` | "+s.Unit+" |") {
			t.Errorf("docs/outputs.md does not describe series %s", s.Name)
		}
	}
	for _, k := range []string{results.KeyConfig, results.KeySeed, results.KeyPaths, results.KeyVersion, results.KeyCreated, results.KeySchemaVersion,
		results.KeyBandStride, results.KeyBandPaths, results.KeyBandOfPaths, results.KeyBandNote, results.KeyBandMCError, results.KeyBandMCErrorAt, results.KeyBandMCErrorP99} {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("docs/outputs.md does not list metadata key %s", k)
		}
	}
	if !strings.Contains(doc, "Schema version: **1**") || results.SchemaVersion != 1 {
		t.Errorf("docs/outputs.md and results.SchemaVersion (%d) disagree", results.SchemaVersion)
	}
}

// TestOutputsDocListsSummaryMetrics keeps the metric list of docs/outputs.md (the rows of
// summary.csv, effects.csv and sweep.parquet) and the units of convergence.parquet in step
// with results.SummaryMetrics and results.ConvergenceMetrics.
func TestOutputsDocListsSummaryMetrics(t *testing.T) {
	raw, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(raw)), " ")
	var list []string
	for _, m := range results.SummaryMetrics {
		list = append(list, "`"+sim.Metrics[m].Name+"` ("+sim.Metrics[m].Unit+")")
	}
	if want := strings.Join(list, ", ") + ". `effects.csv` and `sweep.parquet` have the same metrics."; !strings.Contains(doc, want) {
		t.Errorf("docs/outputs.md does not list the summary metrics as %q", want)
	}
	for _, m := range results.ConvergenceMetrics {
		info := sim.Metrics[m]
		if !strings.Contains(doc, info.Unit+" for `"+info.Name+"`") {
			t.Errorf("docs/outputs.md gives no unit for convergence metric %s", info.Name)
		}
	}
}

// TestOutputsDocListsRunFiles keeps docs/outputs.md's table of a run directory in step
// with results.RunFiles: one row per file, in the same order.
func TestOutputsDocListsRunFiles(t *testing.T) {
	raw, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	last := -1
	for _, f := range results.RunFiles {
		i := strings.Index(doc, "| `"+f.Pattern+"` |")
		if i < 0 {
			t.Errorf("docs/outputs.md has no row for %s", f.Pattern)
			continue
		}
		if i < last {
			t.Errorf("docs/outputs.md lists %s out of results.RunFiles' order", f.Pattern)
		}
		last = i
	}
}
