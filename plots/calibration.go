package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CalibrationTarget is one target of a calibration at its estimate.
type CalibrationTarget struct {
	Name      string  // the named statistic, e.g. qe.net_sales_10d_bn.p50
	Value     float64 // the target
	Simulated float64 // the simulated statistic at the estimate
	Lo, Hi    float64 // its Monte Carlo interval
	Scale     float64 // the target's tolerance, 1/sqrt(weight): the band's half-width
	Band      bool    // the target was given a tolerance band
}

// CalibrationProfile is the objective along one parameter, the others at the estimate.
type CalibrationProfile struct {
	Key          string
	Estimate, SE float64 // SE NaN when not identified
	SETolerance  float64 // the standard error by the targets' tolerances
	X, Objective []float64
}

// CalibrationInput is what the calibration figures draw.
type CalibrationInput struct {
	Title    string
	Targets  []CalibrationTarget
	Profiles []CalibrationProfile
}

// Names of the calibration figures, without extension.
const (
	CalibrationTargetsFigure = "targets"
	CalibrationProfileFigure = "profile"
)

// WriteCalibration draws the calibration figures into dir in every format of opt: the
// targets against their simulated values with Monte Carlo intervals, on the scale of each
// target's tolerance, and the objective's profile along each parameter.
func WriteCalibration(in *CalibrationInput, dir string, opt Options) ([]string, error) {
	if len(in.Targets) == 0 || len(in.Profiles) == 0 {
		return nil, fmt.Errorf("calibration figures: no targets or no parameters")
	}
	return writeFigures(dir, opt, []string{CalibrationTargetsFigure, CalibrationProfileFigure},
		[]func() *figure{in.targetsFigure, in.profileFigure})
}

// finiteOr returns x, or fallback when x is NaN or infinite.
func finiteOr(x, fallback float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fallback
	}
	return x
}

func (in *CalibrationInput) targetsFigure() *figure {
	p := newPanel("", "simulated minus target, in units of the target's tolerance", "")
	n := len(in.Targets)
	names := make([]string, n)
	pts := make(plotter.XYs, n)
	lo, hi := make([]float64, n), make([]float64, n)
	for i, t := range in.Targets {
		row := float64(n - 1 - i) // the first target on top
		names[n-1-i] = fmt.Sprintf("%s = %.4g (target %.4g)", t.Name, t.Simulated, t.Value)
		z := func(v float64) float64 { return (v - t.Value) / t.Scale }
		pts[i] = plotter.XY{X: finiteOr(z(t.Simulated), 0), Y: row}
		lo[i] = finiteOr(z(t.Lo), pts[i].X)
		hi[i] = finiteOr(z(t.Hi), pts[i].X)
	}
	span := 1.5
	for i := range pts {
		span = max(span, math.Abs(lo[i])*1.1, math.Abs(hi[i])*1.1)
	}
	f := &figure{width: PageWidth, height: vg.Length(n)*vg.Points(16) + vg.Inch}
	tol := band(p, []float64{-1, 1}, []float64{-0.5, -0.5}, []float64{float64(n) - 0.5, float64(n) - 0.5}, withAlpha(green, 0.18))
	zero := line(p, plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}}, gray, 0.6, vg.Points(2), vg.Points(2))
	eb, err := plotter.NewXErrorBars(xErrorBars{pts, lo, hi})
	if err == nil {
		eb.LineStyle = draw.LineStyle{Color: blue, Width: vg.Points(1)}
		eb.CapWidth = vg.Points(4)
		p.Add(eb)
	}
	s, err := plotter.NewScatter(pts)
	if err == nil {
		s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(glyphRadius), Color: blue}
		p.Add(s)
		f.addKey("simulated at the estimate, 95% Monte Carlo interval", s)
	}
	f.addKey("tolerance: within the band (or 1/sqrt(weight))", tol)
	f.addKey("target", zero)
	p.NominalY(names...)
	p.X.Min, p.X.Max = -span, span
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	f.title = in.Title
	f.panels = []*plot.Plot{p}
	return f
}

func (in *CalibrationInput) profileFigure() *figure {
	f := &figure{title: in.Title, width: PageWidth, height: gridHeight(len(in.Profiles), PageHeight)}
	var thumbs [3]plot.Thumbnailer
	for _, pr := range in.Profiles {
		p := newPanel(fmt.Sprintf("std errors: %s sampling, %s tolerance", seText(pr.SE), seText(pr.SETolerance)), paramLabel(SweepParam{Key: pr.Key}), "objective")
		pts := make(plotter.XYs, 0, len(pr.X))
		top, left, right := 0.0, pr.Estimate, pr.Estimate
		for i := range pr.X {
			if q := pr.Objective[i]; !math.IsNaN(q) && !math.IsInf(q, 0) {
				pts = append(pts, plotter.XY{X: pr.X[i], Y: q})
				top, left, right = max(top, q), min(left, pr.X[i]), max(right, pr.X[i])
			}
		}
		// The tolerance standard error, clipped to the profile's range (a wider one fills it).
		if se := pr.SETolerance; !math.IsNaN(se) && !math.IsInf(se, 0) && se > 0 && right > left {
			lo, hi := max(left, pr.Estimate-se), min(right, pr.Estimate+se)
			thumbs[1] = band(p, []float64{lo, hi}, []float64{0, 0}, []float64{top, top}, withAlpha(orange, 0.2))
		}
		if len(pts) > 1 {
			thumbs[0] = line(p, pts, blue, 1.2)
		}
		// Gray as the other reference lines: vermillion is none's color in every other figure.
		thumbs[2] = line(p, plotter.XYs{{X: pr.Estimate, Y: 0}, {X: pr.Estimate, Y: top}}, gray, 0.8, vg.Points(2), vg.Points(2))
		p.Y.Min = 0
		if top > profileCut {
			// Far from the estimate the objective can be thousands (another regime of
			// the model); the shape near the minimum is what identifies the parameter.
			p.Y.Max, p.Y.Label.Text = profileCut, fmt.Sprintf("objective (cut at %g)", profileCut)
		}
		if right > left {
			p.X.Min, p.X.Max = left, right
		}
		f.panels = append(f.panels, p)
	}
	if thumbs[0] != nil {
		f.addKey("objective, the other parameters at the estimate", thumbs[0])
	}
	if thumbs[2] != nil {
		f.addKey("estimate", thumbs[2])
	}
	if thumbs[1] != nil {
		f.addKey("estimate ± one standard error by the targets' tolerance", thumbs[1])
	}
	return f
}

// profileCut is the highest objective a profile panel shows.
const profileCut = 50.0

// xErrorBars are points with an interval along x, for plotter.XErrorBars.
type xErrorBars struct {
	plotter.XYs
	lo, hi []float64
}

func (e xErrorBars) XError(i int) (float64, float64) {
	return e.XYs[i].X - e.lo[i], e.hi[i] - e.XYs[i].X
}

// seText formats a standard error for a panel title: 3 significant digits, "n/a" when it
// is not finite.
func seText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.3g", x)
}
