package stats

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// decodeBin returns a bin code's class and bin index.
func decodeBin(code int32) (class int32, index int) {
	return code & classMask, int(code >> classBits)
}

// wantBin is what a value's code must say, from the library's mapping: its class (by sign,
// or zero) and its bin; ok false for NaN and values beyond the sketch's range.
func wantBin(x float64) (class int32, index int, ok bool) {
	a := math.Abs(x)
	switch {
	case math.IsNaN(x) || a > sketchMaxIndexable:
		return 0, 0, false
	case a <= sketchMinIndexable:
		return zeroClass, 0, true
	case x < 0:
		return negClass, sketchMapping.Index(a), true
	default:
		return posClass, sketchMapping.Index(a), true
	}
}

// TestBinCode checks BinCode against the library's mapping: the codes of 1, -1 and zeros
// as the format states them, the sign and zero classes, bins at both ends of the range and
// on both sides of bin boundaries, and NaN, infinities and values just beyond the range
// refused.
func TestBinCode(t *testing.T) {
	up, down := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }, func(x float64) float64 { return math.Nextafter(x, 0) }
	for _, tc := range []struct {
		x    float64
		code int32 // checked where not -1
	}{
		{1, 0}, {-1, 1}, {0, ZeroCode}, {math.Copysign(0, -1), ZeroCode}, {5e-324, ZeroCode},
		{-5e-324, ZeroCode}, {sketchMinIndexable, ZeroCode}, {-sketchMinIndexable, ZeroCode},
		{up(sketchMinIndexable), -1}, {-up(sketchMinIndexable), -1},
		{sketchMaxIndexable, -1}, {-sketchMaxIndexable, -1}, {down(sketchMaxIndexable), -1},
		{up(sketchMaxIndexable), -1}, {-up(sketchMaxIndexable), -1},
		{math.Inf(1), -1}, {math.Inf(-1), -1}, {math.NaN(), -1}, {math.MaxFloat64, -1},
		{0.5, -1}, {-2, -1}, {1e-300, -1}, {-1e300, -1}, {7.25, -1},
	} {
		t.Run(fmt.Sprint(tc.x), func(t *testing.T) {
			code, ok := BinCode(tc.x)
			class, index, wantOK := wantBin(tc.x)
			if ok != wantOK {
				t.Fatalf("BinCode(%v) ok = %v, want %v", tc.x, ok, wantOK)
			}
			if !ok {
				return
			}
			if gotClass, gotIndex := decodeBin(code); gotClass != class || gotIndex != index {
				t.Errorf("BinCode(%v) = %d: class %d, bin %d; want class %d, bin %d", tc.x, code, gotClass, gotIndex, class, index)
			}
			if tc.code != -1 && code != tc.code {
				t.Errorf("BinCode(%v) = %d, want %d", tc.x, code, tc.code)
			}
		})
	}
}

// TestBinCodesEqualExactlyInTheSameBin checks on every edge value and on random ones that
// two values have the same code exactly when the library puts them in the same bin (or both
// count as zero), and that every code decodes to the value's class and bin.
func TestBinCodesEqualExactlyInTheSameBin(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	edges := edgeValues()
	xs := slices.Clone(edges)
	for range 20000 {
		xs = append(xs, randomValue(r, edges))
	}
	slices.Sort(xs) // neighbours are the pairs most likely to share a bin
	type bin struct {
		class int32
		index int
	}
	codeOf := func(x float64) (int32, bin) {
		t.Helper()
		code, ok := BinCode(x)
		class, index, wantOK := wantBin(x)
		if !ok || !wantOK {
			t.Fatalf("BinCode(%v) refused", x)
		}
		if c, i := decodeBin(code); c != class || i != index {
			t.Fatalf("BinCode(%v) = class %d, bin %d; want class %d, bin %d", x, c, i, class, index)
		}
		return code, bin{class, index}
	}
	for i := 1; i < len(xs); i++ {
		a, binA := codeOf(xs[i-1])
		b, binB := codeOf(xs[i])
		if (a == b) != (binA == binB) {
			t.Fatalf("%v and %v: codes %d and %d, bins %v and %v", xs[i-1], xs[i], a, b, binA, binB)
		}
	}
}

// TestSumCodes checks SumCodes, and its scalar and vector forms, against their definition:
// sums bit for bit (each value added once, however the length falls on the vector width),
// the codes of BinCode, and whether every value is within the bound; for one to four
// series of lengths around the vector width (and of every edge value within the bound),
// agreeing on all, some or none of their places, with one unusable value (NaN, an
// infinity, just beyond the bound) at a place.
func TestSumCodes(t *testing.T) {
	const bound = 1e300
	edges := edgeValues()
	r := rand.New(rand.NewPCG(9, 10))
	forms := []struct {
		name string
		sum  func(sums, xs [][]float64, codes [][]int32, bound float64) (bool, bool)
	}{{"SumCodes", SumCodes}, {"scalar", sumCodesScalar}}
	if vectorCounting() { // the vector form itself, where the CPU has it (and the runtime saves its registers)
		forms = append(forms, struct {
			name string
			sum  func(sums, xs [][]float64, codes [][]int32, bound float64) (bool, bool)
		}{"vector", sumCodesVector})
	}
	var inBound []float64 // every edge value within the bound, once as the first series
	for _, x := range edges {
		if math.Abs(x) <= bound {
			inBound = append(inBound, x)
		}
	}
	for _, series := range []int{1, 2, 3, 4} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 39, 300, len(inBound)} {
			for _, agree := range []float64{0, 0.6, 1} {
				for _, bad := range []float64{0, math.NaN(), math.Inf(-1), math.Nextafter(bound, math.Inf(1))} {
					name := fmt.Sprintf("series%d_n%d_agree%v_bad%v", series, n, agree, bad)
					xs := make([][]float64, series)
					for k := range xs {
						xs[k] = make([]float64, n)
						for i := range xs[k] {
							xs[k][i] = randomValue(r, edges)
							if math.Abs(xs[k][i]) > bound {
								xs[k][i] = 0
							}
							if n == len(inBound) && k == 0 {
								xs[k][i] = inBound[i]
							}
							if k > 0 && r.Float64() < agree {
								xs[k][i] = xs[0][i]
							}
						}
					}
					if bad != 0 && n > 0 {
						xs[r.IntN(series)][r.IntN(n)] = bad
					}
					sums0 := make([][]float64, series)
					wantSums, wantCodes := make([][]float64, series), make([][]int32, series)
					wantWithin, wantAgree := true, true
					for k := range xs {
						sums0[k] = make([]float64, n+2) // past the values: untouched
						for i := range sums0[k] {
							sums0[k][i] = r.NormFloat64() * 1e3
						}
						wantSums[k], wantCodes[k] = slices.Clone(sums0[k]), make([]int32, n+2)
						for i, x := range xs[k] {
							wantSums[k][i] += x
							wantCodes[k][i], _ = BinCode(x)
							wantWithin = wantWithin && math.Abs(x) <= bound
							wantAgree = wantAgree && x == xs[0][i]
						}
					}
					for _, f := range forms {
						sums, codes := make([][]float64, series), make([][]int32, series)
						for k := range sums {
							sums[k], codes[k] = slices.Clone(sums0[k]), make([]int32, n+2)
						}
						within, same := f.sum(sums, xs, codes, bound)
						if within != wantWithin {
							t.Fatalf("%s %s: within %v, want %v", f.name, name, within, wantWithin)
						}
						if within && same != wantAgree {
							t.Fatalf("%s %s: agree %v, want %v", f.name, name, same, wantAgree)
						}
						for k := range sums {
							for i := range sums[k] {
								if math.Float64bits(sums[k][i]) != math.Float64bits(wantSums[k][i]) {
									t.Fatalf("%s %s: sums[%d][%d] = %v, want %v", f.name, name, k, i, sums[k][i], wantSums[k][i])
								}
							}
							for i := range codes[k] {
								if i < n && !(math.Abs(xs[k][i]) <= bound) {
									continue // a refused value's code is meaningless
								}
								if codes[k][i] != wantCodes[k][i] {
									t.Fatalf("%s %s: code of xs[%d][%d] = %v: %d, want %d", f.name, name, k, i, xs[k][i], codes[k][i], wantCodes[k][i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestAddCodesEqualsAddAll checks that counting values' codes gives the sketch of the
// values: against AddAll and against a Sketch given every value, for zeros of both signs
// and both signs of values, the range's edges, one bin counted past the 8-bit count's
// wrap, growth both ways, with and without a shared base counter, codes coming in runs of
// any length, and codes and values counted into one counter.
func TestAddCodesEqualsAddAll(t *testing.T) {
	edges := edgeValues()
	for _, tc := range []struct {
		name string
		draw func(r *rand.Rand, i int) float64
	}{
		{"zeros", func(r *rand.Rand, _ int) float64 {
			return []float64{0, math.Copysign(0, -1), 1e-320, -sketchMinIndexable}[r.IntN(4)]
		}},
		{"both signs", func(r *rand.Rand, _ int) float64 { return r.NormFloat64() * 50 }},
		{"edges", func(r *rand.Rand, _ int) float64 { return edges[r.IntN(len(edges))] }},
		{"one bin, past the wrap", func(r *rand.Rand, _ int) float64 { return []float64{7.25, -7.25, 0}[r.IntN(3)] }},
		{"growing both ways", func(r *rand.Rand, i int) float64 {
			return math.Exp(float64(i%700)*float64(1-2*(i%2))) * float64(1-2*r.IntN(2))
		}},
		{"mixture", func(r *rand.Rand, _ int) float64 { return randomValue(r, edges) }},
	} {
		for _, shared := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s_shared%v", tc.name, shared), func(t *testing.T) {
				r := rand.New(rand.NewPCG(11, uint64(len(tc.name))))
				var byCodes, byValues, mixed, baseCodes, baseValues SketchCounter
				want := NewSketch()
				var mixedValues []float64
				for i := 0; i < 3000; {
					m := r.IntN(80)
					xs, codes := make([]float64, 0, m), make([]int32, 0, m)
					for range m {
						x := tc.draw(r, i)
						code, ok := BinCode(x)
						if !ok {
							t.Fatalf("drew %v, beyond the sketch's range", x)
						}
						xs, codes = append(xs, x), append(codes, code)
						want.Add(x)
						i++
					}
					if shared && r.IntN(2) == 0 {
						baseCodes.AddCodes(codes)
						baseValues.AddAll(xs)
					} else {
						byCodes.AddCodes(codes)
						byValues.AddAll(xs)
					}
					if r.IntN(2) == 0 {
						mixed.AddCodes(codes)
					} else {
						mixed.AddAll(xs)
					}
					mixedValues = append(mixedValues, xs...)
				}
				got, fromValues, fromMixed := NewSketch(), NewSketch(), NewSketch()
				byCodes.AddTo(&baseCodes, got)
				byValues.AddTo(&baseValues, fromValues)
				mixed.AddTo(nil, fromMixed)
				wantBytes := want.AppendBinary(nil)
				if !bytes.Equal(got.AppendBinary(nil), wantBytes) {
					t.Errorf("codes: count %v, want %v; the sketches differ", got.Count(), want.Count())
				}
				if !bytes.Equal(fromValues.AppendBinary(nil), wantBytes) {
					t.Errorf("values (AddAll): the sketch differs from the values added one by one")
				}
				if !bytes.Equal(fromMixed.AppendBinary(nil), sketchOf(mixedValues...).AppendBinary(nil)) {
					t.Errorf("codes and values in one counter: count %v, want %d", fromMixed.Count(), len(mixedValues))
				}
				byCodes.Reset()
				baseCodes.Reset()
				empty := NewSketch()
				byCodes.AddTo(&baseCodes, empty)
				if empty.Count() != 0 {
					t.Errorf("reset counters still hold %v values", empty.Count())
				}
			})
		}
	}
}

// TestAddCodesRejectsBadCode checks that a code of no class (the unused class 3) panics
// rather than counting somewhere.
func TestAddCodesRejectsBadCode(t *testing.T) {
	var c SketchCounter
	defer func() {
		if recover() == nil {
			t.Error("a code of class 3 was counted")
		}
	}()
	c.AddCodes([]int32{0, 5<<classBits | 3})
}
