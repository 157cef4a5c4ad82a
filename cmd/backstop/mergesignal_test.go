package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// fileSums is the SHA-256 of every file under dir's subdirectories subs, by path.
func fileSums(t *testing.T, dir string, subs ...string) map[string][32]byte {
	t.Helper()
	sums := map[string][32]byte{}
	for _, sub := range subs {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			sums[path] = sha256.Sum256(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return sums
}

// TestInterruptMerge: SIGINT during backstop merge stops it, says so (not the run's
// "finishing the chunks in flight"), exits 130 and leaves the shards as they were and the
// run not complete; merge then runs again to a complete, intact run.
func TestInterruptMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	dir := filepath.Join(t.TempDir(), "sharded run")
	for _, s := range []string{"1/4", "2/4", "3/4", "4/4"} {
		var stdout, stderr bytes.Buffer
		if code := mainErr([]string{"run", "--paths", "200000", "--workers", "2", "--shard", s, "--quiet", "--out", dir}, &stdout, &stderr); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, code, stderr.String())
		}
	}
	shardDirs := []string{results.ShardsDir, results.PathsDir, run.TalliesDir}
	before := fileSums(t, dir, shardDirs...)

	cmd := exec.Command(backstopBinary(t), "merge", dir)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	lines := bufio.NewScanner(pipe)
	signalled := false
	for lines.Scan() {
		stderr.WriteString(lines.Text() + "\n")
		if !signalled && strings.Contains(lines.Text(), "merging 4 shards") {
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			signalled = true
		}
	}
	err = cmd.Wait()
	if !signalled {
		t.Fatalf("merge never said it was merging:\n%s", stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Errorf("exit after SIGINT: %v, want status %d; stderr:\n%s", err, exitInterrupted, stderr.String())
	}
	if strings.Contains(stderr.String(), "chunks in flight") || !strings.Contains(stderr.String(), "stopping the merge") {
		t.Errorf("stderr does not say that the merge stops:\n%s", stderr.String())
	}
	if m, err := results.ReadManifest(dir); err == nil && (m.Status == results.StatusComplete || !strings.Contains(m.Resume, "backstop merge "+dir)) {
		t.Errorf("manifest.json after an interrupted merge: status %s, resume %q; want not complete, resumed by backstop merge", m.Status, m.Resume)
	}
	if after := fileSums(t, dir, shardDirs...); !reflect.DeepEqual(after, before) {
		t.Errorf("the interrupted merge changed the shards' files: %d files before, %d after", len(before), len(after))
	}

	if out, err := exec.Command(backstopBinary(t), "merge", dir).CombinedOutput(); err != nil {
		t.Fatalf("merge again: %v\n%s", err, out)
	}
	if out, err := exec.Command(backstopBinary(t), "verify", dir).CombinedOutput(); err != nil {
		t.Fatalf("verify after merging again: %v\n%s", err, out)
	}
}
