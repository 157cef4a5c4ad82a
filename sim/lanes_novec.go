//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package sim

// Without GOEXPERIMENT=simd on amd64 there are no vector kernels: the lockstep simulator
// (lanes.go) is off in the Sampler, and tests run it with the scalar steps only.

// vectorLanes reports whether the CPU runs the vector kernels: never in this build.
func vectorLanes() bool { return false }

func (g *laneGroup) decideVector(*laneDay, *laneConds, *[lanes]float64) {}

func (g *laneGroup) settleVector(*laneDay, *laneConds, bool, bool, bool) uint8 { return 0 }

func (g *laneGroup) recordVector() uint8 { return 0 }

// vectorBuild is true in the build with the vector kernels.
const vectorBuild = false

func (g *laneGroup) adjustBooks(int, *[lanes]float64, *[lanes]float64) {}

func (g *laneGroup) absorbBooks(int, *laneDay) {}

func (g *laneGroup) settleBooks(int, *laneDay) {}

func peaksVector([]float64) float64 { return 0 }

func (g *laneGroup) loadVector(int, int) {}

func (g *laneGroup) peaksSource(int) {}

func (g *laneGroup) risenVector() uint8 { return 0 }

func (c *laneConds) copyVector(*laneConds) {}
