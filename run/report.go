package run

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// reportMetrics are the rows of summary.md's tables, in order.
var reportMetrics = []sim.Metric{sim.PeakBasisBP, sim.DaysDysfunction, sim.ForcedSalesBN, sim.HFLossBN,
	sim.FundsDefaulted, sim.PeakCBHoldingsBN, sim.CBDV01PeakBNPerBP, sim.CBPnLBN}

// report is what summary.md says.
type report struct {
	cfg         sim.Config
	man         *results.Manifest
	summary     []results.SummaryRow
	effects     []results.EffectRow
	tails       []results.TailRow
	convergence []results.ConvergenceRow
	figures     bool
}

// g formats x with 4 significant digits.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// markdown renders the report: a short note a researcher can paste.
func (r report) markdown() string {
	var b strings.Builder
	c := r.cfg
	fmt.Fprintf(&b, "# %s\n\n", c.Scenario)
	if c.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", c.Description)
	}
	fmt.Fprintf(&b, "%s paths x %d policies (%s), %d days, seed %d; backstop %s, %s. The full config is in `manifest.json` and in every Parquet footer.\n\n",
		strconv.Itoa(c.Paths), len(c.Policies), strings.Join(c.Policies, ", "), c.Days, c.Seed, r.man.Version, r.man.Created)
	if m := r.man; m.TargetPrecision != "" && m.TargetReached != nil {
		verdict := "met"
		if !*m.TargetReached {
			verdict = "**not met**: the run stopped at its most paths"
		}
		fmt.Fprintf(&b, "Precision target %s (95%% CI half-width of the mean under every policy): %s after %d paths, of at most %d.\n\n", m.TargetPrecision, verdict, m.Paths, m.MaxPaths)
	}

	b.WriteString("## Key metrics\n\nPer path: the mean, the median and the 95th percentile, each with its 95% interval in brackets (the quantiles' from order statistics of the sketch). Column names as in `summary.csv` in backticks.\n\n")
	b.WriteString("| metric | statistic |")
	for _, p := range c.Policies {
		fmt.Fprintf(&b, " %s |", p)
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(c.Policies)) + "\n")
	cell := map[[2]string]results.SummaryRow{}
	for _, s := range r.summary {
		cell[[2]string{s.Policy, s.Metric}] = s
	}
	allEquity := math.NaN()
	if m, err := sim.NewModel(c); err == nil {
		allEquity = m.InitialEquity()
	}
	statistics := []struct {
		name string
		get  func(s results.SummaryRow) (est, lo, hi float64)
	}{
		{"mean", func(s results.SummaryRow) (float64, float64, float64) { return s.Mean, s.Lo, s.Hi }},
		{"median", func(s results.SummaryRow) (float64, float64, float64) { return s.P50, s.P50Lo, s.P50Hi }},
		{"95th percentile", func(s results.SummaryRow) (float64, float64, float64) { return s.P95, s.P95Lo, s.P95Hi }},
	}
	for _, m := range reportMetrics {
		info := sim.Metrics[m]
		for k, st := range statistics {
			name := ""
			if k == 0 {
				name = fmt.Sprintf("%s `%s`", metricWords(info.Name), info.Name)
			}
			fmt.Fprintf(&b, "| %s | %s |", name, st.name)
			for _, p := range c.Policies {
				s, ok := cell[[2]string{p, info.Name}]
				if !ok {
					b.WriteString(" |")
					continue
				}
				est, lo, hi := st.get(s)
				note := ""
				// A quantile within the sketch's relative accuracy of all the funds' equity is
				// all of it: every fund lost everything on those paths.
				if m == sim.HFLossBN && st.name != "mean" && allEquity > 0 && math.Abs(est-allEquity) <= stats.SketchAccuracy*allEquity {
					note = " (all fund equity)"
				}
				fmt.Fprintf(&b, " %s [%s, %s]%s |", g(est), g(lo), g(hi), note)
			}
			b.WriteString("\n")
		}
	}

	if len(r.effects) > 0 {
		b.WriteString("\n## Policy effects on the same shocks\n\n")
		b.WriteString("Mean per-path difference with its 95% CI. Every policy ran on the same shocks, so the paired interval is far tighter than comparing two independent means (the unpaired CI); the variance reduction is how many times more paths independent runs would need. \"Lower on\" and \"higher on\" are the shares of paths where the first policy gave a lower or a higher value than the second: for a harm (a basis, sales, losses, defaults) \"higher on\" is where the policy made things worse.\n\n")
		b.WriteString("| effect | metric | difference [95% CI] | unpaired 95% CI | variance reduction | lower on | higher on |\n|---|---|---|---|---|---|---|\n")
		for _, e := range r.effects {
			if !isReportMetric(e.Metric) {
				continue
			}
			fmt.Fprintf(&b, "| %s − %s | %s | %s [%s, %s] | [%s, %s] | %s | %.1f%% | %.1f%% |\n", e.A, e.B, metricWords(e.Metric),
				g(e.Mean), g(e.Lo), g(e.Hi), g(e.UnpairedLo), g(e.UnpairedHi), ratioOrDash(e.VarianceReduction), 100*e.ShareLower, 100*e.ShareHigher)
		}
	}

	if len(r.tails) > 0 {
		b.WriteString("\n## Tail risk\n\nProbabilities with Wilson 95% intervals; expected shortfall (mean of the worst 5% of paths) with a normal 95% interval.\n\n")
		b.WriteString("| measure |")
		for _, p := range c.Policies {
			fmt.Fprintf(&b, " %s |", p)
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", len(c.Policies)) + "\n")
		byMeasure := map[string]map[string]results.TailRow{}
		var order []string
		for _, t := range r.tails {
			if byMeasure[t.Measure] == nil {
				byMeasure[t.Measure] = map[string]results.TailRow{}
				order = append(order, t.Measure)
			}
			byMeasure[t.Measure][t.Policy] = t
		}
		for _, m := range order {
			fmt.Fprintf(&b, "| %s `%s` |", tailWords(m), m)
			for _, p := range c.Policies {
				t := byMeasure[m][p]
				fmt.Fprintf(&b, " %s [%s, %s] |", g(t.Estimate), g(t.Lo), g(t.Hi))
			}
			b.WriteString("\n")
		}
	}

	if half, full := halfAndFull(r.convergence, int64(c.Paths)); len(full) > 0 && len(half) > 0 {
		b.WriteString("\n## Were the paths enough?\n\n")
		fmt.Fprintf(&b, "Half-width of the 95%% CI of the mean at %d paths and, in brackets, at %d: the Monte Carlo error falls like one over the square root of the paths (`convergence.parquet`, figure `convergence`).\n\n", c.Paths, half[0].Paths)
		b.WriteString("| policy | metric | mean | half-width | (half the paths) |\n|---|---|---|---|---|\n")
		for i, f := range full {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | (%s) |\n", f.Policy, metricWords(f.Metric), g(f.Mean), g((f.Hi-f.Lo)/2), g((half[i].Hi-half[i].Lo)/2))
		}
	}

	if bs := r.man.Bands; bs != nil {
		b.WriteString("\n## Bands\n\n")
		words := bs.Words()
		fmt.Fprintf(&b, "The quantiles of `bands.parquet` and of the fan charts: %s; their means count every path (`output.band_paths` sets the subset, 0 for every path).", words)
		if bs.MCError != nil {
			fmt.Fprintf(&b, " Their Monte Carlo error is %s (half a quantile's two-standard-error bracket, relative to the largest value of that policy's band of the series: an estimate, not a bound, as each bracket holds its quantile about 95%% of the time); the sketch adds its own %g%% of the value.", bs.ErrorWords(), 100*stats.SketchAccuracy)
		} else {
			fmt.Fprintf(&b, " Their Monte Carlo error is %s.", bs.ErrorWords())
		}
		b.WriteString("\n")
	}

	if r.figures {
		b.WriteString("\n## Figures\n\n")
		for _, name := range plots.Names() {
			fmt.Fprintf(&b, "- [%s](%s/%s.png) ([PDF](%s/%s.pdf)): %s\n", name, results.FiguresDir, name, results.FiguresDir, name, plots.About(name))
		}
	}
	return b.String()
}

// ratioOrDash formats a ratio, or an en dash where it is undefined: a variance reduction
// of two zero variances (a metric a policy never moves) is no number a reader can use.
func ratioOrDash(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return g(x)
}

// tailMeasure reads the two forms of tails.csv's measure names: "P(column > x)" and
// "ES95(column)".
var tailMeasure = regexp.MustCompile(`^(?:P\((\w+) > ([^)]+)\)|ES95\((\w+)\))$`)

// tailWords names a tail measure in words with its unit, e.g. "Share of paths with peak
// basis > 20 bp" for P(peak_basis_bp > 20); a name of another form is returned as it is.
func tailWords(measure string) string {
	m := tailMeasure.FindStringSubmatch(measure)
	switch {
	case m == nil:
		return measure
	case m[1] != "":
		l := plots.LabelOf(m[1])
		above := m[2]
		if l.Unit != "" {
			above += " " + l.Unit
		}
		return fmt.Sprintf("Share of paths with %s > %s", strings.ToLower(l.Name), above)
	default:
		l := plots.LabelOf(m[3])
		w := fmt.Sprintf("Expected shortfall of %s, mean of the worst 5%% of paths", strings.ToLower(l.Name))
		if l.Unit != "" {
			w += " (" + l.Unit + ")"
		}
		return w
	}
}

// metricWords names a metric column in words with its unit, from the figures' label table.
func metricWords(column string) string { return plots.LabelOf(column).String() }

func isReportMetric(name string) bool {
	m, ok := sim.MetricByName(name)
	return ok && slices.Contains(reportMetrics, m)
}

// halfAndFull returns the convergence rows at the last step at or below paths/2 and at
// paths, in the same (policy, metric) order.
func halfAndFull(rows []results.ConvergenceRow, paths int64) (half, full []results.ConvergenceRow) {
	var halfN int64
	for _, r := range rows {
		if r.Paths <= paths/2 && r.Paths > halfN {
			halfN = r.Paths
		}
	}
	for _, r := range rows {
		switch r.Paths {
		case paths:
			full = append(full, r)
		case halfN:
			half = append(half, r)
		}
	}
	if len(half) != len(full) {
		return nil, nil
	}
	return half, full
}

// writeReport writes dir/summary.md atomically.
func writeReport(dir string, r report) error {
	return atomicfile.Write(filepath.Join(dir, results.ReportFile), func(f *os.File) error {
		_, err := f.WriteString(r.markdown())
		return err
	})
}
