package stats

import (
	"fmt"
	"math"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// SketchCounter stages values for a Sketch: it counts them in the Sketch's own bins, as
// plain integers in one contiguous array per sign (8-bit, carried into 32-bit ones when
// they wrap), and adds nothing else: a batch of values costs a few nanoseconds each,
// against about 7 for Sketch.Add (64-bit counts and a range check per value). AddTo then
// hands the counts to a Sketch, which ends up exactly as if it had been given every value
// itself: the bins are the same and whole-number counts add exactly.
//
// Groups of values that share many of their values, such as policies' series on the
// days none of them acts, can count a shared value once, in a counter of their own, and
// each group's other values in the group's counter: AddTo with the shared counter as the
// base hands a Sketch the group's whole set of values.
//
// A caller that has staged values' bin codes (BinCode) counts them with AddCodes instead.
//
// A SketchCounter holds at most 2^31-1 values per bin between resets. The zero value is
// ready to use.
type SketchCounter struct {
	pos, neg denseCounts
	zero     int64
}

// denseCounts are the counts of bins offset, offset+1, ..., offset+len(bins)-1. A count
// is held in two parts: an 8-bit one (bins), which updates add to, and a 32-bit one
// (carried), which takes 256 each time the 8-bit one wraps to zero. A run counts values
// into a thousand counters at once, and what an update costs is the cache line its bin
// is in: 8-bit counts keep the bins a value lands in within a quarter of the memory, and
// of the cache, of 32-bit ones, and the 32-bit part is touched once in 256 updates of a
// bin. Values are only ever added, so no count is negative.
type denseCounts struct {
	offset  int
	bins    []uint8
	carried []int32 // nil until the first carry, then as long as bins
}

// counterSlack is how many bins a denseCounts adds on each side of a new index when it
// grows, so that a run of nearby values grows it once. (Growing geometrically instead
// allocates less in all but holds a third more bins, and peak memory rises by 50 MB.)
const counterSlack = 32

// sketchIndex is sketchMapping.Index(x) for x > 0, written out so that it inlines: the
// cubically interpolated log2 of DDSketch (exponent plus a cubic in the significand) times
// the mapping's multiplier, floored. TestSketchIndexMatchesMapping checks it against the
// library bin for bin.
func sketchIndex(x float64) int {
	bits := math.Float64bits(x)
	e := float64(int((bits&0x7FF0000000000000)>>52) - 1023)
	s := math.Float64frombits(bits&0x000FFFFFFFFFFFFF|0x3FF0000000000000) - 1
	index := (((mapping.A*s+mapping.B)*s+mapping.C)*s+e)*sketchMultiplier + 0
	if index >= 0 {
		return int(index)
	}
	return int(index) - 1
}

// sketchMultiplier is the multiplier of sketchMapping, computed as the library does: in
// float64 arithmetic from a float64 accuracy (a constant expression would be exact).
var sketchMultiplier = func(accuracy float64) float64 {
	return 1 / math.Log2(math.Pow((1+accuracy)/(1-accuracy), 10*math.Ln2/7))
}(SketchAccuracy)

// grow extends the bins to cover index.
//
//go:noinline
func (d *denseCounts) grow(index int) {
	if len(d.bins) == 0 {
		d.offset = index - counterSlack
		d.bins = make([]uint8, 2*counterSlack+1)
		if d.carried != nil {
			d.carried = make([]int32, len(d.bins))
		}
		return
	}
	lo, hi := min(d.offset, index-counterSlack), max(d.offset+len(d.bins)-1, index+counterSlack)
	bins := make([]uint8, hi-lo+1)
	copy(bins[d.offset-lo:], d.bins)
	if d.carried != nil {
		carried := make([]int32, hi-lo+1)
		copy(carried[d.offset-lo:], d.carried)
		d.carried = carried
	}
	d.offset, d.bins = lo, bins
}

// carry takes 256 into the 32-bit count of bins[j], whose 8-bit count has just wrapped to
// zero.
//
//go:noinline
func (d *denseCounts) carry(j int) {
	if d.carried == nil {
		d.carried = make([]int32, len(d.bins))
	}
	d.carried[j] += 1 << 8
}

// cannotHold panics: x is NaN or beyond the sketch's range.
//
//go:noinline
func cannotHold(x float64) {
	panic(fmt.Sprintf("stats: sketch cannot hold %v", x))
}

// Add counts x.
func (c *SketchCounter) Add(x float64) { c.AddAll([]float64{x}) }

// codesBatch is how many values AddAll codes before it counts them.
const codesBatch = 64

// AddAll counts every value of xs: their bin codes (BinCode), counted by AddCodes, a batch
// at a time. NaN and values beyond the sketch's range (about 1e308) are programmer errors
// and panic, as in Sketch.Add, before anything of their batch is counted.
func (c *SketchCounter) AddAll(xs []float64) {
	var codes [codesBatch]int32
	for len(xs) > 0 {
		n := min(len(xs), codesBatch)
		for i, x := range xs[:n] {
			code, ok := BinCode(x)
			if !ok {
				cannotHold(x)
			}
			codes[i] = code
		}
		c.AddCodes(codes[:n])
		xs = xs[n:]
	}
}

// Reset empties c, keeping its bins for reuse.
func (c *SketchCounter) Reset() {
	for _, d := range []*denseCounts{&c.pos, &c.neg} {
		clear(d.bins)
		clear(d.carried)
	}
	c.zero = 0
}

// AddTo adds to s the values of c and those of base (nil for none), leaving c and base as
// they are, so that several counters can share one base: each gives s its group's values,
// the shared ones with its own. A bin's count in s is c's plus base's.
func (c *SketchCounter) AddTo(base *SketchCounter, s *Sketch) {
	var none SketchCounter
	if base == nil {
		base = &none
	}
	addPair(&c.pos, &base.pos, &s.pos)
	addPair(&c.neg, &base.neg, &s.neg)
	s.zero += c.zero + base.zero
}

// addPair adds the counts of d and of b to dst, widening dst only to the nonzero stretch of
// their sum: from the first bin either counts to the last.
func addPair(d, b *denseCounts, dst *denseTotals) {
	dlo, dhi, dok := d.nonzero()
	blo, bhi, bok := b.nonzero()
	var lo, hi int
	switch {
	case dok && bok:
		lo, hi = min(dlo, blo), max(dhi, bhi)
	case dok:
		lo, hi = dlo, dhi
	case bok:
		lo, hi = blo, bhi
	default:
		return
	}
	dst.cover(lo, hi)
	if dok {
		dst.total += d.addInto(dst, dlo, dhi)
	}
	if bok {
		dst.total += b.addInto(dst, blo, bhi)
	}
}

// nonzero returns the first and the last bin d counts a value in; false if none.
func (d *denseCounts) nonzero() (lo, hi int, ok bool) {
	counted := func(i int) bool { return d.bins[i] != 0 || d.carried != nil && d.carried[i] != 0 }
	first := 0
	for first < len(d.bins) && !counted(first) {
		first++
	}
	if first == len(d.bins) {
		return 0, 0, false
	}
	last := len(d.bins) - 1
	for !counted(last) {
		last--
	}
	return d.offset + first, d.offset + last, true
}

// addInto adds d's counts of bins lo to hi (within d's bins) to dst's, which cover them,
// and returns their sum.
func (d *denseCounts) addInto(dst *denseTotals, lo, hi int) int64 {
	bins := d.bins[lo-d.offset : hi-d.offset+1]
	out := dst.counts[lo-dst.offset : hi-dst.offset+1]
	out = out[:len(bins)]
	var total int64
	if d.carried == nil {
		for i, n := range bins {
			out[i] += int64(n)
			total += int64(n)
		}
		return total
	}
	carried := d.carried[lo-d.offset : hi-d.offset+1]
	carried = carried[:len(bins)]
	for i, n := range bins {
		c := int64(n) + int64(carried[i])
		out[i] += c
		total += c
	}
	return total
}
