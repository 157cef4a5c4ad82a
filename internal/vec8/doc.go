// Package vec8 holds what the AVX-512 code of the simulator and of the run's tally share:
// the 8 by 8 transpose of float64 vectors, and shifts written so that Go 1.26 compiles
// them without legacy-SSE instructions (built with GOEXPERIMENT=simd on amd64 only;
// elsewhere the package is empty and nothing imports it).
package vec8
