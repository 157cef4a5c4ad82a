package calibrate

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/moments"
)

// logLine is one line of the evaluations log; a NaN moment is null.
type logLine struct {
	X         []float64  `json:"x"`
	Objective float64    `json:"objective"`
	Moments   []*float64 `json:"moments"`
	Invalid   string     `json:"invalid,omitempty"` // why the point could not be evaluated
}

// Evaluation is one simulation of the scenario at parameter values X: the objective and
// the simulated value of every target.
type Evaluation struct {
	Index     int    // position in the calibration's sequence of evaluations
	Phase     string // search, local, jacobian or profile
	X         []float64
	Objective float64
	Moments   []float64 // one per target; NaN where a statistic is defined on no path
	// Invalid, when set, says why the point has no objective (the scenario rejects the
	// combination of values, or a target is defined on no path): its objective is then
	// the penalty unfit, and the calibration reports it.
	Invalid string
}

// progressEvery is how often a progress line comes without a new best point.
const progressEvery = 25

// unfit is the objective of a point where a target cannot be computed (a statistic
// defined on no path) or the scenario is not valid: worse than any point that can.
const unfit = 1e12

// objective evaluates the scenario on the spec's paths and seed, the same at every
// point (common random numbers), and remembers each evaluation: a point asked again, or
// recorded by an interrupted calibration (replayed from its log), is not simulated again.
type objective struct {
	spec    *Spec
	workers int
	ctx     context.Context
	stats   []moments.Stat
	cache   map[string]Evaluation
	// ahead holds the points prefetch simulated before eval asks for them; eval takes them
	// from here, so that the log and the trace keep its order.
	ahead    map[string]Evaluation
	log      io.Writer // the evaluations log: one JSON line per simulated point
	trace    []Evaluation
	phase    string
	best     Evaluation
	progress io.Writer
	sims     int // simulations done by this process
	// invalid counts the evaluations that could not be evaluated (Evaluation.Invalid);
	// firstInvalid describes the first.
	invalid      int
	firstInvalid string
}

func newObjective(ctx context.Context, spec *Spec, workers int, progress io.Writer) *objective {
	o := &objective{spec: spec, workers: workers, ctx: ctx, cache: map[string]Evaluation{}, ahead: map[string]Evaluation{}, progress: progress, best: Evaluation{Objective: math.Inf(1)}}
	for _, t := range spec.Targets {
		o.stats = append(o.stats, t.Stat)
	}
	return o
}

func key(x []float64) string { return fmt.Sprint(x) }

// logHeader is the first line of the evaluations log: the calibration the evaluations
// belong to. Resuming replays a log only when its header matches the calibration.
type logHeader struct {
	Calibration  string   `json:"calibration"`
	ConfigSHA256 string   `json:"config_sha256"` // of the resolved calibration file (Spec.YAML)
	Seed         uint64   `json:"seed"`
	Paths        int      `json:"paths"`
	Parameters   []string `json:"parameters"`
}

// header returns the log header of the spec, whose resolved file is yml.
func (o *objective) header(yml []byte) logHeader {
	sum := sha256.Sum256(yml)
	return logHeader{Calibration: o.spec.Name, ConfigSHA256: hex.EncodeToString(sum[:]), Seed: o.spec.Seed, Paths: o.spec.Paths, Parameters: o.spec.Keys()}
}

// replay loads the evaluations log of an interrupted calibration into the cache and
// returns the length of its intact part (a line cut by an interruption is not). A log
// whose header names another calibration (or that has none) is refused.
func (o *objective) replay(path string, want logHeader) (int64, error) {
	f, err := regular.Open(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	var good int64
	for n := 0; ; n++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			return good, nil // a last line without its newline was cut: dropped
		}
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", path, err)
		}
		if n == 0 {
			var h logHeader
			if json.Unmarshal(line, &h) != nil || h.ConfigSHA256 == "" {
				return 0, fmt.Errorf("%s has no header naming its calibration (not written by this calibration); move it away, or start over with --force", path)
			}
			if h.ConfigSHA256 != want.ConfigSHA256 || h.Seed != want.Seed || h.Paths != want.Paths || !slices.Equal(h.Parameters, want.Parameters) {
				return 0, fmt.Errorf("%s records the evaluations of another calibration (%s, seed %d, %d paths, parameters %s, file hash %.12s; this one is %s, seed %d, %d paths, parameters %s, file hash %.12s); move it away, or start over with --force",
					path, h.Calibration, h.Seed, h.Paths, strings.Join(h.Parameters, ", "), h.ConfigSHA256,
					want.Calibration, want.Seed, want.Paths, strings.Join(want.Parameters, ", "), want.ConfigSHA256)
			}
			good += int64(len(line))
			continue
		}
		var l logLine
		if json.Unmarshal(line, &l) != nil || len(l.X) != len(o.spec.Params) || len(l.Moments) != len(o.stats) {
			return good, nil // a damaged line ends the log
		}
		e := Evaluation{X: l.X, Objective: l.Objective, Moments: make([]float64, len(l.Moments)), Invalid: l.Invalid}
		for j, m := range l.Moments {
			e.Moments[j] = math.NaN()
			if m != nil {
				e.Moments[j] = *m
			}
		}
		o.cache[key(e.X)] = e
		good += int64(len(line))
	}
}

// addPilot caches (and logs) the pilot's points not already known, as eval would have
// simulated them: the search starting at the scenario's values does not simulate it again.
func (o *objective) addPilot(pts []pilotPoint) error {
	for _, p := range pts {
		if _, ok := o.cache[key(p.x)]; ok || p.sample == nil {
			continue
		}
		if err := o.remember(o.fromSample(p.x, p.sample)); err != nil {
			return err
		}
	}
	return nil
}

// remember caches e and appends it to the evaluations log.
func (o *objective) remember(e Evaluation) error {
	o.cache[key(e.X)] = e
	if o.log == nil {
		return nil
	}
	l := logLine{X: e.X, Objective: e.Objective, Moments: make([]*float64, len(e.Moments)), Invalid: e.Invalid}
	for j := range e.Moments {
		if !math.IsNaN(e.Moments[j]) {
			l.Moments[j] = &e.Moments[j]
		}
	}
	line, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode evaluation: %w", err)
	}
	if _, err := o.log.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write evaluations log: %w", err)
	}
	return nil
}

// eval returns the evaluation at x, simulating it unless known.
func (o *objective) eval(x []float64) (Evaluation, error) {
	if err := o.ctx.Err(); err != nil {
		return Evaluation{}, err
	}
	k := key(x)
	e, ok := o.cache[k]
	if !ok {
		var err error
		if e, ok = o.ahead[k]; ok {
			delete(o.ahead, k)
		} else if e, err = o.simulate(o.ctx, x, o.workers); err != nil {
			return Evaluation{}, err
		}
		o.sims++
		if err := o.remember(e); err != nil {
			return Evaluation{}, err
		}
	}
	e.Index, e.Phase = len(o.trace), o.phase
	o.trace = append(o.trace, e)
	if e.Invalid != "" {
		o.invalid++
		if o.invalid == 1 && o.progress != nil {
			fmt.Fprintf(o.progress, "calibrate: WARNING: evaluation %d (%s) at %s cannot be evaluated, penalized with objective %g: %s\n", e.Index, e.Phase, o.describe(x), unfit, e.Invalid)
		}
		if o.firstInvalid == "" {
			o.firstInvalid = fmt.Sprintf("evaluation %d at %s: %s", e.Index, o.describe(x), e.Invalid)
		}
	}
	switch {
	case e.Objective < o.best.Objective:
		o.best = e
		if o.progress != nil {
			fmt.Fprintf(o.progress, "calibrate: evaluation %d (%s): objective %.5g at %s\n", e.Index, e.Phase, e.Objective, o.describe(x))
		}
	case o.progress != nil && e.Index%progressEvery == 0:
		fmt.Fprintf(o.progress, "calibrate: evaluation %d (%s), best objective %.5g so far\n", e.Index, e.Phase, o.best.Objective)
	}
	return e, nil
}

func (o *objective) describe(x []float64) string {
	s := ""
	for i, p := range o.spec.Params {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s = %.5g", p.Key, x[i])
	}
	return s
}

// prefetch simulates the points of xs that are not known yet, several at a time on the
// cores (evaluate.Each), for eval to take when it asks for them: the phases whose points
// are known before they are evaluated (the search's starts, the Jacobian's, the
// profiles') run on all cores while an evaluation is a few blocks of paths, and the log,
// the trace and the progress keep eval's order. Evaluations do not depend on the worker
// count, so they are those eval would simulate.
func (o *objective) prefetch(xs [][]float64) error {
	var todo [][]float64
	seen := map[string]bool{}
	for _, x := range xs {
		k := key(x)
		_, known := o.cache[k]
		_, ahead := o.ahead[k]
		if !known && !ahead && !seen[k] {
			seen[k] = true
			todo = append(todo, x)
		}
	}
	if len(todo) < 2 {
		return nil // eval simulates it, on every core
	}
	out := make([]Evaluation, len(todo))
	err := evaluate.Each(o.ctx, len(todo), o.spec.Paths, o.workers, func(ctx context.Context, i, workers int) error {
		var err error
		out[i], err = o.simulate(ctx, todo[i], workers)
		return err
	})
	if err != nil {
		return err
	}
	for i, x := range todo {
		o.ahead[key(x)] = out[i]
	}
	return nil
}

// simulate runs the scenario at x on workers sampler workers.
func (o *objective) simulate(ctx context.Context, x []float64, workers int) (Evaluation, error) {
	e := Evaluation{X: append([]float64(nil), x...), Objective: unfit, Moments: make([]float64, len(o.stats))}
	for j := range e.Moments {
		e.Moments[j] = math.NaN()
	}
	cfg, err := o.spec.Config(x)
	if err != nil {
		// A combination the scenario rejects: penalized, not fatal, and reported.
		e.Invalid = err.Error()
		return e, nil
	}
	sample, err := moments.Evaluate(ctx, cfg, o.stats, o.spec.Paths, o.spec.Seed, workers)
	if err != nil {
		return Evaluation{}, err
	}
	return o.fromSample(x, sample), nil
}

// fromSample is the evaluation at x whose paths are sample.
func (o *objective) fromSample(x []float64, sample *moments.Sample) Evaluation {
	e := Evaluation{X: append([]float64(nil), x...), Objective: unfit, Moments: make([]float64, len(o.stats))}
	for j := range e.Moments {
		e.Moments[j] = math.NaN()
	}
	q := 0.0
	for j, t := range o.spec.Targets {
		m := sample.Estimate(j, 0.95).Estimate
		e.Moments[j] = m
		if math.IsNaN(m) {
			e.Invalid = fmt.Sprintf("%s is defined on no path", t.Stat.Name)
			return e
		}
		q += t.Weight * (m - t.Value) * (m - t.Value)
	}
	e.Objective = q
	return e
}
