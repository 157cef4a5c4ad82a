package plots_test

import (
	"bytes"
	"fmt"

	"github.com/backstop-research/backstop/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// The figure set, in the order WriteAll writes it; each name is a file stem under figures/.
func ExampleNames() {
	for _, name := range plots.Names() {
		fmt.Println(name)
	}
	// Output:
	// basis_fan
	// peak_basis
	// forced_sales
	// cb_balance_sheet
	// rate_risk
	// defaults
	// pathwise
	// convergence
}

// A figure of one's own in the house rendering: draw on the canvas NewCanvas returns and
// write it out; the PDF keeps translucent colors and UTF-8 text.
func ExampleNewCanvas() {
	p := plot.New()
	p.Title.Text = "Cash–futures basis, 45° line"
	c, err := plots.NewCanvas("pdf", plots.ColumnWidth, plots.ColumnHeight)
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	_, err = plots.NewCanvas("jpeg", plots.ColumnWidth, plots.ColumnHeight)
	fmt.Println(err)
	// Output:
	// true
	// figure format "jpeg": allowed are png, pdf, svg
}
