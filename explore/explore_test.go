package explore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// plan decodes an explore file written in a temporary directory; base paths are
// relative to the repository's configs.
func plan(t testing.TB, body string) *Plan {
	t.Helper()
	abs, err := filepath.Abs("../configs/march2020.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.yaml")
	if err := os.WriteFile(path, []byte("base: "+abs+"\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const smallSobol = `
name: small
overrides:
  policies: [none, qe, spv]
design: sobol
samples: 8
paths: 64
seed: 3
parameters:
  - key: funds.theta
    range: [0.05, 0.3]
  - key: spv.discount
    range: [0, 20]
  - key: qe.lag
    values: [0, 2, 4, 8]
discover:
  condition: spv.peak_basis_bp > qe.peak_basis_bp
`

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	head := strings.Split(lines[0], ",")
	var out []map[string]string
	for _, l := range lines[1:] {
		row := map[string]string{}
		for i, v := range strings.Split(l, ",") {
			row[head[i]] = v
		}
		out = append(out, row)
	}
	return out
}

// A parameter that cannot act on a policy has indices exactly 0 for it, intervals
// included: spv.* for none and qe, qe.* for none and spv.
func TestInertParameterHasZeroIndex(t *testing.T) {
	p := plan(t, smallSobol)
	dir := t.TempDir()
	if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, SensitivityCSV))
	inert := map[string][]string{"spv.discount": {"none", "qe"}, "qe.lag": {"none", "spv"}}
	checked := 0
	for _, r := range rows {
		for _, pol := range inert[r["parameter"]] {
			if r["policy"] != pol || r["versus"] != "" {
				continue
			}
			checked++
			for _, c := range []string{"S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi"} {
				if r[c] != "0" {
					t.Errorf("%s %s %s: %s = %s, want exactly 0", pol, r["metric"], r["parameter"], c, r[c])
				}
			}
		}
	}
	if checked != 4*len(results.SummaryMetrics) {
		t.Errorf("checked %d rows, want %d", checked, 4*len(results.SummaryMetrics))
	}
	// The SPV's own discount moves its peak basis.
	for _, r := range rows {
		if r["policy"] == "spv" && r["versus"] == "" && r["metric"] == "peak_basis_bp" && r["parameter"] == "spv.discount" && r["ST"] == "0" {
			t.Error("spv.discount has no effect on the spv's peak basis")
		}
	}
}

// Same file and seed give the same bytes, whatever the workers (evaluations one at a
// time; two, five or a chunk's 16 at once, with one or two sampler workers each); an
// interrupted exploration resumed gives the bytes of an uninterrupted one.
func TestReproducibleAndResumable(t *testing.T) {
	p := plan(t, smallSobol)
	ref := t.TempDir()
	if _, err := Run(context.Background(), p, Options{OutDir: ref, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{2, 5, 33} {
		again := t.TempDir()
		if _, err := Run(context.Background(), p, Options{OutDir: again, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		compare(t, ref, again)
	}

	cut := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, p, Options{OutDir: cut, Workers: 2, Log: cancelAfter{"16/40", cancel}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	m, err := ReadManifest(cut)
	if err != nil || m.Status != results.StatusIncomplete {
		t.Fatalf("interrupted manifest %+v, %v; want incomplete", m, err)
	}
	if _, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 2}); err == nil {
		t.Error("a second run into an incomplete directory was not refused")
	}
	if _, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1, Resume: true}); err != nil {
		t.Fatal(err)
	}
	compare(t, ref, cut)
	if _, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1, Resume: true}); err == nil {
		t.Error("resuming a complete exploration was not refused")
	}
	if _, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1}); err == nil {
		t.Error("overwriting a complete exploration without Force was not refused")
	}
	if _, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1, Force: true}); err != nil {
		t.Fatal(err)
	}
	compare(t, ref, cut)
}

type cancelAfter struct {
	marker string
	cancel func()
}

func (c cancelAfter) Write(b []byte) (int, error) {
	if bytes.Contains(b, []byte(c.marker)) {
		c.cancel()
	}
	return len(b), nil
}

// compare checks the tables and every evaluation chunk are byte for byte the same.
func compare(t *testing.T, a, b string) {
	t.Helper()
	files := []string{SensitivityCSV, BoxesFile}
	chunks, _ := filepath.Glob(filepath.Join(a, EvaluationsDir, "*.json"))
	if len(chunks) == 0 {
		t.Fatal("no evaluation chunks")
	}
	for _, c := range chunks {
		files = append(files, filepath.Join(EvaluationsDir, filepath.Base(c)))
	}
	for _, f := range files {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs (%v, %v)", f, err1, err2)
		}
	}
}

// Parameter sets the scenario rejects are recorded with their reason and drop their
// Saltelli block, counted in blocks_dropped; no NaN reaches the indices.
func TestFailedEvaluationsDropTheirBlock(t *testing.T) {
	p := plan(t, `
overrides:
  policies: [none, qe]
design: sobol
samples: 8
paths: 32
parameters:
  - key: funds.u_lo
    range: [0.1, 0.9]
  - key: funds.u_hi
    range: [0.3, 1.0]
`)
	dir := t.TempDir()
	o, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	failedBlocks := map[int]bool{}
	for _, e := range o.Evaluations {
		if e.Status == StatusFailed {
			failedBlocks[e.Index/4] = true
			if !strings.Contains(e.Reason, "funds.u_hi") {
				t.Errorf("evaluation %d: reason %q does not name the key", e.Index, e.Reason)
			}
		}
	}
	if len(failedBlocks) == 0 {
		t.Fatal("no evaluation failed; the test needs u_lo > u_hi somewhere")
	}
	if o.Manifest.Failed == 0 {
		t.Error("manifest counts no failures")
	}
	for _, r := range readCSV(t, filepath.Join(dir, SensitivityCSV)) {
		if r["blocks_dropped"] != strconv.Itoa(len(failedBlocks)) || r["blocks"] != strconv.Itoa(8-len(failedBlocks)) {
			t.Errorf("%v: want %d blocks dropped", r, len(failedBlocks))
		}
		for k, v := range r {
			if strings.Contains(strings.ToLower(v), "nan") || strings.Contains(v, "Inf") {
				t.Errorf("%s = %s", k, v)
			}
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	abs, _ := filepath.Abs("../configs/march2020.yaml")
	for _, tc := range []struct{ body, want string }{
		{"parameters: [{key: spv.discount, range: [20, 0]}]", "parameters[0].range"},
		{"parameters: [{key: spv.nope, range: [0, 1]}]", "parameters[0].key"},
		{"parameters: [{key: spv.discount, range: [0, 1], values: [1, 2]}]", "parameters[0]"},
		{"design: grid\nparameters: [{key: spv.discount, range: [0, 1]}]", "design"},
		{"parameters: [{key: spv.discount, range: [0, 1], scale: log}]", "parameters[0].scale"},
		{"parameters: [{key: spv.capacity, range: [-5, 10]}]", "parameters[0]"},
		{"discover: spv.peak_basis_bp > x.peak_basis_bp\nparameters: [{key: spv.discount, range: [0, 1]}]", "discover"},
		{"paths: 1\nparameters: [{key: spv.discount, range: [0, 1]}]", "paths"},
		{"parameters: [{key: output.band_paths, range: [0, 1000]}]", "parameters[0].key: output.band_paths is not allowed; it is an output setting, not a model parameter"},
	} {
		path := filepath.Join(t.TempDir(), "x.yaml")
		os.WriteFile(path, []byte("base: "+abs+"\n"+tc.body), 0o644)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one naming %s", tc.body, err, tc.want)
		}
	}
}

// Each design writes its own columns of sensitivity.csv, and morris ranks an inert
// parameter last (mu* exactly 0 for the policy it cannot act on).
func TestDesignsWriteTheirColumns(t *testing.T) {
	for _, tc := range []struct {
		design string
		cols   []string
	}{
		{"morris", []string{"policy", "versus", "metric", "parameter", "mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma", "sigma_lo", "sigma_hi", "trajectories", "trajectories_dropped"}},
		{"lhs", []string{"policy", "versus", "metric", "mean", "sd", "min", "p05", "p50", "p95", "max", "samples", "samples_failed"}},
	} {
		t.Run(tc.design, func(t *testing.T) {
			p := plan(t, "overrides: {policies: [none, spv]}\ndesign: "+tc.design+"\nsamples: 6\npaths: 32\nparameters:\n  - {key: funds.theta, range: [0.05, 0.3]}\n  - {key: spv.discount, range: [0, 20]}\n")
			dir := t.TempDir()
			if _, err := Run(context.Background(), p, Options{OutDir: dir}); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, SensitivityCSV))
			if err != nil {
				t.Fatal(err)
			}
			if head := strings.SplitN(string(data), "\n", 2)[0]; head != strings.Join(tc.cols, ",") {
				t.Errorf("header %s, want %s", head, strings.Join(tc.cols, ","))
			}
			if tc.design != "morris" {
				return
			}
			for _, r := range readCSV(t, filepath.Join(dir, SensitivityCSV)) {
				if r["policy"] == "none" && r["parameter"] == "spv.discount" && (r["mu_star"] != "0" || r["mu_star_hi"] != "0") {
					t.Errorf("none %s: mu* %s [%s, %s], want exactly 0", r["metric"], r["mu_star"], r["mu_star_lo"], r["mu_star_hi"])
				}
			}
		})
	}
}
