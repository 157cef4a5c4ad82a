package results

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/backstop-research/backstop/sim"
)

// SchemaVersion numbers the layout of a run directory. It is stored in every Parquet
// footer and in the manifest, and bumped on any change that breaks a reader.
const SchemaVersion = 1

// Column names that are not metrics.
const (
	ColPath   = "path"
	ColPolicy = "policy"
	ColSeries = "series"
	ColDay    = "day"
	ColMean   = "mean"
)

// BandQuantiles are the quantiles reported in the bands, with their column names.
var BandQuantiles = []struct {
	Column string
	P      float64
}{{"p05", 0.05}, {"p25", 0.25}, {"p50", 0.50}, {"p75", 0.75}, {"p95", 0.95}}

// dictString is a dictionary-encoded string column: a pandas category, an R factor.
var dictString = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// PathsSchema returns the schema of the per-path parts: path, policy, then every metric of
// sim.Metrics in order, with md as the key-value metadata.
func PathsSchema(md arrow.Metadata) *arrow.Schema {
	fields := []arrow.Field{
		{Name: ColPath, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColPolicy, Type: dictString},
	}
	for _, m := range sim.Metrics {
		t := arrow.DataType(arrow.PrimitiveTypes.Float64)
		if m.Integer {
			t = arrow.PrimitiveTypes.Int32
		}
		fields = append(fields, arrow.Field{Name: m.Name, Type: t})
	}
	return arrow.NewSchema(fields, &md)
}

// BandsSchema returns the schema of bands.parquet: one row per (policy, series, day).
func BandsSchema(md arrow.Metadata) *arrow.Schema {
	fields := []arrow.Field{
		{Name: ColPolicy, Type: dictString},
		{Name: ColSeries, Type: dictString},
		{Name: ColDay, Type: arrow.PrimitiveTypes.Int32},
		{Name: ColMean, Type: arrow.PrimitiveTypes.Float64},
	}
	for _, q := range BandQuantiles {
		fields = append(fields, arrow.Field{Name: q.Column, Type: arrow.PrimitiveTypes.Float64})
	}
	return arrow.NewSchema(fields, &md)
}
