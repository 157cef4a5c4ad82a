package run

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// layout maps (policy, series, day) and (policy, metric) to groups of one
// stats.Distributions: the band groups first (results.BandGroup), then the metrics.
type layout struct {
	policies, days int
	pairs          []pair // paired comparisons reported in effects.csv
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
	return layout{policies: len(policies), days: days, pairs: policyPairs(policies)}
}

// pairedIndex is the index in Tally.Paired of pair q and the i-th of results.SummaryMetrics.
func pairedIndex(q, i int) int { return q*len(results.SummaryMetrics) + i }

func (l layout) bandGroups() int { return l.policies * sim.NumSeries * l.days }

func (l layout) groups() int { return l.bandGroups() + l.policies*sim.NumMetrics }

func (l layout) metricGroup(k int, m sim.Metric) int {
	return l.bandGroups() + k*sim.NumMetrics + int(m)
}

// bandPositions is how many band groups each policy has: one per (series, day).
func (l layout) bandPositions() int { return sim.NumSeries * l.days }

// positions is how many groups each policy has: a band group per (series, day), then a
// metric group per metric.
func (l layout) positions() int { return l.bandPositions() + sim.NumMetrics }

// position is group g's place among its policy's groups (see positions): every policy's
// group at the same place holds the same quantity.
func (l layout) position(g int) int {
	if g < l.bandGroups() {
		return g % l.bandPositions()
	}
	return l.bandPositions() + (g-l.bandGroups())%sim.NumMetrics
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
// columns at once: 16 bin codes, one cache line of a buffered path.
const tileGroups = 16

// workerTally is one worker's sketch bin counts and its buffers of values not yet
// counted, laid out path-major, as the paths come: bands[i*bandGroups+g] is the bin code
// (stats.BinCode) of band group g's value for the i-th buffered path,
// metrics[i*metricGroups+m] metric group bandGroups+m's. A value's code is computed where
// the value is visited (stats.SumCodes, with its sum), and a code takes half the bytes of
// the value. The band buffer takes only the paths of the band subset (nBands of them),
// the metric buffer every path (nMetrics). A flush moves a tile of groups at a time into
// columns, one per group (cols), and counts them (SketchCounter.AddCodes).
//
// Where every policy's value at a position on a path falls in the same bin (a policy does
// nothing on most days of most paths, so its series repeat the others'), the bin is
// counted once, in the position's shared counter; elsewhere each policy's value is counted
// in its group's counter. A group's sketch is the sum of the two (SketchCounter.AddTo),
// the same bins and counts as if each value had been counted in its group. A path on
// which every policy has the same series (no policy acts on it: four paths in ten of the
// baseline) keeps one policy's codes, in sameBands (and sameMetrics, when its metrics
// agree too), which a flush counts straight into the shared counters: no columns of the
// other policies to move and compare.
type workerTally struct {
	counts           []stats.SketchCounter // per group: its values on the paths where the policies differ
	shared           []stats.SketchCounter // per position (layout.position): the value all policies share
	policies         int
	bandGroups       int
	metricGroups     int
	bandPositions    int
	bands, metrics   []int32 // bin codes
	cols             []int32 // policies*tileGroups columns of bufferedPaths codes
	agreed           []int32 // a column's codes on the paths where all policies agree
	nBands, nMetrics int
	// The paths on which every policy has the same values, one policy's codes each:
	// sameBands[i*bandPositions+p] is position p's code on the i-th of nSameBands paths,
	// sameMetrics[i*sim.NumMetrics+m] metric m's on the i-th of nSameMetrics.
	sameBands, sameMetrics   []int32
	nSameBands, nSameMetrics int
	// A visited path's policies' series (or metrics), their sums and their codes, for
	// stats.SumCodes.
	values, sums [][]float64
	codes        [][]int32
	_            [64]byte // keeps the counts, written on every path, off the next worker's cache line
}

func newWorkerTally(l layout) *workerTally {
	return &workerTally{
		counts:        make([]stats.SketchCounter, l.groups()),
		shared:        make([]stats.SketchCounter, l.positions()),
		policies:      l.policies,
		bandGroups:    l.bandGroups(),
		metricGroups:  l.groups() - l.bandGroups(),
		bandPositions: l.bandPositions(),
		bands:         make([]int32, l.bandGroups()*bufferedPaths),
		metrics:       make([]int32, (l.groups()-l.bandGroups())*bufferedPaths),
		cols:          make([]int32, l.policies*tileGroups*bufferedPaths),
		agreed:        make([]int32, bufferedPaths),
		sameBands:     make([]int32, l.bandPositions()*bufferedPaths),
		sameMetrics:   make([]int32, sim.NumMetrics*bufferedPaths),
		values:        make([][]float64, l.policies),
		sums:          make([][]float64, l.policies),
		codes:         make([][]int32, l.policies),
	}
}

// flushBands counts the buffered paths' band values and empties their buffer.
func (w *workerTally) flushBands() {
	w.flushSection(w.bands, 0, w.bandGroups, 0, w.nBands)
	w.nBands = 0
}

// flushSameBands counts the band values of the buffered paths on which every policy has
// the same series, and empties their buffer.
func (w *workerTally) flushSameBands() {
	w.flushShared(w.sameBands, w.bandPositions, 0, w.nSameBands)
	w.nSameBands = 0
}

// flushSameMetrics counts the metrics of the buffered paths on which every policy has the
// same metrics, and empties their buffer.
func (w *workerTally) flushSameMetrics() {
	w.flushShared(w.sameMetrics, sim.NumMetrics, w.bandPositions, w.nSameMetrics)
	w.nSameMetrics = 0
}

// flushShared counts the n buffered rows of rows, width codes each, of the positions from
// position on, into the shared counters: a tile of positions at a time, moved into columns
// first.
func (w *workerTally) flushShared(rows []int32, width, position, n int) {
	for j0 := 0; j0 < width; j0 += tileGroups {
		t := min(tileGroups, width-j0)
		transposeTile(w.cols, bufferedPaths, rows, width, j0, t, n)
		for c := range t {
			w.shared[position+j0+c].AddCodes(w.cols[c*bufferedPaths : c*bufferedPaths+n])
		}
	}
}

// flushMetrics counts the buffered paths' metric values and empties their buffer.
func (w *workerTally) flushMetrics() {
	w.flushSection(w.metrics, w.bandGroups, w.metricGroups, w.bandPositions, w.nMetrics)
	w.nMetrics = 0
}

// flushSection counts the n buffered rows of rows, the codes of groups [first,
// first+width) path by path (width per path), whose positions start at position: each
// policy's width/policies groups, a tile of them at a time, moved into columns first, so
// that the policies' codes at a position are in the same tile.
func (w *workerTally) flushSection(rows []int32, first, width, position, n int) {
	per := width / w.policies
	for j0 := 0; j0 < per; j0 += tileGroups {
		t := min(tileGroups, per-j0)
		for k := range w.policies {
			transposeTile(w.cols[k*tileGroups*bufferedPaths:], bufferedPaths, rows, width, k*per+j0, t, n)
		}
		for c := range t {
			agreed, differ := splitAgreeing(w.cols[c*bufferedPaths:], tileGroups*bufferedPaths, w.policies, n, w.agreed)
			w.shared[position+j0+c].AddCodes(w.agreed[:agreed])
			for k := range w.policies {
				w.counts[first+k*per+j0+c].AddCodes(w.column(k, c, differ))
			}
		}
	}
}

// column is the first n codes of column c of policy k's tile.
func (w *workerTally) column(k, c, n int) []int32 {
	at := (k*tileGroups + c) * bufferedPaths
	return w.cols[at : at+n]
}

// transposeRows is transposeTile for rows [from, n): value by value, the reference for the
// vector form.
func transposeRows(cols []int32, stride int, rows []int32, width, off, t, from, n int) {
	for i := from; i < n; i++ {
		row := rows[i*width+off : i*width+off+t]
		for c, x := range row {
			cols[c*stride+i] = x
		}
	}
}

// splitAgreeingScalar is splitAgreeing value by value: the reference for the vector form.
func splitAgreeingScalar(cols []int32, stride, policies, n int, agreed []int32) (int, int) {
	na, nd := 0, 0
	for i := range n {
		x := cols[i]
		same := true
		for k := 1; k < policies; k++ {
			same = same && cols[k*stride+i] == x
		}
		if same {
			agreed[na] = x
			na++
			continue
		}
		for k := range policies {
			cols[k*stride+nd] = cols[k*stride+i]
		}
		nd++
	}
	return na, nd
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

// addWithinScalar is addWithin value by value: the reference for the vector form.
func addWithinScalar(sums, xs []float64, bound float64) bool {
	sums = sums[:len(xs)]
	within := true
	for i, x := range xs {
		sums[i] += x
		within = within && math.Abs(x) <= bound
	}
	return within
}

func (w *workerTally) flush() {
	w.flushBands()
	w.flushMetrics()
	w.flushSameBands()
	w.flushSameMetrics()
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
// take the values in any order (buffered as bin codes), sums in path order within the
// block. The series' sums take every path; their sketches only a path of the band subset
// (inBands).
// It reports false, and leaves the path's values out of the sketches, when one of them
// is beyond what the tallies hold (maxTallied) or NaN: the chunk then fails (finiteCheck
// names the value), and its sums are not used.
func (c *chunkTally) visit(w, b int, res []sim.Result, days [][]float64, inBands bool) bool {
	wt := c.workers[w]
	sums := c.blockSums[b]
	usable, bandsAgree := true, false
	if inBands {
		row := wt.bands[wt.nBands*wt.bandGroups:]
		for k := range res {
			at := results.BandGroup(k, 0, 0, c.l.days)
			wt.values[k], wt.sums[k], wt.codes[k] = days[k], sums[at:], row[at:]
		}
		usable, bandsAgree = stats.SumCodes(wt.sums, wt.values, wt.codes, maxTallied)
	} else {
		for k := range res {
			at := results.BandGroup(k, 0, 0, c.l.days)
			usable = addWithin(sums[at:], days[k], maxTallied) && usable
		}
	}
	row := wt.metrics[wt.nMetrics*wt.metricGroups:]
	for k := range res {
		mbase := c.l.metricGroup(k, 0)
		wt.values[k], wt.sums[k], wt.codes[k] = res[k].Values[:], sums[mbase:], row[mbase-wt.bandGroups:]
	}
	within, metricsAgree := stats.SumCodes(wt.sums, wt.values, wt.codes, maxTallied)
	if !usable || !within {
		return false
	}
	// A path on which every policy has the same values keeps the first policy's codes
	// (the first of its rows) in the buffer of such paths; its row is taken by the next.
	switch {
	case !inBands:
	case bandsAgree:
		copy(wt.sameBands[wt.nSameBands*wt.bandPositions:(wt.nSameBands+1)*wt.bandPositions], wt.bands[wt.nBands*wt.bandGroups:])
		wt.nSameBands++
	default:
		wt.nBands++
	}
	if metricsAgree {
		copy(wt.sameMetrics[wt.nSameMetrics*sim.NumMetrics:(wt.nSameMetrics+1)*sim.NumMetrics], row)
		wt.nSameMetrics++
	} else {
		wt.nMetrics++
	}
	if wt.nBands == bufferedPaths {
		wt.flushBands()
	}
	if wt.nMetrics == bufferedPaths {
		wt.flushMetrics()
	}
	if wt.nSameBands == bufferedPaths {
		wt.flushSameBands()
	}
	if wt.nSameMetrics == bufferedPaths {
		wt.flushSameMetrics()
	}
	return true
}

// foldRunCount is how many runs of consecutive groups foldRuns cuts the groups into: a
// few per core, so that goroutines taking the next run as they finish share the work
// evenly, though groups differ in size (a band group's sketch spans more bins than a
// count's).
const foldRunCount = 16

// foldRun returns the groups [lo, hi) of run r of foldRunCount among groups groups.
func foldRun(r, groups int) (lo, hi int) {
	return r * groups / foldRunCount, (r + 1) * groups / foldRunCount
}

// foldRuns hands group(r, g, sum, sk) the chunk's total of every group g: the sum of its
// values (blocks added in block order) and its sketch, sk, a scratch sketch of the
// goroutine's own, valid only during the call. It then empties the workers' counters, and
// returns the chunk's moments and paired comparisons; rows are the chunk's results in path
// order. The moments, which need only the rows, are computed on a goroutine of their own
// meanwhile: the last chunk's fold is on the way to the run's end.
//
// The groups are cut into foldRunCount runs of consecutive groups (foldRun), folded on up
// to goroutines goroutines at once; group is called for the groups of run r in order, on
// one goroutine. Runs may be folded at the same time (never with goroutines 1, which
// folds them, and so every group, in order), so group must touch only what belongs to its
// run and its group; a caller that keeps what each run gives apart and joins it in run
// order gets the groups in order. The results are the same whatever goroutines is.
func (c *chunkTally) foldRuns(rows []sim.Result, goroutines int, group func(r, g int, sum float64, sk *stats.Sketch)) ([]stats.Moments, []stats.PairedAccumulator) {
	var moments []stats.Moments
	var paired []stats.PairedAccumulator
	done := make(chan struct{})
	go func() {
		moments, paired = c.rowMoments(rows)
		close(done)
	}()
	for _, w := range c.workers {
		w.flush()
	}
	groups := c.l.groups()
	var next atomic.Int32 // the next run to fold
	foldSome := func() {
		scratch := stats.NewSketch()
		for r := int(next.Add(1)) - 1; r < foldRunCount; r = int(next.Add(1)) - 1 {
			lo, hi := foldRun(r, groups)
			for g := lo; g < hi; g++ {
				scratch.Reset()
				p := c.l.position(g)
				for _, w := range c.workers {
					w.counts[g].AddTo(&w.shared[p], scratch) // shared[p] is only read
				}
				sum := 0.0
				for _, sums := range c.blockSums {
					sum += sums[g]
				}
				group(r, g, sum, scratch)
				for _, w := range c.workers {
					w.counts[g].Reset()
				}
			}
		}
	}
	var wg sync.WaitGroup
	for range min(goroutines, foldRunCount) - 1 {
		wg.Go(foldSome)
	}
	foldSome()
	wg.Wait()
	for _, w := range c.workers { // every group that shares a position is folded
		for p := range w.shared {
			w.shared[p].Reset()
		}
	}
	<-done
	return moments, paired
}

// rowMoments returns the moments of every policy's metrics over rows (the chunk's results
// in path order) and the paired comparisons of every pair of policies, each value added in
// path order.
func (c *chunkTally) rowMoments(rows []sim.Result) ([]stats.Moments, []stats.PairedAccumulator) {
	byPolicy := make([]*stats.RowMoments, c.l.policies)
	for k := range byPolicy {
		byPolicy[k] = stats.NewRowMoments(sim.NumMetrics)
	}
	for i := range rows {
		byPolicy[rows[i].Policy].Add(rows[i].Values[:])
	}
	moments := make([]stats.Moments, c.l.policies*sim.NumMetrics)
	for k, r := range byPolicy {
		for m := range sim.NumMetrics {
			moments[k*sim.NumMetrics+m] = r.Moments(m)
		}
	}
	// A pair's moments of a and of b are those of its policies' metrics, the same values
	// added in the same order: they are copied. Its differences, a path's row of them,
	// and how many paths have each below and above zero, are what AddDifference records.
	paired := make([]stats.PairedAccumulator, len(c.l.pairs)*len(results.SummaryMetrics))
	diffs := stats.NewRowMoments(len(paired))
	row := make([]float64, len(paired))
	for p := 0; p+c.l.policies <= len(rows); p += c.l.policies {
		path := rows[p : p+c.l.policies]
		for q, pr := range c.l.pairs {
			for i, m := range results.SummaryMetrics {
				j := pairedIndex(q, i)
				a, b := path[pr.a].Values[m], path[pr.b].Values[m]
				row[j] = a - b
				switch {
				case a < b:
					paired[j].Below++
				case a > b:
					paired[j].Above++
				}
			}
		}
		diffs.Add(row)
	}
	for q, pr := range c.l.pairs {
		for i, m := range results.SummaryMetrics {
			acc := &paired[pairedIndex(q, i)]
			acc.A, acc.B = moments[pr.a*sim.NumMetrics+int(m)], moments[pr.b*sim.NumMetrics+int(m)]
			acc.D = diffs.Moments(pairedIndex(q, i))
		}
	}
	return moments, paired
}
