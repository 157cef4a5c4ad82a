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

// TestCloseInSplitsAroundK checks the sampled round of the selection on its own: the part
// it returns holds index k, nothing before it is above anything in it, nothing after it
// is below anything in it, and the values are only reordered; on spread-out values it
// leaves a small part (the point of sampling), on tied ones it may leave everything.
func TestCloseInSplitsAroundK(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 3 * sampledSelectMin
	shapes := []struct {
		name   string
		gen    func(i int) float64
		narrow bool // distinct values: the part left must be small
	}{
		{"random", func(int) float64 { return rng.NormFloat64() }, true},
		{"sorted", func(i int) float64 { return float64(i) }, true},
		{"reversed", func(i int) float64 { return float64(-i) }, true},
		{"equal", func(int) float64 { return 1 }, false},
		{"two values", func(int) float64 { return float64(rng.IntN(2)) }, false},
		{"signed zeros and infinities", func(i int) float64 {
			return [...]float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), 1}[i%5]
		}, false},
	}
	for _, sh := range shapes {
		for _, k := range []int{0, 1, n / 20, n / 2, n - n/20, n - 1} {
			t.Run(fmt.Sprintf("%s/k=%d", sh.name, k), func(t *testing.T) {
				x := make([]float64, n)
				for i := range x {
					x[i] = sh.gen(i)
				}
				y := slices.Clone(x)
				lo, hi := closeIn(y, 0, n, k)
				if lo > k || k >= hi {
					t.Fatalf("part [%d, %d) does not hold k = %d", lo, hi, k)
				}
				if lo > 0 && slices.Max(y[:lo]) > slices.Min(y[lo:hi]) {
					t.Fatalf("a value before the part [%d, %d) is above one in it", lo, hi)
				}
				if hi < n && slices.Max(y[lo:hi]) > slices.Min(y[hi:]) {
					t.Fatalf("a value after the part [%d, %d) is below one in it", lo, hi)
				}
				if sh.narrow && hi-lo > n/8 {
					t.Errorf("part [%d, %d) holds %d of %d distinct values", lo, hi, hi-lo, n)
				}
				slices.Sort(x)
				slices.Sort(y)
				if !slices.Equal(x, y) {
					t.Fatal("the values changed, not only their order")
				}
			})
		}
	}
}

// TestPartitionCounts checks the two branch-free passes against counting.
func TestPartitionCounts(t *testing.T) {
	x := []float64{3, 1, 2, 2, 5, 0, 2, 4}
	for _, pivot := range []float64{-1, 0, 2, 2.5, 9} {
		for _, c := range []struct {
			name      string
			partition func([]float64, float64) int
			in        func(v float64) bool
		}{
			{"below", partitionBelow, func(v float64) bool { return v < pivot }},
			{"at most", partitionAtMost, func(v float64) bool { return v <= pivot }},
		} {
			y := slices.Clone(x)
			j := c.partition(y, pivot)
			want := 0
			for _, v := range x {
				if c.in(v) {
					want++
				}
			}
			if j != want {
				t.Errorf("%s %v: %d values in front, want %d", c.name, pivot, j, want)
			}
			for i, v := range y {
				if c.in(v) != (i < j) {
					t.Errorf("%s %v: %v at %d is on the wrong side of %d", c.name, pivot, v, i, j)
				}
			}
		}
	}
}
