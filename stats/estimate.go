package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The estimators below take plain samples (one value per Monte Carlo path) and report
// them with two-sided confidence intervals at a level such as 0.95:
//
//	Mean, Moments      Student t interval on n-1 degrees of freedom
//	Quantile           distribution-free order-statistic interval (exact binomial)
//	Proportion         Wilson score interval
//	ExpectedShortfall  normal interval from the influence function of the estimator
//	Paired             t interval on per-path differences, next to Welch's unpaired one
//
// Inputs must be free of NaN. A level or probability outside (0, 1) is a programmer error
// and panics; too little data gives NaN (or, for quantiles, infinite) bounds rather than
// an error, except in Paired, which returns ErrLengthMismatch or ErrTooFewSamples.

// ErrLengthMismatch reports paired samples of different lengths.
var ErrLengthMismatch = errors.New("stats: paired samples differ in length")

// ErrTooFewSamples reports a sample too small for the estimate asked of it.
var ErrTooFewSamples = errors.New("stats: too few samples")

// Interval is an estimate with its two-sided confidence interval [Lo, Hi] at confidence
// Level (for instance 0.95).
type Interval struct {
	Estimate, Lo, Hi float64
	Level            float64
}

// HalfWidth returns half the interval's width, (Hi-Lo)/2: the "±" of a symmetric interval.
func (iv Interval) HalfWidth() float64 { return (iv.Hi - iv.Lo) / 2 }

// Contains reports whether v lies in [Lo, Hi].
func (iv Interval) Contains(v float64) bool { return iv.Lo <= v && v <= iv.Hi }

// String formats the interval as "estimate [lo, hi]".
func (iv Interval) String() string {
	return fmt.Sprintf("%.6g [%.6g, %.6g]", iv.Estimate, iv.Lo, iv.Hi)
}

// MeanEstimate is a sample mean with its standard error and confidence interval.
type MeanEstimate struct {
	Interval
	SE float64 // standard error of the mean, s/√n with s the n-1 standard deviation
	N  int     // sample size
}

// Mean returns the mean of x with its standard error and the Student t interval
// mean ± t_{n-1} SE at the given level. The t quantile is used at every n (it tends to
// the normal one, so there is no switch-over to jump at). The interval assumes the mean
// is close to normally distributed, which for Monte Carlo means of n ≥ a few hundred
// paths holds unless the values are extremely heavy-tailed.
//
// With n < 2 the standard error and bounds are NaN (and with n = 0 the estimate too).
func Mean(x []float64, level float64) MeanEstimate {
	checkLevel(level)
	switch len(x) {
	case 0:
		return meanEstimate(0, math.NaN(), math.NaN(), level)
	case 1:
		return meanEstimate(1, x[0], math.NaN(), level)
	}
	mean, variance := stat.MeanVariance(x, nil)
	return meanEstimate(len(x), mean, variance, level)
}

// meanEstimate builds the t interval for n values of the given mean and (n-1) variance.
func meanEstimate(n int, mean, variance, level float64) MeanEstimate {
	e := MeanEstimate{Interval: Interval{Estimate: mean, Lo: math.NaN(), Hi: math.NaN(), Level: level}, SE: math.NaN(), N: n}
	if n < 2 {
		return e
	}
	e.SE = math.Sqrt(variance / float64(n))
	h := tQuantile(level, float64(n-1)) * e.SE
	e.Lo, e.Hi = mean-h, mean+h
	return e
}

// Moments accumulates a count, mean and sum of squared deviations in one pass (Welford's
// update), for runs too large to keep every value. Accumulators filled on different
// workers combine with Merge (the pairwise formula of Chan, Golub and LeVeque). Floating
// point makes the result depend, in its last bits, on the order of Adds and Merges; a
// fixed order gives bit-identical results. The zero value is empty and ready to use.
type Moments struct {
	n        int
	mean, m2 float64
}

// Add records x.
func (m *Moments) Add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (x - m.mean)
}

// Merge adds every value recorded in o to m.
func (m *Moments) Merge(o Moments) {
	if o.n == 0 {
		return
	}
	if m.n == 0 {
		*m = o
		return
	}
	n := m.n + o.n
	d := o.mean - m.mean
	m.mean += d * float64(o.n) / float64(n)
	m.m2 += o.m2 + d*d*float64(m.n)*float64(o.n)/float64(n)
	m.n = n
}

// N returns the number of values recorded.
func (m Moments) N() int { return m.n }

// Mean returns the mean of the values recorded, NaN when there are none.
func (m Moments) Mean() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.mean
}

// Variance returns the sample variance (n-1 denominator), NaN for fewer than two values.
func (m Moments) Variance() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	return m.m2 / float64(m.n-1)
}

// SE returns the standard error of the mean, √(Variance/N), NaN for fewer than two values.
func (m Moments) SE() float64 { return math.Sqrt(m.Variance() / float64(m.n)) }

// CI returns the mean with its Student t interval at the given level, exactly as Mean
// computes it from the same values.
func (m Moments) CI(level float64) MeanEstimate {
	checkLevel(level)
	return meanEstimate(m.n, m.Mean(), m.Variance(), level)
}

// Quantile returns the sample p-quantile of x with a distribution-free confidence
// interval. x is not modified (a sorted copy is made); use QuantileSorted to skip the
// copy and sort.
func Quantile(x []float64, p, level float64) Interval {
	s := slices.Clone(x)
	slices.Sort(s)
	return QuantileSorted(s, p, level)
}

// QuantileSorted is Quantile for x already sorted in ascending order; it panics if x is
// not sorted.
//
// The estimate is the empirical quantile x_(k), k = ⌈np⌉: the smallest sample value with
// at least a fraction p of the sample at or below it. The interval [x_(l), x_(u)] uses
// that the number of values at or below the true quantile is Binomial(n, p): l is the
// largest rank with P(B < l) ≤ (1-level)/2 and u the smallest with P(B ≥ u) ≤
// (1-level)/2, from the exact binomial distribution (gonum distuv.Binomial) at every n.
// For a continuous distribution the coverage is therefore at least level: at 95%, about
// 95.4% for the median or 0.9-quantile of 1,000 values, but up to 98% for extreme
// quantiles with only a handful of values beyond them. When n is too small to bound the
// quantile on one side at this level, that bound is -Inf or +Inf. With n = 0 everything
// is NaN.
func QuantileSorted(x []float64, p, level float64) Interval {
	checkLevel(level)
	checkProbability("quantile", p)
	if !slices.IsSorted(x) {
		panic("stats: QuantileSorted given an unsorted sample")
	}
	n := len(x)
	if n == 0 {
		return Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	}
	iv := Interval{Estimate: x[empiricalRank(n, p)-1], Lo: math.Inf(-1), Hi: math.Inf(1), Level: level}
	tail := (1 - level) / 2
	below := distuv.Binomial{N: float64(n), P: p}     // values at or below the true quantile
	above := distuv.Binomial{N: float64(n), P: 1 - p} // values above it
	// P(B ≤ k-1) grows with k: l is one less than the first k where it exceeds the tail.
	if l := sort.Search(n+1, func(k int) bool { return below.CDF(float64(k-1)) > tail }) - 1; l >= 1 {
		iv.Lo = x[l-1]
	}
	// P(B ≥ u) = P(n-B ≤ n-u) shrinks with u; the upper tail is computed as a lower one
	// to avoid cancellation in 1 - CDF.
	if u := sort.Search(n+1, func(i int) bool { return above.CDF(float64(n-i-1)) <= tail }) + 1; u <= n {
		iv.Hi = x[u-1]
	}
	return iv
}

// Proportion returns the share successes/n with its Wilson score interval, which unlike
// the textbook p̂ ± z√(p̂(1-p̂)/n) keeps close to its nominal coverage for rare events and
// never leaves [0, 1]. The estimate is p̂ = successes/n itself (not the Wilson centre).
// No successes give a lower bound of exactly 0, all successes an upper bound of exactly 1.
// With n = 0 everything is NaN; successes outside [0, n] panics.
func Proportion(successes, n int, level float64) Interval {
	checkLevel(level)
	if successes < 0 || successes > n {
		panic(fmt.Sprintf("stats: %d successes out of %d trials", successes, n))
	}
	if n == 0 {
		return Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	}
	z := zQuantile(level)
	nf := float64(n)
	ph := float64(successes) / nf
	z2n := z * z / nf
	centre := (ph + z2n/2) / (1 + z2n)
	h := z / (1 + z2n) * math.Sqrt(ph*(1-ph)/nf+z2n/(4*nf))
	iv := Interval{Estimate: ph, Lo: math.Max(0, centre-h), Hi: math.Min(1, centre+h), Level: level}
	// At the edges centre ∓ h is exactly 0 or 1 in exact arithmetic; in floating point it
	// is a rounding error away (5.4e-20 for no successes in 5,000), which a reader would
	// take for a computed bound.
	if successes == 0 {
		iv.Lo = 0
	}
	if successes == n {
		iv.Hi = 1
	}
	return iv
}

// ExpectedShortfall returns the mean of the upper tail of x beyond its p-quantile (for
// p = 0.95, the mean of the worst 5% when larger is worse; negate x for a lower tail),
// with a normal confidence interval. x is not modified.
//
// The estimate is ES = q + mean((x_i - q)⁺)/(1-p) with q the empirical p-quantile
// (x_(⌈np⌉), as in Quantile), which is the expected shortfall of the sample itself,
// counting a fraction of the boundary value when np is not whole. Its standard error is
// sd((x_i - q)⁺) / ((1-p)√n), the sample form of the asymptotic variance
// [Var(X | X > q) + p (ES - q)²] / (n(1-p)): it includes the error from estimating q,
// which the spread of the tail values alone would miss. The interval is ES ± z SE with z
// the normal quantile. It rests on the central limit theorem applied to the tail, so it
// wants a hundred or more values beyond the quantile (n(1-p) ≳ 100 for light tails such
// as the exponential, many more for heavy ones) and under-covers with fewer. With fewer than two values beyond the quantile the bounds
// are NaN; with n = 0 everything is NaN.
func ExpectedShortfall(x []float64, p, level float64) Interval {
	checkLevel(level)
	checkProbability("expected shortfall", p)
	n := len(x)
	iv := Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	if n == 0 {
		return iv
	}
	s := slices.Clone(x)
	slices.Sort(s)
	k := empiricalRank(n, p)
	q := s[k-1]
	var excess Moments
	for _, v := range s {
		excess.Add(math.Max(v-q, 0))
	}
	iv = ShortfallFrom(q, excess, p, level)
	if n-k < 2 {
		iv.Lo, iv.Hi = math.NaN(), math.NaN()
	}
	return iv
}

// ShortfallFrom returns the expected shortfall beyond the p-quantile from one streaming
// pass: q, an estimate of the p-quantile (from a Sketch, say), and the moments of
// (x - q)+ over every value. The estimate q + E[(x - q)+]/(1 - p) (Rockafellar and
// Uryasev) is flat in q at the true quantile, so an error in q moves it only to second
// order; the interval is the normal one of ExpectedShortfall.
func ShortfallFrom(q float64, excess Moments, p, level float64) Interval {
	checkLevel(level)
	checkProbability("expected shortfall", p)
	iv := Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	n := excess.N()
	if n == 0 {
		return iv
	}
	iv.Estimate = q + excess.Mean()/(1-p)
	if n < 2 {
		return iv
	}
	h := zQuantile(level) * math.Sqrt(excess.Variance()/float64(n)) / (1 - p)
	iv.Lo, iv.Hi = iv.Estimate-h, iv.Estimate+h
	return iv
}

// PairedEffect compares two policies run on the same paths (common random numbers):
// path i gives a_i under one and b_i under the other.
type PairedEffect struct {
	// Diff is the mean of d_i = a_i - b_i with its t interval on n-1 degrees of freedom:
	// the policy effect with the noise the two runs share cancelled.
	Diff MeanEstimate
	// Unpaired is the same mean difference with Welch's interval, which treats a and b as
	// independent samples: what the experiment would report without common random numbers.
	Unpaired Interval
	// VarianceReduction is Var_unpaired / Var_paired of the mean difference,
	// (s_a² + s_b²) / s_d²: how many times more paths independent runs would need for the
	// same precision. It is 1/(1-ρ) for equal variances with correlation ρ; +Inf when
	// every d_i is equal but a or b vary.
	VarianceReduction float64
	// ShareBelow is the share of paths with a_i < b_i (policy a "helped" on that path when
	// lower is better), ShareAbove the share with a_i > b_i; ties count in neither.
	ShareBelow, ShareAbove float64
}

// Paired estimates the effect a - b from per-path outcomes of two policies on the same
// paths, at the given confidence level. It returns ErrLengthMismatch when a and b differ
// in length and ErrTooFewSamples for fewer than two paths (both wrapped with the lengths).
func Paired(a, b []float64, level float64) (PairedEffect, error) {
	checkLevel(level)
	if len(a) != len(b) {
		return PairedEffect{}, fmt.Errorf("%w: %d and %d values", ErrLengthMismatch, len(a), len(b))
	}
	var acc PairedAccumulator
	for i := range a {
		acc.Add(a[i], b[i])
	}
	return acc.Effect(level)
}

// PairedAccumulator builds a paired comparison one path at a time, for runs too large to
// keep every value; accumulators of consecutive ranges of paths combine with Merge.
type PairedAccumulator struct {
	A, B, D      Moments // of a_i, b_i and d_i = a_i - b_i
	Below, Above int     // paths with a_i < b_i, and with a_i > b_i
}

// Add records one path's outcomes a under one policy and b under the other.
func (p *PairedAccumulator) Add(a, b float64) {
	p.A.Add(a)
	p.B.Add(b)
	p.AddDifference(a, b)
}

// AddDifference is Add without the moments of a and b themselves (A and B): for a caller
// that accumulates those already, from the same values in the same order, and sets A and
// B from them once all are added, which gives the fields Add would, bit for bit.
func (p *PairedAccumulator) AddDifference(a, b float64) {
	p.D.Add(a - b)
	switch {
	case a < b:
		p.Below++
	case a > b:
		p.Above++
	}
}

// Merge adds the paths recorded in o to p.
func (p *PairedAccumulator) Merge(o PairedAccumulator) {
	p.A.Merge(o.A)
	p.B.Merge(o.B)
	p.D.Merge(o.D)
	p.Below += o.Below
	p.Above += o.Above
}

// Effect returns the paired effect of the recorded paths at the given confidence level, or
// ErrTooFewSamples (wrapped) for fewer than two paths.
func (p PairedAccumulator) Effect(level float64) (PairedEffect, error) {
	checkLevel(level)
	n := p.D.N()
	if n < 2 {
		return PairedEffect{}, fmt.Errorf("%w: paired comparison needs at least 2 paths, got %d", ErrTooFewSamples, n)
	}
	var e PairedEffect
	e.Diff = p.D.CI(level)
	nf := float64(n)
	e.ShareBelow = float64(p.Below) / nf
	e.ShareAbove = float64(p.Above) / nf
	ma, va := p.A.Mean(), p.A.Variance()
	mb, vb := p.B.Mean(), p.B.Variance()
	ua, ub := va/nf, vb/nf // squared standard errors of the two means
	se := math.Sqrt(ua + ub)
	e.Unpaired = Interval{Estimate: ma - mb, Lo: ma - mb, Hi: ma - mb, Level: level}
	if se > 0 {
		// Welch-Satterthwaite degrees of freedom.
		df := (ua + ub) * (ua + ub) / (ua*ua/(nf-1) + ub*ub/(nf-1))
		h := tQuantile(level, df) * se
		e.Unpaired.Lo, e.Unpaired.Hi = ma-mb-h, ma-mb+h
	}
	e.VarianceReduction = (va + vb) / p.D.Variance()
	return e, nil
}

// empiricalRank returns k = ⌈np⌉ clamped to [1, n], the 1-based rank of the empirical
// p-quantile. A product within rounding of a whole number counts as whole, so that for
// instance p = 0.07, n = 100 gives rank 7 although 0.07*100 = 7.000000000000001.
func empiricalRank(n int, p float64) int {
	h := p * float64(n)
	if r := math.Round(h); math.Abs(h-r) <= 1e-9*math.Max(1, h) {
		h = r
	}
	return min(max(int(math.Ceil(h)), 1), n)
}

// zQuantile returns the standard normal quantile for a two-sided interval at level.
func zQuantile(level float64) float64 { return distuv.UnitNormal.Quantile(0.5 + level/2) }

// tQuantile returns the Student t quantile on df degrees of freedom for a two-sided
// interval at level.
func tQuantile(level, df float64) float64 {
	key := [2]float64{level, df}
	tCache.Lock()
	q, ok := tCache.m[key]
	tCache.Unlock()
	if ok {
		return q
	}
	q = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + level/2)
	tCache.Lock()
	if len(tCache.m) >= tCacheSize {
		clear(tCache.m)
	}
	tCache.m[key] = q
	tCache.Unlock()
	return q
}

// tCache keeps the t quantiles computed lately, by (level, degrees of freedom): each
// takes about 10 µs (an inverse incomplete beta function), and an evaluation of explore
// or calibrate asks for the same one for each of its dozens of intervals, as a run's
// convergence checks do. The same arguments give the same bits, so the cache changes no
// result.
var tCache = struct {
	sync.Mutex
	m map[[2]float64]float64
}{m: map[[2]float64]float64{}}

// tCacheSize bounds tCache: full, it starts again empty.
const tCacheSize = 256

func checkLevel(level float64) {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats: confidence level %v outside (0, 1)", level))
	}
}

func checkProbability(what string, p float64) {
	if !(p > 0 && p < 1) {
		panic(fmt.Sprintf("stats: %s probability p=%v outside (0, 1)", what, p))
	}
}
