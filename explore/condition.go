package explore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// Statistics a condition may read from an evaluation's summary of a policy and metric.
var conditionStats = []string{"mean", "ci95_lo", "ci95_hi", "p50", "p95"}

// condition is a parsed discover condition: left op right, each side a number, a
// statistic POLICY.METRIC[.STAT] of the evaluation (STAT defaults to mean), or the
// difference of two such terms (A - B, spaces around the minus).
type condition struct {
	left, right operand
	op          string
}

type operand struct {
	isNum          bool
	num            float64
	policy, metric int // indices into the evaluation's policies and summary metrics
	stat           string
	minus          *operand // when set, the operand is this one minus *minus
}

var conditionOps = []string{">=", "<=", ">", "<"}

func parseCondition(s string, policies []string) (*condition, error) {
	for _, op := range conditionOps {
		l, r, ok := strings.Cut(s, op)
		if !ok {
			continue
		}
		c := &condition{op: op}
		var err error
		if c.left, err = parseOperand(strings.TrimSpace(l), policies); err != nil {
			return nil, err
		}
		if c.right, err = parseOperand(strings.TrimSpace(r), policies); err != nil {
			return nil, err
		}
		if c.left.isNum && c.right.isNum {
			return nil, fmt.Errorf("%q compares two numbers; name a statistic such as spv.peak_basis_bp.mean", s)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%q has no comparison; use >, >=, < or <=, e.g. spv.peak_basis_bp.mean > qe.peak_basis_bp.mean", s)
}

func parseOperand(s string, policies []string) (operand, error) {
	if a, b, ok := strings.Cut(s, " - "); ok {
		l, err := parseOperand(strings.TrimSpace(a), policies)
		if err != nil {
			return operand{}, err
		}
		r, err := parseOperand(strings.TrimSpace(b), policies)
		if err != nil {
			return operand{}, err
		}
		l.minus = &r
		return l, nil
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return operand{isNum: true, num: x}, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) == 2 {
		parts = append(parts, "mean")
	}
	if len(parts) != 3 {
		return operand{}, fmt.Errorf("%q is neither a number nor POLICY.METRIC[.STAT]", s)
	}
	o := operand{policy: slices.Index(policies, parts[0]), metric: -1, stat: parts[2]}
	if o.policy < 0 {
		return operand{}, fmt.Errorf("%q: policy %q is not run; the policies are %s", s, parts[0], strings.Join(policies, ", "))
	}
	if m, ok := sim.MetricByName(parts[1]); ok {
		o.metric = slices.Index(results.SummaryMetrics, m)
	}
	if o.metric < 0 {
		return operand{}, fmt.Errorf("%q: metric %q unknown; allowed are %s", s, parts[1], strings.Join(sim.MetricNames(results.SummaryMetrics...), ", "))
	}
	if !slices.Contains(conditionStats, o.stat) {
		return operand{}, fmt.Errorf("%q: statistic %q unknown; allowed are %s", s, o.stat, strings.Join(conditionStats, ", "))
	}
	return o, nil
}

func (o operand) value(r *evaluate.Result) float64 {
	if o.minus != nil {
		m := o.minus
		o.minus = nil
		return o.value(r) - m.value(r)
	}
	if o.isNum {
		return o.num
	}
	st := r.Stats[o.policy][o.metric]
	switch o.stat {
	case "ci95_lo":
		return st.Lo
	case "ci95_hi":
		return st.Hi
	case "p50":
		return st.P50
	case "p95":
		return st.P95
	}
	return st.Mean
}

// holds evaluates the condition on an evaluation's summary.
func (c *condition) holds(r *evaluate.Result) bool {
	l, rt := c.left.value(r), c.right.value(r)
	switch c.op {
	case ">":
		return l > rt
	case ">=":
		return l >= rt
	case "<":
		return l < rt
	}
	return l <= rt
}
