package stats

// DiffMoments returns, for each i, the Moments of a[i][p] - b[i][p] over p in order: what
// Add of each difference in turn gives, bit for bit (TestDiffMomentsEqualsAdd). It updates
// four accumulators in the same loop, so that the CPU overlaps their chains of dependent
// divisions, which one accumulator at a time leaves waiting on each other: the paired
// effects of a summary-only evaluation are tens of such columns of 200,000 values. Every
// a[i] and b[i] must have the same length.
func DiffMoments(a, b [][]float64) []Moments {
	out := make([]Moments, len(a))
	i := 0
	for ; i+4 <= len(a); i += 4 {
		diffMoments4(a[i:i+4], b[i:i+4], out[i:i+4])
	}
	for ; i < len(a); i++ {
		for p := range a[i] {
			out[i].Add(a[i][p] - b[i][p])
		}
	}
	return out
}

// diffMoments4 is DiffMoments of four columns, each step Moments.Add's operations on locals.
func diffMoments4(a, b [][]float64, out []Moments) {
	a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
	n := len(a0)
	a1, a2, a3 = a1[:n], a2[:n], a3[:n]
	b0, b1, b2, b3 := b[0][:n], b[1][:n], b[2][:n], b[3][:n]
	var mean0, mean1, mean2, mean3, m20, m21, m22, m23 float64
	for p := 0; p < n; p++ {
		k := float64(p + 1)
		x0, x1, x2, x3 := a0[p]-b0[p], a1[p]-b1[p], a2[p]-b2[p], a3[p]-b3[p]
		d0, d1, d2, d3 := x0-mean0, x1-mean1, x2-mean2, x3-mean3
		mean0 += d0 / k
		mean1 += d1 / k
		mean2 += d2 / k
		mean3 += d3 / k
		m20 += d0 * (x0 - mean0)
		m21 += d1 * (x1 - mean1)
		m22 += d2 * (x2 - mean2)
		m23 += d3 * (x3 - mean3)
	}
	out[0] = Moments{n: n, mean: mean0, m2: m20}
	out[1] = Moments{n: n, mean: mean1, m2: m21}
	out[2] = Moments{n: n, mean: mean2, m2: m22}
	out[3] = Moments{n: n, mean: mean3, m2: m23}
}
