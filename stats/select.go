package stats

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// EmpiricalQuantile returns the empirical p-quantile of x, x_(k) with k = ⌈np⌉ (the
// estimate of Quantile), reordering x instead of sorting a copy: it selects the k-th
// smallest value in linear expected time, leaving the values below it before it and the
// others after it. It is for callers that need the estimate alone, not its interval, and
// own x. x must not contain NaN; with x empty it returns NaN; p outside (0, 1) panics, as for Quantile.
func EmpiricalQuantile(x []float64, p float64) float64 {
	checkProbability("quantile", p)
	if len(x) == 0 {
		return math.NaN()
	}
	k := empiricalRank(len(x), p) - 1
	return Select(x, k)
}

// Select returns the value a sort would put at index k of x (0-based), reordering x
// instead of sorting it: afterwards x[k] is that value, every value before it is at most
// x[k] and every value after it at least x[k]. It takes linear expected time. x must not
// contain NaN; k outside [0, len(x)) panics.
func Select(x []float64, k int) float64 {
	if k < 0 || k >= len(x) {
		panic(fmt.Sprintf("stats: select index %d of %d values", k, len(x)))
	}
	selectKth(x, k)
	return x[k]
}

// selectKth reorders x so that x[k] is the value a sort would put there, every value
// before it at most x[k] and every value after it at least x[k]. It partitions around the
// median of three values (quickselect) and, should that go badly (more rounds than twice
// the bits of len(x)), sorts what is left, so the worst case stays O(n log n).
func selectKth(x []float64, k int) {
	lo, hi := 0, len(x) // the k-th value lies in x[lo:hi]
	budget := 2 * bits.Len(uint(len(x)))
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(x[lo:hi])
			return
		}
		budget--
		// Median of three as the pivot, then a three-way partition: values below it, equal
		// to it and above it. Equal values (ties are common: zeros, capped holdings) end
		// the search at once when k falls among them.
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := x[i]; {
			case v < pivot:
				x[lt], x[i] = x[i], x[lt]
				lt++
				i++
			case v > pivot:
				gt--
				x[gt], x[i] = x[i], x[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return
		}
	}
	slices.Sort(x[lo:hi])
}
