//go:build goexperiment.simd && amd64 && !amd64.v3

package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// requireVector stops a test where the CPU cannot run the vector batch methods: in CI that
// is a failure, since the build with GOEXPERIMENT=simd is there to test them.
func requireVector(t *testing.T) {
	t.Helper()
	if !vectorCounting() {
		if os.Getenv("CI") != "" {
			t.Fatal("built with GOEXPERIMENT=simd, but this CPU has no AVX-512: the vector batch methods cannot be tested")
		}
		t.Skip("no AVX-512 on this CPU: the vector batch methods are not tested")
	}
}

// batchesEqual reports whether two batches hold the same bins in the same order and the
// same count of zeros.
func batchesEqual(a, b *batch) bool {
	return slices.Equal(a.pos[:a.np], b.pos[:b.np]) && slices.Equal(a.neg[:a.nn], b.neg[:b.nn]) && a.zero == b.zero
}

func (b *batch) String() string {
	return fmt.Sprintf("pos %v neg %v zero %d", b.pos[:b.np], b.neg[:b.nn], b.zero)
}

// TestClassifyVectorMatchesScalar checks that the vector classify puts every batch of
// 0 to 64 values in the bins the scalar classify puts them in, in the same order, with the
// same count of zeros: on every edge value, in table batches, and in random batches of a
// mixture.
func TestClassifyVectorMatchesScalar(t *testing.T) {
	requireVector(t)
	edges := edgeValues()
	check := func(t *testing.T, xs []float64) {
		t.Helper()
		var want, got batch
		want.classify(xs)
		if !got.classifyVector(xs) {
			t.Fatalf("classifyVector(%v) rejected the batch", xs)
		}
		if !batchesEqual(&got, &want) {
			t.Fatalf("classifyVector(%v):\n got %v\nwant %v", xs, &got, &want)
		}
	}
	for i := 0; i < len(edges); i += 64 {
		check(t, edges[i:min(i+64, len(edges))])
	}
	tests := []struct {
		name string
		xs   []float64
	}{
		{"empty", nil},
		{"one zero", []float64{0}},
		{"negative zero", []float64{math.Copysign(0, -1)}},
		{"minimum indexable and above", []float64{sketchMinIndexable, math.Nextafter(sketchMinIndexable, 1), -sketchMinIndexable, -math.Nextafter(sketchMinIndexable, 1)}},
		{"maximum indexable", []float64{sketchMaxIndexable, -sketchMaxIndexable, 1, -1}},
		{"signs alternate", []float64{1, -1, 2, -2, 3, -3, 4, -4, 5, -5}},
		{"all negative, nine", []float64{-1e-3, -1e-2, -1e-1, -1, -10, -100, -1e3, -1e4, -1e5}},
		{"subnormals and zeros", []float64{5e-324, -5e-324, 1e-310, 0, math.Copysign(0, -1), 0x1p-1022, 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.xs) })
	}
	r := rand.New(rand.NewPCG(11, 12))
	for round := 0; round < 6000; round++ {
		xs := make([]float64, round%(counterBatch+1))
		for i := range xs {
			xs[i] = randomValue(r, edges)
		}
		check(t, xs)
	}
}

// counterCounts returns the count of every bin of c from lo to hi, by sign, and its zeros.
func counterCounts(c *SketchCounter, lo, hi int) (pos, neg []int32, zero int64) {
	for i := lo; i <= hi; i++ {
		pos = append(pos, c.pos.count(i))
		neg = append(neg, c.neg.count(i))
	}
	return pos, neg, c.zero
}

// TestVectorCounterMatchesScalar feeds 100,000 values of a seeded mixture, in slices of
// 0 to 200 values, through AddAll to a base counter and to a counter of 30,000 other
// values that shares it, once with the scalar batch methods and once with the vector ones,
// and checks that every bin holds the same count, that the sketches AddTo makes (alone and
// with the base) are the same bytes, and that the vector counter with its base gives the
// sketch of both counters' values.
func TestVectorCounterMatchesScalar(t *testing.T) {
	requireVector(t)
	edges := edgeValues()
	r := rand.New(rand.NewPCG(13, 14))
	xs, ys := make([]float64, 100_000), make([]float64, 30_000)
	for _, vs := range [][]float64{xs, ys} {
		for i := range vs {
			vs[i] = randomValue(r, edges)
		}
	}
	var scalarBase, vectorBase, scalarOwn, vectorOwn SketchCounter
	for _, c := range []struct {
		vs             []float64
		scalar, vector *SketchCounter
	}{{xs, &scalarBase, &vectorBase}, {ys, &scalarOwn, &vectorOwn}} {
		for i := 0; i < len(c.vs); {
			m := min(r.IntN(201), len(c.vs)-i)
			c.scalar.addAllScalar(c.vs[i : i+m])
			c.vector.addAllVector(c.vs[i : i+m])
			i += m
		}
	}
	lo, hi := sketchMapping.Index(math.Nextafter(sketchMinIndexable, 1)), sketchMapping.Index(sketchMaxIndexable)
	for _, c := range []struct {
		name           string
		scalar, vector *SketchCounter
		base           [2]*SketchCounter
	}{
		{"AddAll", &scalarBase, &vectorBase, [2]*SketchCounter{nil, nil}},
		{"AddAll with a base", &scalarOwn, &vectorOwn, [2]*SketchCounter{&scalarBase, &vectorBase}},
	} {
		sp, sn, sz := counterCounts(c.scalar, lo, hi)
		vp, vn, vz := counterCounts(c.vector, lo, hi)
		if !slices.Equal(sp, vp) || !slices.Equal(sn, vn) || sz != vz {
			t.Errorf("%s: the vector counter's bins differ from the scalar one's (zeros %d and %d)", c.name, vz, sz)
		}
		want, got := NewSketch(), NewSketch()
		c.scalar.AddTo(c.base[0], want)
		c.vector.AddTo(c.base[1], got)
		if want.Count() == 0 || string(got.AppendBinary(nil)) != string(want.AppendBinary(nil)) {
			t.Errorf("%s: the vector counter's sketch (count %v) differs from the scalar one's (count %v)", c.name, got.Count(), want.Count())
		}
	}
	direct, counted := NewSketch(), NewSketch()
	for _, x := range slices.Concat(xs, ys) {
		direct.Add(x)
	}
	vectorOwn.AddTo(&vectorBase, counted)
	if string(direct.AppendBinary(nil)) != string(counted.AppendBinary(nil)) {
		t.Error("the vector counter with its base is not the sketch of both counters' values")
	}
}

// TestVectorCounterRejects checks that NaN, infinities and values beyond the sketch's range
// panic in the vector batch methods with the scalar code's message, wherever they sit in a
// batch.
func TestVectorCounterRejects(t *testing.T) {
	requireVector(t)
	panicOf := func(f func()) (msg any) {
		defer func() { msg = recover() }()
		f()
		return nil
	}
	beyond := math.Nextafter(sketchMaxIndexable, math.Inf(1))
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), beyond, -beyond, math.MaxFloat64} {
		for _, n := range []int{1, 7, 8, 9, 64, 65, 130} {
			for _, at := range []int{0, n / 2, n - 1} {
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = float64(i) - 3
				}
				xs[at] = bad
				name := fmt.Sprintf("%v at %d of %d", bad, at, n)
				var s, v SketchCounter
				want := panicOf(func() { s.addAllScalar(xs) })
				if got := panicOf(func() { v.addAllVector(xs) }); want == nil || got != want {
					t.Errorf("AddAll, %s: panic %v, want %v", name, got, want)
				}
			}
		}
	}
}
