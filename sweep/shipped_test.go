package sweep

import (
	"path/filepath"
	"testing"
)

// TestShippedSweepsDecode checks that every sweep file in configs/ decodes into a grid.
func TestShippedSweepsDecode(t *testing.T) {
	files, _ := filepath.Glob("../configs/sweep_*.yaml")
	if len(files) < 2 {
		t.Fatalf("found %d shipped sweep files, want sweep_leverage and sweep_spv_design", len(files))
	}
	for _, f := range files {
		p, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		pts, err := p.Points()
		if err != nil || len(pts) < 2 {
			t.Errorf("%s: %d grid points, %v", f, len(pts), err)
		}
	}
}
