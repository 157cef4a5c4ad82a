package sweep_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sweep"
)

// A resumed sweep removes the temporary files a killed one left in its own directories,
// but never through a symbolic link: a figures/ (or points/) linked to a folder of the
// user's keeps that folder's files, temporary-looking names included.
func TestResumeDoesNotRemoveThroughALink(t *testing.T) {
	body := "paths: 600\nparameters:\n  - {key: spv.capacity, values: [100, 300]}\n"
	for _, sub := range []string{results.FiguresDir, results.ShardsDir} {
		t.Run(sub, func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(tmp, "cut")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if _, err := sweep.Run(ctx, mustDecode(t, body), sweep.Options{OutDir: out, Log: &cancelAfter{n: 1, cancel: cancel}}); !errors.Is(err, run.ErrInterrupted) {
				t.Fatalf("interrupted sweep: %v", err)
			}
			mine := filepath.Join(tmp, "mine")
			if err := os.MkdirAll(mine, 0o755); err != nil {
				t.Fatal(err)
			}
			kept := filepath.Join(mine, ".notes.txt.tmp-7") // the name of a write cut short
			if err := os.WriteFile(kept, []byte("the user's"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(filepath.Join(out, sub))
			if err := os.Symlink(mine, filepath.Join(out, sub)); err != nil {
				t.Fatal(err)
			}
			sweep.Run(context.Background(), mustDecode(t, body), sweep.Options{OutDir: out, Resume: true})
			if _, err := os.Stat(kept); err != nil {
				t.Errorf("the resume removed %s behind the link %s/: %v", kept, sub, err)
			}
		})
	}
}
