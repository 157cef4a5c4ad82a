//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package sim

// expAll replaces every x of xs by math.Exp(x). Without GOEXPERIMENT=simd on amd64 it is
// math.Exp one value at a time (exp_simd.go has the vector version).
func expAll(xs []float64) { expAllScalar(xs) }

// useExpVector is whether expAll uses a vector exp: never in this build.
const useExpVector = false
