// Package bench holds the speed peers and cross-checks of the simulator: two independent
// implementations of docs/model.md that share no code and no random stream with package sim,
// a vectorized NumPy one (numpy_ref.py: paths as the vector dimension, a Python loop over
// days) and a compiled Numba one (numba_ref.py: @njit(parallel=True), paths in parallel
// with prange, each path scalar, per-path outputs only); tests (crosscheck_test.go,
// numba_test.go) that run each of them and the Go simulator on 20,000 paths and check
// that every section 7 metric has the same mean under every policy, within Monte Carlo
// error; and a script (compare.sh) that times the Go binary, Numba and NumPy side by side
// on the same number of paths and seed.
//
// The tests need Debian's Python 3 with NumPy and Numba (apt-get install python3-numpy
// python3-numba). Without them they are skipped, except under CI (env CI set), where they
// fail. Numba's compiled kernels are cached under the system's temporary directory.
package bench
