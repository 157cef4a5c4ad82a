package run

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// legacyVersion is the version that writes the runs of TestFinishRunOfEarlierVersion: the
// last before output.band_paths, whose recorded configs have no output: block.
const legacyVersion = "d4f8f3a"

// writeAsLegacy makes Execute write runs, until the test ends, as backstop d4f8f3a did: its
// version in every file, and configs without the output: block (their bands count every
// path, as output.band_paths 0 does).
func writeAsLegacy(t *testing.T) {
	t.Helper()
	marshal, version := marshalConfig, results.Version
	marshalConfig = func(cfg *sim.Config) ([]byte, error) {
		yml, err := configs.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		i := bytes.Index(yml, []byte("\noutput:\n"))
		if i < 0 || cfg.Output != (sim.OutputParams{}) {
			t.Fatalf("a legacy run has band_paths 0 and its config an output: block to drop: %+v\n%s", cfg.Output, yml)
		}
		return yml[:i+1], nil
	}
	results.Version = legacyVersion
	t.Cleanup(func() { marshalConfig, results.Version = marshal, version })
}

// TestFinishRunOfEarlierVersion checks that a run and the shards of a run begun by the
// version before output.band_paths (whose recorded config lacks the output: block) are
// refused by this version without AllowVersionChange, and with it resumed and merged
// under the config they recorded (same text, same sha256) with bands from every path,
// as that version counted them: the same bands as a run of this version with band_paths 0.
func TestFinishRunOfEarlierVersion(t *testing.T) {
	const paths, chunk = 900, 300
	cfg := configs.Baseline()
	cfg.Paths, cfg.Output = paths, sim.OutputParams{}
	ctx := context.Background()
	base := t.TempDir()
	stopped, sharded, want := filepath.Join(base, "stopped"), filepath.Join(base, "sharded"), filepath.Join(base, "want")

	restore := func() { marshalConfig, results.Version = configs.Marshal, "this-version" }
	writeAsLegacy(t)
	if _, err := Execute(ctx, Options{Config: cfg, OutDir: stopped, ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if _, err := Execute(ctx, Options{Config: cfg, OutDir: sharded, ChunkSize: chunk, Shard: ShardSpec{Index: i, Count: 2}}); err != nil {
			t.Fatal(err)
		}
	}
	restore()
	if _, err := Execute(ctx, Options{Config: cfg, OutDir: want, ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}

	// Cut the legacy run short after its first two chunks, as a kill would leave it.
	man, err := results.ReadManifest(stopped)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(man.Config, "output") || man.Version != legacyVersion {
		t.Fatalf("the legacy run records version %q and config\n%s", man.Version, man.Config)
	}
	legacyConfig, legacySHA := man.Config, man.ConfigSHA256
	for _, f := range []string{filepath.Join(results.PathsDir, results.PartName(2)), filepath.Join(TalliesDir, CheckpointName(2)), results.BandsFile, results.ConvergenceFile, results.SummaryFile} {
		if err := os.Remove(filepath.Join(stopped, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	man.Status, man.Index, man.Parts, man.Finished, man.Outputs, man.Bands = results.StatusIncomplete, man.Index[:2], man.Parts[:2], "", nil, nil
	if err := results.WriteManifestFile(filepath.Join(stopped, results.ManifestFile), man); err != nil {
		t.Fatal(err)
	}

	// As backstop run --resume does: the run's config is the one its manifest records.
	recorded, err := configs.DecodeRecorded([]byte(man.Config), "manifest config")
	if err != nil {
		t.Fatal(err)
	}
	if recorded.Output.BandPaths != 0 {
		t.Fatalf("a config recorded without output: decodes to band_paths %d, want 0 (every path, as its version counted)", recorded.Output.BandPaths)
	}
	if _, err := Execute(ctx, Options{Config: recorded, OutDir: stopped, ChunkSize: chunk, Resume: true}); err == nil || !strings.Contains(err.Error(), "last written by backstop "+legacyVersion) {
		t.Fatalf("resume without AllowVersionChange: %v; want the version refusal", err)
	}
	if _, err := Merge(sharded, MergeOptions{}); err == nil || !strings.Contains(err.Error(), "written by backstop "+legacyVersion) || !strings.Contains(err.Error(), "merge anyway with "+MergeCommand(sharded)+" --allow-version-change") {
		t.Fatalf("merge without AllowVersionChange: %v; want the version refusal", err)
	}
	if _, err := Execute(ctx, Options{Config: recorded, OutDir: stopped, ChunkSize: chunk, Resume: true, AllowVersionChange: true}); err != nil {
		t.Fatalf("resume with AllowVersionChange: %v", err)
	}
	if _, err := Merge(sharded, MergeOptions{AllowVersionChange: true}); err != nil {
		t.Fatalf("merge with AllowVersionChange: %v", err)
	}

	wantBands, _, err := results.ReadBands(want)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := results.ReadManifest(want); err != nil {
		t.Fatal(err)
	} else if m.Versions != nil {
		t.Errorf("a run of one version lists versions %v; want none", m.Versions)
	}
	for _, dir := range []string{stopped, sharded} {
		m, err := results.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != results.StatusComplete || m.Config != legacyConfig || m.ConfigSHA256 != legacySHA {
			t.Errorf("%s: status %s, config sha256 %s; want complete under the recorded config %s", dir, m.Status, m.ConfigSHA256, legacySHA)
		}
		if m.Bands == nil || m.Bands.Stride != 1 || m.Bands.Paths != paths {
			t.Errorf("%s: manifest bands %+v; want every one of %d paths", dir, m.Bands, paths)
		}
		if want := []string{legacyVersion, "this-version"}; m.Version != "this-version" || !slices.Equal(m.Versions, want) {
			t.Errorf("%s: version %s, versions %v; want this-version, %v (the versions that wrote it)", dir, m.Version, m.Versions, want)
		}
		bands, md, err := results.ReadBands(dir)
		if err != nil {
			t.Fatal(err)
		}
		if md[results.KeyConfig] != legacyConfig {
			t.Errorf("%s: bands footer config differs from the recorded one", dir)
		}
		if !reflect.DeepEqual(bands, wantBands) {
			t.Errorf("%s: bands differ from those of every path (band_paths 0)", dir)
		}
		rep, err := Verify(dir, VerifyOptions{})
		if err != nil || !rep.Intact() {
			t.Errorf("%s: verify: %v %+v", dir, err, rep)
		}
	}
}
