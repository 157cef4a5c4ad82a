package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// cutShort makes the finished run in dir look interrupted after its first keep chunks, as
// a kill leaves it: the later chunks and the run's outputs gone, the manifest incomplete.
func cutShort(t *testing.T, dir string, keep int) {
	t.Helper()
	man, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for c := keep; c < man.Chunks; c++ {
		for _, f := range []string{filepath.Join(results.PathsDir, results.PartName(c)), filepath.Join(TalliesDir, CheckpointName(c))} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range append([]string{results.BandsFile, results.ConvergenceFile, results.SummaryFile}, man.Outputs...) {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	man.Status, man.Index, man.Parts, man.Finished, man.Outputs, man.Bands = results.StatusIncomplete, man.Index[:keep], man.Parts[:keep], "", nil, nil
	if err := results.WriteManifestFile(filepath.Join(dir, results.ManifestFile), man); err != nil {
		t.Fatal(err)
	}
}

// TestResumeAgainAfterVersionChange resumes a run that version a began, that version b
// resumed with AllowVersionChange and that was interrupted again (so chunks of a and of b
// are on disk, and its manifest lists both): b resumes it again without being told
// AllowVersionChange anew, as the command it printed on interrupt says (it was refused,
// "checkpoint ... belongs to another run", and the run marked failed); a third version is
// refused without it and lists all three with it. Every finished run equals b's own.
func TestResumeAgainAfterVersionChange(t *testing.T) {
	const paths, chunk = 1200, 300
	cfg := configs.Baseline()
	cfg.Paths, cfg.Output = paths, sim.OutputParams{}
	ctx := context.Background()
	base := t.TempDir()
	version := results.Version
	t.Cleanup(func() { results.Version = version })

	mixed, want := filepath.Join(base, "mixed"), filepath.Join(base, "want")
	results.Version = "a"
	if _, err := Execute(ctx, Options{Config: cfg, OutDir: mixed, ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}
	cutShort(t, mixed, 1)
	results.Version = "b"
	if _, err := Execute(ctx, Options{Config: cfg, OutDir: want, ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, Options{Config: cfg, OutDir: mixed, ChunkSize: chunk, Resume: true, AllowVersionChange: true}); err != nil {
		t.Fatal(err)
	}
	cutShort(t, mixed, 2) // chunk 0 of a, chunk 1 of b

	cases := []struct {
		name      string
		version   string
		allow     bool
		refused   bool
		wantWrote []string
	}{
		{"the version that resumed it, again", "b", false, false, []string{"a", "b"}},
		{"a third version", "c", false, true, nil},
		{"a third version, allowed", "c", true, false, []string{"a", "b", "c"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(base, tc.version+map[bool]string{true: "-allowed"}[tc.allow])
			if err := os.CopyFS(dir, os.DirFS(mixed)); err != nil {
				t.Fatal(err)
			}
			results.Version = tc.version
			_, err := Execute(ctx, Options{Config: cfg, OutDir: dir, ChunkSize: chunk, Resume: true, AllowVersionChange: tc.allow})
			var vc *results.VersionChangeError
			if tc.refused {
				if !errors.As(err, &vc) {
					t.Fatalf("resume: %v; want the version refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			m, err := results.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != results.StatusComplete || m.Version != tc.version || !slices.Equal(m.Versions, tc.wantWrote) {
				t.Errorf("manifest: status %s, version %s, versions %v; want complete, %s, %v", m.Status, m.Version, m.Versions, tc.version, tc.wantWrote)
			}
			if rep, err := Verify(dir, VerifyOptions{}); err != nil || !rep.Intact() {
				t.Errorf("verify: %v %v", err, rep.Problems)
			}
			got, err1 := os.ReadFile(filepath.Join(dir, results.SummaryFile))
			w, err2 := os.ReadFile(filepath.Join(want, results.SummaryFile))
			if err1 != nil || err2 != nil || !bytes.Equal(got, w) {
				t.Errorf("summary.csv differs from the run of one version (%v, %v)", err1, err2)
			}
		})
	}
}
