// Package bench holds the speed peer and cross-check of the simulator: a vectorized NumPy
// reference (numpy_ref.py) that implements MODEL.md independently of package sim, with its
// own random stream; a test (crosscheck_test.go) that runs both on 20,000 paths and checks
// that every section 7 metric has the same mean under every policy, within Monte Carlo
// error; and a script (compare.sh) that times the Go binary against the NumPy reference
// on the same number of paths.
//
// The test needs a Python 3 with NumPy (Debian: apt-get install python3-numpy). Without
// one it is skipped, except under CI (env CI set), where it fails.
package bench
