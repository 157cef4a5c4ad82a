package plots

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/backstop-research/backstop/sim"
)

var update = flag.Bool("update", false, "rewrite examples/policy_styles.csv from the policy style table")

// TestExamplePolicyStyles keeps examples/policy_styles.csv, which the example scripts
// read, equal to the colors and labels of backstop's own figures, for every known policy.
// go test ./plots -run TestExamplePolicyStyles -update rewrites it.
func TestExamplePolicyStyles(t *testing.T) {
	if len(knownPolicies) != len(policyColors) || len(knownPolicies) != len(policyLabels) {
		t.Fatalf("%d known policies, %d colors, %d labels", len(knownPolicies), len(policyColors), len(policyLabels))
	}
	for _, p := range sim.PolicyNames() {
		if !slices.Contains(knownPolicies, p) {
			t.Errorf("policy %s of the model has no fixed color and label", p)
		}
	}
	for _, p := range knownPolicies {
		if _, ok := policyColors[p]; !ok {
			t.Errorf("policy %s has no color", p)
		}
		if _, ok := policyLabels[p]; !ok {
			t.Errorf("policy %s has no label", p)
		}
	}
	path := filepath.Join("..", "examples", "policy_styles.csv")
	want := policyStylesCSV()
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
