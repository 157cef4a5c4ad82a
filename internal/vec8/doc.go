// Package vec8 holds the 8 by 8 transpose of float64 vectors that the AVX-512 code of the
// simulator and of the run's tally share (built with GOEXPERIMENT=simd on amd64 only;
// elsewhere the package is empty and nothing imports it).
package vec8
