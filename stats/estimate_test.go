package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

const (
	coverageReps  = 1000
	coverageLevel = 0.95
	// The issue asks that nominal 95% intervals cover the truth in 93%-97% of replications.
	// With 1000 replications the observed share of a correct interval has Monte Carlo
	// standard error √(0.95·0.05/1000) ≈ 0.69%, so the band is about ±3 standard errors.
	coverageLo = 0.93
	coverageHi = 0.97
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func sample(r *rand.Rand, n int, draw func(*rand.Rand) float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = draw(r)
	}
	return x
}

func normal(mu, sigma float64) func(*rand.Rand) float64 {
	return func(r *rand.Rand) float64 { return mu + sigma*r.NormFloat64() }
}

func exponential(rate float64) func(*rand.Rand) float64 {
	return func(r *rand.Rand) float64 { return r.ExpFloat64() / rate }
}

// correlatedPairs draws n pairs of unit-variance normals with correlation rho and means
// muA, muB: a = muA + Z1, b = muB + rho Z1 + √(1-rho²) Z2.
func correlatedPairs(r *rand.Rand, n int, muA, muB, rho float64) (a, b []float64) {
	a, b = make([]float64, n), make([]float64, n)
	for i := range a {
		z1, z2 := r.NormFloat64(), r.NormFloat64()
		a[i] = muA + z1
		b[i] = muB + rho*z1 + math.Sqrt(1-rho*rho)*z2
	}
	return a, b
}

// TestCoverage runs each estimator on coverageReps seeded samples from a distribution
// with a known answer and checks how often its 95% interval contains that answer.
func TestCoverage(t *testing.T) {
	const (
		rate    = 2.0  // exponential rate
		esP     = 0.95 // expected-shortfall tail
		bernP   = 0.1
		rho     = 0.8
		muA     = 1.0
		muB     = 0.8
		expQ90P = 0.9
	)
	cases := []struct {
		name     string
		truth    float64
		estimate func(r *rand.Rand) Interval
	}{
		{"Mean/normal n=200", 3, func(r *rand.Rand) Interval {
			return Mean(sample(r, 200, normal(3, 2)), coverageLevel).Interval
		}},
		{"Mean/exponential n=500", 1 / rate, func(r *rand.Rand) Interval {
			return Mean(sample(r, 500, exponential(rate)), coverageLevel).Interval
		}},
		{"Moments/exponential n=500", 1 / rate, func(r *rand.Rand) Interval {
			var m Moments
			for range 500 {
				m.Add(r.ExpFloat64() / rate)
			}
			return m.CI(coverageLevel).Interval
		}},
		{"Quantile/uniform median n=1000", 0.5, func(r *rand.Rand) Interval {
			return Quantile(sample(r, 1000, (*rand.Rand).Float64), 0.5, coverageLevel)
		}},
		{"Quantile/exponential p=0.9 n=1000", -math.Log(1-expQ90P) / rate, func(r *rand.Rand) Interval {
			return Quantile(sample(r, 1000, exponential(rate)), expQ90P, coverageLevel)
		}},
		{"Proportion/Bernoulli p=0.1 n=600", bernP, func(r *rand.Rand) Interval {
			k := 0
			for range 600 {
				if r.Float64() < bernP {
					k++
				}
			}
			return Proportion(k, 600, coverageLevel)
		}},
		// ES of an exponential at p: q_p + 1/rate, by memorylessness.
		{"ExpectedShortfall/exponential p=0.95 n=4000", -math.Log(1-esP)/rate + 1/rate, func(r *rand.Rand) Interval {
			return ExpectedShortfall(sample(r, 4000, exponential(rate)), esP, coverageLevel)
		}},
		{"Paired/correlated normals rho=0.8 n=200", muA - muB, func(r *rand.Rand) Interval {
			a, b := correlatedPairs(r, 200, muA, muB, rho)
			e, err := Paired(a, b, coverageLevel)
			if err != nil {
				panic(err)
			}
			return e.Diff.Interval
		}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := newRand(uint64(100 + i))
			covered := 0
			for range coverageReps {
				iv := c.estimate(r)
				if iv.Level != coverageLevel || !(iv.Lo <= iv.Estimate && iv.Estimate <= iv.Hi) {
					t.Fatalf("malformed interval %+v", iv)
				}
				if iv.Contains(c.truth) {
					covered++
				}
			}
			share := float64(covered) / coverageReps
			t.Logf("%s: coverage %.1f%% (truth %.6g)", c.name, 100*share, c.truth)
			if share < coverageLo || share > coverageHi {
				t.Errorf("95%% interval covered the truth %.6g in %.1f%% of %d replications, want %.0f%%-%.0f%%",
					c.truth, 100*share, coverageReps, 100*coverageLo, 100*coverageHi)
			}
		})
	}
}

// TestQuantileExactCoverage checks the order-statistic interval against the binomial
// probability it is built from: for a continuous distribution its coverage is exactly
// P(l ≤ B ≤ u-1), B ~ Binomial(n, p), which must be at least the level. Ranks are read
// back by running QuantileSorted on the sample 1, 2, ..., n.
func TestQuantileExactCoverage(t *testing.T) {
	for _, c := range []struct {
		n     int
		p     float64
		level float64
	}{
		{20, 0.5, 0.95}, {100, 0.5, 0.95}, {1000, 0.5, 0.95}, {1000, 0.9, 0.95},
		{1000, 0.99, 0.9}, {5000, 0.999, 0.95}, {200, 0.05, 0.99},
	} {
		ranks := make([]float64, c.n)
		for i := range ranks {
			ranks[i] = float64(i + 1)
		}
		iv := QuantileSorted(ranks, c.p, c.level)
		if math.IsInf(iv.Lo, 0) || math.IsInf(iv.Hi, 0) {
			t.Errorf("n=%d p=%v: unexpected infinite bound %+v", c.n, c.p, iv)
			continue
		}
		b := distuv.Binomial{N: float64(c.n), P: c.p}
		cover := b.CDF(iv.Hi-1) - b.CDF(iv.Lo-1)
		t.Logf("n=%d p=%v level=%v: ranks [%v, %v], exact coverage %.4f", c.n, c.p, c.level, iv.Lo, iv.Hi, cover)
		if cover < c.level {
			t.Errorf("n=%d p=%v: ranks [%v, %v] cover with probability %.4f < %v", c.n, c.p, iv.Lo, iv.Hi, cover, c.level)
		}
		// Neither bound can move inward without dropping below the level (equal tails).
		if tail := (1 - c.level) / 2; b.CDF(iv.Lo) <= tail || 1-b.CDF(iv.Hi-2) <= tail {
			t.Errorf("n=%d p=%v: ranks [%v, %v] are wider than the equal-tailed interval", c.n, c.p, iv.Lo, iv.Hi)
		}
		if want := math.Ceil(c.p*float64(c.n) - 1e-9); iv.Estimate != want {
			t.Errorf("n=%d p=%v: estimate rank %v, want %v", c.n, c.p, iv.Estimate, want)
		}
	}
	// Too few values to bound the median at 95% from both sides with 5 values:
	// P(B = 0) = P(B = 5) = 1/32 > 0.025.
	iv := Quantile([]float64{5, 1, 4, 2, 3}, 0.5, 0.95)
	if !math.IsInf(iv.Lo, -1) || !math.IsInf(iv.Hi, 1) || iv.Estimate != 3 {
		t.Errorf("n=5 median: got %+v, want 3 with infinite bounds", iv)
	}
}

func TestQuantileDoesNotModifyInput(t *testing.T) {
	x := []float64{3, 1, 2, 5, 4}
	orig := slices.Clone(x)
	Quantile(x, 0.5, 0.9)
	ExpectedShortfall(x, 0.5, 0.9)
	if !slices.Equal(x, orig) {
		t.Fatalf("input changed from %v to %v", orig, x)
	}
}

func TestEmpiricalRankRounding(t *testing.T) {
	for _, c := range []struct {
		n    int
		p    float64
		want int
	}{
		{100, 0.07, 7}, {100, 0.071, 8}, {2000, 0.95, 1900}, {10, 0.01, 1}, {10, 0.999, 10}, {3, 0.5, 2},
	} {
		if got := empiricalRank(c.n, c.p); got != c.want {
			t.Errorf("rank(n=%d, p=%v) = %d, want %d", c.n, c.p, got, c.want)
		}
	}
}

// TestExpectedShortfallOfSample checks the estimate against the direct definition for a
// sample whose tail is a whole number of values, and a fractional one.
func TestExpectedShortfallOfSample(t *testing.T) {
	x := []float64{9, 1, 7, 3, 10, 2, 8, 4, 6, 5} // 1..10 shuffled
	if got := ExpectedShortfall(x, 0.8, 0.95).Estimate; math.Abs(got-9.5) > 1e-12 {
		t.Errorf("ES at 0.8 of 1..10 = %v, want mean(9, 10) = 9.5", got)
	}
	// p = 0.75: the worst 2.5 values are 10, 9 and half of 8.
	if got, want := ExpectedShortfall(x, 0.75, 0.95).Estimate, (10+9+0.5*8)/2.5; math.Abs(got-want) > 1e-12 {
		t.Errorf("ES at 0.75 of 1..10 = %v, want %v", got, want)
	}
	// Fewer than two values beyond the quantile: no interval.
	if iv := ExpectedShortfall(x, 0.9, 0.95); iv.Estimate != 10 || !math.IsNaN(iv.Lo) || !math.IsNaN(iv.Hi) {
		t.Errorf("ES at 0.9 of 1..10: %+v, want 10 with NaN bounds", iv)
	}
}

// TestPairedVarianceReduction checks that common random numbers pay on positively
// correlated outcomes: the paired interval is narrower than Welch's and the variance
// reduction is near its theoretical value 1/(1-rho) for unit-variance pairs.
func TestPairedVarianceReduction(t *testing.T) {
	const n = 2000
	for i, rho := range []float64{0.3, 0.8, 0.95} {
		a, b := correlatedPairs(newRand(uint64(200+i)), n, 0.5, 0.4, rho)
		e, err := Paired(a, b, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		want := 1 / (1 - rho)
		// The ratio (s_a² + s_b²)/s_d² of sample variances of bivariate normals has, by the
		// delta method, sd(log ratio) ≈ (1+rho)/√(n-1); allow 4 of those.
		tol := 4 * (1 + rho) / math.Sqrt(n-1)
		t.Logf("rho=%v: variance reduction %.3f (theory %.3f ± %.0f%%), half-widths paired %.4f unpaired %.4f",
			rho, e.VarianceReduction, want, 100*tol, e.Diff.HalfWidth(), e.Unpaired.HalfWidth())
		if math.Abs(math.Log(e.VarianceReduction/want)) > tol {
			t.Errorf("rho=%v: variance reduction %v, theory %v (log tolerance %v)", rho, e.VarianceReduction, want, tol)
		}
		if e.VarianceReduction <= 1 || e.Diff.HalfWidth() >= e.Unpaired.HalfWidth() {
			t.Errorf("rho=%v: paired half-width %v not below unpaired %v", rho, e.Diff.HalfWidth(), e.Unpaired.HalfWidth())
		}
		if e.Diff.Estimate-e.Unpaired.Estimate > 1e-12 {
			t.Errorf("paired and unpaired estimates differ: %v vs %v", e.Diff.Estimate, e.Unpaired.Estimate)
		}
		// With a mean difference of 0.1 and sd(d) = √(2-2rho), a is below b on a share
		// Φ(-0.1/sd(d)) of paths; check within 4 binomial standard errors.
		wantBelow := distuv.UnitNormal.CDF(-0.1 / math.Sqrt(2-2*rho))
		if se := math.Sqrt(wantBelow * (1 - wantBelow) / n); math.Abs(e.ShareBelow-wantBelow) > 4*se {
			t.Errorf("rho=%v: share below %v, want %v ± %v", rho, e.ShareBelow, wantBelow, 4*se)
		}
		if e.ShareBelow+e.ShareAbove != 1 { // continuous draws: no ties
			t.Errorf("rho=%v: shares %v + %v != 1", rho, e.ShareBelow, e.ShareAbove)
		}
	}
}

// TestMomentsMerge splits a sample across accumulators and merges them in several
// orders; every result must agree with one pass and with Mean to 1e-12 relative.
func TestMomentsMerge(t *testing.T) {
	x := sample(newRand(7), 10_000, func(r *rand.Rand) float64 { return 1e3 + 50*r.NormFloat64() + r.ExpFloat64() })
	var whole Moments
	for _, v := range x {
		whole.Add(v)
	}
	ref := Mean(x, 0.95)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s: %v, want %v (relative difference %.2g)", what, got, want, math.Abs(got-want)/math.Abs(want))
		}
	}
	check := func(name string, m Moments) {
		t.Helper()
		if m.N() != len(x) {
			t.Errorf("%s: N %d, want %d", name, m.N(), len(x))
		}
		near(name+" mean vs one pass", m.Mean(), whole.Mean())
		near(name+" variance vs one pass", m.Variance(), whole.Variance())
		near(name+" mean vs Mean", m.Mean(), ref.Estimate)
		ci := m.CI(0.95)
		near(name+" SE vs Mean", ci.SE, ref.SE)
		near(name+" Lo vs Mean", ci.Lo, ref.Lo)
		near(name+" Hi vs Mean", ci.Hi, ref.Hi)
		near(name+" SE method", m.SE(), ref.SE)
	}
	check("one pass", whole)

	for _, parts := range []int{2, 7, 64} {
		acc := make([]Moments, parts)
		for i, v := range x {
			acc[(i*31)%parts].Add(v)
		}
		var fwd, rev Moments
		for i := range acc {
			fwd.Merge(acc[i])
			rev.Merge(acc[parts-1-i])
		}
		check("forward merge", fwd)
		check("reverse merge", rev)
		// Tree merge, as parallel workers would do.
		for len(acc) > 1 {
			next := acc[:0:0]
			for i := 0; i < len(acc); i += 2 {
				m := acc[i]
				if i+1 < len(acc) {
					m.Merge(acc[i+1])
				}
				next = append(next, m)
			}
			acc = next
		}
		check("tree merge", acc[0])
	}

	var empty Moments
	empty.Merge(Moments{})
	if empty.N() != 0 || !math.IsNaN(empty.Mean()) || !math.IsNaN(empty.Variance()) || !math.IsNaN(empty.SE()) {
		t.Errorf("empty moments: %+v", empty)
	}
	empty.Merge(whole)
	if empty != whole {
		t.Errorf("merging into empty: %+v, want %+v", empty, whole)
	}
}

func TestSmallSamples(t *testing.T) {
	if e := Mean(nil, 0.95); e.N != 0 || !math.IsNaN(e.Estimate) || !math.IsNaN(e.SE) || !math.IsNaN(e.Lo) {
		t.Errorf("Mean(nil) = %+v", e)
	}
	if e := Mean([]float64{4}, 0.95); e.N != 1 || e.Estimate != 4 || !math.IsNaN(e.SE) || !math.IsNaN(e.Hi) {
		t.Errorf("Mean of one value = %+v", e)
	}
	if e := Mean([]float64{2, 2, 2}, 0.95); e.Estimate != 2 || e.Lo != 2 || e.Hi != 2 {
		t.Errorf("Mean of a constant = %+v", e)
	}
	var one Moments
	one.Add(4)
	if e := one.CI(0.95); e.Estimate != 4 || !math.IsNaN(e.Lo) {
		t.Errorf("Moments of one value: %+v", e)
	}
	if iv := Quantile(nil, 0.5, 0.95); !math.IsNaN(iv.Estimate) || !math.IsNaN(iv.Lo) {
		t.Errorf("Quantile(nil) = %+v", iv)
	}
	if iv := ExpectedShortfall(nil, 0.9, 0.95); !math.IsNaN(iv.Estimate) {
		t.Errorf("ExpectedShortfall(nil) = %+v", iv)
	}
	if iv := Proportion(0, 0, 0.95); !math.IsNaN(iv.Estimate) || !math.IsNaN(iv.Hi) {
		t.Errorf("Proportion(0, 0) = %+v", iv)
	}
	// Wilson stays inside [0, 1] and is not degenerate at 0 or n successes.
	for _, k := range []int{0, 20} {
		iv := Proportion(k, 20, 0.95)
		if iv.Lo < 0 || iv.Hi > 1 || iv.HalfWidth() <= 0 || !iv.Contains(iv.Estimate) {
			t.Errorf("Proportion(%d, 20) = %+v", k, iv)
		}
	}
}

func TestPairedErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		a, b []float64
		want error
	}{
		{"length mismatch", []float64{1, 2, 3}, []float64{1, 2}, ErrLengthMismatch},
		{"empty", nil, nil, ErrTooFewSamples},
		{"one path", []float64{1}, []float64{2}, ErrTooFewSamples},
	} {
		_, err := Paired(c.a, c.b, 0.95)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	e, err := Paired([]float64{1, 2, 3}, []float64{0, 1, 2}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// Constant differences: a zero-width paired interval, infinite variance reduction.
	if e.Diff.Estimate != 1 || e.Diff.HalfWidth() != 0 || !math.IsInf(e.VarianceReduction, 1) || e.ShareAbove != 1 {
		t.Errorf("constant difference: %+v", e)
	}
}

// TestInvalidArgumentsPanic checks that probabilities and levels outside (0, 1), and
// impossible counts, are refused loudly.
func TestInvalidArgumentsPanic(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	for _, c := range []struct {
		name, msg string
		f         func()
	}{
		{"quantile p=0", "outside (0, 1)", func() { Quantile(x, 0, 0.95) }},
		{"quantile p=1", "outside (0, 1)", func() { Quantile(x, 1, 0.95) }},
		{"quantile p=NaN", "outside (0, 1)", func() { Quantile(x, math.NaN(), 0.95) }},
		{"unsorted", "unsorted", func() { QuantileSorted([]float64{2, 1}, 0.5, 0.95) }},
		{"ES p=1.5", "outside (0, 1)", func() { ExpectedShortfall(x, 1.5, 0.95) }},
		{"ES p=-0.1", "outside (0, 1)", func() { ExpectedShortfall(x, -0.1, 0.95) }},
		{"mean level 95", "confidence level", func() { Mean(x, 95) }},
		{"moments level 0", "confidence level", func() { (&Moments{}).CI(0) }},
		{"paired level 1", "confidence level", func() { Paired(x, x, 1) }},
		{"proportion level", "confidence level", func() { Proportion(1, 2, -1) }},
		{"proportion k>n", "successes", func() { Proportion(3, 2, 0.95) }},
		{"proportion k<0", "successes", func() { Proportion(-1, 2, 0.95) }},
	} {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, c.msg) {
					t.Errorf("%s: recovered %v, want a panic mentioning %q", c.name, r, c.msg)
				}
			}()
			c.f()
		}()
	}
}

func TestIntervalString(t *testing.T) {
	iv := Interval{Estimate: 1.5, Lo: 1.25, Hi: 1.75, Level: 0.95}
	if s := iv.String(); s != "1.5 [1.25, 1.75]" {
		t.Errorf("String() = %q", s)
	}
	if iv.HalfWidth() != 0.25 {
		t.Errorf("HalfWidth() = %v", iv.HalfWidth())
	}
}

func BenchmarkQuantile(b *testing.B) {
	x := sample(newRand(1), 100_000, exponential(1))
	b.ResetTimer()
	for b.Loop() {
		Quantile(x, 0.99, 0.95)
	}
}

func BenchmarkMomentsAdd(b *testing.B) {
	var m Moments
	x := 0.0
	for b.Loop() {
		m.Add(x)
		x += 0.5
	}
}

// TestProportionWilsonBounds checks Proportion's interval against the Wilson score
// interval's definition: its bounds are the p where (p̂ - p)² = z² p(1-p)/n, the two roots
// of (1 + z²/n) p² - (2p̂ + z²/n) p + p̂² = 0, with the roots at the edges exactly 0 (no
// successes) and 1 (all successes), as tails.csv reports them.
func TestProportionWilsonBounds(t *testing.T) {
	for _, c := range []struct {
		k, n  int
		level float64
	}{
		{0, 20, 0.95}, {20, 20, 0.95}, {0, 10, 0.95}, {0, 5000, 0.95}, {0, 20000, 0.95}, {20000, 20000, 0.95}, {0, 1, 0.95}, {1, 1, 0.95},
		{0, 500, 0.99}, {500, 500, 0.9}, {1, 20000, 0.95}, {19999, 20000, 0.95}, {5, 20, 0.95}, {10, 20, 0.5},
	} {
		iv := Proportion(c.k, c.n, c.level)
		z, nf, ph := zQuantile(c.level), float64(c.n), float64(c.k)/float64(c.n)
		a, b, cc := 1+z*z/nf, -(2*ph + z*z/nf), ph*ph
		d := math.Sqrt(b*b - 4*a*cc)
		lo, hi := (-b-d)/(2*a), (-b+d)/(2*a)
		tol := 1e-12 * math.Max(hi, 1e-300) // both formulas round differently; 1e-12 is ~1e4 ulps
		switch {
		case c.k == 0 && iv.Lo != 0:
			t.Errorf("Proportion(%d, %d, %g).Lo = %g, want exactly 0", c.k, c.n, c.level, iv.Lo)
		case c.k == c.n && iv.Hi != 1:
			t.Errorf("Proportion(%d, %d, %g).Hi = %g, want exactly 1", c.k, c.n, c.level, iv.Hi)
		case math.Abs(iv.Lo-lo) > tol || math.Abs(iv.Hi-hi) > tol:
			t.Errorf("Proportion(%d, %d, %g) = [%g, %g], the roots of the Wilson quadratic [%g, %g]", c.k, c.n, c.level, iv.Lo, iv.Hi, lo, hi)
		case iv.Estimate != ph || !(iv.Lo <= ph && ph <= iv.Hi) || iv.Level != c.level:
			t.Errorf("Proportion(%d, %d, %g) = %+v: estimate %g outside or level lost", c.k, c.n, c.level, iv, ph)
		}
	}
}

// TestTQuantileCache checks that the cached t quantiles are distuv's, bit for bit, on
// first and repeated calls from several goroutines, and that the cache stays bounded.
func TestTQuantileCache(t *testing.T) {
	direct := func(level, df float64) float64 {
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + level/2)
	}
	cases := [][2]float64{{0.95, 1}, {0.95, 999}, {0.99, 999}, {0.9, 3.5}, {0.95, 199_999}}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 3; rep++ {
				for _, c := range cases {
					if got, want := tQuantile(c[0], c[1]), direct(c[0], c[1]); math.Float64bits(got) != math.Float64bits(want) {
						errs <- fmt.Sprintf("tQuantile(%v, %v) = %v, distuv %v", c[0], c[1], got, want)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for df := 1; df <= 3*tCacheSize; df++ {
		tQuantile(0.95, float64(df))
	}
	tCache.Lock()
	n := len(tCache.m)
	tCache.Unlock()
	if n > tCacheSize {
		t.Errorf("cache holds %d quantiles, more than %d", n, tCacheSize)
	}
}
