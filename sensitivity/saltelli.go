package sensitivity

import (
	"errors"
	"fmt"
)

// Saltelli returns the unit-cube design of Saltelli et al. for the first-order and total
// indices of k inputs from n base samples: n blocks of k+2 points each, block j being
//
//	A_j, B_j, AB_1j, ..., AB_kj
//
// where A_j and B_j are the first and last k coordinates of point j+1 of the 2k-dimensional
// Sobol' sequence (the origin, point 0, is skipped) and AB_ij is A_j with its coordinate i
// taken from B_j. The model is evaluated at all n(k+2) points; [SobolIndices] reads the
// outputs in the same order. k is at most MaxSobolDims/2.
//
// A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola, "Variance
// based sensitivity analysis of model output. Design and estimator for the total
// sensitivity index", Computer Physics Communications 181 (2010) 259-270.
func Saltelli(k, n int) ([][]float64, error) {
	if k < 1 || 2*k > MaxSobolDims {
		return nil, fmt.Errorf("saltelli: %d inputs; 1 to %d are supported (the design uses 2 Sobol' dimensions per input)", k, MaxSobolDims/2)
	}
	if n < 2 {
		return nil, fmt.Errorf("saltelli: %d base samples; at least 2 are needed", n)
	}
	seq, err := NewSobol(2 * k)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, 0, n*(k+2))
	p := make([]float64, 2*k)
	for j := 0; j < n; j++ {
		seq.Point(uint64(j+1), p)
		a, b := append([]float64(nil), p[:k]...), append([]float64(nil), p[k:]...)
		out = append(out, a, b)
		for i := 0; i < k; i++ {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			out = append(out, ab)
		}
	}
	return out, nil
}

// SobolIndex is the variance-based sensitivity of an output to one input, with percentile
// bootstrap intervals.
type SobolIndex struct {
	S1, S1Lo, S1Hi float64 // first-order index: the share of variance the input explains alone
	ST, STLo, STHi float64 // total index: the share it explains with all its interactions
}

// SobolResult is the indices of every input of one output.
type SobolResult struct {
	Indices  []SobolIndex // one per input
	Variance float64      // variance of the output over the A and B points used
	Blocks   int          // Saltelli blocks used
	Dropped  int          // blocks dropped because one of their evaluations failed
}

// SobolIndices estimates the first-order and total indices of k inputs from the outputs y
// of a [Saltelli] design, in its order (n blocks of k+2). valid, when not nil, marks the
// evaluations that succeeded: a block holding a failed evaluation is dropped whole (its A,
// B and every AB_i), so every estimate uses the same blocks, and Dropped counts them.
//
// With f_A, f_B and f_ABi the outputs of block j and V the variance of all f_A and f_B,
//
//	S1_i = mean_j f_B (f_ABi - f_A) / V               (Saltelli et al. 2010, table 2 (b))
//	ST_i = mean_j (f_A - f_ABi)^2 / (2V)              (Jansen 1999; Saltelli et al. 2010 (f))
//
// M. J. W. Jansen, "Analysis of variance designs for model output", Computer Physics
// Communications 117 (1999) 35-43. When V is 0 (the output does not vary over the design),
// every index is 0: there is no variance to apportion. An input the output does not depend
// on has f_ABi = f_A in every block, hence S1 = ST = 0 exactly, and so do its intervals.
// The intervals resample blocks with replacement (bs.Resamples times).
func SobolIndices(y []float64, valid []bool, k int, bs Bootstrap) (SobolResult, error) {
	if k < 1 || len(y)%(k+2) != 0 || len(y) == 0 {
		return SobolResult{}, fmt.Errorf("sobol indices: %d outputs are not blocks of k+2 = %d", len(y), k+2)
	}
	if valid != nil && len(valid) != len(y) {
		return SobolResult{}, fmt.Errorf("sobol indices: %d validity flags for %d outputs", len(valid), len(y))
	}
	if err := bs.check(); err != nil {
		return SobolResult{}, err
	}
	var blocks []int
	n := len(y) / (k + 2)
	for j := 0; j < n; j++ {
		ok := true
		for i := j * (k + 2); valid != nil && i < (j+1)*(k+2); i++ {
			ok = ok && valid[i]
		}
		if ok {
			blocks = append(blocks, j)
		}
	}
	res := SobolResult{Blocks: len(blocks), Dropped: n - len(blocks), Indices: make([]SobolIndex, k)}
	if len(blocks) < 2 {
		return res, errors.New("sobol indices: fewer than 2 blocks without a failed evaluation")
	}
	est := func(blocks []int, out []float64) float64 { // out: S1 then ST per input
		var sum, sq float64
		for _, j := range blocks {
			a, b := y[j*(k+2)], y[j*(k+2)+1]
			sum += a + b
			sq += a*a + b*b
		}
		m := float64(2 * len(blocks))
		mean := sum / m
		v := sq/m - mean*mean
		if v <= 0 {
			clear(out)
			return 0
		}
		// Recompute the variance in two passes: the one-pass form above only decides whether
		// the output varies at all.
		v = 0
		for _, j := range blocks {
			a, b := y[j*(k+2)]-mean, y[j*(k+2)+1]-mean
			v += a*a + b*b
		}
		v /= m
		if v == 0 {
			clear(out)
			return 0
		}
		for i := 0; i < k; i++ {
			var s1, st float64
			for _, j := range blocks {
				base := j * (k + 2)
				a, b, ab := y[base], y[base+1], y[base+2+i]
				s1 += b * (ab - a)
				st += (a - ab) * (a - ab)
			}
			out[i] = s1 / float64(len(blocks)) / v
			out[k+i] = st / float64(2*len(blocks)) / v
		}
		return v
	}
	point := make([]float64, 2*k)
	res.Variance = est(blocks, point)
	reps := bs.resamples()
	draws := make([][]float64, 2*k)
	for i := range draws {
		draws[i] = make([]float64, reps)
	}
	rng := bs.rng(uint64(k))
	sample := make([]int, len(blocks))
	tmp := make([]float64, 2*k)
	for r := 0; r < reps; r++ {
		for t := range sample {
			sample[t] = blocks[rng.IntN(len(blocks))]
		}
		est(sample, tmp)
		for i := range tmp {
			draws[i][r] = tmp[i]
		}
	}
	for i := 0; i < k; i++ {
		ix := &res.Indices[i]
		ix.S1, ix.ST = point[i], point[k+i]
		ix.S1Lo, ix.S1Hi = bs.percentile(draws[i])
		ix.STLo, ix.STHi = bs.percentile(draws[k+i])
	}
	return res, nil
}
