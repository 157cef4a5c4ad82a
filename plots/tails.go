package plots

import (
	"math"
	"slices"

	"github.com/backstop-research/backstop/stats"
)

// pooledTails returns the smallest and largest of the values of samples pooled, and the
// ps-quantiles of the pool as quantile computes them on it (ps in the tails, below 0.25 or
// above 0.75), without pooling them: the histograms' bins need only their range and a
// few percentiles near its ends. One pass keeps the values beyond thresholds taken from
// an evenly spread sample of the pool, and the order statistics come from those few; where
// the sample misjudged (fewer values kept than the ranks need), or a value is NaN, it
// pools them and asks quantile. Either way the results are quantile's bit for bit: an
// order statistic is the same value whichever way it is found.
func pooledTails(samples [][]float64, ps []float64) (lo, hi float64, qs []float64) {
	n := 0
	for _, s := range samples {
		n += len(s)
	}
	qs = make([]float64, len(ps))
	if n == 0 {
		for i := range qs {
			qs[i] = math.NaN()
		}
		return math.NaN(), math.NaN(), qs
	}
	if n < tailsMinPool {
		return pooledTailsByPooling(samples, n, ps)
	}
	// The ranks each quantile needs (quantile: h = p (n-1), the values at int(h) and the
	// one after), the most at the low end and from the high end.
	needLow, needHigh := -1, -1
	for _, p := range ps {
		i := int(p * float64(n-1))
		if p < 0.25 {
			needLow = max(needLow, min(i+1, n-1))
		} else {
			needHigh = max(needHigh, n-1-i)
		}
	}
	tLow, tHigh := tailThresholds(samples, n, needLow, needHigh)
	var low, high []float64
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range samples {
		for _, v := range s {
			if v != v { // NaN: quantile's own order
				return pooledTailsByPooling(samples, n, ps)
			}
			lo, hi = min(lo, v), max(hi, v)
			if v <= tLow {
				low = append(low, v)
			}
			if v >= tHigh {
				high = append(high, v)
			}
		}
	}
	if len(low) < needLow+1 || len(high) < needHigh+1 {
		return pooledTailsByPooling(samples, n, ps)
	}
	// rank returns the value a sort of the pool puts at r: in low (every value below
	// tLow is there) or in high, from its end.
	rank := func(r int) float64 {
		if r <= needLow {
			return stats.Select(low, r)
		}
		return stats.Select(high, len(high)-(n-r))
	}
	for k, p := range ps {
		h := p * float64(n-1)
		i := int(h)
		if i >= n-1 {
			qs[k] = hi
			continue
		}
		at, next := rank(i), rank(i+1)
		qs[k] = at + (h-float64(i))*(next-at)
	}
	return lo, hi, qs
}

// tailsMinPool is the smallest pool pooledTails samples for thresholds; a smaller one is
// pooled.
const tailsMinPool = 4096

// tailSample is how many values, evenly spread over the pool, set the thresholds.
const tailSample = 2048

// tailThresholds returns values of the pool of n values (samples) below which needLow+1
// values lie and above which needHigh+1 do, with room to spare, judged from an evenly
// spread sample: the sample's order statistic at 1.5 times the rank's share, 16 places on
// (-Inf and +Inf where no value is needed at that end, or the sample says to keep all).
func tailThresholds(samples [][]float64, n, needLow, needHigh int) (tLow, tHigh float64) {
	sample := make([]float64, 0, tailSample)
	step := max(n/tailSample, 1)
	i := 0
	for _, s := range samples {
		for ; i < len(s); i += step {
			sample = append(sample, s[i])
		}
		i -= len(s)
	}
	slices.Sort(sample)
	m := len(sample)
	at := func(need int) int { return int(1.5*float64(need+1)/float64(n)*float64(m)) + 16 }
	tLow, tHigh = math.Inf(-1), math.Inf(1)
	if needLow >= 0 {
		tLow = math.Inf(1)
		if k := at(needLow); k < m {
			tLow = sample[k]
		}
	}
	if needHigh >= 0 {
		tHigh = math.Inf(-1)
		if k := at(needHigh); k < m {
			tHigh = sample[m-1-k]
		}
	}
	return tLow, tHigh
}

// pooledTailsByPooling is pooledTails by pooling the values and asking quantile.
func pooledTailsByPooling(samples [][]float64, n int, ps []float64) (lo, hi float64, qs []float64) {
	all := make([]float64, 0, n)
	for _, s := range samples {
		all = append(all, s...)
	}
	qs = make([]float64, len(ps))
	for k, p := range ps {
		qs[k] = quantile(all, p)
	}
	return slices.Min(all), slices.Max(all), qs
}
