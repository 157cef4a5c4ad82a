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
	for _, m := range sim.Metrics {
		if m.Name == name {
			return &Target{Metric: name, HalfWidth: x}, nil
		}
	}
	var names []string
	for _, m := range sim.Metrics {
		names = append(names, m.Name)
	}
	return nil, fmt.Errorf("target precision %q: unknown metric %q; allowed are %s", v, name, strings.Join(names, ", "))
}

// reached reports whether t's precision target holds for the paths tallied in t.
func (j *job) reached(t *Tally) bool {
	var m int
	for i, info := range sim.Metrics {
		if info.Name == j.opt.Target.Metric {
			m = i
		}
	}
	for k := 0; k < j.l.policies; k++ {
		ci := t.Moments[k*sim.NumMetrics+m].CI(0.95)
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
