package results

import "strconv"

// TailsFile holds tail-risk measures of a run: probabilities of bad outcomes and the
// expected shortfall of the peak basis, each with a 95% interval.
const TailsFile = "tails.csv"

// TailRow is one line of tails.csv.
type TailRow struct {
	Policy, Measure, Unit string
	N                     int64
	Estimate, Lo, Hi      float64
}

var tailsHeader = []string{"policy", "measure", "unit", "n", "estimate", "ci95_lo", "ci95_hi"}

// WriteTailsCSV writes rows atomically as a CSV file at path, at full precision.
func WriteTailsCSV(path string, rows []TailRow) error {
	records := make([][]string, len(rows))
	for i, r := range rows {
		records[i] = []string{r.Policy, r.Measure, r.Unit, strconv.FormatInt(r.N, 10), full(r.Estimate), full(r.Lo), full(r.Hi)}
	}
	return writeCSV(path, tailsHeader, records)
}
