//go:build goexperiment.simd && amd64

package vectest

import (
	"os"
	"simd/archsimd"
	"testing"
)

// RequireAVX512 stops a test of a vector form on a CPU without AVX-512, where the vector
// form cannot run: in CI (CI set) as a failure, since the test would then check nothing,
// elsewhere as a skip. what names the vector form in the failure.
func RequireAVX512(t testing.TB, what string) {
	t.Helper()
	if archsimd.X86.AVX512() {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: this CPU has no AVX-512, so %s is not tested", what)
	}
	t.Skip("no AVX-512 on this CPU")
}
