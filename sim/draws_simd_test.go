//go:build goexperiment.simd && amd64 && !amd64.v3

package sim_test

import (
	"testing"

	"github.com/backstop-research/backstop/internal/vectest"
	"github.com/backstop-research/backstop/sim"
)

// TestVectorDrawsInUse checks that the batch draw runs in vectors on a CPU with AVX-512,
// so that TestDrawBatchMatchesDraw tests the vector form. In CI a CPU without AVX-512 is
// a failure, not a skip.
func TestVectorDrawsInUse(t *testing.T) {
	vectest.RequireAVX512(t, "the vector draws")
	if !sim.VectorDraws() {
		t.Fatal("the batch draw does not run in vectors on a CPU with AVX-512")
	}
}
