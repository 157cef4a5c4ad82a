package run

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// countReadBacks replaces readBack for the test with a wrapper counting its calls.
func countReadBacks(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	t.Cleanup(func() { readBack = convergence })
	readBack = func(parts []string, ready func(i int) error, policies []string, paths int64, bDys float64, q95 []float64, keep *keptParts) ([]results.ConvergenceRow, []results.TailRow, error) {
		n.Add(1)
		return convergence(parts, ready, policies, paths, bDys, q95, keep)
	}
	return &n
}

// readBackOutputs recomputes a finished run's convergence.parquet rows and tails.csv bytes
// by the pass over its parts read back, with the 95th percentiles of its checkpoints
// merged in chunk order, and writes them under tmp as a run would.
func readBackOutputs(t *testing.T, dir, tmp string, policies []string, days int, bDys float64) ([]results.ConvergenceRow, []byte) {
	t.Helper()
	man, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := newLayout(policies, days)
	total := newTally(l)
	for _, e := range man.Index {
		data, err := os.ReadFile(filepath.Join(dir, e.Checkpoint))
		if err != nil {
			t.Fatal(err)
		}
		tl, _, err := decodeTally(data, l, int(e.EndPath-e.FirstPath))
		if err != nil {
			t.Fatal(err)
		}
		total.Merge(tl)
	}
	q95 := make([]float64, len(policies))
	for k := range q95 {
		q95[k] = total.Dist.Sketches[l.metricGroup(k, sim.PeakBasisBP)].Quantile(0.95)
	}
	parts, err := results.PartFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	conv, tails, err := convergence(parts, func(int) error { return nil }, policies, man.Paths, bDys, q95, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteConvergence(filepath.Join(tmp, results.ConvergenceFile), results.NewProvenance("", 1, man.Paths), policies, conv); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteTailsCSV(filepath.Join(tmp, results.TailsFile), tails); err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadConvergence(tmp)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(tmp, results.TailsFile))
	if err != nil {
		t.Fatal(err)
	}
	return rows, b
}

// TestConvergenceFromChunksEqualsReadBack checks that the convergence table and tails.csv
// a run takes from its chunks in memory are, bit for bit, those of the pass over its parts
// read back: for runs of one and of several chunks, on one and two workers, of two and
// three policies, with figures, and stopped early by a precision target; and that such
// runs read no part back for them, while a resumed run (whose first chunks are only
// checkpoints) and a run whose final 95th percentile of peak basis is below a threshold
// it kept peaks above do, with the same result.
func TestConvergenceFromChunksEqualsReadBack(t *testing.T) {
	base := t.TempDir()
	for _, tc := range []struct {
		name      string
		policies  []string
		paths     int
		opt       Options
		interrupt int64 // stop after this many chunks, then resume
		readBacks int64
	}{
		{name: "chunks", paths: 1500, opt: Options{ChunkSize: 400, Workers: 2}},
		{name: "one-chunk", paths: 700, opt: Options{Workers: 2}},
		{name: "one-worker", policies: []string{"spv", "none"}, paths: 900, opt: Options{ChunkSize: 300, Workers: 1}},
		{name: "figures", paths: 900, opt: Options{ChunkSize: 400, Figures: true}},
		{name: "target", paths: 50_000, opt: Options{ChunkSize: 500, Target: &Target{Metric: "peak_basis_bp", HalfWidth: 3}}},
		{name: "resumed", paths: 900, opt: Options{ChunkSize: 300}, interrupt: 2, readBacks: 1},
		// Seed 1's first path has a peak basis above the final 95th percentile: the first
		// chunk's threshold is then above it, and the run reads back, figures or not (the
		// figures still from memory, TestFigureRowsEqualParts).
		{name: "below-threshold", paths: 20, opt: Options{ChunkSize: 1, Figures: true}, readBacks: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reads := countReadBacks(t)
			cfg := configs.Baseline()
			cfg.Paths = tc.paths
			if tc.policies != nil {
				cfg.Policies = tc.policies
			}
			opt := tc.opt
			opt.Config, opt.OutDir = cfg, filepath.Join(base, tc.name, "run")
			if tc.interrupt > 0 {
				if _, err := Execute(&cancelAfter{Context: context.Background(), n: tc.interrupt}, opt); err == nil {
					t.Fatal("the interrupted run finished")
				}
				if n := reads.Load(); n != 0 {
					t.Fatalf("the interrupted run read its parts back %d times", n)
				}
				opt.Resume = true
			}
			if _, err := Execute(context.Background(), opt); err != nil {
				t.Fatal(err)
			}
			if n := reads.Load(); n != tc.readBacks {
				t.Errorf("the run read its parts back for the convergence table %d times, want %d", n, tc.readBacks)
			}
			if tc.name == "target" {
				if m, err := results.ReadManifest(opt.OutDir); err != nil || m.Paths >= int64(cfg.Paths) {
					t.Fatalf("the target run drew %d paths of at most %d (%v): not stopped early", m.Paths, cfg.Paths, err)
				}
			}
			wantConv, wantTails := readBackOutputs(t, opt.OutDir, filepath.Join(base, tc.name, "readback"), cfg.Policies, cfg.Days, cfg.Market.BDys)
			gotConv, err := results.ReadConvergence(opt.OutDir)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprintf("%v", gotConv), fmt.Sprintf("%v", wantConv); got != want || len(gotConv) == 0 {
				t.Errorf("convergence.parquet differs from the read-back's:\n%s\nwant\n%s", got, want)
			}
			gotTails, err := os.ReadFile(filepath.Join(opt.OutDir, results.TailsFile))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotTails, wantTails) {
				t.Errorf("tails.csv differs from the read-back's:\n%s\nwant\n%s", gotTails, wantTails)
			}
		})
	}
}

// TestConvergenceTallyDeclines checks that the tally gives no result when it cannot equal
// the read-back: a 95th percentile below a threshold it kept peaks above, a path count
// other than the paths added, a chunk out of order, and more peaks than maxKeptPeaks.
func TestConvergenceTallyDeclines(t *testing.T) {
	policies := []string{"none", "qe"}
	l := newLayout(policies, 2)
	running := newTally(l)
	// Two paths: the peak basis 1 and 3 (none), 2 and 4 (qe).
	rows := make([]sim.Result, 4)
	for i := range rows {
		rows[i].Path, rows[i].Policy = int64(i/2), i%2
		rows[i].Values[sim.PeakBasisBP] = float64(i + 1)
		running.Dist.Sketches[l.metricGroup(i%2, sim.PeakBasisBP)].Add(float64(i + 1))
	}
	fresh := func() *convergenceTally {
		tl := newConvergenceTally(policies, 2, 20)
		tl.add(0, rows, running, l)
		return tl
	}
	q95 := make([]float64, len(policies))
	for k := range q95 {
		q95[k] = running.Dist.Sketches[l.metricGroup(k, sim.PeakBasisBP)].Quantile(0.95)
	}
	if _, _, ok := fresh().result(2, q95); !ok {
		t.Fatal("no result at the sketches' own 95th percentiles")
	}
	for _, tc := range []struct {
		name  string
		tally func() *convergenceTally
		paths int64
		q95   []float64
	}{
		{"q95 below the threshold", fresh, 2, []float64{math.Nextafter(fresh().threshold[0], 0), q95[1]}},
		{"q95 NaN", fresh, 2, []float64{q95[0], math.NaN()}},
		{"paths other than added", fresh, 3, q95},
		{"chunk out of order", func() *convergenceTally {
			tl := newConvergenceTally(policies, 4, 20)
			tl.add(1, rows, running, l)
			return tl
		}, 2, q95},
		{"too many peaks kept", func() *convergenceTally {
			tl := fresh()
			tl.kept = maxKeptPeaks
			tl.add(1, rows, running, l)
			return tl
		}, 4, q95},
		{"nil", func() *convergenceTally { return nil }, 2, q95},
	} {
		if _, _, ok := tc.tally().result(tc.paths, tc.q95); ok {
			t.Errorf("%s: a result", tc.name)
		}
	}
}
