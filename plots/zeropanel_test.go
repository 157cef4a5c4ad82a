package plots

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestSweepLeavesOutAllZeroPanels: a per-policy sweep figure draws no panel for a policy
// whose metric is exactly 0 at every grid point (the central bank's P&L under none, where
// no central bank acts) and says so in its key; a policy whose means are 0 but whose CI is
// not keeps its panel, and if every policy is 0 every panel stays.
func TestSweepLeavesOutAllZeroPanels(t *testing.T) {
	zeroOut := func(in *SweepInput, pols ...string) *SweepInput {
		for _, pol := range pols {
			for i := range in.Estimates[pol][ColCBPnL] {
				in.Estimates[pol][ColCBPnL][i] = SweepEstimate{}
			}
		}
		return in
	}
	grid := func() *SweepInput { return syntheticSweep([]float64{500, 1000, 1500}, []float64{0, 0.5, 1}) }
	for _, tc := range []struct {
		name   string
		in     *SweepInput
		panels []string // panel titles of the cb_pnl figures
		note   string   // a key entry, "" for none
		// zeroCell: a drawn heat-map cell is exactly 0 (syntheticSweep's none has P&L means
		// of 0 with a CI, so its cells are)
		zeroCell bool
	}{
		{"none is 0 everywhere", zeroOut(grid(), "none"),
			[]string{policyLabel("qe"), policyLabel("spv")}, "none: 0 at every grid point (not drawn)", false},
		{"means 0, CI not", grid(), // syntheticSweep gives none's P&L mean 0 with a CI of ±1
			[]string{policyLabel("none"), policyLabel("qe"), policyLabel("spv")}, "", true},
		{"every policy 0", zeroOut(grid(), "none", "qe", "spv"),
			[]string{policyLabel("none"), policyLabel("qe"), policyLabel("spv")}, "", true},
	} {
		for _, f := range []*figure{sweepHeatmap(tc.in, ColCBPnL), sweepLines2(tc.in, ColCBPnL)} {
			var titles, keys []string
			for _, p := range f.panels {
				titles = append(titles, p.Title.Text)
			}
			for _, e := range f.key {
				keys = append(keys, e.name)
			}
			if !slices.Equal(titles, tc.panels) {
				t.Errorf("%s: %q has panels %q, want %q", tc.name, f.title, titles, tc.panels)
			}
			if tc.note != "" && !slices.Contains(keys, tc.note) {
				t.Errorf("%s: %q's key %q lacks %q", tc.name, f.title, keys, tc.note)
			}
			if tc.note == "" && slices.ContainsFunc(keys, func(k string) bool { return strings.HasSuffix(k, "(not drawn)") }) {
				t.Errorf("%s: %q's key %q says a panel is not drawn", tc.name, f.title, keys)
			}
			// The heat map keys the neutral color of an exact 0 only when a drawn cell is 0.
			if zeroKey := slices.Contains(keys, "exactly 0"); zeroKey != tc.zeroCell && f.title == sweepHeatmap(tc.in, ColCBPnL).title {
				t.Errorf("%s: %q's key %q: an 'exactly 0' entry is %v, want %v", tc.name, f.title, keys, zeroKey, tc.zeroCell)
			}
		}
	}
}

// TestHeatmapCellTextOneSize: a heat map's cells print at one size in every panel, set by
// the widest text of any panel: a panel of short values ("1.00 ±1.00") beside one of long
// ones ("0.0123 ±0.000457") does not print larger.
func TestHeatmapCellTextOneSize(t *testing.T) {
	in := syntheticSweep([]float64{500, 750, 1000, 1250, 1500}, []float64{0, 0.25, 0.5, 0.75, 1})
	for i := range in.Estimates["none"][ColPeakBasis] {
		in.Estimates["none"][ColPeakBasis][i] = SweepEstimate{Mean: 1, Lo: 0, Hi: 2}
		in.Estimates["qe"][ColPeakBasis][i] = SweepEstimate{Mean: 0.0123, Lo: 0.0123 - 0.000457, Hi: 0.0123 + 0.000457}
	}
	for _, w := range []vg.Length{ColumnWidth, PageWidth} {
		f := sweepHeatmap(in, ColPeakBasis)
		rec := drawnAt(f, w)
		heights := map[string]float64{} // cell text (the CI line) -> its box height
		for _, tx := range rec.texts {
			if strings.HasPrefix(tx.s, "±") {
				heights[tx.s] = tx.maxY - tx.minY
			}
		}
		if len(heights) < 2 {
			t.Fatalf("at %.1f in: cell texts %v, want short and long ones", w/vg.Inch, heights)
		}
		for s, h := range heights {
			if math.Abs(h-heights["±1.00"]) > 1e-6 {
				t.Errorf("at %.1f in: %q is %.2f pt tall, %q %.2f pt", w/vg.Inch, s, h, "±1.00", heights["±1.00"])
			}
		}
	}
}

// TestRateRiskWording: rate_risk's y axes count the paths where the central bank buys or
// lends (srf lends, it does not purchase), and its key says what the trimmed P&L axes span.
func TestRateRiskWording(t *testing.T) {
	f := rateRisk(syntheticOf(2000, "none", "srf", "qe", "spv"))
	for _, p := range f.panels {
		if y := p.Y.Label.Text; y != "" && !strings.HasPrefix(y, "Paths where it buys or lends") {
			t.Errorf("panel %q: y label %q", p.Title.Text, y)
		}
	}
	var keys []string
	for _, e := range f.key {
		keys = append(keys, e.name)
	}
	want := Labels[ColCBPnL].Name + ": axes span its 0.5th to 99.5th percentile"
	if !slices.Contains(keys, want) {
		t.Errorf("key %q lacks %q", keys, want)
	}
}

// TestConvergenceSaysWhichSeriesCoincide: a policy whose running means stay within 1% of
// the axis of an earlier policy's is drawn over it (slr over none when the relief hardly
// binds); the key says so, and says nothing when the series differ.
func TestConvergenceSaysWhichSeriesCoincide(t *testing.T) {
	for _, same := range []bool{true, false} {
		in := syntheticOf(2000, "none", "srf", "slr", "cap", "spv", "qe")
		in.Convergence = map[string]map[string][]ConvergencePoint{}
		for k, pol := range in.Policies {
			in.Convergence[pol] = map[string][]ConvergencePoint{}
			for _, c := range convergenceColumns {
				for i := range 4 {
					m := float64(10*(k+1) + i)
					in.Convergence[pol][c.column] = append(in.Convergence[pol][c.column],
						ConvergencePoint{Paths: int64(100 << i), Mean: m, Lo: m - 1, Hi: m + 1})
				}
			}
		}
		if same { // slr 0.05 from none at every checkpoint: 1% of the range is 0.54
			in.Convergence["slr"] = map[string][]ConvergencePoint{}
			for col, pts := range in.Convergence["none"] {
				for _, pt := range pts {
					pt.Mean += 0.05
					in.Convergence["slr"][col] = append(in.Convergence["slr"][col], pt)
				}
			}
		}
		var keys []string
		for _, e := range convergence(in).key {
			keys = append(keys, e.name)
		}
		note := "slr: drawn over none (within 1% of each axis throughout)"
		if slices.Contains(keys, note) != same {
			t.Errorf("slr equal to none %v: key %q", same, keys)
		}
		if !same && slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(k, "drawn over") }) { // policies 10 apart
			t.Errorf("no series coincide: key %q", keys)
		}
	}
}

// TestSweepKeyGivesUnits: the key of a sweep's line figure names the second parameter
// with its unit, as an axis does ("Thinnest equity buffer u_lo (share above required
// capital):"), then each of its values.
func TestSweepKeyGivesUnits(t *testing.T) {
	in := syntheticSweep([]float64{500, 1000, 1500}, []float64{0, 0.5, 1})
	label := LabelOf(in.Params[1].Key)
	if label.Unit == "" {
		t.Fatalf("%s has no unit: the test needs a parameter with one", in.Params[1].Key)
	}
	f := sweepLines2(in, ColPeakBasis)
	var keys []string
	for _, e := range f.key {
		keys = append(keys, e.name)
	}
	want := []string{label.String() + ":"}
	for _, v := range in.Params[1].Values {
		want = append(want, tickLabel(v))
	}
	if at := slices.Index(keys, want[0]); at < 0 || !slices.Equal(keys[at:min(at+len(want), len(keys))], want) {
		t.Errorf("key %q lacks %q in a row", keys, want)
	}
}
