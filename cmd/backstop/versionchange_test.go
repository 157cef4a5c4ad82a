package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// earlierVersion is the version of backstop that the tests below make a directory say
// began it, as one begun before an upgrade says.
const earlierVersion = "0.9.0-earlier"

// setManifest sets keys of the manifest.json in dir, as a directory interrupted by another
// version of backstop would hold it.
func setManifest(t *testing.T, dir string, keys map[string]any) {
	t.Helper()
	editManifest(t, dir, func(m map[string]any) { maps.Copy(m, keys) })
}

// readManifestKeys reads the manifest.json in dir as JSON, whatever its kind.
func readManifestKeys(t *testing.T, dir string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// manifestVersions is the versions key of manifest m, nil when absent.
func manifestVersions(m map[string]any) []string {
	list, _ := m["versions"].([]any)
	var vs []string
	for _, v := range list {
		s, _ := v.(string)
		vs = append(vs, s)
	}
	return vs
}

// TestResumeAcrossVersions resumes, with the real binary, a run, a sweep, an exploration
// and a calibration that another version of backstop began (their manifests say so): the
// resume is refused, exit status 1, naming both versions and the whole command that
// resumes anyway with --allow-version-change and the --force that starts over, and changes
// nothing; with --allow-version-change it finishes and the manifest lists both versions
// (versions), as does the run of a sweep's point begun by the earlier version; begun by
// this version, a resume finishes as before, with no versions key.
func TestResumeAcrossVersions(t *testing.T) {
	bin := backstopBinary(t)
	tmp := t.TempDir()
	march, err := filepath.Abs("../../configs/march2020.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		command string
		config  string
		flags   []string // of the first run, which finishes
		runs    []string // run directories inside that the earlier version began too
	}{
		{"run", "scenario: tiny\npaths: 200\n", []string{"--no-figures"}, nil},
		{"sweep", "name: tiny\npaths: 200\nparameters:\n  - {key: spv.capacity, values: [100, 300]}\n", []string{"--format", "svg"}, []string{filepath.Join("points", "1")}},
		{"explore", "base: " + march + "\ndesign: morris\nsamples: 3\npaths: 16\noverrides: {policies: [none, spv]}\nparameters: [{key: spv.discount, range: [0, 20]}, {key: funds.theta, range: [0.05, 0.2]}]\n", []string{"--no-figures"}, nil},
		{"calibrate", tinyCalibration, []string{"--format", "svg"}, nil},
	}
	cases := []struct {
		name      string
		begunBy   string // the version the manifests are set to; "" leaves this one's
		allow     bool
		wantCode  int
		wantTwice bool // the manifest lists both versions
	}{
		{"begun by another version", earlierVersion, false, 1, false},
		{"begun by another version, --allow-version-change", earlierVersion, true, 0, true},
		{"begun by this version", "", false, 0, false},
	}
	for _, k := range kinds {
		base := filepath.Join(tmp, k.command)
		cfg := writeTestFile(t, tmp, k.command+".yaml", k.config)
		args := append([]string{k.command, "--config", cfg, "--out", base, "--quiet"}, k.flags...)
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", k.command, err, out)
		}
		this, _ := readManifestKeys(t, base)["version"].(string)
		if this == "" || this == earlierVersion {
			t.Fatalf("%s: manifest version %q", k.command, this)
		}
		for _, tc := range cases {
			t.Run(k.command+"/"+tc.name, func(t *testing.T) {
				dir := filepath.Join(tmp, k.command+"-"+strings.ReplaceAll(tc.name, " ", "-"))
				if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
					t.Fatal(err)
				}
				unfinished := map[string]any{"status": "incomplete"}
				if tc.begunBy != "" {
					unfinished["version"] = tc.begunBy
				}
				setManifest(t, dir, unfinished)
				for _, r := range k.runs {
					setManifest(t, filepath.Join(dir, r), unfinished)
				}
				before, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
				if err != nil {
					t.Fatal(err)
				}

				resume := []string{k.command, "--resume", dir, "--quiet"}
				if tc.allow {
					resume = append(resume, "--allow-version-change")
				}
				cmd := exec.Command(bin, resume...)
				var stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = new(bytes.Buffer), &stderr
				err = cmd.Run()
				if code := exitCode(t, err, resume...); code != tc.wantCode {
					t.Fatalf("backstop %s: exit %d, want %d; stderr:\n%s", strings.Join(resume, " "), code, tc.wantCode, stderr.String())
				}
				if tc.wantCode != 0 {
					for _, w := range []string{
						"cannot resume " + dir + ": it was last written by backstop " + earlierVersion + ", this is " + this,
						"resume anyway with backstop " + k.command + " --resume " + dir + " --allow-version-change",
						"start over with backstop " + k.command + " --config FILE --out " + dir + " --force",
					} {
						if !strings.Contains(stderr.String(), w) {
							t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
						}
					}
					if after, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err != nil || !bytes.Equal(after, before) {
						t.Errorf("the refused resume changed the manifest (%v):\n%s", err, after)
					}
					return
				}
				var want []string // no versions key: one version wrote it all
				if tc.wantTwice {
					want = []string{earlierVersion, this}
				}
				for _, d := range append([]string{"."}, k.runs...) {
					m := readManifestKeys(t, filepath.Join(dir, d))
					if m["status"] != "complete" || m["version"] != this || !slices.Equal(manifestVersions(m), want) {
						t.Errorf("%s manifest: status %v, version %v, versions %v; want complete, %s, %v", d, m["status"], m["version"], m["versions"], this, want)
					}
				}
				if out, err := exec.Command(bin, "verify", dir).CombinedOutput(); err != nil {
					t.Errorf("verify after the resume: %v\n%s", err, out)
				}
			})
		}
	}
}

// TestSweepPointOfAnotherVersion resumes, with the real binary, a sweep of this version
// whose grid point's run another version wrote (a sweep resumed before the sweep checked
// versions left it so): finished or not, the point is refused, exit status 1, with the
// sweep's own command that resumes anyway, and with it the sweep finishes, its manifest
// and the point's listing both versions; interrupted again, it resumes without the flag.
func TestSweepPointOfAnotherVersion(t *testing.T) {
	bin := backstopBinary(t)
	tmp := t.TempDir()
	cfg := writeTestFile(t, tmp, "sweep.yaml", "name: tiny\npaths: 200\nparameters:\n  - {key: spv.capacity, values: [100, 300]}\n")
	base := filepath.Join(tmp, "base")
	if out, err := exec.Command(bin, "sweep", "--config", cfg, "--out", base, "--quiet", "--format", "svg").CombinedOutput(); err != nil {
		t.Fatalf("sweep: %v\n%s", err, out)
	}
	this, _ := readManifestKeys(t, base)["version"].(string)
	point := filepath.Join("points", "1")
	both := []string{earlierVersion, this}
	tests := []struct {
		status       string // of the point's run
		pointVersion string // of the point's manifest once the sweep finished
		pointBoth    bool   // it lists both versions
	}{
		{"complete", earlierVersion, false}, // read back as the earlier version wrote it
		{"incomplete", this, true},          // resumed, and finished by this version
	}
	for _, tc := range tests {
		t.Run("point "+tc.status, func(t *testing.T) {
			dir := filepath.Join(tmp, tc.status)
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			setManifest(t, dir, map[string]any{"status": "incomplete"})
			setManifest(t, filepath.Join(dir, point), map[string]any{"status": tc.status, "version": earlierVersion})
			out, err := exec.Command(bin, "sweep", "--resume", dir, "--quiet").CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("resume: %v, want exit 1\n%s", err, out)
			}
			for _, w := range []string{
				"grid point 1 (spv.capacity=300): cannot resume " + filepath.Join(dir, point) + ": it was last written by backstop " + earlierVersion + ", this is " + this,
				"resume anyway with backstop sweep --resume " + dir + " --allow-version-change",
			} {
				if !strings.Contains(string(out), w) {
					t.Errorf("stderr lacks %q:\n%s", w, out)
				}
			}
			if out, err := exec.Command(bin, "sweep", "--resume", dir, "--quiet", "--allow-version-change").CombinedOutput(); err != nil {
				t.Fatalf("resume with --allow-version-change: %v\n%s", err, out)
			}
			if m := readManifestKeys(t, dir); m["status"] != "complete" || m["version"] != this || !slices.Equal(manifestVersions(m), both) {
				t.Errorf("sweep manifest: status %v, version %v, versions %v; want complete, %s, %v", m["status"], m["version"], m["versions"], this, both)
			}
			var want []string
			if tc.pointBoth {
				want = both
			}
			if m := readManifestKeys(t, filepath.Join(dir, point)); m["status"] != "complete" || m["version"] != tc.pointVersion || !slices.Equal(manifestVersions(m), want) {
				t.Errorf("point's manifest: status %v, version %v, versions %v; want complete, %s, %v", m["status"], m["version"], m["versions"], tc.pointVersion, want)
			}

			// Interrupted again after that resume (its manifest lists both versions), the
			// sweep resumes with the command it printed, without the flag given anew.
			setManifest(t, dir, map[string]any{"status": "incomplete"})
			if out, err := exec.Command(bin, "sweep", "--resume", dir, "--quiet").CombinedOutput(); err != nil {
				t.Fatalf("resume again, without --allow-version-change: %v\n%s", err, out)
			}
		})
	}
}

// TestHandEditedVersion resumes and inspects, with the real binary, an unfinished run
// whose manifest's version was edited by hand: an escape sequence, a newline, an invisible
// override, nothing, a megabyte. The resume is refused (exit 1) on one line of bounded
// length, showing the version quoted (cut short when long), and neither it nor inspect
// lets a control character reach the terminal.
func TestHandEditedVersion(t *testing.T) {
	bin := backstopBinary(t)
	tmp := t.TempDir()
	cfg := writeTestFile(t, tmp, "tiny.yaml", "scenario: tiny\npaths: 200\n")
	base := filepath.Join(tmp, "base")
	if out, err := exec.Command(bin, "run", "--config", cfg, "--out", base, "--quiet", "--no-figures").CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	tests := []struct{ name, version, shown string }{
		{"escape sequences", "1a8\x1b[31mred\x1b]0;title\x07", `"1a8\x1b[31mred\x1b]0;title\a"`},
		{"newline", "1a8\nbackstop: forged line", `"1a8\nbackstop: forged line"`},
		{"override", "1a8\u202edlrow", `"1a8\u202edlrow"`},
		{"empty", "", `""`},
		{"a megabyte", strings.Repeat("x", 1<<20), strings.Repeat("x", 64) + "..."},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(tmp, strconv.Itoa(i))
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			setManifest(t, dir, map[string]any{"status": "incomplete", "version": tc.version, "versions": []string{"0.9.0-earlier", tc.version}})
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, "run", "--resume", dir, "--quiet")
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if code := exitCode(t, cmd.Run(), "run", "--resume", dir); code != 1 {
				t.Fatalf("resume: exit %d, want 1\n%s", code, stderr.String())
			}
			if msg := stderr.String(); strings.Count(msg, "\n") != 1 || len(msg) > 1000 || !strings.Contains(msg, "written by backstop "+tc.shown+", this is") {
				t.Errorf("the refusal is not one line of at most 1000 bytes (%d bytes):\n%.2000s", len(msg), msg)
			}
			out, err := exec.Command(bin, "inspect", dir).Output()
			if err != nil {
				t.Fatalf("inspect: %v", err)
			}
			for _, s := range []string{stderr.String(), string(out)} {
				if i := strings.IndexFunc(s, func(r rune) bool { return r == 0x1b || r == 0x07 || r == 0x202e }); i >= 0 {
					t.Errorf("a control character reaches the terminal at byte %d:\n%q", i, s[max(0, i-40):min(len(s), i+40)])
				}
			}
			if strings.Contains(string(out), "\nbackstop: forged line") {
				t.Error("inspect prints the version's newline raw")
			}
		})
	}
}
