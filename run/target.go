package run

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// Target is a precision target: enough paths that the 95% CI of the mean of Metric has a
// half-width of at most HalfWidth under every policy.
type Target struct {
	Metric    string
	HalfWidth float64
}

// String returns the target as the command line writes it, METRIC=HALFWIDTH.
func (t Target) String() string {
	return t.Metric + "=" + strconv.FormatFloat(t.HalfWidth, 'g', -1, 64)
}

// ParseTarget parses METRIC=HALFWIDTH, naming what is wrong.
func ParseTarget(v string) (*Target, error) {
	name, hw, ok := strings.Cut(v, "=")
	x, err := strconv.ParseFloat(hw, 64)
	if !ok || err != nil || !(x > 0) || math.IsInf(x, 0) {
		return nil, fmt.Errorf("target precision %q: use METRIC=HALFWIDTH with a positive half-width, e.g. peak_basis_bp=0.5", v)
	}
	if _, ok := sim.MetricByName(name); !ok {
		return nil, fmt.Errorf("target precision %q: unknown metric %q; allowed are %s", v, name, strings.Join(sim.MetricNames(), ", "))
	}
	return &Target{Metric: name, HalfWidth: x}, nil
}

// reached reports whether t's precision target holds for the paths tallied in t.
func (j *job) reached(t *Tally) bool {
	m, _ := sim.MetricByName(j.opt.Target.Metric) // ParseTarget checked it
	for k := 0; k < j.l.policies; k++ {
		ci := t.Moments[k*sim.NumMetrics+int(m)].CI(0.95)
		if !(ci.HalfWidth() <= j.opt.Target.HalfWidth) {
			return false
		}
	}
	return true
}

// stopAt ends a run with a precision target at chunk c: the run is its first c chunks.
func (j *job) stopAt(c int, man *results.Manifest) {
	j.chunks, j.end = c, c
	j.cfg.Paths = c * j.opt.ChunkSize
	man.Paths, man.Chunks = int64(j.cfg.Paths), c
	reached := true
	man.TargetReached = &reached
}
