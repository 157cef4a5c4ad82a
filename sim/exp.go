package sim

import "math"

// expAllScalar replaces every x of xs by math.Exp(x): the reference of expAll.
func expAllScalar(xs []float64) {
	for i, x := range xs {
		xs[i] = math.Exp(x)
	}
}

// expProbe are arguments where the fused and unfused paths of math/exp_amd64.s round
// differently (TestExpProbeTellsPathsApart): the vector exp (exp_simd.go) is used only
// where math.Exp gives the fused path's results on them.
var expProbe = [8]float64{
	-18.343096073410326, -12.812746105012229, -10.49406220904657, -7.111915612868334,
	-19.1792856701683, -14.980683551861839, -11.596469848364523, -11.299247897181104,
}
