package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/backstop-research/backstop/internal/dirlock"
)

// kindCommands are the four kinds of output directory, each with a small command line
// writing one into --out DIR (appended), so that all four can be held to the same rules.
func kindCommands(t *testing.T) map[string][]string {
	t.Helper()
	tmp := t.TempDir()
	base, _ := filepath.Abs("../../configs/march2020.yaml")
	files := map[string]string{
		"sweep.yaml":     "name: tiny\nparameters:\n  - {key: spv.capacity, values: [100, 500]}\n",
		"explore.yaml":   "base: " + base + "\ndesign: morris\nsamples: 2\npaths: 16\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n",
		"calibrate.yaml": tinyCalibration,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return map[string][]string{
		"run":       {"run", "--paths", "200", "--quiet", "--no-figures"},
		"sweep":     {"sweep", "--config", filepath.Join(tmp, "sweep.yaml"), "--paths", "100", "--quiet", "--format", "png"},
		"explore":   {"explore", "--config", filepath.Join(tmp, "explore.yaml"), "--quiet", "--no-figures"},
		"calibrate": {"calibrate", "--config", filepath.Join(tmp, "calibrate.yaml"), "--quiet", "--format", "png"},
	}
}

// TestOutputDirectoryRulesEveryKind: run, sweep, explore and calibrate all refuse the file
// system root (exit 2, nothing written), a non-empty directory holding no backstop
// manifest (naming what is there, and leaving it as it was), and a directory another
// process is writing (naming the holder).
func TestOutputDirectoryRulesEveryKind(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	for kind, args := range kindCommands(t) {
		t.Run(kind, func(t *testing.T) {
			expect(t, bin(t, nil, append(args, "--out", "/")...), 2, "file system root")

			foreign := filepath.Join(t.TempDir(), "eu")
			if err := os.MkdirAll(foreign, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			snap := snapshot(t, foreign)
			expect(t, bin(t, nil, append(args, "--out", foreign)...), 1, "holds no backstop", "it holds notes.txt")
			expect(t, bin(t, nil, append(args, "--force", "--out", foreign)...), 1, "holds no backstop", "it holds notes.txt")
			unchanged(t, foreign, snap)

			// This test process holds the lock: the command, another process, is refused.
			live := filepath.Join(t.TempDir(), "live")
			l, err := dirlock.Exclusive(filepath.Join(live, dirlock.FileName))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
			if l.Unsupported() {
				t.Fatal("the test directory's file system has no locks")
			}
			expect(t, bin(t, nil, append(args, "--out", live)...), 1, fmt.Sprintf("is being written by pid %d on host", os.Getpid()))
		})
	}
}
