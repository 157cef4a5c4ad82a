package plots

import (
	"slices"
	"testing"
)

// TestProfileFigureLabels: the calibration profile names each parameter in words with its
// unit from the label table (the raw key only when the table lacks it), and its key names
// every line it draws, the dashed estimate included.
func TestProfileFigureLabels(t *testing.T) {
	profile := func(key string) CalibrationProfile {
		return CalibrationProfile{Key: key, Estimate: 0.4, SE: 0.1, SETolerance: 0.05,
			X: []float64{0.2, 0.3, 0.4, 0.5, 0.6}, Objective: []float64{4, 1, 0.1, 1, 4}}
	}
	for _, tc := range []struct {
		key, want string
	}{
		{"shocks.mu_j", "Mean stress jump μ_J (log points)"},
		{"funds.b0", Labels["funds.b0"].String()},
		{"no.such_key", "no.such_key"},
	} {
		f := (&CalibrationInput{Title: "t", Profiles: []CalibrationProfile{profile(tc.key)}}).profileFigure()
		if got := f.panels[0].X.Label.Text; got != tc.want {
			t.Errorf("%s: x label %q, want %q", tc.key, got, tc.want)
		}
		var keys []string
		for _, e := range f.key {
			keys = append(keys, e.name)
		}
		if !slices.Contains(keys, "estimate") {
			t.Errorf("%s: key %q does not name the dashed estimate line", tc.key, keys)
		}
	}
}
