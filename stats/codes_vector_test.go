//go:build goexperiment.simd && amd64 && !amd64.v3

package stats

import (
	"os"
	"testing"
)

// TestVectorFormIsTested stops where the CPU cannot run SumCodes' vector form, so that
// TestSumCodes compares no vector form with the scalar one: in CI that is a failure, since
// the build with GOEXPERIMENT=simd is there to test it.
func TestVectorFormIsTested(t *testing.T) {
	if !vectorCounting() {
		if os.Getenv("CI") != "" {
			t.Fatal("built with GOEXPERIMENT=simd, but this CPU has no AVX-512: the vector form of SumCodes cannot be tested")
		}
		t.Skip("no AVX-512 on this CPU: the vector form of SumCodes is not tested")
	}
}
