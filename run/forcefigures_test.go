package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// A run with figures replaced with --force by one without leaves no figures/: the
// directory the previous run's figures were removed from goes once empty. A user's file
// in it keeps it (with that file alone); a replacement that draws figures has its own.
func TestForceWithoutFiguresRemovesTheirDirectory(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 200
	for _, tc := range []struct {
		name    string
		mine    bool // a user's file in figures/ before --force
		figures bool // the replacement draws figures
		want    []string
	}{
		{name: "no figures", want: nil},
		{name: "a user's file", mine: true, want: []string{"mine.txt"}},
		{name: "figures again", figures: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100, Figures: true}); err != nil {
				t.Fatal(err)
			}
			figs := filepath.Join(dir, results.FiguresDir)
			if tc.mine {
				if err := os.WriteFile(filepath.Join(figs, "mine.txt"), []byte("notes"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 100, Figures: tc.figures, Force: true})
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			for _, f := range o.Manifest.Outputs {
				if rel, ok := strings.CutPrefix(f, results.FiguresDir+"/"); ok {
					want = append(want, rel)
				}
			}
			if tc.figures && len(want) == 0 {
				t.Fatal("the replacement drew no figures")
			}
			entries, err := os.ReadDir(figs)
			if len(want) == 0 {
				if !errors.Is(err, os.ErrNotExist) {
					t.Errorf("figures/ after --force without figures: %d entries, %v; want no figures/", len(entries), err)
				}
				return
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("figures/ holds %v, want %v (%v)", got, want, err)
			}
		})
	}
}

// A run in one process that replaces an unmerged set of shards with --force leaves no
// shards/: the shards' manifests go with their files, and so does the directory they
// leave empty. A user's file in it keeps it.
func TestForceOverShardsRemovesTheirDirectory(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 200
	for _, tc := range []struct {
		name string
		mine bool // a user's file in shards/ before --force
	}{
		{name: "shards only"},
		{name: "a user's file", mine: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			shard := run.Options{Config: cfg, OutDir: dir, ChunkSize: 50, Shard: run.ShardSpec{Index: 1, Count: 2}}
			if _, err := run.Execute(context.Background(), shard); err != nil {
				t.Fatal(err)
			}
			shards := filepath.Join(dir, results.ShardsDir)
			if tc.mine {
				if err := os.WriteFile(filepath.Join(shards, "mine.txt"), []byte("notes"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 50, Force: true}); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(shards)
			switch {
			case !tc.mine && !errors.Is(err, os.ErrNotExist):
				t.Errorf("shards/ after --force: %d entries, %v; want no shards/", len(entries), err)
			case tc.mine && (err != nil || len(entries) != 1 || entries[0].Name() != "mine.txt"): // the shard's lock gone too
				t.Errorf("shards/ after --force: %v, %v; want the user's mine.txt alone", entries, err)
			}
		})
	}
}
