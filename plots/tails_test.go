package plots

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPooledTailsMatchQuantile checks pooledTails against pooling the samples and asking
// quantile, bit for bit, on pools small and large, split into one or several samples,
// continuous, heavy-tailed, with many ties, constant, signed and with infinities.
func TestPooledTailsMatchQuantile(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ps := []float64{0.005, 0.01, 0.99, 0.995}
	draws := map[string]func() float64{
		"uniform":      func() float64 { return rng.Float64() },
		"heavy-tailed": func() float64 { return math.Exp(3 * rng.NormFloat64()) },
		"ties":         func() float64 { return float64(rng.IntN(7)) },
		"constant":     func() float64 { return 2.5 },
		"signed":       func() float64 { return rng.NormFloat64() * 100 },
		"infinities": func() float64 {
			switch rng.IntN(500) {
			case 0:
				return math.Inf(1)
			case 1:
				return math.Inf(-1)
			}
			return rng.Float64()
		},
	}
	for name, draw := range draws {
		for _, sizes := range [][]int{{}, {1}, {5, 0, 3}, {4095}, {4096}, {3000, 3000}, {100_000}, {200_000, 200_000, 200_000}, {0, 50_000, 7}} {
			var samples [][]float64
			var all []float64
			for _, n := range sizes {
				s := make([]float64, n)
				for i := range s {
					s[i] = draw()
				}
				samples = append(samples, s)
				all = append(all, s...)
			}
			kept := make([][]float64, len(samples))
			for i, s := range samples {
				kept[i] = slices.Clone(s)
			}
			lo, hi, qs := pooledTails(samples, ps)
			for i, s := range samples {
				if !slices.Equal(s, kept[i]) {
					t.Fatalf("%s %v: pooledTails reordered a sample", name, sizes)
				}
			}
			wlo, whi := math.NaN(), math.NaN()
			if len(all) > 0 {
				wlo, whi = slices.Min(all), slices.Max(all)
			}
			same := func(a, b float64) bool {
				return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
			}
			if !same(lo, wlo) || !same(hi, whi) {
				t.Errorf("%s %v: range [%v, %v], want [%v, %v]", name, sizes, lo, hi, wlo, whi)
			}
			for k, p := range ps {
				want := quantile(slices.Clone(all), p)
				if !same(qs[k], want) {
					t.Errorf("%s %v: quantile %v = %v, want %v", name, sizes, p, qs[k], want)
				}
			}
		}
	}
}

// TestTailThresholdsKeepFew checks that on a figure's pool (600,000 values) the thresholds
// keep enough values for the ranks the histograms ask (so pooledTails need not pool) and
// few more: the point of sampling them.
func TestTailThresholdsKeepFew(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	samples := make([][]float64, 3)
	for i := range samples {
		samples[i] = make([]float64, 200_000)
		for j := range samples[i] {
			samples[i][j] = math.Exp(2 * rng.NormFloat64())
		}
	}
	n := 600_000
	needLow, needHigh := int(0.01*float64(n-1))+1, n-1-int(0.99*float64(n-1))
	tLow, tHigh := tailThresholds(samples, n, needLow, needHigh)
	low, high := 0, 0
	for _, s := range samples {
		for _, v := range s {
			if v <= tLow {
				low++
			}
			if v >= tHigh {
				high++
			}
		}
	}
	if low < needLow+1 || high < needHigh+1 {
		t.Fatalf("thresholds keep %d low and %d high values, the ranks need %d and %d", low, high, needLow+1, needHigh+1)
	}
	if low > 3*(needLow+1) || high > 3*(needHigh+1) {
		t.Errorf("thresholds keep %d low and %d high values for ranks needing %d and %d: more than thrice", low, high, needLow+1, needHigh+1)
	}
}
