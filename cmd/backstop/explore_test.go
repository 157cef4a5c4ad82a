package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// The command refuses bad explore files with exit status 2 and a message naming the key,
// and a finished directory without --force.
func TestExploreCommand(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../configs/march2020.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("base: "+abs+"\nparameters: [{key: spv.discount, range: [5, 1]}]\n"), 0o644)
	var out, errb bytes.Buffer
	if code := mainErr([]string{"explore", "--config", bad}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "parameters[0].range") {
		t.Errorf("bad range: exit %d, %q", code, errb.String())
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("base: "+abs+"\ndesign: morris\nsamples: 3\npaths: 16\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n"), 0o644)
	outDir := filepath.Join(dir, "out")
	args := []string{"explore", "--config", good, "--out", outDir, "--quiet", "--no-figures"}
	if code := mainErr(append(args, "--keep-runs", "9"), &out, &errb); code != 2 {
		t.Errorf("--keep-runs beyond the 9 evaluations: exit %d, want 2", code)
	}
	if code := mainErr(append(args, "--keep-runs", "4"), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if m, err := results.ReadManifest(filepath.Join(outDir, "runs", "4")); err != nil || m.Status != results.StatusComplete {
		t.Errorf("kept run of evaluation 4: %+v, %v", m, err)
	}
	errb.Reset()
	if code := mainErr(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "--force") {
		t.Errorf("second run: exit %d, %q; want a refusal naming --force", code, errb.String())
	}
	if code := mainErr(append(args, "--force"), &out, &errb); code != 0 {
		t.Errorf("--force: exit %d", code)
	}
}
