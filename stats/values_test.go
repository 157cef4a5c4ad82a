package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// edgeValues are the values where a vector bin index could part from the scalar one:
// zeros of both signs, subnormals, the smallest normal, both sides of sketchMinIndexable
// and sketchMaxIndexable, powers of two and their neighbours (a significand of 0 and of
// nearly 1), 1 (index 0), and both sides of every bin boundary from 1e-4 to 1e4 and of
// every 97th from the smallest indexable value to the largest. Each comes with both signs.
func edgeValues() []float64 {
	up, down := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }, func(x float64) float64 { return math.Nextafter(x, 0) }
	xs := []float64{0, 5e-324, 1e-310, down(0x1p-1022), 0x1p-1022, up(0x1p-1022),
		down(sketchMinIndexable), sketchMinIndexable, up(sketchMinIndexable), up(up(sketchMinIndexable)),
		down(down(sketchMaxIndexable)), down(sketchMaxIndexable), sketchMaxIndexable,
		1, down(1), up(1), 0.5, 2, 3, 1e-300, 1e300}
	for e := -1020; e <= 1020; e += 7 {
		p := math.Ldexp(1, e)
		xs = append(xs, down(p), p, up(p))
	}
	edges := func(lo, hi, step int) {
		for idx := lo; idx <= hi; idx += step {
			b := sketchMapping.LowerBound(idx)
			if b > sketchMinIndexable && b < sketchMaxIndexable {
				xs = append(xs, down(b), b, up(b))
			}
		}
	}
	edges(sketchMapping.Index(1e-4), sketchMapping.Index(1e4), 1)
	edges(sketchMapping.Index(up(sketchMinIndexable)), sketchMapping.Index(sketchMaxIndexable), 97)
	for _, x := range slices.Clone(xs) {
		xs = append(xs, -x)
	}
	return xs
}

// randomValue draws from a mixture of everything a band or metric could hold and the
// sketch's edges: spread normals, values across the whole range, point masses, zeros and
// tiny values, all with both signs.
func randomValue(r *rand.Rand, edges []float64) float64 {
	switch r.IntN(6) {
	case 0:
		return r.NormFloat64() * 100
	case 1:
		return math.Exp(r.Float64()*1400-700) * float64(1-2*r.IntN(2))
	case 2:
		return []float64{0, math.Copysign(0, -1), 7.5, -3, 1e-320, -1e-301}[r.IntN(6)]
	case 3:
		return r.ExpFloat64()*30 - 5
	default:
		return edges[r.IntN(len(edges))]
	}
}
