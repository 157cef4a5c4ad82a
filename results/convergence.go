package results

import (
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/backstop-research/backstop/sim"
)

// ConvergenceFile is the running mean of the key metrics against the number of paths.
const ConvergenceFile = "convergence.parquet"

// ConvergenceMetrics are the metrics whose running mean convergence.parquet tracks.
var ConvergenceMetrics = []sim.Metric{sim.PeakBasisBP, sim.ForcedSalesBN, sim.FundsDefaulted, sim.HFLossBN}

// Columns of convergence.parquet besides policy.
const (
	ColMetric    = "metric"
	ColPaths     = "paths"
	ColCILo      = "ci95_lo"
	ColCIHi      = "ci95_hi"
	ColHalfWidth = "half_width"
)

// ConvergenceRow is the mean of a metric over the first Paths paths of a run, with its 95%
// confidence interval.
type ConvergenceRow struct {
	Policy, Metric string
	Paths          int64
	Mean, Lo, Hi   float64
}

// ConvergenceSchema returns the schema of convergence.parquet: one row per (policy,
// metric, number of paths), tidy long format like the bands.
func ConvergenceSchema(md arrow.Metadata) *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: ColPolicy, Type: dictString},
		{Name: ColMetric, Type: dictString},
		{Name: ColPaths, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColMean, Type: arrow.PrimitiveTypes.Float64},
		{Name: ColCILo, Type: arrow.PrimitiveTypes.Float64},
		{Name: ColCIHi, Type: arrow.PrimitiveTypes.Float64},
		{Name: ColHalfWidth, Type: arrow.PrimitiveTypes.Float64},
	}, &md)
}

// WriteConvergence writes rows atomically as convergence.parquet at path.
func WriteConvergence(path string, prov Provenance, policies []string, rows []ConvergenceRow) error {
	mem := memory.DefaultAllocator
	var metrics []string
	metricIdx := map[string]int32{}
	for _, m := range ConvergenceMetrics {
		metricIdx[sim.Metrics[m].Name] = int32(len(metrics))
		metrics = append(metrics, sim.Metrics[m].Name)
	}
	policyIdx := map[string]int32{}
	for k, p := range policies {
		policyIdx[p] = int32(k)
	}
	n := len(rows)
	pi, mi, paths := make([]int32, n), make([]int32, n), make([]int64, n)
	vals := [4][]float64{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
	for i, r := range rows {
		pi[i], mi[i], paths[i] = policyIdx[r.Policy], metricIdx[r.Metric], r.Paths
		vals[0][i], vals[1][i], vals[2][i], vals[3][i] = r.Mean, r.Lo, r.Hi, (r.Hi-r.Lo)/2
	}
	cols := []arrow.Array{dictionaryColumn(mem, policies, pi), dictionaryColumn(mem, metrics, mi)}
	lb := array.NewInt64Builder(mem)
	lb.AppendValues(paths, nil)
	cols = append(cols, lb.NewArray())
	lb.Release()
	cols = append(cols, float64Columns(mem, vals[:]...)...)
	rec := array.NewRecord(ConvergenceSchema(prov.Metadata()), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	return writeAtomic(path, func(f *os.File) error { return writeParquet(f, rec) })
}

// ReadConvergence reads dir/convergence.parquet.
func ReadConvergence(dir string) ([]ConvergenceRow, error) {
	path := filepath.Join(dir, ConvergenceFile)
	tbl, _, err := readTable(path, []string{ColPolicy, ColMetric, ColPaths, ColMean, ColCILo, ColCIHi})
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	pc := newPathColumns()
	if err := appendColumns(pc, tbl, path, nil); err != nil {
		return nil, err
	}
	rows := make([]ConvergenceRow, tbl.NumRows())
	for i := range rows {
		rows[i] = ConvergenceRow{
			Policy: pc.Strings[ColPolicy][i], Metric: pc.Strings[ColMetric][i], Paths: int64(pc.Columns[ColPaths][i]),
			Mean: pc.Columns[ColMean][i], Lo: pc.Columns[ColCILo][i], Hi: pc.Columns[ColCIHi][i],
		}
	}
	return rows, nil
}

// ReadPartColumns reads the path and policy columns and the named metric columns of one
// part file.
func ReadPartColumns(path string, metrics []string) (*PathColumns, error) {
	tbl, md, err := readTable(path, append([]string{ColPath, ColPolicy}, metrics...))
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	out := newPathColumns()
	out.Metadata = md
	if err := appendColumns(out, tbl, path, metrics); err != nil {
		return nil, err
	}
	out.Policy = out.Strings[ColPolicy]
	return out, nil
}
