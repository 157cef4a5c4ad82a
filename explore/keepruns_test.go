package explore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/internal/dirstate"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// keptSet lists the run directories under dir's runs/ (their names) and checks each holds
// a complete run.
func keptSet(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		m, err := results.ReadManifest(filepath.Join(dir, RunsDir, e.Name()))
		if err != nil || m.Status != results.StatusComplete {
			t.Errorf("%s/%s: %v, %v; want a complete run", RunsDir, e.Name(), m, err)
		}
	}
	slices.Sort(names)
	return names
}

// compareKept checks that the kept runs of a and b are the same runs: their tables byte
// for byte, their per-path parts row for row.
func compareKept(t *testing.T, a, b string, names []string) {
	t.Helper()
	for _, n := range names {
		ra, rb := filepath.Join(a, RunsDir, n), filepath.Join(b, RunsDir, n)
		for _, f := range []string{"summary.csv", "effects.csv", "tails.csv"} {
			x, err1 := os.ReadFile(filepath.Join(ra, f))
			y, err2 := os.ReadFile(filepath.Join(rb, f))
			if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
				t.Errorf("%s/%s/%s differs (%v, %v)", RunsDir, n, f, err1, err2)
			}
		}
		parts, _ := filepath.Glob(filepath.Join(ra, results.PathsDir, "*.parquet"))
		if len(parts) == 0 {
			t.Errorf("%s/%s: no parts", RunsDir, n)
		}
		for _, p := range parts {
			if parquetRows(t, p) != parquetRows(t, filepath.Join(rb, results.PathsDir, filepath.Base(p))) {
				t.Errorf("%s/%s/%s: rows differ", RunsDir, n, filepath.Base(p))
			}
		}
	}
}

// An exploration with KeepRuns interrupted (while it evaluates, or while it runs the kept
// evaluations in full) and resumed without naming them again keeps the runs it was begun
// with: the same runs/ and results as an uninterrupted one. A resume naming other
// evaluations is refused, naming both lists; the same ones in another order are accepted.
func TestKeepRunsResumed(t *testing.T) {
	p := plan(t, smallSobol)
	keep := []int{2, 17, 33}
	ref := t.TempDir()
	o, err := Run(context.Background(), p, Options{OutDir: ref, Workers: 2, KeepRuns: keep})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"17", "2", "33"}
	if got := keptSet(t, ref); !slices.Equal(got, want) {
		t.Fatalf("uninterrupted: runs/ holds %v, want %v", got, want)
	}
	if !slices.Equal(o.Manifest.KeepRuns, keep) {
		t.Errorf("manifest keep_runs %v, want %v", o.Manifest.KeepRuns, keep)
	}
	for _, tc := range []struct {
		name, cutAt string
		again       []int // KeepRuns of the resume
	}{
		{"cut while evaluating", "16/40", nil},
		{"cut in the full runs", "full run of evaluation 17", nil},
		{"same runs in another order", "16/40", []int{33, 2, 17, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cut := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			if _, err := Run(ctx, p, Options{OutDir: cut, Workers: 2, KeepRuns: keep, Log: cancelAfter{tc.cutAt, cancel}}); !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %v, want context.Canceled", err)
			}
			_, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1, Resume: true, KeepRuns: []int{2}})
			if err == nil || !strings.Contains(err.Error(), "--keep-runs 2 ") || !strings.Contains(err.Error(), "2,17,33") {
				t.Errorf("resume naming other evaluations: %v; want a refusal naming 2 and 2,17,33", err)
			}
			out, err := Run(context.Background(), p, Options{OutDir: cut, Workers: 1, Resume: true, KeepRuns: tc.again})
			if err != nil {
				t.Fatal(err)
			}
			if got := keptSet(t, cut); !slices.Equal(got, want) {
				t.Errorf("resumed: runs/ holds %v, want %v", got, want)
			}
			if !slices.Equal(out.Manifest.KeptRuns, o.Manifest.KeptRuns) || !slices.Equal(out.Manifest.KeepRuns, keep) {
				t.Errorf("resumed manifest: kept_runs %v, keep_runs %v; want %v, %v", out.Manifest.KeptRuns, out.Manifest.KeepRuns, o.Manifest.KeptRuns, keep)
			}
			compare(t, ref, cut)
			compareKept(t, ref, cut, want)
		})
	}
}

// An exploration without KeepRuns records that it keeps none: a resume naming some is
// refused. One begun by an earlier version, whose manifest has no keep_runs, resumes with
// the runs its resume names (none when it names none), and records them; when it names
// none and runs/ holds runs of before, the log says how to keep them.
func TestKeepRunsRecordedOrNot(t *testing.T) {
	p := plan(t, smallSobol)
	for _, tc := range []struct {
		name   string
		begun  []int // KeepRuns of the interrupted exploration
		cutAt  string
		legacy bool  // remove keep_runs from the manifest, as an earlier version wrote it
		again  []int // KeepRuns of the resume
		want   []string
		refuse string
		note   string // in the resume's log
	}{
		{name: "none recorded", again: []int{2}, refuse: "(the exploration's is none)"},
		{name: "none recorded, none named", want: nil},
		{name: "legacy, none named", legacy: true, want: nil},
		{name: "legacy, some named", legacy: true, again: []int{2}, want: []string{"2"}},
		// runs/ is left as it is (2 complete, 17 begun), the manifest lists none.
		{name: "legacy, runs of before", begun: []int{2, 17}, cutAt: "full run of evaluation 17", legacy: true,
			note: "runs/ holds 2,17 from before (an earlier backstop did not record --keep-runs): to keep them, resume with --keep-runs 2,17"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			cutAt := tc.cutAt
			if cutAt == "" {
				cutAt = "16/40"
			}
			if _, err := Run(ctx, p, Options{OutDir: dir, Workers: 2, KeepRuns: tc.begun, Log: cancelAfter{cutAt, cancel}}); !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %v, want context.Canceled", err)
			}
			mpath := filepath.Join(dir, results.ManifestFile)
			data, err := os.ReadFile(mpath)
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			if v, ok := raw["keep_runs"]; !ok || v == nil {
				t.Errorf("the manifest does not record keep_runs: %v", v)
			}
			if tc.legacy {
				delete(raw, "keep_runs")
				if err := writeJSON(mpath, raw); err != nil {
					t.Fatal(err)
				}
			}
			var log bytes.Buffer
			out, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 1, Resume: true, KeepRuns: tc.again, Log: &log})
			if tc.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refuse) {
					t.Fatalf("resume: %v; want a refusal saying %q", err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(log.String(), tc.note) || (tc.note == "" && strings.Contains(log.String(), "from before")) {
				t.Errorf("resume's log:\n%s\nwant the note %q", log.String(), tc.note)
			}
			if tc.note != "" {
				if len(out.Manifest.KeptRuns) > 0 {
					t.Errorf("manifest lists kept runs %v, want none", out.Manifest.KeptRuns)
				}
			} else if got := keptSet(t, dir); !slices.Equal(got, tc.want) {
				t.Errorf("runs/ holds %v, want %v", got, tc.want)
			}
			if out.Manifest.KeepRuns == nil || len(out.Manifest.KeepRuns) != len(tc.want) {
				t.Errorf("resumed manifest records keep_runs %v, want %d", out.Manifest.KeepRuns, len(tc.want))
			}
		})
	}
}

// The merge of shards that kept runs lists every shard's kept runs (each shard runs the
// kept evaluations of its own chunks), so that the manifest describes runs/ and --force
// removes them all.
func TestMergeListsEveryShardsKeptRuns(t *testing.T) {
	p := plan(t, smallSobol)
	dir := t.TempDir()
	for _, i := range []int{1, 2} {
		if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, KeepRuns: []int{33, 2}, Shard: run.ShardSpec{Index: i, Count: 2}}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := Merge(dir, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keptSet(t, dir), []string{"2", "33"}; !slices.Equal(got, want) {
		t.Fatalf("runs/ holds %v, want %v", got, want)
	}
	if got, want := out.Manifest.KeptRuns, []string{filepath.Join(RunsDir, "2"), filepath.Join(RunsDir, "33")}; !slices.Equal(got, want) {
		t.Errorf("merged manifest kept_runs %v, want %v", got, want)
	}
	if got, want := out.Manifest.KeepRuns, []int{2, 33}; !slices.Equal(got, want) {
		t.Errorf("merged manifest keep_runs %v, want %v", got, want)
	}
}

// A resume takes the recorded keep_runs as a set (a hand-edited manifest may repeat or
// reorder them, and the command passes them back sorted) and refuses recorded indices
// that are not evaluations, naming the field and the indices allowed: before, [-1, 3] or
// [1, 1000] were carried into the finished manifest, and [3, 1, 3] refused a resume that
// named no --keep-runs, quoting them as if the user had.
func TestResumeKeepRunsOfAnEditedManifest(t *testing.T) {
	for _, tc := range []struct {
		name     string
		recorded []int
		given    []int
		want     []int
		refuse   string
	}{
		{name: "repeated, none given", recorded: []int{3, 1, 3}, want: []int{1, 3}},
		{name: "repeated, the set given", recorded: []int{3, 1, 3}, given: []int{1, 3}, want: []int{1, 3}},
		{name: "repeated, others given", recorded: []int{3, 1, 3}, given: []int{1}, refuse: "(the exploration's is 1,3)"},
		{name: "negative", recorded: []int{-1, 3}, refuse: "keep_runs -1 is not an evaluation; indices run from 0 to 9"},
		{name: "out of range", recorded: []int{1, 10}, given: []int{1, 10}, refuse: "keep_runs 10 is not an evaluation; indices run from 0 to 9"},
		{name: "not recorded", given: []int{2}, want: []int{2}},
		{name: "none recorded", recorded: []int{}, want: []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &Manifest{Evaluations: 10, KeepRuns: tc.recorded}
			got, err := m.ResumeKeepRuns(tc.given)
			if tc.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refuse) {
					t.Fatalf("ResumeKeepRuns(%v) = %v, %v; want a refusal saying %q", tc.given, got, err, tc.refuse)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) || got == nil {
				t.Fatalf("ResumeKeepRuns(%v) = %v, %v; want %v", tc.given, got, err, tc.want)
			}
		})
	}
}

// An exploration with kept runs, replaced with --force keeping others, leaves none of its
// runs: neither a complete one's (their lock files kept runs/2 and runs/17 as directories)
// nor those of one stopped while it ran them in full (its manifest records keep_runs,
// kept_runs is written only at the end; runs/2 and runs/17, that one unfinished, stayed
// beside the new runs/5, listed by no manifest).
func TestForceRemovesTheKeptRuns(t *testing.T) {
	p := plan(t, smallSobol)
	for _, stopped := range []bool{false, true} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		opt := Options{OutDir: dir, Workers: 2, KeepRuns: []int{2, 17}}
		if stopped {
			opt.Log = cancelAfter{"full run of evaluation 17", cancel}
		}
		if _, err := Run(ctx, p, opt); (err != nil) != stopped {
			t.Fatalf("first exploration (stopped %v): %v", stopped, err)
		}
		cancel()
		if _, err := os.Stat(filepath.Join(dir, RunsDir, "17")); err != nil {
			t.Fatalf("the first exploration did not begin runs/17: %v", err)
		}
		if stopped { // and a kill cut a write short there
			plantTemps(t, dir, filepath.Join(RunsDir, "17", results.PathsDir, results.PartName(0)))
		}
		if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, Force: true, KeepRuns: []int{5}}); err != nil {
			t.Fatal(err)
		}
		if got := keptSet(t, dir); !slices.Equal(got, []string{"5"}) {
			t.Errorf("after --force over an exploration stopped %v: runs/ holds %v, want [5]", stopped, got)
		}
	}
}

// The shards of one exploration run with different --keep-runs (a shard of the array
// started by hand without the flag) are not merged: each shard runs only the kept
// evaluations of its own chunks, so evaluation 33 (shard 2's), named by shard 1 alone,
// would never run while the merged manifest's keep_runs named it. The refusal names each
// shard's and how to agree them.
func TestMergeRefusesShardsKeepingDifferentRuns(t *testing.T) {
	p := plan(t, smallSobol)
	dir := t.TempDir()
	for i, keep := range [][]int{{33, 2}, nil} {
		if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, KeepRuns: keep, Shard: run.ShardSpec{Index: i + 1, Count: 2}}); err != nil {
			t.Fatal(err)
		}
	}
	before := dirstate.Describe(t, filepath.Join(dir, EvaluationsDir))
	_, err := Merge(dir, MergeOptions{})
	for _, want := range []string{"--keep-runs", "shard 1/2: 2,33", "shard 2/2: none", "--force"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("merge of shards keeping different runs: %v; want a refusal saying %q", err, want)
		}
	}
	if after := dirstate.Describe(t, filepath.Join(dir, EvaluationsDir)); after != before {
		t.Errorf("the refused merge changed the evaluations")
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); !os.IsNotExist(err) {
		t.Errorf("the refused merge wrote a manifest: %v", err)
	}
}

// A shard computed again with --force and other --keep-runs removes the runs its previous
// attempt kept in full, finished (runs/2, runs/9) or stopped while it ran them (runs/9
// begun, its manifest's keep_runs the only record), as --force does for a whole
// exploration: before, they stayed, listed by no manifest. Only its own: the other
// shard's runs/33 is left byte for byte, and so are a user's files, with their
// directories. The shards, in agreement again, merge to the runs named.
func TestShardForceRemovesItsKeptRuns(t *testing.T) {
	p := plan(t, smallSobol) // 40 evaluations in 3 chunks: shard 1/2 has 0-15, 2/2 16-39
	keep := []int{2, 9, 33}
	for _, stopped := range []bool{false, true} {
		t.Run(map[bool]string{false: "finished", true: "stopped"}[stopped], func(t *testing.T) {
			dir := t.TempDir()
			shard := func(i int) run.ShardSpec { return run.ShardSpec{Index: i, Count: 2} }
			if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, KeepRuns: keep, Shard: shard(2)}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			opt := Options{OutDir: dir, Workers: 2, KeepRuns: keep, Shard: shard(1)}
			if stopped {
				opt.Log = cancelAfter{"full run of evaluation 9", cancel}
			}
			if _, err := Run(ctx, p, opt); (err != nil) != stopped {
				t.Fatalf("shard 1/2 (stopped %v): %v", stopped, err)
			}
			cancel()
			for _, f := range []string{filepath.Join(RunsDir, "2", results.ManifestFile), filepath.Join(RunsDir, "9", results.ManifestFile)} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Fatalf("shard 1/2 did not begin its kept runs: %v", err)
				}
			}
			mine := []string{filepath.Join(RunsDir, "mine.txt"), filepath.Join(RunsDir, "9", "notes.txt")}
			for _, f := range mine {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("a user's"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sibling := dirstate.Describe(t, filepath.Join(dir, RunsDir, "33"))

			again := []int{5, 33}
			if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, KeepRuns: again, Shard: shard(1), Force: true}); err != nil {
				t.Fatal(err)
			}
			var got []string
			entries, _ := os.ReadDir(filepath.Join(dir, RunsDir))
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if want := []string{"33", "5", "9", "mine.txt"}; !slices.Equal(got, want) {
				t.Errorf("runs/ after shard 1/2 again with --force: %v, want %v (runs/2 gone, runs/9 only for a user's file)", got, want)
			}
			if entries, _ := os.ReadDir(filepath.Join(dir, RunsDir, "9")); len(entries) != 1 || entries[0].Name() != "notes.txt" {
				t.Errorf("runs/9 holds %d entries, want the user's notes.txt alone", len(entries))
			}
			for _, f := range mine {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("a user's file was removed: %v", err)
				}
			}
			if after := dirstate.Describe(t, filepath.Join(dir, RunsDir, "33")); after != sibling {
				t.Errorf("shard 1/2's --force changed shard 2/2's runs/33")
			}

			if _, err := Run(context.Background(), p, Options{OutDir: dir, Workers: 2, KeepRuns: again, Shard: shard(2), Force: true}); err != nil {
				t.Fatal(err)
			}
			out, err := Merge(dir, MergeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := out.Manifest.KeptRuns, []string{filepath.Join(RunsDir, "5"), filepath.Join(RunsDir, "33")}; !slices.Equal(got, want) {
				t.Errorf("merged kept_runs %v, want %v", got, want)
			}
		})
	}
}
