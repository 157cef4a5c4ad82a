package stats

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
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

// Sketch is a streaming quantile estimator of bounded memory (DDSketch with unbounded
// dense stores: a few hundred bins for values spanning six decades). Counts are whole
// numbers, so merging is exact and order-free: any split of the same values across
// sketches, merged in any order, gives identical quantiles.
type Sketch struct {
	dd *ddsketch.DDSketch
}

// NewSketch returns an empty Sketch.
func NewSketch() *Sketch {
	return &Sketch{dd: ddsketch.NewDDSketch(sketchMapping, store.NewDenseStore(), store.NewDenseStore())}
}

// Add records x. NaN is a programmer error and panics.
func (s *Sketch) Add(x float64) {
	if err := s.dd.Add(x); err != nil {
		panic(fmt.Sprintf("stats: sketch cannot hold %v: %v", x, err))
	}
}

// Merge adds every value recorded in o to s.
func (s *Sketch) Merge(o *Sketch) {
	if err := s.dd.MergeWith(o.dd); err != nil {
		panic("stats: merging sketches of different mappings: " + err.Error())
	}
}

// Count returns the number of values recorded.
func (s *Sketch) Count() float64 { return s.dd.GetCount() }

// Quantile returns the estimated p-quantile, or NaN when the sketch is empty.
func (s *Sketch) Quantile(p float64) float64 {
	v, err := s.dd.GetValueAtQuantile(p)
	if err != nil {
		return math.NaN()
	}
	return v
}

// AppendBinary appends the sketch's compact encoding to b.
func (s *Sketch) AppendBinary(b []byte) []byte {
	var enc []byte
	s.dd.Encode(&enc, true)
	b = binary.AppendUvarint(b, uint64(len(enc)))
	return append(b, enc...)
}

// DecodeSketch reads a Sketch written by AppendBinary from the front of b and returns it
// with the rest of b.
func DecodeSketch(b []byte) (*Sketch, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, errors.New("stats: truncated sketch")
	}
	dd, err := ddsketch.DecodeDDSketch(b[k:k+int(n)], store.DefaultProvider, sketchMapping)
	if err != nil {
		return nil, nil, fmt.Errorf("stats: decode sketch: %w", err)
	}
	return &Sketch{dd: dd}, b[k+int(n):], nil
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
		d.Sketches[g].Merge(o.Sketches[g])
		d.Sums[g] += o.Sums[g]
		d.Counts[g] += o.Counts[g]
	}
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
