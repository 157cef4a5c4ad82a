package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A figureSpec builds one figure of the set from an Input.
type figureSpec struct {
	name  string // file name stem
	about string // one line for docs and --help
	build func(in *Input) *figure
}

// figureSet is the figure set, in the order it is written.
var figureSet = []figureSpec{
	{"basis_fan", "basis over time: median and 25-75% / 5-95% bands per policy, dysfunction threshold and SPV expiry marked", basisFan},
	{"peak_basis", "distribution of the peak basis per policy, means marked", peakBasis},
	{"forced_sales", "distribution of forced sales per policy, means marked", forcedSales},
	{"cb_balance_sheet", "central-bank holdings over time: outright (qe) vs SPV, median and bands", cbBalanceSheet},
	{"rate_risk", "central bank's peak DV01 and P&L distribution, outright vs SPV", rateRisk},
	{"defaults", "distribution of the number of funds that default, per policy", defaults},
	{"pathwise", "peak basis without policy vs with each policy on the same shocks, with the 45-degree line", pathwise},
	{"convergence", "running mean and 95% CI of key metrics against the number of paths: were the paths enough?", convergence},
}

// slowFigures are the figures of the set that take longest to draw, started before the
// others so that these fill the other cores around them (the files stay in set order).
// pathwise draws thousands of translucent dots in each format: about a third of the set.
var slowFigures = []string{"pathwise"}

// Names returns the figure names (file stems) of the set, in order.
func Names() []string {
	out := make([]string, len(figureSet))
	for i, f := range figureSet {
		out[i] = f.name
	}
	return out
}

// About returns a one-line description of the named figure, or "" if there is none.
func About(name string) string {
	for _, f := range figureSet {
		if f.name == name {
			return f.about
		}
	}
	return ""
}

const (
	bandOuterAlpha = 0.13
	bandInnerAlpha = 0.28
	histFillAlpha  = 0.15
	histBins       = 40
)

var dashed = []vg.Length{vg.Points(3), vg.Points(2)}
var dotted = []vg.Length{vg.Points(1), vg.Points(1.5)}

// days returns the x values of a band.
func days(b []BandPoint) []float64 {
	x := make([]float64, len(b))
	for i, p := range b {
		x[i] = float64(p.Day)
	}
	return x
}

// bandColumns returns the columns of a band as slices: p05, p25, p50, p75, p95.
func bandColumns(b []BandPoint) (p05, p25, p50, p75, p95 []float64) {
	for _, p := range b {
		p05, p25, p50 = append(p05, p.P05), append(p25, p.P25), append(p50, p.P50)
		p75, p95 = append(p75, p.P75), append(p95, p.P95)
	}
	return
}

// fan draws one policy's median and bands of series on p and returns its key thumbnails.
func fan(p *plot.Plot, b []BandPoint, c color.NRGBA) []plot.Thumbnailer {
	x := days(b)
	p05, p25, p50, p75, p95 := bandColumns(b)
	outer := band(p, x, p05, p95, withAlpha(c, bandOuterAlpha))
	inner := band(p, x, p25, p75, withAlpha(c, bandInnerAlpha))
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: p50[i]}
	}
	med := line(p, pts, c, 1.2)
	return []plot.Thumbnailer{outer, inner, med}
}

// vline draws a vertical reference line at x across [y0, y1].
func vline(p *plot.Plot, x, y0, y1 float64, c color.NRGBA, width float64, dashes []vg.Length) *plotter.Line {
	return line(p, plotter.XYs{{X: x, Y: y0}, {X: x, Y: y1}}, c, width, dashes...)
}

// hline draws a horizontal reference line at y across [x0, x1].
func hline(p *plot.Plot, y, x0, x1 float64, c color.NRGBA, width float64, dashes []vg.Length) *plotter.Line {
	return line(p, plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}}, c, width, dashes...)
}

// spvExpiryMarked reports whether the SPV expiry belongs on a time chart of this run.
func spvExpiryMarked(in *Input) bool {
	for _, p := range in.Policies {
		if p == "spv" {
			return in.TExp >= 0 && in.TExp < in.Days
		}
	}
	return false
}

// bandRange returns the smallest p05 and largest p95 of series over the given policies.
func bandRange(in *Input, series string, policies []string) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, pol := range policies {
		for _, b := range in.Bands[pol][series] {
			lo, hi = min(lo, b.P05), max(hi, b.P95)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// basisFan draws one panel per policy on a shared basis axis: overlaid fans of a bimodal
// distribution (calm paths and stress paths) mix into unreadable colors.
func basisFan(in *Input) *figure {
	f := &figure{
		title: "Cash–futures basis: median (line), 25–75% and 5–95% of paths (shading)\n" + bandLine(in),
		width: PageWidth, height: PageHeight,
	}
	lo, hi := bandRange(in, SeriesBasis, in.Policies)
	lo, hi = min(lo, in.BDys, 0), max(hi, in.BDys)
	hi += 0.04 * (hi - lo)
	var threshold, expiry *plotter.Line
	for _, pol := range in.Policies {
		p := newPanel(policyLabel(pol), "Day", LabelOf(SeriesBasis).String())
		p.Y.Min, p.Y.Max = lo, hi
		p.X.Min, p.X.Max = 0, float64(max(in.Days-1, 1))
		f.addKey(policyLabel(pol), fan(p, in.Bands[pol][SeriesBasis], PolicyColor(pol, in.Policies))...)
		threshold = hline(p, in.BDys, p.X.Min, p.X.Max, gray, 0.8, dashed)
		if spvExpiryMarked(in) && pol == "spv" { // the expiry means nothing to other policies
			expiry = vline(p, float64(in.TExp), lo, hi, gray, 0.8, dotted)
		}
		f.panels = append(f.panels, p)
	}
	f.height = gridHeight(len(f.panels), PageHeight)
	f.addKey(fmt.Sprintf("dysfunction threshold (%g bp)", in.BDys), threshold)
	if expiry != nil {
		f.addKey(fmt.Sprintf("SPV expiry (day %d), spv panel", in.TExp), expiry)
	}
	return f
}

// histPanels draws the distribution of column as small multiples: a panel per policy,
// each with that policy's histogram filled in its color on bins and a y axis shared by all
// panels (see newBinning), and the histogram of the reference policy (none, when it is one
// of them) as a gray outline in every other panel, so each policy compares with no
// backstop at a glance and no histogram hides another. Each panel marks the policy's mean
// over the drawn values (dashed); when values(pol) is a conditional sample, a dotted line
// marks the mean over all paths. The key names the means.
//
// With ownBins, each panel gets bins and a y axis of its own, for a quantity whose scale
// differs by orders of magnitude between policies (the central bank's P&L): the panels
// then compare by their means, not by eye.
func histPanels(f *figure, in *Input, policies []string, column string, scale binScale, ownBins bool, values func(pol string) []float64) []*plot.Plot {
	label := LabelOf(column)
	var samples [][]float64
	for _, pol := range policies {
		samples = append(samples, values(pol))
	}
	shared := newBinning(samples, histBins, scale)
	own := make([]binning, len(samples))
	if ownBins {
		for i := range samples {
			own[i] = newBinning(samples[i:i+1], histBins, scale)
		}
	}
	binsOf := func(i int) binning {
		if ownBins {
			return own[i]
		}
		return shared
	}
	shares := make([][]float64, len(policies))
	for i := range policies {
		shares[i] = binsOf(i).shares(samples[i])
	}
	top := max(maxOf(shares...)*1.05, 1e-9)
	ref := slices.Index(policies, referencePolicy)
	if ownBins {
		ref = -1 // a reference on other bins would mislead
	}
	var refThumb plot.Thumbnailer
	var panels []*plot.Plot
	var meanLine, allLine plot.Thumbnailer
	trimmed := false
	for i, pol := range policies {
		y := "Share of paths (%)"
		bins := binsOf(i)
		xLabel := label.String()
		if bins.log {
			xLabel += ", log scale"
			y = "Share of paths (%, log bins)"
		}
		if bins.trimmed {
			trimmed = true
		}
		p := newPanel(policyLabel(pol), xLabel, y)
		bins.apply(p)
		p.Y.Min, p.Y.Max = 0, top
		if ownBins {
			p.Y.Max = max(maxOf(shares[i])*1.05, 1e-9)
		}
		if bins.edges[0] < 0 && bins.edges[len(bins.edges)-1] > 0 {
			vline(p, 0, 0, p.Y.Max, gray, 0.5, nil) // signed values: where zero is
		}
		c := PolicyColor(pol, in.Policies)
		if ref >= 0 && i != ref {
			refThumb = stepOutline(p, bins.edges, shares[ref], referenceGray)
		}
		thumb := stepHistogram(p, bins.edges, shares[i], c, histFillAlpha)
		all := in.mean(pol, column)
		m := all
		conditional := len(samples[i]) > 0 && len(samples[i]) < len(in.Metrics[pol][column])
		if conditional {
			m = meanOf(samples[i])
		}
		clamp := func(x float64) float64 { return min(max(x, bins.edges[0]), bins.edges[len(bins.edges)-1]) }
		meanLine = vline(p, clamp(m), 0, p.Y.Max, c, 1, dashed)
		name := fmt.Sprintf("%s: mean %s %s", pol, short(m), label.Unit)
		if conditional {
			allLine = vline(p, clamp(all), 0, p.Y.Max, c, 1, dotted)
			name = fmt.Sprintf("%s: mean %s (all paths %s) %s", pol, short(m), short(all), label.Unit)
		}
		f.addKey(name, thumb)
		panels = append(panels, p)
	}
	if refThumb != nil {
		f.addKey(referencePolicy+" (no backstop), for reference", refThumb)
	}
	if trimmed {
		f.addKey(label.Name + ": axes span its 0.5th to 99.5th percentile")
	}
	if allLine != nil {
		f.addKey("dashed: mean over the paths drawn", grayLine(dashed))
		f.addKey("dotted: mean over all paths", grayLine(dotted))
	} else if meanLine != nil {
		f.addKey("dashed: mean", grayLine(dashed))
	}
	return panels
}

// referencePolicy is the policy the others are compared with: no backstop.
const referencePolicy = "none"

// referenceGray draws the reference policy where it is not the subject.
var referenceGray = color.NRGBA{0x77, 0x77, 0x77, 0xFF}

// grayLine is a key thumbnail of a gray line with the given dashes.
func grayLine(dashes []vg.Length) plot.Thumbnailer {
	l, err := plotter.NewLine(plotter.XYs{{}, {X: 1}})
	if err != nil {
		panic(err)
	}
	l.LineStyle = draw.LineStyle{Color: gray, Width: vg.Points(1), Dashes: dashes}
	return l
}

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// short formats a value with about three significant digits.
func short(x float64) string {
	switch a := math.Abs(x); {
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}

func metricOf(in *Input, column string) func(pol string) []float64 {
	return func(pol string) []float64 { return in.Metrics[pol][column] }
}

// histFigure is a figure of the distribution of column per policy, as small multiples.
func histFigure(in *Input, title, column string) *figure {
	f := &figure{title: title + "\n" + scenarioLine(in) + in.sampleNote(), width: PageWidth}
	f.panels = histPanels(f, in, in.Policies, column, logIfSpread, false, metricOf(in, column))
	f.height = gridHeight(len(f.panels), PageHeight)
	return f
}

func peakBasis(in *Input) *figure {
	return histFigure(in, "Peak basis per path, per policy", ColPeakBasis)
}

func forcedSales(in *Input) *figure {
	return histFigure(in, "Forced sales per path, per policy", ColForcedSales)
}

// buyers returns the run's policies under which the central bank ever holds anything.
func buyers(in *Input) []string {
	var out []string
	for _, pol := range in.Policies {
		if maxOf(in.Metrics[pol][ColPeakCBHolding]) > 0 {
			out = append(out, pol)
		}
	}
	return out
}

// note adds a centered remark to an otherwise empty panel.
func note(p *plot.Plot, msg string) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{msg}})
	if err != nil {
		panic(err)
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = textStyle(sans, labelSize)
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
	}
	p.Add(l)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
}

func cbBalanceSheet(in *Input) *figure {
	f := &figure{title: "Central-bank balance sheet: median, 25–75% and 5–95% of paths\n" + bandLine(in), width: ColumnWidth, height: ColumnHeight}
	p := newPanel("", "Day", LabelOf(SeriesCBHolding).String())
	pols := buyers(in)
	if len(pols) == 0 {
		note(p, "no central-bank purchases in this run")
		f.panels = []*plot.Plot{p}
		return f
	}
	_, hi := bandRange(in, SeriesCBHolding, pols)
	hi = max(hi*1.04, 1)
	// Two policies share a panel, for a direct comparison; more get one panel each.
	panels := map[string]*plot.Plot{}
	if len(pols) > 2 {
		f.width, f.height = PageWidth, gridHeight(len(pols), PageHeight)
		for _, pol := range pols {
			panels[pol] = newPanel(policyLabel(pol), "Day", LabelOf(SeriesCBHolding).String())
			f.panels = append(f.panels, panels[pol])
		}
	} else {
		for _, pol := range pols {
			panels[pol] = p
		}
		f.panels = []*plot.Plot{p}
	}
	var expiry *plotter.Line
	for _, pol := range pols {
		q := panels[pol]
		q.Y.Min, q.Y.Max = 0, hi
		q.X.Min, q.X.Max = 0, float64(max(in.Days-1, 1))
		f.addKey(holdingsLabel(pol), fan(q, in.Bands[pol][SeriesCBHolding], PolicyColor(pol, in.Policies))...)
		if spvExpiryMarked(in) && pol == "spv" {
			expiry = vline(q, float64(in.TExp), 0, hi, gray, 0.8, dotted)
		}
	}
	if expiry != nil {
		f.addKey(fmt.Sprintf("SPV expiry (day %d): SPV closes", in.TExp), expiry)
	}
	return f
}

// holdingsLabel names what the central bank holds under a policy (its spec's Holdings).
func holdingsLabel(pol string) string {
	if spec, ok := sim.LookupPolicy(pol); ok && spec.Holdings != "" {
		return spec.Holdings
	}
	return pol + " exposure"
}

func rateRisk(in *Input) *figure {
	pols := buyers(in)
	f := &figure{title: "Central-bank rate risk on the paths where it buys or lends\n" + scenarioLine(in) + in.sampleNote(), width: PageWidth, height: PageHeight}
	if len(pols) == 0 {
		p := newPanel("", "", "")
		note(p, "no central-bank purchases in this run")
		f.panels = []*plot.Plot{p}
		return f
	}
	// Condition on paths where the policy bought: elsewhere its DV01 and P&L are zero by
	// construction and the point mass would hide the shape. The key and a dotted line give
	// the mean over all paths too, as summary.md reports it.
	bought := func(column string) func(pol string) []float64 {
		return func(pol string) []float64 {
			var out []float64
			h := in.Metrics[pol][ColPeakCBHolding]
			for i, v := range in.Metrics[pol][column] {
				if h[i] > 0 {
					out = append(out, v)
				}
			}
			return out
		}
	}
	var risky, flat []string // policies with rate risk, and those whose DV01 is 0 on every path
	for _, pol := range pols {
		if maxOf(in.Metrics[pol][ColCBDV01]) > 0 {
			risky = append(risky, pol)
		} else {
			flat = append(flat, pol)
		}
	}
	// Panels: the DV01 of each policy that has any, then the P&L of every buyer.
	if len(risky) > 0 {
		dv01 := histPanels(f, in, risky, ColCBDV01, linear, false, bought(ColCBDV01))
		for _, p := range dv01 {
			p.Title.Text += ": DV01"
		}
		f.panels = append(f.panels, dv01...)
	}
	if len(flat) > 0 {
		f.addKey(strings.Join(flat, ", ") + ": DV01 = 0 on every path (not drawn)")
	}
	pnlKey := len(f.key)
	pnl := histPanels(f, in, pols, ColCBPnL, linearTrimmed, true, bought(ColCBPnL))
	for i := pnlKey; i < len(f.key); i++ {
		if slices.Contains(pols, strings.SplitN(f.key[i].name, ":", 2)[0]) {
			f.key[i].name = "P&L " + f.key[i].name
		}
	}
	f.key = dedupeKey(f.key)
	for _, p := range pnl {
		p.Title.Text += ": P&L"
	}
	f.panels = append(f.panels, pnl...)
	for i, p := range f.panels {
		p.Title.Text = fmt.Sprintf("(%c) %s", 'a'+i, p.Title.Text)
		// The paths drawn are those where the central bank holds bonds or repo: srf lends.
		p.Y.Label.Text = strings.Replace(p.Y.Label.Text, "Share of paths", "Paths where it buys or lends", 1)
	}
	f.height = gridHeight(len(f.panels), PageHeight)
	return f
}

// dedupeKey drops key entries whose name repeats an earlier one.
func dedupeKey(key []keyEntry) []keyEntry {
	seen := map[string]bool{}
	var out []keyEntry
	for _, e := range key {
		if !seen[e.name] {
			seen[e.name] = true
			out = append(out, e)
		}
	}
	return out
}

func defaults(in *Input) *figure {
	f := &figure{title: "Funds that default per path\n" + scenarioLine(in) + in.sampleNote(), width: ColumnWidth, height: ColumnHeight}
	p := newPanel("", LabelOf(ColFundsDefault).Name+" (of "+fmt.Sprint(in.NFunds)+")", "Share of paths (%)")
	n := in.NFunds
	for _, pol := range in.Policies {
		n = max(n, int(maxOf(in.Metrics[pol][ColFundsDefault])))
	}
	groups := n + 1
	// Bar width from the natural plot width: the groups share ~85% of it.
	bar := (ColumnWidth - vg.Inch*0.6) * 0.85 / vg.Length(groups*len(in.Policies))
	top := 0.0
	for k, pol := range in.Policies {
		counts := make(plotter.Values, groups)
		v := in.Metrics[pol][ColFundsDefault]
		for _, x := range v {
			counts[min(max(int(x), 0), n)]++
		}
		for i := range counts {
			counts[i] *= 100 / math.Max(float64(len(v)), 1)
			top = max(top, counts[i])
		}
		b, err := plotter.NewBarChart(counts, bar)
		if err != nil {
			panic(err)
		}
		c := PolicyColor(pol, in.Policies)
		b.Color = c
		b.LineStyle.Width = 0
		b.Offset = (vg.Length(k) - vg.Length(len(in.Policies)-1)/2) * bar
		p.Add(b)
		f.addKey(fmt.Sprintf("%s: P(any) %.1f%%", pol, 100-counts[0]), b)
	}
	p.X.Min, p.X.Max = -0.6, float64(n)+0.6
	p.Y.Min, p.Y.Max = 0, max(top*1.05, 1)
	ticks := make(plot.ConstantTicks, 0, groups)
	for i := 0; i < groups; i++ {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: fmt.Sprint(i)})
	}
	p.X.Tick.Marker = ticks
	f.panels = []*plot.Plot{p}
	return f
}

// maxScatterPoints bounds the points per panel of the pathwise scatter: more only overplot.
const maxScatterPoints = 4000

func pathwise(in *Input) *figure {
	f := &figure{title: "Peak basis on the same shocks: no policy vs each policy\n" + scenarioLine(in), width: PageWidth, height: PageHeight}
	base := in.Metrics["none"][ColPeakBasis]
	var pols []string
	for _, pol := range in.Policies {
		if pol != "none" {
			pols = append(pols, pol)
		}
	}
	if len(base) == 0 || len(pols) == 0 {
		p := newPanel("", "", "")
		note(p, "needs the none policy and at least one other")
		f.panels = []*plot.Plot{p}
		return f
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pol := range append([]string{"none"}, pols...) {
		for _, v := range in.Metrics[pol][ColPeakBasis] {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	pad := 0.03 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	var diag *plotter.Line
	for _, pol := range pols {
		y := in.Metrics[pol][ColPeakBasis]
		lower, equal := 0, 0
		for i := range y {
			switch {
			case y[i] < base[i]:
				lower++
			case y[i] == base[i]:
				equal++
			}
		}
		share := func(k int) float64 { return 100 * float64(k) / float64(len(y)) }
		p := newPanel(fmt.Sprintf("%s: lower on %.1f%%, higher on %.1f%% of paths", pol, share(lower), share(len(y)-lower-equal)),
			LabelOf(ColPeakBasis).Name+", none (bp)", LabelOf(ColPeakBasis).Name+", "+pol+" (bp)")
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
		n := min(len(y), maxScatterPoints)
		pts := make(plotter.XYs, n)
		for i := 0; i < n; i++ {
			pts[i] = plotter.XY{X: base[i], Y: y[i]}
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			panic(err)
		}
		c := PolicyColor(pol, in.Policies)
		s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(0.9), Color: withAlpha(c, 0.35)}
		p.Add(outerBoxes{s})
		diag = line(p, plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}}, gray, 0.8, dashed...)
		key := draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(2), Color: c}
		f.addKey(fmt.Sprintf("%s: one dot per path (first %s)", pol, thousands(int64(n))), glyphThumb(key))
		f.panels = append(f.panels, p)
	}
	f.addKey("45° line: no effect", diag)
	f.height = gridHeight(len(f.panels), PageHeight)
	return f
}

// glyphThumb is a key swatch showing one glyph.
type glyphThumb draw.GlyphStyle

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle(g), c.Center())
}

// convergenceColumns are the panels of the convergence figure.
var convergenceColumns = []struct{ column, label string }{
	{ColPeakBasis, "Mean " + lowerFirst(LabelOf(ColPeakBasis).String())},
	{ColForcedSales, "Mean " + lowerFirst(LabelOf(ColForcedSales).String())},
	{ColFundsDefault, "Mean " + lowerFirst(LabelOf(ColFundsDefault).String())},
}

func convergence(in *Input) *figure {
	f := &figure{title: "Running mean and 95% CI against the number of paths\n" + scenarioLine(in), width: PageWidth, height: PageHeight}
	if len(in.Convergence) == 0 {
		return f.only("this run has no convergence table (convergence.parquet)")
	}
	keyed := map[string]bool{}
	for _, cc := range convergenceColumns {
		p := newPanel("", "Paths (log scale)", cc.label)
		drawn := false
		for _, pol := range in.Policies {
			pts := in.Convergence[pol][cc.column]
			if len(pts) == 0 {
				continue
			}
			var x, lo, hi []float64
			var mean plotter.XYs
			for _, pt := range pts {
				if math.IsNaN(pt.Lo) || math.IsNaN(pt.Hi) {
					continue
				}
				x, lo, hi = append(x, float64(pt.Paths)), append(lo, pt.Lo), append(hi, pt.Hi)
				mean = append(mean, plotter.XY{X: float64(pt.Paths), Y: pt.Mean})
			}
			if len(mean) < 2 {
				continue
			}
			c := PolicyColor(pol, in.Policies)
			ci := band(p, x, lo, hi, withAlpha(c, bandInnerAlpha))
			l := line(p, mean, c, 1.1)
			drawn = true
			if !keyed[pol] {
				f.addKey(policyLabel(pol)+": mean and 95% CI", ci, l)
				keyed[pol] = true
			}
		}
		if drawn {
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = logTicks{}
			f.panels = append(f.panels, p)
		}
	}
	if len(f.panels) == 0 {
		return f.only("too few paths for a running mean: the convergence table needs two or more checkpoints")
	}
	// A policy whose running means stay within a line's width of an earlier policy's is
	// drawn over it (slr over none when the capital relief hardly binds): say so, or the
	// earlier seems missing.
	for i, pol := range in.Policies {
		for _, earlier := range in.Policies[:i] {
			if keyed[pol] && keyed[earlier] && coincide(in, pol, earlier) {
				f.addKey(fmt.Sprintf("%s: drawn over %s (within 1%% of each axis throughout)", pol, earlier))
				break
			}
		}
	}
	return f
}

// coincide reports whether policies a and b have running means at the same checkpoints
// that differ by at most 1% of each panel's range (of every policy's CI): at a figure's
// size, within the width of the line.
func coincide(in *Input, a, b string) bool {
	for _, cc := range convergenceColumns {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, pol := range in.Policies {
			for _, pt := range in.Convergence[pol][cc.column] {
				lo, hi = min(lo, pt.Lo, pt.Mean), max(hi, pt.Hi, pt.Mean)
			}
		}
		pa, pb := in.Convergence[a][cc.column], in.Convergence[b][cc.column]
		if len(pa) != len(pb) {
			return false
		}
		for i := range pa {
			if pa[i].Paths != pb[i].Paths || !(math.Abs(pa[i].Mean-pb[i].Mean) <= 0.01*(hi-lo)) {
				return false
			}
		}
	}
	return true
}

// only makes f a single panel holding msg and nothing else.
func (f *figure) only(msg string) *figure {
	p := newPanel("", "", "")
	note(p, msg)
	p.HideAxes()
	f.panels, f.key = []*plot.Plot{p}, nil
	return f
}
