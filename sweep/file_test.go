package sweep_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sweep"
)

// TestDecodeRejects checks that every class of bad sweep file is an error naming the
// file, the line and the key, and what is allowed.
func TestDecodeRejects(t *testing.T) {
	one := "parameters:\n  - key: funds.b0\n    values: [500, 1000]\n"
	tests := []struct {
		name string
		body string
		line int
		want []string
	}{
		{"unknown top key", "name: x\nsteps: 3\n" + one, 2, []string{"steps", "unknown key", "parameters"}},
		{"unknown parameter key", "parameters:\n  - key: funds.b0\n    vals: [1]\n", 3, []string{"parameters[0].vals", "unknown key", "values"}},
		{"unknown parameter path", "parameters:\n  - key: funds.leverage\n    values: [1]\n", 2, []string{"parameters[0].key", "funds.leverage", "not a scenario parameter", "funds.b0"}},
		{"unknown section", "parameters:\n  - key: fund.b0\n    values: [1]\n", 2, []string{"parameters[0].key", "fund.b0", "funds.*"}},
		{"not numeric", "parameters:\n  - key: scenario\n    values: [1]\n", 2, []string{"scenario", "not a numeric parameter"}},
		{"output setting swept", "parameters:\n  - key: output.band_paths\n    values: [0, 100, 1000]\n", 2, []string{"parameters[0].key", "output.band_paths", "output setting, not a model parameter", "overrides"}},
		{"output section swept", "parameters:\n  - key: output\n    values: [1]\n", 2, []string{"parameters[0].key", "output setting"}},
		{"paths swept", "parameters:\n  - key: paths\n    values: [1000, 2000]\n", 2, []string{"parameters[0].key", "paths and seed"}},
		{"empty grid", "parameters:\n  - key: funds.b0\n    values: []\n", 3, []string{"parameters[0].values", "[]", "at least one value"}},
		{"no grid", "parameters:\n  - key: funds.b0\n", 2, []string{"parameters[0].values", "missing"}},
		{"both grids", "parameters:\n  - key: funds.b0\n    values: [1]\n    start: 1\n", 3, []string{"either values or start"}},
		{"range without step", "parameters:\n  - key: funds.b0\n    start: 1\n    stop: 2\n", 2, []string{"parameters[0].step", "missing"}},
		{"zero step", "parameters:\n  - key: funds.b0\n    start: 1\n    stop: 2\n    step: 0\n", 5, []string{"parameters[0].step", "greater than 0"}},
		{"range rounding to duplicates", "parameters:\n  - key: funds.b0\n    start: 1000\n    stop: 1000.000000001\n    step: 0.0000000001\n", 5, []string{"parameters[0].step", "round", "same value", "larger step"}},
		{"two documents", one + "---\n" + one, 4, []string{"more than one YAML document"}},
		{"huge range", "parameters:\n  - key: funds.b0\n    start: 1\n    stop: 1e9\n    step: 1\n", 5, []string{"parameters[0].step", "at most 1000"}},
		{"value not a number", "parameters:\n  - key: funds.b0\n    values: [500, lots]\n", 3, []string{"parameters[0].values[1]", `"lots"`, "number"}},
		{"value out of range", "parameters:\n  - key: funds.b0\n    values:\n      - 500\n      - -5\n", 5, []string{"parameters[0].values[1]", "funds.b0", "-5", "greater than 0"}},
		{"range value out of range", "parameters:\n  - key: shocks.phi\n    start: 0.5\n    stop: 1\n    step: 0.25\n", 3, []string{"parameters[0]", "shocks.phi", "1 is not allowed", "[0, 1)"}},
		{"whole number key", "parameters:\n  - key: funds.n_funds\n    values: [5, 7.5]\n", 3, []string{"parameters[0].values[1]", "funds.n_funds", "whole number"}},
		{"value against another key", "parameters:\n  - key: funds.u_lo\n    values: [0.5, 1.5]\n", 3, []string{"parameters[0].values[1]", "funds.u_lo = 1.5", "funds.u_hi", "at least funds.u_lo"}},
		{"repeated value", "parameters:\n  - key: funds.b0\n    values: [500, 500]\n", 3, []string{"parameters[0].values[1]", "twice"}},
		{"same key twice", "parameters:\n  - key: funds.b0\n    values: [1]\n  - key: funds.b0\n    values: [2]\n", 4, []string{"parameters[1].key", "twice"}},
		{"three parameters", "parameters:\n  - {key: funds.b0, values: [1]}\n  - {key: funds.u_lo, values: [0]}\n  - {key: spv.discount, values: [1]}\n", 2, []string{"parameters", "one or two"}},
		{"no parameters", "name: x\n", 1, []string{"parameters", "missing"}},
		{"bad name", "name: a/b\n" + one, 1, []string{"name", "a/b"}},
		{"paths zero", "paths: 0\n" + one, 1, []string{"paths", "at least 1"}},
		{"unknown override", "overrides:\n  funds:\n    leverage: 50\n" + one, 3, []string{"overrides.funds.leverage", "unknown key", "b0"}},
		{"bad override", "overrides:\n  market:\n    k0: lots\n" + one, 3, []string{"overrides.market.k0", `"lots"`, "number"}},
		{"override out of range", "overrides:\n  shocks:\n    sigma_bar: -6\n" + one, 3, []string{"overrides.shocks.sigma_bar", "-6", "greater than 0"}},
		{"missing base", "base: nowhere.yaml\n" + one, 1, []string{"base", "nowhere.yaml"}},
		{"not a mapping", "- 1\n- 2\n", 1, []string{"mapping"}},
		{"empty file", "", 0, []string{"empty"}},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := sweep.Load(path)
			var ce *configs.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want a *configs.Error", err, err)
			}
			if ce.Line != tc.line || ce.Source != path {
				t.Errorf("error at %s:%d, want %s:%d (%v)", ce.Source, ce.Line, path, tc.line, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestBadBaseFileNamesIt checks that an error in the base scenario names that file.
func TestBadBaseFileNamesIt(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), []byte("funds:\n  b0: -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte("base: base.yaml\nparameters: [{key: spv.discount, values: [1]}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := sweep.Load(path)
	if err == nil || !strings.Contains(err.Error(), "base.yaml") || !strings.Contains(err.Error(), "funds.b0") {
		t.Fatalf("error %v, want one naming base.yaml and funds.b0", err)
	}
}

// TestGrid checks the grid: ranges include stop without binary noise, points are in
// row-major order (the last parameter fastest), every point has the plan's seed and paths.
func TestGrid(t *testing.T) {
	dir := t.TempDir()
	base := "scenario: small\nfunds:\n  b0: 800\n"
	if err := os.WriteFile(filepath.Join(dir, "small.yaml"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	body := `name: grid
base: small.yaml
overrides:
  policies: [none, spv]
  market:
    k0: 350
paths: 1234
seed: 99
parameters:
  - key: market.lambda0
    start: 0.01
    stop: 0.03
    step: 0.01
  - key: spv.discount
    values: [5, 0]
`
	path := filepath.Join(dir, "grid.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := sweep.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0.01, 0.02, 0.03}; !reflect.DeepEqual(p.Params[0].Values, want) {
		t.Fatalf("range gave %v, want %v", p.Params[0].Values, want)
	}
	if p.Params[0].About == "" {
		t.Error("market.lambda0 has no description from baseline.yaml")
	}
	pts, err := p.Points()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 6 || p.Size() != 6 {
		t.Fatalf("%d points, want 6", len(pts))
	}
	want := [][2]float64{{0.01, 5}, {0.01, 0}, {0.02, 5}, {0.02, 0}, {0.03, 5}, {0.03, 0}}
	for i, pt := range pts {
		c := pt.Config
		if pt.Index != i || pt.Values[0] != want[i][0] || pt.Values[1] != want[i][1] ||
			c.Market.Lambda0 != want[i][0] || c.SPV.Discount != want[i][1] {
			t.Errorf("point %d: %v, lambda0 %v, discount %v; want %v", i, pt.Values, c.Market.Lambda0, c.SPV.Discount, want[i])
		}
		if c.Seed != 99 || c.Paths != 1234 || c.Funds.B0 != 800 || c.Market.K0 != 350 || !reflect.DeepEqual(c.Policies, []string{"none", "spv"}) {
			t.Errorf("point %d does not carry the base, overrides, paths and seed: %+v", i, c)
		}
		// The point's run is titled by the sweep and its values (its summary.md says so).
		values := fmt.Sprintf("market.lambda0=%g, spv.discount=%g", want[i][0], want[i][1])
		if c.Scenario != fmt.Sprintf("%s-p%d", p.Name, i) || !strings.Contains(c.Description, values) || !strings.Contains(c.Description, "base scenario small") {
			t.Errorf("point %d is titled %q, %q; want %s-p%d and %q", i, c.Scenario, c.Description, p.Name, i, values)
		}
	}
}

// TestYAMLReproducesPlan checks that the resolved sweep file recorded in the outputs
// decodes, on its own, to the same grid points.
func TestYAMLReproducesPlan(t *testing.T) {
	p, err := sweep.Decode([]byte("overrides: {funds: {u_hi: 0.8}}\nparameters:\n  - {key: funds.u_lo, start: 0, stop: 0.8, step: 0.2}\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Paths = 777
	y, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	q, err := sweep.Decode(y, "resolved.yaml")
	if err != nil {
		t.Fatalf("resolved sweep does not decode: %v\n%s", err, y)
	}
	a, _ := p.Points()
	b, _ := q.Points()
	if !reflect.DeepEqual(a, b) || q.Name != "s" {
		t.Fatalf("resolved sweep gives other points:\n%s", y)
	}
}
