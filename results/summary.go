package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

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

var summaryHeader = []string{"policy", "metric", "unit", "n", "mean", "ci95_lo", "ci95_hi", "p50", "p95",
	"p50_ci95_lo", "p50_ci95_hi", "p95_ci95_lo", "p95_ci95_hi"}

// printedColumns is how many summary columns the terminal table shows (the quantiles'
// intervals are in the file and in summary.md).
const printedColumns = 9

// numbers are the numeric columns of a row, in header order after n.
func (r *SummaryRow) numbers() []*float64 {
	return []*float64{&r.Mean, &r.Lo, &r.Hi, &r.P50, &r.P95, &r.P50Lo, &r.P50Hi, &r.P95Lo, &r.P95Hi}
}

func (r SummaryRow) fields(format func(float64) string) []string {
	out := []string{r.Policy, r.Metric, r.Unit, strconv.FormatInt(r.N, 10)}
	for _, x := range r.numbers() {
		out = append(out, format(*x))
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
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, strings.Join(summaryHeader[:printedColumns], "\t")+"\t")
	short := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(r.fields(short)[:printedColumns], "\t")+"\t")
	}
	return w.Flush()
}
