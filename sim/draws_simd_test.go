//go:build goexperiment.simd && amd64 && !amd64.v3

package sim_test

import (
	"os"
	"testing"

	"github.com/backstop-research/backstop/sim"
	"simd/archsimd"
)

// TestVectorDrawsInUse checks that the batch draw runs in vectors on a CPU with AVX-512,
// so that TestDrawBatchMatchesDraw tests the vector form. In CI a CPU without AVX-512 is
// a failure, not a skip.
func TestVectorDrawsInUse(t *testing.T) {
	if !archsimd.X86.AVX512() {
		if os.Getenv("CI") != "" {
			t.Fatal("CI: this CPU has no AVX-512, so the vector draws are not tested")
		}
		t.Skip("no AVX-512 on this CPU")
	}
	if !sim.VectorDraws() {
		t.Fatal("the batch draw does not run in vectors on a CPU with AVX-512")
	}
}
