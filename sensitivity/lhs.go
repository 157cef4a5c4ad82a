package sensitivity

import (
	"fmt"
	"math/rand/v2"
)

// LatinHypercube returns n points in the unit cube of k dimensions, one in each of the n
// equal slices of every coordinate, placed uniformly at random within its slice, the
// slices of each coordinate matched to points by an independent random permutation (M. D.
// McKay, R. J. Beckman and W. J. Conover, "A comparison of three methods for selecting
// values of input variables in the analysis of output from a computer code",
// Technometrics 21 (1979) 239-245). It is the algorithm of gonum's
// stat/samplemv.LatinHypercube, written here because that package's import of distmv
// would add golang.org/x/tools to the module for ten lines.
func LatinHypercube(k, n int, seed uint64) ([][]float64, error) {
	if k < 1 || n < 1 {
		return nil, fmt.Errorf("latin hypercube: %d inputs and %d samples; at least 1 of each", k, n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c6873))
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, k)
	}
	for d := 0; d < k; d++ {
		p := rng.Perm(n)
		for j := 0; j < n; j++ {
			out[p[j]][d] = (float64(j) + rng.Float64()) / float64(n)
		}
	}
	return out, nil
}
