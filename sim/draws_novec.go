//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package sim

// useDrawVector is whether laneDraws draws lanes at a time in vectors: never in this
// build (draws_simd.go has the vector form).
const useDrawVector = false

func (d *laneDraws) drawVector(uint64, int64, int) {}

func (d *laneDraws) finish(int) {}

func (d *laneDraws) storeLanes(int, []*Shocks) {}
