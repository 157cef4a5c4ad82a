package run

import (
	"math"
	"slices"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// layout maps (policy, series, day) and (policy, metric) to groups of one
// stats.Distributions: the band groups first (results.BandGroup), then the metrics.
type layout struct {
	policies, days int
	pairs          []pair // paired comparisons reported in effects.csv
	// ref is, per group, the same group of the no-policy run "none", whose values the
	// group's repeat on the days (or paths) its policy does nothing; -1 for none's own
	// groups, and for all when none is not run.
	ref []int
}

// pair is the paired comparison "policy a minus policy b" on the same paths (indices into
// the run's policies).
type pair struct{ a, b int }

// policyPairs returns every comparison of two of the run's policies, later minus earlier
// in run order, except that the no-policy baseline "none" is always the one subtracted:
// for none, qe, spv that is qe - none, spv - none and spv - qe.
func policyPairs(policies []string) []pair {
	var out []pair
	for j := range policies {
		for i := 0; i < j; i++ {
			p := pair{a: j, b: i}
			if policies[j] == "none" {
				p = pair{a: i, b: j}
			}
			out = append(out, p)
		}
	}
	return out
}

func newLayout(policies []string, days int) layout {
	l := layout{policies: len(policies), days: days, pairs: policyPairs(policies)}
	base := slices.Index(policies, "none")
	perBands := sim.NumSeries * days
	l.ref = make([]int, l.groups())
	for g := range l.ref {
		var k, shift int
		if g < l.bandGroups() {
			k, shift = g/perBands, perBands
		} else {
			k, shift = (g-l.bandGroups())/sim.NumMetrics, sim.NumMetrics
		}
		l.ref[g] = -1
		if base >= 0 && k != base {
			l.ref[g] = g - (k-base)*shift
		}
	}
	return l
}

// pairedIndex is the index in Tally.Paired of pair q and the i-th of results.SummaryMetrics.
func pairedIndex(q, i int) int { return q*len(results.SummaryMetrics) + i }

func (l layout) bandGroups() int { return l.policies * sim.NumSeries * l.days }

func (l layout) groups() int { return l.bandGroups() + l.policies*sim.NumMetrics }

func (l layout) metricGroup(k int, m sim.Metric) int {
	return l.bandGroups() + k*sim.NumMetrics + int(m)
}

// Tally is what a chunk contributes to the run's statistics. Tallies are merged in chunk
// order, which fixes the order of every floating-point sum.
type Tally struct {
	Dist    *stats.Distributions      // bands, then metrics (see layout)
	Moments []stats.Moments           // per (policy, metric): mean and variance, for the summary
	Paired  []stats.PairedAccumulator // per (pair, summary metric): see pairedIndex
}

func newTally(l layout) *Tally {
	return &Tally{
		Dist:    stats.NewDistributions(l.groups()),
		Moments: make([]stats.Moments, l.policies*sim.NumMetrics),
		Paired:  make([]stats.PairedAccumulator, len(l.pairs)*len(results.SummaryMetrics)),
	}
}

// Merge adds o, a later chunk, to t.
func (t *Tally) Merge(o *Tally) {
	t.Dist.Merge(o.Dist)
	t.mergeMoments(o.Moments, o.Paired)
}

// mergeMoments adds a later chunk's moments and paired comparisons to t's.
func (t *Tally) mergeMoments(moments []stats.Moments, paired []stats.PairedAccumulator) {
	for i := range t.Moments {
		t.Moments[i].Merge(moments[i])
	}
	for i := range t.Paired {
		t.Paired[i].Merge(paired[i])
	}
}

// chunkTally accumulates one chunk on the sampler's worker goroutines.
type chunkTally struct {
	l         layout
	workers   []*workerTally
	blockSums [][]float64 // per block: sums, folded in block order
}

// bufferedPaths is how many paths' values a worker collects before inserting them into
// its sketches group by group. One path's ~1,000 values go to ~1,000 sketches whose bins
// (megabytes in all) do not fit in the cache, so inserting them as they come misses it on
// nearly every value; a group's run of values lands in one sketch's few kilobytes. Sketches
// are order-free, so buffering changes no result.
const bufferedPaths = 64

// tileGroups is how many consecutive groups a flush moves from the path-major buffer into
// columns at once: 8 float64s, one cache line of a buffered path.
const tileGroups = 8

// workerTally is one worker's sketch bin counts per group and its buffers of values not
// yet counted, laid out path-major, as the paths come: bands[i*bandGroups+g] is band group
// g's value for the i-th buffered path, metrics[i*metricGroups+m] metric group
// bandGroups+m's. The band buffer takes only the paths of the band subset (nBands of
// them), the metric buffer every path (nMetrics). A flush moves a tile of groups at a time
// into columns, one per group and policy (cols), and counts each column. A group with a
// reference group (layout.ref) counts only where its values differ from the reference's:
// a policy's series repeat none's on the days it does nothing, which is most days of most
// paths.
type workerTally struct {
	counts           []stats.SketchCounter
	ref              []int
	policies         int
	bandGroups       int
	bands, metrics   []float64
	cols             []float64 // policies*tileGroups columns of bufferedPaths values
	nBands, nMetrics int
	_                [64]byte // keeps the counts, written on every path, off the next worker's cache line
}

func newWorkerTally(l layout) *workerTally {
	return &workerTally{
		counts:     make([]stats.SketchCounter, l.groups()),
		ref:        l.ref,
		policies:   l.policies,
		bandGroups: l.bandGroups(),
		bands:      make([]float64, l.bandGroups()*bufferedPaths),
		metrics:    make([]float64, (l.groups()-l.bandGroups())*bufferedPaths),
		cols:       make([]float64, l.policies*tileGroups*bufferedPaths),
	}
}

// flushBands counts the n buffered paths' band values.
func (w *workerTally) flushBands(n int) {
	w.flushSection(w.bands, 0, w.bandGroups, n)
}

// flushMetrics counts the n buffered paths' metric values.
func (w *workerTally) flushMetrics(n int) {
	w.flushSection(w.metrics, w.bandGroups, len(w.ref)-w.bandGroups, n)
}

// flushSection counts the n buffered rows of rows, the values of groups [first,
// first+width) path by path (width per path): each policy's width/policies groups, a tile
// of them at a time, moved into columns first. A group's reference group is the same
// group of another policy, so its column is in the same tile.
func (w *workerTally) flushSection(rows []float64, first, width, n int) {
	per := width / w.policies
	for j0 := 0; j0 < per; j0 += tileGroups {
		t := min(tileGroups, per-j0)
		for k := range w.policies {
			transposeTile(w.cols[k*tileGroups*bufferedPaths:], bufferedPaths, rows, width, k*per+j0, t, n)
		}
		for k := range w.policies {
			for c := range t {
				g := first + k*per + j0 + c
				xs := w.column(k, c, n)
				if r := w.ref[g]; r < 0 {
					w.counts[g].AddAll(xs)
				} else {
					w.counts[g].AddChanges(xs, w.column((r-first)/per, c, n))
				}
			}
		}
	}
}

// column is the first n values of column c of policy k's tile.
func (w *workerTally) column(k, c, n int) []float64 {
	at := (k*tileGroups + c) * bufferedPaths
	return w.cols[at : at+n]
}

// transposeRows is transposeTile for rows [from, n): value by value, the reference for the
// vector form.
func transposeRows(cols []float64, stride int, rows []float64, width, off, t, from, n int) {
	for i := from; i < n; i++ {
		row := rows[i*width+off : i*width+off+t]
		for c, x := range row {
			cols[c*stride+i] = x
		}
	}
}

// allWithinScalar is allWithin value by value.
func allWithinScalar(xs []float64, bound float64) bool {
	for _, x := range xs {
		if !(math.Abs(x) <= bound) {
			return false
		}
	}
	return true
}

func (w *workerTally) flush() {
	w.flushBands(w.nBands)
	w.flushMetrics(w.nMetrics)
	w.nBands, w.nMetrics = 0, 0
}

func newChunkTally(l layout, workers, blocks int) *chunkTally {
	c := &chunkTally{l: l, workers: make([]*workerTally, workers), blockSums: make([][]float64, blocks)}
	for w := range c.workers {
		c.workers[w] = newWorkerTally(l)
	}
	for b := range c.blockSums {
		c.blockSums[b] = make([]float64, l.groups())
	}
	return c
}

// reuse readies c, whose last chunk has been folded by finish, for a chunk of blocks
// blocks. Its bin counters keep their bins, already emptied, which spares growing them
// again.
func (c *chunkTally) reuse(blocks int) *chunkTally {
	for len(c.blockSums) < blocks {
		c.blockSums = append(c.blockSums, make([]float64, c.l.groups()))
	}
	c.blockSums = c.blockSums[:blocks]
	for _, sums := range c.blockSums {
		clear(sums)
	}
	return c
}

// visit records one path's series and metrics (called on worker w for block b): sketches
// take the values in any order (buffered), sums in path order within the block. The
// series' sums take every path; their sketches only a path of the band subset (inBands).
func (c *chunkTally) visit(w, b int, res []sim.Result, days [][]float64, inBands bool) {
	wt := c.workers[w]
	sums := c.blockSums[b]
	for k := range res {
		addValues(sums[results.BandGroup(k, 0, 0, c.l.days):], days[k])
	}
	if inBands {
		row := wt.bands[wt.nBands*wt.bandGroups:]
		for k := range res {
			copy(row[results.BandGroup(k, 0, 0, c.l.days):], days[k])
		}
		wt.nBands++
	}
	metricGroups := len(wt.ref) - wt.bandGroups
	row := wt.metrics[wt.nMetrics*metricGroups:]
	for k := range res {
		mbase := c.l.metricGroup(k, 0)
		copy(row[mbase-wt.bandGroups:], res[k].Values[:])
		addValues(sums[mbase:], res[k].Values[:])
	}
	wt.nMetrics++
	if wt.nBands == bufferedPaths {
		wt.flushBands(wt.nBands)
		wt.nBands = 0
	}
	if wt.nMetrics == bufferedPaths {
		wt.flushMetrics(wt.nMetrics)
		wt.nMetrics = 0
	}
}

// fold hands group(g, sum, sk) the chunk's total of every group g in order: the sum of its
// values (blocks added in block order) and its sketch, sk, a scratch sketch valid only
// during the call. It then empties the workers' counters, and returns the chunk's moments
// and paired comparisons; rows are the chunk's results in path order.
func (c *chunkTally) fold(paths int, rows []sim.Result, group func(g int, sum float64, sk *stats.Sketch)) ([]stats.Moments, []stats.PairedAccumulator) {
	for _, w := range c.workers {
		w.flush()
	}
	scratch := stats.NewSketch()
	for g, r := range c.l.ref {
		scratch.Reset()
		for _, w := range c.workers {
			var base *stats.SketchCounter
			if r >= 0 {
				base = &w.counts[r]
			}
			w.counts[g].AddTo(base, scratch)
		}
		sum := 0.0
		for _, sums := range c.blockSums {
			sum += sums[g]
		}
		group(g, sum, scratch)
	}
	for _, w := range c.workers {
		for g := range w.counts {
			w.counts[g].Reset()
		}
	}
	moments := make([]stats.Moments, c.l.policies*sim.NumMetrics)
	for _, r := range rows {
		base := r.Policy * sim.NumMetrics
		for m, x := range r.Values {
			moments[base+m].Add(x)
		}
	}
	paired := make([]stats.PairedAccumulator, len(c.l.pairs)*len(results.SummaryMetrics))
	for p := 0; p+c.l.policies <= len(rows); p += c.l.policies {
		path := rows[p : p+c.l.policies]
		for q, pr := range c.l.pairs {
			for i, m := range results.SummaryMetrics {
				paired[pairedIndex(q, i)].Add(path[pr.a].Values[m], path[pr.b].Values[m])
			}
		}
	}
	return moments, paired
}
