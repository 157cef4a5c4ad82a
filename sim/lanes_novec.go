//go:build !(goexperiment.simd && amd64 && !amd64.v3)

package sim

// Without GOEXPERIMENT=simd on amd64 there are no vector kernels: the lockstep simulator
// (lanes.go) is off in the Sampler, and tests run it with the scalar kernels only.

// vectorLanes reports whether the CPU runs the vector kernels: never in this build.
func vectorLanes() bool { return false }

func (f *laneFunds) decideVector(*Model) {}

func (f *laneFunds) settleVector(*Model) {}

// vectorBuild is true in the build with the vector kernels.
const vectorBuild = false
