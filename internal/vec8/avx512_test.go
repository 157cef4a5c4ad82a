//go:build goexperiment.simd && amd64

package vec8

import (
	"os"
	"simd/archsimd"
	"testing"
)

// needAVX512 skips t on a CPU without AVX-512, where the vectors cannot run, and fails it
// in CI, which must test them.
func needAVX512(t *testing.T) {
	t.Helper()
	if !archsimd.X86.AVX512() {
		if os.Getenv("CI") != "" {
			t.Fatal("CI: this CPU has no AVX-512, so the vector code is not tested")
		}
		t.Skip("no AVX-512 on this CPU")
	}
}
