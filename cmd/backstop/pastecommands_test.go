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

// TestSuggestedCommandsPasteBack stops a run whose directory's name holds a space and a
// quote, then pastes the commands backstop suggests into a POSIX shell as a user would:
// the resume command in the manifest and in the last line on stderr, and verify's
// quarantine and resume commands for a damaged part. Each must run as written.
func TestSuggestedCommandsPasteBack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := backstopBinary(t)
	if filepath.Base(bin) != "backstop" {
		t.Fatalf("the test binary is %s; the suggested commands call it backstop", bin)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal("a POSIX sh is needed: ", err)
	}
	// paste runs line in sh with the test binary first on PATH, and fails t unless it
	// exits with status want.
	paste := func(t *testing.T, line string, want int) string {
		t.Helper()
		cmd := exec.Command(sh, "-c", line)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("pasting %q: %v", line, err)
		}
		if code != want {
			t.Fatalf("pasting %q: exit %d, want %d\n%s", line, code, want, out)
		}
		return string(out)
	}
	dir := filepath.Join(t.TempDir(), "my runs", "ana's $run")
	cmd := exec.Command(bin, "run", "--paths", "60000", "--chunk-size", "5000", "--workers", "1", "--no-figures", "--out", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m, err := results.ReadManifest(dir); err == nil && len(m.Index) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit after SIGINT: %v; stderr:\n%s", err, stderr.String())
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last := lines[len(lines)-1]
	if i := strings.Index(last, "resume with: "); i < 0 || strings.TrimSpace(last[i+len("resume with: "):]) != m.Resume {
		t.Fatalf("the last line %q does not end with the manifest's resume command %q", last, m.Resume)
	}
	paste(t, m.Resume+" --quiet", 0)
	if m, err := results.ReadManifest(dir); err != nil || m.Status != results.StatusComplete {
		t.Fatalf("after pasting the resume command: %v, %v", m, err)
	}
	// A damaged part: verify's advice, pasted.
	if err := os.WriteFile(filepath.Join(dir, results.PathsDir, results.PartName(2)), []byte("not a part"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, "verify", dir).Output()
	const advice = "to recompute the damaged chunks alone: "
	i := strings.Index(string(out), advice)
	if i < 0 {
		t.Fatalf("verify gave no advice:\n%s", out)
	}
	steps := strings.SplitN(strings.TrimSpace(strings.SplitN(string(out[i+len(advice):]), "\n", 2)[0]), ", then ", 2)
	if len(steps) != 2 {
		t.Fatalf("verify's advice is not two commands: %q", out[i:])
	}
	paste(t, steps[0], 1) // it moves the damaged chunk away, and still reports the problem it found
	paste(t, steps[1]+" --quiet", 0)
	if got := paste(t, "backstop verify "+shellQuoteForTest(dir), 0); !strings.Contains(got, "intact") {
		t.Errorf("after the advice: %s", got)
	}
}

// shellQuoteForTest quotes s for sh independently of the code under test.
func shellQuoteForTest(s string) string { return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'" }
