package stats

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// SketchAccuracy is the relative accuracy of every Sketch: a quantile q is reported as a
// value within SketchAccuracy*|x_q| of the exact sample quantile x_q (the DDSketch
// guarantee of Masson, Rim and Lee, VLDB 2019), whatever the number of values and however
// sketches were merged. Values closer to zero than about 1e-300 count as exactly zero.
const SketchAccuracy = 0.005

var (
	sketchMapping, _   = mapping.NewCubicallyInterpolatedMapping(SketchAccuracy)
	sketchMinIndexable = sketchMapping.MinIndexableValue()
	sketchMaxIndexable = sketchMapping.MaxIndexableValue()
)

// Sketch is a streaming quantile estimator of bounded memory: the DDSketch of Masson, Rim
// and Lee (the bins of DataDog's sketches-go cubically interpolated mapping, and its
// quantile rule), with whole-number counts in one dense array per sign, about seventy
// bins for every power of two the values span. Counts are whole numbers, so merging is
// exact and order-free: any split of the same values across sketches, merged in any
// order, gives identical quantiles. TestSketchMatchesDDSketch checks it against the
// library.
type Sketch struct {
	pos, neg denseTotals // bins of positive values, and of negative values by magnitude
	zero     int64
}

// denseTotals are the counts of bins offset, offset+1, ..., offset+len(counts)-1, and
// their sum.
type denseTotals struct {
	offset int
	counts []int64
	total  int64
}

// cover extends d's bins to [lo, hi].
func (d *denseTotals) cover(lo, hi int) {
	if len(d.counts) == 0 {
		if n := hi - lo + 1; cap(d.counts) >= n {
			d.counts = d.counts[:n]
			clear(d.counts)
		} else {
			d.counts = make([]int64, n)
		}
		d.offset = lo
		return
	}
	end := d.offset + len(d.counts) - 1
	if lo >= d.offset && hi <= end {
		return
	}
	nlo, nhi := min(lo, d.offset), max(hi, end)
	n, shift := nhi-nlo+1, d.offset-nlo
	if cap(d.counts) >= n {
		// Widen in place: a scratch sketch reset for each group of a fold, and the
		// running totals a fold merges into, settle at their widest and stop allocating.
		counts := d.counts[:n]
		copy(counts[shift:], d.counts) // overlapping: copy moves as memmove does
		clear(counts[:shift])
		clear(counts[shift+len(d.counts):])
		d.offset, d.counts = nlo, counts
		return
	}
	// Room to widen by a quarter more, so that widening a bin or two at a time does not
	// allocate each time.
	counts := make([]int64, n, n+n/4)
	copy(counts[shift:], d.counts)
	d.offset, d.counts = nlo, counts
}

// add adds n to bin index.
func (d *denseTotals) add(index int, n int64) {
	d.cover(index, index)
	d.counts[index-d.offset] += n
	d.total += n
}

// merge adds o's counts to d, widening d only to o's outermost nonzero bins.
func (d *denseTotals) merge(o *denseTotals) {
	if o.total == 0 {
		return
	}
	lo, hi := o.nonzero()
	d.cover(o.offset+lo, o.offset+hi-1)
	dst := d.counts[o.offset+lo-d.offset:]
	for i, n := range o.counts[lo:hi] {
		dst[i] += n
	}
	d.total += o.total
}

// nonzero returns the positions [lo, hi) in d.counts from the first nonzero count to the
// last.
func (d *denseTotals) nonzero() (lo, hi int) {
	lo, hi = 0, len(d.counts)
	for lo < hi && d.counts[lo] == 0 {
		lo++
	}
	for hi > lo && d.counts[hi-1] == 0 {
		hi--
	}
	return lo, hi
}

// reset empties d, keeping its array for reuse.
func (d *denseTotals) reset() {
	d.counts, d.total = d.counts[:0], 0
}

// keyAtRank returns the first bin whose cumulative count exceeds rank (DDSketch's
// KeyAtRank), or the last bin if none does.
func (d *denseTotals) keyAtRank(rank float64) int {
	rank = max(rank, 0)
	var cum int64
	last := d.offset
	for i, n := range d.counts {
		cum += n
		if n != 0 {
			last = d.offset + i
		}
		if float64(cum) > rank {
			return d.offset + i
		}
	}
	return last
}

// keysAtRanks sets keys[i] to keyAtRank(ranks[i]) for ranks in ascending order, in one
// pass over the bins instead of one per rank, which skips whole blocks of eight bins that
// do not reach the next rank (counts are not negative, so no bin inside such a block
// does).
func (d *denseTotals) keysAtRanks(ranks []float64, keys []int) {
	var cum int64
	counts := d.counts
	i, j := 0, 0
	for j < len(ranks) && i < len(counts) {
		r := max(ranks[j], 0)
		for i+8 <= len(counts) {
			b := counts[i : i+8 : i+8]
			c := cum + b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + b[7]
			if float64(c) > r {
				break
			}
			cum, i = c, i+8
		}
		for ; i < len(counts); i++ {
			cum += counts[i]
			if float64(cum) > r {
				break
			}
		}
		if i == len(counts) {
			break
		}
		for ; j < len(ranks) && float64(cum) > max(ranks[j], 0); j++ { // bin i reaches them
			keys[j] = d.offset + i
		}
		i++
	}
	if j < len(ranks) { // beyond every bin: the last nonzero one, as keyAtRank
		last := d.offset
		for k := len(counts) - 1; k >= 0; k-- {
			if counts[k] != 0 {
				last = d.offset + k
				break
			}
		}
		for ; j < len(ranks); j++ {
			keys[j] = last
		}
	}
}

// NewSketch returns an empty Sketch.
func NewSketch() *Sketch { return &Sketch{} }

// Add records x. NaN and values beyond about 1e307 are programmer errors and panic.
func (s *Sketch) Add(x float64) {
	a := math.Abs(x)
	switch {
	case a > sketchMinIndexable && a <= sketchMaxIndexable:
		if x > 0 {
			s.pos.add(sketchIndex(a), 1)
		} else {
			s.neg.add(sketchIndex(a), 1)
		}
	case a <= sketchMinIndexable:
		s.zero++
	default:
		cannotHold(x)
	}
}

// Reset empties s, keeping its memory for reuse.
func (s *Sketch) Reset() {
	s.pos.reset()
	s.neg.reset()
	s.zero = 0
}

// Merge adds every value recorded in o to s.
func (s *Sketch) Merge(o *Sketch) {
	s.pos.merge(&o.pos)
	s.neg.merge(&o.neg)
	s.zero += o.zero
}

// Count returns the number of values recorded.
func (s *Sketch) Count() float64 { return float64(s.pos.total + s.neg.total + s.zero) }

// Quantile returns the estimated p-quantile, or NaN when the sketch is empty or p is not
// in [0, 1]. It follows DDSketch's rule: the value of the bin holding the value of rank
// p (n-1) in sorted order.
func (s *Sketch) Quantile(p float64) float64 {
	n := s.Count()
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	rank := float64(p * (n - 1)) // no fused multiply-add, as in DDSketch
	neg := float64(s.neg.total)
	switch {
	case rank < neg:
		return -sketchMapping.Value(s.neg.keyAtRank(neg - 1 - rank))
	case rank < float64(s.zero)+neg:
		return 0
	default:
		return sketchMapping.Value(s.pos.keyAtRank(rank - float64(s.zero) - neg))
	}
}

// Quantiles sets out[i] to Quantile(ps[i]) for ps in ascending order (and each in [0,
// 1]), finding them in one pass over the bins instead of one per quantile: the bands ask
// five of every one of their thousands of sketches.
func (s *Sketch) Quantiles(ps, out []float64) {
	n := s.Count()
	if n == 0 {
		for i := range ps {
			out[i] = math.NaN()
		}
		return
	}
	neg, zero := float64(s.neg.total), float64(s.zero)
	// The ranks in each region, ascending: the negative bins' from the largest magnitude,
	// so their ranks there descend as p ascends.
	var atBuf [2][24]int // room for the bands' five intervals' quantiles without allocating
	var rankBuf [2][24]float64
	negAt, posAt := atBuf[0][:0], atBuf[1][:0] // indices into ps
	negRanks, posRanks := rankBuf[0][:0], rankBuf[1][:0]
	for i, p := range ps {
		if !(p >= 0 && p <= 1) {
			out[i] = math.NaN()
			continue
		}
		rank := float64(p * (n - 1)) // no fused multiply-add, as in Quantile
		switch {
		case rank < neg:
			negAt, negRanks = append(negAt, i), append(negRanks, neg-1-rank)
		case rank < zero+neg:
			out[i] = 0
		default:
			posAt, posRanks = append(posAt, i), append(posRanks, rank-zero-neg)
		}
	}
	slices.Reverse(negAt)
	slices.Reverse(negRanks)
	var keyBuf [24]int
	keys := keyBuf[:0]
	keys = slices.Grow(keys, max(len(negAt), len(posAt)))[:max(len(negAt), len(posAt))]
	s.neg.keysAtRanks(negRanks, keys)
	for j, i := range negAt {
		out[i] = -sketchMapping.Value(keys[j])
	}
	s.pos.keysAtRanks(posRanks, keys)
	for j, i := range posAt {
		out[i] = sketchMapping.Value(keys[j])
	}
}

// AppendBinary appends the sketch's encoding to b: the zero count, then per sign the
// first bin, the number of bins and their counts, as varints, without the empty bins at
// either end.
func (s *Sketch) AppendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(s.zero))
	for _, d := range []*denseTotals{&s.pos, &s.neg} {
		lo, hi := d.nonzero()
		first := int64(d.offset + lo)
		if lo == hi {
			first = 0 // no bins: one encoding for every empty store
		}
		b = binary.AppendVarint(b, first)
		b = binary.AppendUvarint(b, uint64(hi-lo))
		for _, n := range d.counts[lo:hi] {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	return b
}

// DecodeSketch reads a Sketch written by AppendBinary from the front of b and returns it
// with the rest of b.
func DecodeSketch(b []byte) (*Sketch, []byte, error) {
	s := NewSketch()
	z, k := binary.Uvarint(b)
	if k <= 0 || z > math.MaxInt64 {
		return nil, nil, errors.New("stats: truncated sketch")
	}
	s.zero, b = int64(z), b[k:]
	for _, d := range []*denseTotals{&s.pos, &s.neg} {
		off, k := binary.Varint(b)
		if k <= 0 {
			return nil, nil, errors.New("stats: truncated sketch")
		}
		b = b[k:]
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) || off < math.MinInt32 || off > math.MaxInt32 {
			return nil, nil, errors.New("stats: truncated or damaged sketch")
		}
		b = b[k:]
		if n == 0 {
			continue
		}
		d.offset, d.counts = int(off), make([]int64, n)
		for i := range d.counts {
			c, k := binary.Uvarint(b)
			if k <= 0 || c > math.MaxInt64/2 {
				return nil, nil, errors.New("stats: truncated or damaged sketch")
			}
			d.counts[i], b = int64(c), b[k:]
			d.total += int64(c)
		}
	}
	return s, b, nil
}

// Distributions accumulates the values of many groups (for instance every policy, series
// and day): per group, a Sketch for quantiles and a sum for the mean. Sums are added in
// the order of Add and Merge calls, so a fixed merge order gives bit-identical means.
type Distributions struct {
	Sketches []*Sketch
	Sums     []float64
	Counts   []int64
}

// NewDistributions returns empty accumulators for groups groups.
func NewDistributions(groups int) *Distributions {
	d := &Distributions{
		Sketches: make([]*Sketch, groups),
		Sums:     make([]float64, groups),
		Counts:   make([]int64, groups),
	}
	for i := range d.Sketches {
		d.Sketches[i] = NewSketch()
	}
	return d
}

// Merge adds o's values to d group by group.
func (d *Distributions) Merge(o *Distributions) {
	if len(o.Sums) != len(d.Sums) {
		panic(fmt.Sprintf("stats: merging %d groups into %d", len(o.Sums), len(d.Sums)))
	}
	for g := range d.Sums {
		d.MergeGroup(g, o.Sketches[g], o.Sums[g], o.Counts[g])
	}
}

// MergeGroup adds to group g the values of sk, whose sum is sum and count count.
func (d *Distributions) MergeGroup(g int, sk *Sketch, sum float64, count int64) {
	d.Sketches[g].Merge(sk)
	d.Sums[g] += sum
	d.Counts[g] += count
}

// Mean returns group g's mean, NaN when it is empty.
func (d *Distributions) Mean(g int) float64 {
	if d.Counts[g] == 0 {
		return math.NaN()
	}
	return d.Sums[g] / float64(d.Counts[g])
}

// AppendBinary appends d's encoding to b: group count, then per group the count, the sum
// (as IEEE bits, so it round-trips exactly) and the sketch.
func (d *Distributions) AppendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(d.Sums)))
	for g := range d.Sums {
		b = binary.AppendVarint(b, d.Counts[g])
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(d.Sums[g]))
		b = d.Sketches[g].AppendBinary(b)
	}
	return b
}

// DecodeDistributions reads Distributions written by AppendBinary.
func DecodeDistributions(b []byte) (*Distributions, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, nil, errors.New("stats: truncated distributions header")
	}
	b = b[k:]
	d := &Distributions{Sketches: make([]*Sketch, n), Sums: make([]float64, n), Counts: make([]int64, n)}
	for g := range d.Sums {
		c, k := binary.Varint(b)
		if k <= 0 || len(b) < k+8 {
			return nil, nil, fmt.Errorf("stats: truncated group %d", g)
		}
		d.Counts[g] = c
		d.Sums[g] = math.Float64frombits(binary.LittleEndian.Uint64(b[k:]))
		s, rest, err := DecodeSketch(b[k+8:])
		if err != nil {
			return nil, nil, fmt.Errorf("group %d: %w", g, err)
		}
		d.Sketches[g], b = s, rest
	}
	return d, b, nil
}

// QuantileInterval returns the p-quantile with a distribution-free confidence interval at
// the given level: the sketch's values at the order-statistic ranks n p -/+ z sqrt(n p
// (1-p)) (the normal approximation to the binomial, fine for the thousands of values a
// sketch holds). Each end carries the sketch's relative error SketchAccuracy besides.
func (s *Sketch) QuantileInterval(p, level float64) Interval {
	checkLevel(level)
	checkProbability("quantile", p)
	n := s.Count()
	iv := Interval{Estimate: s.Quantile(p), Lo: math.NaN(), Hi: math.NaN(), Level: level}
	if n < 2 {
		return iv
	}
	half := zQuantile(level) * math.Sqrt(n*p*(1-p))
	rank := func(r float64) float64 { return min(max(r, 0), n-1) / (n - 1) }
	iv.Lo, iv.Hi = s.Quantile(rank(math.Floor(n*p-half))), s.Quantile(rank(math.Ceil(n*p+half)))
	return iv
}

// QuantileIntervals sets out[i] to QuantileInterval(ps[i], level) for every p of ps,
// finding the estimates and the ends of all the intervals in one pass over the bins
// (Quantiles) instead of three passes per interval: the bands' Monte Carlo error asks for
// five intervals from every one of their thousands of sketches.
func (s *Sketch) QuantileIntervals(ps []float64, level float64, out []Interval) {
	checkLevel(level)
	n := s.Count()
	z := zQuantile(level)
	rank := func(r float64) float64 { return min(max(r, 0), n-1) / (n - 1) }
	// The probabilities asked, three per interval (estimate, lower end, upper end; no
	// ends below two values), and the order that sorts them: room for eight intervals
	// without allocating.
	var probBuf, sortedBuf, valBuf [24]float64
	var orderBuf [24]int
	probs, order := probBuf[:0], orderBuf[:0]
	for _, p := range ps {
		checkProbability("quantile", p)
		lo, hi := math.NaN(), math.NaN()
		if n >= 2 {
			half := z * math.Sqrt(n*p*(1-p))
			lo, hi = rank(math.Floor(n*p-half)), rank(math.Ceil(n*p+half))
		}
		for _, q := range []float64{p, lo, hi} {
			if !math.IsNaN(q) {
				order = append(order, len(probs))
			}
			probs = append(probs, q)
		}
	}
	for i := 1; i < len(order); i++ { // insertion sort: a few values, nearly in order
		for j := i; j > 0 && probs[order[j]] < probs[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	sorted, vals := sortedBuf[:0], valBuf[:0]
	for _, i := range order {
		sorted, vals = append(sorted, probs[i]), append(vals, 0)
	}
	s.Quantiles(sorted, vals)
	for j, i := range order {
		probs[i] = vals[j] // each probability's quantile in its place; the NaNs stay
	}
	for k := range ps {
		out[k] = Interval{Estimate: probs[3*k], Lo: probs[3*k+1], Hi: probs[3*k+2], Level: level}
	}
}
