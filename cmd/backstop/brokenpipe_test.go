package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/explore"
	"github.com/backstop-research/backstop/results"
)

// pipeRun is what runIntoClosedPipe saw of one run of the binary.
type pipeRun struct {
	code   int    // exit status; -1 when a signal ended the process
	signal string // the signal that ended it, if any
	line   string // the line read from the pipe before its reader closed
	stderr string // stderr, when it was not on the pipe
}

// runIntoClosedPipe runs the binary with args as `backstop ... | head -1` does (with
// stderrToo, as `2>&1 | head -1`): its stdout (and stderr) on a pipe whose reader reads
// one line and closes it. With readFirst false the reader is gone before the command
// starts (`| true`), so that every write to the pipe fails, whenever it comes.
func runIntoClosedPipe(t *testing.T, args []string, stderrToo, readFirst bool) pipeRun {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(backstopBinary(t), args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	if stderrToo {
		cmd.Stderr = w
	}
	if !readFirst {
		r.Close()
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close() // the child's copy is the pipe's only writer now
	var got pipeRun
	if readFirst {
		got.line, _ = bufio.NewReader(r).ReadString('\n')
		r.Close()
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("backstop %s: still running 3 minutes after its reader left", strings.Join(args, " "))
	}
	got.code, got.stderr = cmd.ProcessState.ExitCode(), stderr.String()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			got.signal = ws.Signal().String()
		}
	}
	return got
}

// TestWriterCommandsOutliveAClosedPipe: a writer command whose stdout and stderr go to
// `| head -1` (or to a reader already gone) finishes its output directory and exits 0;
// what it would have printed is lost. Before, the first write after head exited killed it
// by SIGPIPE, a run's manifest left "running".
func TestWriterCommandsOutliveAClosedPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	tmp := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, tmp, name, body) }
	base, _ := filepath.Abs("../../configs/march2020.yaml")
	sweepFile := write("sweep.yaml", "name: piped\nparameters:\n  - {key: spv.capacity, values: [100, 500]}\n")
	exploreFile := write("explore.yaml", "base: "+base+"\ndesign: morris\nsamples: 3\npaths: 200\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n")
	calibrateFile := write("calibrate.yaml", tinyCalibration)
	shards := filepath.Join(tmp, "shards")
	for _, s := range []string{"1/2", "2/2"} {
		var stdout, stderr bytes.Buffer
		if code := mainErr([]string{"run", "--paths", "20000", "--chunk-size", "5000", "--workers", "2", "--shard", s, "--quiet", "--out", shards}, &stdout, &stderr); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, code, stderr.String())
		}
	}
	runStatus := func(dir string) (string, error) {
		m, err := results.ReadManifest(dir)
		if err != nil {
			return "", err
		}
		return m.Status, nil
	}
	tests := []struct {
		name      string
		args      []string // DIR is the output directory
		stderrToo bool     // stderr on the pipe too (2>&1)
		readFirst bool     // the reader reads a line before it closes
		status    func(dir string) (string, error)
		verify    bool // backstop verify DIR passes
	}{
		{"run 2>&1 | head -1", []string{"run", "--paths", "20000", "--chunk-size", "5000", "--workers", "2", "--no-figures", "--out", "DIR"}, true, true, runStatus, true},
		{"run | true", []string{"run", "--paths", "2000", "--chunk-size", "500", "--workers", "2", "--no-figures", "--out", "DIR"}, false, false, runStatus, true},
		{"merge 2>&1 | head -1", []string{"merge", shards}, true, true, runStatus, true},
		{"sweep 2>&1 | head -1", []string{"sweep", "--config", sweepFile, "--paths", "2000", "--workers", "2", "--format", "png", "--out", "DIR"}, true, true, func(dir string) (string, error) {
			m, err := results.ReadSweepManifest(dir)
			if err != nil {
				return "", err
			}
			return m.Status, nil
		}, false},
		{"explore 2>&1 | head -1", []string{"explore", "--config", exploreFile, "--workers", "2", "--no-figures", "--out", "DIR"}, true, true, func(dir string) (string, error) {
			m, err := explore.ReadManifest(dir)
			if err != nil {
				return "", err
			}
			return m.Status, nil
		}, false},
		{"calibrate 2>&1 | head -1", []string{"calibrate", "--config", calibrateFile, "--workers", "2", "--format", "png", "--out", "DIR"}, true, true, func(dir string) (string, error) {
			m, err := calibrate.ReadManifest(dir)
			if err != nil {
				return "", err
			}
			return m.Status, nil
		}, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(tmp, "out", string(rune('a'+i)))
			if tc.args[0] == "merge" {
				dir = shards
			}
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			got := runIntoClosedPipe(t, args, tc.stderrToo, tc.readFirst)
			if got.code != 0 {
				t.Errorf("exit status %d (signal %q), want 0: its files are complete; line read %q, stderr:\n%s", got.code, got.signal, got.line, got.stderr)
			}
			if tc.readFirst && got.line == "" {
				t.Errorf("the reader read no line")
			}
			if status, err := tc.status(dir); err != nil || status != results.StatusComplete {
				t.Errorf("manifest status %q, %v; want %s", status, err, results.StatusComplete)
			}
			if !tc.stderrToo && !strings.Contains(got.stderr, "standard output") {
				t.Errorf("stderr does not say that stdout was lost:\n%s", got.stderr)
			}
			if tc.verify {
				if out, err := exec.Command(backstopBinary(t), "verify", dir).CombinedOutput(); err != nil {
					t.Errorf("backstop verify %s: %v\n%s", dir, err, out)
				}
			}
		})
	}
}

// failingWriter fails every write with err, counting the attempts.
type failingWriter struct {
	err   error
	calls int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	f.calls++
	return 0, f.err
}

// TestLossyWriterDropsAfterTheFirstFailure: the first failed write is remembered and every
// later one dropped without touching the dead writer (no progress loop retries a closed
// pipe), each reporting success to its caller.
func TestLossyWriterDropsAfterTheFirstFailure(t *testing.T) {
	for _, errno := range []error{syscall.EPIPE, syscall.ENOSPC, syscall.EIO} {
		t.Run(errno.Error(), func(t *testing.T) {
			dead := &failingWriter{err: errno}
			l := &lossyWriter{w: dead}
			for i := 0; i < 3; i++ {
				if n, err := l.Write([]byte("line\n")); n != 5 || err != nil {
					t.Fatalf("write %d: %d, %v; want 5, nil", i, n, err)
				}
			}
			if dead.calls != 1 || !errors.Is(l.lost(), errno) {
				t.Fatalf("%d writes reached the dead writer, lost %v; want 1 and %v", dead.calls, l.lost(), errno)
			}
		})
	}
	var live bytes.Buffer
	l := &lossyWriter{w: &live}
	l.Write([]byte("kept\n"))
	if live.String() != "kept\n" || l.lost() != nil {
		t.Fatalf("a live writer got %q, lost %v", live.String(), l.lost())
	}
}

// TestRunOnAFullStdout: a run whose stdout fails (`> /dev/full`) writes its files, exits
// 0 and says on stderr that its stdout is missing; a reading command fails on it.
func TestRunOnAFullStdout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	var stderr bytes.Buffer
	full := &failingWriter{err: syscall.ENOSPC}
	code := mainErr([]string{"run", "--paths", "300", "--chunk-size", "100", "--no-figures", "--out", dir}, full, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "standard output failed (no space left on device)") {
		t.Fatalf("exit %d, stderr:\n%s\nwant 0 and a note on the lost stdout", code, stderr.String())
	}
	if m, err := results.ReadManifest(dir); err != nil || m.Status != results.StatusComplete {
		t.Fatalf("manifest %v, %v; want complete", m, err)
	}
	if code := mainErr([]string{"inspect", dir}, full, &stderr); code != 1 {
		t.Fatalf("inspect on a full stdout: exit %d, want 1", code)
	}
}

// stuckWriter blocks every write until release is closed: stderr on a full pipe whose
// reader reads nothing.
type stuckWriter struct{ release chan struct{} }

func (s stuckWriter) Write(p []byte) (int, error) {
	<-s.release
	return len(p), nil
}

// TestSignalNoteDoesNotWaitForAStuckStderr: a signal's note gives up on a stderr that
// does not take it within sayWait, so that the stop and the second signal's exit happen.
func TestSignalNoteDoesNotWaitForAStuckStderr(t *testing.T) {
	stuck := stuckWriter{release: make(chan struct{})}
	defer close(stuck.release)
	start := time.Now()
	sayWithin(&lossyWriter{w: stuck}, "backstop: interrupt\n")
	if d := time.Since(start); d < sayWait || d > sayWait+5*time.Second {
		t.Fatalf("sayWithin returned after %v on a stuck writer, want about %v", d, sayWait)
	}
	var live bytes.Buffer
	sayWithin(&live, "said\n")
	if live.String() != "said\n" {
		t.Fatalf("a live writer got %q", live.String())
	}
}
