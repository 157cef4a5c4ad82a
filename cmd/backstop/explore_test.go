package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backstop-research/backstop/explore"
	"github.com/backstop-research/backstop/results"
)

// The command refuses bad explore files with exit status 2 and a message naming the key,
// and a finished directory without --force.
func TestExploreCommand(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../configs/march2020.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("base: "+abs+"\nparameters: [{key: spv.discount, range: [5, 1]}]\n"), 0o644)
	var out, errb bytes.Buffer
	if code := mainErr([]string{"explore", "--config", bad}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "parameters[0].range") {
		t.Errorf("bad range: exit %d, %q", code, errb.String())
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("base: "+abs+"\ndesign: morris\nsamples: 3\npaths: 16\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n"), 0o644)
	outDir := filepath.Join(dir, "out")
	args := []string{"explore", "--config", good, "--out", outDir, "--quiet", "--no-figures"}
	if code := mainErr(append(args, "--keep-runs", "9"), &out, &errb); code != 2 {
		t.Errorf("--keep-runs beyond the 9 evaluations: exit %d, want 2", code)
	}
	if code := mainErr(append(args, "--keep-runs", "4"), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if m, err := results.ReadManifest(filepath.Join(outDir, "runs", "4")); err != nil || m.Status != results.StatusComplete {
		t.Errorf("kept run of evaluation 4: %+v, %v", m, err)
	}
	errb.Reset()
	if code := mainErr(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "--force") {
		t.Errorf("second run: exit %d, %q; want a refusal naming --force", code, errb.String())
	}
	if code := mainErr(append(args, "--force"), &out, &errb); code != 0 {
		t.Errorf("--force: exit %d", code)
	}
}

// An explore with --keep-runs stopped by SIGINT and resumed without the flag keeps the
// runs it was begun with: the real binary's runs/ and tables equal an uninterrupted
// explore's. A resume naming other runs is refused with exit status 2, naming both.
func TestExploreKeepRunsSurvivesResume(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../configs/march2020.yaml")
	cfg := filepath.Join(dir, "keep.yaml")
	// 8 chunks of 16 evaluations: the interrupt lands after the first.
	os.WriteFile(cfg, []byte("base: "+abs+"\ndesign: lhs\nsamples: 128\npaths: 2000\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n"), 0o644)
	bin := backstopBinary(t)
	ref, cut := filepath.Join(dir, "ref"), filepath.Join(dir, "cut")
	flags := []string{"--keep-runs", "100,3", "--no-figures", "--quiet", "--workers", "2"}
	if out, err := exec.Command(bin, append([]string{"explore", "--config", cfg, "--out", ref}, flags...)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted explore: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"explore", "--config", cfg, "--out", cut}, flags...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(cut, explore.EvaluationsDir, "chunk-00000.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no chunk of evaluations after 2 minutes")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted explore: %v, want exit %d\n%s", err, exitInterrupted, stderr.String())
	}

	out, err := exec.Command(bin, "explore", "--resume", cut, "--keep-runs", "3,5", "--quiet").CombinedOutput()
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "--keep-runs 3,5 (the exploration's is 3,100)") {
		t.Errorf("resume naming other runs: %v, %s; want exit 2 naming --keep-runs 3,5 and the exploration's 3,100", err, out)
	}
	if out, err := exec.Command(bin, "explore", "--resume", cut, "--no-figures", "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	list := func(d string) []string {
		entries, _ := os.ReadDir(filepath.Join(d, explore.RunsDir))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	if got, want := list(cut), list(ref); !reflect.DeepEqual(got, want) || len(want) != 2 {
		t.Errorf("runs/ after the resume: %v; uninterrupted: %v", got, want)
	}
	for _, f := range []string{explore.SensitivityCSV, filepath.Join(explore.EvaluationsDir, "chunk-00007.json"),
		filepath.Join(explore.RunsDir, "3", "summary.csv"), filepath.Join(explore.RunsDir, "100", "effects.csv")} {
		a, err1 := os.ReadFile(filepath.Join(ref, f))
		b, err2 := os.ReadFile(filepath.Join(cut, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: interrupted and resumed differs from uninterrupted (%v, %v)", f, err1, err2)
		}
	}
}

// A resume of an exploration, or a shard run again, with other --keep-runs than it was
// begun with is a usage error: exit status 2, the message naming both lists, as the
// command line named the directory.
func TestExploreKeepRunsMismatchIsUsage(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../configs/march2020.yaml")
	cfg := filepath.Join(dir, "small.yaml")
	os.WriteFile(cfg, []byte("base: "+abs+"\ndesign: morris\nsamples: 3\npaths: 16\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n"), 0o644)
	unfinish := func(manifest string) { // as if the process had been killed
		data, err := os.ReadFile(manifest)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(data), `"status": "complete"`, `"status": "incomplete"`, 1)
		if edited == string(data) {
			t.Fatalf("%s records no complete status:\n%s", manifest, data)
		}
		if err := os.WriteFile(manifest, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	refusal := "resume finishes the exploration as it was begun, so it takes no --keep-runs 2 (the exploration's is 4); drop the flag, or start a new exploration with another --out\n"
	for _, tc := range []struct {
		name     string
		begin    []string // after explore --config cfg --out OUT
		manifest string   // relative to OUT
		again    []string // after explore
		prefix   string   // of the message, before refusal; OUT stands for the directory
	}{
		{"resume", nil, results.ManifestFile, []string{"--resume", "OUT"}, "backstop: --resume OUT: "},
		{"shard", []string{"--shard", "1/2"}, filepath.Join(results.ShardsDir, results.ShardManifestName(1, 2)),
			[]string{"--config", cfg, "--out", "OUT", "--shard", "1/2"}, "backstop: shard 1/2 in OUT: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "explored")
			var stdout, stderr bytes.Buffer
			begin := append([]string{"explore", "--config", cfg, "--out", out, "--keep-runs", "4", "--quiet", "--no-figures"}, tc.begin...)
			if code := mainErr(begin, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			unfinish(filepath.Join(out, tc.manifest))
			again := []string{"explore", "--keep-runs", "2", "--quiet", "--no-figures"}
			for _, a := range tc.again {
				again = append(again, strings.ReplaceAll(a, "OUT", out))
			}
			stderr.Reset()
			code := mainErr(again, &stdout, &stderr)
			if want := strings.ReplaceAll(tc.prefix, "OUT", out) + refusal; code != 2 || stderr.String() != want {
				t.Errorf("%s with other --keep-runs: exit %d, %q; want exit 2, %q", tc.name, code, stderr.String(), want)
			}
		})
	}
}
