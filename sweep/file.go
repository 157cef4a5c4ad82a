package sweep

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// Limits on a grid, so that a typo in start/stop/step does not launch a million runs.
const (
	MaxValues = 1000   // values of one parameter
	MaxPoints = 10_000 // grid points of a sweep
)

// The keys of a sweep file and of one of its parameters.
var (
	fileKeys  = []string{"name", "description", "base", "overrides", "paths", "seed", "parameters"}
	paramKeys = []string{"key", "values", "start", "stop", "step"}
)

// Plan is a decoded sweep file: the scenario every grid point starts from and the grid.
type Plan struct {
	Name        string  // names the sweep and its default directory, outputs/<Name>
	Description string  // one line for titles and reports
	Paths       int     // Monte Carlo paths of every point
	Seed        uint64  // the seed of every point: common random numbers across the grid
	Params      []Param // one or two; in grid order the last one varies fastest

	source   string    // the sweep file, for messages
	scenario *Scenario // the base scenario with the overrides
}

// Param is one swept scenario parameter and its grid.
type Param struct {
	Key    string    // dotted scenario key, e.g. "funds.b0"
	About  string    // what the key means, from its comment in configs/baseline.yaml
	Values []float64 // the grid, in the file's order

	lines []int  // line in the sweep file of each value
	where string // the key of the grid in the sweep file, e.g. "parameters[0].values"
	list  bool   // the grid is a list of values (not start/stop/step)
}

// Point is one grid point: the values of the parameters and the scenario they give.
type Point struct {
	Index  int        // position in grid order; its run is points/<Index>
	Values []float64  // one per Plan.Params
	Config sim.Config // validated, with the plan's Paths and Seed
}

// Load reads and decodes the sweep file at path (see Decode).
func Load(path string) (*Plan, error) {
	data, err := configs.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sweep file: %w", err)
	}
	return Decode(data, path)
}

// Decode decodes a sweep file, named source in messages; a base scenario file it names is
// read relative to source's directory. Decoding is strict, as for scenario files: an
// unknown key, a value of the wrong type, an unknown parameter key, an empty grid or a grid
// value the scenario does not allow is a *configs.Error naming the file, line and key.
// Every grid point's scenario is built and validated before Decode returns.
func Decode(data []byte, source string) (*Plan, error) {
	d := decoder{source: source}
	root, err := d.root(data, "a sweep names at least its parameters")
	if err != nil {
		return nil, err
	}
	fields, err := d.fields(root, "", fileKeys)
	if err != nil {
		return nil, err
	}
	h, err := d.header(root, fields)
	if err != nil {
		return nil, err
	}
	p := &Plan{source: source, Name: h.Name, Description: h.Description, Paths: h.Paths, Seed: h.Seed, scenario: h.Scenario}
	pn := fields["parameters"]
	if pn == nil {
		return nil, d.fail(root, "parameters", "missing; list one or two parameters, e.g. parameters: [{key: funds.b0, values: [500, 1000]}]")
	}
	if p.Params, err = d.params(pn, p.scenario.tree); err != nil {
		return nil, err
	}
	if _, err := p.Points(); err != nil {
		return nil, err
	}
	return p, nil
}

// Size returns the number of grid points.
func (p *Plan) Size() int {
	n := 1
	for _, pr := range p.Params {
		n *= len(pr.Values)
	}
	return n
}

// indices returns the grid indices of point i: the last parameter varies fastest.
func (p *Plan) indices(i int) []int {
	idx := make([]int, len(p.Params))
	for k := len(p.Params) - 1; k >= 0; k-- {
		n := len(p.Params[k].Values)
		idx[k], i = i%n, i/n
	}
	return idx
}

// Points returns every grid point in grid order, each scenario validated. The plan's Paths
// and Seed apply to every point.
func (p *Plan) Points() ([]Point, error) {
	if p.Paths < 1 {
		return nil, &configs.Error{Source: p.source, Key: "paths", Msg: fmt.Sprintf("%d is not allowed; must be an integer of at least 1", p.Paths)}
	}
	pts := make([]Point, p.Size())
	keys := make([]string, len(p.Params))
	for k, pr := range p.Params {
		keys[k] = pr.Key
	}
	for i := range pts {
		idx := p.indices(i)
		vals := make([]float64, len(idx))
		for k, j := range idx {
			vals[k] = p.Params[k].Values[j]
		}
		cfg, err := p.scenario.Config(p.Paths, p.Seed, keys, vals)
		if err != nil {
			return nil, p.pointError(err, idx)
		}
		// Each point's run is titled by the sweep and its parameter values (its summary.md
		// says which point it is), the base scenario's description after them.
		base := cfg.Scenario
		if cfg.Description != "" {
			base += ": " + cfg.Description
		}
		pts[i] = Point{Index: i, Values: vals, Config: cfg}
		cfg.Scenario = pointScenario(p.Name, i)
		cfg.Description = fmt.Sprintf("Sweep %s, grid point %d: %s (base scenario %s).", p.Name, i, p.describe(pts[i]), base)
		pts[i].Config = cfg
	}
	return pts, nil
}

// pointScenario names grid point i of the sweep name: name-pI, a valid scenario name.
func pointScenario(name string, i int) string {
	suffix := fmt.Sprintf("-p%d", i)
	if len(name)+len(suffix) > 64 {
		name = name[:64-len(suffix)]
	}
	return name + suffix
}

// pointError says which grid value a scenario error comes from, at its line in the file.
func (p *Plan) pointError(err error, idx []int) error {
	var ce *configs.Error
	if !errors.As(err, &ce) {
		return err
	}
	k := 0
	for i, pr := range p.Params {
		if pr.Key == ce.Key {
			k = i
		}
	}
	pr, j := p.Params[k], idx[k]
	out := &configs.Error{Source: p.source, Key: pr.where}
	if j < len(pr.lines) { // values added after decoding have no line
		out.Line = pr.lines[j]
	}
	if pr.list {
		out.Key = fmt.Sprintf("%s[%d]", pr.where, j)
	}
	if ce.Key == pr.Key {
		out.Msg = ce.Key + ": " + ce.Msg
		return out
	}
	var at []string
	for i, q := range p.Params {
		at = append(at, fmt.Sprintf("%s = %s", q.Key, formatValue(q.Values[idx[i]])))
	}
	out.Msg = fmt.Sprintf("at %s: %s: %s", strings.Join(at, ", "), ce.Key, ce.Msg)
	return out
}

// YAML returns the plan as a self-contained sweep file: the resolved base scenario, every
// key of it, as overrides, and each grid as a list of values. Decoding it gives the same
// points whatever the embedded baseline or the base file become; it is what the outputs
// record as their config.
func (p *Plan) YAML() ([]byte, error) {
	tree := p.scenario.with(p.Paths, p.Seed, nil, nil)
	type param struct {
		Key    string    `yaml:"key"`
		Values []float64 `yaml:"values,flow"`
	}
	out := struct {
		Name        string     `yaml:"name"`
		Description string     `yaml:"description,omitempty"`
		Paths       int        `yaml:"paths"`
		Seed        uint64     `yaml:"seed"`
		Overrides   *yaml.Node `yaml:"overrides"`
		Parameters  []param    `yaml:"parameters"`
	}{Name: p.Name, Description: p.Description, Paths: p.Paths, Seed: p.Seed, Overrides: tree}
	for _, pr := range p.Params {
		out.Parameters = append(out.Parameters, param{pr.Key, pr.Values})
	}
	return yaml.Marshal(out)
}

// Policies returns the policies every point runs.
func (p *Plan) Policies() []string { return p.scenario.Policies() }

// decoder reports errors at a line of the sweep file.
type decoder struct{ source string }

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) error {
	return &configs.Error{Source: d.source, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// header decodes the keys every sweep-like file shares (see Header) among the fields of
// root.
func (d *decoder) header(root *yaml.Node, fields map[string]*yaml.Node) (Header, error) {
	base := filepath.Base(d.source)
	h := Header{Name: strings.TrimSuffix(base, filepath.Ext(base))}
	var err error
	if n := fields["name"]; n != nil {
		if h.Name, err = d.str(n, "name"); err != nil {
			return Header{}, err
		}
	}
	if !sim.ValidName(h.Name) {
		return Header{}, d.fail(cmp.Or(fields["name"], root), "name", "%q is not allowed; use 1-64 letters, digits, '-', '_' or '.' (it names the output directory)", h.Name)
	}
	if n := fields["description"]; n != nil {
		if h.Description, err = d.str(n, "description"); err != nil {
			return Header{}, err
		}
	}
	if h.Scenario, err = DecodeScenario(d.source, fields["base"], fields["overrides"]); err != nil {
		return Header{}, err
	}
	if h.Paths, h.Seed, err = h.Scenario.PathsAndSeed(fields["paths"], fields["seed"]); err != nil {
		return Header{}, err
	}
	return h, nil
}

// root parses data as one YAML document (configs.ParseDocument) and returns its
// top-level mapping; what says what the file must hold.
func (d *decoder) root(data []byte, what string) (*yaml.Node, error) {
	doc, err := configs.ParseDocument(data, d.source)
	if err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &configs.Error{Source: d.source, Msg: "the file is empty; " + what}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, d.fail(root, "", "the file must be a mapping of keys to values")
	}
	return root, nil
}

// fields returns the values of mapping n by key, rejecting keys not in allowed, repeats
// and a value that is not a mapping.
func (d *decoder) fields(n *yaml.Node, prefix string, allowed []string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, d.fail(n, strings.TrimSuffix(prefix, "."), "%s is not allowed; expected a mapping of keys (%s)", show(n), strings.Join(sorted(allowed), ", "))
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			return nil, d.fail(k, prefix+k.Value, "unknown key; allowed here: %s", strings.Join(sorted(allowed), ", "))
		}
		if out[k.Value] != nil {
			return nil, d.fail(k, prefix+k.Value, "key appears twice")
		}
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		out[k.Value] = v
	}
	return out, nil
}

func (d *decoder) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", d.fail(n, key, "%s is not allowed; expected a string (quote it)", show(n))
	}
	return n.Value, nil
}

// number decodes a finite number.
func (d *decoder) number(n *yaml.Node, key string) (float64, error) {
	var x float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&x) != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, d.fail(n, key, "%s is not allowed; expected a finite number", show(n))
	}
	return x, nil
}

// scenario resolves the base scenario (the embedded baseline, or the file base names
// relative to the sweep file) and applies the overrides, checking them as a scenario file.
func (d *decoder) scenario(base, overrides *yaml.Node) (*yaml.Node, error) {
	cfg := configs.Baseline()
	if base != nil {
		name, err := d.str(base, "base")
		if err != nil {
			return nil, err
		}
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(d.source), path)
		}
		if _, err := os.Stat(path); err != nil {
			return nil, d.fail(base, "base", "cannot read the scenario file %s (a path relative to the sweep file): %v", path, errors.Unwrap(err))
		}
		if cfg, err = configs.Load(path); err != nil {
			return nil, err // names the base file, line and key
		}
	}
	tree, err := toTree(&cfg)
	if err != nil {
		return nil, err
	}
	if overrides == nil {
		return tree, nil
	}
	if overrides.Kind != yaml.MappingNode {
		return nil, d.fail(overrides, "overrides", "%s is not allowed; expected a mapping of scenario keys, as in a scenario file", show(overrides))
	}
	if err := d.merge(tree, overrides, "overrides."); err != nil {
		return nil, err
	}
	data, err := yaml.Marshal(tree)
	if err != nil {
		return nil, err
	}
	if _, err := configs.Decode(data, d.source); err != nil {
		var ce *configs.Error
		if !errors.As(err, &ce) {
			return nil, err
		}
		if n := lookup(overrides, ce.Key); n != nil {
			return nil, d.fail(n, "overrides."+ce.Key, "%s", ce.Msg)
		}
		return nil, d.fail(overrides, ce.Key, "%s (with the overrides)", ce.Msg)
	}
	return tree, nil
}

// merge sets the keys of mapping over in mapping dst, recursively; a key dst lacks is an
// error naming the keys allowed there.
func (d *decoder) merge(dst, over *yaml.Node, prefix string) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		j := mappingIndex(dst, k.Value)
		if j < 0 {
			var keys []string
			for i := 0; i < len(dst.Content); i += 2 {
				keys = append(keys, dst.Content[i].Value)
			}
			return d.fail(k, prefix+k.Value, "unknown key; allowed here: %s", strings.Join(sorted(keys), ", "))
		}
		if seen[k.Value] {
			return d.fail(k, prefix+k.Value, "key appears twice")
		}
		seen[k.Value] = true
		if cur := dst.Content[j+1]; cur.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode {
			if err := d.merge(cur, v, prefix+k.Value+"."); err != nil {
				return err
			}
			continue
		}
		dst.Content[j+1] = clone(v)
	}
	return nil
}

// pathsAndSeed returns the sweep's paths and seed: the file's, else the scenario's.
func (d *decoder) pathsAndSeed(scenario, pathsNode, seedNode *yaml.Node) (paths int, seed uint64, err error) {
	if err := lookup(scenario, "paths").Decode(&paths); err != nil {
		return 0, 0, err
	}
	if err := lookup(scenario, "seed").Decode(&seed); err != nil {
		return 0, 0, err
	}
	if n := pathsNode; n != nil {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&paths) != nil || paths < 1 {
			return 0, 0, d.fail(n, "paths", "%s is not allowed; must be an integer of at least 1", show(n))
		}
	}
	if n := seedNode; n != nil {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&seed) != nil {
			return 0, 0, d.fail(n, "seed", "%s is not allowed; expected a whole number from 0 to 18446744073709551615", show(n))
		}
	}
	return paths, seed, nil
}

// params decodes the parameters list: one or two distinct numeric scenario keys, each
// with a grid.
func (d *decoder) params(n, scenario *yaml.Node) ([]Param, error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > results.MaxSweepParams {
		return nil, d.fail(n, "parameters", "%s is not allowed; list one or two parameters, each with a key and a grid", show(n))
	}
	var out []Param
	total := 1
	for i, pn := range n.Content {
		prefix := fmt.Sprintf("parameters[%d]", i)
		if pn.Kind != yaml.MappingNode {
			return nil, d.fail(pn, prefix, "%s is not allowed; expected a mapping such as {key: funds.b0, values: [500, 1000]}", show(pn))
		}
		f, err := d.fields(pn, prefix+".", paramKeys)
		if err != nil {
			return nil, err
		}
		kn := f["key"]
		if kn == nil {
			return nil, d.fail(pn, prefix+".key", "missing; name a numeric scenario key such as funds.b0 or spv.discount")
		}
		key, err := d.str(kn, prefix+".key")
		if err != nil {
			return nil, err
		}
		if err := checkKey(scenario, key); err != nil {
			return nil, d.fail(kn, prefix+".key", "%s", err)
		}
		for _, q := range out {
			if q.Key == key {
				return nil, d.fail(kn, prefix+".key", "%s is swept twice; name two different keys", key)
			}
		}
		pr := Param{Key: key, About: About(key)}
		if err := d.grid(pn, f, prefix, &pr); err != nil {
			return nil, err
		}
		total *= len(pr.Values)
		if total > MaxPoints {
			return nil, d.fail(pn, prefix, "the grid has %d points or more; at most %d are allowed", total, MaxPoints)
		}
		out = append(out, pr)
	}
	return out, nil
}

// grid decodes a parameter's values: a list, or start, stop and step (stop included).
func (d *decoder) grid(pn *yaml.Node, f map[string]*yaml.Node, prefix string, pr *Param) error {
	vn := f["values"]
	ranged := f["start"] != nil || f["stop"] != nil || f["step"] != nil
	switch {
	case vn != nil && ranged:
		return d.fail(vn, prefix+".values", "give either values or start, stop and step, not both")
	case vn != nil:
		pr.where, pr.list = prefix+".values", true
		if vn.Kind != yaml.SequenceNode || len(vn.Content) == 0 {
			return d.fail(vn, pr.where, "%s is not allowed; list at least one value, e.g. [500, 1000]", show(vn))
		}
		if len(vn.Content) > MaxValues {
			return d.fail(vn, pr.where, "%d values are too many; at most %d are allowed", len(vn.Content), MaxValues)
		}
		for j, item := range vn.Content {
			key := fmt.Sprintf("%s[%d]", pr.where, j)
			x, err := d.number(item, key)
			if err != nil {
				return err
			}
			if slices.Contains(pr.Values, x) {
				return d.fail(item, key, "%s appears twice in the grid", formatValue(x))
			}
			pr.Values, pr.lines = append(pr.Values, x), append(pr.lines, item.Line)
		}
		return nil
	case ranged:
		pr.where = prefix
		var r [3]float64
		for i, k := range []string{"start", "stop", "step"} {
			n := f[k]
			if n == nil {
				return d.fail(pn, prefix+"."+k, "missing; a range needs start, stop and step")
			}
			x, err := d.number(n, prefix+"."+k)
			if err != nil {
				return err
			}
			r[i] = x
		}
		start, stop, step := r[0], r[1], r[2]
		if step <= 0 {
			return d.fail(f["step"], prefix+".step", "%s is not allowed; must be greater than 0", formatValue(step))
		}
		if stop < start {
			return d.fail(f["stop"], prefix+".stop", "%s is not allowed; must be at least start (%s)", formatValue(stop), formatValue(start))
		}
		count := math.Floor((stop-start)/step+1e-9) + 1
		if count > MaxValues {
			return d.fail(f["step"], prefix+".step", "%s gives %.0f values from %s to %s; at most %d are allowed", formatValue(step), count, formatValue(start), formatValue(stop), MaxValues)
		}
		for i := 0; i < int(count); i++ {
			// Round away the binary noise of start + i*step (0.30000000000000004).
			x, _ := strconv.ParseFloat(strconv.FormatFloat(start+float64(i)*step, 'g', 12, 64), 64)
			if slices.Contains(pr.Values, x) {
				// Two grid points would be one run; the sweep could never resume.
				return d.fail(f["step"], prefix+".step", "%s is too small for values near %s: they round (to 12 significant digits) to the same value %s twice; use a larger step", formatValue(step), formatValue(start), formatValue(x))
			}
			pr.Values, pr.lines = append(pr.Values, x), append(pr.lines, f["start"].Line)
		}
		return nil
	}
	return d.fail(pn, prefix+".values", "missing; give a list of values, or start, stop and step")
}

// checkKey reports whether key is a numeric scenario parameter that a sweep may vary.
func checkKey(scenario *yaml.Node, key string) error {
	if key == "paths" || key == "seed" {
		return fmt.Errorf("%s is not allowed; paths and seed are the same at every grid point (set them at the top of the sweep file)", key)
	}
	if outputKey(key) {
		return fmt.Errorf("%s is not allowed; it is an output setting, not a model parameter: it changes no metric, so every value gives the same results (set it under overrides, or in the base scenario)", key)
	}
	n := lookup(scenario, key)
	if n != nil && isNumber(n) {
		return nil
	}
	what := "not a scenario parameter"
	if n != nil {
		what = "not a numeric parameter"
	}
	if i := strings.LastIndex(key, "."); i >= 0 {
		if sec := lookup(scenario, key[:i]); sec != nil && sec.Kind == yaml.MappingNode {
			return fmt.Errorf("%s is %s; allowed under %s: %s", key, what, key[:i], strings.Join(numericKeys(sec, key[:i+1]), ", "))
		}
	}
	var sections []string
	for i := 0; i+1 < len(scenario.Content); i += 2 {
		if scenario.Content[i+1].Kind == yaml.MappingNode && !outputKey(scenario.Content[i].Value) {
			sections = append(sections, scenario.Content[i].Value+".*")
		}
	}
	return fmt.Errorf("%s is %s; allowed: %s", key, what, strings.Join(append(numericKeys(scenario, ""), sorted(sections)...), ", "))
}

// outputKey reports whether key is output or under it: settings of a run's outputs
// (sim.OutputParams), which no metric depends on.
func outputKey(key string) bool { return key == "output" || strings.HasPrefix(key, "output.") }

func isNumber(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
}

// numericKeys returns prefix + the keys of mapping n whose values are numbers (paths and
// seed excepted), sorted.
func numericKeys(n *yaml.Node, prefix string) []string {
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := prefix + n.Content[i].Value
		if isNumber(n.Content[i+1]) && k != "paths" && k != "seed" {
			out = append(out, k)
		}
	}
	return sorted(out)
}

// About returns what a scenario key means, from its comment in configs/baseline.yaml
// ("" when it has none).
func About(key string) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(configs.BaselineYAML(), &doc); err != nil || len(doc.Content) == 0 {
		return ""
	}
	n := lookup(doc.Content[0], key)
	if n == nil {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(n.LineComment, "#"))
}

// toTree renders cfg as a YAML node tree: a mapping holding every scenario key.
func toTree(cfg *sim.Config) (*yaml.Node, error) {
	data, err := configs.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}

// lookup returns the value node of the dotted key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	for _, part := range strings.Split(key, ".") {
		name, index := part, -1
		if i := strings.IndexByte(part, '['); i > 0 && strings.HasSuffix(part, "]") {
			j, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil {
				return nil
			}
			name, index = part[:i], j
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		j := mappingIndex(n, name)
		if j < 0 {
			return nil
		}
		n = n.Content[j+1]
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if index >= 0 {
			if n.Kind != yaml.SequenceNode || index >= len(n.Content) {
				return nil
			}
			n = n.Content[index]
		}
	}
	return n
}

// mappingIndex returns the index in n.Content of key's key node, or -1.
func mappingIndex(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// setScalar makes n the number x, tagged as an integer when it is one so that integer
// keys accept it (and reject 10.5 with the scenario decoder's message).
func setScalar(n *yaml.Node, x float64) {
	n.Kind, n.Style, n.Value, n.Tag = yaml.ScalarNode, 0, formatValue(x), scalarTag(x)
	n.Content = nil
}

// scalarTag is the tag setScalar gives x: !!int for a whole number short enough to write
// as one, else !!float.
func scalarTag(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return "!!int"
	}
	return "!!float"
}

// formatValue writes x exactly (the shortest decimal that reads back as x), without an
// exponent.
func formatValue(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// clone deep-copies n without comments, which belong to the file n came from.
func clone(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	c := *n
	c.HeadComment, c.LineComment, c.FootComment, c.Anchor = "", "", "", ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = clone(k)
	}
	return &c
}

func show(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return "[]"
		}
		return "a list"
	}
	if n.Tag == "!!null" {
		return "an empty value"
	}
	return fmt.Sprintf("%q", n.Value)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
