package explore

import (
	"slices"
	"strings"
	"testing"
)

// A sensitivity figure cautions the reader when its Sobol' indices are imprecise for lack
// of samples: ST above 1, or an interval wider than wideInterval; never for precise
// indices, nor for morris (whose mu* has no 0-1 scale).
func TestSobolCaution(t *testing.T) {
	for _, tc := range []struct {
		name        string
		design      string
		top, widest float64
		blocks      int64
		want        []string // "" none: no caution
	}{
		{"precise", DesignSobol, 0.8, 0.2, 256, nil},
		{"at the bounds", DesignSobol, 1, wideInterval, 64, nil},
		{"ST above 1", DesignSobol, 1.22, 0.3, 8, []string{"only 8 blocks", "ST reaches 1.22, above 1", "0.30 wide"}},
		{"wide intervals", DesignSobol, 0.6, 0.9, 16, []string{"only 16 blocks", "0.90 wide", "Raise samples"}},
		{"morris", DesignMorris, 3, 5, 8, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sobolCaution(tc.design, tc.top, tc.widest, tc.blocks)
			if len(tc.want) == 0 {
				if got != "" {
					t.Fatalf("caution %q, want none", got)
				}
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("caution %q lacks %q", got, w)
				}
			}
			if strings.Contains(got, "ST reaches") != (tc.top > 1) {
				t.Errorf("caution %q: mentions ST above 1 = %v, want %v", got, !(tc.top > 1), tc.top > 1)
			}
		})
	}
}

// The SPV-minus-QE histogram's x axis reaches 0, the point its label reads against ("below
// 0: SPV better"), wherever the evaluations fall.
func TestSPVAdvantageAxisReachesZero(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    []float64
	}{
		{"all below 0", []float64{-175, -120, -60, -3}},
		{"all above 0", []float64{4, 12, 30}},
		{"both sides", []float64{-20, 15}},
	} {
		_, pl, err := spvAdvantageFigure(tc.v, []string{"none", "qe", "spv"})
		if err != nil {
			t.Fatal(err)
		}
		if pl.X.Min > 0 || pl.X.Max < 0 {
			t.Errorf("%s: x axis %g to %g leaves out 0", tc.name, pl.X.Min, pl.X.Max)
		}
		if lo, hi := slices.Min(tc.v), slices.Max(tc.v); pl.X.Min > lo || pl.X.Max < hi {
			t.Errorf("%s: x axis %g to %g leaves out values %g to %g", tc.name, pl.X.Min, pl.X.Max, lo, hi)
		}
	}
}

// The sensitivity figure's bars are named in words from the label table, as the other
// figures' axes are, in two lines; a key the table lacks stays a key.
func TestParameterTicks(t *testing.T) {
	got := parameterTicks([]string{"shocks.mu_j", "funds.gamma_m", "spv.capacity", "no.such_key"})
	want := []string{"Mean stress\njump μ_J", "Margin elasticity\nto volatility γ_m", "SPV\ncapacity C", "no.such_key"}
	if !slices.Equal(got, want) {
		t.Errorf("parameterTicks = %q, want %q", got, want)
	}
}
