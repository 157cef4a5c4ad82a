package run

import (
	"math"
	"slices"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// convergenceTally takes the convergence table and the measures of tails.csv from each
// chunk's rows in memory as the chunk is written, in chunk order, so that a run need not
// read its parts back at its end: the values are those the parts hold (an Integer metric
// as its int32), added in the same order, so the results equal the read-back's
// (convergence) bit for bit.
//
// The expected shortfall is the mean of (peak basis - q95)+ over every path, q95 the
// final sketch's 95th percentile, known only at the end. Each chunk therefore keeps the
// peak basis of its paths above a threshold, the running sketch's 90th percentile once
// the chunk is merged; every path not kept adds a zero, as it would with any q95 at or
// above the largest threshold used. Should the final q95 be below it (a sample far off its
// distribution), or the paths kept exceed maxKeptPeaks, or a chunk come from a checkpoint
// (a resumed run), result declines and the parts are read back as before.
type convergenceTally struct {
	means     *convergenceMeans // the table and the tail counts, of the paths added (means.seen)
	nextChunk int               // the chunk expected next
	threshold []float64         // per policy: the largest threshold a chunk kept peaks above
	// Per policy, the paths kept (ordinals in the run) and their peak basis, in path order.
	keptPath [][]int64
	keptPeak [][]float64
	kept     int
	declined bool
}

// keepQuantile is the running quantile of the peak basis above which a chunk keeps its
// paths' peaks for the expected shortfall: far enough below the 95th percentile that the
// final one falls below it only for samples of a few hundred paths (then result declines).
const keepQuantile = 0.90

// maxKeptPeaks bounds the peaks kept (16 bytes each): at about a tenth of the rows, runs of
// up to some 3 million paths of 3 policies; larger ones read their parts back.
const maxKeptPeaks = 1 << 20

// newConvergenceTally returns the tally of a run of at most paths paths of policies, the
// threshold of tails.csv's first measure bDys.
func newConvergenceTally(policies []string, paths int64, bDys float64) *convergenceTally {
	n := len(policies)
	t := &convergenceTally{
		means:     newConvergenceMeans(policies, convergenceSteps(paths), bDys),
		threshold: make([]float64, n),
		keptPath:  make([][]int64, n), keptPeak: make([][]float64, n),
	}
	for k := range t.threshold {
		t.threshold[k] = math.Inf(-1)
	}
	return t
}

// add adds chunk c's rows (path-major, a path's policies in order), once the chunk is
// merged into running, whose peak basis sketches give the chunk's thresholds; a chunk out
// of order makes the tally decline.
func (t *convergenceTally) add(c int, rows []sim.Result, running *Tally, l layout) {
	if t.declined {
		return
	}
	if c != t.nextChunk || running == nil {
		t.decline()
		return
	}
	t.nextChunk++
	policies := len(t.means.policies)
	thr := make([]float64, policies)
	for k := range thr {
		thr[k] = running.Dist.Sketches[l.metricGroup(k, sim.PeakBasisBP)].Quantile(keepQuantile)
		if !(thr[k] <= t.threshold[k]) {
			t.threshold[k] = thr[k] // NaN too: result then declines
		}
	}
	metrics := results.ConvergenceMetrics
	vals := make([]float64, len(metrics))
	for i := range rows {
		r := &rows[i]
		k := r.Policy
		for mi, m := range metrics {
			vals[mi] = storedValue(m, r.Values[m])
		}
		peak := storedValue(sim.PeakBasisBP, r.Values[sim.PeakBasisBP])
		if !(peak <= thr[k]) {
			t.keptPath[k] = append(t.keptPath[k], t.means.seen) // the path's ordinal, before its last row ends it
			t.keptPeak[k] = append(t.keptPeak[k], peak)
			t.kept++
		}
		t.means.addRow(k, vals, peak, storedValue(sim.FundsDefaulted, r.Values[sim.FundsDefaulted]))
	}
	if t.kept > maxKeptPeaks {
		t.decline()
	}
}

// decline gives up the tally (the parts are read back) and frees what it kept.
func (t *convergenceTally) decline() {
	t.declined = true
	t.keptPath, t.keptPeak = nil, nil
}

// storedValue is metric m's value x as a part stores it (and the read-back sees it): an
// Integer metric as an int32.
func storedValue(m sim.Metric, x float64) float64 {
	if sim.Metrics[m].Integer {
		return float64(int32(x))
	}
	return x
}

// result returns the convergence table and tails.csv's rows of a run of paths paths whose
// peak basis has the 95th percentiles q95, as convergence would from the parts; ok is false
// when the tally cannot give them (see convergenceTally).
func (t *convergenceTally) result(paths int64, q95 []float64) (conv []results.ConvergenceRow, tails []results.TailRow, ok bool) {
	if t == nil || t.declined || t.means.seen != paths {
		return nil, nil, false
	}
	for k, q := range q95 {
		if !(t.threshold[k] <= q) {
			return nil, nil, false
		}
	}
	// The steps below paths (a run stopped by a precision target has fewer than it
	// planned), then the last at paths itself, as convergenceSteps(paths) gives them.
	conv = slices.DeleteFunc(slices.Clone(t.means.rows), func(r results.ConvergenceRow) bool { return r.Paths >= paths })
	conv = t.means.appendRows(conv)
	acc := &tailAccumulators{q95: q95, excess: make([]stats.Moments, len(q95)), dys: t.means.dys, dflt: t.means.dflt}
	next := make([]int, len(q95)) // per policy, the next path kept
	for p := int64(0); p < paths; p++ {
		for k := range q95 {
			x := 0.0 // a path not kept: its peak is at most the threshold, so at most q95
			if j := next[k]; j < len(t.keptPath[k]) && t.keptPath[k][j] == p {
				x = max(t.keptPeak[k][j]-q95[k], 0)
				next[k]++
			}
			acc.excess[k].Add(x)
		}
	}
	return conv, acc.tails(t.means.policies, t.means.bDys, paths), true
}
