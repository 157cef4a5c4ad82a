package plots

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/sim"
)

var update = flag.Bool("update", false, "rewrite examples/policy_styles.csv from the policy style table")

// TestExamplePolicyStyles keeps examples/policy_styles.csv, which the example scripts
// read, equal to the colors and labels of backstop's own figures, for every known policy.
// go test ./plots -run TestExamplePolicyStyles -update rewrites it.
func TestExamplePolicyStyles(t *testing.T) {
	for _, p := range sim.Policies() {
		if _, ok := specColor(p.Name); !ok || p.Label == "" {
			t.Errorf("policy %s: color %q is not #RRGGBB or its label is empty", p.Name, p.Color)
		}
	}
	path := filepath.Join("..", "examples", "policy_styles.csv")
	want := policyStylesCSV(sim.Policies())
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the figures' policy styles (go test ./plots -run TestExamplePolicyStyles -update rewrites it):\n%s\nwant:\n%s", path, got, want)
	}
}

// TestBandLine: the fan charts' titles say when their quantiles count a subset of the
// paths, and otherwise name the paths as every title does.
func TestBandLine(t *testing.T) {
	for _, tc := range []struct {
		paths, bandPaths int64
		want             string
	}{
		{50000, 0, "baseline, 50,000 paths"},
		{50000, 50000, "baseline, 50,000 paths"},
		{1_000_000, 200_000, "baseline, bands from 200,000 of 1,000,000 paths"},
		{100, 1, "baseline, bands from 1 of 100 paths"},
	} {
		if got := bandLine(&Input{Scenario: "baseline", Paths: tc.paths, BandPaths: tc.bandPaths}); got != tc.want {
			t.Errorf("bandLine(%d of %d paths) = %q, want %q", tc.bandPaths, tc.paths, got, tc.want)
		}
	}
}

// TestScenarioLinePathCount: titles say "1 path", not "1 paths", and group thousands.
func TestScenarioLinePathCount(t *testing.T) {
	for _, tc := range []struct {
		paths int64
		want  string
	}{
		{1, "baseline, 1 path"},
		{2, "baseline, 2 paths"},
		{10000, "baseline, 10,000 paths"},
	} {
		if got := scenarioLine(&Input{Scenario: "baseline", Paths: tc.paths}); got != tc.want {
			t.Errorf("scenarioLine(%d paths) = %q, want %q", tc.paths, got, tc.want)
		}
	}
}
