package plots

import (
	"math"
	"slices"
	"testing"
)

// TestCleanTicksRoundSteps: linear axes are labelled at multiples of a round step (1, 2,
// 2.5 or 5 times a power of ten), two to four labels within the range, never "-0"; the
// labels gonum's default ticks gave for these ranges (the axes of real figures: rate_risk's
// DV01 and P&L panels, convergence's peak basis) were 0.05, 0.2, 0.35; 0.025, 0.1, 0.175;
// 3, 9, 15 and 10, 50, 90.
func TestCleanTicksRoundSteps(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.02, 0.37, []string{"0.1", "0.2", "0.3"}},
		{0.005, 0.19, []string{"0.05", "0.1", "0.15"}},
		{0.3, 15.8, []string{"5", "10", "15"}},
		{10, 92, []string{"20", "40", "60", "80"}},
		{0.1, 12, []string{"2.5", "5", "7.5", "10"}},
		{0, 25.3, []string{"0", "10", "20"}},
		{-35, 35, []string{"-20", "0", "20"}},
		{0, 4.8, []string{"0", "2", "4"}},
		{40, 320, []string{"100", "200", "300"}},
		{-0.12, -0.01, []string{"-0.1", "-0.075", "-0.05", "-0.025"}},
		{1e6, 3.2e6, []string{"1e+06", "2e+06", "3e+06"}},
	} {
		var labels []string
		prev := math.Inf(-1)
		for _, tk := range (cleanTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Value < tc.lo-1e-9*(tc.hi-tc.lo) || tk.Value > tc.hi+1e-9*(tc.hi-tc.lo) || tk.Value <= prev {
				t.Errorf("[%g, %g]: tick %g outside the range or out of order", tc.lo, tc.hi, tk.Value)
			}
			prev = tk.Value
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if !slices.Equal(labels, tc.want) {
			t.Errorf("[%g, %g]: labels %q, want %q", tc.lo, tc.hi, labels, tc.want)
		}
	}
	// A range too narrow for two round labels keeps gonum's.
	if ticks := (cleanTicks{}).Ticks(1, 1.0000001); len(ticks) == 0 {
		t.Errorf("[1, 1.0000001]: no ticks")
	}
}
