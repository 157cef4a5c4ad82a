package stats

import (
	"fmt"
	"math"
)

// ZeroCode is the bin code of the values a sketch counts as zero.
const ZeroCode int32 = zeroClass

// The classes of a bin code, its low two bits. A negative value's class is a positive
// one's plus its sign bit.
const (
	posClass  = 0
	negClass  = 1
	zeroClass = 2
	classBits = 2
	classMask = 1<<classBits - 1
)

// BinCode returns x's bin code, which names the bin of a Sketch that x falls in, computed
// with the arithmetic of Sketch.Add; false if x is NaN or beyond the sketch's range (about
// 1e308). A caller that stages many values before counting them can stage their codes
// instead (half the bytes of the float64s), find the values that share a bin by comparing
// codes, and count them with SketchCounter.AddCodes (SketchCounter.AddAll codes and counts
// values so).
//
// A code is index<<2 | class: class 0 for a positive value and 1 for a negative one,
// index its bin (about -72,000 to 72,000, so codes fit in 20 bits); class 2, with index
// 0, for a value counted as zero (|x| <= the smallest indexable magnitude, about 2e-308,
// either sign): ZeroCode. Two values have the same code exactly when a sketch counts them
// in the same bin.
func BinCode(x float64) (int32, bool) {
	a := math.Abs(x)
	switch {
	case a > sketchMinIndexable && a <= sketchMaxIndexable:
		return int32(sketchIndex(a))<<classBits | posClass | int32(math.Float64bits(x)>>63), true
	case a <= sketchMinIndexable:
		return ZeroCode, true
	default:
		return 0, false
	}
}

// SumCodes adds the values of one or more series of the same length to their sums and
// writes their bin codes: for each series k and place i, sums[k][i] += xs[k][i] and
// codes[k][i] = BinCode(xs[k][i]). It reports whether |x| <= bound for every value x
// (within; false for NaN), and whether every series has the first's values (agree: ==
// at every place, so that their codes are the first's too). bound is not negative and
// at most the sketch's range, about 1e308; where within is false the codes of the values
// beyond bound, and agree, are meaningless.
//
// The values are read once for all three, 8 at a time in vectors where the build and the
// CPU have them (with the arithmetic of BinCode, operation for operation). Where every
// series has the same values at 8 consecutive places (as policies' series do on the days
// none of them acts), their codes are computed once.
func SumCodes(sums, xs [][]float64, codes [][]int32, bound float64) (within, agree bool) {
	if vectorCounting() {
		return sumCodesVector(sums, xs, codes, bound)
	}
	return sumCodesScalar(sums, xs, codes, bound)
}

// sumCodesScalar is SumCodes value by value: the reference for the vector form. A value
// of a later series equal (==) to the first series' at its place takes the first's code.
func sumCodesScalar(sums, xs [][]float64, codes [][]int32, bound float64) (within, agree bool) {
	if len(xs) == 0 {
		return true, true
	}
	first, firstCodes := xs[0], codes[0][:len(xs[0])]
	within, agree = true, true
	for k, series := range xs {
		series, sums, codes := series[:len(first)], sums[k][:len(first)], codes[k][:len(first)]
		for i, x := range series {
			sums[i] += x
			within = within && math.Abs(x) <= bound
			if k > 0 && x == first[i] {
				codes[i] = firstCodes[i]
			} else {
				codes[i], _ = BinCode(x)
				agree = agree && k == 0
			}
		}
	}
	return within, agree
}

// AddCodes counts the values whose bin codes (see BinCode) are codes, in the bins
// Sketch.Add would put them in. A code that is not that of a value within the sketch's
// range is a programmer error (and panics).
//
// It counts code by code: a zero in a plain count (a third of a run's values are zeros,
// mostly in runs, so the branch is well predicted, and they touch no bins), any other
// code in the bins of its sign, which its low bit picks without a branch.
func (c *SketchCounter) AddCodes(codes []int32) {
	signs := [2]*denseCounts{posClass: &c.pos, negClass: &c.neg}
	zeros := 0
	for _, code := range codes {
		if code == ZeroCode {
			zeros++
			continue
		}
		if code&zeroClass != 0 {
			panic(fmt.Sprintf("stats: %d is no bin code", code))
		}
		d := signs[code&negClass]
		index := int(code >> classBits)
		j := index - d.offset
		if uint(j) >= uint(len(d.bins)) {
			d.grow(index)
			j = index - d.offset
		}
		n := d.bins[j] + 1
		d.bins[j] = n
		if n == 0 {
			d.carry(j)
		}
	}
	c.zero += int64(zeros)
}
