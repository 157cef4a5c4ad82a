package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/internal/rundir"
)

// binWithin runs the binary as bin does, failing t when it has not exited within limit
// (a read that blocks on a named pipe, say).
func binWithin(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, backstopBinary(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("backstop %v did not exit within %v (killed)\nstdout: %s\nstderr: %s", args, limit, stdout.String(), stderr.String())
	}
	r := result{code: exitCode(t, err, args...), stdout: stdout.String(), stderr: stderr.String()}
	noPanic(t, r, args)
	return r
}

// replaceWith replaces dir/rel by a named pipe ("fifo") or a symbolic link to /dev/zero
// ("zero"): what a hostile or careless user may leave where a file of ours was.
func replaceWith(t *testing.T, dir, rel, what string) {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	var err error
	switch what {
	case "fifo":
		err = syscall.Mkfifo(path, 0o644)
	case "zero":
		err = os.Symlink("/dev/zero", path)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestVerifyHostileDirectories checks verify (and --quarantine) of a sweep a hostile or
// careless user has tampered with: a manifest whose outputs name a file outside the
// directory (named as such, never moved out of its place); names holding escape
// sequences (never printed raw, in the verdict or in quarantine's log); a named pipe or a
// link to /dev/zero where a manifest, a table or a run's file was (verify names it, at
// once, instead of blocking or reading without end).
func TestVerifyHostileDirectories(t *testing.T) {
	made := verifyFixtures(t)
	for _, c := range []struct {
		name       string
		damage     func(t *testing.T, dir string)
		quarantine bool
		code       int
		want       []string
	}{
		{"outputs name a file outside", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) {
				m["outputs"] = append(m["outputs"].([]any), "../victim.txt", "/etc/hostname")
				m["output_sha256"].(map[string]any)["../victim.txt"] = strings.Repeat("0", 64)
			})
		}, true, 1, []string{"../victim.txt: not inside the sweep's directory (a hand-edited manifest)", "/etc/hostname: not inside"}},
		{"a point's index names a part outside", func(t *testing.T, dir string) {
			editManifest(t, filepath.Join(dir, "points", "0"), func(m map[string]any) {
				m["index"].([]any)[0].(map[string]any)["part"] = "../../../victim.txt"
			})
		}, true, 1, []string{`points/0: manifest.json is not a sound backstop manifest: index entry 0: "../../../victim.txt" is not a file inside the run directory`}},
		{"a checksum dropped from output_sha256", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { delete(m["output_sha256"].(map[string]any), "sweep.parquet") })
			write(t, filepath.Join(dir, "sweep.parquet"), "not the sweep's table")
		}, false, 1, []string{"sweep.parquet: listed by the manifest, which records no checksum of it"}},
		{"output_sha256 emptied", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["output_sha256"] = map[string]any{} })
		}, false, 1, []string{"sweep.parquet: listed by the manifest, which records no checksum of it"}},
		{"a grid point's directory with an escape sequence", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) {
				m["points"].([]any)[0].(map[string]any)["dir"] = "points/\x1b[31mred"
			})
		}, false, 1, []string{`"points/\x1b[31mred": grid point 0's run is missing`}},
		{"a stray with an escape sequence, quarantined", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "points", "e\x1b[2Jx"), "x")
		}, true, 1, []string{`moved "points/e\x1b[2Jx" (not part of this sweep)`}},
		{"manifest.json a named pipe", func(t *testing.T, dir string) { replaceWith(t, dir, "manifest.json", "fifo") }, false, 1, []string{"manifest.json: not a regular file"}},
		{"sweep.parquet a named pipe", func(t *testing.T, dir string) { replaceWith(t, dir, "sweep.parquet", "fifo") }, false, 1, []string{"sweep.parquet: listed by the manifest but missing or unreadable", "not a regular file"}},
		{"a point's manifest a named pipe", func(t *testing.T, dir string) { replaceWith(t, dir, "points/0/manifest.json", "fifo") }, false, 1, []string{"points/0", "not a regular file"}},
		{"a point's part a named pipe", func(t *testing.T, dir string) { replaceWith(t, dir, "points/0/paths/part-00000.parquet", "fifo") }, false, 1, []string{"points/0: chunk 0", "not a regular file"}},
		{"a point's summary a link to /dev/zero", func(t *testing.T, dir string) { replaceWith(t, dir, "points/1/summary.csv", "zero") }, false, 1, []string{"points/1: summary.csv", "not a regular file"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			victim := filepath.Join(tmp, "victim.txt")
			write(t, victim, "a file of the user's, outside the sweep")
			dir := filepath.Join(tmp, "sweep")
			copyTree(t, made["sweep"], dir)
			c.damage(t, dir)
			args := []string{"verify", dir}
			if c.quarantine {
				args = []string{"verify", "--quarantine", dir}
			}
			r := binWithin(t, 20*time.Second, args...)
			expect(t, r, c.code, c.want...)
			if strings.ContainsRune(r.stdout+r.stderr, 0x1b) {
				t.Errorf("verify printed an escape character raw:\nstdout: %q\nstderr: %q", r.stdout, r.stderr)
			}
			if data, err := os.ReadFile(victim); err != nil || !strings.HasPrefix(string(data), "a file of the user's") {
				t.Errorf("the user's file outside the sweep was moved or changed: %v", err)
			}
		})
	}
}

// TestVerifyQuarantineNotADirectory checks a sweep whose grid point's run directory, and an
// exploration whose kept run's, was replaced by a file: verify names it as such (not as a
// missing run), --quarantine moves the file aside, and the resume it names, pasted into
// sh, finishes the directory (a sweep's refused: "output directory .../points/1 is a
// file"), which verify then says intact.
func TestVerifyQuarantineNotADirectory(t *testing.T) {
	made := verifyFixtures(t)
	for _, c := range []struct{ kind, rel, want string }{
		{"sweep", "points/1", "points/1: grid point 1's run directory is a file, not a directory"},
		{"explore", "runs/3", "runs/3: a kept run's directory is a file, not a directory"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), c.kind)
			copyTree(t, made[c.kind], dir)
			removeAll(t, dir, c.rel)
			write(t, filepath.Join(dir, c.rel), "a file of the user's")
			expect(t, bin(t, nil, "verify", dir), 1, c.want)
			r := bin(t, nil, "verify", "--quarantine", dir)
			expect(t, r, 1, "recompute them with: backstop "+c.kind+" --resume "+dir)
			_, cmd, _ := strings.Cut(r.stdout, "recompute them with: ")
			pasteResume(t, strings.TrimSpace(cmd)+" --format svg")
			expect(t, bin(t, nil, "verify", dir), 0, "intact")
			if data, err := os.ReadFile(filepath.Join(dir, "quarantine", c.rel)); err != nil || string(data) != "a file of the user's" {
				t.Errorf("the user's file is not in quarantine/%s: %q, %v", c.rel, data, err)
			}
		})
	}
}

// TestVerifyRepairKeepsFigureFormats checks that the repair verify names for a damaged
// figure (verify --quarantine, then the resume it prints, pasted as printed) draws the
// figures again in the formats the directory had (SVG here), not in the resume's default
// formats: it wrote PNG and PDF beside the old SVGs, and the damaged SVG was never drawn
// again, though verify then said intact.
func TestVerifyRepairKeepsFigureFormats(t *testing.T) {
	made := verifyFixtures(t)
	for _, kind := range []string{"sweep", "explore", "calibration"} {
		t.Run(kind, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), kind)
			copyTree(t, made[kind], dir)
			before, err := filepath.Glob(filepath.Join(dir, "figures", "*"))
			if err != nil || len(before) == 0 {
				t.Fatalf("no figures in %s: %v", dir, err)
			}
			flipByte(t, before[0])
			r := bin(t, nil, "verify", "--quarantine", dir)
			expect(t, r, 1, "recompute them with: backstop ")
			_, cmd, _ := strings.Cut(r.stdout, "recompute them with: ")
			pasteResume(t, strings.TrimSpace(cmd))
			expect(t, bin(t, nil, "verify", dir), 0, "intact")
			after, _ := filepath.Glob(filepath.Join(dir, "figures", "*"))
			if strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("the repaired %s's figures are not those it had:\nbefore: %v\nafter:  %v", kind, before, after)
			}
		})
	}
}

// TestVerifyCommandsPasteForDashNames checks that the commands verify prints for a
// directory given relative, whose name begins with "-", paste back into sh and work: the
// repair's verify --quarantine and resume, then verify says intact. Printed as "-d",
// backstop read the name as a flag ("flag provided but not defined: -d").
func TestVerifyCommandsPasteForDashNames(t *testing.T) {
	made := verifyFixtures(t)
	tmp := t.TempDir()
	copyTree(t, made["sweep"], filepath.Join(tmp, "-d"))
	figures, _ := filepath.Glob(filepath.Join(tmp, "-d", "figures", "*"))
	flipByte(t, figures[0])
	binDir := t.TempDir()
	if err := os.Symlink(backstopBinary(t), filepath.Join(binDir, "backstop")); err != nil {
		t.Fatal(err)
	}
	sh := func(cmd string) string {
		c := exec.Command("sh", "-c", cmd)
		c.Dir = tmp
		c.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := c.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%s: %v", cmd, err)
		}
		return string(out)
	}
	out := sh("backstop verify -- -d")
	_, repair, ok := strings.Cut(out, "recompute them: ")
	if !ok {
		t.Fatalf("verify names no repair:\n%s", out)
	}
	repair, _, _ = strings.Cut(repair, "\n")
	quarantine, resume, _ := strings.Cut(repair, ", then ")
	for _, cmd := range []string{quarantine, resume + " --quiet"} {
		if out := sh(cmd); strings.Contains(out, "flag provided but not defined") || strings.Contains(out, "usage") {
			t.Fatalf("%s, pasted into sh, was refused:\n%s", cmd, out)
		}
	}
	if out := sh("backstop verify ./-d"); !strings.Contains(out, "intact: a sweep") || strings.Contains(out, "not intact") {
		t.Errorf("after the repair verify printed, verify says:\n%s", out)
	}
}

// TestVerifyWhileShardsWrite checks that verify of an exploration whose shards are being
// written (here, this process holds shard 1/2's locks as a shard does) names the shards
// still running and their holder, as verify of a run does: it said "is being written
// ()", naming no one.
func TestVerifyWhileShardsWrite(t *testing.T) {
	made := verifyFixtures(t)
	dir := filepath.Join(t.TempDir(), "explore")
	copyTree(t, made["explore"], dir)
	lock, err := rundir.Lock(dir, 1, 2, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	r := bin(t, nil, "verify", dir)
	expect(t, r, 1, fmt.Sprintf("being written by its shards, still running: shard 1/2 (pid %d on host", os.Getpid()))
	if strings.Contains(r.stderr, "()") {
		t.Errorf("verify names an empty holder:\n%s", r.stderr)
	}
}
