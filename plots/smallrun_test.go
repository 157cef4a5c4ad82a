package plots

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConvergenceTooFewCheckpoints: a run too small for a running mean (one checkpoint
// per policy, or none at all) draws the convergence figure with a note, never a panic.
func TestConvergenceTooFewCheckpoints(t *testing.T) {
	tests := []struct {
		name   string
		points int
	}{
		{"one checkpoint", 1},
		{"no checkpoint", 0},
		{"two checkpoints", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := synthetic(100)
			in.Convergence = map[string]map[string][]ConvergencePoint{}
			for _, pol := range in.Policies {
				in.Convergence[pol] = map[string][]ConvergencePoint{}
				for _, c := range convergenceColumns {
					for i := range tc.points {
						n := int64(50 * (i + 1))
						in.Convergence[pol][c.column] = append(in.Convergence[pol][c.column], ConvergencePoint{Paths: n, Mean: 10, Lo: 8, Hi: 12})
					}
				}
			}
			dir := t.TempDir()
			files, err := WriteAll(in, dir, Options{Formats: []string{"png", "pdf", "svg"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if filepath.Base(f) != "convergence.png" {
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				checkPNG(t, f, data, Options{})
				if os.Getenv("KEEP_FIGURE") != "" {
					os.WriteFile(os.Getenv("KEEP_FIGURE")+"-"+tc.name+".png", data, 0o644)
				}
			}
		})
	}
}
