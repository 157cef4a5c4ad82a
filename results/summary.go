package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/backstop-research/backstop/internal/table"
	"github.com/backstop-research/backstop/sim"
)

// SummaryMetrics are the metrics reported in summary.csv, in order.
var SummaryMetrics = []sim.Metric{
	sim.PeakBasisBP, sim.BasisAUCBPDays, sim.DaysDysfunction, sim.ForcedSalesBN, sim.TotalSalesBN,
	sim.HFLossBN, sim.FundsDefaulted, sim.PeakCBHoldingsBN, sim.CBDV01PeakBNPerBP, sim.CBPnLBN,
	sim.PeakDealerUtilization, sim.OtherSalesBN, sim.PositionCut,
}

// SummaryRow is one line of summary.csv.
type SummaryRow struct {
	Policy, Metric, Unit string
	N                    int64
	Mean, Lo, Hi         float64 // mean and its 95% confidence interval
	P50, P95             float64 // from the streaming sketch (relative error stats.SketchAccuracy)
	P50Lo, P50Hi         float64 // 95% order-statistic interval of the median, from the sketch
	P95Lo, P95Hi         float64 // and of the 95th percentile
}

// summaryColumn is a column of summary.csv: its name and where a SummaryRow holds its
// value, text, number or (neither) the count n.
type summaryColumn struct {
	name    string
	text    func(*SummaryRow) *string
	number  func(*SummaryRow) *float64
	printed bool // shown in the terminal table (PrintSummary)
}

// summaryColumns are the columns of summary.csv in order, and after the grid parameters
// those of sweep.parquet: the one list the CSV and Parquet writers and readers and the
// terminal table take names, order and types from. The text columns come first, then n,
// then the numbers.
var summaryColumns = []summaryColumn{
	{name: "policy", text: func(r *SummaryRow) *string { return &r.Policy }, printed: true},
	{name: "metric", text: func(r *SummaryRow) *string { return &r.Metric }, printed: true},
	{name: "unit", text: func(r *SummaryRow) *string { return &r.Unit }, printed: true},
	{name: "n", printed: true},
	{name: "mean", number: func(r *SummaryRow) *float64 { return &r.Mean }, printed: true},
	{name: "ci95_lo", number: func(r *SummaryRow) *float64 { return &r.Lo }, printed: true},
	{name: "ci95_hi", number: func(r *SummaryRow) *float64 { return &r.Hi }, printed: true},
	{name: "p50", number: func(r *SummaryRow) *float64 { return &r.P50 }, printed: true},
	{name: "p95", number: func(r *SummaryRow) *float64 { return &r.P95 }, printed: true},
	// The quantiles' intervals are in the file and in summary.md, not on the terminal.
	{name: "p50_ci95_lo", number: func(r *SummaryRow) *float64 { return &r.P50Lo }},
	{name: "p50_ci95_hi", number: func(r *SummaryRow) *float64 { return &r.P50Hi }},
	{name: "p95_ci95_lo", number: func(r *SummaryRow) *float64 { return &r.P95Lo }},
	{name: "p95_ci95_hi", number: func(r *SummaryRow) *float64 { return &r.P95Hi }},
}

// summaryHeader is the names of summaryColumns.
var summaryHeader = func() []string {
	var names []string
	for _, c := range summaryColumns {
		names = append(names, c.name)
	}
	return names
}()

func (r SummaryRow) fields(format func(float64) string) []string {
	var out []string
	for _, c := range summaryColumns {
		switch {
		case c.text != nil:
			out = append(out, *c.text(&r))
		case c.number != nil:
			out = append(out, format(*c.number(&r)))
		default:
			out = append(out, strconv.FormatInt(r.N, 10))
		}
	}
	return out
}

func full(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteSummaryCSV writes rows atomically as a CSV file at path, at full precision.
func WriteSummaryCSV(path string, rows []SummaryRow) error {
	records := make([][]string, len(rows))
	for i, r := range rows {
		records[i] = r.fields(full)
	}
	return writeCSV(path, summaryHeader, records)
}

// writeCSV writes a header and records atomically as a CSV file at path.
func writeCSV(path string, header []string, records [][]string) error {
	return writeAtomic(path, func(f *os.File) error {
		w := csv.NewWriter(f)
		w.Write(header)
		w.WriteAll(records) // flushes
		return w.Error()
	})
}

// PrintSummary writes rows as an aligned table for a terminal, rounded to 4 significant
// digits.
func PrintSummary(out io.Writer, rows []SummaryRow) error {
	w := table.New(out, tabwriter.AlignRight)
	printed := func(fields []string) string {
		var out []string
		for i, c := range summaryColumns {
			if c.printed {
				out = append(out, fields[i])
			}
		}
		return strings.Join(out, "\t") + "\t"
	}
	fmt.Fprintln(w, printed(summaryHeader))
	short := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	for _, r := range rows {
		fmt.Fprintln(w, printed(r.fields(short)))
	}
	return w.Flush()
}
