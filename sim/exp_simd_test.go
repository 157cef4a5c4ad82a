//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"os"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/internal/vectest"
)

// TestVectorExpInUse checks that the vector exp is on where it should be, so that the
// comparisons with math.Exp (TestExpAllMatchesMathExp, TestDrawMatchesDayByDay) test it:
// on a CPU with AVX-512 unless math.Exp's FMA path is turned off (GODEBUG=cpu.fma=off),
// where it must be off. In CI a CPU without AVX-512 is a failure, not a skip.
func TestVectorExpInUse(t *testing.T) {
	vectest.RequireAVX512(t, "the vector exp")
	fmaOff := strings.Contains(os.Getenv("GODEBUG"), "cpu.fma=off")
	if useExpVector == fmaOff {
		t.Fatalf("vector exp in use: %v, with math.Exp's FMA path turned off: %v", useExpVector, fmaOff)
	}
}
