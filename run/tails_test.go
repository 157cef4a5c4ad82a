package run_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/stats"
)

// TestTailsMatchDirectEstimates recomputes tails.csv from the per-path rows with the stats
// estimators: the probabilities exactly, and the streaming expected shortfall (taken at
// the sketch's 95th percentile) within the exact estimate's Monte Carlo error.
func TestTailsMatchDirectEstimates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	smallRun(t, dir, 4000, 0, 1000, 5)
	pc, err := results.ReadPathColumns(dir, []string{"peak_basis_bp", "funds_defaulted"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, results.TailsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 1+3*3 {
		t.Fatalf("tails.csv: %d records, %v", len(recs), err)
	}
	for _, rec := range recs[1:] {
		pol, measure := rec[0], rec[1]
		est, _ := strconv.ParseFloat(rec[4], 64)
		var peak []float64
		dys, dflt := 0, 0
		for i, p := range pc.Policy {
			if p != pol {
				continue
			}
			peak = append(peak, pc.Columns["peak_basis_bp"][i])
			if pc.Columns["peak_basis_bp"][i] > 20 {
				dys++
			}
			if pc.Columns["funds_defaulted"][i] > 0 {
				dflt++
			}
		}
		switch measure {
		case "P(peak_basis_bp > 20)":
			if want := stats.Proportion(dys, len(peak), 0.95).Estimate; est != want {
				t.Errorf("%s %s = %v, direct %v", pol, measure, est, want)
			}
		case "P(funds_defaulted > 0)":
			if want := stats.Proportion(dflt, len(peak), 0.95).Estimate; est != want {
				t.Errorf("%s %s = %v, direct %v", pol, measure, est, want)
			}
		case "ES95(peak_basis_bp)":
			exact := stats.ExpectedShortfall(peak, 0.95, 0.95)
			if math.Abs(est-exact.Estimate) > exact.HalfWidth() {
				t.Errorf("%s %s = %v, exact %v with half-width %v", pol, measure, est, exact.Estimate, exact.HalfWidth())
			}
		default:
			t.Errorf("unexpected measure %q", measure)
		}
	}
}
