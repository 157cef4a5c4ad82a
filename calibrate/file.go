package calibrate

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/moments"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/sweep"
	"go.yaml.in/yaml/v3"
)

// Limits on a calibration file.
const (
	MaxParams          = 12
	DefaultEvaluations = 300 // optimizer budget when the file sets none
	maxCount           = 1e9 // the largest data_paths and max_evaluations
)

// The keys of a calibration file, of a parameter and of a target.
var (
	fileKeys   = []string{"name", "description", "base", "overrides", "paths", "data_paths", "seed", "max_evaluations", "parameters", "targets"}
	paramKeys  = []string{"key", "range"}
	targetKeys = []string{"stat", "value", "weight", "band"}
)

// Spec is a decoded calibration file.
type Spec struct {
	Name        string // names the calibration and its default directory, outputs/<Name>
	Description string
	Paths       int    // simulated paths per evaluation
	Seed        uint64 // the seed of every evaluation: common random numbers
	// DataPaths is the number of independent observations the target values stand for
	// (1 for the facts of one historical episode); the simulation correction of the
	// standard errors is 1 + DataPaths/Paths.
	DataPaths      int
	MaxEvaluations int // optimizer budget (the Jacobian and profiles come on top)
	Params         []Param
	Targets        []Target

	source   string
	scenario *sweep.Scenario
}

// Param is a scenario parameter to estimate, within [Lo, Hi].
type Param struct {
	Key    string
	Lo, Hi float64
	About  string // what the key means, from configs/baseline.yaml
	Start  float64
}

// Target is a named statistic, the value it should take and its weight in the objective.
type Target struct {
	Stat   moments.Stat
	Value  float64
	Weight float64
	// Band, when set, is the tolerance band [lo, hi] the target was given with; its weight
	// is 1 / half-width squared, and the target is met when the simulated statistic's
	// Monte Carlo interval lies inside it.
	Band []float64
}

// Keys returns the parameters' keys.
func (s *Spec) Keys() []string {
	keys := make([]string, len(s.Params))
	for i, p := range s.Params {
		keys[i] = p.Key
	}
	return keys
}

// Policies returns the scenario's policies.
func (s *Spec) Policies() []string { return s.scenario.Policies() }

// Config returns the scenario at the parameter values x, with the spec's paths and seed,
// validated.
func (s *Spec) Config(x []float64) (sim.Config, error) {
	return s.scenario.Config(s.Paths, s.Seed, s.Keys(), x)
}

// Load reads and decodes the calibration file at path (see Decode).
func Load(path string) (*Spec, error) {
	data, err := configs.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read calibration file: %w", err)
	}
	return Decode(data, path)
}

// Decode decodes a calibration file, named source in messages. Decoding is as strict as
// for sweep files (package sweep, which also resolves base and overrides): an unknown key
// or statistic, a statistic the scenario's policies cannot produce, a parameter that is
// not a continuous scenario parameter, inverted bounds, a value outside its band or fewer
// targets than parameters is a *configs.Error naming the file, line and key.
func Decode(data []byte, source string) (*Spec, error) {
	d := sweep.NewFileDecoder(source)
	root, err := d.Root(data, "a calibration names at least its parameters and targets")
	if err != nil {
		return nil, err
	}
	f, err := d.Fields(root, "", fileKeys)
	if err != nil {
		return nil, err
	}
	h, err := d.Header(root, f)
	if err != nil {
		var ce *configs.Error
		if errors.As(err, &ce) && ce.Key == "base" {
			// The shared decoder speaks of sweep files; this one is a calibration file.
			ce.Msg = strings.Replace(ce.Msg, "relative to the sweep file", "relative to the calibration file", 1)
		}
		return nil, err
	}
	s := &Spec{source: source, Name: h.Name, Description: h.Description, Paths: h.Paths, Seed: h.Seed, scenario: h.Scenario,
		MaxEvaluations: DefaultEvaluations, DataPaths: 1}
	for _, k := range []struct {
		key string
		dst *int
		min int
	}{{"data_paths", &s.DataPaths, 1}, {"max_evaluations", &s.MaxEvaluations, 10}} {
		if n := f[k.key]; n != nil {
			x, err := d.Number(n, k.key)
			if err != nil || x != math.Trunc(x) || x < float64(k.min) || x > maxCount {
				return nil, d.Fail(n, k.key, "%s is not allowed; expected a whole number from %d to %d", sweep.Show(n), k.min, int(maxCount))
			}
			*k.dst = int(x)
		}
	}
	// The scenario every evaluation starts from (base, overrides, paths and seed) must be
	// one backstop run accepts: checked here, with the file's line, before anything is
	// written.
	if _, err := s.scenario.Config(s.Paths, s.Seed, nil, nil); err != nil {
		var ce *configs.Error
		if !errors.As(err, &ce) {
			return nil, err
		}
		at := root
		if n := f[ce.Key]; n != nil {
			at = n
		} else if n := f["overrides"]; n != nil {
			at = n
		}
		return nil, d.Fail(at, ce.Key, "%s", ce.Msg)
	}
	pn := f["parameters"]
	if pn == nil {
		return nil, d.Fail(root, "parameters", "missing; list the parameters to estimate, e.g. parameters: [{key: funds.theta, range: [0.03, 0.5]}]")
	}
	if err := s.params(d, pn); err != nil {
		return nil, err
	}
	tn := f["targets"]
	if tn == nil {
		return nil, d.Fail(root, "targets", "missing; list the targets, e.g. targets: [{stat: none.total_sales_bn.mean, value: 640}]")
	}
	if err := s.targets(d, tn); err != nil {
		return nil, err
	}
	if len(s.Targets) < len(s.Params) {
		return nil, d.Fail(tn, "targets", "%d targets cannot identify %d parameters; give at least as many targets as parameters", len(s.Targets), len(s.Params))
	}
	return s, nil
}

func (s *Spec) params(d *sweep.FileDecoder, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > MaxParams {
		return d.Fail(n, "parameters", "%s is not allowed; list 1 to %d parameters, each with a key and a range", sweep.Show(n), MaxParams)
	}
	for i, pn := range n.Content {
		prefix := fmt.Sprintf("parameters[%d]", i)
		if pn.Kind != yaml.MappingNode {
			return d.Fail(pn, prefix, "%s is not allowed; expected a mapping such as {key: funds.theta, range: [0.03, 0.5]}", sweep.Show(pn))
		}
		f, err := d.Fields(pn, prefix+".", paramKeys)
		if err != nil {
			return err
		}
		kn, rn := f["key"], f["range"]
		if kn == nil {
			return d.Fail(pn, prefix+".key", "missing; name a numeric scenario key such as funds.theta")
		}
		key, err := d.String(kn, prefix+".key")
		if err != nil {
			return err
		}
		if err := s.scenario.CheckKey(key); err != nil {
			return d.Fail(kn, prefix+".key", "%s", err)
		}
		for _, q := range s.Params {
			if q.Key == key {
				return d.Fail(kn, prefix+".key", "%s is estimated twice; name each parameter once", key)
			}
		}
		if rn == nil {
			return d.Fail(pn, prefix+".range", "missing; give the bounds of the search, e.g. range: [0.03, 0.5]")
		}
		lo, hi, err := d.Range(rn, prefix+".range")
		if err != nil {
			return err
		}
		p := Param{Key: key, Lo: lo, Hi: hi, About: sweep.About(key), Start: s.scenario.Value(key)}
		if sweep.IntegerKey(key) {
			return d.Fail(kn, prefix+".key", "%s is a whole number; only continuous parameters can be estimated", key)
		}
		// Every value in the range must make a valid scenario: try both bounds.
		for _, x := range []float64{p.Lo, p.Hi} {
			if _, err := s.scenario.Config(s.Paths, s.Seed, []string{key}, []float64{x}); err != nil {
				var ce *configs.Error
				if errors.As(err, &ce) {
					return d.Fail(rn, prefix+".range", "%s = %g: %s (every value of the range must be allowed)", key, x, ce.Msg)
				}
				return err
			}
		}
		s.Params = append(s.Params, p)
	}
	return nil
}

func (s *Spec) targets(d *sweep.FileDecoder, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return d.Fail(n, "targets", "%s is not allowed; list the targets, each with a stat and a value", sweep.Show(n))
	}
	for i, tn := range n.Content {
		prefix := fmt.Sprintf("targets[%d]", i)
		if tn.Kind != yaml.MappingNode {
			return d.Fail(tn, prefix, "%s is not allowed; expected a mapping such as {stat: none.peak_basis_bp.mean, value: 95}", sweep.Show(tn))
		}
		f, err := d.Fields(tn, prefix+".", targetKeys)
		if err != nil {
			return err
		}
		sn := f["stat"]
		if sn == nil {
			return d.Fail(tn, prefix+".stat", "missing; name a statistic policy.path_stat.summary, e.g. none.peak_basis_bp.mean")
		}
		name, err := d.String(sn, prefix+".stat")
		if err != nil {
			return err
		}
		st, err := moments.Parse(name)
		if err == nil {
			err = st.Check(s.Policies())
		}
		if err != nil {
			return d.Fail(sn, prefix+".stat", "%s", err)
		}
		for _, q := range s.Targets {
			if q.Stat.Name == name {
				return d.Fail(sn, prefix+".stat", "%s is targeted twice", name)
			}
		}
		t := Target{Stat: st}
		vn := f["value"]
		if vn == nil {
			return d.Fail(tn, prefix+".value", "missing; give the value the statistic should take")
		}
		if t.Value, err = d.Number(vn, prefix+".value"); err != nil {
			return err
		}
		wn, bn := f["weight"], f["band"]
		switch {
		case wn != nil && bn != nil:
			return d.Fail(bn, prefix+".band", "give either a weight or a band (which sets the weight), not both")
		case wn != nil:
			if t.Weight, err = d.Number(wn, prefix+".weight"); err != nil {
				return err
			}
			if t.Weight <= 0 {
				return d.Fail(wn, prefix+".weight", "%g is not allowed; must be greater than 0", t.Weight)
			}
		case bn != nil:
			if bn.Kind != yaml.SequenceNode || len(bn.Content) != 2 {
				return d.Fail(bn, prefix+".band", "%s is not allowed; expected [lo, hi]", sweep.Show(bn))
			}
			t.Band = make([]float64, 2)
			for j, x := range bn.Content {
				if t.Band[j], err = d.Number(x, fmt.Sprintf("%s.band[%d]", prefix, j)); err != nil {
					return err
				}
			}
			if !(t.Band[0] < t.Band[1]) {
				return d.Fail(bn, prefix+".band", "[%g, %g] is not allowed; the lower end must be below the upper", t.Band[0], t.Band[1])
			}
			if t.Value < t.Band[0] || t.Value > t.Band[1] {
				return d.Fail(vn, prefix+".value", "%g is outside its band [%g, %g]", t.Value, t.Band[0], t.Band[1])
			}
			half := (t.Band[1] - t.Band[0]) / 2
			t.Weight = 1 / (half * half)
		default:
			// Relative deviations: a miss of 10% of the value costs the same everywhere.
			scale := max(math.Abs(t.Value), 1e-6)
			t.Weight = 1 / (scale * scale)
		}
		s.Targets = append(s.Targets, t)
	}
	return nil
}

// stem is the calibration's default name: its file name without the extension.
