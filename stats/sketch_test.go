package stats

import (
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

func draws(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0))
	x := make([]float64, n)
	for i := range x {
		// A basis-like mixture: negative values, an atom at zero, a long right tail.
		switch r.IntN(10) {
		case 0:
			x[i] = -10 * r.Float64()
		case 1:
			x[i] = 0
		default:
			x[i] = math.Exp(3 + 1.5*r.NormFloat64())
		}
	}
	return x
}

// TestSketchRelativeAccuracy checks the DDSketch guarantee: the reported p-quantile is
// within SketchAccuracy (relative) of an exact order statistic bracketing rank p (n-1).
// (On negative values DDSketch resolves a fractional rank upward, on positive values
// downward.)
func TestSketchRelativeAccuracy(t *testing.T) {
	x := draws(50_000, 1)
	s := NewSketch()
	for _, v := range x {
		s.Add(v)
	}
	sort.Float64s(x)
	for _, p := range []float64{0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.95, 0.99, 1} {
		rank := p * float64(len(x)-1)
		lo, hi := x[int(math.Floor(rank))], x[int(math.Ceil(rank))]
		got := s.Quantile(p)
		tol := SketchAccuracy*math.Max(math.Abs(lo), math.Abs(hi)) + 1e-12
		if got < lo-tol || got > hi+tol {
			t.Errorf("p=%v: sketch %v, exact order statistics [%v, %v], tolerance %v", p, got, lo, hi, tol)
		}
	}
	if s.Count() != 50_000 {
		t.Errorf("count %v", s.Count())
	}
}

// TestSketchMergeIsOrderFree splits the same values across sketches in different ways and
// merge orders and requires identical quantiles.
func TestSketchMergeIsOrderFree(t *testing.T) {
	x := draws(20_000, 2)
	whole := NewSketch()
	for _, v := range x {
		whole.Add(v)
	}
	parts := make([]*Sketch, 7)
	for i := range parts {
		parts[i] = NewSketch()
	}
	for i, v := range x {
		parts[(i*31)%7].Add(v)
	}
	merged := NewSketch()
	for i := len(parts) - 1; i >= 0; i-- {
		merged.Merge(parts[i])
	}
	for p := 0.0; p <= 1; p += 0.01 {
		if a, b := whole.Quantile(p), merged.Quantile(p); a != b {
			t.Fatalf("p=%v: one sketch %v, merged parts %v", p, a, b)
		}
	}
}

func TestDistributionsRoundTrip(t *testing.T) {
	d := NewDistributions(4)
	for g := 0; g < 4; g++ {
		for _, v := range draws(1000, uint64(g)) {
			d.Sketches[g].Add(v)
			d.Sums[g] += v
			d.Counts[g]++
		}
	}
	enc := d.AppendBinary([]byte("prefix"))[len("prefix"):]
	back, rest, err := DecodeDistributions(append(enc, 42))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rest, []byte{42}) || !reflect.DeepEqual(back.Sums, d.Sums) || !reflect.DeepEqual(back.Counts, d.Counts) {
		t.Fatal("round trip changed sums, counts or the rest of the buffer")
	}
	for g := range d.Sketches {
		for p := 0.0; p <= 1; p += 0.05 {
			if a, b := d.Sketches[g].Quantile(p), back.Sketches[g].Quantile(p); a != b {
				t.Fatalf("group %d p=%v: %v before, %v after", g, p, a, b)
			}
		}
	}
	if _, _, err := DecodeDistributions(enc[:len(enc)/2]); err == nil {
		t.Fatal("a truncated encoding decoded without error")
	}
}

func TestEmptySketchIsNaN(t *testing.T) {
	if q := NewSketch().Quantile(0.5); !math.IsNaN(q) {
		t.Fatalf("empty sketch median %v", q)
	}
	if m := NewDistributions(1).Mean(0); !math.IsNaN(m) {
		t.Fatalf("empty mean %v", m)
	}
}

// TestSketchQuantileIntervalCoverage checks the sketch's quantile interval covers the true
// median and 95th percentile of an exponential in 93-97% of 1,000 seeded replications
// (widened only by the sketch's relative accuracy, which is negligible at these ranks).
func TestSketchQuantileIntervalCoverage(t *testing.T) {
	const reps, n = 1000, 1000
	for _, p := range []float64{0.5, 0.95} {
		truth := -math.Log(1 - p)
		covered := 0
		for r := 0; r < reps; r++ {
			rng := rand.New(rand.NewPCG(uint64(r), 99))
			s := NewSketch()
			for i := 0; i < n; i++ {
				s.Add(rng.ExpFloat64())
			}
			iv := s.QuantileInterval(p, 0.95)
			tol := SketchAccuracy * truth
			if iv.Lo-tol <= truth && truth <= iv.Hi+tol {
				covered++
			}
		}
		if share := float64(covered) / reps; share < 0.93 || share > 0.97 {
			t.Errorf("p=%v: interval covered the truth in %.1f%% of replications, want 93-97%%", p, 100*share)
		}
	}
}

// TestSketchMatchesDDSketch checks Sketch against the library whose bins and quantile rule
// it follows (DDSketch with dense stores on the same mapping): every quantile agrees
// exactly, for values of either sign with zeros, built in pieces, merged and sent through
// an encoding round trip.
func TestSketchMatchesDDSketch(t *testing.T) {
	tests := []struct {
		name string
		draw func(r *rand.Rand) float64
	}{
		{"positive spread", func(r *rand.Rand) float64 { return r.ExpFloat64() * 40 }},
		{"both signs", func(r *rand.Rand) float64 { return r.NormFloat64() * 10 }},
		{"zeros and point masses", func(r *rand.Rand) float64 { return []float64{0, 0, 3, -2, 1e-310, r.ExpFloat64()}[r.IntN(6)] }},
		{"decades", func(r *rand.Rand) float64 { return math.Exp(r.Float64()*40 - 20) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			want := ddsketch.NewDDSketch(sketchMapping, store.NewDenseStore(), store.NewDenseStore())
			got := NewSketch()
			for piece := 0; piece < 4; piece++ {
				part := NewSketch()
				var c SketchCounter
				for i := 0; i < 2500; i++ {
					x := tc.draw(r)
					if err := want.Add(x); err != nil {
						t.Fatal(err)
					}
					if i%2 == 0 {
						part.Add(x)
					} else {
						c.Add(x)
					}
				}
				c.AddTo(nil, part)
				enc := part.AppendBinary(nil)
				dec, rest, err := DecodeSketch(append(enc, 7))
				if err != nil || len(rest) != 1 || rest[0] != 7 {
					t.Fatalf("round trip: %v, rest %v", err, rest)
				}
				got.Merge(dec)
			}
			if got.Count() != want.GetCount() {
				t.Fatalf("count %v, DDSketch %v", got.Count(), want.GetCount())
			}
			for p := 0.0; p <= 1; p += 0.001 {
				w, err := want.GetValueAtQuantile(p)
				if err != nil {
					t.Fatal(err)
				}
				if g := got.Quantile(p); g != w {
					t.Fatalf("quantile %v: %v, DDSketch %v", p, g, w)
				}
			}
		})
	}
	if !math.IsNaN(NewSketch().Quantile(0.5)) || !math.IsNaN(sketchOfOne().Quantile(1.5)) {
		t.Error("an empty sketch, or a probability outside [0, 1], should give NaN")
	}
}

// sketchOfOne returns a sketch holding the value 1.
func sketchOfOne() *Sketch {
	s := NewSketch()
	s.Add(1)
	return s
}

// TestSketchReuseWidensInPlace reuses one sketch, Reset between uses, for sets of values
// that widen its bins below and above in turn (as a fold's scratch sketch and the running
// totals do): each use must encode and answer exactly as a new sketch of the same values,
// and once the sketch has room, widening must not allocate.
func TestSketchReuseWidensInPlace(t *testing.T) {
	sets := [][]float64{
		{5, 6, 7},
		{1, 2, 3, 50},        // below and above the first set's bins
		{0.5, 400, -3, -300}, // wider again, both signs
		{9, 10},
		{0.01, 1e4, -1e-3, -1e5},
	}
	reused := NewSketch()
	for i, set := range sets {
		reused.Reset()
		fresh := NewSketch()
		for _, x := range set {
			reused.Add(x)
			fresh.Add(x)
		}
		if got, want := reused.AppendBinary(nil), fresh.AppendBinary(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("set %d: reused sketch encodes as %x, a new one %x", i, got, want)
		}
		for p := 0.0; p <= 1; p += 0.05 {
			if a, b := reused.Quantile(p), fresh.Quantile(p); a != b {
				t.Errorf("set %d, p=%v: reused sketch %v, new one %v", i, p, a, b)
			}
		}
	}
	// The widest set last: the bins it needs are all there now.
	widest := sets[len(sets)-1]
	if n := testing.AllocsPerRun(10, func() {
		reused.Reset()
		for _, x := range sets[0] {
			reused.Add(x)
		}
		for _, x := range widest { // widens below and above in place
			reused.Add(x)
		}
	}); n != 0 {
		t.Errorf("widening a reused sketch within its capacity allocated %v times", n)
	}
}

// TestSketchMergeWidensInPlace merges sketches that widen the target's bins below and
// above, and checks the target against a sketch of all the values added one by one.
func TestSketchMergeWidensInPlace(t *testing.T) {
	x := draws(5_000, 3)
	target, whole := NewSketch(), NewSketch()
	// Sorted by magnitude from the middle out, so each merge widens the target both ways.
	sort.Float64s(x)
	for lo, hi := len(x)/2, len(x)/2; lo > 0 || hi < len(x); {
		part := NewSketch()
		for k := 0; k < 50 && lo > 0; k++ {
			lo--
			part.Add(x[lo])
			whole.Add(x[lo])
		}
		for k := 0; k < 50 && hi < len(x); k++ {
			part.Add(x[hi])
			whole.Add(x[hi])
			hi++
		}
		target.Merge(part)
	}
	if got, want := target.AppendBinary(nil), whole.AppendBinary(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("merged sketch encodes differently from one of all the values")
	}
}

// TestSketchQuantiles checks Quantiles against Quantile, quantile by quantile, on sketches
// of negative values, zeros and positive values in every mix, empty and single-valued
// ones included, with probabilities at and between the ends, repeated, and out of range.
func TestSketchQuantiles(t *testing.T) {
	ps := []float64{-0.1, 0, 0.001, 0.05, 0.25, 0.25, 0.5, 0.75, 0.95, 0.999, 1, math.NaN()}
	sets := map[string][]float64{
		"empty":    nil,
		"one":      {3},
		"negative": {-1, -2, -30, -0.5},
		"zeros":    {0, 0, 0},
		"mixed":    draws(2_000, 9),
		"sparse":   {-1e5, -1e-3, 0, 1e-3, 1e5},
	}
	for name, xs := range sets {
		sk := NewSketch()
		for _, x := range xs {
			sk.Add(x)
		}
		// Quantiles takes ascending probabilities: the out-of-range ones are answered
		// wherever they are, NaN.
		got := make([]float64, len(ps))
		sk.Quantiles(ps, got)
		for i, p := range ps {
			want := sk.Quantile(p)
			if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
				t.Errorf("%s: Quantiles gives %v at p=%v, Quantile %v", name, got[i], p, want)
			}
		}
	}
	sk := NewSketch()
	for _, x := range draws(1_000, 4) {
		sk.Add(x)
	}
	five, out := []float64{0.05, 0.25, 0.5, 0.75, 0.95}, make([]float64, 5)
	if n := testing.AllocsPerRun(10, func() { sk.Quantiles(five, out) }); n != 0 {
		t.Errorf("five quantiles allocated %v times", n)
	}
}

// TestSketchQuantileIntervals checks QuantileIntervals against QuantileInterval, interval
// by interval, on the sketches of TestSketchQuantiles' kinds, with probabilities in any
// order, at two levels.
func TestSketchQuantileIntervals(t *testing.T) {
	ps := []float64{0.95, 0.05, 0.5, 0.001, 0.25, 0.75, 0.5, 0.999}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	for name, xs := range map[string][]float64{
		"empty": nil, "one": {3}, "two": {3, 4}, "negative": {-1, -2, -30, -0.5},
		"zeros": {0, 0, 0}, "mixed": draws(3_000, 11), "sparse": {-1e5, -1e-3, 0, 1e-3, 1e5},
	} {
		sk := NewSketch()
		for _, x := range xs {
			sk.Add(x)
		}
		for _, level := range []float64{0.95, 0.9545} {
			got := make([]Interval, len(ps))
			sk.QuantileIntervals(ps, level, got)
			for i, p := range ps {
				want := sk.QuantileInterval(p, level)
				if !same(got[i].Estimate, want.Estimate) || !same(got[i].Lo, want.Lo) || !same(got[i].Hi, want.Hi) || got[i].Level != want.Level {
					t.Errorf("%s, level %v, p=%v: QuantileIntervals gives %+v, QuantileInterval %+v", name, level, p, got[i], want)
				}
			}
		}
	}
	sk := NewSketch()
	for _, x := range draws(1_000, 4) {
		sk.Add(x)
	}
	five, out := []float64{0.05, 0.25, 0.5, 0.75, 0.95}, make([]Interval, 5)
	if n := testing.AllocsPerRun(10, func() { sk.QuantileIntervals(five, 0.95, out) }); n != 0 {
		t.Errorf("five intervals allocated %v times", n)
	}
}

// TestKeysAtRanks checks the one-pass search against keyAtRank on random bins (runs of
// zeros, blocks of eight and their ends included) and random ascending ranks, some beyond
// every bin and some negative.
func TestKeysAtRanks(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 0))
	for trial := range 500 {
		d := denseTotals{offset: r.IntN(200) - 100, counts: make([]int64, r.IntN(40))}
		for i := range d.counts {
			if r.IntN(3) == 0 {
				d.counts[i] = int64(r.IntN(5))
			}
			d.total += d.counts[i]
		}
		ranks := make([]float64, r.IntN(12))
		for i := range ranks {
			ranks[i] = float64(r.IntN(int(d.total)+4)-2) + []float64{0, 0.5, -0.25}[r.IntN(3)]
		}
		sort.Float64s(ranks)
		keys := make([]int, len(ranks))
		d.keysAtRanks(ranks, keys)
		for i, rank := range ranks {
			if want := d.keyAtRank(rank); keys[i] != want {
				t.Fatalf("trial %d: counts %v, rank %v: key %d, keyAtRank %d", trial, d.counts, rank, keys[i], want)
			}
		}
	}
}
