//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"os"
	"strings"
	"testing"

	"simd/archsimd"
)

// TestVectorExpInUse checks that the vector exp is on where it should be, so that the
// comparisons with math.Exp (TestExpAllMatchesMathExp, TestDrawMatchesDayByDay) test it:
// on a CPU with AVX-512 unless math.Exp's FMA path is turned off (GODEBUG=cpu.fma=off),
// where it must be off. In CI a CPU without AVX-512 is a failure, not a skip.
func TestVectorExpInUse(t *testing.T) {
	if !archsimd.X86.AVX512() {
		if os.Getenv("CI") != "" {
			t.Fatal("CI: this CPU has no AVX-512, so the vector exp is not tested")
		}
		t.Skip("no AVX-512 on this CPU")
	}
	fmaOff := strings.Contains(os.Getenv("GODEBUG"), "cpu.fma=off")
	if useExpVector == fmaOff {
		t.Fatalf("vector exp in use: %v, with math.Exp's FMA path turned off: %v", useExpVector, fmaOff)
	}
}
