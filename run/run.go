package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// DefaultChunkSize is the number of paths written per Parquet part.
const DefaultChunkSize = 50_000

// Options configure a run.
type Options struct {
	Config    sim.Config // validated scenario; Paths and Seed are the run's
	OutDir    string     // run directory
	Workers   int        // sampler goroutines, 0 for all cores
	ChunkSize int        // paths per part, 0 for DefaultChunkSize
	Figures   bool       // draw the figures after the run
	Command   string     // the command line, recorded in the manifest
	Log       io.Writer  // progress and notes; nil for none
}

// Outcome is what a finished run produced.
type Outcome struct {
	Dir      string
	Manifest *results.Manifest
	Summary  []results.SummaryRow
	Figures  []string
}

// Execute runs the scenario of opt.Config into opt.OutDir.
func Execute(ctx context.Context, opt Options) (*Outcome, error) {
	cfg := opt.Config
	model, err := sim.NewModel(cfg)
	if err != nil {
		return nil, err
	}
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = DefaultChunkSize
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	yml, err := configs.Marshal(&cfg)
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	if err := prepareDir(opt.OutDir); err != nil {
		return nil, err
	}
	prov := results.NewProvenance(string(yml), cfg.Seed, int64(cfg.Paths))
	man := &results.Manifest{
		SchemaVersion: results.SchemaVersion, Tool: "backstop", Version: prov.Version,
		Status: results.StatusRunning, Scenario: cfg.Scenario, Seed: cfg.Seed, Paths: int64(cfg.Paths),
		Policies: cfg.Policies, Days: cfg.Days, ChunkSize: opt.ChunkSize,
		Created: prov.Created.Format(time.RFC3339), Command: opt.Command, Config: string(yml),
	}
	if err := results.WriteManifest(opt.OutDir, man); err != nil {
		return nil, err
	}
	fail := func(err error) (*Outcome, error) {
		man.Status, man.Error = results.StatusFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			man.Status, man.Error = results.StatusIncomplete, "interrupted"
		}
		if werr := results.WriteManifest(opt.OutDir, man); werr != nil {
			err = errors.Join(err, werr)
		}
		return nil, err
	}

	l := layout{policies: len(cfg.Policies), days: cfg.Days}
	sampler := &sim.Sampler{Model: model, Policies: cfg.Policies, Workers: opt.Workers, Seed: cfg.Seed}
	total := newTally(l)
	start := time.Now()
	chunks := (cfg.Paths + opt.ChunkSize - 1) / opt.ChunkSize
	rows := make([]sim.Result, min(opt.ChunkSize, cfg.Paths)*l.policies)
	for c := 0; c < chunks; c++ {
		first := int64(c) * int64(opt.ChunkSize)
		n := min(opt.ChunkSize, cfg.Paths-int(first))
		tally := newChunkTally(l, sampler.WorkerCount(), sim.Blocks(n))
		chunkRows := rows[:n*l.policies]
		err := sampler.Run(ctx, first, n, func(w, b int, res []sim.Result, days [][]float64) {
			i := int(res[0].Path-first) * l.policies
			copy(chunkRows[i:i+l.policies], res)
			tally.visit(w, b, res, days)
		})
		if err != nil {
			return fail(err)
		}
		part := filepath.Join(results.PathsDir, results.PartName(c))
		if err := results.WritePart(filepath.Join(opt.OutDir, part), prov, cfg.Policies, chunkRows); err != nil {
			return fail(err)
		}
		total.Merge(tally.finish(n, chunkRows))
		man.Parts = append(man.Parts, part)
		done := int(first) + n
		el := time.Since(start).Seconds()
		fmt.Fprintf(opt.Log, "backstop: %d/%d paths (%.0f paths/s)\n", done, cfg.Paths, float64(done)/el)
	}

	bands := results.Bands(total.Dist, cfg.Policies, cfg.Days)
	if err := results.WriteBands(filepath.Join(opt.OutDir, results.BandsFile), prov, cfg.Policies, bands); err != nil {
		return fail(err)
	}
	summary := summarize(total, l, cfg.Policies)
	if err := results.WriteSummaryCSV(filepath.Join(opt.OutDir, results.SummaryFile), summary); err != nil {
		return fail(err)
	}
	out := &Outcome{Dir: opt.OutDir, Manifest: man, Summary: summary}
	if opt.Figures {
		figs, err := DrawFigures(opt.OutDir, FigureOptions{})
		if err != nil {
			return fail(err)
		}
		out.Figures = figs
	}
	man.Status = results.StatusComplete
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := results.WriteManifest(opt.OutDir, man); err != nil {
		return nil, err
	}
	return out, nil
}

// prepareDir creates the run directory and its paths/ folder. It refuses a directory that
// already holds a manifest, so a finished run is never overwritten by accident.
func prepareDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		return fmt.Errorf("output directory %s already holds a run (%s); choose another --out or remove it", dir, results.ManifestFile)
	}
	if err := os.MkdirAll(filepath.Join(dir, results.PathsDir), 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	return nil
}

// summarize computes the summary table: per policy and summary metric, the mean with its
// 95% confidence interval and the sketch's median and 95th percentile.
func summarize(t *Tally, l layout, policies []string) []results.SummaryRow {
	var rows []results.SummaryRow
	for k, p := range policies {
		for _, m := range results.SummaryMetrics {
			mo := t.Moments[k*sim.NumMetrics+int(m)]
			ci := mo.CI(0.95)
			sk := t.Dist.Sketches[l.metricGroup(k, m)]
			p50, p95 := sk.Quantile(0.5), sk.Quantile(0.95)
			if sim.Metrics[m].Integer {
				p50, p95 = roundCount(p50), roundCount(p95)
			}
			rows = append(rows, results.SummaryRow{
				Policy: p, Metric: sim.Metrics[m].Name, Unit: sim.Metrics[m].Unit, N: int64(mo.N()),
				Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi, P50: p50, P95: p95,
			})
		}
	}
	return rows
}

// roundCount restores a whole-number quantile from the sketch: below 100 in magnitude the
// sketch's relative error (0.5%) is under one half, so rounding gives the exact value.
func roundCount(x float64) float64 {
	if math.Abs(x) < 100 {
		return math.Round(x)
	}
	return x
}
