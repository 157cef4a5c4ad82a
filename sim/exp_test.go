package sim

import (
	"fmt"
	"math"
	"testing"
)

// TestExpAllMatchesMathExp checks expAll against math.Exp, value by value, on arguments
// across the whole float64 range and every length from 0 to 40 (groups of 8 and tails).
func TestExpAllMatchesMathExp(t *testing.T) {
	rng := NewStream()
	rng.Reset(3, 5)
	special := []float64{0, math.Copysign(0, -1), 1, -1, 700, -700, math.Nextafter(700, 800), math.Nextafter(-700, -800),
		709.78, 709.79, -745, -746, 1e-300, -1e-300, math.Inf(1), math.Inf(-1), math.NaN(), math.Ln2, 0.5 * math.Ln2}
	for n := 0; n <= 40; n++ {
		for round := 0; round < 200; round++ {
			xs := make([]float64, n)
			for i := range xs {
				switch rng.IntN(4) {
				case 0:
					xs[i] = special[rng.IntN(len(special))]
				case 1:
					xs[i] = (rng.Float64() - 0.5) * 1600
				case 2:
					xs[i] = rng.NormFloat64() * 3
				default:
					xs[i] = math.Round(rng.NormFloat64()*20) * math.Ln2 / 2 // ties of k's rounding
				}
			}
			want := make([]float64, n)
			for i, x := range xs {
				want[i] = math.Exp(x)
			}
			expAll(xs)
			for i := range xs {
				if math.Float64bits(xs[i]) != math.Float64bits(want[i]) && !(math.IsNaN(xs[i]) && math.IsNaN(want[i])) {
					t.Fatalf("n %d, value %d: %v, math.Exp %v (vector exp: %v)", n, i, xs[i], want[i], useExpVector)
				}
			}
		}
	}
}

func BenchmarkExpAll(b *testing.B) {
	xs := make([]float64, 60)
	for _, mode := range []struct {
		name string
		exp  func([]float64)
	}{{"scalar", expAllScalar}, {"expAll", expAll}} {
		b.Run(fmt.Sprintf("%s/vector=%v", mode.name, useExpVector && mode.name == "expAll"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for j := range xs {
					xs[j] = float64(j%13) * 0.1
				}
				mode.exp(xs)
			}
		})
	}
}

// expPath is math/exp_amd64.s in pure Go, with its fused multiply-adds (math.FMA, exact
// on every CPU) when fused is set, else without, as math.Exp computes it on a CPU without
// FMA or with GODEBUG=cpu.fma=off (the compiler fuses nothing at the default GOAMD64).
func expPath(x float64, fused bool) float64 {
	const (
		log2E = 1.4426950408889634073599246810018920
		ln2U  = 0.69314718055966295651160180568695068359375
		ln2L  = 0.28235290563031577122588448175013436025525412068e-12
	)
	fma := func(a, b, c float64) float64 {
		if fused {
			return math.FMA(a, b, c)
		}
		return a*b + c
	}
	k := math.RoundToEven(x * log2E)
	r := fma(-ln2U, k, x)
	r = fma(-ln2L, k, r)
	r *= 0.0625
	p := 2.4801587301587301587e-5
	for _, c := range []float64{1.9841269841269841270e-4, 1.3888888888888888889e-3, 8.3333333333333333333e-3,
		4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0} {
		p = fma(p, r, c)
	}
	r *= p
	for i := 0; i < 3; i++ {
		r *= r + 2
	}
	r = fma(r+2, r, 1)
	return r * math.Float64frombits(uint64(int64(k)+1023)<<52)
}

// TestExpProbeTellsPathsApart checks that the two paths of math.Exp's assembly differ on
// every probe argument, so that expVectorAgrees turns the vector exp off whenever math.Exp
// takes the unfused path, and that math.Exp gives one of them.
func TestExpProbeTellsPathsApart(t *testing.T) {
	for _, x := range expProbe {
		fused, unfused, got := expPath(x, true), expPath(x, false), math.Exp(x)
		if math.Float64bits(fused) == math.Float64bits(unfused) {
			t.Errorf("exp(%v): both paths give %v", x, fused)
		}
		if math.Float64bits(got) != math.Float64bits(fused) && math.Float64bits(got) != math.Float64bits(unfused) {
			t.Errorf("exp(%v): math.Exp gives %v, neither path (%v, %v)", x, got, fused, unfused)
		}
	}
}
