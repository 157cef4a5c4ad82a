package explore

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sensitivity"
	"github.com/backstop-research/backstop/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FigureMetric is the metric the figures show.
var FigureMetric = sim.Metrics[sim.PeakBasisBP].Name

var pairColor = color.NRGBA{0x55, 0x55, 0x55, 0xFF}

// figureNames are the names (without extension) of the figures an exploration may draw.
var figureNames = []string{"sensitivity_" + FigureMetric, "outcome_vs_parameters", "prim_tradeoff", "spv_advantage"}

// drawFigures draws the exploration's figures into dir in each of formats (png, pdf,
// svg; DefaultFormats when empty) and returns the files written: the indices of FigureMetric with their intervals (sobol, morris), the metric
// against each parameter in the policies' colours, the PRIM trade-off with the chosen box
// (with discover), and the distribution of the SPV's advantage over qe (when both run).
func drawFigures(dir string, formats []string, p *Plan, evals []Evaluation, sens []results.TableColumn, boxes []sensitivity.Box, chosen int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create figures directory: %w", err)
	}
	if len(formats) == 0 {
		formats = plots.DefaultFormats
	}
	var files []string
	save := func(name string, w, h vg.Length, drawTo func(draw.Canvas)) error {
		for _, format := range formats {
			c, err := plots.NewCanvas(format, w, h) // the house PDF and SVG rendering
			if err != nil {
				return err
			}
			drawTo(draw.New(c))
			path := filepath.Join(dir, strings.TrimSuffix(name, ".png")+"."+format)
			if err := atomicfile.Write(path, func(f *os.File) error {
				_, err := c.WriteTo(f)
				return err
			}); err != nil {
				return err
			}
			files = append(files, path)
		}
		return nil
	}
	pols := p.Policies()
	if p.Design != DesignLHS {
		fig, err := indexBars(p, sens)
		if err != nil {
			return nil, err
		}
		if err := save("sensitivity_"+FigureMetric+".png", plots.PageWidth, plots.PageHeight, fig.Draw); err != nil {
			return nil, err
		}
	}
	scatter, err := scatterPanels(p, evals)
	if err != nil {
		return nil, err
	}
	rows := scatter.Rows(plots.PageWidth)
	if err := save("outcome_vs_parameters.png", plots.PageWidth, plots.PageHeight*vg.Length(rows)*0.8+plots.PageHeight*0.2, scatter.Draw); err != nil {
		return nil, err
	}
	if len(boxes) > 1 {
		fig := plots.NewFigure("PRIM: " + p.Discover.Condition)
		pl := plots.NewPanel("", "Coverage (share of the evaluations meeting the condition)", "Density (share of the box meeting it)")
		xy := make(plotter.XYs, len(boxes))
		for i, b := range boxes {
			xy[i].X, xy[i].Y = b.Coverage, b.Density
		}
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.Color, pts.Color, pts.Radius = pairColor, pairColor, vg.Points(1.5)
		star, _ := plotter.NewScatter(plotter.XYs{xy[chosen]})
		star.Color, star.GlyphStyle.Radius, star.GlyphStyle.Shape = plots.PolicyColor("spv", pols), vg.Points(4), draw.PyramidGlyph{}
		pl.Add(line, pts, star)
		fig.AddKey("peeling steps", line, pts)
		fig.AddKey(fmt.Sprintf("chosen box (step %d)", chosen), star)
		fig.AddPanel(pl)
		if err := save("prim_tradeoff.png", plots.ColumnWidth, plots.ColumnHeight, fig.Draw); err != nil {
			return nil, err
		}
	}
	if slices.Contains(pols, "spv") && slices.Contains(pols, "qe") {
		var v plotter.Values
		for _, e := range evals {
			if e.Result != nil {
				v = append(v, output{policy: "spv", versus: "qe", metric: metricIndex(FigureMetric)}.value(e.Result))
			}
		}
		if len(v) > 1 {
			fig, _, err := spvAdvantageFigure(v, pols)
			if err != nil {
				return nil, err
			}
			if err := save("spv_advantage.png", plots.ColumnWidth, plots.ColumnHeight, fig.Draw); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// spvAdvantageFigure is the histogram of SPV minus QE (values v) over the evaluations.
// Its x axis reaches 0, which its label refers to ("below 0: SPV better"), even when every
// evaluation falls on one side of it.
func spvAdvantageFigure(v plotter.Values, pols []string) (*plots.Figure, *plot.Plot, error) {
	h, err := plotter.NewHist(v, 30)
	if err != nil {
		return nil, nil, err
	}
	h.FillColor = plots.PolicyColor("spv", pols)
	l := plots.LabelOf(FigureMetric)
	fig := plots.NewFigure("SPV minus QE across the uncertainty")
	pl := plots.NewPanel("", meanLabel(FigureMetric)+", SPV - QE (below 0: SPV better)", "Evaluations")
	h.LineStyle.Width = 0
	pl.Add(h)
	pl.X.Min, pl.X.Max = min(pl.X.Min, 0), max(pl.X.Max, 0)
	fig.AddKey(fmt.Sprintf("%d evaluations; each bar counts those whose mean %s differs by that much", len(v), strings.ToLower(l.Name)))
	fig.AddPanel(pl)
	return fig, pl, nil
}

func metricIndex(name string) int {
	for m := range results.SummaryMetrics {
		if metricName(m) == name {
			return m
		}
	}
	return 0
}

// Thresholds of the caution a sensitivity figure carries: a total index above 1 (possible
// only through sampling error) or an interval wider than wideInterval (on the 0-1 scale of
// Sobol' indices) means too few samples for firm indices.
const wideInterval = 0.5

// meanLabel is the axis label of a metric's mean: "Mean peak basis (bp)".
func meanLabel(metric string) string {
	l := plots.LabelOf(metric)
	if l.Name != "" {
		l.Name = "Mean " + strings.ToLower(l.Name[:1]) + l.Name[1:]
	}
	return l.String()
}

// indexBars draws ST (sobol) or mu* (morris) of FigureMetric per parameter, a bar per
// policy and per pair against the first policy's successors, with the bootstrap
// intervals as error bars; the key above the bars, and a caution when the indices are
// imprecise for lack of samples.
func indexBars(p *Plan, sens []results.TableColumn) (*plots.Figure, error) {
	col := map[string]results.TableColumn{}
	for _, c := range sens {
		col[c.Name] = c
	}
	l := plots.LabelOf(FigureMetric)
	stat, lo, hi, label := "ST", "ST_lo", "ST_hi", "Total Sobol' index ST"
	if p.Design == DesignMorris {
		stat, lo, hi, label = "mu_star", "mu_star_lo", "mu_star_hi", "Morris μ*"
		if l.Unit != "" {
			label += " (" + l.Unit + " per unit range)"
		}
	}
	type series struct {
		name   string
		val    []float64
		lo, hi []float64
		color  color.Color
	}
	pols := p.Policies()
	var all []*series
	find := func(name string) *series {
		for _, s := range all {
			if s.name == name {
				return s
			}
		}
		s := &series{name: name, color: pairColor}
		if slices.Contains(pols, name) {
			s.color = plots.PolicyColor(name, pols)
		}
		all = append(all, s)
		return s
	}
	blocks := int64(-1)
	for i := range col["policy"].Strings {
		if col["metric"].Strings[i] != FigureMetric {
			continue
		}
		name := col["policy"].Strings[i]
		if col["versus"].Valid[i] {
			if !(name == "spv" && col["versus"].Strings[i] == "qe") {
				continue
			}
			name = "spv - qe"
		}
		s := find(name)
		s.val = append(s.val, col[stat].Floats[i])
		s.lo, s.hi = append(s.lo, col[lo].Floats[i]), append(s.hi, col[hi].Floats[i])
		if b := col["blocks"]; i < len(b.Ints) && (blocks < 0 || b.Ints[i] < blocks) {
			blocks = b.Ints[i]
		}
	}
	fig := plots.NewFigure("Sensitivity of the " + strings.ToLower(l.String()) + ", 95% bootstrap intervals")
	pl := plots.NewPanel("", "", label)
	w := vg.Points(36 / float64(max(1, len(all))))
	top, widest := 0.0, 0.0
	for j, s := range all {
		bars, err := plotter.NewBarChart(plotter.Values(s.val), w)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.LineStyle.Width = s.color, 0
		bars.Offset = vg.Length(float64(j)-float64(len(all)-1)/2) * w
		pl.Add(bars)
		fig.AddKey(s.name, bars)
		errs := make(plotter.XYs, len(s.val))
		yerr := make(plotter.YErrors, len(s.val))
		for i := range s.val {
			errs[i].X, errs[i].Y = float64(i), s.val[i]
			yerr[i].Low, yerr[i].High = s.val[i]-s.lo[i], s.hi[i]-s.val[i]
			top = max(top, s.val[i])
			widest = max(widest, s.hi[i]-s.lo[i])
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{errs, yerr})
		if err != nil {
			return nil, err
		}
		eb.Color = color.Black
		eb.LineStyle.Width = vg.Points(0.5)
		pl.Add(&offsetErrors{eb, bars.Offset})
	}
	pl.NominalX(parameterTicks(p.Keys())...)
	if note := sobolCaution(p.Design, top, widest, blocks); note != "" {
		fig.AddKey(note)
	}
	fig.AddPanel(pl)
	return fig, nil
}

// parameterTicks names parameters for the ticks of a bar per parameter: in words from the
// label table, as the other figures' axes name them (a key it lacks stays a key), in two
// lines of about even length so that six fit side by side on a page-wide figure.
func parameterTicks(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		name := plots.LabelOf(k).Name
		best := -1 // the space nearest the middle
		for j, r := range name {
			if r == ' ' && (best < 0 || abs(2*j-len(name)) < abs(2*best-len(name))) {
				best = j
			}
		}
		if best > 0 {
			name = name[:best] + "\n" + name[best+1:]
		}
		out[i] = name
	}
	return out
}

func abs(x int) int { return max(x, -x) }

// sobolCaution is the note of a sensitivity figure of design whose Sobol' indices are
// imprecise (the largest ST top above 1, or the widest interval above wideInterval),
// saying so and on how many blocks they rest; "" when they are not (or not Sobol').
func sobolCaution(design string, top, widest float64, blocks int64) string {
	if design != DesignSobol || (top <= 1 && widest <= wideInterval) {
		return ""
	}
	var b strings.Builder
	b.WriteString("Caution: ")
	if blocks > 0 {
		fmt.Fprintf(&b, "only %d blocks of samples; ", blocks)
	}
	if top > 1 {
		fmt.Fprintf(&b, "ST reaches %.2f, above 1 only through sampling error; ", top)
	}
	fmt.Fprintf(&b, "intervals up to %.2f wide. Raise samples for firm indices (docs/explore.md).", widest)
	return b.String()
}

// offsetErrors draws error bars shifted sideways onto their bar.
type offsetErrors struct {
	*plotter.YErrorBars
	off vg.Length
}

func (o *offsetErrors) Plot(c draw.Canvas, pl *plot.Plot) {
	c.Min.X += o.off
	c.Max.X += o.off
	o.YErrorBars.Plot(c, pl)
}

// scatterPanels draws FigureMetric's mean per policy against each parameter, three
// panels a row, with one key above them (never over the points).
func scatterPanels(p *Plan, evals []Evaluation) (*plots.Figure, error) {
	pols := p.Policies()
	m := metricIndex(FigureMetric)
	fig := plots.NewFigure(meanLabel(FigureMetric) + " against each parameter, per policy")
	for _, pol := range pols {
		fig.AddKey(pol, glyphThumb{draw.GlyphStyle{Color: plots.PolicyColor(pol, pols), Radius: vg.Points(3), Shape: draw.RingGlyph{}}})
	}
	for j, pr := range p.Params {
		pl := plots.NewPanel("", plots.LabelOf(pr.Key).String(), meanLabel(FigureMetric))
		for k, pol := range pols {
			var xy plotter.XYs
			for _, e := range evals {
				if e.Result != nil {
					xy = append(xy, plotter.XY{X: e.Values[j], Y: e.Result.Stats[k][m].Mean})
				}
			}
			s, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, err
			}
			s.Color, s.GlyphStyle.Radius = plots.PolicyColor(pol, pols), vg.Points(1.2)
			pl.Add(s)
		}
		fig.AddPanel(pl)
	}
	return fig, nil
}

// glyphThumb is a legend entry drawn as a glyph larger than the scatter's points.
type glyphThumb struct{ style draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.style, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2})
}
