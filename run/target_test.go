package run_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

// halfWidths returns the 95% CI half-width of metric's mean per policy in a summary.
func halfWidths(rows []results.SummaryRow, metric string) map[string]float64 {
	out := map[string]float64{}
	for _, r := range rows {
		if r.Metric == metric {
			out[r.Policy] = (r.Hi - r.Lo) / 2
		}
	}
	return out
}

// thousandsOf writes n with commas between groups of three digits, as summary.md does.
func thousandsOf(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestTargetPrecision checks that a run with a precision target stops at the first chunk
// boundary where every policy's half-width is at or below the target (one chunk fewer is
// not enough), that it is reproducible across worker counts and resume, and that its bands
// count every path drawn, saying so.
func TestTargetPrecision(t *testing.T) {
	const chunk = 500
	target := &run.Target{Metric: "peak_basis_bp", HalfWidth: 3}
	cfg := configs.Baseline()
	cfg.Paths = 50_000 // the most; the target stops the run well before
	// A band subset from the most paths would be every 5th path; with a precision target
	// the bands count every path drawn.
	cfg.Output.BandPaths = 10_000
	base := t.TempDir()
	var outs []*run.Outcome
	for _, w := range []int{1, 2} {
		o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(base, "w", string(rune('0'+w))), ChunkSize: chunk, Workers: w, Target: target})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, o)
	}
	if !reflect.DeepEqual(outs[0].Summary, outs[1].Summary) || outs[0].Manifest.Paths != outs[1].Manifest.Paths {
		t.Fatal("target-precision runs differ between 1 and 2 workers")
	}
	n := outs[0].Manifest.Paths
	if n >= int64(cfg.Paths) || n%chunk != 0 || outs[0].Manifest.TargetPrecision != "peak_basis_bp=3" {
		t.Fatalf("stopped after %d paths (manifest %+v)", n, outs[0].Manifest)
	}
	// The bands count every path drawn, and the manifest, the bands footer and summary.md
	// say why in words.
	b := outs[0].Manifest.Bands
	if b == nil || b.Stride != 1 || b.OfPaths != n || b.Paths != n || b.Note != results.NotePrecisionTarget {
		t.Fatalf("bands of a run stopped at %d paths: %+v; want every path, with the note %q", n, b, results.NotePrecisionTarget)
	}
	words := fmt.Sprintf("bands from all %s paths; a run with a precision target counts every path", thousandsOf(n))
	if b.Words() != words {
		t.Errorf("bands words %q, want %q", b.Words(), words)
	}
	bands, md, err := results.ReadBands(outs[0].Dir)
	if err != nil {
		t.Fatal(err)
	}
	if md[results.KeyBandStride] != "1" || md[results.KeyBandPaths] != fmt.Sprint(n) || md[results.KeyBandOfPaths] != fmt.Sprint(n) || md[results.KeyBandNote] != results.NotePrecisionTarget {
		t.Errorf("bands footer: stride %q, sample paths %q, of paths %q, note %q; want 1, %d, %d, %q",
			md[results.KeyBandStride], md[results.KeyBandPaths], md[results.KeyBandOfPaths], md[results.KeyBandNote], n, n, results.NotePrecisionTarget)
	}
	// The figures, redrawn from the files, name the paths drawn, not the most.
	if in, err := run.LoadInput(outs[0].Dir); err != nil || in.Paths != n || in.BandPaths != n {
		t.Fatalf("figures' input: %v; want %d paths drawn, bands from all of them", err, n)
	}
	// The same run interrupted and resumed counts the same paths in its bands.
	resumed := filepath.Join(base, "resumed")
	if _, err := run.Execute(run.CancelAfter(4), run.Options{Config: cfg, OutDir: resumed, ChunkSize: chunk, Workers: 2, Target: target}); !errors.Is(err, run.ErrInterrupted) {
		t.Fatalf("interrupted run: error %v, want an interruption", err)
	}
	if m, err := results.ReadManifest(resumed); err != nil || len(m.Index) == 0 || int64(len(m.Index))*chunk >= n {
		t.Fatalf("interrupted run's manifest: %v; want some of the chunks before the target's", err)
	}
	r, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: resumed, ChunkSize: chunk, Workers: 1, Target: target, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if rb, _, err := results.ReadBands(resumed); err != nil || !reflect.DeepEqual(rb, bands) || !reflect.DeepEqual(r.Manifest.Bands, b) {
		t.Fatalf("resumed run's bands differ (%v): manifest %+v, want %+v", err, r.Manifest.Bands, b)
	}
	for p, hw := range halfWidths(outs[0].Summary, target.Metric) {
		if hw > target.HalfWidth {
			t.Errorf("%s: half-width %.3f above the target %.3f", p, hw, target.HalfWidth)
		}
	}
	// The manifest and summary.md say the target was met, after how many paths of the most.
	if m := outs[0].Manifest; m.TargetReached == nil || !*m.TargetReached || m.MaxPaths != 50_000 {
		t.Errorf("manifest target_reached %v, max_paths %d; want true, 50000", m.TargetReached, m.MaxPaths)
	}
	report, err := os.ReadFile(filepath.Join(outs[0].Dir, results.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fmt.Sprintf("peak_basis_bp=3 (95%% CI half-width of the mean under every policy): met after %d paths, of at most 50000", n), words} {
		if !strings.Contains(string(report), want) {
			t.Errorf("summary.md does not say %q", want)
		}
	}
	// One chunk fewer, as a plain run, misses the target for some policy; as a run with
	// the target and that many at most, it says so.
	cfg.Paths = int(n) - chunk
	short, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(base, "short"), ChunkSize: chunk})
	if err != nil {
		t.Fatal(err)
	}
	capped, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(base, "capped"), ChunkSize: chunk, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	if m := capped.Manifest; m.TargetReached == nil || *m.TargetReached || m.Paths != int64(cfg.Paths) {
		t.Errorf("capped run: target_reached %v after %d paths; want false after %d", m.TargetReached, m.Paths, cfg.Paths)
	}
	missed := false
	for _, hw := range halfWidths(short.Summary, target.Metric) {
		missed = missed || hw > target.HalfWidth
	}
	if !missed {
		t.Fatalf("%d paths already met the target, yet the run went on to %d", cfg.Paths, n)
	}
}

// ParseTarget takes METRIC=HALFWIDTH for any metric and a positive half-width, and
// refuses anything else naming what is allowed.
func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want run.Target
		err  string
	}{
		{"peak_basis_bp=0.5", run.Target{Metric: "peak_basis_bp", HalfWidth: 0.5}, ""},
		{"stress_jump=1e-3", run.Target{Metric: "stress_jump", HalfWidth: 1e-3}, ""},
		{"peak_basis=1", run.Target{}, `target precision "peak_basis=1": unknown metric "peak_basis"; allowed are ` + strings.Join(sim.MetricNames(), ", ")},
		{"peak_basis_bp=-1", run.Target{}, "positive half-width"},
		{"peak_basis_bp", run.Target{}, "METRIC=HALFWIDTH"},
	} {
		got, err := run.ParseTarget(tc.arg)
		switch {
		case tc.err == "" && (err != nil || *got != tc.want):
			t.Errorf("ParseTarget(%q) = %v, %v; want %v", tc.arg, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseTarget(%q): error %v, want one saying %q", tc.arg, err, tc.err)
		}
	}
}
