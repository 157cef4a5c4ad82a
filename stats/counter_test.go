package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSketchIndexMatchesMapping checks the inlined index against the library's mapping on
// values across the whole range and on both sides of every bin boundary in six decades.
func TestSketchIndexMatchesMapping(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(x float64) {
		t.Helper()
		if got, want := sketchIndex(x), sketchMapping.Index(x); got != want {
			t.Fatalf("sketchIndex(%v) = %d, the mapping says %d", x, got, want)
		}
	}
	for i := 0; i < 1_000_000; i++ {
		check(math.Exp(r.Float64()*1400 - 700)) // e^-700 .. e^700
		check(r.Float64() * 1000)
	}
	for idx := sketchMapping.Index(1e-3); idx <= sketchMapping.Index(1e3); idx++ {
		b := sketchMapping.LowerBound(idx)
		for _, x := range []float64{math.Nextafter(b, 0), b, math.Nextafter(b, math.Inf(1))} {
			check(x)
		}
	}
	for _, x := range []float64{sketchMinIndexable, sketchMaxIndexable, 1, 2, 0.5, 1e-300, 1e300} {
		check(x)
	}
}

// TestSketchCounterEqualsSketch checks that values counted then flushed give the sketch
// they would have made added one by one, across flushes, signs, zeros and growth in both
// directions.
func TestSketchCounterEqualsSketch(t *testing.T) {
	tests := []struct {
		name string
		draw func(r *rand.Rand) float64
	}{
		{"spread", func(r *rand.Rand) float64 { return r.NormFloat64() * 100 }},
		{"decades", func(r *rand.Rand) float64 { return math.Exp(r.Float64()*30 - 15) }},
		{"zeros and a point mass", func(r *rand.Rand) float64 { return []float64{0, 0, 7.5, -1e-301, r.ExpFloat64()}[r.IntN(5)] }},
		{"descending", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 6))
			want, got := NewSketch(), NewSketch()
			var c SketchCounter
			for flush := 0; flush < 3; flush++ {
				xs := make([]float64, 5000)
				for i := range xs {
					if tc.draw == nil {
						xs[i] = 1e6 / float64(i+1+flush*5000)
					} else {
						xs[i] = tc.draw(r)
					}
					want.Add(xs[i])
				}
				c.AddAll(xs)
				c.AddTo(nil, got)
				c.Reset()
			}
			a, b := want.AppendBinary(nil), got.AppendBinary(nil)
			if want.Count() != got.Count() || string(a) != string(b) {
				t.Fatalf("counted sketch differs: count %v vs %v, encodings equal %v", got.Count(), want.Count(), string(a) == string(b))
			}
			for _, p := range []float64{0, 0.01, 0.25, 0.5, 0.75, 0.99, 1} {
				if g, w := got.Quantile(p), want.Quantile(p); g != w {
					t.Errorf("quantile %v: %v, want %v", p, g, w)
				}
			}
		})
	}
}

// TestSketchCounterSharedBase checks that counters sharing one base, the way a run's
// tally counts a value all policies have on a path once, give through AddTo each group's
// sketch, of its own values and the shared ones, and leave the base's own sketch as it
// was: across flushes, for groups that share few, most, all or none of their values, with
// signs and zeros.
func TestSketchCounterSharedBase(t *testing.T) {
	tests := []struct {
		name  string
		share float64 // probability that a value is the same in every group
		draw  func(r *rand.Rand) float64
	}{
		{"few shared", 0.05, func(r *rand.Rand) float64 { return r.ExpFloat64() * 50 }},
		{"most shared", 0.7, func(r *rand.Rand) float64 { return r.NormFloat64() * 10 }},
		{"signs and zeros", 0.5, func(r *rand.Rand) float64 { return []float64{0, -3, 3, r.NormFloat64()}[r.IntN(4)] }},
		{"all shared", 1, func(r *rand.Rand) float64 { return math.Exp(r.Float64()*20 - 10) }},
		{"none shared", 0, func(r *rand.Rand) float64 { return math.Exp(r.Float64()*20 - 10) }},
	}
	const groups = 3
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, 8))
			var shared SketchCounter
			var own [groups]SketchCounter
			var want, got [groups]*Sketch
			for g := range groups {
				want[g], got[g] = NewSketch(), NewSketch()
			}
			wantShared, gotShared := NewSketch(), NewSketch()
			for flush := 0; flush < 3; flush++ {
				var agreed []float64
				var mine [groups][]float64
				for range 3000 {
					if r.Float64() < tc.share {
						x := tc.draw(r)
						agreed = append(agreed, x)
						wantShared.Add(x)
						for g := range groups {
							want[g].Add(x)
						}
						continue
					}
					for g := range groups {
						x := tc.draw(r)
						mine[g] = append(mine[g], x)
						want[g].Add(x)
					}
				}
				shared.AddAll(agreed)
				for g := range groups {
					own[g].AddAll(mine[g])
					own[g].AddTo(&shared, got[g])
					own[g].Reset()
				}
				shared.AddTo(nil, gotShared)
				shared.Reset()
			}
			for g := range groups {
				if string(got[g].AppendBinary(nil)) != string(want[g].AppendBinary(nil)) {
					t.Errorf("group %d: the sketch differs from the sketch of its values (counts %v and %v)", g, got[g].Count(), want[g].Count())
				}
			}
			if string(gotShared.AppendBinary(nil)) != string(wantShared.AppendBinary(nil)) {
				t.Errorf("the shared counter's own sketch differs from the sketch of its values (counts %v and %v)", gotShared.Count(), wantShared.Count())
			}
		})
	}
}

func TestSketchCounterRejects(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Add(%v) did not panic", x)
				}
			}()
			var c SketchCounter
			c.Add(x)
		}()
	}
}

// BenchmarkSketchCounterAdd measures one staged insertion, to set against BenchmarkSketchAdd.
func BenchmarkSketchCounterAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = r.ExpFloat64()*30 - 5
	}
	var c SketchCounter
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Add(xs[i&4095])
	}
}

// BenchmarkSketchCounterAddAll measures staged insertion in batches of 64 values, per
// value.
func BenchmarkSketchCounterAddAll(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = r.ExpFloat64() * 30
	}
	var c SketchCounter
	for i := 0; i < b.N; i += 64 {
		j := i & 4095
		c.AddAll(xs[j : j+64])
	}
}

// TestSketchCounterAddToAndReset checks that AddTo leaves both counters as they were (so
// it can be called for several groups that share a base), and that a sketch reset and
// reused for a second group holds only that group's values.
func TestSketchCounterAddToAndReset(t *testing.T) {
	var base, five, two SketchCounter
	base.AddAll([]float64{1, 3, 0})
	five.AddAll([]float64{5})
	two.AddAll([]float64{2})
	scratch := NewSketch()
	for round := 0; round < 2; round++ {
		for _, g := range []struct {
			own  *SketchCounter
			want *Sketch
		}{{&five, sketchOf(1, 5, 3, 0)}, {&two, sketchOf(1, 2, 3, 0)}} {
			g.own.AddTo(&base, scratch)
			if string(scratch.AppendBinary(nil)) != string(g.want.AppendBinary(nil)) {
				t.Fatalf("round %d: a group's sketch differs from the sketch of its values and the base's", round)
			}
			scratch.Reset()
		}
	}
	base.AddTo(nil, scratch)
	want := sketchOf(1, 3, 0)
	if string(scratch.AppendBinary(nil)) != string(want.AppendBinary(nil)) || scratch.Count() != 3 {
		t.Fatalf("base group's sketch after reuse: count %v", scratch.Count())
	}
	// A far-away value in the reused sketch's old range does not widen a merge target.
	scratch.Reset()
	scratch.Add(1e6)
	scratch.Reset()
	scratch.Add(1)
	target := NewSketch()
	target.Merge(scratch)
	if lo, hi := target.pos.nonzero(); hi-lo != 1 || len(target.pos.counts) != 1 {
		t.Errorf("merging a reused sketch widened the target to %d bins", len(target.pos.counts))
	}
	base.Reset()
	empty := NewSketch()
	base.AddTo(nil, empty)
	if empty.Count() != 0 {
		t.Errorf("a reset counter still holds %v values", empty.Count())
	}
}

// sketchOf returns a Sketch of xs, each added in turn.
func sketchOf(xs ...float64) *Sketch {
	s := NewSketch()
	for _, x := range xs {
		s.Add(x)
	}
	return s
}

// TestSketchCounterCarries checks the 8-bit counts' carry into 32-bit ones: bins holding
// far more than 2^8 (and 2^15) values, in a base and in a counter that shares it, give exactly the
// sketch of their values, whether the values come one at a time (Add) or in batches
// (AddAll), across growth after a carry, and after a reset.
func TestSketchCounterCarries(t *testing.T) {
	tests := []struct {
		name  string
		n     int                        // values per round
		draw  func(r *rand.Rand) float64 // the base values
		batch int                        // values per AddAll call; 0: Add one by one
	}{
		{"one bin, one by one", 100_000, func(*rand.Rand) float64 { return 7.5 }, 0},
		{"one bin, batches", 100_000, func(*rand.Rand) float64 { return -7.5 }, 64},
		{"two bins and zeros, odd batches", 120_000, func(r *rand.Rand) float64 { return []float64{1, -1, 0}[r.IntN(3)] }, 37},
		{"growing after carries", 80_000, func(r *rand.Rand) float64 { return math.Exp(float64(r.IntN(200)) / 10) }, 64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			var base, own SketchCounter
			for round := range 2 {
				xs, ys := make([]float64, tc.n), make([]float64, tc.n)
				wantX, wantXY := NewSketch(), NewSketch()
				for i := range xs {
					xs[i] = tc.draw(r)
					// Most of the own values fall in one bin, which counts past 2^15 too.
					ys[i] = tc.draw(r)
					if i%8 != 0 {
						ys[i] = 3 * float64(round+1)
					}
					wantX.Add(xs[i])
					wantXY.Add(xs[i])
					wantXY.Add(ys[i])
				}
				if tc.batch == 0 {
					for i := range xs {
						base.Add(xs[i])
						own.Add(ys[i])
					}
				} else {
					for i := 0; i < len(xs); i += tc.batch {
						base.AddAll(xs[i:min(i+tc.batch, len(xs))])
						own.AddAll(ys[i:min(i+tc.batch, len(ys))])
					}
				}
				gotX, gotXY := NewSketch(), NewSketch()
				base.AddTo(nil, gotX)
				own.AddTo(&base, gotXY)
				if string(gotX.AppendBinary(nil)) != string(wantX.AppendBinary(nil)) {
					t.Fatalf("round %d: the base sketch differs from the sketch of its values (counts %v and %v)", round, gotX.Count(), wantX.Count())
				}
				if string(gotXY.AppendBinary(nil)) != string(wantXY.AppendBinary(nil)) {
					t.Fatalf("round %d: the sketch of a counter with its base differs from the sketch of their values (counts %v and %v)", round, gotXY.Count(), wantXY.Count())
				}
				for _, c := range []struct {
					name string
					c    *SketchCounter
				}{{"base", &base}, {"own", &own}} {
					if c.c.pos.carried == nil && c.c.neg.carried == nil {
						t.Fatalf("round %d: %d values of the %s counter in few bins did not carry", round, tc.n, c.name)
					}
				}
				base.Reset()
				own.Reset()
			}
		})
	}
}
