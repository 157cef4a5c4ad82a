package calibrate_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/moments"
	"github.com/backstop-research/backstop/run"
)

// recoveryTargets are the statistics the recovery test fits: two means and two medians,
// of metrics and of scenario statistics.
var recoveryTargets = []string{"none.total_sales_bn.mean", "none.peak_basis_bp.mean", "none.net_sales_10d_bn.p50", "none.fund_loss_21d_pct.mean"}

// recoverySpec writes a calibration of funds.theta and market.lambda0 on the baseline
// (policy none) to targets computed by backstop at theta0, lambda0 from dataPaths paths
// of seed 7, and decodes it.
func recoverySpec(t *testing.T, dataPaths, paths, budget int) (*calibrate.Spec, []float64) {
	t.Helper()
	truth := []float64{0.15, 0.02}
	cfg := configs.Baseline()
	cfg.Policies = []string{"none"}
	cfg.Funds.Theta, cfg.Market.Lambda0 = truth[0], truth[1]
	var list []moments.Stat
	for _, n := range recoveryTargets {
		s, err := moments.Parse(n)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, s)
	}
	data, err := moments.Evaluate(context.Background(), cfg, list, dataPaths, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name: recovery\noverrides:\n  policies: [none]\npaths: %d\ndata_paths: %d\nseed: 1\nmax_evaluations: %d\n", paths, dataPaths, budget)
	b.WriteString("parameters:\n  - key: funds.theta\n    range: [0.05, 0.4]\n  - key: market.lambda0\n    range: [0.005, 0.05]\ntargets:\n")
	for k, n := range recoveryTargets {
		fmt.Fprintf(&b, "  - stat: %s\n    value: %v\n", n, data.Estimate(k, 0.95).Estimate)
	}
	spec, err := calibrate.Decode([]byte(b.String()), "recovery.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec, truth
}

// TestRecovery: targets computed by backstop at known parameters, from 1,000 paths of
// one seed, are fitted on 2,000 paths of another (S = 2). Each estimate must lie within
// z = 3.29 standard errors of the truth (two-sided 99.9%, two checks), and the standard
// errors must be small enough for that to say something (under a tenth of the range).
func TestRecovery(t *testing.T) {
	spec, truth := recoverySpec(t, 1000, 2000, 130)
	fit, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Converged {
		t.Errorf("the search did not converge within %d evaluations", spec.MaxEvaluations)
	}
	for i, p := range spec.Params {
		est, se := fit.Estimate[i], fit.SE[i]
		t.Logf("%s: estimate %.5g, std error %.3g, truth %.5g", p.Key, est, se, truth[i])
		if !(se > 0) || se > (p.Hi-p.Lo)/10 {
			t.Errorf("%s: std error %v; want positive and under a tenth of the range", p.Key, se)
		}
		if math.Abs(est-truth[i]) > 3.29*se {
			t.Errorf("%s: estimate %.5g is %.2f standard errors from the truth %.5g", p.Key, est, math.Abs(est-truth[i])/se, truth[i])
		}
	}
}

// cancelAfter cancels a context at its n-th progress line.
type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return len(p), nil
}

// TestResume: a calibration interrupted midway and resumed gives the fit of an
// uninterrupted one, bit for bit, without simulating the logged evaluations again; a
// finished directory is refused without Force.
func TestResume(t *testing.T) {
	spec, _ := recoverySpec(t, 500, 1000, 30)
	whole, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = calibrate.Run(ctx, spec, calibrate.Options{OutDir: dir, Progress: &cancelAfter{n: 3, cancel: cancel}})
	if !errors.Is(err, run.ErrInterrupted) {
		t.Fatalf("interrupted calibration returned %v; want run.ErrInterrupted", err)
	}
	if want := "finish it with backstop calibrate --resume " + dir; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("interruption message %q; want it to end with %q", err, want)
	}
	m, err := calibrate.ReadManifest(dir)
	if err != nil || m.Status != "incomplete" {
		t.Fatalf("manifest after the interruption: %+v, %v", m, err)
	}
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("an unfinished directory without Resume: %v; want a refusal naming --resume", err)
	}
	logged, err := os.ReadFile(filepath.Join(dir, calibrate.EvaluationsFile))
	if err != nil || len(logged) == 0 {
		t.Fatalf("no evaluations logged before the interruption: %v", err)
	}
	resumed, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir, Resume: true, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	for i := range whole.Estimate {
		if whole.Estimate[i] != resumed.Estimate[i] || whole.SE[i] != resumed.SE[i] {
			t.Errorf("parameter %d: resumed %v (se %v), uninterrupted %v (se %v)", i, resumed.Estimate[i], resumed.SE[i], whole.Estimate[i], whole.SE[i])
		}
	}
	if len(whole.Trace) != len(resumed.Trace) {
		t.Errorf("resumed trace has %d evaluations, uninterrupted %d", len(resumed.Trace), len(whole.Trace))
	}
	// Each point was simulated once: the log has a line per distinct point of the trace.
	logged, _ = os.ReadFile(filepath.Join(dir, calibrate.EvaluationsFile))
	distinct := map[string]bool{}
	for _, e := range whole.Trace {
		distinct[fmt.Sprint(e.X)] = true
	}
	if lines := strings.Count(string(logged), "\n"); lines != 1+whole.Simulated || whole.Simulated != resumed.Simulated || whole.Simulated < len(distinct) {
		t.Errorf("the evaluations log has %d lines; want its header and one per distinct point, 1+%d (resumed: %d; %d in the trace)", lines, whole.Simulated, resumed.Simulated, len(distinct))
	}
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir, Resume: true}); !errors.Is(err, calibrate.ErrFinished) {
		t.Fatalf("resuming a finished calibration: %v; want calibrate.ErrFinished", err)
	}
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a finished directory without Force: %v; want a refusal naming --force", err)
	}
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir, Force: true}); err != nil {
		t.Fatalf("Force: %v", err)
	}
}

// TestLockedDirectoryRefused: a directory another writer holds is refused, untouched.
func TestLockedDirectoryRefused(t *testing.T) {
	spec, _ := recoverySpec(t, 200, 200, 10)
	dir := t.TempDir()
	l, err := dirlock.Exclusive(filepath.Join(dir, dirlock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir}); !errors.Is(err, dirlock.ErrHeld) {
		t.Fatalf("a locked directory: %v; want dirlock.ErrHeld", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); !os.IsNotExist(err) {
		t.Errorf("the refused calibration wrote a manifest: %v", err)
	}
}

// TestResumeRefusesForeignLog: an evaluations log of another calibration (another seed)
// copied into an interrupted calibration's directory is refused by name, not replayed,
// and left as it was.
func TestResumeRefusesForeignLog(t *testing.T) {
	spec, _ := recoverySpec(t, 200, 200, 10)
	other := *spec
	other.Seed = 2
	src := t.TempDir()
	if _, err := calibrate.Run(context.Background(), &other, calibrate.Options{OutDir: src}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := calibrate.Run(ctx, spec, calibrate.Options{OutDir: dir, Progress: &cancelAfter{n: 2, cancel: cancel}}); !errors.Is(err, run.ErrInterrupted) {
		t.Fatalf("interrupted calibration returned %v", err)
	}
	foreign, err := os.ReadFile(filepath.Join(src, calibrate.EvaluationsFile))
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, calibrate.EvaluationsFile)
	for _, tc := range []struct{ name, log, msg string }{
		{"another seed", string(foreign), "another calibration"},
		{"no header", string(foreign[strings.IndexByte(string(foreign), '\n')+1:]), "no header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(logPath, []byte(tc.log), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir, Resume: true})
			if err == nil || !strings.Contains(err.Error(), logPath) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("resume with a foreign log: %v; want a refusal naming %s and %q", err, logPath, tc.msg)
			}
			if after, _ := os.ReadFile(logPath); string(after) != tc.log {
				t.Errorf("the refused log was changed")
			}
		})
	}
}

// TestEstimateIsBestEvaluated: the estimate is the point of lowest objective among every
// evaluation, the search's, the Jacobian's and the profiles' (a small budget leaves the
// search short of the minimum, so the later evaluations can find better points).
func TestEstimateIsBestEvaluated(t *testing.T) {
	spec, _ := recoverySpec(t, 200, 200, 20)
	fit, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fit.Trace {
		if e.Objective < fit.Objective {
			t.Errorf("evaluation %d (%s) at %v has objective %v below the estimate's %v at %v", e.Index, e.Phase, e.X, e.Objective, fit.Objective, fit.Estimate)
		}
	}
	if fit.Searched == 0 || fit.Searched >= len(fit.Trace) {
		t.Errorf("Searched %d of %d evaluations", fit.Searched, len(fit.Trace))
	}
	t.Logf("estimate moved %d times", fit.Moved)
}

// TestPilot: a target no parameter moves (a statistic constant under the scenario's
// policies) is refused before anything is written; a parameter that moves no target is
// reported as not identified.
func TestPilot(t *testing.T) {
	const file = `name: pilot
overrides:
  policies: [none]
paths: 200
seed: 1
max_evaluations: 10
parameters:
  - key: shocks.mu_j
    range: [0.1, 0.7]
  - key: shocks.beta_f
    range: [0.02, 0.5]
targets:
  - stat: none.move_at_jump.p50
    value: 137
  - stat: none.move_at_jump.mean
    value: 137
`
	tests := []struct {
		name, old, new string
		refused        string // the refused target, "" when the calibration runs
		unidentified   []string
	}{
		{"peak CB holdings without a backstop", "none.move_at_jump.mean", "none.peak_cb_holdings_bn.p50", "none.peak_cb_holdings_bn.p50 is 0 on every path", nil},
		{"SPV closing day without an SPV", "none.move_at_jump.mean", "none.spv_closed_day.p50", "none.spv_closed_day.p50 is -1 on every path", nil},
		{"a parameter no target depends on", "", "", "", []string{"shocks.beta_f"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := calibrate.Decode([]byte(strings.Replace(file, tc.old, tc.new, 1)), "pilot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "out")
			fit, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir})
			if tc.refused != "" {
				if !errors.Is(err, calibrate.ErrUnusableTarget) || !strings.Contains(err.Error(), tc.refused) || !strings.Contains(err.Error(), "pilot.yaml") {
					t.Fatalf("got %v; want calibrate.ErrUnusableTarget naming pilot.yaml and %q", err, tc.refused)
				}
				if _, err := os.Stat(dir); !os.IsNotExist(err) {
					t.Errorf("the refused calibration left %s behind: %v", dir, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(fit.Unidentified) != fmt.Sprint(tc.unidentified) {
				t.Errorf("unidentified %v, want %v", fit.Unidentified, tc.unidentified)
			}
			var out strings.Builder
			if err := calibrate.PrintFit(&out, fit, dir); err != nil || !strings.Contains(out.String(), "shocks.beta_f moves no target") {
				t.Errorf("PrintFit does not report the unidentified parameter (%v):\n%s", err, out.String())
			}
		})
	}
}

// TestInvalidEvaluationsReported: points the scenario rejects (a combination of values
// each allowed alone) are penalized, and counted and named in the fit, never silently.
func TestInvalidEvaluationsReported(t *testing.T) {
	const file = `name: invalid
overrides:
  policies: [none]
paths: 100
seed: 1
max_evaluations: 10
parameters:
  - key: funds.u_lo
    range: [0.1, 0.9]
  - key: funds.u_hi
    range: [0.2, 1]
targets:
  - stat: none.total_sales_bn.mean
    value: 600
  - stat: none.fund_loss_21d_pct.mean
    value: 20
`
	spec, err := calibrate.Decode([]byte(file), "invalid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	fit, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: t.TempDir(), Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range fit.Trace {
		if e.Invalid != "" {
			n++
			if e.Objective < 1e12 {
				t.Errorf("invalid evaluation %d has objective %v", e.Index, e.Objective)
			}
		}
	}
	if n == 0 || fit.Invalid != n || !strings.Contains(fit.FirstInvalid, "funds.u_hi") {
		t.Fatalf("%d invalid evaluations in the trace, Fit.Invalid %d, first %q; want them counted and named", n, fit.Invalid, fit.FirstInvalid)
	}
	var out strings.Builder
	if err := calibrate.PrintFit(&out, fit, "dir"); err != nil || !strings.Contains(out.String(), fmt.Sprintf("WARNING: %d evaluations could not be evaluated", n)) {
		t.Errorf("PrintFit does not report the invalid evaluations (%v):\n%s", err, out.String())
	}
	if !strings.Contains(progress.String(), "cannot be evaluated") {
		t.Errorf("progress does not report the first invalid evaluation:\n%s", progress.String())
	}
}

// TestSameForAnyWorkers: a calibration gives the same bytes (the evaluations log, the
// fit, the targets, the profiles, the calibrated scenario) on one worker, where its
// evaluations run one after another, and on several, where the pilot's, the search's
// starts, the Jacobian's and the profiles' run several at a time.
func TestSameForAnyWorkers(t *testing.T) {
	spec, _ := recoverySpec(t, 500, 300, 40)
	var dirs []string
	for _, workers := range []int{1, 3, 8} {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{OutDir: dir, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	for _, f := range []string{calibrate.EvaluationsFile, "fit.csv", "targets.csv", "profile.csv", "calibrated.yaml"} {
		want, err := os.ReadFile(filepath.Join(dirs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs[1:] {
			if got, err := os.ReadFile(filepath.Join(dir, f)); err != nil || string(got) != string(want) {
				t.Errorf("%s differs with more workers (%v)", f, err)
			}
		}
	}
}
