package run_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/cputime"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

// BenchmarkRun measures a whole baseline run with all cores: sampling, bands (from the
// baseline's output.band_paths), Parquet parts, summary and manifest (figures excluded;
// plots has its own benchmark). cpu-ns/path is the process's CPU time (user and system)
// per path, which moves far less than wall time when other work loads the machine.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100_000, 200_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := configs.Baseline()
			cfg.Paths = n
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), "run")
				if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(n*b.N), "cpu-ns/path")
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "paths/s")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
		})
	}
}

// BenchmarkWritePart measures writing one 50,000-path chunk (150,000 rows) of the baseline
// as Parquet, and reports the part's size and the process's CPU time per row (which moves
// far less than wall time when other work loads the machine).
func BenchmarkWritePart(b *testing.B) {
	cfg := configs.Baseline()
	m, err := sim.NewModel(cfg)
	if err != nil {
		b.Fatal(err)
	}
	const paths = 50_000
	rows := make([]sim.Result, 0, paths*len(cfg.Policies))
	s := &sim.Sampler{Model: m, Policies: cfg.Policies, Workers: 1, Seed: 1}
	if err := s.Run(context.Background(), 0, paths, func(_, _ int, res []sim.Result, _ [][]float64) {
		rows = append(rows, res...)
	}); err != nil {
		b.Fatal(err)
	}
	prov := results.NewProvenance("scenario: bench\n", 1, paths)
	part := filepath.Join(b.TempDir(), "part.parquet")
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		if err := results.WritePart(part, prov, cfg.Policies, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(len(rows)*b.N), "cpu-ns/row")
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
	if info, err := os.Stat(part); err == nil {
		b.ReportMetric(float64(info.Size())/1e6, "MB/part")
	}
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
