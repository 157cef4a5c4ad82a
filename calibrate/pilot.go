package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/moments"
)

// ErrUnusableTarget is the error (wrapped) of a calibration with a target no parameter
// value can move: a statistic constant on every path, or defined on none, under the
// scenario's policies. It is a fault of the calibration file.
var ErrUnusableTarget = errors.New("a target cannot inform the estimate")

// pilotPoint is a point of the pilot with every per-path value of every target (no
// sample where the scenario rejects the point).
type pilotPoint struct {
	x      []float64
	sample *moments.Sample
}

// pilotPoints are the points of the pilot: the start (the scenario's values, within the
// ranges), then, for each parameter, the start with that parameter at the lower and at
// the upper end of its range.
func pilotPoints(s *Spec) [][]float64 {
	x0 := make([]float64, len(s.Params))
	for i, p := range s.Params {
		x0[i] = min(p.Hi, max(p.Lo, p.Start))
	}
	pts := [][]float64{x0}
	for i, p := range s.Params {
		for _, v := range []float64{p.Lo, p.Hi} {
			x := slices.Clone(x0)
			x[i] = v
			pts = append(pts, x)
		}
	}
	return pts
}

// pilot simulates the pilot points on the spec's paths and seed. It refuses (an error
// wrapping ErrUnusableTarget) a target whose statistic is constant on every path, or
// defined on none, at every pilot point, and returns the keys of the parameters that move
// no target between the ends of their ranges (not identified).
func pilot(ctx context.Context, s *Spec, workers int) (pts []pilotPoint, unidentified []string, err error) {
	var list []moments.Stat
	for _, t := range s.Targets {
		list = append(list, t.Stat)
	}
	xs := pilotPoints(s)
	pts = make([]pilotPoint, len(xs))
	// Several points at a time on the cores (evaluate.Each): the samples do not depend on
	// the worker count.
	err = evaluate.Each(ctx, len(xs), s.Paths, workers, func(ctx context.Context, i, workers int) error {
		pts[i].x = xs[i]
		cfg, err := s.Config(xs[i])
		if err != nil {
			return nil // a combination the scenario rejects: no sample
		}
		pts[i].sample, err = moments.Evaluate(ctx, cfg, list, s.Paths, s.Seed, workers)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var bad []string
	for j, t := range s.Targets {
		first, constant := math.NaN(), true
		for _, p := range pts {
			if p.sample == nil {
				continue
			}
			for _, v := range p.sample.Values[j] {
				switch {
				case math.IsNaN(v):
				case math.IsNaN(first):
					first = v
				case v != first:
					constant = false
				}
			}
		}
		switch {
		case math.IsNaN(first):
			bad = append(bad, fmt.Sprintf("%s is defined on no path", t.Stat.Name))
		case constant:
			bad = append(bad, fmt.Sprintf("%s is %g on every path", t.Stat.Name, first))
		}
	}
	if len(bad) > 0 {
		return nil, nil, fmt.Errorf("%s: targets: %w: %s, at the start and at both ends of every parameter's range, under the policies %s; target a statistic the scenario's policies produce and the parameters move",
			s.source, ErrUnusableTarget, strings.Join(bad, "; "), strings.Join(s.Policies(), ", "))
	}
	for i, p := range s.Params {
		lo, hi := pts[1+2*i].sample, pts[2+2*i].sample
		if lo == nil || hi == nil {
			continue
		}
		moves := false
		for j := range s.Targets {
			if !slices.EqualFunc(lo.Values[j], hi.Values[j], func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }) {
				moves = true
			}
		}
		if !moves {
			unidentified = append(unidentified, p.Key)
		}
	}
	return pts, unidentified, nil
}
