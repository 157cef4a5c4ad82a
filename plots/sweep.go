package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepInput is what the sweep figures draw: the estimates of the key metrics at every
// grid point of a parameter sweep, loaded from its sweep.parquet (see package sweep).
type SweepInput struct {
	Name     string       // the sweep's name, for titles
	Paths    int64        // paths per grid point
	Policies []string     // policy names in run order
	Params   []SweepParam // one or two; grid points are in row-major order (the last fastest)

	// Estimates[policy][metric][i] is the mean of metric under policy at grid point i, with
	// its 95% confidence interval. Metrics include at least SweepMetrics.
	Estimates map[string]map[string][]SweepEstimate
}

// SweepParam is one swept parameter: its scenario key, what it means and its grid.
type SweepParam struct {
	Key    string // e.g. "spv.discount"
	About  string // e.g. "d, auction discount to the market basis, bp"; may be empty
	Values []float64
}

// SweepEstimate is a mean with its 95% confidence interval [Lo, Hi].
type SweepEstimate struct{ Mean, Lo, Hi float64 }

// SweepMetrics are the metrics the sweep figures draw, in panel order.
var SweepMetrics = []string{ColPeakBasis, ColForcedSales, ColFundsDefault, ColCBPnL}

// metricLabel is a sweep metric's axis label, from the one label table.
func metricLabel(metric string) string { return LabelOf(metric).String() }

// SweepNames returns the figure names (file stems) drawn for a sweep of params parameters:
// for one, sweep_lines (every key metric against the parameter, a line per policy); for
// two, sweep_lines_<metric> (a panel per policy, a line per value of the second parameter)
// and sweep_heatmap_<metric> (a panel per policy) for each key metric.
func SweepNames(params int) []string {
	if params == 1 {
		return []string{"sweep_lines"}
	}
	var out []string
	for _, kind := range []string{"sweep_lines_", "sweep_heatmap_"} {
		for _, m := range SweepMetrics {
			out = append(out, kind+m)
		}
	}
	return out
}

// sweepFigures builds the figures named by SweepNames, in that order.
func sweepFigures(in *SweepInput) []*figure {
	if len(in.Params) == 1 {
		return []*figure{sweepLines(in)}
	}
	var figs []*figure
	for _, m := range SweepMetrics {
		figs = append(figs, sweepLines2(in, m))
	}
	for _, m := range SweepMetrics {
		figs = append(figs, sweepHeatmap(in, m))
	}
	return figs
}

// WriteSweep renders the sweep figures of in into dir (created if needed) in each format
// of opt, and returns the files written in order.
func WriteSweep(in *SweepInput, dir string, opt Options) ([]string, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var figs []func() *figure
	for _, f := range sweepFigures(in) {
		figs = append(figs, func() *figure { return f })
	}
	return writeFigures(dir, opt, SweepNames(len(in.Params)), figs)
}

// check reports the first thing the sweep figures need and in lacks.
func (in *SweepInput) check() error {
	if len(in.Policies) == 0 {
		return fmt.Errorf("no policies to draw")
	}
	if len(in.Params) < 1 || len(in.Params) > 2 {
		return fmt.Errorf("a sweep figure draws one or two parameters, not %d", len(in.Params))
	}
	n := 1
	for _, p := range in.Params {
		if len(p.Values) == 0 {
			return fmt.Errorf("parameter %s has no values", p.Key)
		}
		n *= len(p.Values)
	}
	for _, pol := range in.Policies {
		for _, m := range SweepMetrics {
			if got := len(in.Estimates[pol][m]); got != n {
				return fmt.Errorf("estimates of %s under %s cover %d grid points, want %d", m, pol, got, n)
			}
		}
	}
	return nil
}

// sweepNote is the line of a sweep figure's title that says how it was computed.
func sweepNote(in *SweepInput) string {
	return fmt.Sprintf("%s, %s per grid point, the same shocks at every point", in.Name, pathCount(in.Paths))
}

// paramLabel is a parameter's axis label: in words from the label table (Labels), else
// its key and what it means when known.
func paramLabel(p SweepParam) string {
	if l, ok := Labels[p.Key]; ok {
		return l.String()
	}
	if p.About == "" {
		return p.Key
	}
	return p.Key + ": " + p.About
}

// ascending returns the indices of values in increasing order of value.
func ascending(values []float64) []int {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case values[a] < values[b]:
			return -1
		case values[a] > values[b]:
			return 1
		}
		return 0
	})
	return idx
}

const (
	ciAlpha     = 0.18 // CI band opacity
	glyphRadius = 1.6  // points
)

// ciLine draws estimates est over x (in increasing x) as a line with markers and a shaded
// 95% CI band (error bars when there is a single point), and returns its key thumbnails.
func ciLine(p *plot.Plot, x []float64, est []SweepEstimate, c color.NRGBA, shape draw.GlyphDrawer) []plot.Thumbnailer {
	lo, hi := make([]float64, len(x)), make([]float64, len(x))
	pts := make(plotter.XYs, len(x))
	for i := range x {
		lo[i], hi[i] = est[i].Lo, est[i].Hi
		pts[i] = plotter.XY{X: x[i], Y: est[i].Mean}
	}
	var thumbs []plot.Thumbnailer
	if len(x) > 1 {
		thumbs = append(thumbs, band(p, x, lo, hi, withAlpha(c, ciAlpha)))
		thumbs = append(thumbs, line(p, pts, c, 1.2))
	} else {
		eb, err := plotter.NewYErrorBars(errorBars{pts, lo, hi})
		if err != nil {
			panic(err)
		}
		eb.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1)}
		eb.CapWidth = vg.Points(4)
		p.Add(eb)
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		panic(err)
	}
	s.GlyphStyle = draw.GlyphStyle{Shape: shape, Radius: vg.Points(glyphRadius), Color: c}
	p.Add(s)
	return append(thumbs, s)
}

// errorBars are points with a CI, for plotter.YErrorBars.
type errorBars struct {
	plotter.XYs
	lo, hi []float64
}

func (e errorBars) YError(i int) (float64, float64) {
	return e.XYs[i].Y - e.lo[i], e.hi[i] - e.XYs[i].Y
}

// sortedByX returns values and est in increasing order of value.
func sortedByX(values []float64, est []SweepEstimate) ([]float64, []SweepEstimate) {
	x, e := make([]float64, len(values)), make([]SweepEstimate, len(values))
	for i, j := range ascending(values) {
		x[i], e[i] = values[j], est[j]
	}
	return x, e
}

// sweepLines draws a one-parameter sweep: a panel per key metric, the metric against the
// parameter, one line per policy with its CI band.
func sweepLines(in *SweepInput) *figure {
	p1 := in.Params[0]
	f := &figure{
		title: "Mean per grid point with 95% CI " + ciNote(p1) + " against " + lowerFirst(LabelOf(p1.Key).Name) + "\n" + sweepNote(in),
		width: PageWidth, height: PageHeight + 0.2*vg.Inch,
	}
	for m, metric := range SweepMetrics {
		p := newPanel(fmt.Sprintf("(%c) %s", 'a'+m, metricLabel(metric)), paramLabel(p1), "")
		for _, pol := range in.Policies {
			x, est := sortedByX(p1.Values, in.Estimates[pol][metric])
			thumbs := ciLine(p, x, est, PolicyColor(pol, in.Policies), draw.CircleGlyph{})
			if m == 0 {
				f.addKey(policyLabel(pol), thumbs...)
			}
		}
		padX(p, p1.Values)
		f.panels = append(f.panels, p)
	}
	if about := aboutLine(in.Params); about != "" {
		f.title += "\n" + about
	}
	return f
}

// ciNote says how ciLine draws the CIs over p's grid.
func ciNote(p SweepParam) string {
	if len(p.Values) == 1 {
		return "(bars)"
	}
	return "(shaded)"
}

// padX widens a panel's x range a little past the grid, so end markers are not clipped.
func padX(p *plot.Plot, values []float64) {
	lo, hi := slices.Min(values), slices.Max(values)
	pad := 0.04 * (hi - lo)
	if pad == 0 {
		pad = math.Max(math.Abs(lo)*0.1, 0.5)
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
}

// glyphShapes tell the lines of one panel apart in print, along with their lightness.
var glyphShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
}

// shade returns c lightened toward white for line j of n: the first lightest, the last c.
func shade(c color.NRGBA, j, n int) color.NRGBA {
	if n < 2 {
		return c
	}
	t := 0.7 * float64(n-1-j) / float64(n-1)
	mix := func(v uint8) uint8 { return uint8(float64(v) + t*(255-float64(v)) + 0.5) }
	return color.NRGBA{mix(c.R), mix(c.G), mix(c.B), c.A}
}

// sweepLines2 draws one metric of a two-parameter sweep: a panel per policy, the metric
// against the first parameter, a line per value of the second (lighter for smaller values)
// with CI bands, on a shared y axis.
func sweepLines2(in *SweepInput, metric string) *figure {
	p1, p2 := in.Params[0], in.Params[1]
	n2 := len(p2.Values)
	f := &figure{
		title: "Mean " + lowerFirst(metricLabel(metric)) + " per grid point with 95% CI " + ciNote(p1) + "\n" + sweepNote(in),
		width: PageWidth, height: PageHeight + 0.2*vg.Inch,
	}
	drawn, zero := drawnPolicies(in, metric)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pol := range drawn {
		for _, e := range in.Estimates[pol][metric] {
			lo, hi = min(lo, e.Lo, e.Mean), max(hi, e.Hi, e.Mean)
		}
	}
	pad := 0.05 * (hi - lo)
	if pad == 0 || math.IsNaN(pad) {
		pad = math.Max(math.Abs(hi)*0.1, 0.5)
	}
	order2 := ascending(p2.Values)
	for _, pol := range drawn {
		p := newPanel(policyLabel(pol), paramLabel(p1), metricLabel(metric))
		all := in.Estimates[pol][metric]
		for rank, j := range order2 {
			est := make([]SweepEstimate, len(p1.Values))
			for i := range p1.Values {
				est[i] = all[i*n2+j]
			}
			x, est := sortedByX(p1.Values, est)
			ciLine(p, x, est, shade(PolicyColor(pol, in.Policies), rank, n2), glyphShapes[rank%len(glyphShapes)])
		}
		p.Y.Min, p.Y.Max = lo-pad, hi+pad
		padX(p, p1.Values)
		f.panels = append(f.panels, p)
	}
	// The key names the second parameter once, with its unit, then shows each of its values
	// as drawn: in every policy's color, at that value's shade, with its marker.
	f.addKey(paramName(p2) + ":")
	for rank, j := range order2 {
		var cs []color.NRGBA
		for _, pol := range drawn {
			cs = append(cs, shade(PolicyColor(pol, in.Policies), rank, n2))
		}
		f.addKey(tickLabel(p2.Values[j]), shadesThumb{cs, glyphShapes[rank%len(glyphShapes)]})
	}
	addZeroNote(f, zero)
	if about := aboutLine(in.Params); about != "" {
		f.title += "\n" + about
	}
	return f
}

// drawnPolicies splits a sweep's policies into those a per-policy figure of metric draws a
// panel for and those it does not: a policy whose metric is exactly 0 at every grid point,
// CI and all, as the central bank's P&L is under none (no central bank acts). Its panel
// would show nothing; the key says so instead. If every policy is such, all are drawn.
func drawnPolicies(in *SweepInput, metric string) (drawn, zero []string) {
	for _, pol := range in.Policies {
		est := in.Estimates[pol][metric]
		allZero := len(est) > 0
		for _, e := range est {
			if e.Mean != 0 || (e.Lo != 0 && !math.IsNaN(e.Lo)) || (e.Hi != 0 && !math.IsNaN(e.Hi)) {
				allZero = false
				break
			}
		}
		if allZero {
			zero = append(zero, pol)
		} else {
			drawn = append(drawn, pol)
		}
	}
	if len(drawn) == 0 {
		return in.Policies, nil
	}
	return drawn, zero
}

// addZeroNote adds a key line naming the policies drawnPolicies left out.
func addZeroNote(f *figure, zero []string) {
	if len(zero) > 0 {
		f.addKey(strings.Join(zero, ", ") + ": 0 at every grid point (not drawn)")
	}
}

// aboutLine says what the swept parameters mean, for a title, when the label table does
// not name them ("" when it names them all or nothing is known).
func aboutLine(params []SweepParam) string {
	var parts []string
	for _, p := range params {
		if _, ok := Labels[p.Key]; !ok && p.About != "" {
			parts = append(parts, paramLabel(p))
		}
	}
	return strings.Join(parts, "; ")
}

// paramName is a parameter's name for a key entry: its label with the unit, as on an
// axis ("Other sellers' sales per unit of funding stress ($bn a day)"), else its key.
func paramName(p SweepParam) string {
	if l, ok := Labels[p.Key]; ok {
		return l.String()
	}
	return p.Key
}

// shadesThumb is a key swatch of short line segments side by side, one per color, each
// with a marker: one value of a sweep's second parameter in every policy's panel.
type shadesThumb struct {
	colors []color.NRGBA
	shape  draw.GlyphDrawer
}

func (s shadesThumb) thumbWidth() vg.Length { return vg.Points(7) * vg.Length(len(s.colors)) }

// Thumbnail implements plot.Thumbnailer.
func (s shadesThumb) Thumbnail(c *draw.Canvas) {
	w := (c.Max.X - c.Min.X) / vg.Length(len(s.colors))
	y := (c.Min.Y + c.Max.Y) / 2
	for i, col := range s.colors {
		x0 := c.Min.X + vg.Length(i)*w
		c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(1.2)}, x0, y, x0+w, y)
		c.DrawGlyph(draw.GlyphStyle{Shape: s.shape, Radius: vg.Points(glyphRadius * 0.8), Color: col}, vg.Point{X: x0 + w/2, Y: y})
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// tickLabel formats a grid value for a tick or key: up to six significant digits.
func tickLabel(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// classes is a binning of values into a few classes with round breaks, each drawn in one
// color of a sequential or, for signed values, a diverging palette.
type classes struct {
	breaks []float64 // len(colors)+1, increasing
	colors []color.Color
	zero   color.Color // diverging scales: the neutral color of a value of exactly 0; else nil
}

// heatClasses returns round class breaks covering [lo, hi] and colorblind-safe colors for
// them. Values of both signs, or of a signed quantity (signed: a P&L), get a diverging
// scale centered on 0 (ColorBrewer RdBu: losses red, gains blue, darker away from 0, with 0
// a class break and an exact 0 neutral). Others get a sequential scale (YlGnBu, light for
// low values): positive values spread over more than a factor logClassRatio on a log scale
// (1-2-5 steps), so small and large values both resolve; others five to eight equal classes.
func heatClasses(lo, hi float64, signed bool) classes {
	if signed || (lo < 0 && hi > 0) {
		return divergingClasses(lo, hi)
	}
	b := logBreaks(lo, hi)
	if b == nil {
		b = linearBreaks(lo, hi)
	}
	k := len(b) - 1
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
	if err != nil {
		panic(err)
	}
	all := pal.Colors()
	cs := make([]color.Color, k)
	for i := range cs {
		// Skip the palest color: a cell that pale vanishes into the page.
		j := 1
		if k > 1 {
			j = 1 + int(math.Round(float64(i)*7/float64(k-1)))
		}
		cs[i] = all[j]
	}
	return classes{breaks: b, colors: cs}
}

// maxSideClasses is the most classes on either side of 0 of a diverging scale.
const maxSideClasses = 5

// divergingClasses returns equal classes with round breaks, 0 among them, covering [lo, hi]
// and colored outward from 0 in RdBu.
func divergingClasses(lo, hi float64) classes {
	lo, hi = min(lo, 0), max(hi, 0)
	m := max(-lo, hi)
	if !(m > 0) {
		m = 1
	}
	step := niceStep(m / maxSideClasses)
	var b []float64
	for k := math.Floor(lo/step + 1e-9); ; k++ {
		b = append(b, roundTo(k*step, step))
		if k*step >= hi-1e-9*m && len(b) >= 2 {
			break
		}
	}
	if b[len(b)-1] < 0 || (len(b) == 2 && b[1] <= 0) {
		b = append(b, roundTo(b[len(b)-1]+step, step))
	}
	pal, err := brewer.GetPalette(brewer.TypeDiverging, "RdBu", 2*maxSideClasses+1)
	if err != nil {
		panic(err)
	}
	all := pal.Colors() // dark red ... neutral (index maxSideClasses) ... dark blue
	cs := make([]color.Color, len(b)-1)
	for i := range cs {
		mid := (b[i] + b[i+1]) / 2
		d := min(int(math.Ceil(math.Abs(mid)/step-1e-9)), maxSideClasses) // 1 next to 0
		if mid < 0 {
			cs[i] = all[maxSideClasses-d]
		} else {
			cs[i] = all[maxSideClasses+d]
		}
	}
	return classes{breaks: b, colors: cs, zero: all[maxSideClasses]}
}

// colorOf returns the color of x: its class's, or the neutral color of an exact 0.
func (c classes) colorOf(x float64) color.Color {
	if c.zero != nil && x == 0 {
		return c.zero
	}
	return c.colors[c.class(x)]
}

// logClassRatio is the spread hi/lo above which positive values get log-scale classes.
const logClassRatio = 10

// maxClasses is the most classes a heat map's key shows.
const maxClasses = 8

// logBreaks returns breaks at 1-2-5 (or 1-3, or 1) times powers of ten covering [lo, hi],
// at most maxClasses classes, or nil when the values do not call for a log scale.
func logBreaks(lo, hi float64) []float64 {
	if !(lo > 0) || hi/lo <= logClassRatio {
		return nil
	}
	for _, mantissas := range [][]float64{{1, 2, 5}, {1, 3}, {1}} {
		var steps []float64 // m x 10^e, increasing, from below lo to above hi
		for e := math.Floor(math.Log10(lo)) - 1; e <= math.Ceil(math.Log10(hi))+1; e++ {
			for _, m := range mantissas {
				steps = append(steps, roundTo(m*math.Pow(10, e), math.Pow(10, e)))
			}
		}
		first, last := 0, len(steps)-1
		for first+1 < len(steps) && steps[first+1] <= lo {
			first++
		}
		for last-1 >= 0 && steps[last-1] >= hi {
			last--
		}
		if last-first <= maxClasses {
			return steps[first : last+1]
		}
	}
	return nil
}

// linearBreaks returns five to eight equal classes with round breaks covering [lo, hi].
func linearBreaks(lo, hi float64) []float64 {
	span := hi - lo
	if !(span > 1e-12*math.Max(1, math.Abs(hi))) {
		span = math.Max(math.Abs(hi), 1)
	}
	step := niceStep(span / 7)
	start := math.Floor(lo/step) * step
	var b []float64
	for x := start; ; x += step {
		b = append(b, roundTo(x, step))
		if x >= hi || len(b) > maxClasses {
			break
		}
	}
	if len(b) < 2 {
		b = append(b, roundTo(start+step, step))
	}
	return b
}

// niceStep rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(x float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*e >= x*(1-1e-9) {
			return m * e
		}
	}
	return 10 * e
}

// roundTo removes the binary noise of a multiple of step.
func roundTo(x, step float64) float64 {
	d := max(0, -int(math.Floor(math.Log10(step)))+2)
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
	return v
}

// class returns the class of x: i with breaks[i] <= x < breaks[i+1], clamped.
func (c classes) class(x float64) int {
	i := 0
	for i+1 < len(c.colors) && x >= c.breaks[i+1] {
		i++
	}
	return i
}

// classGrid is a heat map grid of class indices over grid positions 0..nx-1, 0..ny-1.
type classGrid struct {
	nx, ny int
	z      func(c, r int) float64
}

func (g classGrid) Dims() (int, int)   { return g.nx, g.ny }
func (g classGrid) Z(c, r int) float64 { return g.z(c, r) }
func (g classGrid) X(c int) float64    { return float64(c) }
func (g classGrid) Y(r int) float64    { return float64(r) }

// paletteOf is a fixed list of colors as a palette.Palette.
type paletteOf []color.Color

func (p paletteOf) Colors() []color.Color { return p }

// swatch is a key thumbnail filled with one color.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.c)
	c.Fill(c.Rectangle.Path())
}

// maxAnnotated is the largest grid side whose cells are labelled with their values.
const maxAnnotated = 12

// sweepHeatmap draws one metric of a two-parameter sweep as a heat map per policy: the
// first parameter across, the second up, the mean in classes of one shared color scale
// (so panels compare), each cell labelled with its value when the grid is small.
func sweepHeatmap(in *SweepInput, metric string) *figure {
	p1, p2 := in.Params[0], in.Params[1]
	n1, n2 := len(p1.Values), len(p2.Values)
	f := &figure{
		title: "Mean " + lowerFirst(metricLabel(metric)) + " per grid point" + heatNote(len(p1.Values), len(p2.Values)) + "\n" + sweepNote(in),
		width: PageWidth, height: PageHeight + 0.3*vg.Inch,
	}
	drawn, zero := drawnPolicies(in, metric)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pol := range drawn {
		for _, e := range in.Estimates[pol][metric] {
			lo, hi = min(lo, e.Mean), max(hi, e.Mean)
		}
	}
	cl := heatClasses(lo, hi, signedMetrics[metric])
	colors := append(append([]color.Color{}, cl.colors...), cl.zero) // cl.zero (if any) last
	unresolved := false
	order1, order2 := ascending(p1.Values), ascending(p2.Values)
	ticks := func(p SweepParam, order []int) plot.ConstantTicks {
		var t plot.ConstantTicks
		for pos, j := range order {
			t = append(t, plot.Tick{Value: float64(pos), Label: tickLabel(p.Values[j])})
		}
		return t
	}
	var texts []*cellLabels
	for _, pol := range drawn {
		p := newPanel(policyLabel(pol), paramLabel(p1), paramLabel(p2))
		est := in.Estimates[pol][metric]
		cell := func(c, r int) SweepEstimate { return est[order1[c]*n2+order2[r]] }
		mean := func(c, r int) float64 { return cell(c, r).Mean }
		index := func(c, r int) float64 {
			if cl.zero != nil && mean(c, r) == 0 {
				return float64(len(cl.colors))
			}
			return float64(cl.class(mean(c, r)))
		}
		hm := plotter.NewHeatMap(classGrid{n1, n2, index}, paletteOf(colors))
		hm.Min, hm.Max = 0, float64(len(colors)-1)
		p.Add(hm)
		cellBorders(p, n1, n2)
		fill := func(c, r int) color.Color { return cl.colorOf(mean(c, r)) }
		if n1 <= maxAnnotated && n2 <= maxAnnotated {
			texts = append(texts, annotate(p, n1, n2, cell, n1 <= maxCIAnnotated && n2 <= maxCIAnnotated, fill))
		}
		if markUnresolved(p, n1, n2, cell, cl, fill) {
			unresolved = true
		}
		p.X.Tick.Marker, p.Y.Tick.Marker = ticks(p1, order1), ticks(p2, order2)
		p.X.Min, p.X.Max = -0.5, float64(n1)-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(n2)-0.5
		p.X.Padding, p.Y.Padding = 0, 0
		f.panels = append(f.panels, p)
	}
	var all []string // every panel's cell text, so that all panels print it at one size
	for _, l := range texts {
		all = append(all, l.labels...)
	}
	for _, l := range texts {
		l.sizeBy = all
	}
	f.addKey(metricLabel(metric) + ":")
	for i, c := range cl.colors {
		f.addKey(tickLabel(cl.breaks[i])+" to "+tickLabel(cl.breaks[i+1]), swatch{c})
	}
	if cl.zero != nil && slices.ContainsFunc(drawn, func(pol string) bool {
		return slices.ContainsFunc(in.Estimates[pol][metric], func(e SweepEstimate) bool { return e.Mean == 0 })
	}) {
		f.addKey("exactly 0", swatch{cl.zero})
	}
	if unresolved {
		f.addKey("95% CI crosses a class break", glyphThumb(draw.GlyphStyle{Shape: draw.RingGlyph{}, Radius: vg.Points(2), Color: black}))
	}
	addZeroNote(f, zero)
	if about := aboutLine(in.Params); about != "" {
		f.title += "\n" + about
	}
	return f
}

// cellBorders draws thin white lines between the cells of an n1 x n2 heat map: without
// them the anti-aliased cell edges leave faint seams that read as lines anyway.
func cellBorders(p *plot.Plot, n1, n2 int) {
	for c := 1; c < n1; c++ {
		vline(p, float64(c)-0.5, -0.5, float64(n2)-0.5, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}, 0.8, nil)
	}
	for r := 1; r < n2; r++ {
		hline(p, float64(r)-0.5, -0.5, float64(n1)-0.5, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}, 0.8, nil)
	}
}

// cellLabel formats a cell's value with about three significant digits, and a value that
// rounds to zero as 0 (not -0.00).
func cellLabel(x float64) string {
	s := short(x)
	if strings.Trim(s, "-0.") == "" {
		return "0"
	}
	return s
}

// maxCIAnnotated is the largest grid side whose cells also print their CI half-width.
const maxCIAnnotated = 6

// heatNote says in a heat map's title what its cells print.
func heatNote(n1, n2 int) string {
	switch {
	case n1 <= maxCIAnnotated && n2 <= maxCIAnnotated:
		return " (cells: mean ± 95% CI half-width)"
	case n1 <= maxAnnotated && n2 <= maxAnnotated:
		return " (cells: mean)"
	}
	return ""
}

// signedMetrics are the sweep metrics whose sign matters (a loss or a gain): drawn on a
// diverging scale centered on 0.
var signedMetrics = map[string]bool{ColCBPnL: true}

// annotate writes each cell's mean (and, with ci, its 95% CI half-width below it) at its
// grid position, in black or white, whichever reads better on the cell's color.
func annotate(p *plot.Plot, n1, n2 int, cell func(c, r int) SweepEstimate, ci bool, fill func(c, r int) color.Color) *cellLabels {
	l := &cellLabels{}
	for c := 0; c < n1; c++ {
		for r := 0; r < n2; r++ {
			e := cell(c, r)
			label := cellLabel(e.Mean)
			if ci {
				label += "\n±" + cellLabel((e.Hi-e.Lo)/2)
			}
			l.xy = append(l.xy, plotter.XY{X: float64(c), Y: float64(r)})
			l.labels = append(l.labels, label)
			l.colors = append(l.colors, contrastText(fill(c, r)))
		}
	}
	l.sizeBy = l.labels
	p.Add(l)
	return l
}

// maxCellTextSize is the size of a heat map cell's text when the cell has room for it.
const maxCellTextSize = 6

// cellLabels are the texts of a heat map's unit cells, centered on them. They are sized
// when drawn, to the cells the layout gives: at most maxCellTextSize, smaller (to
// minTextSize at the least) where the widest text would run into the next cell. Unlike
// gonum's plotter.Labels they claim no room beyond the data area, which would shrink the
// panel's data area and break its alignment with the others.
type cellLabels struct {
	xy     plotter.XYs
	labels []string
	colors []color.Color
	sizeBy []string // the texts whose widest sets the size: every panel's, so all take one size
}

// Plot implements plot.Plotter.
func (l *cellLabels) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.xy) == 0 {
		return
	}
	trX, trY := p.Transforms(&c)
	cellW := max(0, trX(1)-trX(0))
	cellH := max(0, trY(1)-trY(0))
	ts := textStyle(sans, vg.Points(maxCellTextSize))
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
	var w, h vg.Length
	for _, s := range l.sizeBy {
		w, h = max(w, ts.Width(s)), max(h, ts.Height(s))
	}
	const fill = 0.9 // of the cell: a little space between neighbors' text
	scale := 1.0
	if w > 0 && h > 0 {
		scale = min(1, float64(fill*cellW/w), float64(fill*cellH/h))
	}
	ts.Font.Size = max(ts.Font.Size*vg.Length(scale), vg.Points(minTextSize))
	for i, pt := range l.xy {
		ts.Color = l.colors[i]
		c.FillText(ts, vg.Point{X: trX(pt.X), Y: trY(pt.Y)}, l.labels[i])
	}
}

// markUnresolved puts a ring in the corner of every cell whose 95% CI crosses a class
// break: its class, and so its color against its neighbors', is not resolved by the paths.
// It reports whether any cell was marked.
func markUnresolved(p *plot.Plot, n1, n2 int, cell func(c, r int) SweepEstimate, cl classes, fill func(c, r int) color.Color) bool {
	marked := false
	for c := 0; c < n1; c++ {
		for r := 0; r < n2; r++ {
			e := cell(c, r)
			if !ciCrossesBreak(e, cl) {
				continue
			}
			s, err := plotter.NewScatter(plotter.XYs{{X: float64(c) + 0.36, Y: float64(r) + 0.32}})
			if err != nil {
				panic(err)
			}
			s.GlyphStyle = draw.GlyphStyle{Shape: draw.RingGlyph{}, Radius: vg.Points(1.6), Color: contrastText(fill(c, r))}
			p.Add(s)
			marked = true
		}
	}
	return marked
}

// ciCrossesBreak reports whether e's 95% CI reaches into another class than its mean's.
func ciCrossesBreak(e SweepEstimate, cl classes) bool {
	if math.IsNaN(e.Lo) || math.IsNaN(e.Hi) || e.Hi <= e.Lo {
		return false
	}
	k := cl.class(e.Mean)
	return cl.class(e.Lo) != k || cl.class(e.Hi) != k
}

// contrastText returns black on light colors and white on dark ones.
func contrastText(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	if (0.299*float64(r)+0.587*float64(g)+0.114*float64(b))/65535 > 0.5 {
		return color.Black
	}
	return color.White
}
