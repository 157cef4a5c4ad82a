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
// before it at most x[k] and every value after it at least x[k]. On a long stretch it
// takes two pivots from an evenly spread sample that bracket the k-th value (closeIn),
// which leaves a few percent of the values to search after two branch-free passes;
// otherwise, or where that did not narrow the search, it partitions around the median of
// three values (quickselect). Should the search go badly (more rounds than twice the bits
// of len(x)) it sorts what is left, so the worst case stays O(n log n).
func selectKth(x []float64, k int) {
	lo, hi := 0, len(x) // the k-th value lies in x[lo:hi]
	budget := 2 * bits.Len(uint(len(x)))
	sampled := true
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(x[lo:hi])
			return
		}
		budget--
		if sampled && hi-lo >= sampledSelectMin {
			n := hi - lo
			lo, hi = closeIn(x, lo, hi, k)
			// A sample that missed, or values so tied that the pivots are equal and hold
			// most of the stretch, leave the rest to the three-way partition.
			sampled = hi-lo <= n/4
			continue
		}
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

// sampledSelectMin is the shortest stretch selectKth narrows with a sample: below it,
// sampling costs more than the quickselect rounds it saves.
const sampledSelectMin = 1 << 13

// selectSample is the size of closeIn's sample; the k-th value's rank in it is known to
// about sqrt(selectSample)/2 places, so its pivots, selectSlack places to either side,
// bracket the value in all but about 1 search in 10,000 (a miss costs one more round).
const (
	selectSample = 2048
	selectSlack  = 90
)

// closeIn narrows the search for the k-th value of x[lo:hi] (lo <= k < hi): it takes two
// pivots a <= b from an evenly spread sample of the stretch, a below the k-th value's
// place in the sample and b above it, and partitions the stretch into the values below a,
// those from a to b and those above b, in two branch-free passes. It returns the part
// holding index k, [lo, hi) again if a pass did not split off anything.
func closeIn(x []float64, lo, hi, k int) (int, int) {
	n := hi - lo
	var sample [selectSample]float64
	for i := range sample {
		sample[i] = x[lo+int(uint64(i)*uint64(n)/selectSample)]
	}
	r := int(uint64(k-lo) * selectSample / uint64(n))
	ra, rb := max(r-selectSlack, 0), min(r+selectSlack, selectSample-1)
	selectKth(sample[:], ra)
	a := sample[ra]
	selectKth(sample[ra:], rb-ra)
	b := sample[rb]
	below := lo + partitionBelow(x[lo:hi], a) // x[lo:below] < a
	if k < below {
		return lo, below
	}
	upto := below + partitionAtMost(x[below:hi], b) // x[below:upto] in [a, b]
	if k < upto {
		return below, upto
	}
	return upto, hi
}

// partitionBelow moves the values of x below pivot to its front, in one pass without
// branches on the data (Lomuto's scheme with the swap done every time), and returns how
// many there are.
func partitionBelow(x []float64, pivot float64) int {
	j := 0
	for i, v := range x {
		x[i], x[j] = x[j], v
		inc := 0 // written so, the compiler sets it from the comparison without a branch
		if v < pivot {
			inc = 1
		}
		j += inc
	}
	return j
}

// partitionAtMost moves the values of x at most pivot to its front, as partitionBelow
// does, and returns how many there are.
func partitionAtMost(x []float64, pivot float64) int {
	j := 0
	for i, v := range x {
		x[i], x[j] = x[j], v
		inc := 0 // written so, the compiler sets it from the comparison without a branch
		if v <= pivot {
			inc = 1
		}
		j += inc
	}
	return j
}
