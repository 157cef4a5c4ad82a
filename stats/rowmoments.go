package stats

import "fmt"

// RowMoments are the Moments of several quantities recorded together, a row of one value
// of each at a time, such as a path's metrics: Add(row) records row[i] as Moments.Add would
// in quantity i's Moments, bit for bit (the same operations in the same order,
// TestRowMomentsEqualsAdd). The quantities share their count, so a row divides by it
// once for all, and their means and sums of squares lie side by side, so that a build with
// vectors (GOEXPERIMENT=simd on a CPU with AVX-512) updates 8 at a time: a quantity's
// chain of dependent divisions is the same, but a row's divisions are one instruction
// for every 8 of them instead of 8.
type RowMoments struct {
	n        int
	width    int
	mean, m2 []float64 // width values, padded with zeros to a multiple of 8
}

// NewRowMoments returns RowMoments of width quantities, none recorded.
func NewRowMoments(width int) *RowMoments {
	padded := (width + 7) &^ 7
	return &RowMoments{width: width, mean: make([]float64, padded), m2: make([]float64, padded)}
}

// Width returns the number of quantities.
func (r *RowMoments) Width() int { return r.width }

// Add records row, one value of each quantity in order. A row of another length than the
// width is a programmer error (and panics).
func (r *RowMoments) Add(row []float64) {
	if len(row) != r.width {
		panic(fmt.Sprintf("stats: a row of %d values for RowMoments of %d", len(row), r.width))
	}
	r.n++
	if vectorCounting() {
		addRowVector(r.mean, r.m2, row, float64(r.n))
		return
	}
	addRowScalar(r.mean, r.m2, row, float64(r.n))
}

// addRowScalar is Moments.Add of each row[i], whose Moments has the mean mean[i], the
// sum of squares m2[i] and, with row[i], the count n: the reference for the vector form.
func addRowScalar(mean, m2, row []float64, n float64) {
	mean, m2 = mean[:len(row)], m2[:len(row)]
	for i, x := range row {
		d := x - mean[i]
		mean[i] += d / n
		m2[i] += d * (x - mean[i])
	}
}

// Moments returns quantity i's Moments.
func (r *RowMoments) Moments(i int) Moments {
	if i < 0 || i >= r.width {
		panic(fmt.Sprintf("stats: quantity %d of RowMoments of %d", i, r.width))
	}
	return Moments{n: r.n, mean: r.mean[i], m2: r.m2[i]}
}
