//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package sim

// useDrawVector is whether laneDraws draws lanes at a time in vectors: never in this
// build (draws_simd.go has the vector form).
const useDrawVector = false

func (d *laneDraws) drawVector(seed uint64, first int64, out []*Shocks) {}
