package run

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
)

// TestKeptPartsEqualReadingAgain checks that the figures' per-path metrics kept from the
// convergence pass are those LoadInput reads from the parts again: the same Input, for
// sample limits inside, at and across part boundaries and beyond the run, that the parts
// kept are the fewest that hold the sampled paths, and that keptParts.read (for a run
// that reads no part back for its convergence table) reads the same.
func TestKeptPartsEqualReadingAgain(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 1500
	dir := filepath.Join(t.TempDir(), "run")
	const chunk = 400 // parts of 400, 400, 400 and 300 paths
	if _, err := Execute(context.Background(), Options{Config: cfg, OutDir: dir, ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}
	parts, err := results.PartFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	chunkPaths := func(c int) int { return min(chunk, cfg.Paths-c*chunk) }
	q95 := make([]float64, len(cfg.Policies))
	for _, tc := range []struct{ maxPaths, parts int }{
		{1, 1}, {399, 1}, {400, 1}, {401, 2}, {1200, 3}, {1201, 4}, {1500, 4}, {5000, 4},
	} {
		keep := keepForFigures(len(parts), chunkPaths, tc.maxPaths)
		if keep.parts != tc.parts {
			t.Fatalf("at most %d paths: keeps %d parts, want %d", tc.maxPaths, keep.parts, tc.parts)
		}
		if _, _, err := convergence(parts, func(int) error { return nil }, cfg.Policies, int64(cfg.Paths), cfg.Market.BDys, q95, keep); err != nil {
			t.Fatal(err)
		}
		if len(keep.got) != tc.parts {
			t.Fatalf("at most %d paths: convergence kept %d parts, want %d", tc.maxPaths, len(keep.got), tc.parts)
		}
		// A run that takes its convergence table from its chunks reads the same parts alone.
		alone := keepForFigures(len(parts), chunkPaths, tc.maxPaths)
		if err := alone.read(parts, func(int) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(alone.got, keep.got) {
			t.Errorf("at most %d paths: the parts read alone differ from those the convergence pass kept", tc.maxPaths)
		}
		kept, err := loadInput(dir, keep.got, nil, tc.maxPaths)
		if err != nil {
			t.Fatal(err)
		}
		read, err := loadInput(dir, nil, nil, tc.maxPaths)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(min(tc.maxPaths, cfg.Paths)); read.SampledPaths != want {
			t.Fatalf("at most %d paths: read %d, want %d", tc.maxPaths, read.SampledPaths, want)
		}
		if !reflect.DeepEqual(kept, read) {
			t.Errorf("at most %d paths: the Input from the kept parts differs from reading them again", tc.maxPaths)
		}
	}
}
