package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMomentsBinaryRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 1000} {
		var m Moments
		for i := 0; i < n; i++ {
			m.Add(r.NormFloat64() * 1e3)
		}
		b := m.AppendBinary([]byte("prefix"))
		got, rest, err := DecodeMoments(b[len("prefix"):])
		if err != nil || len(rest) != 0 {
			t.Fatalf("n=%d: %v, %d bytes left", n, err, len(rest))
		}
		if got != m {
			t.Fatalf("n=%d: decoded %+v, want %+v", n, got, m)
		}
		if _, _, err := DecodeMoments(b[len("prefix") : len(b)-1]); err == nil {
			t.Fatalf("n=%d: a truncated encoding decoded", n)
		}
	}
}

// TestPairedAccumulatorMergeAndBinary checks that accumulating two halves and merging
// gives the whole's effect, and that the encoding round-trips exactly.
func TestPairedAccumulatorMergeAndBinary(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var whole, first, second PairedAccumulator
	for i := 0; i < 2000; i++ {
		common := r.NormFloat64()
		a, b := common+0.3*r.NormFloat64(), common+0.1+0.3*r.NormFloat64()
		whole.Add(a, b)
		if i < 700 {
			first.Add(a, b)
		} else {
			second.Add(a, b)
		}
	}
	first.Merge(second)
	if first.Below != whole.Below || first.Above != whole.Above || first.D.N() != 2000 {
		t.Fatalf("merged counts %+v, want %+v", first, whole)
	}
	we, _ := whole.Effect(0.95)
	me, _ := first.Effect(0.95)
	if rel := (me.Diff.Estimate - we.Diff.Estimate) / we.Diff.Estimate; rel > 1e-12 || rel < -1e-12 {
		t.Fatalf("merged mean difference %v, whole %v", me.Diff.Estimate, we.Diff.Estimate)
	}
	dec, rest, err := DecodePairedAccumulator(whole.AppendBinary(nil))
	if err != nil || len(rest) != 0 || dec != whole {
		t.Fatalf("round trip: %+v, %v, %d bytes left", dec, err, len(rest))
	}
	if _, err := (PairedAccumulator{}).Effect(0.95); err == nil {
		t.Fatal("an empty accumulator gave an effect")
	}
}

// TestPairedAccumulatorAddDifference checks that AddDifference, with A and B set afterwards
// from moments of the same values added in the same order, gives what Add gives, bit for
// bit, on values with ties, both signs and wide magnitudes.
func TestPairedAccumulatorAddDifference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{0, 1, 2, 7, 1000} {
		var want, got PairedAccumulator
		var a, b Moments
		for range n {
			x := math.Round(r.NormFloat64()*4) * math.Pow(10, float64(r.IntN(6)))
			y := x
			if r.IntN(3) > 0 {
				y = r.NormFloat64() * 50
			}
			want.Add(x, y)
			got.AddDifference(x, y)
			a.Add(x)
			b.Add(y)
		}
		got.A, got.B = a, b
		if string(got.AppendBinary(nil)) != string(want.AppendBinary(nil)) {
			t.Errorf("%d paths: AddDifference with copied moments %+v, Add %+v", n, got, want)
		}
	}
}
