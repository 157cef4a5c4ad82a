package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// edgeJ returns a draw's j for strip i outside its rectangle (absInt32(j) >= k_i): |j|
// from k_i to 2^31 (the ends one time in 16 each), either sign.
func edgeJ(r *rand.Rand, i uint64) int32 {
	k := uint64(normalK[i])
	var abs uint64
	switch r.IntN(16) {
	case 0:
		abs = k
	case 1:
		abs = 1 << 31
	default:
		abs = k + r.Uint64N(1<<31-k+1)
	}
	if abs == 1<<31 {
		return math.MinInt32
	}
	if r.IntN(2) == 0 {
		return -int32(abs)
	}
	return int32(abs)
}

// TestWedgeBounds checks that the wedge test's bounds decide as the exp does wherever they
// decide: on the draws outside their strip's rectangle as they come, with the test's y as
// the draw makes it, and in every strip, with y within 2 float32 steps of the exp, which
// the bounds must leave undecided. It also checks that few of the draws' tests are left
// to the exp, which is the point of the bounds.
func TestWedgeBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(i uint64, x float64, y float32) (decided bool) {
		below, decided := wedgeBounds(i, x, y)
		if e := float32(math.Exp(-.5 * x * x)); decided && below != (y < e) {
			t.Fatalf("strip %d, x %v, y %v: bounds say below %v, the exp %v", i, x, y, below, e)
		}
		return decided
	}
	tests, undecided := 0, 0
	for tests < 1_000_000 {
		u := r.Uint64()
		j, i := int32(u), u>>32&0x7F
		if i == 0 || absInt32(j) < normalK[i] {
			continue
		}
		tests++
		if !check(i, float64(j)*float64(normalW[i]), normalF[i]+float32(r.Float64())*(normalF[i-1]-normalF[i])) {
			undecided++
		}
	}
	// About 1 in 200 are left to the exp; 1 in 100 would be 70 standard errors more.
	if undecided == 0 || undecided*100 > tests {
		t.Errorf("%d of %d tests undecided, want some and at most 1 in 100", undecided, tests)
	}
	for i := uint64(1); i < 128; i++ {
		for range 2000 {
			x := float64(edgeJ(r, i)) * float64(normalW[i])
			near := float32(math.Exp(-.5 * x * x))
			near = math.Nextafter32(math.Nextafter32(near, 0), 0)
			for range 5 {
				if check(i, x, near) {
					t.Fatalf("strip %d, x %v: y %v, within 2 steps of the exp, is decided", i, x, near)
				}
				near = math.Nextafter32(near, 2)
			}
		}
	}
}

// TestNormalAfterLane checks the batch draw's branch-free normalAfterLane against
// normalAfter, bit for bit in the draw and the stream's state after it, from random
// states and first numbers outside their strip's rectangle, in every strip and the base
// strip's tail, often enough that the wedge test holds and fails and the draw after a
// failure falls outside its rectangle again.
func TestNormalAfterLane(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var accepted, rejected, again, tails int
	a, b := NewStream(), NewStream()
	for n := 0; n < 200_000; n++ {
		i := r.Uint64N(128)
		u := r.Uint64()&^(1<<39-1) | i<<32 | uint64(uint32(edgeJ(r, i)))
		hi, lo := r.Uint64(), r.Uint64()
		a.pcg.hi, a.pcg.lo = hi, lo
		b.pcg.hi, b.pcg.lo = hi, lo
		got, want := a.normalAfterLane(u), b.normalAfter(u)
		if math.Float64bits(got) != math.Float64bits(want) || *a.pcg != *b.pcg {
			t.Fatalf("u %#x from state %#x %#x: lane %v state %#x, normalAfter %v state %#x", u, hi, lo, got, *a.pcg, want, *b.pcg)
		}
		// How many numbers the draw took: 1 where the wedge test held.
		p, steps := pcg{hi, lo}, 0
		for p != *b.pcg && steps < 100 {
			p.Uint64()
			steps++
		}
		switch {
		case i == 0:
			tails++
		case steps == 1:
			accepted++
		case steps == 2:
			rejected++
		default:
			again++
		}
	}
	if accepted < 1000 || rejected < 1000 || again < 100 || tails < 100 {
		t.Errorf("wedge held %d, failed %d, failed and fell outside again %d, tails %d times: a case too rare to trust", accepted, rejected, again, tails)
	}
}
