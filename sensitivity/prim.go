package sensitivity

import (
	"errors"
	"fmt"
	"slices"
)

// PRIMOptions configure [PRIM].
type PRIMOptions struct {
	Alpha   float64 // share of the box's points one peel removes; 0 for 0.05
	MinMass float64 // peeling stops before the box would hold a smaller share of all points; 0 for 0.05
}

// Box is an axis-aligned box of input space: a point is inside when Lo[d] <= x[d] <= Hi[d]
// for every input d.
type Box struct {
	Lo, Hi   []float64
	Points   int     // points inside
	Hits     int     // points inside where the condition holds
	Coverage float64 // Hits over all points where the condition holds
	Density  float64 // Hits over Points
	Mass     float64 // Points over all points
}

// Restricted reports whether the box limits input d below its domain.
func (b Box) Restricted(d int, domain Box) bool {
	return b.Lo[d] > domain.Lo[d] || b.Hi[d] < domain.Hi[d]
}

// PRIM peels boxes around the points x (one row per evaluation) where hit holds, with the
// patient rule induction method of J. H. Friedman and N. I. Fisher, "Bump hunting in
// high-dimensional data", Statistics and Computing 9 (1999) 123-143. Starting from the
// domain [lo, hi], each step considers, for every input, removing the Alpha share of the
// box's points with the lowest or with the highest values (at least the points at the
// extreme value, so that inputs with few distinct values can be peeled), and takes the
// peel leaving the highest density (ties: the one removing fewer points, then the lower
// input). It stops when no peel keeps at least MinMass of all points; when the condition holds
// everywhere or nowhere, the trajectory is the domain alone. The trajectory,
// domain first, shows the trade-off: density rises as coverage falls. Only the peeling
// phase is implemented (no pasting).
func PRIM(x [][]float64, hit []bool, lo, hi []float64, opt PRIMOptions) ([]Box, error) {
	n := len(x)
	if n == 0 || len(hit) != n {
		return nil, fmt.Errorf("prim: %d points and %d outcomes", n, len(hit))
	}
	k := len(lo)
	if len(hi) != k {
		return nil, errors.New("prim: domain bounds of different lengths")
	}
	for i, row := range x {
		if len(row) != k {
			return nil, fmt.Errorf("prim: point %d has %d inputs, the domain %d", i, len(row), k)
		}
	}
	alpha, minMass := opt.Alpha, opt.MinMass
	if alpha == 0 {
		alpha = 0.05
	}
	if minMass == 0 {
		minMass = 0.05
	}
	if !(alpha > 0 && alpha < 1) || !(minMass > 0 && minMass < 1) {
		return nil, fmt.Errorf("prim: alpha %g and min mass %g must lie strictly between 0 and 1", alpha, minMass)
	}
	total := 0
	for _, h := range hit {
		if h {
			total++
		}
	}
	in := make([]int, n)
	for i := range in {
		in[i] = i
	}
	box := Box{Lo: slices.Clone(lo), Hi: slices.Clone(hi)}
	describe := func(b Box, in []int) Box {
		b.Points, b.Hits = len(in), 0
		for _, i := range in {
			if hit[i] {
				b.Hits++
			}
		}
		b.Mass = float64(b.Points) / float64(n)
		if b.Points > 0 {
			b.Density = float64(b.Hits) / float64(b.Points)
		}
		if total > 0 {
			b.Coverage = float64(b.Hits) / float64(total)
		}
		return b
	}
	out := []Box{describe(box, in)}
	if total == 0 || total == n { // nothing to separate: the domain is the only box
		return out, nil
	}
	minPoints := minMass * float64(n)
	vals := make([]float64, 0, n)
	for {
		type peel struct {
			d     int
			upper bool
			cut   float64
			keep  []int
			dens  float64
		}
		var best *peel
		for d := 0; d < k; d++ {
			vals = vals[:0]
			for _, i := range in {
				vals = append(vals, x[i][d])
			}
			slices.Sort(vals)
			if vals[0] == vals[len(vals)-1] {
				continue
			}
			for _, upper := range []bool{false, true} {
				var cut float64
				var keep []int
				if !upper {
					cut = quantileSorted(vals, alpha)
					if cut <= vals[0] { // peel at least the lowest value
						cut = nextAbove(vals, vals[0])
					}
					for _, i := range in {
						if x[i][d] >= cut {
							keep = append(keep, i)
						}
					}
				} else {
					cut = quantileSorted(vals, 1-alpha)
					if cut >= vals[len(vals)-1] {
						cut = nextBelow(vals, vals[len(vals)-1])
					}
					for _, i := range in {
						if x[i][d] <= cut {
							keep = append(keep, i)
						}
					}
				}
				if float64(len(keep)) < minPoints || len(keep) == len(in) {
					continue
				}
				hits := 0
				for _, i := range keep {
					if hit[i] {
						hits++
					}
				}
				p := peel{d: d, upper: upper, cut: cut, keep: keep, dens: float64(hits) / float64(len(keep))}
				if best == nil || p.dens > best.dens || (p.dens == best.dens && len(p.keep) > len(best.keep)) {
					best = &p
				}
			}
		}
		if best == nil {
			return out, nil
		}
		in = best.keep
		box = Box{Lo: slices.Clone(box.Lo), Hi: slices.Clone(box.Hi)}
		if best.upper {
			box.Hi[best.d] = best.cut
		} else {
			box.Lo[best.d] = best.cut
		}
		out = append(out, describe(box, in))
	}
}

// nextAbove returns the smallest value of sorted vals above v (v itself when none is).
func nextAbove(vals []float64, v float64) float64 {
	i, _ := slices.BinarySearch(vals, v)
	for ; i < len(vals); i++ {
		if vals[i] > v {
			return vals[i]
		}
	}
	return v
}

// nextBelow returns the largest value of sorted vals below v (v itself when none is).
func nextBelow(vals []float64, v float64) float64 {
	i, _ := slices.BinarySearch(vals, v)
	for i--; i >= 0; i-- {
		if vals[i] < v {
			return vals[i]
		}
	}
	return v
}

// ChooseBox returns the index in a [PRIM] trajectory of the densest box that still covers
// at least minCoverage of the points where the condition holds (the earliest such box on
// ties, which has the larger coverage); 0, the domain, when none does.
func ChooseBox(boxes []Box, minCoverage float64) int {
	best := 0
	for i, b := range boxes {
		if b.Coverage >= minCoverage && b.Density > boxes[best].Density {
			best = i
		}
	}
	return best
}
