package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sweep"
)

// TestHelpOnStdout runs every command of the usage with --help (and -h after an
// argument): the help goes to stdout, exit status 0, nothing on stderr.
func TestHelpOnStdout(t *testing.T) {
	names := commandNames()
	for _, want := range []string{"run", "merge", "sweep", "plot", "inspect", "version", "help"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("the usage does not list %s: %v", want, names)
		}
	}
	for _, name := range names {
		for _, args := range [][]string{{name, "--help"}, {name, "some/dir", "-h"}} {
			var stdout, stderr bytes.Buffer
			code := mainErr(args, &stdout, &stderr)
			if code != 0 || stderr.Len() > 0 || !strings.Contains(stdout.String(), "backstop "+strings.TrimPrefix(name, "help")) {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want 0, help on stdout", args, code, stdout.String(), stderr.String())
			}
		}
	}
}

// TestUnknownCommandNamesEvery checks that a mistyped command is told every command.
func TestUnknownCommandNamesEvery(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := mainErr([]string{"swep"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, name := range commandNames() {
		if !strings.Contains(stderr.String(), name) {
			t.Errorf("unknown-command message %q omits %s", stderr.String(), name)
		}
	}
}

// TestParseArgsAnyOrder checks flags before, between and after positional arguments.
func TestParseArgsAnyOrder(t *testing.T) {
	tests := []struct {
		args       []string
		format     string
		quiet      bool
		positional []string
	}{
		{[]string{"dir", "--format", "svg"}, "svg", false, []string{"dir"}},
		{[]string{"--format=svg", "dir"}, "svg", false, []string{"dir"}},
		{[]string{"dir", "--quiet", "--format", "pdf"}, "pdf", true, []string{"dir"}},
		{[]string{"-quiet", "dir", "-format", "png"}, "png", true, []string{"dir"}},
		{[]string{"--", "-odd-dir"}, "png,pdf", false, []string{"-odd-dir"}},
		{[]string{"a", "b"}, "png,pdf", false, []string{"a", "b"}},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		format := fs.String("format", "png,pdf", "")
		quiet := fs.Bool("quiet", false, "")
		var stdout, stderr bytes.Buffer
		if err := parseArgs(fs, tc.args, &stdout, &stderr); err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if *format != tc.format || *quiet != tc.quiet || !reflect.DeepEqual(fs.Args(), tc.positional) {
			t.Errorf("%q: format %q quiet %v args %q; want %q %v %q", tc.args, *format, *quiet, fs.Args(), tc.format, tc.quiet, tc.positional)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var stdout, stderr bytes.Buffer
	var ue usageError
	if err := parseArgs(fs, []string{"dir", "--nope"}, &stdout, &stderr); !errors.As(err, &ue) || !strings.Contains(stderr.String(), "nope") {
		t.Errorf("unknown flag: %v, stderr %q; want a usage error naming it", err, stderr.String())
	}
}

// TestFlagsAfterDirectory runs plot, inspect and merge with their flags after the
// directory, as the README writes them.
func TestFlagsAfterDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sharded")
	for _, s := range []string{"1/2", "2/2"} {
		mustRun(t, "run", "--paths", "600", "--chunk-size", "300", "--quiet", "--shard", s, "--out", dir)
	}
	mustRun(t, "merge", dir, "--quiet")
	mustRun(t, "plot", dir, "--format", "svg", "--width", "4")
	if svgs, _ := filepath.Glob(filepath.Join(dir, results.FiguresDir, "*.svg")); len(svgs) == 0 {
		t.Error("plot DIR --format svg drew no SVG")
	}
	if out := mustRun(t, "inspect", dir); !strings.Contains(out, "complete") {
		t.Errorf("inspect DIR: %q", out)
	}
}

// mustRun runs the command in process and returns its stdout; it fails on a nonzero exit.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := mainErr(args, &stdout, &stderr); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
	}
	return stdout.String()
}

// TestOutputDirectoryRule checks the rule the README states: without --out a run goes to
// outputs/<scenario>, the scenario named after the file when it has no scenario: key; a
// finished run there is refused with the exact commands that go on, and both work.
func TestOutputDirectoryRule(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("my_stress.yaml", []byte("shocks:\n  sigma_bar: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--config", "my_stress.yaml", "--paths", "600", "--no-figures", "--quiet"}
	mustRun(t, args...)
	if m, err := results.ReadManifest(filepath.Join("outputs", "my_stress")); err != nil || m.Scenario != "my_stress" {
		t.Fatalf("run without --out: %v, %+v; want outputs/my_stress", err, m)
	}
	var stdout, stderr bytes.Buffer
	if code := mainErr(args, &stdout, &stderr); code == 0 {
		t.Fatal("a second run over a finished one was not refused")
	}
	for _, want := range []string{
		"backstop run --config my_stress.yaml --paths 600 --no-figures --quiet --force",
		"backstop run --config my_stress.yaml --paths 600 --no-figures --quiet --out outputs/my_stress-2",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("refusal %q does not show %q", stderr.String(), want)
		}
		mustRun(t, strings.Fields(strings.TrimPrefix(want, "backstop "))...)
	}
	// What make run does: --force, and the log says what it replaced, after the start line.
	stderr.Reset()
	if code := mainErr([]string{"run", "--config", "my_stress.yaml", "--paths", "600", "--no-figures", "--force"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(stderr.String(), "\n")
	if !strings.HasPrefix(lines[0], "backstop: start scenario my_stress") || !strings.HasPrefix(lines[1], "backstop: --force: replacing the complete run in "+filepath.Join("outputs", "my_stress")) {
		t.Errorf("--force log does not start with the start line and what it replaced:\n%s", stderr.String())
	}
}

// TestStampWriter checks that every line, however written, starts with its RFC 3339 time.
func TestStampWriter(t *testing.T) {
	var buf bytes.Buffer
	w := newStampWriter(&buf)
	w.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	for _, p := range []string{"one\ntw", "o\n", "\nthree\nfour\n"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	want := "2026-01-02T03:04:05Z one\n2026-01-02T03:04:05Z two\n\n2026-01-02T03:04:05Z three\n2026-01-02T03:04:05Z four\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// stampedLine is a line of a scheduler log: RFC 3339 time, then the message.
var stampedLine = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ `)

// checkSchedulerLog checks stderr of the binary writing to a file or pipe: every line
// stamped, the first the start line naming what is asked, and one interruption report
// with the resume command.
func checkSchedulerLog(t *testing.T, log string, start []string, resume string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(log, "\n"), "\n")
	for _, l := range lines {
		if l != "" && !stampedLine.MatchString(l) {
			t.Errorf("log line without an RFC 3339 time: %q", l)
		}
	}
	for _, w := range start {
		if !strings.Contains(lines[0], w) {
			t.Errorf("first log line %q does not give %q", lines[0], w)
		}
	}
	if n := strings.Count(log, "resume with"); n != 1 || !strings.Contains(log, "resume with: "+resume) {
		t.Errorf("log gives %d resume hints, want one with %q:\n%s", n, resume, log)
	}
}

// TestSweepInterrupt stops the binary's sweep with SIGINT: exit 130, a resume command in
// the log and the manifest, a status for every point; then resumes it.
func TestSweepInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary for several seconds")
	}
	tmp := t.TempDir()
	file := filepath.Join(tmp, "cut.yaml")
	if err := os.WriteFile(file, []byte("name: cut\npaths: 60000\nparameters:\n  - {key: spv.capacity, values: [100, 300, 500]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "sweep")
	cmd := exec.Command(backstopBinary(t), "sweep", "--config", file, "--workers", "2", "--out", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(dir, results.PointsDir, "0", results.ManifestFile)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit after SIGINT: %v, want %d; stderr:\n%s", err, exitInterrupted, stderr.String())
	}
	checkSchedulerLog(t, stderr.String(), []string{"start cut", "grid points 0-2", "60000 paths", "workers 2", "output " + dir, "version "}, "backstop sweep --resume "+dir)
	m, err := results.ReadSweepManifest(dir)
	if err != nil || m.Status != results.StatusIncomplete || m.Resume != "backstop sweep --resume "+dir {
		t.Fatalf("manifest after SIGINT: %+v, %v", m, err)
	}
	for _, p := range m.Points {
		if p.Status == "" || (p.Point == 2 && p.Status != sweep.StatusPending) {
			t.Errorf("point %d has status %q", p.Point, p.Status)
		}
	}
	mustRun(t, "sweep", "--resume", dir, "--quiet")
}

// TestTargetPrecisionHeader checks that a run with a precision target prints the paths it
// ran, not the most it was allowed, and whether the target was met; and that
// BACKSTOP_MAX_PATHS caps a run's paths and says so.
func TestTargetPrecisionHeader(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "target")
	var stdout, stderr bytes.Buffer
	code := mainErr([]string{"run", "--target-precision", "peak_basis_bp=3", "--paths", "50000", "--chunk-size", "500", "--no-figures", "--out", dir}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.TargetReached == nil || !*m.TargetReached || m.Paths >= 50000 {
		t.Fatalf("manifest %+v, %v: want the target met before 50000 paths", m, err)
	}
	for _, want := range []string{fmt.Sprintf("baseline: %d paths x 3 policies", m.Paths), fmt.Sprintf("precision target peak_basis_bp=3 met after %d paths, of at most 50000", m.Paths)} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout does not say %q:\n%s", want, stdout.String())
		}
	}
	if !strings.Contains(stderr.String(), fmt.Sprintf("backstop: sampled %d paths (stopped before the most, 50000)", m.Paths)) || strings.Contains(stderr.String(), "ETA") {
		t.Errorf("the last progress line does not give the paths run:\n%s", stderr.String())
	}

	t.Setenv(maxPathsEnv, "700")
	capped := filepath.Join(t.TempDir(), "capped")
	stdout.Reset()
	stderr.Reset()
	if code := mainErr([]string{"run", "--paths", "5000", "--no-figures", "--out", capped}, &stdout, &stderr); code != 0 {
		t.Fatalf("capped run: exit %d: %s", code, stderr.String())
	}
	if m, err := results.ReadManifest(capped); err != nil || m.Paths != 700 || !strings.Contains(stderr.String(), "BACKSTOP_MAX_PATHS=700 caps the paths: 700 instead of 5000") {
		t.Errorf("capped run: manifest %+v, %v; stderr %q", m, err, stderr.String())
	}
	t.Setenv(maxPathsEnv, "lots")
	if code := mainErr([]string{"run", "--out", filepath.Join(t.TempDir(), "bad")}, &stdout, &stderr); code != 2 {
		t.Errorf("BACKSTOP_MAX_PATHS=lots: exit %d, want 2", code)
	}
}

// TestInspectWritesListsAsWords: inspect names a run's policies, and the versions that
// wrote a run resumed across versions, as words, not as Go slices ("[none qe spv]").
func TestInspectWritesListsAsWords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	mustRun(t, "run", "--paths", "200", "--chunk-size", "100", "--quiet", "--no-figures", "--out", dir)
	for _, tc := range []struct {
		name     string
		versions []string
		want     []string
		not      []string
	}{
		{name: "one version", want: []string{"policies        none, qe, spv"}, not: []string{"[", "written by"}},
		{name: "two versions", versions: []string{"1a8eb1d", "e2855e7"}, want: []string{"policies        none, qe, spv", "written by      1a8eb1d, e2855e7"}, not: []string{"["}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.versions != nil {
				setManifest(t, dir, map[string]any{"versions": tc.versions})
			}
			out := mustRun(t, "inspect", dir)
			head, _, _ := strings.Cut(out, "\n\n") // the manifest's lines
			for _, w := range tc.want {
				if !strings.Contains(head, w) {
					t.Errorf("inspect lacks %q:\n%s", w, head)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(head, w) {
					t.Errorf("inspect has %q:\n%s", w, head)
				}
			}
		})
	}
}
