// Package avxstate clears the upper halves of the vector registers (VZEROUPPER) before
// scalar work that may find them in use. Scalar Go code is legacy SSE, which an Intel CPU
// makes wait while the upper halves are in use; they are left in use by the runtime's
// asynchronous preemption on a CPU with AVX-512 (it restores every ZMM register) and by a
// goroutine switched out in the middle of vector code, and stay so on that thread until
// the next VZEROUPPER. In the build without GOEXPERIMENT=simd, and on a CPU without AVX,
// Clear does nothing.
package avxstate
