package sweep_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sweep"
	"go.yaml.in/yaml/v3"
)

// TestFileDecoder checks the checks every sweep-like file (sweep, explore, calibrate)
// shares, each error a *configs.Error naming the file, line and key.
func TestFileDecoder(t *testing.T) {
	decode := func(d *sweep.FileDecoder, root *yaml.Node) error {
		f, err := d.Fields(root, "", []string{"n", "r", "m"})
		if err != nil {
			return err
		}
		if n := f["n"]; n != nil {
			if _, err := d.Count(n, "n", 2); err != nil {
				return err
			}
		}
		if n := f["r"]; n != nil {
			if _, _, err := d.Range(n, "r"); err != nil {
				return err
			}
		}
		if n := f["m"]; n != nil {
			if _, err := d.Fields(n, "m.", []string{"a"}); err != nil {
				return err
			}
		}
		return nil
	}
	tests := []struct {
		name, body string
		line       int
		want       []string // in the message; none for a valid file
	}{
		{"valid", "n: 3\nr: [0, 1.5]\nm: {a: 1}\n", 0, nil},
		{"whole float count", "n: 3.0\n", 0, nil},
		{"empty", "", 0, []string{"the file is empty", "what it holds"}},
		{"not YAML", "n: [1\n", 0, []string{"not valid YAML"}},
		{"two documents", "n: 3\n---\nn: 4\n", 2, []string{"more than one YAML document"}},
		{"ambiguous number", "n: 010\n", 1, []string{"010"}},
		{"not a mapping", "- 1\n", 1, []string{"mapping of keys to values"}},
		{"unknown key", "n: 3\nx: 1\n", 2, []string{"x", "unknown key", "m, n, r"}},
		{"repeated key", "n: 3\nn: 4\n", 2, []string{"n", "twice"}},
		{"count too small", "n: 1\n", 1, []string{"n", "whole number of at least 2"}},
		{"count fractional", "n: 2.5\n", 1, []string{"n", "whole number"}},
		{"range not a pair", "r: [1]\n", 1, []string{"r", "expected [lo, hi]"}},
		{"range not a number", "r: [0, x]\n", 1, []string{"r[1]", "finite number"}},
		{"range inverted", "r: [2, 1]\n", 1, []string{"r", "[2, 1]", "lower bound"}},
		{"nested not a mapping", "m: [1, 2]\n", 1, []string{"m", "expected a mapping of keys (a)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := sweep.NewFileDecoder("f.yaml")
			root, err := d.Root([]byte(tc.body), "what it holds")
			if err == nil {
				err = decode(d, root)
			}
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *configs.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *configs.Error", err)
			}
			if ce.Source != "f.yaml" || ce.Line != tc.line {
				t.Errorf("error at %s:%d, want f.yaml:%d", ce.Source, ce.Line, tc.line)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// A file of another design shares the sweep file's keys and checks: decode its top-level
// keys, a count and a search range with the line and key of any error.
func ExampleFileDecoder() {
	d := sweep.NewFileDecoder("design.yaml")
	root, err := d.Root([]byte("samples: 16\nrange: [0.5, 0.1]\n"), "a design names its samples")
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := d.Fields(root, "", []string{"samples", "range"})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := d.Count(f["samples"], "samples", 2)
	fmt.Println("samples:", n)
	if _, _, err := d.Range(f["range"], "range"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// samples: 16
	// design.yaml:2: range: [0.5, 0.1] is not allowed; the lower bound must be below the upper
}

// TestFileDecoderHeader checks the keys every sweep-like file shares: the name defaults
// to the file's stem, the paths and seed to the scenario's, and each is checked.
func TestFileDecoderHeader(t *testing.T) {
	baseline := configs.Baseline()
	tests := []struct {
		body        string
		name        string
		paths       int
		seed        uint64
		line        int
		errContains string
	}{
		{"x: 1\n", "my-design", baseline.Paths, baseline.Seed, 0, ""},
		{"name: n1\ndescription: d\npaths: 50\nseed: 9\n", "n1", 50, 9, 0, ""},
		{"overrides: {paths: 70}\n", "my-design", 70, baseline.Seed, 0, ""},
		{"name: a/b\n", "", 0, 0, 1, "name"},
		{"x: 1\npaths: 0\n", "", 0, 0, 2, "paths"},
		{"seed: -1\n", "", 0, 0, 1, "seed"},
		{"overrides: {funds: {nope: 1}}\n", "", 0, 0, 1, "nope"},
	}
	for _, tc := range tests {
		d := sweep.NewFileDecoder("dir/my-design.yaml")
		root, err := d.Root([]byte(tc.body), "a design")
		if err != nil {
			t.Fatal(err)
		}
		f, err := d.Fields(root, "", []string{"x", "name", "description", "base", "overrides", "paths", "seed"})
		if err != nil {
			t.Fatal(err)
		}
		h, err := d.Header(root, f)
		if tc.errContains != "" {
			var ce *configs.Error
			if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), tc.errContains) {
				t.Errorf("%q: error %v, want one at line %d naming %s", tc.body, err, tc.line, tc.errContains)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.body, err)
		}
		if h.Name != tc.name || h.Paths != tc.paths || h.Seed != tc.seed || h.Scenario == nil {
			t.Errorf("%q: %+v, want name %s, %d paths, seed %d", tc.body, h, tc.name, tc.paths, tc.seed)
		}
	}
}
