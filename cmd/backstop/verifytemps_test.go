package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/internal/dirstate"
	"github.com/backstop-research/backstop/results"
)

// A run killed (SIGKILL) while it writes a part leaves that part's temporary file: the
// real binary's verify notes it, with the resume that removes it, changes nothing, and
// says the run is intact but not finished (exit 3); the resume removes it, and verify
// then notes nothing. A temporary file made by hand in a complete run is noted too, with
// exit 0.
func TestVerifyNotesWhatAKillLeft(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary for several seconds")
	}
	dir := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(backstopBinary(t), "run", "--paths", "40000", "--chunk-size", "2000", "--workers", "2", "--quiet", "--out", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForChunks(t, dir, 1)
	var temps []string
	for deadline := time.Now().Add(time.Minute); len(temps) == 0; {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no part being written after a minute")
		}
		temps, _ = filepath.Glob(filepath.Join(dir, results.PathsDir, ".part-*.tmp-*"))
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	left, _ := filepath.Glob(filepath.Join(dir, results.PathsDir, ".part-*.tmp-*"))
	if len(left) == 0 {
		t.Fatalf("the kill left no temporary part (saw %v before it)", temps)
	}
	before := dirstate.Describe(t, dir)
	var notes []string
	for _, f := range left {
		notes = append(notes, "note: "+filepath.Join(results.PathsDir, filepath.Base(f)), "write cut short")
	}
	expect(t, bin(t, nil, "verify", dir), exitNotFinished, append(notes, "intact", "note: these do not affect the run", "backstop run --resume "+dir+" removes them")...)
	if after := dirstate.Describe(t, dir); after != before {
		t.Errorf("verify changed the run directory:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	expect(t, bin(t, nil, "run", "--resume", dir, "--quiet"), 0)
	for _, f := range left {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("the resume left %s (stat: %v)", f, err)
		}
	}
	r := bin(t, nil, "verify", dir)
	expect(t, r, 0, "intact")
	if strings.Contains(r.stdout, "note:") {
		t.Errorf("verify of the resumed run notes:\n%s", r.stdout)
	}

	hand := filepath.Join(dir, ".summary.csv.tmp-2718281828")
	if err := os.WriteFile(hand, []byte("cut short"), 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, bin(t, nil, "verify", dir), 0, "intact", "note: .summary.csv.tmp-2718281828", "the run is complete", "can be deleted")
	if _, err := os.Stat(hand); err != nil {
		t.Errorf("verify removed %s: %v", hand, err)
	}
}
