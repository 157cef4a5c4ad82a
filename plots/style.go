package plots

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure sizes for a two-column paper: a figure in one column, and a multi-panel figure that
// spans both (LaTeX figure*). Options.Width and Options.Height override them.
const (
	ColumnWidth  = 3.5 * vg.Inch
	ColumnHeight = 2.7 * vg.Inch
	PageWidth    = 7 * vg.Inch
	PageHeight   = 2.8 * vg.Inch
)

// PNGDPI is the resolution of PNG figures.
const PNGDPI = 300

// The Okabe–Ito palette (Okabe and Ito 2008), distinguishable under every common form of
// color blindness and in grayscale print by lightness. The policies take theirs from
// their specs (sim.PolicySpec.Color, from this palette); skyBlue and yellow are the spare
// ones for a policy whose spec names none.
var (
	vermillion = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF}
	blue       = color.NRGBA{0x00, 0x72, 0xB2, 0xFF}
	green      = color.NRGBA{0x00, 0x9E, 0x73, 0xFF}
	orange     = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF}
	skyBlue    = color.NRGBA{0x56, 0xB4, 0xE9, 0xFF}
	yellow     = color.NRGBA{0xF0, 0xE4, 0x42, 0xFF}
	black      = color.NRGBA{0x00, 0x00, 0x00, 0xFF}
	gray       = color.NRGBA{0x55, 0x55, 0x55, 0xFF}
)

// spareColors are the colours of policies whose spec names none, in run order.
var spareColors = []color.NRGBA{skyBlue, yellow}

// policyStylesCSV returns every registered policy's figure color (#RRGGBB) and legend
// label as CSV with the header policy,color,label, in registration order: the contents of
// examples/policy_styles.csv, from which the example scripts draw each policy as
// backstop's figures do (a test keeps the file in step with the registry).
func policyStylesCSV(specs []sim.PolicySpec) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"policy", "color", "label"})
	for _, p := range specs {
		w.Write([]string{p.Name, p.Color, p.Label})
	}
	w.Flush()
	return b.Bytes()
}

// PolicyColor returns the color that stands for policy in every figure of a run whose
// policies are policies, in order: the colour of its spec in the sim registry, or for a
// policy without one the next spare colour.
func PolicyColor(policy string, policies []string) color.NRGBA {
	if c, ok := specColor(policy); ok {
		return c
	}
	n := 0
	for _, p := range policies {
		if p == policy {
			break
		}
		if _, ok := specColor(p); !ok {
			n++
		}
	}
	return spareColors[n%len(spareColors)]
}

// specColor parses the "#RRGGBB" colour of a registered policy.
func specColor(policy string) (color.NRGBA, bool) {
	spec, ok := sim.LookupPolicy(policy)
	if !ok {
		return color.NRGBA{}, false
	}
	var c color.NRGBA
	if n, err := fmt.Sscanf(spec.Color, "#%02x%02x%02x", &c.R, &c.G, &c.B); err != nil || n != 3 {
		return color.NRGBA{}, false
	}
	c.A = 0xFF
	return c, true
}

// policyLabel is the legend label of a registered policy, else its name.
func policyLabel(p string) string {
	if spec, ok := sim.LookupPolicy(p); ok && spec.Label != "" {
		return spec.Label
	}
	return p
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(a*255 + 0.5)
	return c
}

// The house fonts: Liberation Sans (metric-compatible with Arial/Helvetica), sized for a
// figure printed at its natural width. Titles are regular, not bold: gonum's PDF canvas
// registers embedded fonts without their style and then fails to find a bold one.
var (
	sans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	titleSize = vg.Points(8.5)
	labelSize = vg.Points(8)
	tickSize  = vg.Points(7)
	keySize   = vg.Points(7)
)

func textStyle(f font.Font, size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(f, size), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
}

// newPanel returns a plot in the house style with the given axis labels (and units).
func newPanel(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, labelSize)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Label.Padding = vg.Points(2)
		a.LineStyle.Width = vg.Points(0.5)
		a.Tick.LineStyle.Width = vg.Points(0.5)
		a.Tick.Length = vg.Points(3)
		a.Padding = vg.Points(2)
		a.Tick.Marker = cleanTicks{}
	}
	p.Legend.TextStyle.Font = font.From(sans, keySize) // unused: figures draw their own key
	p.BackgroundColor = nil                            // the figure paints the page once
	return p
}

// figure is a titled row of panels with one key (legend) strip above them.
type figure struct {
	title  string
	panels []*plot.Plot
	key    []keyEntry
	width  vg.Length // natural size
	height vg.Length

	fitRounds int // the most rounds alignedDraw took to fit the text in the last draw (draw resets it)
}

// keyEntry is one item of a figure's key: a name and the thumbnails that draw its swatch.
type keyEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

func (f *figure) addKey(name string, thumbs ...plot.Thumbnailer) {
	f.key = append(f.key, keyEntry{name, thumbs})
}

// draw renders the figure on c: title, key rows, then the panels side by side.
func (f *figure) draw(c draw.Canvas) {
	f.fitRounds = 0
	c.SetColor(color.White)
	if !blankWhite(c.Canvas) { // white on a blank white PNG changes no pixel
		c.Fill(c.Rectangle.Path())
	}
	pad := vg.Points(3)
	top := c.Max.Y - pad
	if f.title != "" {
		ts, title := fitText(textStyle(sans, titleSize), f.title, c.Max.X-c.Min.X-2*pad)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
		c.FillText(ts, vg.Point{X: c.Center().X, Y: top}, title)
		top -= ts.Height(title) + pad
	}
	top = f.drawKey(c, top)
	body := c
	body.Max.Y = top
	body.Min.X += pad
	body.Max.X -= pad
	body.Min.Y += pad
	f.drawPanels(body)
}

// drawPanels draws the panels in body and returns their data areas, row by row: up to
// cols in a row, full rows aligned, a last, shorter row centered under them with data
// areas of the same width.
func (f *figure) drawPanels(body draw.Canvas) [][]vg.Rectangle {
	if len(f.panels) == 1 {
		fitPanelText(f.panels[0], body)
		return [][]vg.Rectangle{{drawPanel(f.panels[0], body)}}
	}
	cols, rows := panelGrid(len(f.panels), body.Max.X-body.Min.X)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(10), PadY: vg.Points(6)}
	grid := make([][]*plot.Plot, rows)
	for i, p := range f.panels {
		grid[i/cols] = append(grid[i/cols], p)
	}
	full, last := grid, grid[rows-1]
	if len(last) < cols {
		full = grid[:rows-1]
	}
	rowH := (body.Max.Y - body.Min.Y + tiles.PadY) / vg.Length(rows)
	var areas [][]vg.Rectangle
	if len(full) > 0 {
		upper := body
		upper.Min.Y = body.Max.Y - rowH*vg.Length(len(full)) + tiles.PadY
		var rounds int
		areas, rounds = alignedDraw(full, draw.Tiles{Rows: len(full), Cols: cols, PadX: tiles.PadX, PadY: tiles.PadY}, upper, 0)
		f.fitRounds = max(f.fitRounds, rounds)
	}
	if len(last) < cols {
		bottom := body
		bottom.Max.Y = body.Min.Y + rowH - tiles.PadY
		var width vg.Length // the full rows' data width, which the last row's panels take
		if len(areas) > 0 {
			width = areas[0][0].Size().X
		} else {
			tileW := (body.Max.X - body.Min.X + tiles.PadX) / vg.Length(cols)
			bottom.Min.X += tileW * vg.Length(cols-len(last)) / 2
			bottom.Max.X = bottom.Min.X + tileW*vg.Length(len(last)) - tiles.PadX
		}
		lastAreas, rounds := alignedDraw([][]*plot.Plot{last}, draw.Tiles{Rows: 1, Cols: len(last), PadX: tiles.PadX}, bottom, width)
		areas = append(areas, lastAreas...)
		f.fitRounds = max(f.fitRounds, rounds)
	}
	return areas
}

// alignedDraw draws a grid of panels in c with their data areas aligned, and returns the
// data areas and the rounds of fitting it took; with width > 0 the data areas are that wide
// (at most as wide as c allows), centered. Each panel's text is fitted to the canvas
// alignment gives it (a panel title is centered on it); as fitted text changes the
// alignment, fitting repeats until the canvases settle.
func alignedDraw(grid [][]*plot.Plot, tiles draw.Tiles, c draw.Canvas, width vg.Length) ([][]vg.Rectangle, int) {
	dropRepeatedYLabels(grid)
	// Each round fits the text as written to the room the last round's layout leaves, so
	// a label wrapped for a narrow first layout unwraps when the room grows.
	written := make(map[*plot.Plot]panelText)
	for _, row := range grid {
		for _, p := range row {
			written[p] = textOf(p)
		}
	}
	var cs [][]draw.Canvas
	rounds := 0
	for round := range maxFitRounds {
		rounds++
		cs = alignGrid(grid, tiles, c, width)
		changed := false
		for r := range grid {
			for j, p := range grid[r] {
				before := textOf(p)
				cv := cs[r][j]
				// A title and an x label are centered on the data area (drawPanel); each
				// must stay within the canvas and the figure.
				within := func(x vg.Length) vg.Length {
					return 2 * max(0, min(x-c.Min.X, c.Max.X-x, x-cv.Min.X, cv.Max.X-x))
				}
				dc := panelDataCanvas(p, cv) // where drawPanel centers the title and x label
				xW, yH := labelRoom(p, cv)
				written[p].set(p)
				fitText3(p, within(dc.Center().X), min(within(dc.Center().X), xW), yH)
				if round >= 2 {
					// Text that unwraps in a layout it wrapped for can wrap again in the
					// layout that follows (a label's second line moves the ticks): from the
					// third round on, text only tightens, so fitting settles.
					tighter(before, textOf(p)).set(p)
				}
				if textOf(p) != before {
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	cs = alignGrid(grid, tiles, c, width)
	areas := make([][]vg.Rectangle, len(grid))
	for r := range grid {
		for j, p := range grid[r] {
			areas[r] = append(areas[r], drawPanel(p, cs[r][j]))
		}
	}
	return areas, rounds
}

// maxFitRounds bounds alignedDraw's rounds of fitting text to the layout.
const maxFitRounds = 8

// dropRepeatedYLabels blanks the y label of each panel whose label is the same as the
// panel's to its left in the row: it says nothing new. A panel whose label differs from
// its left neighbour's keeps it, even if a panel further left has the same (objective,
// objective (cut at 50), objective: the third is not the first's).
func dropRepeatedYLabels(grid [][]*plot.Plot) {
	for _, row := range grid {
		for j := len(row) - 1; j > 0; j-- { // right to left: row[j-1] still has its label
			if row[j].Y.Label.Text == row[j-1].Y.Label.Text {
				row[j].Y.Label.Text = ""
			}
		}
	}
}

// drawPanel draws p on c and returns its data area. Its title and, on a non-linear x
// axis, its x label are drawn here, centered on the data area, and gonum draws the rest on
// c less their room (the same data area). gonum centers a title on the whole canvas, y
// label and tick labels included, so titles sat left of their panels; and it keeps room for
// the x label around Norm((Min+Max)/2), the middle of the axis only on a linear scale: on a
// log scale far right of it, so gonum shrank the data area until a label box centered there
// fitted, and log-scale panels (peak_basis, convergence) came out far narrower than their
// canvases.
func drawPanel(p *plot.Plot, c draw.Canvas) vg.Rectangle {
	title, label := p.Title.Text, p.X.Label.Text
	inner, ownLabel := panelInner(p, c)
	defer func() { p.Title.Text, p.X.Label.Text = title, label }()
	p.Draw(inner)
	dc := p.DataCanvas(inner)
	if title != "" {
		c.FillText(p.Title.TextStyle, vg.Point{X: dc.Center().X, Y: c.Max.Y + p.Title.TextStyle.FontExtents().Descent}, title)
	}
	if ownLabel {
		c.FillText(p.X.Label.TextStyle, vg.Point{X: dc.Center().X, Y: c.Min.Y + p.X.Label.TextStyle.FontExtents().Descent}, label)
	}
	return dc.Rectangle
}

// panelInner returns the canvas on which drawPanel has gonum draw p on c: c less the room
// of the title and, on a non-linear x axis, of the x label, whose texts it blanks in p
// (the caller restores them); and whether drawPanel draws the x label itself.
func panelInner(p *plot.Plot, c draw.Canvas) (inner draw.Canvas, ownLabel bool) {
	title, label := p.Title.Text, p.X.Label.Text
	_, linear := p.X.Scale.(plot.LinearScale)
	ownLabel = !linear && label != "" && p.X.Label.Position == draw.PosCenter
	inner = c
	if title != "" {
		inner.Max.Y -= p.Title.TextStyle.Rectangle(title).Size().Y + p.Title.Padding
		p.Title.Text = ""
	}
	if ownLabel {
		inner.Min.Y += p.X.Label.TextStyle.Height(label) + p.X.Label.Padding
		p.X.Label.Text = ""
	}
	return inner, ownLabel
}

// panelDataCanvas is p's data area when drawPanel draws it on c.
func panelDataCanvas(p *plot.Plot, c draw.Canvas) draw.Canvas {
	title, label := p.Title.Text, p.X.Label.Text
	inner, _ := panelInner(p, c)
	defer func() { p.Title.Text, p.X.Label.Text = title, label }()
	return p.DataCanvas(inner)
}

// alignGrid returns the canvases on which a grid of panels (rows of tiles.Cols) drawn in c
// have data areas of one size, lined up along rows and columns, as plot.Align means to.
// plot.Align measures each panel's margins on its tile and assumes they stay as the
// canvas changes; but a panel's data area shrinks faster than its canvas once an axis
// label is longer than the data area's side (gonum keeps the label within the canvas),
// and such a panel came out narrower or shorter than its neighbors. Here the margins along
// x are measured without the x label's text and those along y without the y label's,
// which take no room along those sides while they fit (alignedDraw fits them).
func alignGrid(grid [][]*plot.Plot, tiles draw.Tiles, c draw.Canvas, width vg.Length) [][]draw.Canvas {
	out := make([][]draw.Canvas, len(grid))
	for r, row := range grid {
		for i := range row {
			out[r] = append(out[r], tiles.At(c, i, r))
		}
	}
	// Margins measured on a canvas near the final one: a tick label near an end of the
	// axis may take more margin on a narrower data area.
	for range 3 {
		out = alignOn(grid, tiles, c, width, out)
	}
	return out
}

// alignOn is a round of alignGrid: it measures each panel's margins on its canvas in at.
func alignOn(grid [][]*plot.Plot, tiles draw.Tiles, c draw.Canvas, width vg.Length, at [][]draw.Canvas) [][]draw.Canvas {
	type margins struct{ left, right, bottom, top vg.Length }
	own := make([][]margins, len(grid))
	cols := make([]margins, tiles.Cols) // the widest left and right margin of each column
	rows := make([]margins, len(grid))  // the tallest bottom and top margin of each row
	for r, row := range grid {
		for i, p := range row {
			tile := at[r][i]
			dx, dy := labelFreeDataCanvases(p, tile)
			m := margins{dx.Min.X - tile.Min.X, tile.Max.X - dx.Max.X, dy.Min.Y - tile.Min.Y, tile.Max.Y - dy.Max.Y}
			own[r] = append(own[r], m)
			cols[i].left, cols[i].right = max(cols[i].left, m.left), max(cols[i].right, m.right)
			rows[r].bottom, rows[r].top = max(rows[r].bottom, m.bottom), max(rows[r].top, m.top)
		}
	}
	w := c.Max.X - c.Min.X - tiles.PadLeft - tiles.PadRight - tiles.PadX*vg.Length(tiles.Cols-1)
	for _, m := range cols {
		w -= m.left + m.right
	}
	h := c.Max.Y - c.Min.Y - tiles.PadTop - tiles.PadBottom - tiles.PadY*vg.Length(len(grid)-1)
	for _, m := range rows {
		h -= m.bottom + m.top
	}
	w, h = max(w/vg.Length(tiles.Cols), 0), max(h/vg.Length(len(grid)), 0) // each data area's size
	x := c.Min.X + tiles.PadLeft
	if width > 0 && width < w { // narrower than c allows: centered
		x += (w - width) * vg.Length(tiles.Cols) / 2
		w = width
	}
	dataX := make([]vg.Length, tiles.Cols) // left edge of each column's data areas
	for i, m := range cols {
		dataX[i] = x + m.left
		x = dataX[i] + w + m.right + tiles.PadX
	}
	out := make([][]draw.Canvas, len(grid))
	y := c.Max.Y - tiles.PadTop
	for r, row := range grid {
		top := y - rows[r].top // top edge of the row's data areas
		for i := range row {
			m := own[r][i]
			out[r] = append(out[r], draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: dataX[i] - m.left, Y: top - h - m.bottom},
				Max: vg.Point{X: dataX[i] + w + m.right, Y: top + m.top},
			}})
		}
		y = top - h - rows[r].bottom - tiles.PadY
	}
	return out
}

// panelText is the text of a panel's title and axis labels and their sizes.
type panelText struct {
	title, x, y             string
	titleSize, xSize, ySize vg.Length
	xTickSize               vg.Length
}

// textOf returns p's title and axis labels as they stand, with their sizes.
func textOf(p *plot.Plot) panelText {
	return panelText{p.Title.Text, p.X.Label.Text, p.Y.Label.Text,
		p.Title.TextStyle.Font.Size, p.X.Label.TextStyle.Font.Size, p.Y.Label.TextStyle.Font.Size,
		p.X.Tick.Label.Font.Size}
}

// set gives p the text t.
func (t panelText) set(p *plot.Plot) {
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = t.title, t.x, t.y
	p.Title.TextStyle.Font.Size, p.X.Label.TextStyle.Font.Size, p.Y.Label.TextStyle.Font.Size = t.titleSize, t.xSize, t.ySize
	p.X.Tick.Label.Font.Size = t.xTickSize
}

// tighter returns, label by label, the text of a or b that takes the more lines, or at as
// many lines the smaller size: the one fitted to the narrower room.
func tighter(a, b panelText) panelText {
	pick := func(sa, sb string, za, zb vg.Length) (string, vg.Length) {
		la, lb := strings.Count(sa, "\n"), strings.Count(sb, "\n")
		if lb > la || (lb == la && zb < za) {
			return sb, zb
		}
		return sa, za
	}
	var t panelText
	t.title, t.titleSize = pick(a.title, b.title, a.titleSize, b.titleSize)
	t.x, t.xSize = pick(a.x, b.x, a.xSize, b.xSize)
	t.y, t.ySize = pick(a.y, b.y, a.ySize, b.ySize)
	t.xTickSize = min(a.xTickSize, b.xTickSize)
	return t
}

// minTextSize is the smallest size fitText shrinks text to; a journal's floor is about 5 pt.
const minTextSize = 5

// fitText fits s (lines separated by newlines) into width w: a line too wide wraps at
// spaces into as few lines as greedy wrapping needs, balanced so that the widest is as
// narrow as that many lines allow (no word left alone on a last line), and if one word is
// still too wide the font shrinks (to minTextSize at the least) until the widest line
// fits. It returns the style and the text to draw.
func fitText(ts text.Style, s string, w vg.Length) (text.Style, string) {
	if w <= 0 || s == "" {
		return ts, s
	}
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			lines = append(lines, line)
			continue
		}
		wrapped := wrapWords(ts, words, w)
		if n := len(wrapped); n > 1 {
			// The narrowest width that greedy wrapping still fits in n lines.
			lo, hi := vg.Length(0), w
			for range 24 {
				mid := (lo + hi) / 2
				if len(wrapWords(ts, words, mid)) <= n {
					hi = mid
				} else {
					lo = mid
				}
			}
			wrapped = wrapWords(ts, words, hi)
		}
		lines = append(lines, wrapped...)
	}
	out := strings.Join(lines, "\n")
	if widest := ts.Width(out); widest > w {
		size := max(ts.Font.Size*w/widest, vg.Points(minTextSize))
		ts.Font.Size = size
	}
	return ts, out
}

// wrapWords breaks words into lines greedily: each line takes words while it fits w (a
// word wider than w alone on its line).
func wrapWords(ts text.Style, words []string, w vg.Length) []string {
	var lines []string
	cur := words[0]
	for _, word := range words[1:] {
		if ts.Width(cur+" "+word) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur += " " + word
	}
	return append(lines, cur)
}

// fitPanelText fits a lone panel's text to the canvas c it is drawn on: its title to the
// canvas about the data area's center, its axis labels to the data area's sides
// (labelRoom).
func fitPanelText(p *plot.Plot, c draw.Canvas) {
	for range 2 { // a wrapped x label takes height from the y label's room
		xW, yH := labelRoom(p, c)
		dc := panelDataCanvas(p, c)
		mid := dc.Center().X // where drawPanel centers the title
		fitText3(p, 2*max(0, min(mid-c.Min.X, c.Max.X-mid)), xW, yH)
	}
}

// fitText3 fits a panel's title into width titleW, its x label into xW and its y label
// into yH.
func fitText3(p *plot.Plot, titleW, xW, yH vg.Length) {
	p.Title.TextStyle, p.Title.Text = fitPanelLabel(p.Title.TextStyle, p.Title.Text, titleW)
	p.X.Label.TextStyle, p.X.Label.Text = fitPanelLabel(p.X.Label.TextStyle, p.X.Label.Text, xW)
	p.Y.Label.TextStyle, p.Y.Label.Text = fitPanelLabel(p.Y.Label.TextStyle, p.Y.Label.Text, yH)
	fitXTicks(p, xW)
}

// maxPanelLines is the most lines a panel's title or axis label wraps onto; past it the
// text shrinks instead. Each line a label gains takes room from the panel, so on a narrow
// panel the other labels wrap onto more lines too, which narrows the panel further: with no
// bound, pathwise's panels at 1.3 in wrapped until their data areas were a few points wide.
const maxPanelLines = 3

// fitPanelLabel is fitText for a panel's title or axis label: at most maxPanelLines lines,
// the text shrunk (to minTextSize at the least) where that many do not fit w.
func fitPanelLabel(ts text.Style, s string, w vg.Length) (text.Style, string) {
	fitted, out := fitText(ts, s, w)
	if strings.Count(out, "\n") < maxPanelLines {
		return fitted, out
	}
	// The narrowest room in which s takes maxPanelLines lines, then scaled down to w.
	lo, hi := w, ts.Width(s)
	for range 24 {
		mid := (lo + hi) / 2
		if _, t := fitText(ts, s, mid); strings.Count(t, "\n") < maxPanelLines {
			hi = mid
		} else {
			lo = mid
		}
	}
	ts, out = fitText(ts, s, hi)
	if widest := ts.Width(out); widest > w {
		ts.Font.Size = max(ts.Font.Size*w/widest, vg.Points(minTextSize))
	}
	return ts, out
}

// fitXTicks shrinks the x axis's tick labels (to minTextSize at the least) until
// neighbors are a space apart on a data area w wide: a sweep's five grid values, say, one
// column wide.
func fitXTicks(p *plot.Plot, w vg.Length) {
	if w <= 0 || p.X.Tick.Marker == nil {
		return
	}
	ts := p.X.Tick.Label
	space := ts.Width(" ")
	type placed struct{ at, width vg.Length }
	var labels []placed
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if t.Label == "" || t.Value < p.X.Min || t.Value > p.X.Max {
			continue
		}
		labels = append(labels, placed{w * vg.Length(p.X.Scale.Normalize(p.X.Min, p.X.Max, t.Value)), ts.Width(t.Label)})
	}
	slices.SortFunc(labels, func(a, b placed) int { return cmp.Compare(a.at, b.at) })
	scale := 1.0
	for i := 1; i < len(labels); i++ {
		// Centered labels a space apart: (w0 + w1)/2 + space <= distance, all in proportion to the size.
		need := (labels[i-1].width+labels[i].width)/2 + space
		scale = min(scale, float64((labels[i].at-labels[i-1].at)/need))
	}
	if scale < 1 {
		p.X.Tick.Label.Font.Size = max(ts.Font.Size*vg.Length(scale), vg.Points(minTextSize))
	}
}

// labelRoom returns the width and height of p's data area on canvas c, each as it would
// be without the axis label along it: the room the x label and the y label have. gonum
// centers an axis label on the data area and, when the label is longer than that side,
// shrinks the data area until the label fits the canvas. A label-shrunk panel no longer
// lines up with its row (plot.Align assumes a data area grows with its canvas), and its
// title then rises into the key or the panel above: so labels are fitted to this room.
func labelRoom(p *plot.Plot, c draw.Canvas) (w, h vg.Length) {
	noX, noY := labelFreeDataCanvases(p, c)
	return noX.Max.X - noX.Min.X, noY.Max.Y - noY.Min.Y
}

// labelFreeDataCanvases returns p's data area on c as it would be without its x label's
// text (noX) and without its y label's text (noY); p is left as it was.
func labelFreeDataCanvases(p *plot.Plot, c draw.Canvas) (noX, noY draw.Canvas) {
	x, y := p.X.Label.Text, p.Y.Label.Text
	p.X.Label.Text = ""
	noX = p.DataCanvas(c)
	p.X.Label.Text, p.Y.Label.Text = x, ""
	noY = p.DataCanvas(c)
	p.Y.Label.Text = y
	return noX, noY
}

// gridColumns is the number of panels side by side in a figure of n panels at its natural
// width: up to four in one row; more in rows of three or four, whichever leaves fewer empty
// places.
func gridColumns(n int) int {
	if n <= 4 {
		return max(n, 1)
	}
	if (4-n%4)%4 < (3-n%3)%3 {
		return 4
	}
	return 3
}

// minPanelWidth is the narrowest a panel gets: narrower figures put fewer panels in a row.
const minPanelWidth = 1.55 * vg.Inch

// panelGrid returns the columns and rows of a figure of n panels drawn w wide.
func panelGrid(n int, w vg.Length) (cols, rows int) {
	cols = max(1, min(gridColumns(n), int(w/minPanelWidth)))
	return cols, (n + cols - 1) / cols
}

// gridHeight is the natural height of a figure of n panels at its natural width: one
// row's height per row.
func gridHeight(n int, rowHeight vg.Length) vg.Length {
	_, rows := panelGrid(n, PageWidth)
	return rowsHeight(rows, rowHeight)
}

func rowsHeight(rows int, rowHeight vg.Length) vg.Length {
	if rows <= 1 {
		return rowHeight
	}
	return vg.Length(rows) * rowHeight * 0.8
}

// heightAt is the figure's height when drawn w wide and no height is asked for: its
// natural height, taller when the width leaves fewer panels in a row.
func (f *figure) heightAt(w vg.Length) vg.Length {
	if len(f.panels) <= 1 {
		return f.height
	}
	_, natural := panelGrid(len(f.panels), f.width)
	_, rows := panelGrid(len(f.panels), w)
	if rows <= natural {
		return f.height
	}
	return f.height * rowsHeight(rows, 1) / rowsHeight(natural, 1)
}

// drawKey lays the key out in centered rows that fit the canvas width, below top, and
// returns the y where the panels may start.
func (f *figure) drawKey(c draw.Canvas, top vg.Length) vg.Length {
	if len(f.key) == 0 {
		return top
	}
	ts := textStyle(sans, keySize)
	ts.YAlign = draw.YCenter
	gap, sep := vg.Points(3), vg.Points(10)
	thumbWidth := func(e keyEntry) vg.Length {
		if len(e.thumbs) == 0 {
			return -gap // a heading: text only
		}
		w := vg.Points(14)
		for _, t := range e.thumbs {
			if wide, ok := t.(interface{ thumbWidth() vg.Length }); ok {
				w = max(w, wide.thumbWidth())
			}
		}
		return w
	}
	width := func(e keyEntry) vg.Length { return thumbWidth(e) + gap + ts.Width(e.name) }
	avail := c.Max.X - c.Min.X - 2*vg.Points(4)
	// An entry wider than the canvas shrinks the key's text until it fits.
	for _, e := range f.key {
		if w := width(e); w > avail && ts.Font.Size > vg.Points(minTextSize) {
			text := w - thumbWidth(e) - gap
			ts.Font.Size = max(ts.Font.Size*(avail-thumbWidth(e)-gap)/text, vg.Points(minTextSize))
		}
	}
	// One still too wide at the smallest size wraps onto lines that fit (its row grows).
	entries := slices.Clone(f.key)
	for i, e := range entries {
		if width(e) > avail {
			_, entries[i].name = fitText(ts, e.name, avail-thumbWidth(e)-gap)
		}
	}
	var rows [][]keyEntry
	var row []keyEntry
	var rowW vg.Length
	for _, e := range entries {
		w := width(e)
		if len(row) > 0 && rowW+sep+w > avail {
			rows = append(rows, row)
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			rowW += sep
		}
		row, rowW = append(row, e), rowW+w
	}
	rows = append(rows, row)
	for _, r := range rows {
		var w vg.Length
		rowH := ts.Height("Ag") + vg.Points(3)
		for i, e := range r {
			if i > 0 {
				w += sep
			}
			w += width(e)
			rowH = max(rowH, ts.Height(e.name)+vg.Points(3))
		}
		x := c.Center().X - w/2
		yMid := top - rowH/2
		lineH := ts.Height("Ag") + vg.Points(3) // a swatch is one line high
		for _, e := range r {
			thumbW := thumbWidth(e)
			icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: yMid - lineH/2 + vg.Points(1)},
				Max: vg.Point{X: x + thumbW, Y: yMid + lineH/2 - vg.Points(1)},
			}}
			for _, t := range e.thumbs {
				t.Thumbnail(&icon)
			}
			c.FillText(ts, vg.Point{X: x + thumbW + gap, Y: yMid}, e.name)
			x += width(e) + sep
		}
		top -= rowH
	}
	return top - vg.Points(2)
}

// scenarioLine names the run in titles: scenario and path count.
func scenarioLine(in *Input) string {
	return fmt.Sprintf("%s, %s", in.Scenario, pathCount(in.Paths))
}

// bandLine is scenarioLine for the figures drawn from the band quantiles: it says when
// they count a subset of the paths, e.g. "baseline, bands from 200,000 of 1,000,000 paths".
func bandLine(in *Input) string {
	if in.BandPaths > 0 && in.BandPaths < in.Paths {
		return fmt.Sprintf("%s, bands from %s of %s", in.Scenario, thousands(in.BandPaths), pathCount(in.Paths))
	}
	return scenarioLine(in)
}

// pathCount is "1 path" or "N paths", N with comma separators.
func pathCount(n int64) string {
	if n == 1 {
		return "1 path"
	}
	return thousands(n) + " paths"
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
