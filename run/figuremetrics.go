package run

import (
	"fmt"
	"path/filepath"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// figureMetrics holds the per-path metrics the figures draw: the plots.MetricColumns of
// the run's first rows (path-major, a path's policies in order), split by policy.
type figureMetrics struct {
	cols [][][]float64 // [policy][plots.MetricColumns index]: the values, nil for no rows
	rows int           // the rows held, every policy's
}

// drawRunFigures is drawFigures, which finish calls (a test replaces it to see where a
// run's figures took their per-path metrics from).
var drawRunFigures = drawFigures

// figureMetricsFromParts takes the figureMetrics of the first limit rows of parts, the
// run's first parts in path order (or, when nil, of the parts read from dir).
func figureMetricsFromParts(dir string, policies []string, parts []*results.PathColumns, limit int) (*figureMetrics, error) {
	if parts == nil {
		pc, err := results.ReadPathColumnsUpTo(dir, plots.MetricColumns, limit)
		if err != nil {
			return nil, err
		}
		parts = []*results.PathColumns{pc}
	}
	// Each row's policy is looked up once, and each policy's column is allocated at its
	// final length: a map lookup and a slice growth per value cost more than the reading.
	policyIndex := make(map[string]int, len(policies))
	for k, pol := range policies {
		policyIndex[pol] = k
	}
	n := 0 // the rows drawn: the first limit rows of the parts
	for _, pc := range parts {
		n += len(pc.Path)
	}
	n = min(n, limit)
	rowPolicy := make([]int, 0, n)
	counts := make([]int, len(policies))
	for _, pc := range parts {
		for i := 0; i < len(pc.Path) && len(rowPolicy) < n; i++ {
			k, ok := policyIndex[pc.Policy[i]]
			if !ok {
				return nil, fmt.Errorf("%s: policy %q is not among the config's policies %v", filepath.Join(dir, results.PathsDir), pc.Policy[i], policies)
			}
			rowPolicy = append(rowPolicy, k)
			counts[k]++
		}
	}
	fm := &figureMetrics{cols: make([][][]float64, len(policies)), rows: n}
	for k := range fm.cols {
		fm.cols[k] = make([][]float64, len(plots.MetricColumns))
	}
	for c, name := range plots.MetricColumns {
		for k, count := range counts {
			if count > 0 {
				fm.cols[k][c] = make([]float64, 0, count)
			}
		}
		r := 0
		for _, pc := range parts {
			vals := pc.Columns[name]
			if len(vals) != len(pc.Path) {
				return nil, fmt.Errorf("%s: column %q has %d values for %d rows", filepath.Join(dir, results.PathsDir), name, len(vals), len(pc.Path))
			}
			for i := 0; i < len(vals) && r < n; i, r = i+1, r+1 {
				k := rowPolicy[r]
				fm.cols[k][c] = append(fm.cols[k][c], vals[i])
			}
		}
	}
	return fm, nil
}

// figureRows gathers the figures' per-path metrics from each chunk's rows in memory as
// the chunk is written, in chunk order, so that a run with figures need not read its
// parts back: the values the parts store (an Integer metric as its int32), in their
// order, so the figures are those drawn from the parts. A chunk out of order (the chunks
// of a resumed run read from their checkpoints) makes it decline, and the run reads the
// parts as before.
type figureRows struct {
	figureMetrics
	metrics   []sim.Metric // the metric of each plots.MetricColumns
	limit     int          // the most rows gathered
	nextChunk int
	declined  bool
}

// newFigureRows returns the gatherer of the first maxPaths of a run's paths (at most
// paths) of its policies.
func newFigureRows(policies []string, paths, maxPaths int) (*figureRows, error) {
	f := &figureRows{limit: maxPaths * len(policies)}
	for _, name := range plots.MetricColumns {
		m, ok := sim.MetricByName(name)
		if !ok {
			return nil, fmt.Errorf("internal error: the figures' column %q is no metric", name)
		}
		f.metrics = append(f.metrics, m)
	}
	f.cols = make([][][]float64, len(policies))
	perPolicy := min(paths, maxPaths)
	for k := range f.cols {
		f.cols[k] = make([][]float64, len(f.metrics))
		for c := range f.cols[k] {
			f.cols[k][c] = make([]float64, 0, perPolicy)
		}
	}
	return f, nil
}

// add gathers chunk c's rows (path-major, a path's policies in order) up to the limit.
func (f *figureRows) add(c int, rows []sim.Result) {
	if f == nil || f.declined {
		return
	}
	if c != f.nextChunk {
		f.declined = true
		f.cols = nil
		return
	}
	f.nextChunk++
	for i := 0; i < len(rows) && f.rows < f.limit; i++ {
		r := &rows[i]
		for c, m := range f.metrics {
			f.cols[r.Policy][c] = append(f.cols[r.Policy][c], storedValue(m, r.Values[m]))
		}
		f.rows++
	}
}

// result returns the metrics gathered, or nil when the gatherer declined or holds fewer
// rows than a run of paths paths draws (the figures then read the parts).
func (f *figureRows) result(paths int) *figureMetrics {
	if f == nil || f.declined || f.rows != min(paths*len(f.cols), f.limit) {
		return nil
	}
	for k := range f.cols {
		for c := range f.cols[k] {
			if len(f.cols[k][c]) == 0 {
				f.cols[k][c] = nil // as from the parts: no column for a policy without rows
			}
		}
	}
	return &f.figureMetrics
}
