package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/testbin"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

// The interruption tests run the real binary on a run long enough (tens of chunks) to be
// stopped midway, then resume it and compare with an uninterrupted run.
const (
	longPaths = 200_000
	longChunk = 8_000
	// longBandPaths thins the bands to every 4th path, so that resuming is checked to
	// count the subset of the whole run.
	longBandPaths = 50_000
)

// backstopBinary builds the command once per test process.
func backstopBinary(t *testing.T) string { return testbin.Backstop(t) }

var (
	refOnce sync.Once
	refDir  string
	refErr  error
)

// reference is the uninterrupted run of the long config, made once in process.
func reference(t *testing.T) string {
	t.Helper()
	refOnce.Do(func() {
		refDir, refErr = os.MkdirTemp("", "backstop-ref-")
		if refErr != nil {
			return
		}
		cfg := configs.Baseline()
		cfg.Paths, cfg.Output.BandPaths = longPaths, longBandPaths
		_, refErr = run.Execute(context.Background(), run.Options{Config: cfg, OutDir: filepath.Join(refDir, "run"), ChunkSize: longChunk})
	})
	if refErr != nil {
		t.Fatal(refErr)
	}
	return filepath.Join(refDir, "run")
}

// startLong starts the binary on the long run into dir.
func startLong(t *testing.T, dir string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(backstopBinary(t), "run", "--paths", "200000", "--chunk-size", "8000", "--workers", "2", "--band-paths", strconv.Itoa(longBandPaths), "--out", dir)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// waitForChunks waits until n chunk checkpoints of the run in dir are on disk.
func waitForChunks(t *testing.T, dir string, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		cps, _ := filepath.Glob(filepath.Join(dir, run.TalliesDir, "chunk-*.bin"))
		if len(cps) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %d chunks in %s after 2 minutes", n, dir)
}

// checkPartsReadable reads every part on disk in full.
func checkPartsReadable(t *testing.T, dir string) int {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(dir, results.PathsDir, "*.parquet"))
	for _, p := range parts {
		info, err := results.StatFile(p)
		if err != nil || info.Rows != longChunk*3 {
			t.Fatalf("part %s after the interruption: %v (%v rows)", p, err, info)
		}
	}
	stray, _ := filepath.Glob(filepath.Join(dir, results.PathsDir, "[^.]*[^t]"))
	if len(stray) > 0 {
		t.Fatalf("unexpected files in paths/: %v", stray)
	}
	return len(parts)
}

// sameResults checks that the run in dir equals the reference row for row, band for band
// and in its summary.
func sameResults(t *testing.T, dir, ref string) {
	t.Helper()
	var cols []string
	for _, m := range sim.Metrics {
		cols = append(cols, m.Name)
	}
	read := func(d string) (*results.PathColumns, []results.BandRow, []byte) {
		pc, err := results.ReadPathColumns(d, cols)
		if err != nil {
			t.Fatal(err)
		}
		pc.Metadata = nil
		bands, _, err := results.ReadBands(d)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := os.ReadFile(filepath.Join(d, results.SummaryFile))
		if err != nil {
			t.Fatal(err)
		}
		return pc, bands, sum
	}
	rows, bands, sum := read(dir)
	refRows, refBands, refSum := read(ref)
	if len(rows.Path) != longPaths*3 || !reflect.DeepEqual(rows, refRows) {
		t.Fatalf("resumed rows (%d) differ from the uninterrupted run's (%d)", len(rows.Path), len(refRows.Path))
	}
	if !reflect.DeepEqual(bands, refBands) {
		t.Fatal("resumed bands differ from the uninterrupted run's")
	}
	if !bytes.Equal(sum, refSum) {
		t.Fatalf("resumed summary differs:\n%s\nwant\n%s", sum, refSum)
	}
}

func resumeRun(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command(backstopBinary(t), "run", "--resume", dir, "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusComplete || len(m.Parts) != longPaths/longChunk {
		t.Fatalf("manifest after resume: %+v, %v", m, err)
	}
}

func TestKillThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary for several seconds")
	}
	ref := reference(t)
	dir := filepath.Join(t.TempDir(), "run")
	cmd, _ := startLong(t, dir)
	waitForChunks(t, dir, 3)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if n := checkPartsReadable(t, dir); n >= longPaths/longChunk {
		t.Fatalf("the run finished (%d parts) before it was killed: make it longer", n)
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusRunning {
		t.Fatalf("manifest after SIGKILL: status %q, %v; want running (not finished)", m.Status, err)
	}
	resumeRun(t, dir)
	sameResults(t, dir, ref)
}

func TestInterruptThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary for several seconds")
	}
	ref := reference(t)
	dir := filepath.Join(t.TempDir(), "run")
	cmd, stderr := startLong(t, dir)
	waitForChunks(t, dir, 3)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit after SIGINT: %v, want status %d; stderr:\n%s", err, exitInterrupted, stderr)
	}
	n := checkPartsReadable(t, dir)
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusIncomplete || !strings.Contains(m.Resume, "--resume "+dir) || len(m.Parts) != n {
		t.Fatalf("manifest after SIGINT: %+v, %v; want incomplete, a resume command and the %d parts", m, err, n)
	}
	checkSchedulerLog(t, stderr.String(), []string{"start scenario baseline", "seed 1", "200000 paths", "chunk size 8000", "workers 2", "output " + dir, "version "}, "backstop run --resume "+dir)
	resumeRun(t, dir)
	sameResults(t, dir, ref)
}

// TestRunDirectoryRules covers what run refuses and what --force and --resume check.
func TestRunDirectoryRules(t *testing.T) {
	base := t.TempDir()
	small := func(dir string, extra ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := mainErr(append([]string{"run", "--paths", "600", "--chunk-size", "200", "--quiet", "--out", dir}, extra...), &stdout, &stderr)
		return code, stderr.String()
	}
	done := filepath.Join(base, "done")
	if code, msg := small(done); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, msg)
	}
	tests := []struct {
		name  string
		setup func(dir string)
		args  []string
		code  int
		want  string
	}{
		{"finished run kept", nil, []string{"--out", done}, 1, "already holds a finished run"},
		{"force replaces", nil, []string{"--out", done, "--force"}, 0, ""},
		{"resume a finished run", nil, []string{"--resume", done}, 1, "already complete"},
		{"resume nothing", nil, []string{"--resume", filepath.Join(base, "none")}, 2, "--resume"},
		{"resume with another seed", func(d string) { markIncomplete(t, d) }, []string{"--resume", "DIR", "--seed", "9"}, 2, "--seed 9 (the run's is 1)"},
		{"resume with another chunk size", func(d string) { markIncomplete(t, d) }, []string{"--resume", "DIR", "--chunk-size", "100"}, 2, "--chunk-size 100 (the run's is 200)"},
		{"resume with a part missing", func(d string) {
			markIncomplete(t, d)
			os.Remove(filepath.Join(d, results.PathsDir, results.PartName(1)))
		}, []string{"--resume", "DIR"}, 1, "part-00001.parquet"},
		{"unfinished run kept", func(d string) { markIncomplete(t, d) }, []string{"--out", "DIR"}, 1, "--resume"},
		{"paths is a file", func(d string) {
			os.RemoveAll(filepath.Join(d, results.PathsDir))
			os.WriteFile(filepath.Join(d, results.PathsDir), []byte("x"), 0o644)
		}, []string{"--out", "DIR", "--force"}, 1, filepath.Join("DIR", results.PathsDir)},
		{"foreign directory", func(d string) {
			os.RemoveAll(d)
			os.MkdirAll(d, 0o755)
			os.WriteFile(filepath.Join(d, "summary.md"), []byte("my notes"), 0o644)
		}, []string{"--out", "DIR", "--force"}, 1, "holds no backstop run (manifest.json): it holds summary.md"},
		{"resume with other band paths", func(d string) { markIncomplete(t, d) }, []string{"--resume", "DIR", "--band-paths", "100"}, 2, "--band-paths 100 (the run's is 200000)"},
		{"resume with a config of other band paths", func(d string) {
			markIncomplete(t, d)
			os.WriteFile(filepath.Join(base, "bands100.yaml"), []byte("scenario: baseline\noutput:\n  band_paths: 100\n"), 0o644)
		}, []string{"--resume", "DIR", "--config", filepath.Join(base, "bands100.yaml")}, 1, `run has "band_paths: 200000", given "band_paths: 100"`},
		{"bad band paths", nil, []string{"--out", "DIR", "--band-paths", "-1"}, 2, "--band-paths -1 is not allowed; use 0 (bands from every path) or a number of paths"},
		{"bad shard 5/4", nil, []string{"--out", "DIR", "--shard", "5/4"}, 2, "1 <= I <= N"},
		{"bad shard 0/0", nil, []string{"--out", "DIR", "--shard", "0/0"}, 2, "1 <= I <= N"},
		{"bad shard a/b", nil, []string{"--out", "DIR", "--shard", "a/b"}, 2, `"a/b"`},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(base, "case", string(rune('a'+i)))
			if tc.setup != nil {
				if code, msg := small(dir); code != 0 {
					t.Fatalf("setup run: %s", msg)
				}
				tc.setup(dir)
			}
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			var stdout, stderr bytes.Buffer
			code := mainErr(append([]string{"run", "--paths", "600", "--chunk-size", "200", "--quiet"}, args...), &stdout, &stderr)
			want := strings.ReplaceAll(tc.want, "DIR", dir)
			if code != tc.code || !strings.Contains(stderr.String(), want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tc.code, want)
			}
			if tc.name == "paths is a file" {
				m, err := results.ReadManifest(dir)
				if err != nil || m.Status != results.StatusFailed || !strings.Contains(m.Error, want) {
					t.Fatalf("manifest after a write failure: %+v, %v; want failed, naming %s", m, err, want)
				}
			}
		})
	}
}

// markIncomplete rewrites a finished run's manifest as if it had been interrupted.
func markIncomplete(t *testing.T, dir string) {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Status = results.StatusIncomplete
	if err := results.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}
