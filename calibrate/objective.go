package calibrate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/backstop-research/backstop/moments"
)

// logLine is one line of the evaluations log; a NaN moment is null.
type logLine struct {
	X         []float64  `json:"x"`
	Objective float64    `json:"objective"`
	Moments   []*float64 `json:"moments"`
}

// Evaluation is one simulation of the scenario at parameter values X: the objective and
// the simulated value of every target.
type Evaluation struct {
	Index     int    // position in the calibration's sequence of evaluations
	Phase     string // search, local, jacobian or profile
	X         []float64
	Objective float64
	Moments   []float64 // one per target; NaN where a statistic is defined on no path
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
	spec     *Spec
	workers  int
	ctx      context.Context
	stats    []moments.Stat
	cache    map[string]Evaluation
	log      io.Writer // the evaluations log: one JSON line per simulated point
	trace    []Evaluation
	phase    string
	best     Evaluation
	progress io.Writer
	sims     int // simulations done by this process
}

func newObjective(ctx context.Context, spec *Spec, workers int, progress io.Writer) *objective {
	o := &objective{spec: spec, workers: workers, ctx: ctx, cache: map[string]Evaluation{}, progress: progress, best: Evaluation{Objective: math.Inf(1)}}
	for _, t := range spec.Targets {
		o.stats = append(o.stats, t.Stat)
	}
	return o
}

func key(x []float64) string { return fmt.Sprint(x) }

// replay loads the evaluations log of an interrupted calibration into the cache.
func (o *objective) replay(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var l logLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || len(l.X) != len(o.spec.Params) || len(l.Moments) != len(o.stats) {
			break // a line cut by the interruption ends the log
		}
		e := Evaluation{X: l.X, Objective: l.Objective, Moments: make([]float64, len(l.Moments))}
		for j, m := range l.Moments {
			e.Moments[j] = math.NaN()
			if m != nil {
				e.Moments[j] = *m
			}
		}
		o.cache[key(e.X)] = e
	}
	return nil
}

// eval returns the evaluation at x, simulating it unless known.
func (o *objective) eval(x []float64) (Evaluation, error) {
	if err := o.ctx.Err(); err != nil {
		return Evaluation{}, err
	}
	e, ok := o.cache[key(x)]
	if !ok {
		var err error
		if e, err = o.simulate(x); err != nil {
			return Evaluation{}, err
		}
		o.sims++
		o.cache[key(x)] = e
		if o.log != nil {
			l := logLine{X: e.X, Objective: e.Objective, Moments: make([]*float64, len(e.Moments))}
			for j := range e.Moments {
				if !math.IsNaN(e.Moments[j]) {
					l.Moments[j] = &e.Moments[j]
				}
			}
			line, err := json.Marshal(l)
			if err != nil {
				return Evaluation{}, fmt.Errorf("encode evaluation: %w", err)
			}
			if _, err := o.log.Write(append(line, '\n')); err != nil {
				return Evaluation{}, fmt.Errorf("write evaluations log: %w", err)
			}
		}
	}
	e.Index, e.Phase = len(o.trace), o.phase
	o.trace = append(o.trace, e)
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

// simulate runs the scenario at x.
func (o *objective) simulate(x []float64) (Evaluation, error) {
	e := Evaluation{X: append([]float64(nil), x...), Objective: unfit, Moments: make([]float64, len(o.stats))}
	for j := range e.Moments {
		e.Moments[j] = math.NaN()
	}
	cfg, err := o.spec.Config(x)
	if err != nil {
		return e, nil // a combination the scenario rejects: unfit, not fatal
	}
	sample, err := moments.Evaluate(o.ctx, cfg, o.stats, o.spec.Paths, o.spec.Seed, o.workers)
	if err != nil {
		return Evaluation{}, err
	}
	q := 0.0
	for j, t := range o.spec.Targets {
		m := sample.Estimate(j, 0.95).Estimate
		e.Moments[j] = m
		if math.IsNaN(m) {
			return e, nil
		}
		q += t.Weight * (m - t.Value) * (m - t.Value)
	}
	e.Objective = q
	return e, nil
}
