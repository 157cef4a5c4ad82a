package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// The chaos tests treat the binary as a hostile user would: concurrent writers, foreign,
// copied and damaged files, a full disk, extreme values. Each case must end with its
// documented exit status (2 usage or config, 1 runtime, 130 interrupted) and message,
// never a Go panic; no finished run may change; every complete run must pass verify.

// result is one invocation of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// bin runs the binary with args (and, if env is not nil, those variables added).
func bin(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(backstopBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{code: exitCode(t, err, args...), stdout: stdout.String(), stderr: stderr.String()}
	noPanic(t, r, args)
	return r
}

// exitCode is the exit status of the binary run with args, which ended with err (0 for
// nil); an error that is no exit status (the binary did not start) fails t.
func exitCode(t *testing.T, err error, args ...string) int {
	t.Helper()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	t.Fatalf("run backstop %v: %v", args, err)
	return -1
}

// noPanic fails the test when a Go panic or trace reached the user.
func noPanic(t *testing.T, r result, args []string) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine ", "runtime error", "internal error"} {
		if strings.Contains(r.stderr, s) || strings.Contains(r.stdout, s) {
			t.Fatalf("backstop %v printed %q (exit %d):\n%s", args, s, r.code, r.stderr)
		}
	}
}

// expect checks r's exit status and that stderr (or stdout) holds every want.
func expect(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) && !strings.Contains(r.stdout, w) {
			t.Fatalf("output does not mention %q\nstdout: %s\nstderr: %s", w, r.stdout, r.stderr)
		}
	}
}

// smallRun is a complete 3-chunk run into dir, checked by verify.
func smallRun(t *testing.T, dir string, extra ...string) {
	t.Helper()
	r := bin(t, nil, append([]string{"run", "--paths", "600", "--chunk-size", "200", "--quiet", "--no-figures", "--out", dir}, extra...)...)
	expect(t, r, 0)
	verifyIntact(t, dir)
}

// verifyIntact checks that backstop verify passes dir.
func verifyIntact(t *testing.T, dir string) {
	t.Helper()
	expect(t, bin(t, nil, "verify", dir), 0, "intact")
}

// snapshot returns the SHA-256 of every file under dir but the lock files (a refused
// writer may leave its empty lock file behind; it holds nothing of the run).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == dirlock.FileName || (strings.HasPrefix(d.Name(), ".shard-") && strings.HasSuffix(d.Name(), ".lock")) {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := sha256.Sum256(b)
		out[p] = hex.EncodeToString(s[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// unchanged fails when dir differs from snap.
func unchanged(t *testing.T, dir string, snap map[string]string) {
	t.Helper()
	now := snapshot(t, dir)
	for p, s := range snap {
		if now[p] != s {
			t.Fatalf("a finished run changed: %s", p)
		}
	}
	for p := range now {
		if _, ok := snap[p]; !ok {
			t.Fatalf("a finished run changed: %s appeared", p)
		}
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %s", out)
	}
}

// flipByte flips one bit of the byte in the middle of file.
func flipByte(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x04
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// startBig starts a run long enough to be caught in the middle.
func startBig(t *testing.T, dir string, extra ...string) *exec.Cmd {
	t.Helper()
	args := append([]string{"run", "--paths", "400000", "--chunk-size", "4000", "--workers", "1", "--quiet", "--no-figures", "--out", dir}, extra...)
	cmd := exec.Command(backstopBinary(t), args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// waitFor waits until file exists.
func waitFor(t *testing.T, file string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(file); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s did not appear", file)
}

// TestChaosConcurrentWriters: while a run writes a directory, a second writer (even with
// --force), a resume, verify and a merge are refused, naming the holder; while shards
// run, a merge or a second copy of a shard is refused while the other shards go on.
func TestChaosConcurrentWriters(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "live")
	live := startBig(t, dir)
	waitFor(t, filepath.Join(dir, results.ManifestFile))
	holder := fmt.Sprintf("pid %d on host", live.Process.Pid)
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--force", "--out", dir), 1, "is being written by "+holder)
	expect(t, bin(t, nil, "run", "--resume", dir, "--quiet"), 1, holder)
	expect(t, bin(t, nil, "verify", dir), 1, holder)
	expect(t, bin(t, nil, "merge", "--quiet", dir), 1, holder)

	sharded := filepath.Join(base, "sharded")
	s1 := startBig(t, sharded, "--shard", "1/2")
	waitFor(t, filepath.Join(sharded, results.ShardsDir, results.ShardManifestName(1, 2)))
	s2 := startBig(t, sharded, "--shard", "2/2")
	waitFor(t, filepath.Join(sharded, results.ShardsDir, results.ShardManifestName(2, 2)))
	expect(t, bin(t, nil, "merge", "--quiet", sharded), 1, "still running", fmt.Sprintf("shard 1/2 (pid %d", s1.Process.Pid), fmt.Sprintf("shard 2/2 (pid %d", s2.Process.Pid))
	expect(t, bin(t, nil, "run", "--paths", "400000", "--chunk-size", "4000", "--quiet", "--shard", "1/2", "--force", "--out", sharded), 1, fmt.Sprintf("pid %d", s1.Process.Pid))
	expect(t, bin(t, nil, "run", "--paths", "400000", "--chunk-size", "4000", "--quiet", "--out", sharded), 1, "shards, still running")
	// The shards were not disturbed: both still run, and an interrupt stops each cleanly.
	for _, c := range []*exec.Cmd{s1, s2, live} {
		if err := c.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err := c.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
			t.Fatalf("interrupted writer: %v, want exit %d", err, exitInterrupted)
		}
	}
	// An interrupted run's chunks are intact; verify says it is not finished (exit 3).
	expect(t, bin(t, nil, "verify", dir), exitNotFinished, "intact", "not finished")
}

// TestChaosForeignAndDamagedFiles: parts and checkpoints of another seed, copied from
// another chunk, or with a flipped byte are named by verify and refused by resume and
// merge; quarantined, they are recomputed alone, and the run ends equal to the original.
func TestChaosForeignAndDamagedFiles(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	other := filepath.Join(base, "other")
	smallRun(t, ref)
	smallRun(t, other, "--seed", "12")
	refSnap := snapshot(t, ref)
	part := func(d string, c int) string { return filepath.Join(d, results.PathsDir, results.PartName(c)) }
	ckpt := func(d string, c int) string { return filepath.Join(d, run.TalliesDir, run.CheckpointName(c)) }
	cases := []struct {
		name   string
		damage func(d string)
		names  string // the file verify must name
	}{
		{"foreign part", func(d string) { copyFile(t, part(other, 1), part(d, 1)) }, "paths/part-00001.parquet"},
		{"foreign checkpoint", func(d string) { copyFile(t, ckpt(other, 2), ckpt(d, 2)) }, "tallies/chunk-00002.bin"},
		{"part copied over another chunk's", func(d string) { copyFile(t, part(d, 0), part(d, 2)) }, "paths/part-00002.parquet"},
		{"checkpoint copied over another chunk's", func(d string) { copyFile(t, ckpt(d, 0), ckpt(d, 1)) }, "tallies/chunk-00001.bin"},
		{"flipped byte in a part", func(d string) { flipByte(t, part(d, 1)) }, "paths/part-00001.parquet"},
		{"flipped byte in a checkpoint", func(d string) { flipByte(t, ckpt(d, 0)) }, "tallies/chunk-00000.bin"},
		{"missing part", func(d string) { os.Remove(part(d, 2)) }, "paths/part-00002.parquet"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := filepath.Join(base, fmt.Sprint("case", i))
			copyTree(t, ref, d)
			tc.damage(d)
			expect(t, bin(t, nil, "verify", d), 1, tc.names)
			markIncompleteFile(t, filepath.Join(d, results.ManifestFile))
			expect(t, bin(t, nil, "run", "--resume", d, "--quiet"), 1, tc.names, "verify --quarantine")
			expect(t, bin(t, nil, "verify", "--quarantine", d), 1, tc.names, "backstop run --resume "+d)
			expect(t, bin(t, nil, "run", "--resume", d, "--quiet", "--no-figures"), 0)
			verifyIntact(t, d)
			sameSummary(t, d, ref)
		})
	}
	// Unlisted chunk files (the writer was killed before the manifest caught up) that
	// belong to another run are moved to quarantine/ and recomputed.
	t.Run("unlisted foreign chunk", func(t *testing.T) {
		d := filepath.Join(base, "unlisted")
		copyTree(t, ref, d)
		m, err := results.ReadManifest(d)
		if err != nil {
			t.Fatal(err)
		}
		m.Index, m.Parts, m.Status = m.Index[:2], m.Parts[:2], results.StatusIncomplete
		if err := results.WriteManifest(d, m); err != nil {
			t.Fatal(err)
		}
		copyFile(t, part(other, 2), part(d, 2))
		copyFile(t, ckpt(other, 2), ckpt(d, 2))
		expect(t, bin(t, nil, "run", "--resume", d, "--no-figures", "--quiet"), 0)
		if _, err := os.Stat(filepath.Join(d, run.QuarantineDir, results.PathsDir, results.PartName(2))); err != nil {
			t.Fatalf("the foreign part was not quarantined: %v", err)
		}
		verifyIntact(t, d)
		sameSummary(t, d, ref)
	})
	// A stray file in paths/ is reported by verify and kept out of every reader.
	t.Run("stray part", func(t *testing.T) {
		d := filepath.Join(base, "stray")
		copyTree(t, ref, d)
		copyFile(t, part(other, 0), filepath.Join(d, results.PathsDir, "part-00099.parquet"))
		expect(t, bin(t, nil, "verify", d), 1, "part-00099.parquet", "stray")
		expect(t, bin(t, nil, "inspect", d), 0, "(3 parts)")
		expect(t, bin(t, nil, "verify", "--quarantine", d), 1, "part-00099.parquet")
		verifyIntact(t, d)
	})
	// Shards: a foreign part in one shard's chunks stops the merge, naming it.
	t.Run("merge with a foreign part", func(t *testing.T) {
		d := filepath.Join(base, "shards")
		for _, s := range []string{"1/2", "2/2"} {
			expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--shard", s, "--out", d), 0)
		}
		copyFile(t, part(other, 2), part(d, 2))
		expect(t, bin(t, nil, "merge", "--quiet", d), 1, "paths/part-00002.parquet", "damaged or was replaced")
		expect(t, bin(t, nil, "verify", "--quarantine", d), 1, "part-00002.parquet")
		expect(t, bin(t, nil, "run", "--resume", d, "--shard", "2/2", "--quiet"), 0)
		expect(t, bin(t, nil, "merge", "--quiet", d), 0)
		verifyIntact(t, d)
		sameSummary(t, d, ref)
	})
	unchanged(t, ref, refSnap)
}

// TestChaosFlippedByteEveryFile flips a byte in each kind of file of a finished run: the
// readers (verify, inspect, plot, resume, merge) answer with an error or the right
// result, never a panic, and verify names the damaged part or checkpoint.
func TestChaosFlippedByteEveryFile(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	smallRun(t, ref)
	files := []string{results.ManifestFile, results.BandsFile, results.ConvergenceFile, results.SummaryFile,
		results.EffectsFile, results.TailsFile, results.ReportFile,
		filepath.Join(results.PathsDir, results.PartName(1)), filepath.Join(run.TalliesDir, run.CheckpointName(1))}
	for i, f := range files {
		t.Run(f, func(t *testing.T) {
			d := filepath.Join(base, fmt.Sprint("flip", i))
			copyTree(t, ref, d)
			flipByte(t, filepath.Join(d, f))
			v := bin(t, nil, "verify", d)
			if f != results.ManifestFile { // every file the manifest lists is checksummed
				expect(t, v, 1, f)
			}
			for _, args := range [][]string{{"inspect", d}, {"plot", "--format", "svg", d}, {"merge", "--quiet", d}, {"run", "--resume", d, "--quiet"}} {
				r := bin(t, nil, args...) // no panic (checked by bin)
				if f == results.ManifestFile && args[0] == "run" && r.code == 2 {
					continue // the config recorded in the manifest is refused as a config
				}
				if r.code != 0 && r.code != 1 {
					t.Fatalf("%v: exit %d, want 0 or 1: %s", args, r.code, r.stderr)
				}
			}
		})
	}
}

// TestChaosDiskFull lets the files grow only to a limit (RLIMIT_FSIZE, as a full disk
// fails a write): the run fails with exit 1 naming the file, its manifest (when it could
// be written) says failed, and once space is back --resume (or --force) completes it.
func TestChaosDiskFull(t *testing.T) {
	base := t.TempDir()
	for _, kb := range []int{2, 16, 64} {
		t.Run(fmt.Sprint(kb, "KB"), func(t *testing.T) {
			d := filepath.Join(base, fmt.Sprint("full", kb))
			cmd := exec.Command("prlimit", fmt.Sprintf("--fsize=%d", kb<<10), backstopBinary(t), "run", "--paths", "3000", "--chunk-size", "1000", "--quiet", "--no-figures", "--out", d)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("a full disk: %v, want exit 1; stderr %s", err, stderr.String())
			}
			noPanic(t, result{code: 1, stderr: stderr.String()}, nil)
			if !strings.Contains(stderr.String(), "file too large") || !strings.Contains(stderr.String(), d) {
				t.Fatalf("stderr %q does not name the file and the failure", stderr.String())
			}
			m, err := results.ReadManifest(d)
			if err != nil { // the manifest itself did not fit: nothing of the run was left but its lock, so a new run there completes
				expect(t, bin(t, nil, "run", "--paths", "3000", "--chunk-size", "1000", "--quiet", "--no-figures", "--out", d), 0)
				verifyIntact(t, d)
				return
			}
			failed := m.Status == results.StatusFailed && strings.Contains(m.Error, "file too large")
			// When even the failed manifest does not fit, the error says so.
			unwritable := m.Status == results.StatusRunning && strings.Contains(stderr.String(), filepath.Join(d, results.ManifestFile))
			if !failed && !unwritable {
				t.Fatalf("manifest after a full disk: %s %q, want failed naming the error; stderr %s", m.Status, m.Error, stderr.String())
			}
			expect(t, bin(t, nil, "run", "--resume", d, "--quiet", "--no-figures"), 0)
			verifyIntact(t, d)
		})
	}
}

// TestChaosExtremeValues: values that would overflow, exhaust memory or hang, and bad
// directories, are refused before anything is written, with exit 2 and the bound.
func TestChaosExtremeValues(t *testing.T) {
	base := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, base, name, body) }
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"stress jump 710", []string{"--config", write("muj.yaml", "shocks:\n  mu_j: 710\n")}, 2, []string{"shocks.mu_j", "710"}},
		{"position 1e308", []string{"--config", write("b0.yaml", "funds:\n  b0: 1e308\n")}, 2, []string{"funds.b0", "at most"}},
		{"days 100000", []string{"--config", write("days.yaml", "days: 100000\n")}, 2, []string{"days", "from 1 to 2520"}},
		{"paths near 2^63", []string{"--paths", "9223372036854775000"}, 2, []string{"paths", "from 1 to"}},
		{"workers 100000", []string{"--workers", "100000"}, 2, []string{"--workers 100000", "1024"}},
		{"chunk size 2^40", []string{"--chunk-size", "1099511627776"}, 2, []string{"--chunk-size"}},
		{"memory beyond the machine", []string{"--config", write("big.yaml", "days: 2520\npolicies: [none, qe, spv, srf, slr, cap]\n"), "--workers", "1024"}, 2, []string{"would need about", "GB of memory"}},
		{"octal", []string{"--config", write("oct.yaml", "days: 010\n")}, 2, []string{"010", "leading zero"}},
		{"two documents", []string{"--config", write("two.yaml", "days: 10\n---\ndays: 20\n")}, 2, []string{"more than one YAML document"}},
		{"endless config", []string{"--config", "/dev/zero"}, 2, []string{"/dev/zero", "larger than"}},
		{"overflow on the first days", []string{"--config", write("eta.yaml", "market:\n  lambda0: 1e300\n")}, 2, []string{"overflow"}},
		{"shards beyond the chunks", []string{"--shard", "1/99999999999"}, 2, []string{"shard 1/99999999999", "at most"}},
		{"negative workers", []string{"--workers", "-1"}, 2, []string{"--workers -1", "1024"}},
		{"empty config", []string{"--config", write("empty.yaml", "")}, 2, []string{"empty.yaml", "empty", "{}"}},
		{"a file as --out", []string{"--out", write("afile", "mine")}, 2, []string{"afile", "not a directory"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(base, fmt.Sprint("out", i))
			r := bin(t, nil, append([]string{"run", "--quiet", "--out", out}, tc.args...)...)
			expect(t, r, tc.code, tc.want...)
			if f := tc.args[0]; f == "--workers" || f == "--shard" || f == "--chunk-size" {
				if strings.Contains(r.stderr, "bad config") { // a flag is not the config
					t.Errorf("a refused flag is called a bad config: %s", r.stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("%s was written: %v", out, err)
			}
		})
	}
	// Output directories backstop must not write into.
	mine := filepath.Join(base, "mine")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.md"), []byte("mine"), 0o644)
	expect(t, bin(t, nil, "run", "--quiet", "--force", "--out", mine), 1, "holds no backstop run", "notes.md")
	expect(t, bin(t, nil, "run", "--quiet", "--out", "/"), 2, "root") // a usage error, as for every kind of directory
	done := filepath.Join(base, "done")
	smallRun(t, done)
	snap := snapshot(t, done)
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--shard", "1/2", "--out", done), 2, "already holds a finished run", "--force")
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--out", done), 1, "already holds a finished run")
	expect(t, bin(t, nil, "run", "--resume", done, "--quiet"), 1, "already complete")
	unchanged(t, done, snap)
	// --force removes only what the old run's manifest lists: a user's file stays.
	os.WriteFile(filepath.Join(done, results.PathsDir, "my-notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(done, "README.txt"), []byte("mine"), 0o644)
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--no-figures", "--force", "--out", done), 0)
	if _, err := os.Stat(filepath.Join(done, "README.txt")); err != nil {
		t.Fatalf("--force removed a file backstop did not write: %v", err)
	}
	if _, err := os.Stat(filepath.Join(done, run.QuarantineDir, results.PathsDir, "my-notes.txt")); err != nil {
		t.Fatalf("a stray file of paths/ was not moved to quarantine/: %v", err)
	}
	verifyIntact(t, done)
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// markIncompleteFile rewrites the manifest at path as interrupted.
func markIncompleteFile(t *testing.T, path string) {
	t.Helper()
	m, err := results.ReadManifestFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m.Status = results.StatusIncomplete
	if err := results.WriteManifestFile(path, m); err != nil {
		t.Fatal(err)
	}
}

// sameSummary checks that the run in dir has the summary of ref, digit for digit.
func sameSummary(t *testing.T, dir, ref string) {
	t.Helper()
	a, err1 := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	b, err2 := os.ReadFile(filepath.Join(ref, results.SummaryFile))
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Fatalf("summary of %s differs from the reference's (%v, %v)", dir, err1, err2)
	}
}

// TestChaosSmallRunAndPlotFlags: a run too small for some figures still ends with exit 0
// and every figure drawn; plot refuses bad sizes and formats as usage errors (exit 2),
// naming the value briefly.
func TestChaosSmallRunAndPlotFlags(t *testing.T) {
	base := t.TempDir()
	for _, n := range []string{"10", "100"} {
		d := filepath.Join(base, "p"+n)
		expect(t, bin(t, nil, "run", "--paths", n, "--quiet", "--out", d), 0)
		expect(t, bin(t, nil, "plot", "--format", "svg", d), 0, "convergence.svg")
	}
	d := filepath.Join(base, "p100")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--width", "0.1"}, []string{"0.1", "1 to 40 inches"}},
		{[]string{"--width", "1000"}, []string{"1000", "1 to 40 inches"}},
		{[]string{"--width", "1e300"}, []string{"1e+300"}},
		{[]string{"--width", "NaN"}, []string{"NaN", "must be positive"}},
		{[]string{"--height", "nan"}, []string{"NaN", "must be positive"}},
		{[]string{"--height", "-Inf"}, []string{"-Inf", "must be positive"}},
		{[]string{"--format", "gif"}, []string{`"gif"`, "png, pdf, svg"}},
	} {
		r := bin(t, nil, append(append([]string{"plot"}, tc.args...), d)...)
		expect(t, r, 2, tc.want...)
		if len(r.stderr) > 400 {
			t.Errorf("plot %v: a %d-byte message", tc.args, len(r.stderr))
		}
	}
}

// TestChaosReadersCheckTheIndex: plot and inspect refuse a part copied over another chunk
// of the same run, and every reader refuses a manifest whose path count was edited away
// from what its index holds, naming the file.
func TestChaosReadersCheckTheIndex(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	smallRun(t, ref)
	part := func(d string, c int) string { return filepath.Join(d, results.PathsDir, results.PartName(c)) }
	copied := filepath.Join(base, "copied")
	copyTree(t, ref, copied)
	copyFile(t, part(copied, 0), part(copied, 2))
	edited := filepath.Join(base, "edited")
	copyTree(t, ref, edited)
	mf := filepath.Join(edited, results.ManifestFile)
	b, err := os.ReadFile(mf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"paths": 600`)) {
		t.Fatalf("manifest has no \"paths\": 600: %s", b)
	}
	if err := os.WriteFile(mf, bytes.Replace(b, []byte(`"paths": 600`), []byte(`"paths": 500`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		args []string
		want []string
	}{
		{copied, []string{"plot", "--format", "svg"}, []string{"part-00002.parquet", "chunk 2"}},
		{copied, []string{"inspect"}, []string{"part-00002.parquet", "chunk 2"}},
		{edited, []string{"verify"}, []string{"manifest.json", "paths 500", "600 paths"}},
		{edited, []string{"plot", "--format", "svg"}, []string{"manifest.json", "paths 500"}},
		{edited, []string{"inspect"}, []string{"manifest.json", "paths 500"}},
	} {
		expect(t, bin(t, nil, append(tc.args, tc.dir)...), 1, tc.want...)
	}
	// Fields edited away from the config the manifest records, or an index emptied: every
	// reader refuses the manifest rather than show or draw a run that never was.
	for _, ed := range []struct {
		from, to string
		want     []string
	}{
		{`"days": 60`, `"days": 5`, []string{"days 5 (config 60)"}},
		{`"seed": 1,`, `"seed": 7,`, []string{"seed 7 (config 1)"}},
		{`"scenario": "baseline"`, `"scenario": "other"`, []string{`scenario "other"`}},
	} {
		d := filepath.Join(base, "edit-"+strings.Fields(ed.to)[0][1:5])
		copyTree(t, ref, d)
		mf := filepath.Join(d, results.ManifestFile)
		b, err := os.ReadFile(mf)
		if err != nil || !bytes.Contains(b, []byte(ed.from)) {
			t.Fatalf("manifest has no %s: %v\n%s", ed.from, err, b)
		}
		os.WriteFile(mf, bytes.Replace(b, []byte(ed.from), []byte(ed.to), 1), 0o644)
		for _, cmd := range [][]string{{"verify"}, {"plot", "--format", "svg"}, {"inspect"}} {
			expect(t, bin(t, nil, append(cmd, d)...), 1, append([]string{"manifest.json"}, ed.want...)...)
		}
	}
	emptied := filepath.Join(base, "emptied")
	copyTree(t, ref, emptied)
	m, err := results.ReadManifest(emptied)
	if err != nil {
		t.Fatal(err)
	}
	m.Index, m.Parts = nil, nil
	data, _ := json.Marshal(m)
	os.WriteFile(filepath.Join(emptied, results.ManifestFile), data, 0o644)
	for _, cmd := range [][]string{{"verify"}, {"plot", "--format", "svg"}, {"inspect"}} {
		expect(t, bin(t, nil, append(cmd, emptied)...), 1, "manifest.json", "index lists 0 of its 3 chunks")
	}
}

// TestChaosPlotRecordsFigures: figures drawn by plot are listed, with their checksums, in
// the manifest: verify names a changed figure, and run --force --no-figures removes the
// old run's figures. plot refuses an unfinished run, a shard directory and another kind of
// directory, naming what to do; verify says an interrupted run is not finished.
func TestChaosPlotRecordsFigures(t *testing.T) {
	base := t.TempDir()
	d := filepath.Join(base, "run")
	smallRun(t, d)
	expect(t, bin(t, nil, "plot", "--format", "png", d), 0, "basis_fan.png")
	verifyIntact(t, d)
	fig := filepath.Join(d, results.FiguresDir, "basis_fan.png")
	saved, err := os.ReadFile(fig)
	if err != nil {
		t.Fatal(err)
	}
	flipByte(t, fig)
	expect(t, bin(t, nil, "verify", d), 1, "figures/basis_fan.png", "changed")
	if err := os.WriteFile(fig, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	verifyIntact(t, d)
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--no-figures", "--force", "--out", d), 0)
	if left, _ := filepath.Glob(filepath.Join(d, results.FiguresDir, "*")); len(left) > 0 {
		t.Fatalf("run --force --no-figures left the old run's figures: %v", left)
	}

	unfinished := filepath.Join(base, "unfinished")
	copyTree(t, d, unfinished)
	markIncompleteFile(t, filepath.Join(unfinished, results.ManifestFile))
	expect(t, bin(t, nil, "plot", unfinished), 1, "not complete", "backstop run --resume "+unfinished)
	expect(t, bin(t, nil, "verify", unfinished), exitNotFinished, "intact", "not finished", "backstop run --resume "+unfinished)

	sharded := filepath.Join(base, "sharded")
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--shard", "1/3", "--out", sharded), 0)
	expect(t, bin(t, nil, "plot", sharded), 1, "not yet merged", "backstop merge "+sharded)
	expect(t, bin(t, nil, "verify", sharded), exitNotFinished, "intact", "shard 2/3, 3/3 not complete", "backstop merge "+sharded)
	// Shards of another count, seed or chunk size are refused; the first shard is untouched.
	snap := snapshot(t, sharded)
	for _, args := range [][]string{
		{"--paths", "600", "--chunk-size", "200", "--shard", "3/3", "--seed", "2"},
		{"--paths", "600", "--chunk-size", "200", "--shard", "2/2"},
		{"--paths", "600", "--chunk-size", "100", "--shard", "3/3"},
		{"--paths", "800", "--chunk-size", "200", "--shard", "3/3"},
	} {
		expect(t, bin(t, nil, append([]string{"run", "--quiet", "--out", sharded}, args...)...), 2, "holds shard 1/3 of another run")
	}
	unchanged(t, sharded, snap)

	other := filepath.Join(base, "explore")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, results.ManifestFile), []byte(`{"schema_version": 1, "tool": "backstop", "kind": "explore", "status": "complete"}`), 0o644)
	for _, cmd := range []string{"plot", "inspect"} {
		expect(t, bin(t, nil, cmd, other), 2, "backstop explore, not of a run")
	}
	// verify checks an exploration too: this one's manifest records no explore file.
	expect(t, bin(t, nil, "verify", other), 1, filepath.Join(other, results.ManifestFile), "its explore file does not decode")

	// A symlinked subdirectory is refused: --force would write (and remove) through it.
	outside := filepath.Join(base, "outside")
	os.MkdirAll(outside, 0o755)
	mine := filepath.Join(outside, "basis_fan.png")
	os.WriteFile(mine, []byte("mine"), 0o644)
	os.RemoveAll(filepath.Join(d, results.FiguresDir))
	if err := os.Symlink(outside, filepath.Join(d, results.FiguresDir)); err != nil {
		t.Fatal(err)
	}
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--force", "--out", d), 2, "symbolic link")
	expect(t, bin(t, nil, "plot", d), 2, "symbolic link")
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
		t.Fatalf("a file outside the run changed: %q, %v", b, err)
	}
}

// TestChaosSecondSignal: a second SIGINT exits at once with exit 130, names the resume
// command of this directory, and leaves the manifest incomplete (not "running"); verify
// then says the run is intact but not finished, and the resume completes it.
func TestChaosSecondSignal(t *testing.T) {
	d := filepath.Join(t.TempDir(), "twice")
	cmd := exec.Command(backstopBinary(t), "run", "--paths", "400000", "--chunk-size", "4000", "--workers", "1", "--no-figures", "--out", d)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, filepath.Join(d, run.TalliesDir, run.CheckpointName(0)))
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(20 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("two signals: %v, want exit %d; stderr %s", err, exitInterrupted, stderr.String())
	}
	noPanic(t, result{code: exit.ExitCode(), stderr: stderr.String()}, nil)
	if !strings.Contains(stderr.String(), "backstop run --resume "+d) {
		t.Fatalf("stderr does not name the resume of %s: %s", d, stderr.String())
	}
	m, err := results.ReadManifest(d)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.StatusIncomplete {
		t.Fatalf("manifest status %q after a second signal, want %q", m.Status, results.StatusIncomplete)
	}
	expect(t, bin(t, nil, "verify", d), exitNotFinished, "intact", "not finished", "backstop run --resume "+d)
}

// TestChaosShardIntoWholeRun: a shard is refused (exit 2, nothing changed) in a directory
// that holds a run computed in one process, finished or interrupted: its chunks would
// silently replace that run's parts. With --force the old run's files make way for the
// shards, and the merged run is intact.
func TestChaosShardIntoWholeRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		complete bool
		want     string
	}{
		{"finished", true, "already holds a finished run"},
		{"interrupted", false, "unfinished run computed in one process"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "whole")
			smallRun(t, d)
			if !tc.complete {
				markIncompleteFile(t, filepath.Join(d, results.ManifestFile))
			}
			snap := snapshot(t, d)
			shard := []string{"run", "--paths", "800", "--chunk-size", "200", "--seed", "5", "--quiet", "--no-figures", "--out", d}
			expect(t, bin(t, nil, append(shard, "--shard", "1/2")...), 2, tc.want, "--force")
			unchanged(t, d, snap)
			expect(t, bin(t, nil, append(shard, "--shard", "1/2", "--force")...), 0)
			if _, err := os.Stat(filepath.Join(d, results.ManifestFile)); err == nil {
				t.Fatalf("--force shard left the old run's %s", results.ManifestFile)
			}
			expect(t, bin(t, nil, append(shard, "--shard", "2/2")...), 0)
			expect(t, bin(t, nil, "merge", d), 0)
			verifyIntact(t, d)
		})
	}
}

// TestChaosSweepSecondSignal: a second SIGINT during a sweep exits at once with exit 130
// and leaves the sweep's manifest, and its grid point's, incomplete (not "running"); the
// readers then refuse the unfinished sweep, naming the resume, rather than calling it
// "not a run" or a missing sweep.parquet.
func TestChaosSweepSecondSignal(t *testing.T) {
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "two.yaml")
	if err := os.WriteFile(cfg, []byte("name: two\nparameters:\n  - {key: spv.capacity, values: [100, 500]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(tmp, "sw")
	cmd := exec.Command(backstopBinary(t), "sweep", "--config", cfg, "--paths", "400000", "--workers", "1", "--quiet", "--out", d)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, filepath.Join(d, results.PointsDir, results.PointName(0, 2), run.TalliesDir, run.CheckpointName(0)))
	// While it runs, the readers say it is being written.
	expect(t, bin(t, nil, "sweep", "--plot", d), 1, "being written")
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(20 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("two signals: %v, want exit %d; stderr %s", err, exitInterrupted, stderr.String())
	}
	m, err := results.ReadSweepManifest(d)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.StatusIncomplete {
		t.Fatalf("sweep manifest status %q after a second signal, want %q", m.Status, results.StatusIncomplete)
	}
	if pm, err := results.ReadManifest(filepath.Join(d, results.PointsDir, results.PointName(0, 2))); err != nil || pm.Status != results.StatusIncomplete {
		t.Fatalf("grid point 0 after a second signal: %v, %v; want status %q", pm, err, results.StatusIncomplete)
	}
	for _, args := range [][]string{{"sweep", "--plot", d}, {"plot", d}, {"inspect", d}} {
		expect(t, bin(t, nil, args...), 1, "incomplete, not complete", "backstop sweep --resume "+d)
	}
}

// TestChaosReaderUsageErrors: a reader given a directory that does not exist, a resume
// with flags other than the run's, and a reader or resume given a run still in shards:
// each exits with its documented status and says what to do, before anything is written.
func TestChaosReaderUsageErrors(t *testing.T) {
	base := t.TempDir()
	d := filepath.Join(base, "run")
	smallRun(t, d)
	markIncompleteFile(t, filepath.Join(d, results.ManifestFile))
	sh := filepath.Join(base, "sh")
	expect(t, bin(t, nil, "run", "--paths", "600", "--chunk-size", "200", "--quiet", "--no-figures", "--shard", "1/2", "--out", sh), 0)
	missing := filepath.Join(base, "nodir")
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"inspect", missing}, 2, []string{missing, "no such file"}},
		{[]string{"plot", missing}, 2, []string{missing, "no such file"}},
		{[]string{"verify", missing}, 2, []string{missing, "no such file"}},
		{[]string{"run", "--resume", d, "--seed", "9"}, 2, []string{"--seed 9", "the run's is 1"}},
		{[]string{"run", "--resume", d, "--chunk-size", "100"}, 2, []string{"--chunk-size 100", "the run's is 200"}},
		{[]string{"run", "--resume", d, "--paths", "900"}, 2, []string{"--paths 900", "the run's is 600"}},
		{[]string{"inspect", sh}, 1, []string{"not yet merged", "backstop merge " + sh}},
		{[]string{"plot", sh}, 1, []string{"not yet merged", "backstop merge " + sh}},
		{[]string{"run", "--resume", sh}, 2, []string{"not yet merged", "--shard I/N", "backstop merge " + sh}},
	} {
		snap := snapshot(t, d)
		r := bin(t, nil, tc.args...)
		expect(t, r, tc.code, tc.want...)
		if strings.Contains(r.stderr, "seed 9") && strings.Contains(r.stderr, "paths") && strings.Contains(r.stderr, "->") {
			t.Errorf("%v printed a start line before refusing: %s", tc.args, r.stderr)
		}
		unchanged(t, d, snap)
	}
	// merge of copied shards names the copy's directory for the missing shard.
	shF := filepath.Join(base, "shF")
	copyTree(t, sh, shF)
	r := bin(t, nil, "merge", shF)
	expect(t, r, 1, "shard 2/2", "--shard 2/2 --out "+shF)
	if strings.Contains(r.stderr, "--out "+sh+" ") || strings.HasSuffix(strings.TrimSpace(r.stderr), "--out "+sh) {
		t.Errorf("merge of a copy names the original directory: %s", r.stderr)
	}
}
