package run

import (
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"time"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// mergeCheckpoint merges chunk c's checkpoint into running, unless that is nil.
func (j *job) mergeCheckpoint(running *Tally, c int) error {
	if running == nil {
		return nil
	}
	t, err := readCheckpoint(j.opt.OutDir, j.l, j.identity(c), j.chunkPaths(c), j.opt.AllowVersionChange)
	if err != nil {
		return err
	}
	running.Merge(t)
	return nil
}

// finish writes the bands, summary, figures and the complete manifest from total, every
// chunk's tally merged in chunk order; when total is nil (a merge of shards), it merges the
// chunks' checkpoints so. Uninterrupted, resumed and sharded runs all come through here
// with the same merge order, which is what makes them identical (a tally in memory equals
// its checkpoint read back).
//
// lastPart, when not nil, waits for the last part to be on disk: the part is needed only
// to read the parts back (for the convergence table and tails when j.conv cannot give
// them, and for the figures), so its write overlaps the rest.
func finish(j *job, man *results.Manifest, prov results.Provenance, total *Tally, lastPart func() error) (*Outcome, error) {
	if total == nil {
		total = newTally(j.l)
		for c := 0; c < j.chunks; c++ {
			t, err := readCheckpoint(j.opt.OutDir, j.l, j.identity(c), j.chunkPaths(c), j.opt.AllowVersionChange)
			if err != nil {
				return nil, err
			}
			total.Merge(t)
		}
	}
	dir := j.opt.OutDir
	// The convergence table and the tails, taken from the chunks as they were written
	// (j.conv) or else from the parts read back, are computed on a goroutine of their own
	// while the bands, summary and effects are written (the last part is read once it is
	// on disk). The figures' per-path metrics were gathered from the chunks too (j.figs),
	// or else are read with them, not again.
	parts := make([]string, j.chunks)
	for c := range parts {
		parts[c] = filepath.Join(dir, results.PathsDir, results.PartName(c))
	}
	ready := func(i int) error {
		if i == len(parts)-1 && lastPart != nil {
			return lastPart()
		}
		return nil
	}
	var keep *keptParts
	figMetrics := j.figs.result(j.cfg.Paths)
	if j.opt.Figures && figMetrics == nil {
		keep = keepForFigures(j.chunks, j.chunkPaths, MaxFigurePaths)
	}
	q95 := make([]float64, len(j.cfg.Policies))
	for k := range q95 {
		q95[k] = total.Dist.Sketches[j.l.metricGroup(k, sim.PeakBasisBP)].Quantile(0.95)
	}
	var conv []results.ConvergenceRow
	var tails []results.TailRow
	var convErr error
	convDone := make(chan struct{})
	go func() {
		defer close(convDone)
		var ok bool
		if conv, tails, ok = j.conv.result(int64(j.cfg.Paths), q95); ok {
			if keep != nil {
				convErr = keep.read(parts, ready)
			}
			return
		}
		conv, tails, convErr = readBack(parts, ready, j.cfg.Policies, int64(j.cfg.Paths), j.cfg.Market.BDys, q95, keep)
	}()
	defer func() { <-convDone }() // no return leaves it running
	// The bands, the summary and effects, and the tails and convergence table are
	// independent files: they are computed and written at once, each on a goroutine of its
	// own (what each reads of total is only read), so that one's computing overlaps
	// another's waiting for the disk. Of several failures, the first in that order is
	// reported.
	var sample results.BandSample
	var summary []results.SummaryRow
	var effects []results.EffectRow
	var errs [3]error
	var wg sync.WaitGroup
	wg.Go(func() {
		sample = results.NewBandSample(total.Dist, j.cfg.Policies, j.cfg.Days, j.bandStride, int64(j.cfg.Paths))
		if n := int64(total.Dist.Sketches[0].Count()); n != sample.Paths {
			errs[0] = fmt.Errorf("internal error: the bands counted %d paths, the band subset has %d (every %d of %d)", n, sample.Paths, j.bandStride, j.cfg.Paths)
			return
		}
		if j.opt.Target != nil && j.cfg.Output.BandPaths > 0 {
			sample.Note = results.NotePrecisionTarget
		}
		bands := results.Bands(total.Dist, j.cfg.Policies, j.cfg.Days)
		bandsProv := prov
		bandsProv.Bands = &sample
		errs[0] = results.WriteBands(filepath.Join(dir, results.BandsFile), bandsProv, j.cfg.Policies, bands)
	})
	wg.Go(func() {
		summary = summarize(total, j.l, j.cfg.Policies)
		if errs[1] = results.WriteSummaryCSV(filepath.Join(dir, results.SummaryFile), summary); errs[1] != nil {
			return
		}
		effects = pairedEffects(total, j.l, j.cfg.Policies)
		errs[1] = results.WriteEffectsCSV(filepath.Join(dir, results.EffectsFile), effects)
	})
	wg.Go(func() {
		<-convDone
		if errs[2] = convErr; errs[2] != nil {
			return
		}
		if errs[2] = results.WriteTailsCSV(filepath.Join(dir, results.TailsFile), tails); errs[2] != nil {
			return
		}
		errs[2] = results.WriteConvergence(filepath.Join(dir, results.ConvergenceFile), prov, j.cfg.Policies, conv)
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	man.Bands = &sample
	out := &Outcome{Dir: dir, Manifest: man, Summary: summary, Effects: effects}
	if err := j.interrupted(); err != nil {
		return nil, err
	}
	// Every chunk is on disk now: the manifest lists them all before the figures read the
	// parts through it.
	if lastPart != nil {
		if err := lastPart(); err != nil {
			return nil, err
		}
	}
	j.first, j.end = 0, j.chunks
	j.index(man)
	if len(man.Index) != j.chunks {
		return nil, fmt.Errorf("internal error: %d of %d chunks indexed", len(man.Index), j.chunks)
	}
	if err := quarantineStrays(dir, man, j.opt.Log); err != nil {
		return nil, err
	}
	if err := results.WriteManifest(dir, man); err != nil {
		return nil, err
	}
	if j.opt.Figures {
		var parts []*results.PathColumns
		if keep != nil {
			parts = keep.got
		}
		figs, err := drawRunFigures(dir, FigureOptions{}, parts, figMetrics)
		if err != nil {
			return nil, err
		}
		out.Figures = figs
	}
	if err := writeReport(dir, report{cfg: j.cfg, man: man, summary: summary, effects: effects, tails: tails, convergence: conv, figures: j.opt.Figures}); err != nil {
		return nil, err
	}
	man.Outputs, man.OutputSHA256 = nil, nil
	if err := recordOutputs(dir, man, append([]string{results.BandsFile, results.SummaryFile, results.EffectsFile, results.TailsFile,
		results.ConvergenceFile, results.ReportFile}, results.RelativeFiles(dir, out.Figures)...)); err != nil {
		return nil, err
	}
	if err := j.interrupted(); err != nil {
		return nil, err
	}
	man.Status, man.Error, man.Resume = results.StatusComplete, "", ""
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := results.WriteManifest(dir, man); err != nil {
		return nil, err
	}
	return out, nil
}

// summarize computes the summary table: per policy and summary metric, the mean with its
// 95% confidence interval and the sketch's median and 95th percentile with theirs.
func summarize(t *Tally, l layout, policies []string) []results.SummaryRow {
	var rows []results.SummaryRow
	for k, p := range policies {
		for _, m := range results.SummaryMetrics {
			mo := t.Moments[k*sim.NumMetrics+int(m)]
			ci := mo.CI(0.95)
			sk := t.Dist.Sketches[l.metricGroup(k, m)]
			q50, q95 := sk.QuantileInterval(0.5, 0.95), sk.QuantileInterval(0.95, 0.95)
			row := results.SummaryRow{
				Policy: p, Metric: sim.Metrics[m].Name, Unit: sim.Metrics[m].Unit, N: int64(mo.N()),
				Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi, P50: q50.Estimate, P95: q95.Estimate,
				P50Lo: q50.Lo, P50Hi: q50.Hi, P95Lo: q95.Lo, P95Hi: q95.Hi,
			}
			if sim.Metrics[m].Integer {
				for _, x := range []*float64{&row.P50, &row.P95, &row.P50Lo, &row.P50Hi, &row.P95Lo, &row.P95Hi} {
					*x = roundCount(*x)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// pairedEffects computes effects.csv: for every pair of policies and summary metric, the
// per-path difference's mean and 95% CI, the unpaired CI, the variance reduction from
// common random numbers, and the shares of paths where the first policy is lower/higher.
func pairedEffects(t *Tally, l layout, policies []string) []results.EffectRow {
	var rows []results.EffectRow
	for q, pr := range l.pairs {
		for i, m := range results.SummaryMetrics {
			acc := t.Paired[pairedIndex(q, i)]
			e, err := acc.Effect(0.95)
			if err != nil { // fewer than two paths
				continue
			}
			rows = append(rows, results.EffectRow{
				A: policies[pr.a], B: policies[pr.b], Metric: sim.Metrics[m].Name, Unit: sim.Metrics[m].Unit,
				N: int64(acc.D.N()), Mean: e.Diff.Estimate, Lo: e.Diff.Lo, Hi: e.Diff.Hi,
				UnpairedLo: e.Unpaired.Lo, UnpairedHi: e.Unpaired.Hi, VarianceReduction: e.VarianceReduction,
				ShareLower: e.ShareBelow, ShareHigher: e.ShareAbove,
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
