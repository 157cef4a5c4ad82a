package configs_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"go.yaml.in/yaml/v3"
)

func TestBaselineIsValidAndComplete(t *testing.T) {
	cfg := configs.Baseline()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	// Every field must be set by baseline.yaml: it is the single source of defaults. A key
	// may be present with the value 0 (qe.lag, market.b_init), so look for the key itself.
	var doc map[string]any
	if err := yaml.Unmarshal(configs.BaselineYAML(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(typ reflect.Type, set map[string]any, path string)
	walk = func(typ reflect.Type, set map[string]any, path string) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			key := f.Tag.Get("yaml")
			v, ok := set[key]
			if !ok {
				t.Errorf("baseline.yaml does not set %s%s", path, key)
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				sub, _ := v.(map[string]any)
				walk(f.Type, sub, path+key+".")
			}
		}
	}
	walk(reflect.TypeOf(cfg), doc, "")
}

func TestDecodeOverridesOnlyWhatItNames(t *testing.T) {
	cfg, err := configs.Decode([]byte("scenario: small\nfunds:\n  b0: 550\n"), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := configs.Baseline()
	if cfg.Funds.B0 != 550 || cfg.Scenario != "small" || cfg.Funds.NFunds != base.Funds.NFunds || cfg.SPV != base.SPV {
		t.Fatalf("decode over baseline went wrong: %+v", cfg)
	}
}

// TestDecodeRecorded checks that a recorded config means what the version that wrote it
// did: without an output: block (before output.band_paths), bands from every path; with
// one, its value; while a scenario file without one gets the baseline's subset.
func TestDecodeRecorded(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Output.BandPaths = 5000
	full, err := configs.Marshal(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(full), "\noutput:\n")
	if i < 0 {
		t.Fatalf("no output: block in\n%s", full)
	}
	legacy := full[:i+1]
	for _, c := range []struct {
		name     string
		data     []byte
		recorded bool
		want     int
	}{
		{"recorded with output.band_paths", full, true, 5000},
		{"recorded before output.band_paths", legacy, true, 0},
		{"scenario file without output:", legacy, false, configs.Baseline().Output.BandPaths},
	} {
		decode := configs.Decode
		if c.recorded {
			decode = configs.DecodeRecorded
		}
		got, err := decode(c.data, c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Output.BandPaths != c.want {
			t.Errorf("%s: band_paths %d, want %d", c.name, got.Output.BandPaths, c.want)
		}
		got.Output = cfg.Output
		if !reflect.DeepEqual(got, cfg) {
			t.Errorf("%s: decoded another model:\n%+v", c.name, got)
		}
	}
	if c := configs.Baseline(); c.Output.BandPaths == 0 {
		t.Fatal("the baseline counts every path: the case above tests nothing")
	}
}

func TestMarshalRoundTrips(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Funds.B0 = 123.25
	y, err := configs.Marshal(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := configs.Decode(y, "roundtrip")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Fatalf("round trip changed the config:\n%+v\n%+v", cfg, back)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown top key", "pathz: 10\n", []string{"pathz", "unknown key", "allowed here", "paths"}},
		{"unknown nested key", "funds:\n  b00: 1\n", []string{"funds.b00", "unknown key", "b0"}},
		{"wrong type number", "shocks:\n  sigma_bar: high\n", []string{"shocks.sigma_bar", `"high"`, "expected a number"}},
		{"wrong type int", "days: 6.5\n", []string{"days", `"6.5"`, "whole number"}},
		{"trigger not a number", "spv:\n  trigger: never\n", []string{"spv.trigger", `"never"`, "number"}},
		{"band paths negative", "output:\n  band_paths: -1\n", []string{"output.band_paths", "-1 is not allowed", "0 (bands from every path)", "1 to 1000000000"}},
		{"band paths a word", "output:\n  band_paths: all\n", []string{"output.band_paths", `"all"`, "whole number"}},
		{"band paths a fraction", "output:\n  band_paths: 0.2\n", []string{"output.band_paths", `"0.2"`, "whole number"}},
		{"band paths too many", "output:\n  band_paths: 2000000000\n", []string{"output.band_paths", "not allowed", "1 to 1000000000"}},
		{"unknown output key", "output:\n  bands: 5\n", []string{"output.bands", "unknown key", "band_paths"}},
		{"trigger nan", "qe:\n  trigger: .nan\n", []string{"qe.trigger", "finite number"}},
		{"negative volatility", "shocks:\n  sigma_bar: -1\n", []string{"shocks.sigma_bar", "-1", "greater than 0"}},
		{"haircut of one", "funds:\n  h0: 1\n", []string{"funds.h0", "1", "[0, 1)"}},
		{"n_funds zero", "funds:\n  n_funds: 0\n", []string{"funds.n_funds", "0", "from 1 to"}},
		{"paths zero", "paths: 0\n", []string{"paths", "0", "from 1 to"}},
		{"days beyond bound", "days: 100000\n", []string{"days", "100000", "from 1 to 2520"}},
		{"paths near 2^63", "paths: 9223372036854775000\n", []string{"paths", "from 1 to"}},
		{"stress jump overflows", "shocks:\n  mu_j: 710\n", []string{"shocks.mu_j", "710", "[-10, 10]"}},
		{"position of 1e308", "funds:\n  b0: 1e308\n", []string{"funds.b0", "at most"}},
		{"octal-looking days", "days: 010\n", []string{"010", "leading zero"}},
		{"hex seed", "seed: 0x10\n", []string{"0x10", "decimal"}},
		{"two documents", "days: 10\n---\ndays: 20\n", []string{"more than one YAML document"}},
		{"negative seed", "seed: -3\n", []string{"seed", `"-3"`, "whole number"}},
		{"unknown policy", "policies: [none, tarp]\n", []string{"policies[1]", "tarp", "qe"}},
		{"policy twice", "policies: [spv, spv]\n", []string{"policies[1]", "once"}},
		{"policies not a list", "policies: spv\n", []string{"policies", "list"}},
		{"section not a mapping", "funds: 3\n", []string{"funds", "mapping"}},
		{"key twice", "days: 3\ndays: 4\n", []string{"days"}},
		{"bad yaml", "funds: [\n", []string{"not valid YAML"}},
		{"u_hi below u_lo", "funds:\n  u_lo: 0.5\n  u_hi: 0.1\n", []string{"funds.u_hi", "u_lo"}},
		{"bad scenario name", "scenario: ../evil\n", []string{"scenario", "letters"}},
		{"empty value", "shocks:\n  phi:\n", []string{"shocks.phi", "empty value"}},
		{"qe lag negative", "qe:\n  lag: -1\n", []string{"qe.lag", "-1", "at least 0"}},
		{"qe lag fractional", "qe:\n  lag: 1.5\n", []string{"qe.lag", `"1.5"`, "whole number"}},
		{"announce_theta above one", "spv:\n  announce_theta: 1.5\n", []string{"spv.announce_theta", "1.5", "[0, 1]"}},
		{"srf haircut cap of one", "srf:\n  haircut_cap: 1\n", []string{"srf.haircut_cap", "1", "[0, 1)"}},
		{"slr relief negative", "slr:\n  k0_relief: -50\n", []string{"slr.k0_relief", "-50", "0 or more"}},
		{"cap roll zero", "cap:\n  roll: 0\n", []string{"cap.roll", "0", "at least 1"}},
		{"cap penalty negative", "cap:\n  penalty: -5\n", []string{"cap.penalty", "-5", "0 or more"}},
		{"unknown cap key", "cap:\n  levl: 20\n", []string{"cap.levl", "unknown key", "level"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configs.Decode([]byte(tc.yaml), "bad.yaml")
			if err == nil {
				t.Fatalf("accepted %q", tc.yaml)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "bad.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestLoadNamesMissingFile(t *testing.T) {
	_, err := configs.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("error %v does not name the missing file", err)
	}
}

func TestShippedScenariosDecode(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	if len(files) == 0 {
		t.Fatal("no scenario files found")
	}
	for _, f := range files {
		if strings.HasPrefix(f, "sweep_") || strings.HasPrefix(f, "explore_") || strings.HasPrefix(f, "calibrate_") { // decoded by packages sweep, explore and calibrate's tests
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := configs.Decode(data, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestLoadBoundsSize checks that an endless file (/dev/zero) is refused after a bounded
// read, naming it.
func TestLoadBoundsSize(t *testing.T) {
	_, err := configs.Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero") || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("error %v: want it to name /dev/zero and its size", err)
	}
}

// TestLoadNamesScenarioAfterFile checks that a file without scenario: is named after the
// file, and one with it keeps its own name.
func TestLoadNamesScenarioAfterFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ file, body, want string }{
		{"my_stress.yaml", "funds:\n  n_funds: 4\n", "my_stress"},
		{"odd name!.yml", "{}\n", "odd_name_"},
		{"named.yaml", "scenario: other\n", "other"},
		{"base.yaml", "scenario: baseline\n", "baseline"},
	}
	for _, tc := range tests {
		p := filepath.Join(dir, tc.file)
		if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := configs.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if cfg.Scenario != tc.want {
			t.Errorf("%s: scenario %q, want %q", tc.file, cfg.Scenario, tc.want)
		}
	}
}

// TestLoadRefusesEmptyFile: an empty file, or one of only comments, is refused naming it
// (it is more likely a mistake than a request for the baseline, which {} asks for).
func TestLoadRefusesEmptyFile(t *testing.T) {
	dir := t.TempDir()
	for _, body := range []string{"", "\n\n", "# nothing yet\n"} {
		p := filepath.Join(dir, "e.yaml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := configs.Load(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "empty") {
			t.Errorf("body %q: error %v, want one naming %s as empty", body, err, p)
		}
	}
}
