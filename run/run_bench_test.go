package run_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// BenchmarkRun measures a whole baseline run with all cores: sampling, bands, Parquet
// parts, summary and manifest (figures excluded; plots has its own benchmark).
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := configs.Baseline()
			cfg.Paths = n
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), "run")
				if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "paths/s")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
		})
	}
}

// BenchmarkWritePart measures writing one 50,000-path chunk (150,000 rows) as Parquet.
func BenchmarkWritePart(b *testing.B) {
	cfg := configs.Baseline()
	rows := syntheticRows(50_000, len(cfg.Policies))
	prov := results.NewProvenance("scenario: bench\n", 1, 50_000)
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := results.WritePart(filepath.Join(dir, "part.parquet"), prov, cfg.Policies, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDrawFigures measures redrawing the whole figure set (PNG and PDF) of a
// 100,000-path run from its Parquet files: loading plus rendering.
func BenchmarkDrawFigures(b *testing.B) {
	cfg := configs.Baseline()
	cfg.Paths = 100_000
	dir := filepath.Join(b.TempDir(), "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := run.DrawFigures(dir, run.FigureOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/set")
}
