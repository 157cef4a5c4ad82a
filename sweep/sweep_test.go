package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sweep"
)

func mustDecode(t *testing.T, body string) *sweep.Plan {
	t.Helper()
	p, err := sweep.Decode([]byte(body), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRun(t *testing.T, p *sweep.Plan, opt sweep.Options) *sweep.Outcome {
	t.Helper()
	o, err := sweep.Run(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestSinglePointEqualsRun checks that a one-point sweep gives, bit for bit, the summary
// of a plain run of the scenario with that parameter, both in memory and in sweep.parquet.
func TestSinglePointEqualsRun(t *testing.T) {
	dir := t.TempDir()
	p := mustDecode(t, "paths: 2000\nseed: 5\nparameters:\n  - key: funds.b0\n    values: [750]\n")
	o := mustRun(t, p, sweep.Options{OutDir: filepath.Join(dir, "sweep")})

	cfg := configs.Baseline()
	cfg.Funds.B0, cfg.Paths, cfg.Seed = 750, 2000, 5
	plain, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(dir, "run")})
	if err != nil {
		t.Fatal(err)
	}
	rows, md, err := results.ReadSweep(filepath.Join(dir, "sweep", results.SweepFile))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, o.Rows) {
		t.Fatal("sweep.parquet does not read back as the rows written")
	}
	if len(rows) != len(plain.Summary) {
		t.Fatalf("%d sweep rows, %d summary rows", len(rows), len(plain.Summary))
	}
	for i, r := range rows {
		if r.SummaryRow != plain.Summary[i] {
			t.Errorf("row %d: sweep %+v, run %+v", i, r.SummaryRow, plain.Summary[i])
		}
		if r.Point != 0 || !reflect.DeepEqual(r.Params, []results.ParamValue{{Name: "funds.b0", Value: 750}}) {
			t.Errorf("row %d: point %d, params %v", i, r.Point, r.Params)
		}
	}
	if md[results.KeySeed] != "5" || md[results.KeyPaths] != "2000" || md[results.KeyVersion] == "" {
		t.Errorf("footer provenance: %v", md)
	}
	if _, err := sweep.Decode([]byte(md[results.KeyConfig]), "footer"); err != nil {
		t.Errorf("the footer's sweep file does not decode: %v", err)
	}
	man, err := results.ReadSweepManifest(filepath.Join(dir, "sweep"))
	if err != nil {
		t.Fatal(err)
	}
	if man.Status != results.StatusComplete || len(man.Points) != 1 || man.Points[0].Status != results.StatusComplete || man.Seed != 5 {
		t.Errorf("manifest: %+v", man)
	}
	point, err := results.ReadManifest(filepath.Join(dir, "sweep", man.Points[0].Dir))
	if err != nil || point.Status != results.StatusComplete {
		t.Errorf("the point's run manifest: %+v, %v", point, err)
	}
}

// TestWorkersAndCommonRandomNumbers checks that a two-parameter sweep gives the same
// rows for 1 and 2 workers, and that a policy the swept parameters do not touch gives the
// same estimates at every grid point: every point runs on the same shocks.
func TestWorkersAndCommonRandomNumbers(t *testing.T) {
	dir := t.TempDir()
	body := "paths: 1500\nparameters:\n  - {key: spv.discount, values: [0, 10]}\n  - {key: spv.capacity, values: [100, 400]}\n"
	var ref []results.SweepRow
	for _, w := range []int{1, 2} {
		out := filepath.Join(dir, "w"+string(rune('0'+w)))
		mustRun(t, mustDecode(t, body), sweep.Options{OutDir: out, Workers: w})
		rows, _, err := results.ReadSweep(filepath.Join(out, results.SweepFile))
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = rows
		} else if !reflect.DeepEqual(rows, ref) {
			t.Fatal("2 workers gave other rows than 1")
		}
	}
	if len(ref) != 4*3*len(results.SummaryMetrics) {
		t.Fatalf("%d rows, want 4 points x 3 policies x %d metrics", len(ref), len(results.SummaryMetrics))
	}
	none := map[string]results.SummaryRow{}
	spvPeak := map[float64]bool{} // distinct means of the spv's peak basis
	for _, r := range ref {
		switch {
		case r.Policy == "none":
			if first, ok := none[r.Metric]; !ok {
				none[r.Metric] = r.SummaryRow
			} else if first != r.SummaryRow {
				t.Errorf("none's %s differs at point %d: the points do not share their shocks", r.Metric, r.Point)
			}
		case r.Policy == "spv" && r.Metric == plots.ColPeakBasis:
			spvPeak[r.Mean] = true
		}
	}
	if len(spvPeak) < 2 {
		t.Error("the spv's peak basis is the same at every grid point: the parameters did not apply")
	}
}

// TestRunDrawsAndRedraws checks the sweep directory, the figures drawn after a
// one-parameter sweep, and that they are redrawn from sweep.parquet alone.
func TestRunDrawsAndRedraws(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	p := mustDecode(t, "name: impact\npaths: 500\nparameters:\n  - {key: market.lambda0, values: [0.02, 0.01]}\n")
	o := mustRun(t, p, sweep.Options{OutDir: dir, Figures: true, FigureOptions: plots.Options{Formats: []string{"png"}}})
	want := []string{filepath.Join(dir, results.FiguresDir, "sweep_lines.png")}
	if !reflect.DeepEqual(o.Figures, want) {
		t.Fatalf("figures %v, want %v", o.Figures, want)
	}
	for _, f := range []string{results.SweepFile, results.ManifestFile, "points/0/summary.csv", "points/1/bands.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	in, err := sweep.LoadInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "impact" || in.Paths != 500 || !reflect.DeepEqual(in.Params[0].Values, []float64{0.02, 0.01}) || !reflect.DeepEqual(in.Policies, []string{"none", "qe", "spv"}) {
		t.Errorf("LoadInput: %+v", in)
	}
	if err := os.RemoveAll(filepath.Join(dir, results.FiguresDir)); err != nil {
		t.Fatal(err)
	}
	files, err := sweep.DrawFigures(dir, plots.Options{Formats: []string{"png"}})
	if err != nil || !reflect.DeepEqual(files, want) {
		t.Fatalf("redraw: %v, %v", files, err)
	}
	if _, err := sweep.Run(context.Background(), p, sweep.Options{OutDir: dir}); err == nil {
		t.Error("a second sweep into the same directory was accepted")
	}
}
