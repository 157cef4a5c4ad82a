package results

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/backstop-research/backstop/internal/table"
)

// EffectsFile holds the paired policy effects of a run.
const EffectsFile = "effects.csv"

// EffectRow is one line of effects.csv: the effect of policy A against policy B on one
// metric, estimated path by path on the same shocks (common random numbers).
type EffectRow struct {
	A, B, Metric, Unit string
	N                  int64
	Mean, Lo, Hi       float64 // mean of the per-path difference A - B and its 95% CI
	UnpairedLo         float64 // the 95% CI of mean(A) - mean(B) were the runs independent
	UnpairedHi         float64
	VarianceReduction  float64 // Var_unpaired / Var_paired of the mean difference
	ShareLower         float64 // share of paths where A is below B (A helped, for a cost)
	ShareHigher        float64 // share of paths where A is above B
}

var effectsHeader = []string{"policy", "versus", "metric", "unit", "n", "mean_diff", "ci95_lo", "ci95_hi",
	"unpaired_ci95_lo", "unpaired_ci95_hi", "variance_reduction", "share_lower", "share_higher"}

func (r EffectRow) fields(format func(float64) string) []string {
	return []string{r.A, r.B, r.Metric, r.Unit, strconv.FormatInt(r.N, 10),
		format(r.Mean), format(r.Lo), format(r.Hi), format(r.UnpairedLo), format(r.UnpairedHi),
		format(r.VarianceReduction), format(r.ShareLower), format(r.ShareHigher)}
}

// WriteEffectsCSV writes rows atomically as a CSV file at path, at full precision.
func WriteEffectsCSV(path string, rows []EffectRow) error {
	records := make([][]string, len(rows))
	for i, r := range rows {
		records[i] = r.fields(full)
	}
	return writeCSV(path, effectsHeader, records)
}

// PrintEffects writes rows as an aligned table for a terminal: the paired difference with
// its CI, the half-width an unpaired comparison would have, and the variance reduction.
func PrintEffects(out io.Writer, rows []EffectRow) error {
	w := table.New(out, tabwriter.AlignRight)
	fmt.Fprintln(w, "effect\tmetric\tmean_diff\tci95\tunpaired_ci95\tvar_reduction\tlower_on\t")
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	for _, r := range rows {
		fmt.Fprintf(w, "%s - %s\t%s\t%s\t[%s, %s]\t[%s, %s]\t%s\t%.1f%%\t\n", r.A, r.B, r.Metric, g(r.Mean), g(r.Lo), g(r.Hi),
			g(r.UnpairedLo), g(r.UnpairedHi), g(r.VarianceReduction), 100*r.ShareLower)
	}
	return w.Flush()
}
