package rundir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
)

// write creates the files (relative paths) under dir.
func write(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheck(t *testing.T) {
	shards := func(e os.DirEntry) bool { return e.IsDir() && e.Name() == results.ShardsDir }
	for _, tc := range []struct {
		name    string
		dir     string   // "" for a fresh temporary directory
		files   []string // created in it first
		allowed func(os.DirEntry) bool
		want    string // "" to pass; else a part of the refusal
		usage   bool   // the refusal is ErrBadOutDir
	}{
		{name: "root", dir: "/", want: "file system root", usage: true},
		{name: "missing", dir: "missing", want: ""},
		{name: "empty", want: ""},
		{name: "only the lock", files: []string{dirlock.FileName}, want: ""},
		{name: "a manifest", files: []string{results.ManifestFile, "mine.txt"}, want: ""},
		{name: "foreign", files: []string{"notes.txt"}, want: "holds no backstop sweep (manifest.json): it holds notes.txt"},
		{name: "many foreign", files: []string{"a", "b", "c", "d", "e", "f", "g"}, want: "a, b, c, d, e, and 2 more"},
		{name: "a killed write's temporary file", files: []string{".manifest.json.tmp-123", ".backstop.lock"}, want: ""},
		{name: "a hidden file of the user's", files: []string{".notes.tmp"}, want: "it holds .notes.tmp"},
		{name: "allowed shards", files: []string{"shards/x.json"}, allowed: shards, want: ""},
		{name: "shards not allowed", files: []string{"shards/x.json"}, want: "it holds shards"},
		{name: "a file", dir: "file", want: "is a file", usage: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			dir := tc.dir
			switch dir {
			case "":
				dir = base
			case "missing":
				dir = filepath.Join(base, "missing")
			case "file":
				dir = filepath.Join(base, "file")
				write(t, base, "file")
			}
			write(t, dir, tc.files...)
			err := Check(dir, "sweep", tc.allowed)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want a refusal saying %q", err, tc.want)
			case err != nil && errors.Is(err, ErrBadOutDir) != tc.usage:
				t.Fatalf("errors.Is(%v, ErrBadOutDir) = %v, want %v", err, !tc.usage, tc.usage)
			}
		})
	}
}

// RemoveListed removes the listed files and the directories they leave empty, and nothing
// else: not a user's file beside them, not a name outside the directory, not through a
// symbolic link.
func TestRemoveListed(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "d")
	outside := filepath.Join(base, "outside")
	write(t, dir, "figures/a.png", "figures/my_paper_fig.pdf", "evaluations/chunk-00000.json", "samples.parquet", "mine.txt")
	write(t, outside, "b.png")
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	err := RemoveListed(dir, []string{"figures/a.png", "evaluations/chunk-00000.json", "samples.parquet", "absent.csv", "../outside/b.png", "linked/b.png", "/etc/passwd"})
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"figures/a.png", "evaluations", "samples.parquet"} {
		if _, err := os.Lstat(filepath.Join(dir, gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was not removed (%v)", gone, err)
		}
	}
	for _, kept := range []string{filepath.Join(dir, "figures/my_paper_fig.pdf"), filepath.Join(dir, "mine.txt"), filepath.Join(outside, "b.png")} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}
}

// A second writer of a locked directory is refused, naming the holder.
func TestLockRefusesSecondWriter(t *testing.T) {
	dir := t.TempDir()
	l, err := Lock(dir, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.locks[0].Unsupported() {
		t.Fatal("the test directory's file system has no locks")
	}
	// flock locks belong to the open file, so a second open in this process conflicts.
	_, err = Lock(dir, 0, 1, nil)
	if !errors.Is(err, dirlock.ErrHeld) || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second writer: %v, want a refusal naming the holder's pid", err)
	}
	l.Release()
	l2, err := Lock(dir, 0, 1, nil)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}
