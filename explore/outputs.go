package explore

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sensitivity"
	"github.com/backstop-research/backstop/sim"
)

// BootstrapResamples is the number of bootstrap resamples behind every interval of the
// indices; the resampling is seeded by the explore file's seed.
const BootstrapResamples = 1000

// output is one quantity the indices are computed for: a policy's mean of a metric, or
// the mean paired effect of policy against versus.
type output struct {
	policy, versus string // versus "" for the policy's own level
	metric         int    // index into results.SummaryMetrics
}

// outputs lists the quantities in a fixed order: each policy's metrics, then each pair of
// policies (the later one against the earlier) on each metric.
func outputs(policies []string) []output {
	var out []output
	for _, pol := range policies {
		for m := range results.SummaryMetrics {
			out = append(out, output{policy: pol, metric: m})
		}
	}
	for a := range policies {
		for b := 0; b < a; b++ {
			for m := range results.SummaryMetrics {
				out = append(out, output{policy: policies[a], versus: policies[b], metric: m})
			}
		}
	}
	return out
}

func (o output) value(r *evaluate.Result) float64 {
	if o.versus == "" {
		return r.Stats[slices.Index(r.Policies, o.policy)][o.metric].Mean
	}
	return r.Pair(o.policy, o.versus)[o.metric].Mean
}

func metricName(m int) string { return sim.Metrics[results.SummaryMetrics[m]].Name }

// finish writes samples.parquet, the sensitivity tables, boxes.csv and the figures.
func finish(dir string, p *Plan, prov results.Provenance, evals []Evaluation, opt Options) (*Outcome, error) {
	if err := results.WriteTable(filepath.Join(dir, SamplesFile), prov, samplesTable(p, evals)); err != nil {
		return nil, err
	}
	sens, err := sensitivityTable(p, evals)
	if err != nil {
		return nil, err
	}
	if err := results.WriteTableCSV(filepath.Join(dir, SensitivityCSV), sens); err != nil {
		return nil, err
	}
	if err := results.WriteTable(filepath.Join(dir, SensitivityFile), prov, sens); err != nil {
		return nil, err
	}
	out := &Outcome{Dir: dir, Evaluations: evals, Sensitivity: sens}
	var boxes []sensitivity.Box
	chosen := 0
	if p.Discover != nil {
		boxes, chosen, err = discover(p, evals)
		if err != nil {
			return nil, err
		}
		if err := results.WriteTableCSV(filepath.Join(dir, BoxesFile), boxesTable(p, boxes, chosen)); err != nil {
			return nil, err
		}
		out.Boxes = len(boxes)
	}
	if opt.Figures {
		figs, err := drawFigures(filepath.Join(dir, results.FiguresDir), opt.FigureFormats, p, evals, sens, boxes, chosen)
		if err != nil {
			return nil, err
		}
		out.Figures = figs
	}
	return out, nil
}

// samplesTable is samples.parquet: one row per evaluation, policy and summary metric,
// with the parameter values (a column per key), the summary and the paired effect against
// none. A failed evaluation's rows carry its reason and null statistics.
func samplesTable(p *Plan, evals []Evaluation) []results.TableColumn {
	pols := p.Policies()
	hasNone := slices.Contains(pols, "none")
	var (
		idx                                  []int64
		status, reason, policy, metric, unit []string
		reasonOK, statOK, effOK              []bool
		params                               = make([][]float64, len(p.Params))
		mean, lo, hi, p50, p95, eff, effLo   []float64
		effHi                                []float64
	)
	for _, e := range evals {
		for _, pol := range pols {
			var effects []evaluate.Effect
			if e.Result != nil && hasNone && pol != "none" {
				effects = e.Result.Pair(pol, "none")
			}
			for m, met := range results.SummaryMetrics {
				idx = append(idx, int64(e.Index))
				status, reason = append(status, e.Status), append(reason, e.Reason)
				reasonOK = append(reasonOK, e.Reason != "")
				policy, metric, unit = append(policy, pol), append(metric, sim.Metrics[met].Name), append(unit, sim.Metrics[met].Unit)
				for j := range params {
					params[j] = append(params[j], e.Values[j])
				}
				var st evaluate.Stat
				if e.Result != nil {
					st = e.Result.Stats[slices.Index(pols, pol)][m]
				}
				statOK = append(statOK, e.Result != nil)
				mean, lo, hi, p50, p95 = append(mean, st.Mean), append(lo, st.Lo), append(hi, st.Hi), append(p50, st.P50), append(p95, st.P95)
				var ef evaluate.Effect
				if effects != nil {
					ef = effects[m]
				}
				effOK = append(effOK, effects != nil)
				eff, effLo, effHi = append(eff, ef.Mean), append(effLo, ef.Lo), append(effHi, ef.Hi)
			}
		}
	}
	cols := []results.TableColumn{
		{Name: "evaluation", Ints: idx},
		{Name: "status", Strings: status},
		{Name: "reason", Strings: reason, Valid: reasonOK},
	}
	for j, pr := range p.Params {
		cols = append(cols, results.TableColumn{Name: pr.Key, Floats: params[j]})
	}
	return append(cols,
		results.TableColumn{Name: "policy", Strings: policy},
		results.TableColumn{Name: "metric", Strings: metric},
		results.TableColumn{Name: "unit", Strings: unit},
		results.TableColumn{Name: "mean", Floats: mean, Valid: statOK},
		results.TableColumn{Name: "ci95_lo", Floats: lo, Valid: statOK},
		results.TableColumn{Name: "ci95_hi", Floats: hi, Valid: statOK},
		results.TableColumn{Name: "p50", Floats: p50, Valid: statOK},
		results.TableColumn{Name: "p95", Floats: p95, Valid: statOK},
		results.TableColumn{Name: "effect_vs_none", Floats: eff, Valid: effOK},
		results.TableColumn{Name: "effect_ci95_lo", Floats: effLo, Valid: effOK},
		results.TableColumn{Name: "effect_ci95_hi", Floats: effHi, Valid: effOK},
	)
}

// sensitivityTable computes the design's indices for every output and parameter.
func sensitivityTable(p *Plan, evals []Evaluation) ([]results.TableColumn, error) {
	outs := outputs(p.Policies())
	k := len(p.Params)
	valid := make([]bool, len(evals))
	for i, e := range evals {
		valid[i] = e.Status == StatusOK
	}
	y := func(o output) []float64 {
		v := make([]float64, len(evals))
		for i, e := range evals {
			if e.Result != nil {
				v[i] = o.value(e.Result)
			}
		}
		return v
	}
	var policy, versus, metric, param []string
	var versusOK []bool
	var nUsed, nDropped []int64
	f := map[string][]float64{}
	var names []string
	add := func(o output, pr string, used, dropped int, kv ...any) {
		policy, versus, versusOK = append(policy, o.policy), append(versus, o.versus), append(versusOK, o.versus != "")
		metric, param = append(metric, metricName(o.metric)), append(param, pr)
		nUsed, nDropped = append(nUsed, int64(used)), append(nDropped, int64(dropped))
		for i := 0; i+1 < len(kv); i += 2 {
			name := kv[i].(string)
			if _, ok := f[name]; !ok {
				names = append(names, name)
			}
			f[name] = append(f[name], kv[i+1].(float64))
		}
	}
	bs := sensitivity.Bootstrap{Resamples: BootstrapResamples, Seed: p.Seed}
	var unitsName, droppedName string
	switch p.Design {
	case DesignSobol:
		unitsName, droppedName = "blocks", "blocks_dropped"
		for _, o := range outs {
			res, err := sensitivity.SobolIndices(y(o), valid, k, bs)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", o.policy, metricName(o.metric), err)
			}
			for j, ix := range res.Indices {
				add(o, p.Params[j].Key, res.Blocks, res.Dropped, "S1", ix.S1, "S1_lo", ix.S1Lo, "S1_hi", ix.S1Hi,
					"ST", ix.ST, "ST_lo", ix.STLo, "ST_hi", ix.STHi, "variance", res.Variance)
			}
		}
	case DesignMorris:
		unitsName, droppedName = "trajectories", "trajectories_dropped"
		pts, err := p.Points()
		if err != nil {
			return nil, err
		}
		for _, o := range outs {
			res, err := sensitivity.MorrisIndices(pts, y(o), valid, k, bs)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", o.policy, metricName(o.metric), err)
			}
			for j, ix := range res.Indices {
				add(o, p.Params[j].Key, res.Trajectories, res.Dropped, "mu", ix.Mu, "mu_star", ix.MuStar,
					"mu_star_lo", ix.MuStarLo, "mu_star_hi", ix.MuStarHi, "sigma", ix.Sigma, "sigma_lo", ix.SigmaLo, "sigma_hi", ix.SigmaHi)
			}
		}
	case DesignLHS:
		unitsName, droppedName = "samples", "samples_failed"
		for _, o := range outs {
			var v []float64
			for i, x := range y(o) {
				if valid[i] {
					v = append(v, x)
				}
			}
			if len(v) < 2 {
				return nil, fmt.Errorf("%s %s: fewer than 2 evaluations succeeded", o.policy, metricName(o.metric))
			}
			slices.Sort(v)
			var s, ss float64
			for _, x := range v {
				s += x
			}
			m := s / float64(len(v))
			for _, x := range v {
				ss += (x - m) * (x - m)
			}
			q := func(p float64) float64 { return quantile(v, p) }
			add(o, "", len(v), len(evals)-len(v), "mean", m, "sd", math.Sqrt(ss/float64(len(v)-1)),
				"min", v[0], "p05", q(0.05), "p50", q(0.5), "p95", q(0.95), "max", v[len(v)-1])
		}
	}
	cols := []results.TableColumn{
		{Name: "policy", Strings: policy},
		{Name: "versus", Strings: versus, Valid: versusOK},
		{Name: "metric", Strings: metric},
	}
	if p.Design != DesignLHS {
		cols = append(cols, results.TableColumn{Name: "parameter", Strings: param})
	}
	for _, n := range names {
		cols = append(cols, results.TableColumn{Name: n, Floats: f[n]})
	}
	return append(cols, results.TableColumn{Name: unitsName, Ints: nUsed}, results.TableColumn{Name: droppedName, Ints: nDropped}), nil
}

// quantile is the linearly interpolated p-quantile of sorted v (NumPy's default).
func quantile(v []float64, p float64) float64 {
	h := p * float64(len(v)-1)
	i := int(h)
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	return v[i] + (h-float64(i))*(v[i+1]-v[i])
}

// discover runs PRIM on the successful evaluations' parameter values, the condition
// marking the points of interest, and returns the peeling trajectory and the chosen box.
func discover(p *Plan, evals []Evaluation) ([]sensitivity.Box, int, error) {
	var x [][]float64
	var hit []bool
	for _, e := range evals {
		if e.Result == nil {
			continue
		}
		x = append(x, e.Values)
		hit = append(hit, p.Discover.cond.holds(e.Result))
	}
	lo, hi := make([]float64, len(p.Params)), make([]float64, len(p.Params))
	for j, pr := range p.Params {
		lo[j], hi[j] = pr.Lo, pr.Hi
	}
	boxes, err := sensitivity.PRIM(x, hit, lo, hi, sensitivity.PRIMOptions{})
	if err != nil {
		return nil, 0, fmt.Errorf("discover: %w", err)
	}
	return boxes, sensitivity.ChooseBox(boxes, p.Discover.MinCoverage), nil
}

// boxesTable is boxes.csv: the PRIM trajectory, one row per peeling step.
func boxesTable(p *Plan, boxes []sensitivity.Box, chosen int) []results.TableColumn {
	n := len(boxes)
	step, points, hits, ch := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	mass, cov, dens := make([]float64, n), make([]float64, n), make([]float64, n)
	cond := make([]string, n)
	for i, b := range boxes {
		step[i], points[i], hits[i] = int64(i), int64(b.Points), int64(b.Hits)
		mass[i], cov[i], dens[i] = b.Mass, b.Coverage, b.Density
		cond[i] = p.Discover.Condition
		if i == chosen {
			ch[i] = 1
		}
	}
	cols := []results.TableColumn{
		{Name: "step", Ints: step}, {Name: "chosen", Ints: ch}, {Name: "condition", Strings: cond},
		{Name: "points", Ints: points}, {Name: "hits", Ints: hits},
		{Name: "mass", Floats: mass}, {Name: "coverage", Floats: cov}, {Name: "density", Floats: dens},
	}
	for j, pr := range p.Params {
		l, h := make([]float64, n), make([]float64, n)
		for i, b := range boxes {
			l[i], h[i] = b.Lo[j], b.Hi[j]
		}
		cols = append(cols, results.TableColumn{Name: pr.Key + "_lo", Floats: l}, results.TableColumn{Name: pr.Key + "_hi", Floats: h})
	}
	return cols
}
