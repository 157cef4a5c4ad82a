package run

import (
	"math"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestReportMarkdown checks what summary.md promises a reader: one estimate per cell with
// its interval, metric names in words with units, harm ("higher on") beside help ("lower
// on"), and a 95th percentile that is all the funds' equity said to be so.
func TestReportMarkdown(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Policies = []string{"none", "qe"}
	m, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	equity := m.InitialEquity()
	r := report{
		cfg: cfg, man: &results.Manifest{Version: "test", Created: "now"},
		summary: []results.SummaryRow{
			{Policy: "none", Metric: "peak_basis_bp", Mean: 80, Lo: 78, Hi: 82, P50: 11, P50Lo: 10, P50Hi: 12, P95: 209, P95Lo: 207, P95Hi: 213},
			{Policy: "qe", Metric: "peak_basis_bp", Mean: 70, Lo: 68, Hi: 72, P50: 11, P50Lo: 10, P50Hi: 12, P95: 205, P95Lo: 203, P95Hi: 208},
			// The sketch's quantile of a loss of everything, within its relative accuracy.
			{Policy: "none", Metric: "hf_loss_bn", Mean: 7, Lo: 6.8, Hi: 7.4, P50: 0.9, P50Lo: 0.8, P50Hi: 1, P95: equity * 0.9992, P95Lo: equity * 0.9992, P95Hi: equity * 0.9992},
			{Policy: "qe", Metric: "hf_loss_bn", Mean: 6, Lo: 5.8, Hi: 6.4, P50: 0.9, P50Lo: 0.8, P50Hi: 1, P95: 0.9 * equity, P95Lo: 0.85 * equity, P95Hi: 0.95 * equity},
		},
		effects: []results.EffectRow{{A: "qe", B: "none", Metric: "peak_basis_bp", Mean: -10, Lo: -11, Hi: -9, UnpairedLo: -13, UnpairedHi: -7, VarianceReduction: 3, ShareLower: 0.478, ShareHigher: 0.031}},
	}
	md := r.markdown()
	for _, want := range []string{
		"| Peak basis (bp) `peak_basis_bp` | mean | 80 [78, 82] | 70 [68, 72] |",
		"|  | median | 11 [10, 12] | 11 [10, 12] |",
		"|  | 95th percentile | 209 [207, 213] | 205 [203, 208] |",
		"(all fund equity)",
		"| lower on | higher on |",
		"| qe − none | Peak basis (bp) | -10 [-11, -9] | [-13, -7] | 3 | 47.8% | 3.1% |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	if n := strings.Count(md, "(all fund equity)"); n != 1 {
		t.Errorf("%d cells say all fund equity, want 1 (none's 95th percentile, not qe's at 90%%)", n)
	}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.Contains(line, "unpaired") {
			continue
		}
		for _, cell := range strings.Split(line, "|") {
			if strings.Count(cell, "[") > 1 && !strings.Contains(line, " − ") {
				t.Errorf("a cell holds more than one estimate: %q", cell)
			}
		}
	}
}

// TestReportWords checks the names summary.md gives tail measures and undefined ratios.
func TestReportWords(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"probability with a unit", tailWords("P(peak_basis_bp > 20)"), "Share of paths with peak basis > 20 bp"},
		{"probability of a count", tailWords("P(funds_defaulted > 0)"), "Share of paths with funds defaulted > 0"},
		{"expected shortfall", tailWords("ES95(peak_basis_bp)"), "Expected shortfall of peak basis, mean of the worst 5% of paths (bp)"},
		{"another form as it is", tailWords("VaR(x)"), "VaR(x)"},
		{"undefined ratio", ratioOrDash(math.NaN()), "–"},
		{"infinite ratio", ratioOrDash(math.Inf(1)), "–"},
		{"a ratio", ratioOrDash(2.5), "2.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
