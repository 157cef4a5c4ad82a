package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputExitsTwoAndWritesNothing runs the command on each class of bad input.
func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, tmp, name, body) }
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown key", []string{"--config", write("a.yaml", "funds:\n  leverage: 50\n")}, []string{"a.yaml", "funds.leverage", "unknown key"}},
		{"wrong type", []string{"--config", write("b.yaml", "market:\n  k0: lots\n")}, []string{"market.k0", `"lots"`, "number"}},
		{"negative volatility", []string{"--config", write("c.yaml", "shocks:\n  sigma_bar: -6\n")}, []string{"shocks.sigma_bar", "-6", "greater than 0"}},
		{"haircut of one", []string{"--config", write("d.yaml", "funds:\n  h0: 1.5\n")}, []string{"funds.h0", "1.5", "[0, 1)"}},
		{"trigger not a number", []string{"--config", write("e.yaml", "spv:\n  trigger: [1]\n")}, []string{"spv.trigger", "number"}},
		{"n_funds zero", []string{"--config", write("f.yaml", "funds:\n  n_funds: 0\n")}, []string{"funds.n_funds", "from 1 to"}},
		{"paths flag zero", []string{"--paths", "0"}, []string{"paths", "0", "from 1 to"}},
		{"paths flag not a number", []string{"--paths", "many"}, []string{"paths"}},
		{"unknown policy flag", []string{"--policies", "none,helicopter"}, []string{"helicopter", "spv"}},
		{"missing config file", []string{"--config", filepath.Join(tmp, "missing.yaml")}, []string{"missing.yaml"}},
		{"negative workers", []string{"--workers", "-1"}, []string{"--workers"}},
		{"stray argument", []string{"extra"}, []string{"no arguments"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkUsageError(t, "run", filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-")), tc.args, tc.want)
		})
	}
}

// checkUsageError runs `backstop command --out out args...` and checks that it exits with
// status 2, that stderr mentions every string of want, and that nothing was written at out.
func checkUsageError(t *testing.T, command, out string, args, want []string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := mainErr(append([]string{command, "--out", out}, args...), &stdout, &stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
	}
	for _, w := range want {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr %q does not mention %q", stderr.String(), w)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("bad input left %s behind", out)
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := mainErr([]string{"simulate"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "simulate") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestNoFiguresThenPlot runs without figures, which leaves the figures directory out and
// says how to draw them, and then draws them from the Parquet files with plot.
func TestNoFiguresThenPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	var stdout, stderr bytes.Buffer
	if code := mainErr([]string{"run", "--paths", "300", "--quiet", "--no-figures", "--out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "backstop plot "+dir) {
		t.Errorf("stdout does not say how to draw the figures:\n%s", stdout.String())
	}
	if pngs, _ := filepath.Glob(filepath.Join(dir, "figures", "*.png")); len(pngs) != 0 {
		t.Fatalf("--no-figures drew %d figures", len(pngs))
	}
	stdout.Reset()
	if code := mainErr([]string{"plot", "--format", "png", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, stderr.String())
	}
	if pngs, _ := filepath.Glob(filepath.Join(dir, "figures", "*.png")); len(pngs) < 8 {
		t.Fatalf("plot drew %d figures, want the full set of at least 8", len(pngs))
	}
}

// writeTestFile writes body to dir/name and returns its path, failing t if it cannot.
func writeTestFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
