package explore

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
		pl, err := indexBars(p, sens)
		if err != nil {
			return nil, err
		}
		if err := save("sensitivity_"+FigureMetric+".png", plots.PageWidth, plots.PageHeight, pl.Draw); err != nil {
			return nil, err
		}
	}
	scatter, err := scatterPanels(p, evals)
	if err != nil {
		return nil, err
	}
	cols := min(3, len(scatter))
	rows := (len(scatter) + cols - 1) / cols
	if err := save("outcome_vs_parameters.png", plots.PageWidth, plots.PageHeight*vg.Length(rows), func(c draw.Canvas) {
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 3, PadY: vg.Millimeter * 3, PadTop: vg.Millimeter, PadBottom: vg.Millimeter}
		grid := make([][]*plot.Plot, rows)
		for r := range grid {
			grid[r] = make([]*plot.Plot, cols)
			for j := range grid[r] {
				if i := r*cols + j; i < len(scatter) {
					grid[r][j] = scatter[i]
				}
			}
		}
		canvases := plot.Align(grid, tiles, c)
		for r := range grid {
			for j, pl := range grid[r] {
				if pl != nil {
					pl.Draw(canvases[r][j])
				}
			}
		}
	}); err != nil {
		return nil, err
	}
	if len(boxes) > 1 {
		pl := plot.New()
		pl.Title.Text = "PRIM: " + p.Discover.Condition
		pl.X.Label.Text, pl.Y.Label.Text = "coverage", "density"
		xy := make(plotter.XYs, len(boxes))
		for i, b := range boxes {
			xy[i].X, xy[i].Y = b.Coverage, b.Density
		}
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.Color, pts.Color = pairColor, pairColor
		star, _ := plotter.NewScatter(plotter.XYs{xy[chosen]})
		star.Color, star.GlyphStyle.Radius, star.GlyphStyle.Shape = plots.PolicyColor("spv", pols), vg.Points(4), draw.PyramidGlyph{}
		pl.Add(line, pts, star)
		pl.Legend.Add(fmt.Sprintf("chosen box (step %d)", chosen), star)
		pl.Legend.Left = true
		pl.Title.TextStyle.Font.Size = vg.Points(9)
		if err := save("prim_tradeoff.png", plots.ColumnWidth, plots.ColumnHeight, pl.Draw); err != nil {
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
			h, err := plotter.NewHist(v, 30)
			if err != nil {
				return nil, err
			}
			h.FillColor = plots.PolicyColor("spv", pols)
			pl := plot.New()
			pl.Title.Text = "SPV minus qe across the uncertainty"
			pl.X.Label.Text, pl.Y.Label.Text = "mean "+FigureMetric+": spv - qe (below 0: spv better)", "evaluations"
			pl.Add(h)
			if err := save("spv_advantage.png", plots.ColumnWidth, plots.ColumnHeight, pl.Draw); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

func metricIndex(name string) int {
	for m := range results.SummaryMetrics {
		if metricName(m) == name {
			return m
		}
	}
	return 0
}

// indexBars draws ST (sobol) or mu* (morris) of FigureMetric per parameter, a bar per
// policy and per pair against the first policy's successors, with the bootstrap
// intervals as error bars.
func indexBars(p *Plan, sens []results.TableColumn) (*plot.Plot, error) {
	col := map[string]results.TableColumn{}
	for _, c := range sens {
		col[c.Name] = c
	}
	stat, lo, hi, label := "ST", "ST_lo", "ST_hi", "total Sobol' index ST"
	if p.Design == DesignMorris {
		stat, lo, hi, label = "mu_star", "mu_star_lo", "mu_star_hi", "Morris mu* ("+FigureMetric+" per unit range)"
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
		if !slices.Contains(pols, name) {
			s.color = pairColor
		} else {
			s.color = plots.PolicyColor(name, pols)
		}
		all = append(all, s)
		return s
	}
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
	}
	pl := plot.New()
	pl.Title.Text = "Sensitivity of " + FigureMetric + " (95% bootstrap intervals)"
	pl.Y.Label.Text = label
	w := vg.Points(36 / float64(max(1, len(all))))
	for j, s := range all {
		bars, err := plotter.NewBarChart(plotter.Values(s.val), w)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.LineStyle.Width = s.color, 0
		bars.Offset = vg.Length(float64(j)-float64(len(all)-1)/2) * w
		pl.Add(bars)
		pl.Legend.Add(s.name, bars)
		errs := make(plotter.XYs, len(s.val))
		yerr := make(plotter.YErrors, len(s.val))
		for i := range s.val {
			errs[i].X, errs[i].Y = float64(i), s.val[i]
			yerr[i].Low, yerr[i].High = s.val[i]-s.lo[i], s.hi[i]-s.val[i]
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{errs, yerr})
		if err != nil {
			return nil, err
		}
		eb.Color = color.Black
		pl.Add(&offsetErrors{eb, bars.Offset})
	}
	pl.NominalX(p.Keys()...)
	pl.Legend.Top = true
	return pl, nil
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

// scatterPanels draws FigureMetric's mean per policy against each parameter.
func scatterPanels(p *Plan, evals []Evaluation) ([]*plot.Plot, error) {
	pols := p.Policies()
	m := metricIndex(FigureMetric)
	var out []*plot.Plot
	for j, pr := range p.Params {
		pl := plot.New()
		pl.X.Label.Text = pr.Key
		pl.X.Tick.Marker = threeTicks{}
		if j%3 == 0 {
			pl.Y.Label.Text = "mean " + FigureMetric
		}
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
			if j == 0 {
				pl.Legend.Add(pol, glyphThumb{draw.GlyphStyle{Color: s.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}})
			}
		}
		pl.Legend.Top = true
		out = append(out, pl)
	}
	return out, nil
}

// threeTicks labels an axis at its ends and middle, so that the labels of narrow panels
// do not run into each other.
type threeTicks struct{}

func (threeTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for i := 0; i <= 4; i++ {
		x := lo + (hi-lo)*float64(i)/4
		t := plot.Tick{Value: x}
		if i%2 == 0 {
			t.Label = strconv.FormatFloat(x, 'g', 3, 64)
		}
		out = append(out, t)
	}
	return out
}

// glyphThumb is a legend entry drawn as a glyph larger than the scatter's points.
type glyphThumb struct{ style draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.style, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2})
}
