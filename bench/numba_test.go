package bench

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// numbaEnv points numba's cache of compiled kernels (numba_ref.py uses cache=True) at a
// directory under the system's temporary directory rather than bench/__pycache__, so a
// test run writes nothing into the source tree and a second run on the same machine skips
// the JIT compilation (about 7 s). NUMBA_CACHE_DIR set by the caller wins.
func numbaEnv() []string {
	if os.Getenv("NUMBA_CACHE_DIR") != "" {
		return nil
	}
	return []string{"NUMBA_CACHE_DIR=" + filepath.Join(os.TempDir(), "backstop-numba-cache")}
}

// TestCrossCheckNumba checks the Numba speed peer against the Go simulator in
// distribution: every section 7 metric's mean under every baseline policy, within crossZ
// Monte Carlo standard errors, on 20,000 paths with fixed seeds.
func TestCrossCheckNumba(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-path Numba cross-check skipped in -short mode")
	}
	py := requirePython(t, "numba", "python3-numba")
	ref, numbaTime := runReference(t, py, "numba_ref.py", numbaEnv())
	start := time.Now()
	values, err := goSample()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d paths x %d policies: Go %v (or cached), Numba %v with start-up and compilation (%s; its own timer %.2fs)",
		crossPaths, len(values), time.Since(start).Round(time.Millisecond), numbaTime.Round(time.Millisecond), py, ref.WallSeconds)
	compareMeans(t, "Numba", ref, values)
}

// TestNumbaReproducible checks what numba_ref.py promises so that its timings compare like
// with like: the same seed gives the same results whatever the number of threads (each
// path has its own stream), and another seed gives other results.
func TestNumbaReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("Numba runs skipped in -short mode")
	}
	py := requirePython(t, "numba", "python3-numba")
	// Two threads even on a one-core machine.
	env := append(numbaEnv(), "NUMBA_NUM_THREADS=2")
	one, _ := runReference(t, py, "numba_ref.py", env, "--threads", "1", "--paths", "2000")
	two, _ := runReference(t, py, "numba_ref.py", env, "--threads", "2", "--paths", "2000")
	other, _ := runReference(t, py, "numba_ref.py", env, "--threads", "2", "--paths", "2000", "--seed", "8")
	if len(one.Metrics) == 0 {
		t.Fatal("numba_ref.py wrote no metrics")
	}
	if !reflect.DeepEqual(one.Metrics, two.Metrics) {
		t.Errorf("numba_ref.py: 1 thread and 2 threads give different results for one seed")
	}
	if reflect.DeepEqual(two.Metrics, other.Metrics) {
		t.Errorf("numba_ref.py: seeds 7 and 8 give the same results")
	}
}
