package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is a titled grid of panels under one key strip, in the house style of the run and
// sweep figures (fonts, white page, key above the panels so it never covers data, text
// fitted to the page). Figures drawn outside this package (an exploration's) use it with
// NewPanel, so that every figure of the tool looks alike.
type Figure struct{ f figure }

// NewFigure returns an empty figure titled title ("" for none).
func NewFigure(title string) *Figure { return &Figure{figure{title: title}} }

// NewPanel returns a plot in the house style: the house fonts, thin axes, and ticks
// labelled without trailing zeros ("125", not "125.00"). Axis labels should come from
// Labels (LabelOf(key).String()), which names quantities in words with their units.
func NewPanel(title, xLabel, yLabel string) *plot.Plot { return newPanel(title, xLabel, yLabel) }

// AddPanel adds p to the figure's grid (panels fill rows left to right).
func (f *Figure) AddPanel(p *plot.Plot) { f.f.panels = append(f.f.panels, p) }

// AddKey adds an entry to the key strip: name beside the swatches thumbs draw. With no
// thumbs the entry is text alone: a note on the figure.
func (f *Figure) AddKey(name string, thumbs ...plot.Thumbnailer) { f.f.addKey(name, thumbs...) }

// Draw renders the figure on c.
func (f *Figure) Draw(c draw.Canvas) { f.f.draw(c) }

// Rows is the number of rows of panels the figure has when drawn w wide, so a caller can
// size the page (about a panel height per row).
func (f *Figure) Rows(w vg.Length) int {
	_, rows := panelGrid(len(f.f.panels), w)
	return rows
}
