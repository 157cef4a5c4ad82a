// Package vectest holds what the tests of the AVX-512 code share (built with
// GOEXPERIMENT=simd on amd64 only; elsewhere the package is empty and nothing imports it).
// It is imported by tests only.
package vectest
