package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/results"
)

// TestHangUp checks what a run does when its terminal hangs up (an ssh session dropped):
// it stops as on SIGINT, writing the chunks in flight and a manifest that names the
// resume command, and exits with exitInterrupted; and that a run started under nohup
// (SIGHUP ignored) keeps ignoring it and finishes.
func TestHangUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	nohup, err := exec.LookPath("nohup")
	if err != nil {
		t.Fatal("nohup (coreutils) is needed: ", err)
	}
	// The binary is started with SIGHUP at its default, whatever this test was started
	// with: a signal ignored here (`nohup make test`) would stay ignored in the child, which
	// then rightly keeps ignoring it. A signal caught here is reset to its default in a
	// child, so catching it for the test's length does that.
	hangups := make(chan os.Signal, 1)
	signal.Notify(hangups, syscall.SIGHUP)
	defer signal.Stop(hangups)
	for _, tc := range []struct {
		name   string
		prefix []string
		status string
		exit   int
	}{
		{"hang-up stops the run", nil, results.StatusIncomplete, exitInterrupted},
		{"under nohup the run finishes", []string{nohup}, results.StatusComplete, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			args := append(append(tc.prefix, backstopBinary(t)), "run", "--paths", "100000", "--chunk-size", "5000", "--no-figures", "--workers", "1", "--out", dir)
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = t.TempDir() // where nohup would put nohup.out
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Minute)
			for time.Now().Before(deadline) {
				if m, err := results.ReadManifest(dir); err == nil && len(m.Index) > 0 {
					break // a chunk is on disk: the run is well under way
				}
				time.Sleep(20 * time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGHUP)
			err := cmd.Wait()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.exit {
				t.Fatalf("exit %d (%v), want %d; output:\n%s", code, err, tc.exit, stderr.String())
			}
			m, err := results.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != tc.status {
				t.Errorf("manifest status %q, want %q", m.Status, tc.status)
			}
			if tc.status == results.StatusIncomplete && m.Resume == "" {
				t.Error("the stopped run's manifest names no resume command")
			}
		})
	}
}
