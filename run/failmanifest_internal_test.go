package run

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// TestFailSaysResumeWhenManifestUnwritable checks that a run whose failure cannot be
// recorded in its manifest (a full disk, a directory made read-only) still tells the user
// how to finish it: the manifest, which would say so, still says "running".
func TestFailSaysResumeWhenManifestUnwritable(t *testing.T) {
	cases := []struct {
		name string
		err  error
	}{
		{"failure", errors.New("write bands.parquet: no space left on device")},
		{"interruption", ErrInterrupted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			// A manifest that cannot be replaced, even by root: a directory with a file in it.
			manifest := filepath.Join(dir, results.ManifestFile)
			if err := os.MkdirAll(filepath.Join(manifest, "x"), 0o755); err != nil {
				t.Fatal(err)
			}
			j := &job{opt: Options{OutDir: dir}, manifestPath: manifest}
			_, err := j.fail(&results.Manifest{Status: results.StatusRunning}, c.err)
			if err == nil {
				t.Fatal("fail returned no error")
			}
			if !errors.Is(err, c.err) {
				t.Errorf("error %q does not wrap %q", err, c.err)
			}
			if !strings.Contains(err.Error(), results.ManifestFile) {
				t.Errorf("error %q does not name the manifest it could not write", err)
			}
			if want := j.resumeCommand(); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say how to finish the run (%s)", err, want)
			}
		})
	}
}
