package explore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
)

// markIncomplete rewrites the manifest in dir as an interrupted exploration's.
func markIncomplete(t *testing.T, dir string) {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Status, m.Finished = results.StatusIncomplete, ""
	if err := writeJSON(filepath.Join(dir, results.ManifestFile), m); err != nil {
		t.Fatal(err)
	}
}

// A chunk of evaluations that is not this exploration's is refused by resume, naming it:
// one of an exploration with another seed, another chunk of the same exploration, and a
// file backstop did not write.
func TestResumeRefusesForeignChunk(t *testing.T) {
	p := plan(t, smallSobol)
	other := plan(t, strings.Replace(smallSobol, "seed: 3", "seed: 4", 1))
	dir, otherDir := t.TempDir(), t.TempDir()
	if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), other, Options{OutDir: otherDir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	target := chunkPath(dir, 0)
	original, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"another seed", read(chunkPath(otherDir, 0)), "belongs to another exploration (identity config"},
		{"another chunk", read(chunkPath(dir, 1)), "chunk 1, this one's"},
		{"not backstop's", []byte("[]\n"), "is not a chunk of evaluations backstop wrote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(target, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			markIncomplete(t, dir)
			_, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Resume: true})
			if err == nil || !strings.Contains(err.Error(), target) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("resume with a foreign %s: %v; want a refusal naming %s and saying %q", filepath.Base(target), err, target, tc.want)
			}
		})
	}
	// Its own chunk back, the resume finishes.
	if err := os.WriteFile(target, original, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Resume: true}); err != nil {
		t.Fatalf("resume with its own chunks: %v", err)
	}
}

// --force replaces an exploration by removing only what its manifest lists: a user's
// files in figures/ and evaluations/ stay; the results are the fresh exploration's.
func TestForceKeepsUserFiles(t *testing.T) {
	// 160 paths: the kept run draws its figures, which need more than about 100 paths.
	p := plan(t, strings.Replace(smallSobol, "paths: 64", "paths: 160", 1))
	dir := t.TempDir()
	opt := Options{OutDir: dir, Workers: 2, Figures: true, FigureFormats: []string{"png"}, KeepRuns: []int{2}}
	if _, err := Run(context.Background(), p, opt); err != nil {
		t.Fatal(err)
	}
	keptManifest := filepath.Join(dir, RunsDir, "2", results.ManifestFile)
	if _, err := os.Stat(keptManifest); err != nil {
		t.Fatalf("kept run: %v", err)
	}
	opt.KeepRuns = nil
	mine := []string{filepath.Join(results.FiguresDir, "my_paper_fig.pdf"), filepath.Join(EvaluationsDir, "my.json"), "notes.txt"}
	for _, f := range mine {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stale := filepath.Join(dir, results.FiguresDir, "spv_advantage.svg") // a format this run does not draw
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	opt.Force = true
	out, err := Run(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range mine {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || string(b) != "mine\n" {
			t.Errorf("--force changed the user's %s: %q, %v", f, b, err)
		}
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("--force left the old exploration's %s (%v)", stale, err)
	}
	if _, err := os.Stat(keptManifest); !os.IsNotExist(err) {
		t.Errorf("--force left the old exploration's kept run (%v)", err)
	}
	if len(out.Manifest.Outputs) == 0 {
		t.Fatal("the manifest lists no figures")
	}
	for _, f := range out.Manifest.Outputs {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("listed figure %s: %v", f, err)
		}
	}
}
