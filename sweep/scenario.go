package sweep

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// Scenario is the scenario of a sweep-like file (a base scenario file read relative to the
// file, with overrides applied and checked) from which points are built by setting
// numeric keys. It lets other designs (package explore) decode their files as sweeps do.
type Scenario struct {
	source string
	tree   *yaml.Node

	decoded     sync.Once
	parsed      *yaml.Node // the tree as Config's round trip parses it (nil: no shortcut)
	parsedCfg   sim.Config // parsed, decoded and validated
	parsedValid bool
}

// DecodeScenario resolves base (a scenario file name relative to source's directory, or
// nil for the embedded baseline) and applies overrides (nil for none), with the messages
// of a sweep file named source.
func DecodeScenario(source string, base, overrides *yaml.Node) (*Scenario, error) {
	d := decoder{source: source}
	tree, err := d.scenario(base, overrides)
	if err != nil {
		return nil, err
	}
	return &Scenario{source: source, tree: tree}, nil
}

// PathsAndSeed returns the paths and seed given by the file's nodes (nil when absent),
// else the scenario's.
func (s *Scenario) PathsAndSeed(paths, seed *yaml.Node) (int, uint64, error) {
	d := decoder{source: s.source}
	return d.pathsAndSeed(s.tree, paths, seed)
}

// CheckKey returns an error naming the keys allowed when key is not a numeric scenario
// parameter that may vary (paths and seed may not).
func (s *Scenario) CheckKey(key string) error { return checkKey(s.tree, key) }

// Value returns the scenario's value of numeric key.
func (s *Scenario) Value(key string) float64 {
	var x float64
	if n := lookup(s.tree, key); n != nil {
		_ = n.Decode(&x)
	}
	return x
}

// Policies returns the policies of the scenario.
func (s *Scenario) Policies() []string {
	var pols []string
	for _, n := range lookup(s.tree, "policies").Content {
		pols = append(pols, n.Value)
	}
	return pols
}

// Tree returns a copy of the resolved scenario, every key of it, as a YAML mapping.
func (s *Scenario) Tree() *yaml.Node { return clone(s.tree) }

// Config returns the scenario with paths, seed and keys[i] = values[i], decoded and
// validated by package configs (its *configs.Error names the key a value breaks).
func (s *Scenario) Config(paths int, seed uint64, keys []string, values []float64) (sim.Config, error) {
	if cfg, ok := s.quickConfig(paths, seed, keys, values); ok {
		return cfg, nil
	}
	data, err := yaml.Marshal(s.with(paths, seed, keys, values))
	if err != nil {
		return sim.Config{}, err
	}
	return configs.Decode(data, s.source)
}

// quickConfig is Config without encoding and parsing the scenario for every point, which
// designs of thousands of points would otherwise do for each: the scenario is decoded once,
// and a point decodes only the keys it sets (configs.DecodeKey), from the nodes the round
// trip would parse. ok is false where that is not sure to give Config's bits: a value
// YAML would not write as a plain number of its tag, a key not found as a plain scalar,
// and any error, which Config then reports from the round trip itself.
func (s *Scenario) quickConfig(paths int, seed uint64, keys []string, values []float64) (sim.Config, bool) {
	s.decoded.Do(s.decode)
	if !s.parsedValid {
		return sim.Config{}, false
	}
	cfg := cloneConfig(s.parsedCfg)
	set := func(key, value, tag string) bool {
		n := lookup(s.parsed, key)
		if n == nil || n.Kind != yaml.ScalarNode || n.Style != 0 || !plainNumber(value, tag) {
			return false
		}
		c := *n
		c.Value, c.Tag = value, tag
		return configs.DecodeKey(&cfg, key, &c, s.source) == nil
	}
	if n := lookup(s.parsed, "seed"); n == nil || !set("paths", formatValue(float64(paths)), scalarTag(float64(paths))) || !set("seed", strconv.FormatUint(seed, 10), n.Tag) {
		return sim.Config{}, false
	}
	for i, k := range keys {
		if !set(k, formatValue(values[i]), scalarTag(values[i])) {
			return sim.Config{}, false
		}
	}
	if cfg.Validate() != nil {
		return sim.Config{}, false
	}
	return cfg, true
}

// decode parses and decodes the scenario once, as Config's round trip does, for
// quickConfig.
func (s *Scenario) decode() {
	data, err := yaml.Marshal(s.tree)
	if err != nil {
		return
	}
	doc, err := configs.ParseDocument(data, s.source)
	if err != nil || len(doc.Content) == 0 {
		return
	}
	cfg, err := configs.Decode(data, s.source)
	if err != nil {
		return
	}
	s.parsed, s.parsedCfg, s.parsedValid = doc.Content[0], cfg, true
}

// Plain numbers as formatValue writes them: a whole number, and one with a fraction.
var (
	plainInt   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	plainFloat = regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]+$`)
)

// plainNumber reports whether value, written plain, reads back as a number of tag: then
// a YAML writer writes it as it is and a reader gives it that tag.
func plainNumber(value, tag string) bool {
	switch tag {
	case "!!int":
		return plainInt.MatchString(value)
	case "!!float":
		return plainFloat.MatchString(value)
	}
	return false
}

// cloneConfig returns a copy of c that shares no slice with it.
func cloneConfig(c sim.Config) sim.Config {
	cloneSlices(reflect.ValueOf(&c).Elem())
	return c
}

// cloneSlices replaces every slice within v (a settable value) by a copy.
func cloneSlices(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			cloneSlices(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := 0; i < c.Len(); i++ {
			cloneSlices(c.Index(i))
		}
		v.Set(c)
	}
}

// with returns a copy of the scenario's tree with paths, seed and keys[i] = values[i]:
// the one place a point of a design becomes a scenario.
func (s *Scenario) with(paths int, seed uint64, keys []string, values []float64) *yaml.Node {
	tree := clone(s.tree)
	setScalar(lookup(tree, "paths"), float64(paths))
	lookup(tree, "seed").Value = strconv.FormatUint(seed, 10)
	for i, k := range keys {
		setScalar(lookup(tree, k), values[i])
	}
	return tree
}

// IntegerKey reports whether the scenario key holds a whole number (days, funds.n_funds,
// qe.lag, ...), from the types of sim.Config.
func IntegerKey(key string) bool {
	t := reflect.TypeOf(sim.Config{})
	for _, part := range strings.Split(key, ".") {
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if strings.Split(f.Tag.Get("yaml"), ",")[0] == part {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

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
