package main

import (
	"os"
	"testing"

	"github.com/backstop-research/backstop/internal/testbin"
)

// TestMain removes, once the tests have run, what they made once for the whole process:
// the binary they run (testbin) and the reference run of the interrupt tests.
func TestMain(m *testing.M) {
	testbin.Main(m, func() {
		if refDir != "" {
			os.RemoveAll(refDir)
		}
	})
}
