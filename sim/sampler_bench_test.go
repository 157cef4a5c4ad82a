package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// BenchmarkPath measures one path: the shocks drawn once and three policies over 60 days.
func BenchmarkPath(b *testing.B) {
	benchmarkPath(b, configs.Baseline(), configs.Baseline().Policies)
}

// BenchmarkPathMarch2020 measures one path of configs/march2020.yaml, whose optional
// blocks (other sellers, shrinking buffers, the qe schedule) are all on: they must not
// allocate either.
func BenchmarkPathMarch2020(b *testing.B) {
	cfg := shippedConfig(b, "march2020.yaml")
	benchmarkPath(b, cfg, cfg.Policies)
}

// BenchmarkPathAllPolicies measures one path under every registered policy (none, qe, spv,
// srf, slr, cap): what an escalation run costs per path.
func BenchmarkPathAllPolicies(b *testing.B) {
	benchmarkPath(b, configs.Baseline(), sim.PolicyNames())
}

func benchmarkPath(b *testing.B, cfg sim.Config, policies []string) {
	model, _ := sim.NewModel(cfg)
	s := model.NewSimulator()
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	var pols []sim.Policy
	for _, p := range policies {
		pol, _ := sim.NewPolicy(p, &cfg)
		pols = append(pols, pol)
	}
	days := make([]float64, sim.NumSeries*cfg.Days)
	var res sim.Result
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stream.Reset(cfg.Seed, int64(i))
		model.Draw(stream, sh)
		for _, p := range pols {
			s.Run(sh, p, &res, days, nil)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "paths/s")
}

// BenchmarkDraw measures the random draws of one path alone: a floor for the simulator.
func BenchmarkDraw(b *testing.B) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	stream := sim.NewStream()
	sh := sim.NewShocks(cfg.Days)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		stream.Reset(cfg.Seed, int64(i))
		model.Draw(stream, sh)
	}
}

// BenchmarkDrawBatch measures the random draws of the lockstep sampler's batches of
// paths (lanes at a time in vectors where the CPU has AVX-512), per path as BenchmarkDraw.
func BenchmarkDrawBatch(b *testing.B) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	draw := sim.BatchDraw(model)
	out := make([]*sim.Shocks, sim.BatchPaths)
	for l := range out {
		out[l] = sim.NewShocks(cfg.Days)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		draw(cfg.Seed, int64(i)*sim.BatchPaths, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sim.BatchPaths), "ns/path")
}

// BenchmarkSampler measures the parallel sampler over 10,000 paths with 1 worker and with
// every core, without any output: paths/s is the simulator's throughput, and the ratio of
// the two is the parallel efficiency.
func BenchmarkSampler(b *testing.B) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	for _, workers := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 1, Workers: workers}
			const n = 10_000
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := s.Run(context.Background(), 0, n, func(int, int, []sim.Result, [][]float64) {}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "paths/s")
		})
	}
}

// BenchmarkSamplerLanes compares the scalar simulator (path by path) with the lockstep
// one (8 paths per vector, lanes.go) on 10,000 paths of the baseline with 1 worker and no
// series: paths/s, and ns per fund-day counted as if every policy ran every day (RunAll's
// shortcut skips some). Without the vector kernels (GOEXPERIMENT=simd, AVX-512) "lanes"
// runs the lockstep simulator with the scalar fund loops.
func BenchmarkSamplerLanes(b *testing.B) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	modes := []struct {
		name string
		mode int
	}{{"scalar", sim.LanesOff}, {"lanes", sim.LanesAuto}}
	if !sim.VectorLanes() {
		modes[1].mode = sim.LanesScalar
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: 1, Workers: 1, NoSeries: true}
			sim.SetSamplerLanes(s, m.mode)
			const n = 10_000
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := s.Run(context.Background(), 0, n, func(int, int, []sim.Result, [][]float64) {}); err != nil {
					b.Fatal(err)
				}
			}
			paths := float64(n * b.N)
			b.ReportMetric(paths/b.Elapsed().Seconds(), "paths/s")
			fundDays := paths * float64(len(cfg.Policies)*cfg.Days*cfg.Funds.NFunds)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/fundDays, "ns/fund-day")
		})
	}
}
