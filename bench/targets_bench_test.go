package bench

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/internal/cputime"
	"github.com/backstop-research/backstop/run"
)

// The benchmarks below measure the targets of the speed issue against the Numba peer
// (docs/performance.md): a full-output run, the figures' overhead, a summary-only
// evaluation, and peak memory. They run on the baseline with all cores, like
// bench/compare.sh; the peer's figures come from compare.sh, not from here.

// targetPaths is the path count of the side-by-side comparison.
const targetPaths = 200_000

// resetPeakRSS makes the kernel's peak resident set size of this process (VmHWM) start
// again from the current one, after handing freed heap back to the OS, and reports
// whether it could (Linux only).
func resetPeakRSS() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSSMB returns the process's peak resident set size since the last resetPeakRSS, MB,
// or 0 if /proc/self/status cannot be read.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}

// withBinaryGC sets the collector as the backstop command does (50% heap growth unless
// GOGC is set), so peak memory is the binary's, and returns the restore function.
func withBinaryGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(old) }
}

// BenchmarkFullRun measures the first target: a whole baseline run with its full
// outputs (Parquet parts, checkpoints, bands, summary, effects, convergence, manifest; no
// figures), per path, and the process's peak RSS during the run. Two path counts show
// whether peak memory is flat in the path count (target: flat and under 300 MB).
func BenchmarkFullRun(b *testing.B) {
	defer withBinaryGC()()
	for _, n := range []int{targetPaths, 2 * targetPaths} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			cfg := configs.Baseline()
			cfg.Paths = n
			peak := 0.0
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), "run")
				measured := resetPeakRSS()
				b.StartTimer()
				cpu0 := cputime.Process()
				if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err != nil {
					b.Fatal(err)
				}
				cpu += cputime.Process() - cpu0
				if measured {
					peak = max(peak, peakRSSMB())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/path")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*b.N), "cpu-ns/path")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			if peak > 0 {
				b.ReportMetric(peak, "peak-RSS-MB")
			}
		})
	}
}

// BenchmarkFiguresOverhead measures the second target: what drawing the figure
// set (PNG and PDF) adds to a full-output run of targetPaths paths, in percent of the run
// without figures (target: at most 25%). Each iteration runs the same config without and
// with figures, one after the other, as a user would (backstop run --no-figures, then
// backstop run): the run with figures draws from the per-path metrics its convergence
// pass read, not from the parts again (run.DrawFigures, the redraw, reads them).
func BenchmarkFiguresOverhead(b *testing.B) {
	defer withBinaryGC()()
	cfg := configs.Baseline()
	cfg.Paths = targetPaths
	var runTime, figTime, runCPU, figCPU time.Duration
	for i := 0; i < b.N; i++ {
		for _, figures := range []bool{false, true} {
			dir := filepath.Join(b.TempDir(), "run")
			start, cpu0 := time.Now(), cputime.Process()
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, Figures: figures}); err != nil {
				b.Fatal(err)
			}
			wall, cpu := time.Since(start), cputime.Process()-cpu0
			if figures {
				figTime, figCPU = figTime+wall, figCPU+cpu
			} else {
				runTime, runCPU = runTime+wall, runCPU+cpu
			}
		}
	}
	b.ReportMetric(runTime.Seconds()/float64(b.N), "s/run")
	b.ReportMetric((figTime-runTime).Seconds()/float64(b.N), "s/figures")
	b.ReportMetric(100*(figTime-runTime).Seconds()/runTime.Seconds(), "figures-%")
	if runCPU > 0 {
		b.ReportMetric(100*(figCPU-runCPU).Seconds()/runCPU.Seconds(), "figures-cpu-%")
	}
}

// BenchmarkSummaryOnly measures the third target, a summary-only evaluation: what
// explore and calibrate run for each point (evaluate.Run: every policy on the same paths,
// each summary metric's mean with its interval, median and 95th percentile, and the paired
// effects, in memory; no bands, files or figures). bench/compare.sh times the same call
// (bench/summaryonly) beside the Numba peer.
func BenchmarkSummaryOnly(b *testing.B) {
	cfg := configs.Baseline()
	cfg.Paths = targetPaths
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		res, err := evaluate.Run(context.Background(), cfg, 0)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(res.Stats); got != len(cfg.Policies) {
			b.Fatalf("summary of %d policies, want %d", got, len(cfg.Policies))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(targetPaths*b.N), "ns/path")
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(targetPaths*b.N), "cpu-ns/path")
	b.ReportMetric(float64(targetPaths*b.N)/b.Elapsed().Seconds(), "paths/s")
}
