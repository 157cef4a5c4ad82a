package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/results"
)

// TestSecondSignalNamesTheResumeCommand: two quick signals stop sweep and explore at once,
// and the last line names the command that finishes each (its own subcommand and the real
// directory, not a placeholder).
func TestSecondSignalNamesTheResumeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	tmp := t.TempDir()
	base, _ := filepath.Abs("../../configs/march2020.yaml")
	sweepFile, exploreFile := filepath.Join(tmp, "sweep.yaml"), filepath.Join(tmp, "explore.yaml")
	os.WriteFile(sweepFile, []byte("name: cut\npaths: 60000\nparameters:\n  - {key: spv.capacity, values: [100, 300, 500]}\n"), 0o644)
	os.WriteFile(exploreFile, []byte("base: "+base+"\ndesign: morris\nsamples: 20\npaths: 4000\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n"), 0o644)
	for _, tc := range []struct {
		kind string
		args []string
	}{
		{"sweep", []string{"sweep", "--config", sweepFile, "--workers", "1"}},
		{"explore", []string{"explore", "--config", exploreFile, "--workers", "1", "--no-figures"}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			dir := filepath.Join(tmp, tc.kind+" out") // a space: the hint must quote it
			cmd := exec.Command(backstopBinary(t), append(tc.args, "--out", dir)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Minute)
			for time.Now().Before(deadline) {
				if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			// Two different signals, sent together: the kernel would merge two pending SIGINTs.
			cmd.Process.Signal(syscall.SIGINT)
			cmd.Process.Signal(syscall.SIGTERM)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Fatalf("exit after two signals: %v, want %d; stderr:\n%s", err, exitInterrupted, stderr.String())
			}
			want := "second signal: exiting now; resume with: backstop " + tc.kind + " --resume '" + dir + "'"
			if !strings.Contains(stderr.String(), want) {
				t.Fatalf("stderr lacks %q:\n%s", want, stderr.String())
			}
		})
	}
}
