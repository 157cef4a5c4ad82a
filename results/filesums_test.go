package results

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// RelativeFiles names the paths under dir as a manifest lists them and leaves out any
// outside it.
func TestRelativeFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	for _, tc := range []struct {
		name  string
		files []string
		want  []string
	}{
		{name: "none"},
		{name: "inside", files: []string{filepath.Join(dir, "figures", "a.png"), filepath.Join(dir, "sweep.parquet")}, want: []string{"figures/a.png", "sweep.parquet"}},
		{name: "outside left out", files: []string{filepath.Join(dir, "..", "x.png"), "/etc/passwd", filepath.Join(dir, "b.pdf")}, want: []string{"b.pdf"}},
	} {
		if got := RelativeFiles(dir, tc.files); !slices.Equal(got, tc.want) {
			t.Errorf("%s: RelativeFiles = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// AddOutputs lists each file once and records its checksum as it is now, over an
// existing list and from none.
func TestAddOutputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a", "one")
	write("b", "two")
	var outputs []string
	var sums map[string]string
	if err := AddOutputs(dir, &outputs, &sums, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	first := sums["a"]
	write("a", "changed")
	if err := AddOutputs(dir, &outputs, &sums, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(outputs, []string{"a", "b"}) {
		t.Errorf("outputs %q, want [a b]", outputs)
	}
	for _, name := range []string{"a", "b"} {
		want, err := FileSHA256(filepath.Join(dir, name))
		if err != nil || sums[name] != want {
			t.Errorf("sums[%s] = %s, want %s (%v)", name, sums[name], want, err)
		}
	}
	if sums["a"] == first {
		t.Error("the second AddOutputs kept a's old checksum")
	}
	if err := AddOutputs(dir, &outputs, &sums, []string{"missing"}); err == nil {
		t.Error("AddOutputs of a missing file: no error")
	}
}
