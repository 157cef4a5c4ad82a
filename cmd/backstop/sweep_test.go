package main

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// TestSweepBadInputExitsTwo checks that a bad sweep file or flag exits with status 2, an
// error naming the key, and nothing written.
func TestSweepBadInputExitsTwo(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, tmp, name, body) }
	good := write("good.yaml", "paths: 100\nparameters: [{key: spv.discount, values: [0, 5]}]\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no config", nil, []string{"--config"}},
		{"unknown key", []string{"--config", write("a.yaml", "grid: 1\nparameters: [{key: funds.b0, values: [1]}]\n")}, []string{"a.yaml:1", "grid", "unknown key"}},
		{"unknown parameter", []string{"--config", write("b.yaml", "parameters: [{key: funds.leverage, values: [1]}]\n")}, []string{"b.yaml:1", "parameters[0].key", "funds.leverage"}},
		{"empty grid", []string{"--config", write("c.yaml", "parameters:\n  - key: funds.b0\n    values: []\n")}, []string{"c.yaml:3", "parameters[0].values", "at least one value"}},
		{"value out of range", []string{"--config", write("d.yaml", "parameters:\n  - key: spv.equity\n    values: [0.1, 1.5]\n")}, []string{"d.yaml:3", "parameters[0].values[1]", "spv.equity", "1.5", "[0, 1)"}},
		{"missing file", []string{"--config", filepath.Join(tmp, "missing.yaml")}, []string{"missing.yaml"}},
		{"paths zero", []string{"--config", good, "--paths", "0"}, []string{"--paths"}},
		{"bad format", []string{"--config", good, "--format", "gif"}, []string{"gif", "png"}},
		{"stray argument", []string{"--config", good, "extra"}, []string{"no arguments"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkUsageError(t, "sweep", filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-")), tc.args, tc.want)
		})
	}
}

// TestSweepCommand runs a small sweep end to end and redraws its figures.
func TestSweepCommand(t *testing.T) {
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "tiny.yaml")
	if err := os.WriteFile(cfg, []byte("name: tiny\nparameters:\n  - {key: spv.capacity, values: [100, 500]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "tiny")
	var stdout, stderr bytes.Buffer
	if code := mainErr([]string{"sweep", "--config", cfg, "--out", out, "--paths", "300", "--workers", "2", "--format", "png", "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("--quiet, yet stderr: %s", stderr.String())
	}
	rows := fmt.Sprintf("sweep.parquet (%d rows)", 2*3*len(results.SummaryMetrics)) // points x policies x metrics
	for _, w := range []string{"spv.capacity", "spv peak_basis_bp", rows, "1 figures"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("stdout does not mention %q:\n%s", w, stdout.String())
		}
	}
	if err := os.Remove(filepath.Join(out, "figures", "sweep_lines.png")); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := mainErr([]string{"sweep", "--plot", out, "--format", "png", "--width", "NaN"}, &stdout, &stderr); code != 2 {
		t.Fatalf("--plot --width NaN: exit %d, want 2; stderr: %s", code, stderr.String())
	}
	if code := mainErr([]string{"sweep", "--plot", out, "--format", "png", "--width", "5", "--height", "3"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--plot: exit %d; stderr: %s", code, stderr.String())
	}
	f, err := os.Open(filepath.Join(out, "figures", "sweep_lines.png"))
	if err != nil {
		t.Fatalf("--plot did not redraw: %v", err)
	}
	defer f.Close()
	img, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if r := float64(img.Width) / float64(img.Height); math.Abs(r-5.0/3) > 0.01 {
		t.Errorf("--width 5 --height 3 drew a %dx%d figure, aspect %.3f, want %.3f", img.Width, img.Height, r, 5.0/3)
	}
}
