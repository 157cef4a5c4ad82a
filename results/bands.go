package results

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// BandGroup returns the group index of (policy k, series s, day t) in a bands
// Distributions of days T: the layout shared by the sampler's tallies and the writer.
func BandGroup(k int, s sim.Series, t, T int) int {
	return (k*sim.NumSeries+int(s))*T + t
}

// BandRow is one row of bands.parquet.
type BandRow struct {
	Policy, Series string
	Day            int
	Mean           float64
	Q              [5]float64 // at BandQuantiles
}

// Bands computes the rows of bands.parquet from d, laid out by BandGroup.
func Bands(d *stats.Distributions, policies []string, T int) []BandRow {
	rows := make([]BandRow, 0, len(policies)*sim.NumSeries*T)
	ps := make([]float64, len(BandQuantiles)) // ascending, as Quantiles needs
	for i, q := range BandQuantiles {
		ps[i] = q.P
	}
	for k, p := range policies {
		for s := 0; s < sim.NumSeries; s++ {
			for t := 0; t < T; t++ {
				g := BandGroup(k, sim.Series(s), t, T)
				r := BandRow{Policy: p, Series: sim.SeriesTable[s].Name, Day: t, Mean: d.Mean(g)}
				d.Sketches[g].Quantiles(ps, r.Q[:])
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// WriteBands writes rows atomically as bands.parquet at path.
func WriteBands(path string, prov Provenance, policies []string, rows []BandRow) error {
	mem := memory.DefaultAllocator
	schema := BandsSchema(prov.Metadata())
	series := make([]string, sim.NumSeries)
	seriesIdx := map[string]int32{}
	for s, info := range sim.SeriesTable {
		series[s] = info.Name
		seriesIdx[info.Name] = int32(s)
	}
	policyIdx := map[string]int32{}
	for k, p := range policies {
		policyIdx[p] = int32(k)
	}
	n := len(rows)
	pi, si, day := make([]int32, n), make([]int32, n), make([]int32, n)
	vals := make([][]float64, 1+len(BandQuantiles))
	for c := range vals {
		vals[c] = make([]float64, n)
	}
	for i, r := range rows {
		pi[i], si[i], day[i] = policyIdx[r.Policy], seriesIdx[r.Series], int32(r.Day)
		vals[0][i] = r.Mean
		for q := range BandQuantiles {
			vals[1+q][i] = r.Q[q]
		}
	}
	cols := []arrow.Array{dictionaryColumn(mem, policies, pi), dictionaryColumn(mem, series, si)}
	ib := array.NewInt32Builder(mem)
	ib.AppendValues(day, nil)
	cols = append(cols, ib.NewArray())
	ib.Release()
	cols = append(cols, float64Columns(mem, vals...)...)
	rec := array.NewRecord(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	return writeAtomic(path, func(f *os.File) error { return writeParquet(f, rec) })
}
