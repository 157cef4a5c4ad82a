package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowMomentsEqualsAdd checks RowMoments, and its scalar and vector forms each, against
// Moments.Add of every value in turn, bit for bit, for widths around the vectors' 8 and
// rows from none to thousands, with zeros, signed zeros, tiny and huge values mixed in.
func TestRowMomentsEqualsAdd(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), 1e300, -1e-300, 5e-324, 3, -2.5e15}
	forms := []struct {
		name string
		add  func(mean, m2, row []float64, n float64)
	}{{"Add", nil}, {"scalar", addRowScalar}}
	if vectorCounting() { // the vector form itself, where the CPU has it
		forms = append(forms, struct {
			name string
			add  func(mean, m2, row []float64, n float64)
		}{"vector", addRowVector})
	}
	for _, form := range forms {
		for _, width := range []int{1, 7, 8, 9, 12, 16, 18, 25} {
			for _, rows := range []int{0, 1, 2, 1000, 4099} {
				t.Run(fmt.Sprintf("%s/%d wide/%d rows", form.name, width, rows), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(width), uint64(rows)))
					r := NewRowMoments(width)
					want := make([]Moments, width)
					row := make([]float64, width)
					for range rows {
						for i := range row {
							row[i] = rng.NormFloat64() * float64(i+1) * 100
							if rng.IntN(5) == 0 {
								row[i] = special[rng.IntN(len(special))]
							}
							want[i].Add(row[i])
						}
						if form.add == nil {
							r.Add(row)
						} else {
							r.n++
							form.add(r.mean, r.m2, row, float64(r.n))
						}
					}
					if r.Width() != width {
						t.Fatalf("Width() = %d, want %d", r.Width(), width)
					}
					for i := range want {
						got := r.Moments(i)
						if got.n != want[i].n || math.Float64bits(got.mean) != math.Float64bits(want[i].mean) || math.Float64bits(got.m2) != math.Float64bits(want[i].m2) {
							t.Errorf("quantity %d: got %+v, Add gives %+v", i, got, want[i])
						}
					}
					for i := width; i < len(r.mean); i++ {
						if r.mean[i] != 0 || r.m2[i] != 0 || math.Signbit(r.mean[i]) {
							t.Errorf("padding %d changed: mean %v, m2 %v", i, r.mean[i], r.m2[i])
						}
					}
				})
			}
		}
	}
}

// TestRowMomentsRejectsMisuse checks that a row of the wrong length and a quantity out of
// range are programmer errors that panic, not silent misreadings.
func TestRowMomentsRejectsMisuse(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(r *RowMoments)
	}{
		{"short row", func(r *RowMoments) { r.Add(make([]float64, 2)) }},
		{"long row", func(r *RowMoments) { r.Add(make([]float64, 4)) }},
		{"quantity -1", func(r *RowMoments) { r.Moments(-1) }},
		{"quantity 3", func(r *RowMoments) { r.Moments(3) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", c.name)
				}
			}()
			c.f(NewRowMoments(3))
		})
	}
}

func ExampleRowMoments() {
	// Two paths' metrics: peak basis (bp) and forced sales ($bn).
	r := NewRowMoments(2)
	r.Add([]float64{80, 250})
	r.Add([]float64{20, 50})
	for i, name := range []string{"peak basis", "forced sales"} {
		m := r.Moments(i)
		fmt.Printf("%s: mean %.0f, sd %.1f over %d paths\n", name, m.Mean(), math.Sqrt(m.Variance()), m.N())
	}
	// Output:
	// peak basis: mean 50, sd 42.4 over 2 paths
	// forced sales: mean 150, sd 141.4 over 2 paths
}
