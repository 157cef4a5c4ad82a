package configs

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

//go:embed baseline.yaml
var baselineYAML []byte

// BaselineYAML returns the embedded baseline scenario file.
func BaselineYAML() []byte { return append([]byte(nil), baselineYAML...) }

// Baseline returns the embedded baseline scenario.
func Baseline() sim.Config {
	var cfg sim.Config
	if err := decodeInto(&cfg, baselineYAML, "baseline.yaml"); err != nil {
		panic("embedded baseline.yaml is invalid: " + err.Error())
	}
	return cfg
}

// Error is a configuration the tool cannot use. Key is the dotted YAML key ("" for the
// file as a whole).
type Error struct {
	Source string // file name or "baseline.yaml"
	Line   int    // 1-based line in Source, 0 when unknown
	Key    string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Load reads a scenario file, decodes it over the baseline and validates the result. A
// file without a scenario: key is named after the file (my_stress.yaml is scenario
// my_stress), not after the baseline it starts from.
func Load(path string) (sim.Config, error) {
	data, err := ReadFile(path)
	if err != nil {
		return sim.Config{}, fmt.Errorf("read config: %w", err)
	}
	if doc, err := ParseDocument(data, path); err == nil && (doc.Kind == 0 || len(doc.Content) == 0) {
		// An empty file (or /dev/stdin with nothing on it) is more likely a mistake than a
		// request for the baseline; {} asks for the baseline explicitly.
		return sim.Config{}, &Error{Source: path, Msg: "the file is empty (no keys); write {} in it to run the baseline under this file's name"}
	}
	cfg, err := Decode(data, path)
	if err != nil {
		return sim.Config{}, err
	}
	if !setsKey(data, "scenario") {
		cfg.Scenario = NameFromFile(path)
	}
	return cfg, nil
}

// NameFromFile is the scenario name of a file without a scenario: key: its base name
// without the extension, every character a name may not hold replaced by '_'.
func NameFromFile(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	name := []rune(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, base))
	if len(name) > 64 {
		name = name[:64]
	}
	if !sim.ValidName(string(name)) {
		return "scenario"
	}
	return string(name)
}

// setsKey reports whether the YAML mapping in data has the top-level key.
func setsKey(data []byte, key string) bool {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		if m[i].Value == key {
			return true
		}
	}
	return false
}

// Decode decodes data (named source in errors) over the baseline and validates it.
func Decode(data []byte, source string) (sim.Config, error) {
	cfg := Baseline()
	if err := decodeInto(&cfg, data, source); err != nil {
		return sim.Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		var fe *sim.FieldError
		if errors.As(err, &fe) {
			return sim.Config{}, &Error{Source: source, Key: fe.Key, Msg: fmt.Sprintf("%v is not allowed; %s", fe.Value, fe.Allowed)}
		}
		return sim.Config{}, &Error{Source: source, Msg: err.Error()}
	}
	return cfg, nil
}

// DecodeRecorded decodes a config as a run recorded it (its manifest's, its files' footers')
// over the baseline, as Decode does, except for the settings a recorded config may lack
// because the version that wrote it had none: such a config means what that version did.
// A config recorded without an output: block (before output.band_paths) counts the bands
// from every path, band_paths 0, not the baseline's subset.
func DecodeRecorded(data []byte, source string) (sim.Config, error) {
	cfg, err := Decode(data, source)
	if err != nil {
		return sim.Config{}, err
	}
	if !setsKey(data, "output") {
		cfg.Output = sim.OutputParams{}
	}
	return cfg, nil
}

// Marshal renders cfg as YAML, the form stored in every output's metadata.
func Marshal(cfg *sim.Config) ([]byte, error) {
	return yaml.Marshal(cfg)
}

func decodeInto(cfg *sim.Config, data []byte, source string) error {
	doc, err := ParseDocument(data, source)
	if err != nil {
		return err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // an empty file changes nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return &Error{Source: source, Line: root.Line, Msg: "the file must be a mapping of keys to values"}
	}
	d := decoder{source: source}
	return d.mapping(root, reflect.ValueOf(cfg).Elem(), "")
}

type decoder struct{ source string }

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) error {
	return &Error{Source: d.source, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// mapping decodes a YAML mapping into struct v, field by yaml tag, rejecting unknown and
// repeated keys.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, prefix string) error {
	fields := map[string]reflect.Value{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			fields[tag] = v.Field(i)
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		key := prefix + kn.Value
		fv, ok := fields[kn.Value]
		if !ok {
			return d.fail(kn, key, "unknown key; allowed here: %s", strings.Join(sortedKeys(fields), ", "))
		}
		if seen[kn.Value] {
			return d.fail(kn, key, "key appears twice")
		}
		seen[kn.Value] = true
		if err := d.value(vn, fv, key); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return d.fail(n, key, "%s is not allowed; expected a mapping of keys to values", show(n))
		}
		return d.mapping(n, v, key+".")
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return d.fail(n, key, "%s is not allowed; expected a list such as [none, qe, spv]", show(n))
		}
		out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := d.value(item, out.Index(i), fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
		v.Set(out)
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return d.fail(n, key, "%s is not allowed; expected %s", show(n), kindName(v.Kind()))
	}
	switch v.Kind() {
	case reflect.String:
		if n.Tag != "!!str" {
			return d.fail(n, key, "%s is not allowed; expected a string (quote it)", show(n))
		}
		v.SetString(n.Value)
	case reflect.Float64:
		if n.Tag != "!!float" && n.Tag != "!!int" {
			return d.fail(n, key, "%s is not allowed; expected a number", show(n))
		}
		var x float64
		if err := n.Decode(&x); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return d.fail(n, key, "%s is not allowed; expected a finite number", show(n))
		}
		v.SetFloat(x)
	case reflect.Int:
		var x int
		if n.Tag != "!!int" || n.Decode(&x) != nil {
			return d.fail(n, key, "%s is not allowed; expected a whole number", show(n))
		}
		v.SetInt(int64(x))
	case reflect.Uint64:
		var x uint64
		if n.Tag != "!!int" || n.Decode(&x) != nil {
			return d.fail(n, key, "%s is not allowed; expected a whole number from 0 to 18446744073709551615", show(n))
		}
		v.SetUint(x)
	default:
		panic(fmt.Sprintf("configs: field %s has unsupported kind %s", key, v.Kind()))
	}
	return nil
}

func show(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "an empty value"
	}
	return fmt.Sprintf("%q", n.Value)
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Uint64:
		return "a whole number"
	}
	return "a number"
}

func sortedKeys(m map[string]reflect.Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
