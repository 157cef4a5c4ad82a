package run_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

func smallRun(t *testing.T, dir string, paths, workers, chunk int, seed uint64) *run.Outcome {
	t.Helper()
	return thinnedRun(t, dir, paths, workers, chunk, seed, configs.Baseline().Output.BandPaths)
}

// thinnedRun is smallRun with output.band_paths bandPaths.
func thinnedRun(t *testing.T, dir string, paths, workers, chunk int, seed uint64, bandPaths int) *run.Outcome {
	t.Helper()
	cfg := configs.Baseline()
	cfg.Paths, cfg.Seed, cfg.Output.BandPaths = paths, seed, bandPaths
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, Workers: workers, ChunkSize: chunk})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// smallRunFigures is smallRun with figures drawn, as the command does.
func smallRunFigures(t *testing.T, dir string, paths, chunk int) *run.Outcome {
	t.Helper()
	cfg := configs.Baseline()
	cfg.Paths = paths
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: chunk, Figures: true})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func allColumns() []string {
	var names []string
	for _, m := range sim.Metrics {
		names = append(names, m.Name)
	}
	return names
}

func readRun(t *testing.T, dir string) (*results.PathColumns, []results.BandRow) {
	t.Helper()
	pc, err := results.ReadPathColumns(dir, allColumns())
	if err != nil {
		t.Fatal(err)
	}
	bands, _, err := results.ReadBands(dir)
	if err != nil {
		t.Fatal(err)
	}
	pc.Metadata = nil // creation times differ between runs
	return pc, bands
}

// TestReproducible checks that the rows and bands are identical, bit for bit, for any
// worker count and chunk size, and across two runs with the same seed, with bands from
// every path and from every 4th; and that another seed gives other rows. (A chunk size
// changes the order of the means' sums, so across chunk sizes only the quantiles must be
// identical.)
func TestReproducible(t *testing.T) {
	const n = 3000 // 12 blocks of sim.BlockSize
	base := t.TempDir()
	smallRun(t, filepath.Join(base, "ref"), n, 1, 1000, 7)
	refRows, refBands := readRun(t, filepath.Join(base, "ref"))
	if len(refRows.Path) != n*3 || len(refBands) != 3*sim.NumSeries*60 {
		t.Fatalf("ref run has %d rows and %d band rows", len(refRows.Path), len(refBands))
	}
	thinRef := filepath.Join(base, "thinned ref")
	thinnedRun(t, thinRef, n, 1, 1000, 7, 700)
	_, thinBands := readRun(t, thinRef)
	if reflect.DeepEqual(thinBands, refBands) {
		t.Fatal("bands from every 4th path equal the bands from every path")
	}
	for _, tc := range []struct {
		name           string
		workers, chunk int
	}{
		{"same seed again", 1, 1000},
		{"4 workers", 4, 1000},
		{"2 workers", 2, 1000},
		{"3 workers, chunks not block-aligned", 3, 700},
		{"2 workers, chunks of 333", 2, 333},
	} {
		for _, bc := range []struct {
			name      string
			bandPaths int
			refBands  []results.BandRow
		}{{"all paths", 0, refBands}, {"every 4th path", 700, thinBands}} {
			t.Run(tc.name+", bands from "+bc.name, func(t *testing.T) {
				dir := filepath.Join(base, tc.name+bc.name)
				thinnedRun(t, dir, n, tc.workers, tc.chunk, 7, bc.bandPaths)
				rows, bands := readRun(t, dir)
				if tc.chunk == 1000 && !reflect.DeepEqual(rows, refRows) {
					t.Fatal("per-path rows differ from the 1-worker run")
				}
				if !reflect.DeepEqual(rows.Columns, refRows.Columns) || !reflect.DeepEqual(rows.Path, refRows.Path) {
					t.Fatal("per-path values differ from the 1-worker run")
				}
				if tc.chunk == 1000 && !reflect.DeepEqual(bands, bc.refBands) {
					t.Fatal("bands differ from the 1-worker run")
				}
				for i := range bands {
					if bands[i].Q != bc.refBands[i].Q {
						t.Fatalf("band quantiles of %s %s day %d differ from the 1-worker run's: %v, want %v", bands[i].Policy, bands[i].Series, bands[i].Day, bands[i].Q, bc.refBands[i].Q)
					}
				}
			})
		}
	}
	t.Run("other seed differs", func(t *testing.T) {
		dir := filepath.Join(base, "seed8")
		smallRun(t, dir, n, 2, 1000, 8)
		rows, _ := readRun(t, dir)
		if reflect.DeepEqual(rows.Columns, refRows.Columns) {
			t.Fatal("seed 8 gave the same rows as seed 7")
		}
	})
}

// TestRunDirectory checks the files of a run, their provenance and the manifest.
func TestRunDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	o := smallRun(t, dir, 600, 2, 250, 3)
	for _, f := range []string{"paths/part-00000.parquet", "paths/part-00001.parquet", "paths/part-00002.parquet", results.BandsFile, results.SummaryFile, results.ManifestFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.StatusComplete || m.Paths != 600 || m.Seed != 3 || len(m.Parts) != 3 || m.Version == "" {
		t.Fatalf("manifest: %+v", m)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"config", "seed", "paths", "version", "created", "status", "schema_version"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("manifest has no %q", k)
		}
	}
	pc, err := results.ReadPathColumns(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	md := pc.Metadata
	cfg, err := configs.Decode([]byte(md[results.KeyConfig]), "footer")
	if err != nil {
		t.Fatalf("footer config does not decode: %v", err)
	}
	if cfg.Seed != 3 || cfg.Paths != 600 || md[results.KeySeed] != "3" || md[results.KeyPaths] != "600" || md[results.KeyVersion] == "" || md[results.KeyCreated] == "" {
		t.Fatalf("footer provenance wrong: %v", md)
	}
	if len(o.Summary) != 3*len(results.SummaryMetrics) {
		t.Fatalf("summary has %d rows", len(o.Summary))
	}
	for _, r := range o.Summary {
		if !(r.Lo <= r.Mean && r.Mean <= r.Hi) || r.N != 600 {
			t.Errorf("summary row %+v: mean outside its interval", r)
		}
	}
}

// TestRefusesFinishedRun checks that a directory holding a run is not overwritten.
func TestRefusesFinishedRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	smallRun(t, dir, 10, 1, 10, 1)
	cfg := configs.Baseline()
	cfg.Paths = 10
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err == nil {
		t.Fatal("a second run into the same directory was accepted")
	}
}
