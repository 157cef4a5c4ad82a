package calibrate_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/configs"
)

const goodFile = `name: fit
overrides:
  policies: [none, qe]
paths: 500
seed: 1
parameters:
  - key: market.lambda0
    range: [0.005, 0.08]
  - key: funds.theta
    range: [0.03, 0.5]
targets:
  - stat: none.peak_basis_bp.mean
    value: 95
  - stat: none.total_sales_bn.mean
    value: 640
    weight: 0.001
  - stat: qe.net_sales_10d_bn.p50
    value: 150
    band: [100, 200]
`

func TestDecodeIssueExample(t *testing.T) {
	s, err := calibrate.Decode([]byte(goodFile), "fit.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Params) != 2 || len(s.Targets) != 3 || s.Paths != 500 || s.Seed != 1 || s.DataPaths != 1 {
		t.Fatalf("decoded %+v", s)
	}
	if w := s.Targets[2].Weight; w != 1.0/(50*50) {
		t.Errorf("band [100, 200] gives weight %v, want 1/50^2", w)
	}
	if w := s.Targets[0].Weight; w != 1.0/(95*95) {
		t.Errorf("default weight %v, want 1/95^2", w)
	}
	// The recorded form decodes to the same calibration.
	y, err := s.YAML()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := calibrate.Decode(y, "manifest.json")
	if err != nil {
		t.Fatalf("recorded calibration does not decode: %v\n%s", err, y)
	}
	y2, _ := s2.YAML()
	if string(y) != string(y2) {
		t.Errorf("recorded calibration changes on a round trip:\n%s\nvs\n%s", y, y2)
	}
}

// TestDecodeBadInput: every bad input is a configs.Error naming the file, the line and
// the key, with what is allowed.
func TestDecodeBadInput(t *testing.T) {
	tests := []struct {
		name, old, new string
		line           int
		key, msg       string
	}{
		{"unknown statistic", "none.peak_basis_bp.mean", "none.peak_bassis_bp.mean", 12, "targets[0].stat", "unknown per-path statistic"},
		{"unknown summary", "none.peak_basis_bp.mean", "none.peak_basis_bp.p999", 12, "targets[0].stat", "use mean or p1 to p99"},
		{"qe statistic without qe", "policies: [none, qe]", "policies: [none]", 17, "targets[2].stat", "needs policy qe"},
		{"purchases under none", "qe.net_sales_10d_bn.p50", "none.first_week_purchases_bn.p50", 17, "targets[2].stat", "defined only under qe"},
		{"inverted bounds", "[0.005, 0.08]", "[0.08, 0.005]", 8, "parameters[0].range", "lower bound must be below"},
		{"unknown parameter", "market.lambda0", "market.lambda9", 7, "parameters[0].key", "not a scenario parameter"},
		{"integer parameter", "funds.theta\n", "qe.lag\n", 9, "parameters[1].key", "continuous parameters"},
		{"range outside the scenario's", "[0.03, 0.5]", "[-0.5, 0.5]", 10, "parameters[1].range", "funds.theta = -0.5"},
		{"value outside its band", "value: 150", "value: 250", 18, "targets[2].value", "outside its band"},
		{"inverted band", "[100, 200]", "[200, 100]", 19, "targets[2].band", "lower end must be below"},
		{"weight and band", "    band: [100, 200]", "    weight: 1\n    band: [100, 200]", 20, "targets[2].band", "not both"},
		{"unknown key", "seed: 1", "seeds: 1", 5, "seeds", "unknown key"},
		{"bad budget", "seed: 1", "seed: 1\nmax_evaluations: 2", 6, "max_evaluations", "whole number from 10 to"},
		{"paths beyond the scenario's limit", "paths: 500", "paths: 1000000000000", 4, "paths", "from 1 to 1000000000"},
		{"data_paths beyond the limit", "seed: 1", "seed: 1\ndata_paths: 99999999999", 6, "data_paths", "whole number from 1 to 1000000000"},
		{"missing base", "overrides:", "base: nope.yaml\noverrides:", 2, "base", "relative to the calibration file"},
		{"override the scenario rejects", "policies: [none, qe]", "policies: [none, qe]\n  days: 0", 4, "overrides.days", "not allowed"},
		{"fewer targets than parameters", goodFile[strings.Index(goodFile, "  - stat: none.total"):], "", 14, "targets", "1 targets cannot identify 3 parameters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodFile, tc.old, tc.new, 1)
			if tc.name == "fewer targets than parameters" {
				src = strings.Replace(src, "parameters:\n", "parameters:\n  - key: funds.kappa_h\n    range: [0.001, 0.01]\n", 1)
			}
			_, err := calibrate.Decode([]byte(src), "fit.yaml")
			var ce *configs.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want a configs.Error, got %v\n%s", err, src)
			}
			if ce.Source != "fit.yaml" || ce.Line != tc.line || ce.Key != tc.key || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("got %q (line %d, key %q); want line %d, key %q, a message with %q", err, ce.Line, ce.Key, tc.line, tc.key, tc.msg)
			}
		})
	}
}

// TestShippedCalibrations decodes configs/calibrate_*.yaml: their bases resolve relative
// to the file and every target has a band from docs/calibration.md.
func TestShippedCalibrations(t *testing.T) {
	files, err := filepath.Glob("../configs/calibrate_*.yaml")
	if err != nil || len(files) != 3 {
		t.Fatalf("shipped calibrations: %v %v", files, err)
	}
	for _, f := range files {
		s, err := calibrate.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range s.Targets {
			if tg.Band == nil {
				t.Errorf("%s: %s has no band", f, tg.Stat.Name)
			}
		}
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
	}
}
