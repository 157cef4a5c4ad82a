package sweep

import (
	"strings"

	"github.com/backstop-research/backstop/configs"
	"go.yaml.in/yaml/v3"
)

// FileDecoder reads the parts other files of scenarios share with a sweep file (name,
// base, overrides, paths, seed; a backstop calibrate file has them too) with a sweep
// file's strictness: each error is a *configs.Error naming the file, line and key.
type FileDecoder struct{ d decoder }

// NewFileDecoder returns a decoder whose errors name source; a base scenario is read
// relative to source's directory.
func NewFileDecoder(source string) *FileDecoder { return &FileDecoder{decoder{source: source}} }

// Root parses data and returns its top-level mapping; what says what the file must hold.
func (f *FileDecoder) Root(data []byte, what string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &configs.Error{Source: f.d.source, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &configs.Error{Source: f.d.source, Msg: "the file is empty; " + what}
	}
	if root := doc.Content[0]; root.Kind == yaml.MappingNode {
		return root, nil
	}
	return nil, f.d.fail(doc.Content[0], "", "the file must be a mapping of keys to values")
}

// Fail returns an error at n's line about key.
func (f *FileDecoder) Fail(n *yaml.Node, key, format string, args ...any) error {
	return f.d.fail(n, key, format, args...)
}

// Fields returns the values of mapping n by key, rejecting keys not in allowed and repeats.
func (f *FileDecoder) Fields(n *yaml.Node, prefix string, allowed []string) (map[string]*yaml.Node, error) {
	return f.d.fields(n, prefix, allowed)
}

// String decodes a string.
func (f *FileDecoder) String(n *yaml.Node, key string) (string, error) { return f.d.str(n, key) }

// Number decodes a finite number.
func (f *FileDecoder) Number(n *yaml.Node, key string) (float64, error) { return f.d.number(n, key) }

// Show describes n for a message: a mapping, a list, an empty value or its quoted text.
func Show(n *yaml.Node) string { return show(n) }

// YAML returns the scenario with keys[i] = values[i] as a scenario file, every key.
func (s *Scenario) YAML(keys []string, values []float64) ([]byte, error) {
	tree := clone(s.tree)
	for i, k := range keys {
		setScalar(lookup(tree, k), values[i])
	}
	return yaml.Marshal(tree)
}

// Renamed returns a copy of the scenario whose scenario key (the name of its output
// directory) is name.
func (s *Scenario) Renamed(name string) *Scenario {
	c := &Scenario{tree: clone(s.tree), source: s.source}
	if n := lookup(c.tree, "scenario"); n != nil {
		n.Value, n.Tag, n.Style = name, "!!str", 0
	}
	return c
}
