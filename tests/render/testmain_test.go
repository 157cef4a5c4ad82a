package render_test

import (
	"testing"

	"github.com/backstop-research/backstop/internal/testbin"
)

// TestMain removes the binary the tests ran (testbin) once they have run.
func TestMain(m *testing.M) { testbin.Main(m) }
