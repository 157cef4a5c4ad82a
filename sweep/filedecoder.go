package sweep

import (
	"math"

	"go.yaml.in/yaml/v3"
)

// FileDecoder reads the parts other files of scenarios share with a sweep file (name,
// base, overrides, paths, seed; a backstop calibrate file has them too) with a sweep
// file's strictness: each error is a *configs.Error naming the file, line and key.
type FileDecoder struct{ d decoder }

// NewFileDecoder returns a decoder whose errors name source; a base scenario is read
// relative to source's directory.
func NewFileDecoder(source string) *FileDecoder { return &FileDecoder{decoder{source: source}} }

// Header is what every sweep-like file holds besides its own keys: its name (by default
// the file's name without extension), description, scenario (base and overrides) and the
// paths and seed of every evaluation (by default the scenario's).
type Header struct {
	Name, Description string
	Scenario          *Scenario
	Paths             int
	Seed              uint64
}

// Header decodes the keys name, description, base, overrides, paths and seed among the
// fields of root (Fields' result).
func (f *FileDecoder) Header(root *yaml.Node, fields map[string]*yaml.Node) (Header, error) {
	return f.d.header(root, fields)
}

// Root parses data as one YAML document, as strictly as a scenario file
// (configs.ParseDocument), and returns its top-level mapping; what says what the file
// must hold.
func (f *FileDecoder) Root(data []byte, what string) (*yaml.Node, error) {
	return f.d.root(data, what)
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

// Range decodes a search range [lo, hi] of finite numbers with lo < hi.
func (f *FileDecoder) Range(n *yaml.Node, key string) (lo, hi float64, err error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		return 0, 0, f.d.fail(n, key, "%s is not allowed; expected [lo, hi]", show(n))
	}
	if lo, err = f.d.number(n.Content[0], key+"[0]"); err != nil {
		return 0, 0, err
	}
	if hi, err = f.d.number(n.Content[1], key+"[1]"); err != nil {
		return 0, 0, err
	}
	if !(lo < hi) {
		return 0, 0, f.d.fail(n, key, "[%g, %g] is not allowed; the lower bound must be below the upper", lo, hi)
	}
	return lo, hi, nil
}

// Count decodes a whole number from min to 1e9.
func (f *FileDecoder) Count(n *yaml.Node, key string, min int) (int, error) {
	x, err := f.d.number(n, key)
	if err != nil || x != math.Trunc(x) || x < float64(min) || x > 1e9 {
		return 0, f.d.fail(n, key, "%s is not allowed; expected a whole number of at least %d", show(n), min)
	}
	return int(x), nil
}

// Show describes n for a message: a mapping, a list, an empty value or its quoted text.
func Show(n *yaml.Node) string { return show(n) }
