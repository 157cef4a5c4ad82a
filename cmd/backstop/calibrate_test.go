package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// tinyCalibration fits one parameter of the baseline to two targets, on few paths.
const tinyCalibration = `name: tiny_fit
overrides:
  policies: [none]
paths: 400
seed: 3
max_evaluations: 30
parameters:
  - key: funds.theta
    range: [0.05, 0.4]
targets:
  - stat: none.total_sales_bn.mean
    value: 600
  - stat: none.net_sales_10d_bn.p50
    value: 200
    band: [150, 250]
`

// TestCalibrateBadInputExitsTwo: a bad calibration file exits 2 naming the file and line,
// and writes nothing.
func TestCalibrateBadInputExitsTwo(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, tmp, name, body) }
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no config", nil, []string{"--config"}},
		{"unknown statistic", []string{"--config", write("a.yaml", strings.Replace(tinyCalibration, "total_sales_bn", "total_sale_bn", 1))}, []string{"a.yaml:11", "targets[0].stat", "total_sale_bn"}},
		{"qe statistic without qe", []string{"--config", write("b.yaml", strings.Replace(tinyCalibration, "none.net_sales", "qe.net_sales", 1))}, []string{"b.yaml:13", "targets[1].stat", "needs policy qe"}},
		{"inverted bounds", []string{"--config", write("c.yaml", strings.Replace(tinyCalibration, "[0.05, 0.4]", "[0.4, 0.05]", 1))}, []string{"c.yaml:9", "parameters[0].range"}},
		{"fewer targets than parameters", []string{"--config", write("d.yaml", strings.Replace(tinyCalibration, "    range: [0.05, 0.4]\n", "    range: [0.05, 0.4]\n  - key: market.lambda0\n    range: [0.01, 0.05]\n  - key: market.k0\n    range: [200, 500]\n", 1))}, []string{"d.yaml:15", "targets", "3 parameters"}},
		{"missing base", []string{"--config", write("e.yaml", "base: nowhere.yaml\n"+tinyCalibration)}, []string{"e.yaml:1", "base", "nowhere.yaml"}},
		{"paths beyond the limit", []string{"--config", write("g.yaml", strings.Replace(tinyCalibration, "paths: 400", "paths: 1000000000000", 1))}, []string{"g.yaml:4", "paths", "1000000000"}},
		{"data_paths beyond the limit", []string{"--config", write("h.yaml", strings.Replace(tinyCalibration, "seed: 3", "seed: 3\ndata_paths: 99999999999", 1))}, []string{"h.yaml:6", "data_paths", "from 1 to 1000000000"}},
		{"base relative to the calibration file", []string{"--config", write("i.yaml", "base: nowhere.yaml\n"+tinyCalibration)}, []string{"relative to the calibration file"}},
		{"target constant under the policies", []string{"--config", write("j.yaml", strings.Replace(tinyCalibration, "none.total_sales_bn.mean", "none.peak_cb_holdings_bn.p50", 1))}, []string{"j.yaml", "none.peak_cb_holdings_bn.p50 is 0 on every path"}},
		{"bad format", []string{"--config", write("f.yaml", tinyCalibration), "--format", "gif"}, []string{"gif"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkUsageError(t, "calibrate", filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-")), tc.args, tc.want)
		})
	}
}

// TestCalibrateCommand runs a tiny calibration end to end, reads its outputs with
// readers we did not write (encoding/csv, arrow-go's Parquet reader), runs the
// calibrated scenario, and refuses to overwrite the finished directory without --force.
func TestCalibrateCommand(t *testing.T) {
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "tiny.yaml")
	if err := os.WriteFile(cfg, []byte(tinyCalibration), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "fit")
	var stdout, stderr bytes.Buffer
	args := []string{"calibrate", "--config", cfg, "--out", out, "--workers", "2", "--format", "png,svg"}
	if code := mainErr(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, stderr.String())
	}
	for _, w := range []string{"calibrate tiny_fit", "evaluation 0 (search)"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("progress on stderr lacks %q: %s", w, stderr.String())
		}
	}
	for _, w := range []string{"funds.theta", "none.net_sales_10d_bn.p50", "objective"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("stdout lacks %q: %s", w, stdout.String())
		}
	}
	readCSV := func(name string) [][]string {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows
	}
	if fit := readCSV("fit.csv"); len(fit) != 2 || fit[0][0] != "parameter" || fit[1][0] != "funds.theta" {
		t.Errorf("fit.csv: %v", fit)
	}
	if tg := readCSV("targets.csv"); len(tg) != 3 || tg[2][0] != "none.net_sales_10d_bn.p50" || (tg[2][10] != "yes" && tg[2][10] != "no") {
		t.Errorf("targets.csv: %v", tg)
	}
	if pr := readCSV("profile.csv"); len(pr) < 5 {
		t.Errorf("profile.csv has %d rows", len(pr))
	}
	for _, f := range []string{"figures/targets.png", "figures/targets.svg", "figures/profile.png", "calibrated.yaml", "manifest.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// trace.parquet: one row per evaluation, the parameter, objective and each target,
	// provenance in the footer.
	pf, err := file.OpenParquetFile(filepath.Join(out, "trace.parquet"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	for _, k := range []string{"backstop.config", "backstop.seed", "backstop.version"} {
		if pf.MetaData().KeyValueMetadata().FindValue(k) == nil {
			t.Errorf("trace.parquet footer lacks %s", k)
		}
	}
	rd, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := rd.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var cols []string
	for _, f := range tbl.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	if want := "evaluation,phase,funds.theta,objective,none.total_sales_bn.mean,none.net_sales_10d_bn.p50"; strings.Join(cols, ",") != want {
		t.Errorf("trace.parquet columns %v, want %s", cols, want)
	}
	if tbl.NumRows() < 30 {
		t.Errorf("trace.parquet has %d rows; the budget alone is 30 evaluations", tbl.NumRows())
	}
	// calibrated.yaml is a scenario backstop run accepts, named apart from the calibration.
	if y, _ := os.ReadFile(filepath.Join(out, "calibrated.yaml")); !strings.Contains(string(y), "\nscenario: tiny_fit_estimated\n") {
		t.Errorf("calibrated.yaml does not name its scenario tiny_fit_estimated:\n%s", y)
	}
	stdout.Reset()
	stderr.Reset()
	if code := mainErr([]string{"run", "--config", filepath.Join(out, "calibrated.yaml"), "--paths", "200", "--no-figures", "--quiet", "--out", filepath.Join(tmp, "run")}, &stdout, &stderr); code != 0 {
		t.Fatalf("backstop run --config calibrated.yaml: exit %d; stderr: %s", code, stderr.String())
	}
	// A finished calibration is kept unless --force.
	before, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	stderr.Reset()
	if code := mainErr(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "--force") {
		t.Fatalf("second calibration into a finished directory: exit %d, stderr %q; want 1 and a hint at --force", code, stderr.String())
	}
	if after, _ := os.ReadFile(filepath.Join(out, "manifest.json")); !bytes.Equal(before, after) {
		t.Error("the refused calibration changed the finished manifest")
	}
	// Resuming a finished calibration is a usage error that says it is finished.
	stderr.Reset()
	if code := mainErr([]string{"calibrate", "--resume", out}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "finished; there is nothing to resume") {
		t.Fatalf("--resume of a finished calibration: exit %d, stderr %q; want 2 and that it is finished", code, stderr.String())
	}
	if after, _ := os.ReadFile(filepath.Join(out, "manifest.json")); !bytes.Equal(before, after) {
		t.Error("the refused resume changed the finished manifest")
	}
	if code := mainErr(append(args, "--force", "--quiet"), &stdout, &stderr); code != 0 {
		t.Fatalf("--force: exit %d; stderr: %s", code, stderr.String())
	}
	// --no-figures, as in run and explore: the same tables, no figures.
	tables := filepath.Join(tmp, "tables")
	if code := mainErr([]string{"calibrate", "--config", cfg, "--out", tables, "--workers", "2", "--no-figures", "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--no-figures: exit %d; stderr: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(tables, "figures")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("--no-figures left %s/figures (stat: %v)", tables, err)
	}
	a, errA := os.ReadFile(filepath.Join(out, "fit.csv"))
	b, errB := os.ReadFile(filepath.Join(tables, "fit.csv"))
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("fit.csv with --no-figures differs from the one with figures (%v, %v)", errA, errB)
	}
}
