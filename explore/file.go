package explore

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sweep"
	"go.yaml.in/yaml/v3"
)

// Designs an explore file may name.
const (
	DesignSobol  = "sobol"
	DesignMorris = "morris"
	DesignLHS    = "lhs"
)

// Limits that keep a typo from launching a week of runs.
const (
	MaxEvaluations = 200_000
	MorrisLevels   = 4 // grid levels of a Morris design
)

var (
	fileKeys     = []string{"name", "description", "base", "overrides", "design", "samples", "paths", "seed", "parameters", "discover"}
	paramKeys    = []string{"key", "range", "scale", "values"}
	discoverKeys = []string{"condition", "min_coverage"}
)

// Plan is a decoded explore file.
type Plan struct {
	Name        string
	Description string
	Design      string // DesignSobol, DesignMorris or DesignLHS
	Samples     int    // base samples (sobol), trajectories (morris) or points (lhs)
	Paths       int    // per evaluation
	Seed        uint64 // of every evaluation (common random numbers) and of the design
	Params      []Param
	Discover    *Discover // nil without a discover condition

	source   string
	scenario *sweep.Scenario
}

// Param is one uncertain scenario parameter.
type Param struct {
	Key     string
	Lo, Hi  float64   // range (with Values: the smallest and largest value)
	Log     bool      // log-uniform over [Lo, Hi]
	Values  []float64 // a discrete set, equally likely, instead of a range
	Integer bool      // the key takes whole numbers: sampled values are rounded
}

// Discover is the scenario-discovery request: PRIM boxes where Condition holds.
type Discover struct {
	Condition   string
	MinCoverage float64 // the chosen box is the densest covering at least this share
	cond        *condition
}

// Load reads and decodes the explore file at path.
func Load(path string) (*Plan, error) {
	data, err := configs.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read explore file: %w", err)
	}
	return Decode(data, path)
}

// decoder is the sweep-file decoder, with explore's own parts (param, discover).
type decoder struct{ *sweep.FileDecoder }

// Decode decodes an explore file named source (a base scenario it names is read relative
// to source's directory). Errors are *configs.Error naming the file, line and key.
func Decode(data []byte, source string) (*Plan, error) {
	d := decoder{sweep.NewFileDecoder(source)}
	root, err := d.Root(data, "an explore file names at least its parameters")
	if err != nil {
		return nil, err
	}
	f, err := d.Fields(root, "", fileKeys)
	if err != nil {
		return nil, err
	}
	h, err := d.Header(root, f)
	if err != nil {
		return nil, err
	}
	p := &Plan{source: source, Name: h.Name, Description: h.Description, Paths: h.Paths, Seed: h.Seed, scenario: h.Scenario,
		Design: DesignSobol, Samples: 64}
	if p.Paths < 2 {
		return nil, d.Fail(cmp.Or(f["paths"], root), "paths", "%d is not allowed; an evaluation needs at least 2 paths for its intervals", p.Paths)
	}
	if n := f["design"]; n != nil {
		if p.Design, err = d.String(n, "design"); err != nil {
			return nil, err
		}
		if !slices.Contains([]string{DesignSobol, DesignMorris, DesignLHS}, p.Design) {
			return nil, d.Fail(n, "design", "%q is not allowed; use sobol, morris or lhs", p.Design)
		}
	}
	if n := f["samples"]; n != nil {
		if p.Samples, err = d.Count(n, "samples", 2); err != nil {
			return nil, err
		}
	}
	pn := f["parameters"]
	if pn == nil || pn.Kind != yaml.SequenceNode || len(pn.Content) == 0 {
		return nil, d.Fail(cmp.Or(pn, root), "parameters", "missing or empty; list the uncertain parameters, e.g. [{key: spv.discount, range: [0, 20]}]")
	}
	for i, n := range pn.Content {
		pr, err := d.param(n, fmt.Sprintf("parameters[%d]", i), p.scenario)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(p.Params, func(q Param) bool { return q.Key == pr.Key }) {
			return nil, d.Fail(n, fmt.Sprintf("parameters[%d].key", i), "%s is listed twice", pr.Key)
		}
		p.Params = append(p.Params, pr)
	}
	if p.Design == DesignSobol && len(p.Params) > maxSobolParams {
		return nil, d.Fail(pn, "parameters", "%d parameters; a sobol design supports at most %d (use morris to screen more)", len(p.Params), maxSobolParams)
	}
	if p.Evaluations() > MaxEvaluations {
		return nil, d.Fail(cmp.Or(f["samples"], root), "samples", "the design has %d evaluations; at most %d are allowed", p.Evaluations(), MaxEvaluations)
	}
	if n := f["discover"]; n != nil {
		if p.Discover, err = d.discover(n, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (d decoder) param(n *yaml.Node, prefix string, sc *sweep.Scenario) (Param, error) {
	f, err := d.Fields(n, prefix+".", paramKeys)
	if err != nil {
		return Param{}, err
	}
	kn := f["key"]
	if kn == nil {
		return Param{}, d.Fail(n, prefix+".key", "missing; name a numeric scenario key such as spv.discount")
	}
	key, err := d.String(kn, prefix+".key")
	if err != nil {
		return Param{}, err
	}
	if err := sc.CheckKey(key); err != nil {
		return Param{}, d.Fail(kn, prefix+".key", "%s", strings.ReplaceAll(err.Error(), "every grid point", "every evaluation"))
	}
	pr := Param{Key: key, Integer: sweep.IntegerKey(key)}
	rn, vn := f["range"], f["values"]
	switch {
	case (rn == nil) == (vn == nil):
		return Param{}, d.Fail(n, prefix, "give either range: [low, high] or values: [...]")
	case vn != nil:
		if vn.Kind != yaml.SequenceNode || len(vn.Content) < 2 {
			return Param{}, d.Fail(vn, prefix+".values", "list at least two values")
		}
		for j, item := range vn.Content {
			x, err := d.Number(item, fmt.Sprintf("%s.values[%d]", prefix, j))
			if err != nil {
				return Param{}, err
			}
			pr.Values = append(pr.Values, x)
		}
		pr.Lo, pr.Hi = slices.Min(pr.Values), slices.Max(pr.Values)
		if f["scale"] != nil {
			return Param{}, d.Fail(f["scale"], prefix+".scale", "a discrete set of values has no scale")
		}
	default:
		if pr.Lo, pr.Hi, err = d.Range(rn, prefix+".range"); err != nil {
			return Param{}, err
		}
		if sn := f["scale"]; sn != nil {
			s, err := d.String(sn, prefix+".scale")
			if err != nil {
				return Param{}, err
			}
			switch s {
			case "log":
				if !(pr.Lo > 0) {
					return Param{}, d.Fail(sn, prefix+".scale", "log scale needs a range above 0, got [%g, %g]", pr.Lo, pr.Hi)
				}
				pr.Log = true
			case "linear":
			default:
				return Param{}, d.Fail(sn, prefix+".scale", "%q is not allowed; use linear or log", s)
			}
		}
	}
	// Check the extremes now, so that a range the scenario never allows is a config error
	// rather than a design full of failed evaluations.
	for _, x := range []float64{pr.Value(0), pr.Value(math.Nextafter(1, 0))} {
		if _, err := sc.Config(2, 0, []string{key}, []float64{x}); err != nil {
			var ce *configs.Error
			if errors.As(err, &ce) {
				return Param{}, d.Fail(cmp.Or(rn, vn), prefix, "%s = %g: %s", key, x, ce.Msg)
			}
			return Param{}, err
		}
	}
	return pr, nil
}

// Value maps u in [0, 1) to the parameter: uniformly (or log-uniformly) over the range, or
// to one of the values, each over an equal share of [0, 1). Whole-number keys are rounded.
func (p Param) Value(u float64) float64 {
	var x float64
	switch {
	case p.Values != nil:
		x = p.Values[min(int(u*float64(len(p.Values))), len(p.Values)-1)]
	case p.Log:
		x = p.Lo * math.Exp(u*math.Log(p.Hi/p.Lo))
	default:
		x = p.Lo + u*(p.Hi-p.Lo)
	}
	if p.Integer {
		x = math.Round(x)
	}
	return x
}

// Policies returns the policies every evaluation runs.
func (p *Plan) Policies() []string { return p.scenario.Policies() }

// Keys returns the parameters' keys in file order.
func (p *Plan) Keys() []string {
	keys := make([]string, len(p.Params))
	for i, pr := range p.Params {
		keys[i] = pr.Key
	}
	return keys
}

// Evaluations returns the number of evaluations the design runs.
func (p *Plan) Evaluations() int {
	k := len(p.Params)
	switch p.Design {
	case DesignSobol:
		return p.Samples * (k + 2)
	case DesignMorris:
		return p.Samples * (k + 1)
	}
	return p.Samples
}

// YAML returns the plan as a self-contained explore file (the resolved scenario as
// overrides), which the outputs record as their config.
func (p *Plan) YAML() ([]byte, error) {
	type param struct {
		Key    string    `yaml:"key"`
		Range  []float64 `yaml:"range,flow,omitempty"`
		Scale  string    `yaml:"scale,omitempty"`
		Values []float64 `yaml:"values,flow,omitempty"`
	}
	type disc struct {
		Condition   string  `yaml:"condition"`
		MinCoverage float64 `yaml:"min_coverage"`
	}
	out := struct {
		Name        string     `yaml:"name"`
		Description string     `yaml:"description,omitempty"`
		Design      string     `yaml:"design"`
		Samples     int        `yaml:"samples"`
		Paths       int        `yaml:"paths"`
		Seed        uint64     `yaml:"seed"`
		Overrides   *yaml.Node `yaml:"overrides"`
		Parameters  []param    `yaml:"parameters"`
		Discover    *disc      `yaml:"discover,omitempty"`
	}{Name: p.Name, Description: p.Description, Design: p.Design, Samples: p.Samples, Paths: p.Paths, Seed: p.Seed, Overrides: p.scenario.Tree()}
	for _, pr := range p.Params {
		q := param{Key: pr.Key, Values: pr.Values}
		if pr.Values == nil {
			q.Range = []float64{pr.Lo, pr.Hi}
			if pr.Log {
				q.Scale = "log"
			}
		}
		out.Parameters = append(out.Parameters, q)
	}
	if p.Discover != nil {
		out.Discover = &disc{p.Discover.Condition, p.Discover.MinCoverage}
	}
	return yaml.Marshal(out)
}

func (d decoder) discover(n *yaml.Node, p *Plan) (*Discover, error) {
	out := &Discover{MinCoverage: 0.5}
	cn := n
	if n.Kind == yaml.MappingNode {
		f, err := d.Fields(n, "discover.", discoverKeys)
		if err != nil {
			return nil, err
		}
		if cn = f["condition"]; cn == nil {
			return nil, d.Fail(n, "discover.condition", "missing; e.g. condition: spv.peak_basis_bp.mean > qe.peak_basis_bp.mean")
		}
		if mc := f["min_coverage"]; mc != nil {
			x, err := d.Number(mc, "discover.min_coverage")
			if err != nil {
				return nil, err
			}
			if !(x > 0 && x <= 1) {
				return nil, d.Fail(mc, "discover.min_coverage", "%g is not allowed; use a share in (0, 1]", x)
			}
			out.MinCoverage = x
		}
	}
	s, err := d.String(cn, "discover")
	if err != nil {
		return nil, err
	}
	out.Condition = s
	if out.cond, err = parseCondition(s, p.Policies()); err != nil {
		return nil, d.Fail(cn, "discover", "%v", err)
	}
	return out, nil
}
