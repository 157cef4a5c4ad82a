package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuarantineFilesStaysInside checks that QuarantineFiles moves a file of the
// directory to its quarantine/ but refuses, leaving it in place, a file outside the
// directory (a name from a hand-edited manifest), however it is spelled.
func TestQuarantineFilesStaysInside(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "out")
	outside := filepath.Join(tmp, "victim.txt")
	for _, f := range []string{filepath.Join(dir, "figures", "a.png"), outside} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := QuarantineFiles(dir, nil, "damaged", filepath.Join(dir, "figures", "a.png")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, QuarantineDir, "figures", "a.png")); err != nil {
		t.Errorf("the directory's file was not moved to quarantine/: %v", err)
	}
	for _, f := range []string{outside, filepath.Join(dir, "..", "victim.txt"), filepath.Join(dir, "figures", "..", "..", "victim.txt")} {
		err := QuarantineFiles(dir, nil, "damaged", f)
		if err == nil || !strings.Contains(err.Error(), "not inside") {
			t.Errorf("QuarantineFiles(%s) = %v, want a refusal saying it is not inside %s", f, err, dir)
		}
		if _, err := os.Stat(outside); err != nil {
			t.Fatalf("the file outside the directory was moved: %v", err)
		}
	}
}
