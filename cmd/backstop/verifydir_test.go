package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/internal/dirstate"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// The small sweep, exploration and calibration the tests of verify on those directories
// copy and damage: a few grid points, evaluations and paths, each made by the binary in
// well under a second.
const (
	tinyGrid   = "name: tiny\npaths: 200\nseed: 1\nparameters:\n  - key: funds.b0\n    values: [500, 1000]\n"
	tinyDesign = "name: tinyx\ndesign: lhs\nsamples: 20\npaths: 50\nseed: 1\nparameters:\n" +
		"  - key: funds.b0\n    range: [400, 650]\n  - key: shocks.mu_j\n    range: [0.3, 0.8]\n"
	tinyFit = "name: tinyc\npaths: 100\nseed: 1\nmax_evaluations: 12\noverrides:\n  policies: [none]\n" +
		"parameters:\n  - key: shocks.mu_j\n    range: [0.1, 0.7]\n" +
		"targets:\n  - stat: none.peak_basis_bp.p50\n    value: 20\n    band: [10, 30]\n"
)

// verifyFixtures makes, with the binary, a finished sweep (2 grid points), exploration (20
// evaluations in 2 chunks, evaluations 1 and 3 kept in full) and calibration under a
// temporary directory, and returns their directories by kind.
func verifyFixtures(t *testing.T) map[string]string {
	t.Helper()
	tmp := t.TempDir()
	dirs := map[string]string{}
	for _, f := range []struct{ kind, file, yaml string }{
		{"sweep", "sweep.yaml", tinyGrid},
		{"explore", "explore.yaml", tinyDesign},
		{"calibration", "calibrate.yaml", tinyFit},
	} {
		path := filepath.Join(tmp, f.file)
		if err := os.WriteFile(path, []byte(f.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		dirs[f.kind] = filepath.Join(tmp, "made", f.kind)
	}
	expect(t, bin(t, nil, "sweep", "--config", filepath.Join(tmp, "sweep.yaml"), "--format", "svg", "--quiet", "--out", dirs["sweep"]), 0)
	expect(t, bin(t, nil, "explore", "--config", filepath.Join(tmp, "explore.yaml"), "--format", "svg", "--keep-runs", "1,3", "--quiet", "--out", dirs["explore"]), 0)
	expect(t, bin(t, nil, "calibrate", "--config", filepath.Join(tmp, "calibrate.yaml"), "--format", "svg", "--quiet", "--out", dirs["calibration"]), 0)
	return dirs
}

// editManifest rewrites dir/manifest.json through edit, on its keys as JSON values.
func editManifest(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, results.ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if data, err = json.MarshalIndent(m, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// removeAll removes the files (relative to dir) or globs.
func removeAll(t *testing.T, dir string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		matches, _ := filepath.Glob(filepath.Join(dir, p))
		for _, m := range matches {
			if err := os.RemoveAll(m); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// interrupt turns the finished directory dir of kind into what its command leaves when
// stopped (SIGINT) part-way: the manifest incomplete ("interrupted", as the command writes
// it, without the files it records at the end), the work done so far on disk, the rest
// and the tables absent. A sweep stopped after its first grid point; an exploration after
// its first chunk of evaluations, before its kept runs; a calibration after its search,
// its evaluations log kept for the resume to replay.
func interrupt(t *testing.T, kind, dir string) {
	t.Helper()
	stop := func(m map[string]any) {
		m["status"], m["error"] = results.StatusIncomplete, "interrupted"
		delete(m, "finished")
		delete(m, "outputs")
		delete(m, "output_sha256")
	}
	switch kind {
	case "sweep":
		removeAll(t, dir, "points/1", results.SweepFile, "figures")
		editManifest(t, dir, func(m map[string]any) {
			stop(m)
			m["points"].([]any)[1].(map[string]any)["status"] = "pending"
			m["resume"] = "backstop sweep --resume " + dir
		})
	case "explore":
		removeAll(t, dir, "evaluations/chunk-00001.json", "runs", "samples.parquet", "sensitivity.*", "figures")
		editManifest(t, dir, func(m map[string]any) {
			stop(m)
			delete(m, "kept_runs")
		})
	case "calibration":
		removeAll(t, dir, "fit.csv", "targets.csv", "profile.csv", "calibrated.yaml", "trace.parquet", "figures")
		editManifest(t, dir, func(m map[string]any) {
			stop(m)
			m["resume"] = "backstop calibrate --resume " + dir
			for _, k := range []string{"estimates", "objective", "converged"} {
				delete(m, k)
			}
		})
	}
}

// TestVerifyKinds checks backstop verify on a sweep's, an exploration's and a
// calibration's directory as a user meets them: intact (0); a table's byte flipped, a run
// they hold damaged, a file missing, a stray file, a symbolic link out of the directory
// (1, each naming the file); an interrupted one (3, naming the resume command, which,
// pasted into sh, finishes it, and verify then says intact); a manifest of an earlier
// version without the checksums (0, saying so). Verify changes nothing.
func TestVerifyKinds(t *testing.T) {
	made := verifyFixtures(t)
	outside := t.TempDir() // what a symbolic link points to
	type tc struct {
		kind, name string
		damage     func(t *testing.T, dir string)
		code       int
		want       []string
	}
	cases := []tc{
		{"sweep", "intact", nil, 0, []string{"intact: a sweep of 2 grid points", "2 runs complete and intact"}},
		{"explore", "intact", nil, 0, []string{"intact: an exploration of 20 evaluations", "2 runs complete and intact"}},
		{"calibration", "intact", nil, 0, []string{"intact: a calibration of shocks.mu_j: 8 files of its own checked"}},

		{"sweep", "table flipped", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "sweep.parquet")) }, 1,
			[]string{"sweep.parquet: changed since it was written", "the sweep is not intact: 1 problem in"}},
		{"explore", "table flipped", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "samples.parquet")) }, 1,
			[]string{"samples.parquet: changed since it was written"}},
		{"explore", "chunk of evaluations flipped", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "evaluations/chunk-00001.json")) }, 1,
			[]string{"evaluations/chunk-00001.json: changed since it was written"}},
		{"calibration", "table flipped", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "fit.csv")) }, 1,
			[]string{"fit.csv: changed since it was written", "the calibration is not intact"}},
		{"calibration", "evaluations log flipped", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "evaluations.jsonl")) }, 1,
			[]string{"evaluations.jsonl: changed since it was written"}},

		{"sweep", "a point's part damaged", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "points/1/paths/part-00000.parquet")) }, 1,
			[]string{"points/1: chunk 0: paths/part-00000.parquet is damaged or was replaced", "runs with problems: points/1"}},
		{"explore", "a kept run's part damaged", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "runs/3/paths/part-00000.parquet")) }, 1,
			[]string{"runs/3: chunk 0: paths/part-00000.parquet is damaged or was replaced", "runs with problems: runs/3"}},
		{"sweep", "a point's summary changed", func(t *testing.T, d string) { flipByte(t, filepath.Join(d, "points/0/summary.csv")) }, 1,
			[]string{"points/0: summary.csv: changed since it was written"}},

		{"sweep", "figure missing", func(t *testing.T, d string) { removeAll(t, d, "figures/*.svg") }, 1,
			[]string{"figures/sweep_lines.svg: listed by the manifest but missing"}},
		{"sweep", "a point's run missing", func(t *testing.T, d string) { removeAll(t, d, "points/0") }, 1,
			[]string{"points/0: grid point 0's run is missing"}},
		{"explore", "table missing", func(t *testing.T, d string) { removeAll(t, d, "sensitivity.csv") }, 1,
			[]string{"sensitivity.csv: listed by the manifest but missing"}},
		{"explore", "a kept run missing", func(t *testing.T, d string) { removeAll(t, d, "runs/1") }, 1,
			[]string{"runs/1: a kept run the manifest lists is missing"}},
		{"calibration", "calibrated.yaml missing", func(t *testing.T, d string) { removeAll(t, d, "calibrated.yaml") }, 1,
			[]string{"calibrated.yaml: listed by the manifest but missing"}},

		// A stray where readers of the directory read a set of files: a file among the grid
		// points, among the chunks of evaluations, a directory among the kept runs, a file
		// in a point's paths/ (run verify's stray). A file of the user's beside the
		// results is not the results' business, for these as for a run.
		{"sweep", "stray among the points", func(t *testing.T, d string) { write(t, filepath.Join(d, "points/extra.txt"), "mine") }, 1,
			[]string{"points/extra.txt: not listed by the manifest (a stray file)"}},
		{"sweep", "stray in a point's paths", func(t *testing.T, d string) { write(t, filepath.Join(d, "points/1/paths/old.parquet"), "x") }, 1,
			[]string{"points/1: paths/old.parquet: not listed by the manifest"}},
		{"explore", "stray chunk", func(t *testing.T, d string) { write(t, filepath.Join(d, "evaluations/chunk-00007.json"), "{}") }, 1,
			[]string{"evaluations/chunk-00007.json: not listed by the manifest (a stray file)"}},
		{"explore", "stray run", func(t *testing.T, d string) { write(t, filepath.Join(d, "runs/5/notes.txt"), "mine") }, 1,
			[]string{"runs/5: not listed by the manifest (a stray directory)"}},
		{"calibration", "a file of the user's", func(t *testing.T, d string) { write(t, filepath.Join(d, "notes.txt"), "mine") }, 0,
			[]string{"intact"}},

		{"sweep", "a kill's temporary file in a point", func(t *testing.T, d string) {
			write(t, filepath.Join(d, "points/1/paths/.part-00003.parquet.tmp-123"), "cut")
		}, 0, []string{"note: points/1: paths/.part-00003.parquet.tmp-123: the temporary file of a write cut short", "the sweep is complete", "they can be deleted", "intact"}},

		{"sweep", "point linked out", func(t *testing.T, d string) { linkOut(t, d, "points/1", outside) }, 1,
			[]string{"points/1: a symbolic link (to " + filepath.Join(outside, "sweep", "points/1") + "), not followed"}},
		{"explore", "runs linked out", func(t *testing.T, d string) { linkOut(t, d, "runs", outside) }, 1,
			[]string{"runs: a symbolic link (to " + filepath.Join(outside, "explore", "runs") + "), not followed"}},
		{"calibration", "figures linked out", func(t *testing.T, d string) { linkOut(t, d, "figures", outside) }, 1,
			[]string{"figures: a symbolic link (to " + filepath.Join(outside, "calibration", "figures") + "), not followed"}},

		{"sweep", "earlier version", stripChecksums, 0,
			[]string{"note: this sweep was written by an earlier backstop that did not record checksums of its own files", "2 runs complete and intact"}},
		{"explore", "earlier version", stripChecksums, 0,
			[]string{"note: this exploration was written by an earlier backstop", "2 runs complete and intact"}},
		{"calibration", "earlier version", stripChecksums, 0,
			[]string{"note: this calibration was written by an earlier backstop", "intact"}},
		{"sweep", "earlier version, a point damaged", func(t *testing.T, d string) {
			stripChecksums(t, d)
			flipByte(t, filepath.Join(d, "points/0/tallies/chunk-00000.bin"))
		}, 1, []string{"earlier backstop", "points/0: chunk 0: tallies/chunk-00000.bin is damaged"}},
		{"explore", "earlier version, a table missing", func(t *testing.T, d string) {
			stripChecksums(t, d)
			removeAll(t, d, "sensitivity.parquet")
		}, 1, []string{"earlier backstop", "sensitivity.parquet: listed by the manifest but missing"}},
	}
	for _, c := range cases {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), c.kind)
			copyTree(t, made[c.kind], d)
			if c.damage != nil {
				c.damage(t, d)
			}
			before := dirstate.Describe(t, d)
			r := bin(t, nil, "verify", d)
			expect(t, r, c.code, c.want...)
			if after := dirstate.Describe(t, d); after != before {
				t.Errorf("verify changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if c.code == 1 && !strings.Contains(r.stdout, "backstop verify --quarantine "+d+", then backstop ") {
				t.Errorf("verify does not name the repair:\n%s", r.stdout)
			}
		})
	}

	for _, kind := range []string{"sweep", "explore", "calibration"} {
		t.Run(kind+"/interrupted", func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "the "+kind) // a name the resume command must quote
			copyTree(t, made[kind], d)
			interrupt(t, kind, d)
			before := dirstate.Describe(t, d)
			r := bin(t, nil, "verify", d)
			resume := resumeLine(t, r.stdout)
			expect(t, r, exitNotFinished, "not finished: the "+map[string]string{"sweep": "sweep", "explore": "exploration", "calibration": "calibration"}[kind])
			if after := dirstate.Describe(t, d); after != before {
				t.Errorf("verify changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			pasteResume(t, resume)
			expect(t, bin(t, nil, "verify", d), 0, "intact")
		})
	}
}

// write writes text to path, making its directory.
func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// linkOut moves dir/rel to outside/<dir's name>/rel and puts a symbolic link to it in its
// place: a directory copied with its links, the files elsewhere.
func linkOut(t *testing.T, dir, rel, outside string) {
	t.Helper()
	to := filepath.Join(outside, filepath.Base(dir), rel)
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, rel), to); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(to, filepath.Join(dir, rel)); err != nil {
		t.Fatal(err)
	}
}

// stripChecksums makes dir's manifest one of the version before its own files were
// recorded: no output_sha256, and outputs as that version wrote them (an exploration's
// figures only, a sweep's and a calibration's none).
func stripChecksums(t *testing.T, dir string) {
	t.Helper()
	editManifest(t, dir, func(m map[string]any) {
		delete(m, "output_sha256")
		if m["kind"] != "explore" {
			delete(m, "outputs")
			return
		}
		var figures []any
		for _, f := range m["outputs"].([]any) {
			if strings.HasPrefix(f.(string), "figures/") {
				figures = append(figures, f)
			}
		}
		m["outputs"] = figures
	})
}

// resumeLine returns the command verify's "not finished" line names ("finish it with
// CMD"), failing t when there is none.
func resumeLine(t *testing.T, stdout string) string {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		if _, rest, ok := strings.Cut(line, "finish it with "); ok && strings.Contains(line, "not finished") {
			cmd, _, _ := strings.Cut(rest, " (it replays")
			return cmd
		}
	}
	t.Fatalf("verify names no command that finishes the directory:\n%s", stdout)
	return ""
}

// pasteResume runs cmd, a command verify printed, in sh as a user pasting it would, with
// the binary first in PATH as backstop.
func pasteResume(t *testing.T, cmd string) {
	t.Helper()
	if !strings.HasPrefix(cmd, "backstop ") {
		t.Fatalf("the command %q does not start with backstop", cmd)
	}
	binDir := t.TempDir()
	if err := os.Symlink(backstopBinary(t), filepath.Join(binDir, "backstop")); err != nil {
		t.Fatal(err)
	}
	sh := exec.Command("sh", "-c", cmd+" --quiet")
	sh.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
}

// TestVerifyKindsQuarantine damages a sweep, an exploration and a calibration (a table, a
// run they hold, a stray), moves the damage aside with verify --quarantine (1, naming the
// resume), finishes them with that resume, and checks that verify then says intact and
// that the tables are those of the undamaged directory, byte for byte.
func TestVerifyKindsQuarantine(t *testing.T) {
	made := verifyFixtures(t)
	for _, c := range []struct {
		kind    string
		damaged []string // flipped
		stray   string
		want    []string // said by verify --quarantine
		same    []string // equal to the original's after the resume
	}{
		{"sweep", []string{"sweep.parquet", "points/1/paths/part-00000.parquet"}, "points/notes.txt",
			[]string{"sweep.parquet: changed", "points/1: chunk 0: paths/part-00000.parquet is damaged", "backstop: points/1: moved paths/part-00000.parquet", "backstop: moved sweep.parquet"},
			[]string{"sweep.parquet", "points/1/paths/part-00000.parquet", "points/1/summary.csv"}},
		{"explore", []string{"samples.parquet", "evaluations/chunk-00001.json", "runs/3/tallies/chunk-00000.bin"}, "evaluations/chunk-00009.json",
			[]string{"samples.parquet: changed", "evaluations/chunk-00001.json: changed", "runs/3: chunk 0: tallies/chunk-00000.bin is damaged", "backstop: runs/3: moved tallies/chunk-00000.bin"},
			[]string{"sensitivity.csv", "evaluations/chunk-00001.json", "runs/3/summary.csv"}},
		{"calibration", []string{"fit.csv"}, "", []string{"fit.csv: changed", "backstop: moved fit.csv"}, []string{"fit.csv", "targets.csv", "calibrated.yaml"}},
	} {
		t.Run(c.kind, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), c.kind)
			copyTree(t, made[c.kind], d)
			for _, f := range c.damaged {
				flipByte(t, filepath.Join(d, f))
			}
			if c.stray != "" {
				write(t, filepath.Join(d, c.stray), "mine")
			}
			r := bin(t, nil, "verify", "--quarantine", d)
			expect(t, r, 1, append(c.want, "marked incomplete; recompute them with: backstop ")...)
			if c.stray != "" {
				if _, err := os.Stat(filepath.Join(d, run.QuarantineDir, c.stray)); err != nil {
					t.Errorf("the stray %s was not moved to %s/: %v", c.stray, run.QuarantineDir, err)
				}
			}
			_, resume, _ := strings.Cut(r.stdout, "recompute them with: ")
			resume = strings.TrimSpace(resume)
			expect(t, bin(t, nil, "verify", d), exitNotFinished, "not finished", resume)
			pasteResume(t, resume)
			expect(t, bin(t, nil, "verify", d), 0, "intact")
			for _, f := range c.same {
				a, errA := os.ReadFile(filepath.Join(made[c.kind], f))
				b, errB := os.ReadFile(filepath.Join(d, f))
				if errA != nil || errB != nil || string(a) != string(b) {
					t.Errorf("%s after the resume differs from the original's (%v, %v)", f, errA, errB)
				}
			}
		})
	}
}

// TestVerifyQuotesControlNames checks that a file name holding a newline (or another
// control character) is shown quoted, on one line, by verify of a run and of a sweep: it
// neither breaks a line in two nor reaches the terminal raw; ordinary names are shown as
// they are.
func TestVerifyQuotesControlNames(t *testing.T) {
	tmp := t.TempDir()
	runDir := filepath.Join(tmp, "run")
	expect(t, bin(t, nil, "run", "--paths", "200", "--no-figures", "--quiet", "--out", runDir), 0)
	write(t, filepath.Join(runDir, "paths", "evil\nname.parquet"), "x")
	write(t, filepath.Join(runDir, "paths", "plain name.parquet"), "x")
	write(t, filepath.Join(runDir, ".evil\x1b[2J.tmp-12345"), "x")
	r := bin(t, nil, "verify", runDir)
	expect(t, r, 1, runDir+`: "paths/evil\nname.parquet": not listed by the manifest`, runDir+": paths/plain name.parquet: not listed by the manifest",
		`note: ".evil\x1b[2J.tmp-12345": the temporary file`)
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, runDir+": ") {
			t.Errorf("a line of verify's output does not begin with the directory: %q", line)
		}
	}
	if strings.ContainsRune(r.stdout, 0x1b) {
		t.Errorf("verify printed an escape character raw:\n%q", r.stdout)
	}

	made := verifyFixtures(t)
	d := filepath.Join(tmp, "sweep")
	copyTree(t, made["sweep"], d)
	write(t, filepath.Join(d, "points", "1\n2"), "x")
	r = bin(t, nil, "verify", d)
	expect(t, r, 1, d+`: "points/1\n2": not listed by the manifest (a stray file)`)
	if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; n != 2 {
		t.Errorf("verify printed %d lines, want 2 (the stray, the repair):\n%s", n, r.stdout)
	}
}

// TestVerifyExploreShards checks verify on an exploration computed in shards, before its
// merge: one shard done (3, naming the merge), both (3), a chunk damaged (1, naming it and
// the shard's rerun), then merged (0).
func TestVerifyExploreShards(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "explore.yaml")
	write(t, file, tinyDesign)
	dir := filepath.Join(tmp, "shards")
	shard := func(i string) {
		expect(t, bin(t, nil, "explore", "--config", file, "--format", "svg", "--keep-runs", "1,18", "--quiet", "--shard", i, "--out", dir), 0)
	}
	shard("1/2")
	expect(t, bin(t, nil, "verify", dir), exitNotFinished, "1 run complete and intact", "in shards, not merged: shard 2/2 not complete", "backstop merge "+dir)
	shard("2/2")
	expect(t, bin(t, nil, "verify", dir), exitNotFinished, "2 runs complete and intact", "every one complete, not merged: backstop merge "+dir)
	damaged := filepath.Join(tmp, "damaged")
	copyTree(t, dir, damaged)
	flipByte(t, filepath.Join(damaged, "evaluations/chunk-00001.json"))
	flipByte(t, filepath.Join(damaged, "runs/18/summary.csv"))
	expect(t, bin(t, nil, "verify", damaged), 1, "evaluations/chunk-00001.json: changed since it was written", "runs/18: summary.csv: changed", "run the shard that holds it again")
	expect(t, bin(t, nil, "verify", "--quarantine", damaged), 1, "--quarantine repairs a merged exploration")
	expect(t, bin(t, nil, "merge", dir), 0)
	expect(t, bin(t, nil, "verify", dir), 0, "intact: an exploration of 20 evaluations: 2 runs complete and intact")
}

// TestVerifyQuarantineLeavesOutputs checks that verify --quarantine of a sweep whose
// point's summary.csv was changed (an output of a complete run, not a chunk, which a run's
// quarantine does not move either) moves nothing and says to restore it from a copy.
func TestVerifyQuarantineLeavesOutputs(t *testing.T) {
	made := verifyFixtures(t)
	d := filepath.Join(t.TempDir(), "sweep")
	copyTree(t, made["sweep"], d)
	flipByte(t, filepath.Join(d, "points/0/summary.csv"))
	// --quarantine takes the writer's locks (it may move files), which record their holder.
	unlocked := func(state string) string {
		var keep []string
		for _, line := range strings.Split(state, "\n") {
			if !strings.Contains(line, "/.backstop.lock ") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	before := unlocked(dirstate.Describe(t, d))
	r := bin(t, nil, "verify", "--quarantine", d)
	expect(t, r, 1, "points/0: summary.csv: changed", "points/0: its damaged files are outputs of a complete run, not chunks, which --quarantine does not move: restore them from a copy")
	if strings.Contains(r.stdout, "marked incomplete") {
		t.Errorf("the sweep was marked incomplete:\n%s", r.stdout)
	}
	if after := unlocked(dirstate.Describe(t, d)); after != before {
		t.Errorf("verify --quarantine changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
