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
