package plots

import (
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/backstop-research/backstop/stats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// binning is a shared set of histogram bins for several samples.
type binning struct {
	edges   []float64 // len(bins)+1 edges, increasing
	log     bool      // edges are equally spaced in log(x)
	trimmed bool      // values outside the edges are not drawn (else they count in the end bins)
}

// binScale chooses how newBinning spans the values.
type binScale int

const (
	linear        binScale = iota // every value, linear axis
	linearTrimmed                 // the 0.5th to 99.5th percentile, linear axis: long thin tails would squash the bulk
	logIfSpread                   // a log axis when the values call for it (see newBinning), else linear
)

// logTailRatio: above this ratio of the pooled 99th to 1st percentile (all positive), a
// distribution is drawn on a log axis so its bulk and its tail both show.
const logTailRatio = 30

// newBinning chooses n bins for the pooled samples. With logIfSpread, the bins are on a log
// axis when the values are all positive and their 99th percentile is more than logTailRatio
// times their 1st (values below the 0.5th percentile then count in the first bin).
func newBinning(samples [][]float64, n int, scale binScale) binning {
	if !slices.ContainsFunc(samples, func(s []float64) bool { return len(s) > 0 }) {
		return binning{edges: linspace(0, 1, n+1)}
	}
	lo, hi, q := pooledTails(samples, []float64{0.005, 0.01, 0.99, 0.995})
	q005, q01, q99, q995 := q[0], q[1], q[2], q[3]
	if scale == linearTrimmed {
		lo, hi = q005, q995
		if hi > lo {
			return binning{edges: linspace(lo, hi, n+1), trimmed: true}
		}
	}
	if scale == logIfSpread && q01 > 0 && q99/q01 > logTailRatio {
		floor := q005
		e := linspace(math.Log10(floor), math.Log10(hi), n+1)
		for i := range e {
			e[i] = math.Pow(10, e[i])
		}
		return binning{edges: e, log: true}
	}
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	return binning{edges: linspace(lo, hi, n+1)}
}

// shares returns the percentage of all values in each bin; values outside the edges count in
// the end bins, or nowhere when the binning is trimmed.
func (b binning) shares(values []float64) []float64 {
	n := len(b.edges) - 1
	out := make([]float64, n)
	if len(values) == 0 {
		return out
	}
	lo, hi := b.edges[0], b.edges[n]
	logSpan := math.Log(hi / lo) // for log bins; computed once, not per value
	for _, v := range values {
		if b.trimmed && (v < lo || v > hi) {
			continue
		}
		var i int
		switch {
		case v <= lo:
			i = 0
		case v >= hi:
			i = n - 1
		case b.log:
			i = int(float64(n) * math.Log(v/lo) / logSpan)
		default:
			i = int(float64(n) * (v - lo) / (hi - lo))
		}
		out[min(max(i, 0), n-1)]++
	}
	for i := range out {
		out[i] *= 100 / float64(len(values))
	}
	return out
}

// apply sets the panel's x axis to the binning's range and scale.
func (b binning) apply(p *plot.Plot) {
	p.X.Min, p.X.Max = b.edges[0], b.edges[len(b.edges)-1]
	if b.log {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	}
}

// cleanTicks label an axis at multiples of a round step (1, 2, 2.5 or 5 times a power of
// ten), the smallest that leaves at most maxLinearLabels labels, written without trailing
// zeros ("25", not "25.00"); minor ticks divide the step. gonum's default ticks label every
// few minor ticks from wherever the range starts, which gives labels such as 3, 9, 15 or
// 0.025, 0.1, 0.175 (its labels are kept where no round step leaves two labels).
type cleanTicks struct{}

// maxLinearLabels is the most labels cleanTicks puts on an axis: one column wide, a
// panel's axis has room for about four.
const maxLinearLabels = 4

// Ticks implements plot.Ticker.
func (cleanTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi > lo && !math.IsInf(hi-lo, 0) {
		for e := math.Floor(math.Log10(hi-lo)) - 1; e <= math.Floor(math.Log10(hi-lo))+1; e++ {
			for _, m := range []struct{ step, minor float64 }{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}} {
				step := m.step * math.Pow(10, e)
				first, last := math.Ceil(lo/step-1e-9), math.Floor(hi/step+1e-9)
				if n := last - first + 1; n < 2 || n > maxLinearLabels {
					continue
				}
				var ticks []plot.Tick
				sub := step / m.minor
				for i := math.Ceil(lo/sub - 1e-9); i <= math.Floor(hi/sub+1e-9); i++ {
					v := i * sub
					if v == 0 {
						v = 0 // not -0
					}
					if math.Mod(i, m.minor) == 0 {
						ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 6, 64)})
					} else {
						ticks = append(ticks, plot.Tick{Value: v})
					}
				}
				return ticks
			}
		}
	}
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'g', 6, 64)
		}
	}
	return ticks
}

// logTicks labels 1-2-5 steps on a log axis, so short ranges still get several labels;
// over wide ranges only the powers of ten keep labels (the rest stay as minor ticks).
type logTicks struct{}

// maxLogLabels is the most labels logTicks puts on an axis.
const maxLogLabels = 7

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi < lo {
		return nil
	}
	var ticks []plot.Tick
	labelled := 0
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: compactNumber(v)})
			labelled++
		}
	}
	if labelled > maxLogLabels {
		for i, t := range ticks {
			if m := t.Value / math.Pow(10, math.Floor(math.Log10(t.Value)+1e-9)); math.Abs(m-1) > 1e-9 {
				ticks[i].Label = ""
			}
		}
	}
	return ticks
}

// compactNumber formats a tick value briefly: 500, 2k, 10k, 1M, 0.5.
func compactNumber(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

// stepHistogram adds a filled step outline of shares over edges to p in color c.
func stepHistogram(p *plot.Plot, edges, shares []float64, c color.NRGBA, fill float64) plot.Thumbnailer {
	var pts plotter.XYs
	pts = append(pts, plotter.XY{X: edges[0], Y: 0})
	for i, s := range shares {
		pts = append(pts, plotter.XY{X: edges[i], Y: s}, plotter.XY{X: edges[i+1], Y: s})
	}
	pts = append(pts, plotter.XY{X: edges[len(edges)-1], Y: 0})
	poly, err := plotter.NewPolygon(pts)
	if err != nil { // only on NaN or Inf values, which the simulator never writes
		panic(err)
	}
	poly.Color = withAlpha(c, fill)
	poly.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(0.9)}
	p.Add(poly)
	return poly
}

// stepOutline adds an unfilled step outline of shares over edges to p in color c, drawn
// under what is added after it.
func stepOutline(p *plot.Plot, edges, shares []float64, c color.NRGBA) plot.Thumbnailer {
	pts := plotter.XYs{{X: edges[0], Y: 0}}
	for i, s := range shares {
		pts = append(pts, plotter.XY{X: edges[i], Y: s}, plotter.XY{X: edges[i+1], Y: s})
	}
	pts = append(pts, plotter.XY{X: edges[len(edges)-1], Y: 0})
	return line(p, pts, c, 0.8)
}

// line adds a polyline to p and returns it (a legend thumbnail).
func line(p *plot.Plot, pts plotter.XYs, c color.NRGBA, width float64, dashes ...vg.Length) *plotter.Line {
	l, err := plotter.NewLine(pts)
	if err != nil {
		panic(err)
	}
	l.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dashes}
	p.Add(l)
	return l
}

// band adds the filled area between lo and hi over x to p.
func band(p *plot.Plot, x, lo, hi []float64, c color.NRGBA) *plotter.Polygon {
	pts := make(plotter.XYs, 0, 2*len(x))
	for i := range x {
		pts = append(pts, plotter.XY{X: x[i], Y: hi[i]})
	}
	for i := len(x) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: x[i], Y: lo[i]})
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		panic(err)
	}
	poly.Color = c
	poly.LineStyle.Width = 0
	p.Add(poly)
	return poly
}

func linspace(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}

// quantile is the p-quantile of values (linear interpolation between order statistics,
// the values a sort would put at floor(h) and the index after it, h = p (n-1)). It
// reorders values: each call selects its order statistics (stats.Select) instead of
// sorting them all, which was most of the histograms' time at 250,000 paths a policy.
func quantile(values []float64, p float64) float64 {
	n := len(values)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	i := int(h)
	if i >= n-1 {
		return slices.Max(values)
	}
	lo := stats.Select(values, i)
	next := slices.Min(values[i+1:]) // after the selection, the values above index i
	return lo + (h-float64(i))*(next-lo)
}

func maxOf(xs ...[]float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		for _, v := range x {
			m = max(m, v)
		}
	}
	return m
}
