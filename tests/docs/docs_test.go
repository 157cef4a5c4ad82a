// Package docs runs every shell command the README and docs/*.md show, in order, in a
// fresh copy of the repository after `make run`, so the documentation cannot drift from
// the tool. Commands are the lines of ```sh and ```console code blocks (a console line
// starts with "$ "); a block that cannot run here (a cluster, docker) is preceded by
// <!-- docs-test: skip REASON -->. Paths are capped by BACKSTOP_MAX_PATHS
// (BACKSTOP_DOCS_PATHS, default 1000) so the whole set takes well under two minutes.
package docs

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// Command is one shell command of the docs, with where it is written.
type Command struct {
	File string // relative to the repository root
	Line int    // 1-based line of its first line
	Text string // the command, continuation lines joined
}

// Skipped is a code block the test does not run, and why.
type Skipped struct {
	File, Reason string
	Line         int
}

var (
	fence     = regexp.MustCompile("^```\\s*([A-Za-z0-9_-]*)")
	skipMark  = regexp.MustCompile(`^<!--\s*docs-test:\s*skip\s+(.+?)\s*-->\s*$`)
	shellLang = map[string]bool{"sh": true, "shell": true, "bash": true, "console": true}
)

// Extract returns the commands of the shell code blocks of a Markdown file, in order,
// and the blocks marked to skip. A line ending in a backslash continues on the next.
func Extract(file, text string) ([]Command, []Skipped, error) {
	var cmds []Command
	var skipped []Skipped
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var (
		inBlock, run bool
		lang         string
		skipReason   string
		pending      *Command
		n            int
	)
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if !inBlock {
			if m := skipMark.FindStringSubmatch(trimmed); m != nil {
				skipReason = m[1]
				continue
			}
			if m := fence.FindStringSubmatch(trimmed); m != nil {
				inBlock, lang = true, strings.ToLower(m[1])
				run = shellLang[lang] && skipReason == ""
				if shellLang[lang] && skipReason != "" {
					skipped = append(skipped, Skipped{File: file, Line: n, Reason: skipReason})
				}
				if !shellLang[lang] && skipReason != "" {
					return nil, nil, fmt.Errorf("%s:%d: a docs-test skip mark before a %q block, which is not run anyway", file, n, lang)
				}
				skipReason = ""
				continue
			}
			if trimmed != "" {
				skipReason = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			if pending != nil {
				return nil, nil, fmt.Errorf("%s:%d: the block ends inside a continued command", file, n)
			}
			inBlock = false
			continue
		}
		if !run {
			continue
		}
		if lang == "console" {
			if pending == nil && !strings.HasPrefix(line, "$ ") {
				continue // output shown after a command
			}
			line = strings.TrimPrefix(line, "$ ")
		}
		if pending == nil {
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			pending = &Command{File: file, Line: n}
		} else {
			line = strings.TrimLeft(line, " \t")
		}
		body, more := strings.CutSuffix(strings.TrimRight(line, " \t"), "\\")
		pending.Text += strings.TrimRight(body, " \t")
		if more {
			pending.Text += " "
			continue
		}
		pending.Text = strings.TrimSpace(pending.Text)
		cmds = append(cmds, *pending)
		pending = nil
	}
	if inBlock {
		return nil, nil, fmt.Errorf("%s: a code block is not closed", file)
	}
	return cmds, skipped, sc.Err()
}

// notRun are commands the test does not run, with why: they are what runs it.
var notRun = map[string]string{
	"make test": "make test runs this test",
}

// TestDocsCommands runs every documented command in a fresh copy of the repository.
func TestDocsCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs every documented command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md"}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	sort.Strings(docs)
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, rel)
	}
	var cmds []Command
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		c, skipped, err := Extract(f, string(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range skipped {
			t.Logf("%s:%d: not run: %s", s.File, s.Line, s.Reason)
		}
		cmds = append(cmds, c...)
	}
	if len(cmds) < 10 {
		t.Fatalf("only %d commands found in %v: the extraction is broken", len(cmds), files)
	}

	work := copyRepo(t, root)
	maxPaths := os.Getenv("BACKSTOP_DOCS_PATHS")
	if maxPaths == "" {
		maxPaths = "1000"
	}
	env := append(os.Environ(), "BACKSTOP_MAX_PATHS="+maxPaths, "NO_COLOR=1")
	sh := func(label, command string) {
		t.Helper()
		start := time.Now()
		cmd := exec.Command("bash", "-e", "-c", command) // as typed, a pipeline's status is its last command's
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %s\nfailed: %v\n%s", label, command, err, out)
		}
		t.Logf("%s: %s (%.1fs)", label, command, time.Since(start).Seconds())
	}
	sh("setup", "make run")
	for _, c := range cmds {
		bare, _, _ := strings.Cut(c.Text, " #")
		if why, ok := notRun[strings.TrimSpace(bare)]; ok {
			t.Logf("%s:%d: not run: %s: %s", c.File, c.Line, c.Text, why)
			continue
		}
		sh(fmt.Sprintf("%s:%d", c.File, c.Line), c.Text)
	}
}

// copyRepo copies the repository's files (tracked and new, not ignored: what a fresh
// clone with this work would hold) into a temporary directory.
func copyRepo(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("list the repository's files with git: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "repo")
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, rel), data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestExtract checks what counts as a command: sh and console blocks, comments and
// console output left out, continuations joined, marked blocks skipped.
func TestExtract(t *testing.T) {
	md := "text\n```sh\nmake run   # note\n# a comment\n\nbin/x a \\\n  b\n```\n" +
		"```python\nimport x\n```\n" +
		"<!-- docs-test: skip needs a cluster -->\n```sh\nkubectl apply\n```\n" +
		"```console\n$ bin/x c\noutput line\n```\n"
	cmds, skipped, err := Extract("f.md", md)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cmds {
		got = append(got, fmt.Sprintf("%d:%s", c.Line, c.Text))
	}
	want := []string{"3:make run   # note", "6:bin/x a b", "17:bin/x c"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("commands %q, want %q", got, want)
	}
	if len(skipped) != 1 || skipped[0].Reason != "needs a cluster" || skipped[0].Line != 13 {
		t.Errorf("skipped %+v, want the kubectl block at line 13", skipped)
	}
	if _, _, err := Extract("f.md", "<!-- docs-test: skip why -->\n```python\nx\n```\n"); err == nil {
		t.Error("a skip mark before a block that is not run anyway was accepted")
	}
}
