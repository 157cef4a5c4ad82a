package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEmpiricalQuantileMatchesSort checks the selection against the sorted sample's
// estimate (Quantile) on samples shaped to trouble a quickselect: sorted, reversed, all
// equal, few distinct values, organ pipe, and random, at sizes around the cut-over to
// sorting and beyond.
func TestEmpiricalQuantileMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	shapes := []struct {
		name string
		gen  func(i, n int) float64
	}{
		{"random", func(int, int) float64 { return rng.NormFloat64() }},
		{"sorted", func(i, _ int) float64 { return float64(i) }},
		{"reversed", func(i, n int) float64 { return float64(n - i) }},
		{"equal", func(int, int) float64 { return 3 }},
		{"three values", func(int, int) float64 { return float64(rng.IntN(3)) }},
		{"mostly zero", func(int, int) float64 {
			if rng.Float64() < 0.9 {
				return 0
			}
			return rng.ExpFloat64()
		}},
		{"organ pipe", func(i, n int) float64 { return float64(min(i, n-i)) }},
		{"signed zeros and infinities", func(i, _ int) float64 {
			return [...]float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), 1}[i%5]
		}},
	}
	ps := []float64{1e-9, 0.01, 0.05, 0.07, 0.5, 0.95, 0.99, 1 - 1e-9}
	for _, sh := range shapes {
		for _, n := range []int{1, 2, 15, 16, 17, 100, 1001, 20000} {
			t.Run(fmt.Sprintf("%s/%d", sh.name, n), func(t *testing.T) {
				x := make([]float64, n)
				for i := range x {
					x[i] = sh.gen(i, n)
				}
				for _, p := range ps {
					want := Quantile(x, p, 0.95).Estimate
					y := slices.Clone(x)
					got := EmpiricalQuantile(y, p)
					if math.Float64bits(got) != math.Float64bits(want) && !(got == 0 && want == 0) {
						t.Fatalf("p = %v: got %v, want %v", p, got, want)
					}
					k := empiricalRank(n, p) - 1
					for i, v := range y {
						if (i < k && v > got) || (i > k && v < got) {
							t.Fatalf("p = %v: x[%d] = %v on the wrong side of x[%d] = %v", p, i, v, k, got)
						}
					}
					slices.Sort(y)
					z := slices.Clone(x)
					slices.Sort(z)
					if !slices.Equal(y, z) {
						t.Fatalf("p = %v: the values changed, not only their order", p)
					}
				}
			})
		}
	}
}

func TestEmpiricalQuantileEdges(t *testing.T) {
	if v := EmpiricalQuantile(nil, 0.5); !math.IsNaN(v) {
		t.Errorf("empty sample: got %v, want NaN", v)
	}
	for _, p := range []float64{-0.1, 0, 1, 1.1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("p = %v: no panic", p)
				}
			}()
			EmpiricalQuantile([]float64{1, 2}, p)
		}()
	}
}

func ExampleEmpiricalQuantile() {
	losses := []float64{4, 1, 9, 0, 0, 7, 2, 5, 3, 8}
	fmt.Println(EmpiricalQuantile(losses, 0.5), EmpiricalQuantile(losses, 0.95))
	// Output: 3 9
}

func BenchmarkEmpiricalQuantile(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 200_000)
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	y := make([]float64, len(x))
	b.Run("select", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			copy(y, x)
			EmpiricalQuantile(y, 0.95)
			EmpiricalQuantile(y[:empiricalRank(len(y), 0.95)-1], 0.5)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			copy(y, x)
			slices.Sort(y)
		}
	})
}

func TestSelectMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 17, 500, 3001} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(50)) + rng.Float64()*float64(i%3)
		}
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		for _, k := range []int{0, n / 3, n / 2, n - 1} {
			y := slices.Clone(x)
			if got := Select(y, k); got != sorted[k] {
				t.Fatalf("n %d, k %d: %v, sorted %v", n, k, got, sorted[k])
			}
		}
	}
	for _, k := range []int{-1, 3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("k = %d of 3: no panic", k)
				}
			}()
			Select([]float64{1, 2, 3}, k)
		}()
	}
}
