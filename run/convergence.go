package run

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// convergenceSteps returns the path counts at which convergence.parquet reports the running
// mean: 100, 200, 500, 1,000, 2,000, 5,000, ... below paths, then paths itself.
func convergenceSteps(paths int64) []int64 {
	var steps []int64
	for scale := int64(100); scale < paths; scale *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if n := m * scale; n < paths {
				steps = append(steps, n)
			}
		}
	}
	return append(steps, paths)
}

// tailAccumulators gather, per policy, the tail-risk measures of tails.csv in the same pass.
type tailAccumulators struct {
	q95       []float64       // the sketch's 95th percentile of the peak basis
	excess    []stats.Moments // of (peak basis - q95)+
	dys, dflt []int           // paths with peak basis above b_dys; with any fund default
}

// tails returns the rows of tails.csv from acc over n paths.
func (acc *tailAccumulators) tails(policies []string, bDys float64, n int64) []results.TailRow {
	var rows []results.TailRow
	for k, p := range policies {
		pd := stats.Proportion(acc.dys[k], int(n), 0.95)
		pf := stats.Proportion(acc.dflt[k], int(n), 0.95)
		es := stats.ShortfallFrom(acc.q95[k], acc.excess[k], 0.95, 0.95)
		rows = append(rows,
			results.TailRow{Policy: p, Measure: fmt.Sprintf("P(peak_basis_bp > %g)", bDys), Unit: "probability", N: n, Estimate: pd.Estimate, Lo: pd.Lo, Hi: pd.Hi},
			results.TailRow{Policy: p, Measure: "P(funds_defaulted > 0)", Unit: "probability", N: n, Estimate: pf.Estimate, Lo: pf.Lo, Hi: pf.Hi},
			results.TailRow{Policy: p, Measure: "ES95(peak_basis_bp)", Unit: "bp", N: n, Estimate: es.Estimate, Lo: es.Lo, Hi: es.Hi},
		)
	}
	return rows
}

// keptParts asks convergence to keep the columns of the run's first parts, which hold the
// paths the figures draw, so that the figures need not read them again.
type keptParts struct {
	parts   int      // the first parts to keep
	metrics []string // the columns wanted besides the path and policy
	got     []*results.PathColumns
}

// keepForFigures returns the keptParts for the figures of a run of chunks chunks of
// chunkPaths(c) paths each: its first parts up to the one holding the first maxPaths
// paths, those results.ReadPathColumnsUpTo reads.
func keepForFigures(chunks int, chunkPaths func(c int) int, maxPaths int) *keptParts {
	k := &keptParts{metrics: plots.MetricColumns}
	for paths := 0; k.parts < chunks && paths < maxPaths; k.parts++ {
		paths += chunkPaths(k.parts)
	}
	return k
}

// read reads the parts kept (the first k.parts of parts, the run's parts in path order)
// as convergence does, for a run whose convergence table needs no parts.
func (k *keptParts) read(parts []string, ready func(i int) error) error {
	kept := parts[:min(k.parts, len(parts))]
	reads := readParts(kept, ready, k)
	for i := range kept {
		rd := reads.next(i)
		if rd.err != nil {
			return rd.err // a read under way ends in its buffered channel
		}
		k.got = append(k.got, rd.pc)
	}
	return nil
}

// columns returns names followed by those of k.metrics not among them.
func (k *keptParts) columns(names []string) []string {
	cols := slices.Clone(names)
	for _, m := range k.metrics {
		if !slices.Contains(cols, m) {
			cols = append(cols, m)
		}
	}
	return cols
}

// convergenceNames returns the names of results.ConvergenceMetrics.
func convergenceNames() []string {
	var names []string
	for _, m := range results.ConvergenceMetrics {
		names = append(names, sim.Metrics[m].Name)
	}
	return names
}

// partRead is a part read back, or why it could not be.
type partRead struct {
	pc  *results.PathColumns
	err error
}

// partReads reads a run's parts back for a convergence pass, in path order, a few ahead
// of the pass on goroutines of their own, so that the pass holds three parts at a time
// (the next two are read while one is tallied) and memory does not grow with the run.
type partReads struct {
	parts []string
	reads []chan partRead // per part, buffered: a read under way ends there even if unread
	read  func(i int)
}

// readAhead is how many parts partReads reads at once, besides the one being tallied.
const readAhead = 2

// readParts starts reading parts (the run's parts in path order) with the key metrics'
// columns, and, when keep is not nil, keep.metrics too for the first keep.parts parts.
// ready(i) is called before part i is read and returns when the part is on disk (or why
// it is not).
func readParts(parts []string, ready func(i int) error, keep *keptParts) *partReads {
	names := convergenceNames()
	r := &partReads{parts: parts, reads: make([]chan partRead, len(parts))}
	for i := range r.reads {
		r.reads[i] = make(chan partRead, 1)
	}
	r.read = func(i int) {
		if err := ready(i); err != nil {
			r.reads[i] <- partRead{nil, err}
			return
		}
		cols := names
		if keep != nil && i < keep.parts {
			cols = keep.columns(names)
		}
		pc, err := results.ReadPartColumns(parts[i], cols)
		r.reads[i] <- partRead{pc, err}
	}
	for i := 0; i < min(readAhead, len(parts)); i++ {
		go r.read(i)
	}
	return r
}

// next waits for part i, read in order, and starts reading the one readAhead after it.
func (r *partReads) next(i int) partRead {
	rd := <-r.reads[i]
	if i+readAhead < len(r.parts) {
		go r.read(i + readAhead)
	}
	return rd
}

// convergenceMeans is what a convergence pass adds up as rows come in path order (a
// path's policies in order): the convergence table, the running moments of each policy and
// results.ConvergenceMetrics recorded at each of steps, and the counts of tails.csv's
// first two measures.
type convergenceMeans struct {
	policies, names []string
	steps           []int64
	acc             []*stats.RowMoments // per policy: the moments of its values of names
	rows            []results.ConvergenceRow
	seen            int64 // paths added
	next            int   // the next step to record
	bDys            float64
	dys, dflt       []int // per policy: paths with peak basis above bDys; with any fund default
}

func newConvergenceMeans(policies []string, steps []int64, bDys float64) *convergenceMeans {
	names := convergenceNames()
	acc := make([]*stats.RowMoments, len(policies))
	for k := range acc {
		acc[k] = stats.NewRowMoments(len(names))
	}
	return &convergenceMeans{policies: policies, names: names, steps: steps, acc: acc,
		bDys: bDys, dys: make([]int, len(policies)), dflt: make([]int, len(policies))}
}

// addRow adds a row of policy k: vals, its values of the convergence metrics in order, its
// peak basis and its funds defaulted. The row of a path's last policy ends the path, and
// records the table's rows at a step.
func (c *convergenceMeans) addRow(k int, vals []float64, peak, defaulted float64) {
	c.acc[k].Add(vals)
	if peak > c.bDys {
		c.dys[k]++
	}
	if defaulted > 0 {
		c.dflt[k]++
	}
	if k < len(c.policies)-1 {
		return
	}
	c.seen++
	if c.next < len(c.steps) && c.seen == c.steps[c.next] {
		c.rows = c.appendRows(c.rows)
		c.next++
	}
}

// appendRows appends the table's rows at the paths added so far to rows.
func (c *convergenceMeans) appendRows(rows []results.ConvergenceRow) []results.ConvergenceRow {
	for k, p := range c.policies {
		for i, name := range c.names {
			ci := c.acc[k].Moments(i).CI(0.95)
			rows = append(rows, results.ConvergenceRow{Policy: p, Metric: name, Paths: c.seen, Mean: ci.Estimate, Lo: ci.Lo, Hi: ci.Hi})
		}
	}
	return rows
}

// readBack is convergence, which finish calls when the chunks in memory cannot give the
// table (a test replaces it to see which way a run took).
var readBack = convergence

// convergence reads the key metrics of parts, the run's parts in path order (as readParts
// does), and returns the running mean and 95% CI of each policy and metric at
// convergenceSteps, and the tail-risk rows (threshold bDys; q95 the peak basis's 95th
// percentile per policy). When keep is not nil, the first keep.parts parts, read with
// keep.metrics too, are kept (keep.got) for the figures: a bounded number of paths
// (MaxFigurePaths).
func convergence(parts []string, ready func(i int) error, policies []string, paths int64, bDys float64, q95 []float64, keep *keptParts) ([]results.ConvergenceRow, []results.TailRow, error) {
	reads := readParts(parts, ready, keep)
	means := newConvergenceMeans(policies, convergenceSteps(paths), bDys)
	tails := &tailAccumulators{q95: q95, excess: make([]stats.Moments, len(policies)), dys: means.dys, dflt: means.dflt}
	cols := make([][]float64, len(means.names))
	vals := make([]float64, len(means.names))
	for pi, part := range parts {
		rd := reads.next(pi)
		if rd.err != nil {
			return nil, nil, rd.err // a read under way ends in its buffered channel
		}
		pc := rd.pc
		if keep != nil && pi < keep.parts {
			keep.got = append(keep.got, pc)
		}
		for i, name := range means.names {
			cols[i] = pc.Columns[name]
		}
		peak, dflt := pc.Columns[sim.Metrics[sim.PeakBasisBP].Name], pc.Columns[sim.Metrics[sim.FundsDefaulted].Name]
		for r := 0; r < len(pc.Path); r++ {
			k := slices.Index(policies, pc.Policy[r]) // a few policies: faster than hashing
			if k < 0 {
				return nil, nil, fmt.Errorf("%s: policy %q is not among the run's %v", part, pc.Policy[r], policies)
			}
			tails.excess[k].Add(max(peak[r]-q95[k], 0))
			for i, col := range cols {
				vals[i] = col[r]
			}
			means.addRow(k, vals, peak[r], dflt[r])
		}
	}
	if means.seen != paths {
		dir := "the run"
		if len(parts) > 0 {
			dir = filepath.Dir(filepath.Dir(parts[0]))
		}
		return nil, nil, fmt.Errorf("%s: the parts hold %d paths, the run %d", dir, means.seen, paths)
	}
	return means.rows, tails.tails(policies, bDys, paths), nil
}
