//go:build cgo

package results

import (
	"os"
	"strings"
	"testing"
)

// TestZstdEncoderNamesTheLibrary checks that ZstdEncoder names the libzstd the build
// compiles: github.com/DataDog/zstd's version, in go.mod, is that of the C library it
// carries, so an update of go.mod that left the constant alone would have backstop
// version name another.
func TestZstdEncoderNamesTheLibrary(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "github.com/DataDog/zstd" {
			if want := "libzstd " + strings.TrimPrefix(f[1], "v") + " "; !strings.HasPrefix(ZstdEncoder, want) {
				t.Errorf("ZstdEncoder is %q, go.mod requires github.com/DataDog/zstd %s: want it to start %q", ZstdEncoder, f[1], want)
			}
			return
		}
	}
	t.Error("go.mod requires no github.com/DataDog/zstd")
}
