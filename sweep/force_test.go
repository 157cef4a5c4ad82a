package sweep_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sweep"
)

// --force replaces a sweep by removing only what backstop wrote there: a user's files in
// figures/, in a point's directory and beside the manifest stay, and the rows are those of
// a sweep into a new directory.
func TestForceKeepsUserFiles(t *testing.T) {
	body := "paths: 300\nparameters:\n  - {key: spv.capacity, values: [100, 500]}\n"
	dir := filepath.Join(t.TempDir(), "sw")
	opt := sweep.Options{OutDir: dir, Figures: true, FigureOptions: plots.Options{Formats: []string{"png"}}}
	ref := mustRun(t, mustDecode(t, body), opt)
	mine := []string{
		filepath.Join(results.FiguresDir, "my_paper_fig.pdf"),
		filepath.Join(results.PointsDir, filepath.Base(ref.Manifest.Points[1].Dir), "notes.txt"),
		"notes.txt",
	}
	for _, f := range mine {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt.Force = true
	if _, err := sweep.Run(t.Context(), mustDecode(t, body), opt); err == nil {
		// Point 1's directory holds the user's notes.txt and no manifest now: run refuses to
		// write its results beside them, so the sweep must stop there.
		t.Fatalf("--force wrote point 1 into a directory holding the user's file")
	}
	for _, f := range mine {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || string(b) != "mine\n" {
			t.Errorf("--force changed the user's %s: %q, %v", f, b, err)
		}
	}
	// Without the file in the point's directory, --force replaces the sweep in full.
	if err := os.Remove(filepath.Join(dir, mine[1])); err != nil {
		t.Fatal(err)
	}
	fresh := mustRun(t, mustDecode(t, body), opt)
	if !reflect.DeepEqual(fresh.Rows, ref.Rows) {
		t.Error("the replaced sweep's rows differ from the first one's")
	}
	for _, f := range []string{mine[0], mine[2]} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("--force removed the user's %s: %v", f, err)
		}
	}
}
