//go:build !cgo

package results

import (
	"os"
	"testing"
)

// TestPureGoBuildIsAsked checks that a build without cgo is one asked for (CGO_ENABLED=0,
// as make test asks for one): in CI, a build that fell back to the pure-Go zstd encoder
// because there was no C compiler would test and ship the slower encoder unnoticed.
func TestPureGoBuildIsAsked(t *testing.T) {
	if os.Getenv("CI") != "" && os.Getenv("CGO_ENABLED") != "0" {
		t.Fatalf("built without cgo, but CGO_ENABLED is %q: is there no C compiler? (.ci/run installs gcc)", os.Getenv("CGO_ENABLED"))
	}
	if ZstdEncoder == "" {
		t.Fatal("ZstdEncoder is empty")
	}
}
